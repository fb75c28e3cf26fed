// What officer review may turn, decided by the real rules as Given/When/Then tables: a decline rests
// on hard rules (identity, POLICY §1; programme windows and caps, POLICY §2 and 银发〔2020〕122号,
// 2020-06-01; extension caps and timing, 《贷款通则》1996 art. 12; the guarantor's consent) and is
// never approved on review; a referral on judgement (score, hardship, missing evidence) may be; an
// approval on review grants the terms the rules computed; a mandatory grant is never declined.
import fc from 'fast-check'
import t from 'tap'
import { RULE_GROUNDS, automatedState, decideLifecycle, reviewScope, type ApplicationState, type FinalOutcome, type HardGround, type RuleId, type ScoringSignal } from '../../src/domain/index.js'
import { applicationCase } from './arbitraries.js'
import { BAD_USCC, GOOD_SCORE, POOR_SCORE, SIZES, application, d, deferral, extension, run, type Given } from './fixtures.js'

interface Row {
  readonly name: string
  readonly given: { readonly request: Parameters<typeof application>[0]; readonly facts?: Given; readonly date: string; readonly scoring?: ScoringSignal | 'unavailable' }
  readonly then: {
    readonly outcome: 'APPROVED' | 'DECLINED' | 'REFERRED'
    /** The hard rules the outcome rests on, with their grounds. */
    readonly binding: readonly (readonly [RuleId, HardGround])[]
    /** What review may turn it to, or the refusal. */
    readonly approve: 'LC_HARD_RULE' | 'LC_SAME_OUTCOME' | 'proposed'
    readonly decline: 'LC_MANDATORY_GRANT' | 'LC_SAME_OUTCOME' | 'proposed'
  }
}

// Extension rules of 1996: the fixture's loan (2019-07-01 → 2020-07-01, one year, a short term)
// may be extended by at most its original term, 366 days, to 2021-07-02.
const ROWS: readonly Row[] = [
  {
    name: 'an invalid USCC: the borrower cannot be identified → declined, binding, no approval on review',
    given: { request: deferral('2020-06-30'), facts: { enterprise: { uscc: BAD_USCC }, loan: { maturityDate: d('2020-04-30') } }, date: '2020-04-15' },
    then: { outcome: 'DECLINED', binding: [['USCC_VALID', 'identity']], approve: 'LC_HARD_RULE', decline: 'LC_SAME_OUTCOME' },
  },
  {
    name: 'an extension beyond its legal cap (art. 12) → declined, binding',
    given: { request: extension('2021-07-03'), date: '2020-06-20' },
    then: { outcome: 'DECLINED', binding: [['EXTENSION_CAP', 'legal-cap']], approve: 'LC_HARD_RULE', decline: 'LC_SAME_OUTCOME' },
  },
  {
    name: 'an extension applied for after maturity (art. 12) → declined, binding',
    given: { request: extension('2020-12-31'), date: '2020-07-02' },
    then: { outcome: 'DECLINED', binding: [['EXTENSION_BEFORE_MATURITY', 'eligibility-by-law']], approve: 'LC_HARD_RULE', decline: 'LC_SAME_OUTCOME' },
  },
  {
    name: 'an extension the guarantor has not consented to → declined, binding',
    given: { request: extension('2020-12-31'), facts: { loan: { guarantee: { kind: 'guarantee', guarantorConsent: false } } }, date: '2020-06-20' },
    then: { outcome: 'DECLINED', binding: [['GUARANTOR_CONSENT', 'security-by-law']], approve: 'LC_HARD_RULE', decline: 'LC_SAME_OUTCOME' },
  },
  {
    name: 'a large enterprise asking for an SME deferral → declined on eligibility by the notice, binding',
    given: { request: deferral('2020-06-30'), facts: { enterprise: SIZES.large, loan: { maturityDate: d('2020-04-30') } }, date: '2020-04-15' },
    then: { outcome: 'DECLINED', binding: [['BORROWER_ELIGIBLE', 'eligibility-by-law']], approve: 'LC_HARD_RULE', decline: 'LC_SAME_OUTCOME' },
  },
  {
    name: 'a poor score and a structural decline → referred on judgement: approvable, declinable',
    given: { request: deferral('2020-06-30'), facts: { loan: { maturityDate: d('2020-04-30') } }, date: '2020-04-15', scoring: POOR_SCORE },
    then: { outcome: 'REFERRED', binding: [], approve: 'proposed', decline: 'proposed' },
  },
  {
    name: 'scoring did not answer → referred for missing evidence: approvable, declinable',
    given: { request: extension('2020-12-31'), date: '2020-06-20', scoring: 'unavailable' },
    then: { outcome: 'REFERRED', binding: [], approve: 'proposed', decline: 'proposed' },
  },
  {
    name: 'revenue on the application a tenth of the tax returns’ → referred for the statements: approvable, declinable',
    given: { request: extension('2020-12-31'), date: '2020-06-20', scoring: { ...GOOD_SCORE, figures: { revenue12mFen: SIZES.small.revenueFen * 10n, employees: null } } },
    then: { outcome: 'REFERRED', binding: [], approve: 'proposed', decline: 'proposed' },
  },
  {
    name: 'every rule passes (a discretionary extension) → approved: declinable on judgement',
    given: { request: extension('2020-12-31'), date: '2020-06-20' },
    then: { outcome: 'APPROVED', binding: [], approve: 'LC_SAME_OUTCOME', decline: 'proposed' },
  },
  {
    name: 'the 2020-06 programme applies (应延尽延) → a mandatory grant: never declined',
    given: { request: deferral('2021-03-31'), facts: { loan: { maturityDate: d('2020-07-01') } }, date: '2020-06-15', scoring: POOR_SCORE },
    then: { outcome: 'APPROVED', binding: [], approve: 'LC_SAME_OUTCOME', decline: 'LC_MANDATORY_GRANT' },
  },
]

function stateAfterRules(outcome: 'APPROVED' | 'DECLINED' | 'REFERRED', automated: ApplicationState['automated']): ApplicationState {
  if (outcome === 'REFERRED') return { status: 'referred', version: 2, revision: 0, finalOutcome: null, decidedBy: null, automated }
  return { status: outcome === 'APPROVED' ? 'approved' : 'declined', version: 2, revision: 1, finalOutcome: outcome, decidedBy: 'rules', automated }
}

function proposing(state: ApplicationState, outcome: FinalOutcome): string {
  const result = decideLifecycle(state, { kind: 'propose', outcome, by: 'li' })
  return result.ok ? result.change.kind : result.refused
}

t.test('which outcomes review can turn, decided by the rules themselves', async (t) => {
  for (const row of ROWS) {
    t.test(row.name, async (t) => {
      const decision = run(application(row.given.request, row.given.facts), row.given.date, row.given.scoring ?? GOOD_SCORE)
      t.equal(decision.outcome, row.then.outcome, 'the rules’ outcome')
      const scope = reviewScope(decision)
      t.same(
        scope.binding.map((b) => [b.rule, b.ground]),
        row.then.binding,
        'the hard rules it rests on',
      )
      const state = stateAfterRules(decision.outcome, automatedState(decision))
      t.equal(proposing(state, 'APPROVED'), row.then.approve, 'an officer proposes APPROVED')
      t.equal(proposing(state, 'DECLINED'), row.then.decline, 'an officer proposes DECLINED')
      // An approval, by the rules or on review, grants the terms the rules computed.
      if (row.then.approve === 'proposed' || decision.outcome === 'APPROVED') {
        t.not(scope.terms, null, 'terms to grant')
        t.same(scope.terms, decision.terms, 'the rules’ own terms')
      } else t.equal(scope.terms, null, 'nothing to grant')
    })
  }
})

t.test('every rule that declines names a hard ground, every rule that refers a discretionary one', async (t) => {
  fc.assert(
    fc.property(applicationCase, ({ application: app, context }) => {
      const decision = run(app, context.applicationDate, context.scoring)
      for (const r of decision.rules) {
        if (r.effect === 'decline' && RULE_GROUNDS[r.rule].hard === null) throw new Error(`${r.rule} declines without a hard ground`)
        if (r.effect === 'refer' && RULE_GROUNDS[r.rule].discretionary === null) throw new Error(`${r.rule} refers without a discretionary ground`)
      }
      const scope = reviewScope(decision)
      // Review may approve exactly when the rules did not decline; then it grants the rules' terms.
      if ((scope.binding.length > 0) !== (decision.outcome === 'DECLINED')) throw new Error(`binding ${scope.binding.length} for ${decision.outcome}`)
      if ((scope.terms === null) !== (decision.outcome === 'DECLINED')) throw new Error(`terms ${JSON.stringify(scope.terms)} for ${decision.outcome}`)
    }),
    { numRuns: 2_000 },
  )
  t.pass('2,000 generated applications')
})
