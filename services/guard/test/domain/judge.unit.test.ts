// The guard's verdicts (POLICY §4) as Given/When/Then tables: every adverse action against every
// protection basis with every kind of reason — substantive and documented, evidence missing, the
// epidemic's temporary effect, one needing a risk officer, the borrower's own request — and the
// edges of each protection's period.
import t from 'tap'
import { ADVERSE_ACTIONS, type AdverseAction, type GuardOutcome, type ProtectionBasis } from '@sme/contracts/vocabulary'
import { classificationFloorOf, judge, NO_BLIND_WITHDRAWAL_2020, policyOn, DEFAULT_GUARD_POLICIES, type BorrowerRecord, type GivenReason, type GuardRuleCode } from '../../src/domain/index.js'
import { AFFECTED_VIABLE, d, DEFERRAL, LOAN, NATIONAL_LIST, question, reason, record, UNPROTECTED } from './fixtures.js'

const POLICY = NO_BLIND_WITHDRAWAL_2020

/** One protected borrower per basis, all judged on 2020-04-15 (inside every period). */
const BASES: Record<ProtectionBasis, BorrowerRecord> = {
  'relief-decision': record({ reliefs: [DEFERRAL] }),
  'affected-viable': record({ score: AFFECTED_VIABLE }),
  'key-enterprise': record({ keyLists: [NATIONAL_LIST] }),
}

interface ReasonCase {
  readonly name: string
  readonly reasons: GivenReason[]
  /** The outcome for each action against a protected borrower. */
  readonly then: (action: AdverseAction) => { outcome: GuardOutcome; rule: GuardRuleCode }
}

const REASON_CASES: readonly ReasonCase[] = [
  { name: 'no reason at all', reasons: [], then: () => ({ outcome: 'BLOCK', rule: 'no-substantive-reason' }) },
  { name: 'fraud, documented', reasons: [reason('fraud', 'investigation-report')], then: () => ({ outcome: 'ALLOW', rule: 'reason-substantive' }) },
  { name: 'fraud, evidence missing', reasons: [reason('fraud')], then: () => ({ outcome: 'BLOCK', rule: 'evidence-missing' }) },
  { name: 'fraud, the wrong evidence', reasons: [reason('fraud', 'financial-analysis')], then: () => ({ outcome: 'BLOCK', rule: 'evidence-missing' }) },
  { name: 'diversion of funds, documented', reasons: [reason('diversion-of-funds', 'funds-flow-record')], then: () => ({ outcome: 'ALLOW', rule: 'reason-substantive' }) },
  { name: 'debt evasion, documented', reasons: [reason('debt-evasion', 'asset-transfer-record')], then: () => ({ outcome: 'ALLOW', rule: 'reason-substantive' }) },
  {
    name: 'non-epidemic deterioration, documented (a judgement)',
    reasons: [reason('non-epidemic-deterioration', 'financial-analysis')],
    then: () => ({ outcome: 'ESCALATE', rule: 'reason-needs-review' }),
  },
  { name: 'non-epidemic deterioration, no analysis', reasons: [reason('non-epidemic-deterioration')], then: () => ({ outcome: 'BLOCK', rule: 'evidence-missing' }) },
  {
    name: 'court order, documented',
    reasons: [reason('court-order', 'court-document')],
    then: (a) => (a === 'call-early' || a === 'freeze-line' || a === 'reduce-line' ? { outcome: 'ALLOW', rule: 'reason-substantive' } : { outcome: 'BLOCK', rule: 'reason-not-for-action' }),
  },
  {
    name: "the borrower's own request, with its application",
    reasons: [reason('borrower-request', 'borrower-application')],
    then: (a) => (a === 'downgrade-classification' ? { outcome: 'BLOCK', rule: 'reason-not-for-action' } : { outcome: 'ALLOW', rule: 'reason-substantive' }),
  },
  {
    name: "the borrower's own request, no application on file",
    reasons: [reason('borrower-request')],
    then: (a) => (a === 'downgrade-classification' ? { outcome: 'BLOCK', rule: 'reason-not-for-action' } : { outcome: 'BLOCK', rule: 'evidence-missing' }),
  },
  { name: 'revenue fell in the epidemic', reasons: [reason('epidemic-revenue-decline', 'financial-analysis')], then: () => ({ outcome: 'BLOCK', rule: 'reason-epidemic-effect' }) },
  { name: 'arrears during the epidemic', reasons: [reason('epidemic-arrears')], then: () => ({ outcome: 'BLOCK', rule: 'reason-epidemic-effect' }) },
  { name: 'a hard-hit sector', reasons: [reason('sector-exposure')], then: () => ({ outcome: 'BLOCK', rule: 'reason-epidemic-effect' }) },
  { name: 'a temporary cash squeeze', reasons: [reason('epidemic-liquidity-strain')], then: () => ({ outcome: 'BLOCK', rule: 'reason-epidemic-effect' }) },
  { name: 'an unknown code', reasons: [reason('looks-risky')], then: () => ({ outcome: 'BLOCK', rule: 'reason-unknown' }) },
  {
    name: 'an epidemic effect beside documented fraud (the substantive one carries)',
    reasons: [reason('epidemic-revenue-decline'), reason('fraud', 'investigation-report')],
    then: () => ({ outcome: 'ALLOW', rule: 'reason-substantive' }),
  },
  {
    name: 'deterioration for review beside documented diversion (allowed outright)',
    reasons: [reason('non-epidemic-deterioration', 'financial-analysis'), reason('diversion-of-funds', 'funds-flow-record')],
    then: () => ({ outcome: 'ALLOW', rule: 'reason-substantive' }),
  },
  {
    name: 'deterioration for review beside an epidemic effect (escalates)',
    reasons: [reason('sector-exposure'), reason('non-epidemic-deterioration', 'financial-analysis')],
    then: () => ({ outcome: 'ESCALATE', rule: 'reason-needs-review' }),
  },
]

t.test('every action × protection basis × reason', async (t) => {
  for (const [basis, given] of Object.entries(BASES)) {
    for (const action of ADVERSE_ACTIONS) {
      for (const c of REASON_CASES) {
        const then = c.then(action)
        const v = judge(question(action, '2020-04-15', c.reasons, action === 'downgrade-classification' ? 'special-mention' : null), given, POLICY)
        t.equal(v.outcome, then.outcome, `given ${basis}, when ${action} for ${c.name}, then ${then.outcome}`)
        t.ok(
          v.rules.some((r) => r.code === then.rule),
          `… and rule ${then.rule} fired (${v.rules.map((r) => r.code).join(', ')})`,
        )
        t.ok(
          v.rules.some((r) => r.code === 'protected' && r.basis === basis),
          `… and the protection's basis ${basis} is reported`,
        )
      }
    }
  }
})

t.test('an unprotected borrower: every action allowed whatever the reasons, and said why', async (t) => {
  for (const action of ADVERSE_ACTIONS) {
    for (const c of REASON_CASES) {
      const v = judge(question(action, '2020-04-15', c.reasons), UNPROTECTED, POLICY)
      t.equal(v.outcome, 'ALLOW', `given no protection, when ${action} for ${c.name}, then ALLOW`)
      t.same(
        v.rules.map((r) => r.code),
        ['not-protected'],
      )
    }
  }
})

interface PeriodRow {
  readonly name: string
  readonly given: BorrowerRecord
  readonly when: string
  readonly then: { outcome: GuardOutcome; active: number; expired: number }
}

// Each basis on the day before, the first day, the last day and the day after its period.
const PERIODS: readonly PeriodRow[] = [
  { name: 'relief decided 2020-03-10: the day before', given: BASES['relief-decision'], when: '2020-03-09', then: { outcome: 'ALLOW', active: 0, expired: 0 } },
  { name: 'relief: the day it was decided', given: BASES['relief-decision'], when: '2020-03-10', then: { outcome: 'BLOCK', active: 1, expired: 0 } },
  { name: 'relief: the last day of its terms (2020-06-30)', given: BASES['relief-decision'], when: '2020-06-30', then: { outcome: 'BLOCK', active: 1, expired: 0 } },
  { name: 'relief: the day after its terms → expired', given: BASES['relief-decision'], when: '2020-07-01', then: { outcome: 'ALLOW', active: 0, expired: 1 } },
  {
    name: 'a declined relief decision protects nothing',
    given: record({ reliefs: [{ ...DEFERRAL, outcome: 'DECLINED', termsEnd: null }] }),
    when: '2020-04-15',
    then: { outcome: 'ALLOW', active: 0, expired: 0 },
  },
  { name: 'score as of 2020-03-01: the day before', given: BASES['affected-viable'], when: '2020-02-29', then: { outcome: 'ALLOW', active: 0, expired: 0 } },
  { name: 'score: its as-of day', given: BASES['affected-viable'], when: '2020-03-01', then: { outcome: 'BLOCK', active: 1, expired: 0 } },
  { name: 'score: its 180th day (2020-08-27)', given: BASES['affected-viable'], when: '2020-08-27', then: { outcome: 'BLOCK', active: 1, expired: 0 } },
  { name: 'score: the 181st day → expired', given: BASES['affected-viable'], when: '2020-08-28', then: { outcome: 'ALLOW', active: 0, expired: 1 } },
  {
    name: 'a structural decline is not the epidemic’s temporary effect: no protection',
    given: record({ score: { ...AFFECTED_VIABLE, hardship: 'structural-decline' } }),
    when: '2020-04-15',
    then: { outcome: 'ALLOW', active: 0, expired: 0 },
  },
  {
    name: 'insufficient data is never read as hardship',
    given: record({ score: { ...AFFECTED_VIABLE, hardship: 'insufficient-data' } }),
    when: '2020-04-15',
    then: { outcome: 'ALLOW', active: 0, expired: 0 },
  },
  {
    name: 'temporary shock but grade CCC: not viable',
    given: record({ score: { ...AFFECTED_VIABLE, grade: 'CCC' } }),
    when: '2020-04-15',
    then: { outcome: 'ALLOW', active: 0, expired: 0 },
  },
  { name: 'the lowest viable grade (B) protects', given: record({ score: { ...AFFECTED_VIABLE, grade: 'B' } }), when: '2020-04-15', then: { outcome: 'BLOCK', active: 1, expired: 0 } },
  { name: 'listed 2020-02-07: the day before', given: BASES['key-enterprise'], when: '2020-02-06', then: { outcome: 'ALLOW', active: 0, expired: 0 } },
  { name: 'listed: the listing day', given: BASES['key-enterprise'], when: '2020-02-07', then: { outcome: 'BLOCK', active: 1, expired: 0 } },
  {
    name: 'delisted 2020-09-01: the last listed day',
    given: record({ keyLists: [{ ...NATIONAL_LIST, delistedOn: d('2020-09-01') }] }),
    when: '2020-08-31',
    then: { outcome: 'BLOCK', active: 1, expired: 0 },
  },
  {
    name: 'delisted 2020-09-01: the delisting day → expired',
    given: record({ keyLists: [{ ...NATIONAL_LIST, delistedOn: d('2020-09-01') }] }),
    when: '2020-09-01',
    then: { outcome: 'ALLOW', active: 0, expired: 1 },
  },
  {
    name: 'an expired relief beside a listing in force: still protected, both reported',
    given: record({ reliefs: [DEFERRAL], keyLists: [NATIONAL_LIST] }),
    when: '2020-07-01',
    then: { outcome: 'BLOCK', active: 1, expired: 1 },
  },
]

t.test('protection periods, edge by edge (a call with no reason)', async (t) => {
  for (const row of PERIODS) {
    const v = judge(question('call-early', row.when, []), row.given, POLICY)
    t.equal(v.outcome, row.then.outcome, `given ${row.name}, when called early on ${row.when}, then ${row.then.outcome}`)
    t.equal(v.protections.active.length, row.then.active, '… protections in force')
    t.equal(v.protections.expired.length, row.then.expired, '… protections expired')
    t.equal(v.rules.filter((r) => r.code === 'protection-expired').length, row.then.expired, '… each expired protection reported')
  }
})

interface FloorRow {
  readonly name: string
  readonly daysPastDue: number | null
  readonly target: 'special-mention' | 'substandard' | 'doubtful' | 'loss'
  readonly then: GuardOutcome
}

// A downgrade to the floor the loan's own days past due impose is not a blind one; beyond it, it is.
const FLOORS: readonly FloorRow[] = [
  { name: 'current loan to special mention', daysPastDue: 0, target: 'special-mention', then: 'BLOCK' },
  { name: '1 day past due to special mention', daysPastDue: 1, target: 'special-mention', then: 'ALLOW' },
  { name: '90 days to substandard (floor not reached)', daysPastDue: 90, target: 'substandard', then: 'BLOCK' },
  { name: '91 days to substandard', daysPastDue: 91, target: 'substandard', then: 'ALLOW' },
  { name: '91 days to special mention (milder than the floor)', daysPastDue: 91, target: 'special-mention', then: 'ALLOW' },
  { name: '270 days to doubtful', daysPastDue: 270, target: 'doubtful', then: 'BLOCK' },
  { name: '271 days to doubtful', daysPastDue: 271, target: 'doubtful', then: 'ALLOW' },
  { name: '360 days to loss', daysPastDue: 360, target: 'loss', then: 'BLOCK' },
  { name: '361 days to loss', daysPastDue: 361, target: 'loss', then: 'ALLOW' },
  { name: 'a loan core banking has not reported', daysPastDue: null, target: 'special-mention', then: 'BLOCK' },
]

t.test('a downgrade to the overdue floor, verified against core banking’s days past due', async (t) => {
  for (const row of FLOORS) {
    const loan = row.daysPastDue === null ? null : { ...LOAN, daysPastDue: row.daysPastDue }
    const v = judge(question('downgrade-classification', '2020-04-15', [reason('overdue-classification-floor')], row.target), record({ reliefs: [DEFERRAL], loan }), POLICY)
    t.equal(v.outcome, row.then, `given a deferred loan ${row.name}, then ${row.then}`)
    if (row.then === 'BLOCK') t.ok(v.rules.some((r) => r.code === 'not-shown-by-data'), '… the data do not bear the reason out')
  }
  const noTarget = judge(question('downgrade-classification', '2020-04-15', [reason('overdue-classification-floor')], null), record({ reliefs: [DEFERRAL], loan: { ...LOAN, daysPastDue: 400 } }), POLICY)
  t.equal(noTarget.outcome, 'BLOCK', 'a downgrade that does not say to what is not borne out')
  t.equal(classificationFloorOf(0, POLICY), 'normal')
})

t.test('evidence missing names what is missing', async (t) => {
  const v = judge(question('reduce-line', '2020-04-15', [reason('diversion-of-funds', 'financial-analysis')]), BASES['relief-decision'], POLICY)
  const rule = v.rules.find((r) => r.code === 'evidence-missing')
  t.same(rule?.missing, ['funds-flow-record'])
  t.match(rule?.text, { zh: /funds-flow-record/, en: /funds-flow-record/ })
})

t.test('every rule carries Chinese and English, and names the policy version', async (t) => {
  for (const given of [...Object.values(BASES), UNPROTECTED]) {
    for (const c of REASON_CASES) {
      const v = judge(question('freeze-line', '2020-07-01', c.reasons), given, POLICY)
      t.same(v.policy, { id: 'no-blind-withdrawal', version: 1 })
      for (const r of v.rules) t.ok(r.text.zh.length > 0 && r.text.en.length > 0 && r.text.zh !== r.text.en, `${r.code} in both languages`)
    }
  }
})

t.test('the catalogue: every substantive reason names evidence or a data check; epidemic effects justify nothing', async (t) => {
  for (const r of POLICY.reasons) {
    if (r.kind === 'epidemic-effect') t.same(r.justifies, [], `${r.code} justifies nothing`)
    else t.ok(r.evidence.length > 0 || r.shownBy !== undefined, `${r.code} needs evidence or data`)
    t.ok(r.text.zh && r.text.en, `${r.code} in both languages`)
  }
  t.equal(new Set(POLICY.reasons.map((r) => r.code)).size, POLICY.reasons.length, 'codes are unique')
  t.equal(policyOn(DEFAULT_GUARD_POLICIES, d('2020-02-09')), null, 'nothing in force before the notice')
  t.equal(policyOn(DEFAULT_GUARD_POLICIES, d('2020-02-10'))?.version, 1, 'in force from the notice’s day')
})
