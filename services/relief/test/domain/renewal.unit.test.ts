// Renewal (续贷) and renewal without principal repayment (无还本续贷), POLICY §2, as Given/When/Then
// tables: eligibility (product, size, the medium-enterprise cut-off, signing before maturity) and
// each keep-normal condition failing on its own.
import t from 'tap'
import type { Outcome, ReasonCode, RenewalStanding, RuleId, ScoringSignal } from '../../src/domain/index.js'
import { DEFAULT_POLICY_VERSIONS } from '../../src/domain/index.js'
import { FIRST_RECORDS, GOOD_SCORE, GOOD_STANDING, INDIVIDUAL_USCC, POOR_SCORE, SIZES, application, d, reasonCodes, renewal, ruleOf, run as runUnder, type Given } from './fixtures.js'

// The first tables are of the versions as first recorded (what their decisions replay under); the
// renewal rules as corrected against 金规〔2024〕13号 (version 3) have the last table.
const run: typeof runUnder = (app, date, scoring, versions = FIRST_RECORDS) => runUnder(app, date, scoring, versions)

interface EligibilityRow {
  readonly name: string
  readonly given: Given
  readonly when: { readonly date: string; readonly withoutPrincipalRepayment?: boolean }
  readonly then: { readonly outcome: Outcome; readonly reasons: readonly ReasonCode[]; readonly version?: number }
}

// A small retail firm's working-capital loan maturing 2025-06-30, renewed to 2026-06-30.
const MATURITY = '2025-06-30'
const ELIGIBILITY: readonly EligibilityRow[] = [
  { name: 'small firm, working capital, applied a month ahead → APPROVED, stays normal', given: {}, when: { date: '2025-06-01' }, then: { outcome: 'APPROVED', reasons: ['RL_ALL_RULES_PASSED'], version: 2 } },
  { name: 'micro firm → APPROVED', given: { enterprise: SIZES.micro }, when: { date: '2025-06-01' }, then: { outcome: 'APPROVED', reasons: ['RL_ALL_RULES_PASSED'] } },
  {
    name: 'individual business of unknown size → eligible, APPROVED',
    given: { enterprise: { uscc: INDIVIDUAL_USCC, ...SIZES.unknown } },
    when: { date: '2025-06-01' },
    then: { outcome: 'APPROVED', reasons: ['RL_ALL_RULES_PASSED'] },
  },
  { name: 'a fixed-asset loan → not working capital, DECLINED', given: { loan: { product: 'fixed-asset' } }, when: { date: '2025-06-01' }, then: { outcome: 'DECLINED', reasons: ['RL_RENEWAL_PRODUCT_INELIGIBLE'] } },
  { name: 'a large enterprise → DECLINED', given: { enterprise: SIZES.large }, when: { date: '2025-06-01' }, then: { outcome: 'DECLINED', reasons: ['RL_RENEWAL_BORROWER_INELIGIBLE'] } },
  { name: 'an enterprise of unknown size → REFERRED', given: { enterprise: SIZES.unknown }, when: { date: '2025-06-01' }, then: { outcome: 'REFERRED', reasons: ['RL_BORROWER_SIZE_UNKNOWN'] } },
  {
    name: 'medium enterprise, maturity 2027-09-29 (the day before the cut-off) → APPROVED',
    given: { enterprise: SIZES.medium, loan: { startDate: d('2026-09-29'), maturityDate: d('2027-09-29') } },
    when: { date: '2027-09-01' },
    then: { outcome: 'APPROVED', reasons: ['RL_ALL_RULES_PASSED'] },
  },
  {
    name: 'medium enterprise, maturity 2027-09-30 (the cut-off itself, "before" is strict) → DECLINED',
    given: { enterprise: SIZES.medium, loan: { startDate: d('2026-09-30'), maturityDate: d('2027-09-30') } },
    when: { date: '2027-09-01' },
    then: { outcome: 'DECLINED', reasons: ['RL_RENEWAL_MEDIUM_AFTER_CUTOFF'] },
  },
  {
    name: 'medium enterprise under the 2014 rules (applied 2024-09-29) → DECLINED',
    given: { enterprise: SIZES.medium, loan: { startDate: d('2023-10-31'), maturityDate: d('2024-10-31') } },
    when: { date: '2024-09-29' },
    then: { outcome: 'DECLINED', reasons: ['RL_RENEWAL_BORROWER_INELIGIBLE'], version: 1 },
  },
  {
    name: 'medium enterprise under the 2024 rules (applied 2024-09-30) → APPROVED',
    given: { enterprise: SIZES.medium, loan: { startDate: d('2023-10-31'), maturityDate: d('2024-10-31') } },
    when: { date: '2024-09-30' },
    then: { outcome: 'APPROVED', reasons: ['RL_ALL_RULES_PASSED'], version: 2 },
  },
  { name: 'applied the day before maturity → the contract can still be signed, APPROVED', given: {}, when: { date: '2025-06-29' }, then: { outcome: 'APPROVED', reasons: ['RL_ALL_RULES_PASSED'] } },
  { name: 'applied on the maturity date → too late to sign before it, DECLINED', given: {}, when: { date: '2025-06-30' }, then: { outcome: 'DECLINED', reasons: ['RL_RENEWAL_TOO_LATE'] } },
  { name: 'applied after maturity → DECLINED', given: {}, when: { date: '2025-07-01' }, then: { outcome: 'DECLINED', reasons: ['RL_RENEWAL_TOO_LATE'] } },
  {
    name: 'ordinary renewal (principal repaid) of a large firm\'s fixed-asset loan after maturity → eligibility rules do not apply, APPROVED',
    given: { enterprise: SIZES.large, loan: { product: 'fixed-asset' } },
    when: { date: '2025-07-01', withoutPrincipalRepayment: false },
    then: { outcome: 'APPROVED', reasons: ['RL_ALL_RULES_PASSED'] },
  },
  {
    name: 'guarantor does not consent to secure the new loan → REFERRED (an officer decides on the security)',
    given: { loan: { guarantee: { kind: 'guarantee', guarantorConsent: false } } },
    when: { date: '2025-06-01' },
    then: { outcome: 'REFERRED', reasons: ['RL_GUARANTOR_NO_CONSENT'] },
  },
]

t.test('renewal eligibility', async (t) => {
  for (const row of ELIGIBILITY) {
    t.test(row.name, async (t) => {
      const given: Given = { ...row.given, loan: { startDate: d('2024-06-30'), maturityDate: d(MATURITY), ...row.given.loan } }
      const request = renewal('2028-06-30', { withoutPrincipalRepayment: row.when.withoutPrincipalRepayment ?? true })
      const decision = run(application(request, given), row.when.date)
      t.equal(decision.outcome, row.then.outcome, 'outcome')
      t.same(reasonCodes(decision), row.then.reasons, 'reasons')
      if (row.then.version !== undefined) {
        t.equal(decision.policyVersions.find((v) => v.id === 'renewal')?.version, row.then.version, 'renewal rules version in force')
      }
    })
  }
})

interface KeepNormalRow {
  readonly name: string
  readonly given: Given
  readonly standing?: Partial<RenewalStanding>
  readonly scoring?: ScoringSignal | 'unavailable'
  readonly then: { readonly failing: readonly RuleId[]; readonly reasons: readonly ReasonCode[] }
}

// Each keep-normal condition failing alone: the renewal is referred and the renewed loan is to be
// classified on repayment capacity, not kept normal.
const KEEP_NORMAL: readonly KeepNormalRow[] = [
  { name: 'original loan special-mention → not kept normal', given: { loan: { classification: 'special-mention' } }, then: { failing: ['RENEWAL_ORIGINAL_NORMAL'], reasons: ['RL_ORIGINAL_NOT_NORMAL'] } },
  { name: 'original loan substandard → not kept normal', given: { loan: { classification: 'substandard' } }, then: { failing: ['RENEWAL_ORIGINAL_NORMAL'], reasons: ['RL_ORIGINAL_NOT_NORMAL'] } },
  { name: 'not operating lawfully and stably → not kept normal', given: {}, standing: { lawfulAndStable: false }, then: { failing: ['RENEWAL_LAWFUL_STABLE'], reasons: ['RL_NOT_LAWFUL_STABLE'] } },
  { name: 'loan funds diverted → not kept normal', given: {}, standing: { fundsDiverted: true }, then: { failing: ['RENEWAL_NO_DIVERTED_FUNDS'], reasons: ['RL_FUNDS_DIVERTED'] } },
  { name: 'interest unpaid → not kept normal', given: {}, standing: { interestUnpaid: true }, then: { failing: ['RENEWAL_NO_UNPAID_INTEREST'], reasons: ['RL_UNPAID_INTEREST'] } },
  { name: 'an amount 3 days past due → not kept normal', given: { loan: { daysPastDue: 3 } }, then: { failing: ['RENEWAL_NO_UNPAID_INTEREST'], reasons: ['RL_UNPAID_INTEREST'] } },
  { name: 'debt evasion → not kept normal', given: {}, standing: { debtEvasion: true }, then: { failing: ['RENEWAL_NO_DEBT_EVASION'], reasons: ['RL_DEBT_EVASION'] } },
  {
    name: 'below the lending standards (score 580) → not kept normal, and the score refers too',
    given: {},
    scoring: { ...GOOD_SCORE, score: 580, grade: 'CCC' },
    then: { failing: ['CREDIT_SCORE', 'RENEWAL_LENDING_STANDARDS'], reasons: ['RL_SCORE_BELOW_THRESHOLD', 'RL_BELOW_LENDING_STANDARDS'] },
  },
  {
    name: 'scoring unavailable → lending standards unknown, not kept normal',
    given: {},
    scoring: 'unavailable',
    then: { failing: ['SCORING_AVAILABLE', 'RENEWAL_LENDING_STANDARDS'], reasons: ['RL_SCORING_UNAVAILABLE', 'RL_LENDING_STANDARDS_UNKNOWN'] },
  },
]

t.test('renewal keep-normal conditions', async (t) => {
  for (const row of KEEP_NORMAL) {
    t.test(row.name, async (t) => {
      const given: Given = { ...row.given, loan: { startDate: d('2024-06-30'), maturityDate: d(MATURITY), ...row.given.loan } }
      const request = renewal('2026-06-30', { standing: { ...GOOD_STANDING, ...row.standing } })
      const decision = run(application(request, given), '2025-06-01', row.scoring ?? GOOD_SCORE)
      t.equal(decision.outcome, 'REFERRED', 'referred for an officer to classify on repayment capacity')
      t.same(
        decision.rules.filter((r) => r.result === 'fail').map((r) => r.rule),
        row.then.failing,
        'only the condition under test fails',
      )
      t.same(reasonCodes(decision), row.then.reasons, 'reasons')
      t.match(decision.terms, { kind: 'renewal', renewedClassification: 'on-repayment-capacity' })
    })
  }
})

t.test('renewal terms when every condition holds', async (t) => {
  const decision = run(application(renewal('2026-06-30'), { loan: { startDate: d('2024-06-30'), maturityDate: d(MATURITY) } }), '2025-06-01')
  t.same(decision.terms, {
    kind: 'renewal',
    withoutPrincipalRepayment: true,
    newMaturity: '2026-06-30',
    signContractBy: '2025-06-29',
    renewedClassification: 'normal',
  })
  t.same(decision.policyVersions, [
    { kind: 'reference-data', id: 'reference-data', version: 1 },
    { kind: 'bank-parameters', id: 'bank-parameters', version: 1 },
    { kind: 'renewal-rules', id: 'renewal', version: 2 },
  ])
  t.equal(ruleOf(decision, 'RENEWAL_BORROWER').code, 'RL_RENEWAL_BORROWER_SMALL_MICRO')
})

t.test('a poor score and structural decline with all hard rules passing → REFERRED, never declined', async (t) => {
  const decision = run(application(renewal('2026-06-30'), { loan: { startDate: d('2024-06-30'), maturityDate: d(MATURITY) } }), '2025-06-01', POOR_SCORE)
  t.equal(decision.outcome, 'REFERRED')
  t.same(reasonCodes(decision), ['RL_SCORE_BELOW_THRESHOLD', 'RL_HARDSHIP_STRUCTURAL', 'RL_BELOW_LENDING_STANDARDS'])
})

interface CorrectedRow {
  readonly name: string
  readonly given: Given
  readonly when: { readonly date: string }
  readonly then: { readonly outcome: Outcome; readonly reasons: readonly ReasonCode[]; readonly version: number | null }
  /** What the first records decided on the same application, when it differs. */
  readonly firstRecords?: Outcome
}

// 金规〔2024〕13号 (NFRA, 2024-09-24): 可以办理续期的贷款产品包括小微企业流动资金贷款和小微企业主、个体工商户及农户经营性贷款等;
// 对2027年9月30日前到期的中型企业流动资金贷款…可以参照小微企业续贷政策办理续贷; 临时存在资金困难的债务人…经其主动申请.
const CORRECTED: readonly CorrectedRow[] = [
  {
    name: 'medium enterprise applying on 2024-09-24, the notice’s date → APPROVED under version 6 (version 3 with the natural persons of 13号 and 40号)',
    given: { enterprise: SIZES.medium, loan: { startDate: d('2023-10-31'), maturityDate: d('2024-10-31') } },
    when: { date: '2024-09-24' },
    then: { outcome: 'APPROVED', reasons: ['RL_ALL_RULES_PASSED'], version: 6 },
    firstRecords: 'DECLINED',
  },
  {
    name: 'medium enterprise on 2024-09-23, the day before → DECLINED under the 2014 rules',
    given: { enterprise: SIZES.medium, loan: { startDate: d('2023-10-31'), maturityDate: d('2024-10-31') } },
    when: { date: '2024-09-23' },
    then: { outcome: 'DECLINED', reasons: ['RL_RENEWAL_BORROWER_INELIGIBLE'], version: null },
  },
  {
    name: 'medium enterprise, maturity 2027-09-30 (the cut-off day, included) → APPROVED',
    given: { enterprise: SIZES.medium, loan: { startDate: d('2026-09-30'), maturityDate: d('2027-09-30') } },
    when: { date: '2027-09-01' },
    then: { outcome: 'APPROVED', reasons: ['RL_ALL_RULES_PASSED'], version: 6 },
    firstRecords: 'DECLINED',
  },
  {
    name: 'medium enterprise, maturity 2027-10-01 → DECLINED',
    given: { enterprise: SIZES.medium, loan: { startDate: d('2026-10-01'), maturityDate: d('2027-10-01') } },
    when: { date: '2027-09-01' },
    then: { outcome: 'DECLINED', reasons: ['RL_RENEWAL_MEDIUM_AFTER_CUTOFF'], version: null },
  },
  {
    name: 'an individual business’s fixed-asset business loan → APPROVED (经营性贷款)',
    given: { enterprise: { uscc: INDIVIDUAL_USCC, ...SIZES.unknown }, loan: { product: 'fixed-asset' } },
    when: { date: '2025-06-01' },
    then: { outcome: 'APPROVED', reasons: ['RL_ALL_RULES_PASSED'], version: 6 },
    firstRecords: 'DECLINED',
  },
  {
    name: 'a small enterprise’s fixed-asset loan → DECLINED: for enterprises, working capital only',
    given: { loan: { product: 'fixed-asset' } },
    when: { date: '2025-06-01' },
    then: { outcome: 'DECLINED', reasons: ['RL_RENEWAL_PRODUCT_INELIGIBLE'], version: null },
  },
  {
    name: 'renewal the bank starts → REFERRED: the debtor applies itself (经其主动申请)',
    given: { initiatedBy: 'bank' },
    when: { date: '2025-06-01' },
    then: { outcome: 'REFERRED', reasons: ['RL_BANK_INITIATED'], version: 6 },
    firstRecords: 'APPROVED',
  },
  {
    name: 'no funding difficulty declared → REFERRED: for debtors in temporary difficulty (临时存在资金困难)',
    given: { hardshipDeclared: false },
    when: { date: '2025-06-01' },
    then: { outcome: 'REFERRED', reasons: ['RL_HARDSHIP_NOT_DECLARED'], version: 6 },
    firstRecords: 'APPROVED',
  },
]

t.test('renewal under 金规〔2024〕13号 (version 3), and what the first records decided', async (t) => {
  for (const row of CORRECTED) {
    t.test(row.name, async (t) => {
      const app = application(renewal('2028-06-30'), { ...row.given, loan: { startDate: d('2024-06-30'), maturityDate: d(MATURITY), ...row.given.loan } })
      const decision = run(app, row.when.date, GOOD_SCORE, DEFAULT_POLICY_VERSIONS)
      t.equal(decision.outcome, row.then.outcome, 'outcome')
      t.same(reasonCodes(decision), row.then.reasons, 'reasons')
      t.equal(decision.programme?.version ?? null, row.then.version, 'renewal rules version (none when declined)')
      t.equal(run(app, row.when.date).outcome, row.firstRecords ?? row.then.outcome, 'first records')
    })
  }
})
