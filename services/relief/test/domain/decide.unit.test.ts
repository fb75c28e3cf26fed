// decide as a whole: identity (USCC), malformed input, determinism and purity (fast-check), and the
// invariants every decision keeps whatever the input.
import { isDeepStrictEqual } from 'node:util'
import fc from 'fast-check'
import t from 'tap'
import {
  DEFAULT_POLICY_VERSIONS,
  REASON_TEXTS,
  REFERENCE_DATA_2011,
  decide,
  deepFreeze,
  policyAsOf,
  validateApplication,
  type Decision,
  type DecisionContext,
  type ReliefApplication,
} from '../../src/domain/index.js'
import { applicationCase } from './arbitraries.js'
import { BAD_USCC, GOOD_SCORE, application, d, deferral, extension, reasonCodes, ruleOf, run, USCC } from './fixtures.js'

interface UsccRow {
  readonly name: string
  readonly when: { readonly uscc: string; readonly exceptions?: readonly { code: string; reason: string }[] }
  readonly then: { readonly result: 'pass' | 'fail'; readonly code: string; readonly outcome: string }
}

const EXCEPTION = { code: BAD_USCC, reason: 'Issued in the 2015 Fujian pilot before the check was enforced; confirmed with the registry' }
const USCC_ROWS: readonly UsccRow[] = [
  { name: 'a valid code → pass', when: { uscc: USCC }, then: { result: 'pass', code: 'RL_USCC_VALID', outcome: 'APPROVED' } },
  { name: 'a wrong check character → DECLINED', when: { uscc: BAD_USCC }, then: { result: 'fail', code: 'RL_USCC_INVALID', outcome: 'DECLINED' } },
  { name: 'lower case is not silently fixed → DECLINED', when: { uscc: USCC.toLowerCase() }, then: { result: 'fail', code: 'RL_USCC_INVALID', outcome: 'DECLINED' } },
  { name: '17 characters → DECLINED', when: { uscc: USCC.slice(0, 17) }, then: { result: 'fail', code: 'RL_USCC_INVALID', outcome: 'DECLINED' } },
  {
    name: 'a wrong check character on the documented exception list → pass, with the reason recorded',
    when: { uscc: BAD_USCC, exceptions: [EXCEPTION] },
    then: { result: 'pass', code: 'RL_USCC_EXCEPTION', outcome: 'APPROVED' },
  },
]

t.test('USCC validity (POLICY §1)', async (t) => {
  for (const row of USCC_ROWS) {
    t.test(row.name, async (t) => {
      const versions = [...DEFAULT_POLICY_VERSIONS, { ...REFERENCE_DATA_2011, version: 2, usccExceptions: row.when.exceptions ?? [] }]
      const app = application(extension('2021-06-01'), { enterprise: { uscc: row.when.uscc }, loan: { startDate: d('2020-03-01'), maturityDate: d('2021-03-01') } })
      const decision = run(app, '2021-02-01', GOOD_SCORE, versions)
      const rule = ruleOf(decision, 'USCC_VALID')
      t.equal(rule.result, row.then.result)
      t.equal(rule.code, row.then.code)
      t.equal(decision.outcome, row.then.outcome)
      if (row.then.code === 'RL_USCC_EXCEPTION') t.equal(rule.details.exceptionReason, EXCEPTION.reason)
    })
  }
})

t.test('malformed applications are refused with every problem, not decided', async (t) => {
  const base = application(deferral('2020-06-30'), { loan: { maturityDate: d('2020-04-30') } })
  const context = { applicationDate: d('2020-04-15'), scoring: GOOD_SCORE }
  const cases: [string, ReliefApplication, string[]][] = [
    ['maturity before start', { ...base, loan: { ...base.loan, startDate: d('2020-05-01') } }, ['/loan/maturityDate']],
    ['negative principal', { ...base, loan: { ...base.loan, outstandingPrincipalFen: -1n } }, ['/loan/outstandingPrincipalFen']],
    ['a float number of fen', { ...base, loan: { ...base.loan, totalCreditFen: 1.5 as unknown as bigint } }, ['/loan/totalCreditFen']],
    ['a date that does not exist', { ...base, request: { ...deferral('2020-06-30'), deferTo: '2021-02-29' as never } }, ['/request/deferTo']],
    ['deferral not after the due date', { ...base, request: deferral('2020-04-30') }, ['/request/deferTo']],
    ['a principal instalment after maturity', { ...base, request: deferral('2020-06-30', { principalDueDate: d('2020-05-01') }) }, ['/request/principalDueDate']],
    ['interest deferral without its due date', { ...base, request: deferral('2020-06-30', { interest: true }) }, ['/request/interestDueDate']],
    ['neither principal nor interest', { ...base, request: deferral('2020-06-30', { principal: false }) }, ['/request']],
    ['extension to an earlier date', { ...base, request: extension('2020-04-01') }, ['/request/newMaturity']],
    ['previous extensions longer than the term', { ...base, loan: { ...base.loan, previousExtensionDays: 400 } }, ['/loan/previousExtensionDays']],
    ['region code of five digits', { ...base, enterprise: { ...base.enterprise, regionCode: '42010' } }, ['/enterprise/regionCode']],
    ['unknown classification', { ...base, loan: { ...base.loan, classification: 'fine' as never } }, ['/loan/classification']],
  ]
  for (const [name, app, paths] of cases) {
    t.same(
      validateApplication(app, context).map((i) => i.path),
      paths,
      name,
    )
    t.throws(() => decide(app, policyAsOf(DEFAULT_POLICY_VERSIONS, context.applicationDate), context), { name: 'ReliefError', code: 'invalid-application' }, `${name}: refused`)
  }
  t.same(validateApplication(base, { ...context, scoring: { ...GOOD_SCORE, pdPpm: 1_000_001 } }).map((i) => i.path), ['/context/scoring/pdPpm'])
})

t.test('decide refuses a policy set of another date (replays must use the set in force on the application date)', async (t) => {
  const app = application(deferral('2020-06-30'), { loan: { maturityDate: d('2020-04-30') } })
  t.throws(
    () => decide(app, policyAsOf(DEFAULT_POLICY_VERSIONS, d('2020-04-16')), { applicationDate: d('2020-04-15'), scoring: GOOD_SCORE }),
    { name: 'ReliefError', code: 'invalid-argument' },
  )
})

t.test('the answer deadline follows the bank parameters in force (限时回复)', async (t) => {
  const app = application(extension('2021-06-01'), { loan: { startDate: d('2020-03-01'), maturityDate: d('2021-03-01') } })
  const versions = [...DEFAULT_POLICY_VERSIONS, { ...DEFAULT_POLICY_VERSIONS[1]!, version: 2, effectiveFrom: d('2021-01-01'), answerDeadlineDays: 5 } as never]
  t.equal(run(app, '2020-12-31', GOOD_SCORE, versions).answerBy, '2021-01-10', 'version 1: 10 days')
  t.equal(run(app, '2021-01-01', GOOD_SCORE, versions).answerBy, '2021-01-06', 'version 2: 5 days')
})

const decideCase = ({ application: app, context }: { application: ReliefApplication; context: DecisionContext }): Decision =>
  decide(app, policyAsOf(DEFAULT_POLICY_VERSIONS, context.applicationDate), context)

t.test('decide is pure: the same input and policy give a deep-equal decision, the input is not touched', async (t) => {
  fc.assert(
    fc.property(applicationCase, (c) => {
      const first = decideCase(c)
      const copy = structuredClone(c)
      const frozen = deepFreeze(structuredClone(c))
      const second = decideCase(copy)
      const third = decideCase(frozen) // would throw on any write to the input (ES modules are strict)
      return isDeepStrictEqual(first, second) && isDeepStrictEqual(first, third) && isDeepStrictEqual(copy, c)
    }),
    { numRuns: 400 },
  )
  t.pass('400 generated applications')
})

t.test('decisions are plain JSON data (storable and replayable as stored)', async (t) => {
  fc.assert(
    fc.property(applicationCase, (c) => {
      const decision = decideCase(c)
      return isDeepStrictEqual(JSON.parse(JSON.stringify(decision)), decision)
    }),
    { numRuns: 300 },
  )
  t.pass('300 generated applications')
})

t.test('invariants of every decision', async (t) => {
  fc.assert(
    fc.property(applicationCase, (c) => {
      const decision = decideCase(c)
      const failedHard = decision.rules.some((r) => r.result === 'fail' && r.effect === 'decline')
      // Several programmes may be evaluated; an approval answers for the rules of the application and
      // of the programme it was granted under, not for a programme it was not granted under.
      const approvedUnder = new Set(['application', decision.programme?.id])
      const failedRefer = decision.rules.some((r) => r.result === 'fail' && r.effect === 'refer' && approvedUnder.has(r.scope))
      const failedHardUnder = decision.rules.some((r) => r.result === 'fail' && r.effect === 'decline' && approvedUnder.has(r.scope))
      const checks = {
        // Only a hard rule declines: weak scores, missing scores and structural decline refer.
        declinedOnlyOnHardFailure: decision.outcome !== 'DECLINED' || failedHard,
        // Mandatory means approved.
        mandatoryIsApproved: !decision.mandatory || decision.outcome === 'APPROVED',
        // Scoring unavailable is never a silent approval (unless mandatory) and never a decline by itself.
        unavailableScoring:
          c.context.scoring !== 'unavailable' || decision.mandatory || decision.outcome !== 'APPROVED',
        // Non-mandatory approval means nothing failed that matters.
        approvedCleanly: decision.outcome !== 'APPROVED' || decision.mandatory || (!failedHardUnder && !failedRefer),
        terms: (decision.terms === null) === (decision.outcome === 'DECLINED'),
        programme: (decision.programme === null) === (decision.outcome === 'DECLINED'),
        reasons: decision.reasons.length > 0,
        texts: decision.rules.every((r) => isDeepStrictEqual(r.text, REASON_TEXTS[r.code])),
        versions: decision.policyVersions.length >= 2,
      }
      const broken = Object.entries(checks).filter(([, ok]) => !ok)
      if (broken.length > 0) throw new Error(`broken: ${broken.map(([k]) => k).join(', ')} for ${JSON.stringify(decision.reasons)}`)
      return true
    }),
    { numRuns: 400 },
  )
  t.pass('400 generated applications')
})

t.test('a deferral both rounds of 2020 could cover is approved under the one whose rules it meets', async (t) => {
  // Found by the invariants above: a loan matured on 2020-02-04, applied for on 2020-06-01, is in the
  // March round's window but not the June round's; the June round's failures do not stand in the way.
  const app = application(deferral('2020-02-05'), {
    loan: { startDate: d('2020-01-05'), maturityDate: d('2020-02-04') },
    keepJobs: false,
  })
  const decision = run(app, '2020-06-01')
  t.equal(decision.outcome, 'APPROVED')
  t.equal(decision.programme?.id, 'deferral-2020-03')
  t.equal(ruleOf(decision, 'DUE_DATE_WINDOW', 'deferral-2020-06').result, 'fail', 'the June round was weighed and did not apply')
  t.same(reasonCodes(decision), ['RL_ALL_RULES_PASSED'])
})

t.test('reasons have texts in both languages', async (t) => {
  for (const [code, text] of Object.entries(REASON_TEXTS)) {
    t.ok(text.zh.trim() !== '' && text.en.trim() !== '', code)
  }
  const decision = run(application(deferral('2020-06-30'), { loan: { maturityDate: d('2020-04-30') } }), '2020-04-15')
  t.same(reasonCodes(decision), ['RL_ALL_RULES_PASSED'])
})
