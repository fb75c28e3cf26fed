// Extension (展期), General Rules on Loans art. 12 (《贷款通则》第十二条, 1996; POLICY §2), as Given/When/Then
// tables: each cap by term class at and beyond it, counted in calendar months (version 2) and, for
// replays, in actual days (version 1); cumulative with earlier extensions, the 1-year and 5-year term
// boundaries, state provisions replacing the caps, applying before maturity, and the guarantor's
// consent, given for the change or agreed in the contract.
import { addDays, addMonths, daysBetween, fromEpochDay, maxCumulativeExtension, toEpochDay, type CalendarDate } from '@sme/domain'
import fc from 'fast-check'
import t from 'tap'
import {
  DEFAULT_POLICY_VERSIONS,
  EXTENSION_RULES_1996,
  EXTENSION_RULES_1996_V2,
  EXTENSION_RULES_1996_V3,
  extensionLimit,
  type ExtensionRules,
  type Outcome,
  type PolicyVersion,
  type ReasonCode,
  type RuleOutcome,
  type ScoringSignal,
} from '../../src/domain/index.js'
import { GOOD_SCORE, POOR_SCORE, application, d, extension, reasonCodes, ruleOf, run, type Given } from './fixtures.js'

/** The versions as they were before the correction: what decisions made then replay under. */
const BEFORE_CORRECTION: readonly PolicyVersion[] = DEFAULT_POLICY_VERSIONS.filter((v) => v !== EXTENSION_RULES_1996_V2 && v !== EXTENSION_RULES_1996_V3)

interface CapRow {
  readonly name: string
  /** Start, current maturity and earlier extension days of the loan. */
  readonly given: { readonly start: string; readonly maturity: string; readonly previous?: number }
  readonly when: { readonly newMaturity: string }
  readonly then: { readonly termClass: 'short' | 'medium' | 'long'; readonly cap: RuleOutcome; readonly maxDays: number; readonly latest: string; readonly cumulative: number }
}

// Version 1 (actual days), kept so the decisions made under it replay as they were.
// Expected figures worked out by hand (actual days, 算头不算尾):
// 2020-03-01 → 2021-03-01 is 365 days (short, exactly one year): cap 365 days → 2022-03-01.
// 2020-03-01 → 2021-03-02 is 366 days (medium, one year and a day): cap ⌊366/2⌋ = 183 → 2021-09-01.
// 2020-01-01 → 2021-07-01 is 547 days (medium): cap 273 → 2022-03-31.
// 2020-01-01 → 2025-01-01 is 1,827 days (medium, exactly five years): cap 913 → 2027-07-03.
// 2020-01-01 → 2025-01-02 (long, five years and a day): cap 3 calendar years → 2028-01-02 (1,095 days).
const CAPS: readonly CapRow[] = [
  { name: 'short (exactly 1 year): extend by the whole original term → at the cap', given: { start: '2020-03-01', maturity: '2021-03-01' }, when: { newMaturity: '2022-03-01' }, then: { termClass: 'short', cap: 'pass', maxDays: 365, latest: '2022-03-01', cumulative: 365 } },
  { name: 'short: one day beyond the original term → beyond the cap', given: { start: '2020-03-01', maturity: '2021-03-01' }, when: { newMaturity: '2022-03-02' }, then: { termClass: 'short', cap: 'fail', maxDays: 365, latest: '2022-03-01', cumulative: 366 } },
  { name: 'short (6 months): 183-day term, extend 183 days → at the cap', given: { start: '2020-01-01', maturity: '2020-07-02' }, when: { newMaturity: '2021-01-01' }, then: { termClass: 'short', cap: 'pass', maxDays: 183, latest: '2021-01-01', cumulative: 183 } },
  { name: 'medium (1 year and a day): half the term → at the cap', given: { start: '2020-03-01', maturity: '2021-03-02' }, when: { newMaturity: '2021-09-01' }, then: { termClass: 'medium', cap: 'pass', maxDays: 183, latest: '2021-09-01', cumulative: 183 } },
  { name: 'medium (1 year and a day): one day more → beyond', given: { start: '2020-03-01', maturity: '2021-03-02' }, when: { newMaturity: '2021-09-02' }, then: { termClass: 'medium', cap: 'fail', maxDays: 183, latest: '2021-09-01', cumulative: 184 } },
  { name: 'medium (547 days): half rounds down to 273 → at the cap', given: { start: '2020-01-01', maturity: '2021-07-01' }, when: { newMaturity: '2022-03-31' }, then: { termClass: 'medium', cap: 'pass', maxDays: 273, latest: '2022-03-31', cumulative: 273 } },
  { name: 'medium (547 days): 274 days → beyond', given: { start: '2020-01-01', maturity: '2021-07-01' }, when: { newMaturity: '2022-04-01' }, then: { termClass: 'medium', cap: 'fail', maxDays: 273, latest: '2022-03-31', cumulative: 274 } },
  { name: 'medium (exactly 5 years): half the term → at the cap', given: { start: '2020-01-01', maturity: '2025-01-01' }, when: { newMaturity: '2027-07-03' }, then: { termClass: 'medium', cap: 'pass', maxDays: 913, latest: '2027-07-03', cumulative: 913 } },
  { name: 'medium (exactly 5 years): one day more → beyond', given: { start: '2020-01-01', maturity: '2025-01-01' }, when: { newMaturity: '2027-07-04' }, then: { termClass: 'medium', cap: 'fail', maxDays: 913, latest: '2027-07-03', cumulative: 914 } },
  { name: 'long (5 years and a day): 3 years → at the cap', given: { start: '2020-01-01', maturity: '2025-01-02' }, when: { newMaturity: '2028-01-02' }, then: { termClass: 'long', cap: 'pass', maxDays: 1_095, latest: '2028-01-02', cumulative: 1_095 } },
  { name: 'long (5 years and a day): 3 years and a day → beyond', given: { start: '2020-01-01', maturity: '2025-01-02' }, when: { newMaturity: '2028-01-03' }, then: { termClass: 'long', cap: 'fail', maxDays: 1_095, latest: '2028-01-02', cumulative: 1_096 } },
  { name: 'long (10 years, maturity 29 Feb): 3 years clamp to 28 Feb → at the cap', given: { start: '2018-02-28', maturity: '2028-02-29' }, when: { newMaturity: '2031-02-28' }, then: { termClass: 'long', cap: 'pass', maxDays: 1_095, latest: '2031-02-28', cumulative: 1_095 } },
  // Cumulative: the current maturity already includes earlier extensions; the cap is on the total.
  { name: 'short, 100 days extended before: 265 more → at the cap', given: { start: '2020-03-01', maturity: '2021-06-09', previous: 100 }, when: { newMaturity: '2022-03-01' }, then: { termClass: 'short', cap: 'pass', maxDays: 365, latest: '2022-03-01', cumulative: 365 } },
  { name: 'short, 100 days extended before: 266 more → beyond', given: { start: '2020-03-01', maturity: '2021-06-09', previous: 100 }, when: { newMaturity: '2022-03-02' }, then: { termClass: 'short', cap: 'fail', maxDays: 365, latest: '2022-03-01', cumulative: 366 } },
  { name: 'short, the whole cap used before: any further day → beyond', given: { start: '2020-03-01', maturity: '2022-03-01', previous: 365 }, when: { newMaturity: '2022-03-02' }, then: { termClass: 'short', cap: 'fail', maxDays: 365, latest: '2022-03-01', cumulative: 366 } },
  { name: 'medium (exactly 5 years), 900 days before: 13 more → at the cap', given: { start: '2020-01-01', maturity: '2027-06-20', previous: 900 }, when: { newMaturity: '2027-07-03' }, then: { termClass: 'medium', cap: 'pass', maxDays: 913, latest: '2027-07-03', cumulative: 913 } },
  { name: 'medium (exactly 5 years), 900 days before: 14 more → beyond', given: { start: '2020-01-01', maturity: '2027-06-20', previous: 900 }, when: { newMaturity: '2027-07-04' }, then: { termClass: 'medium', cap: 'fail', maxDays: 913, latest: '2027-07-03', cumulative: 914 } },
  { name: 'long, 1,000 days before: 95 more → at the cap', given: { start: '2020-01-01', maturity: '2027-09-29', previous: 1_000 }, when: { newMaturity: '2028-01-02' }, then: { termClass: 'long', cap: 'pass', maxDays: 1_095, latest: '2028-01-02', cumulative: 1_095 } },
  { name: 'long, 1,000 days before: 96 more → beyond', given: { start: '2020-01-01', maturity: '2027-09-29', previous: 1_000 }, when: { newMaturity: '2028-01-03' }, then: { termClass: 'long', cap: 'fail', maxDays: 1_095, latest: '2028-01-02', cumulative: 1_096 } },
  {
    name: 'the term class is the original one: a short loan extended into a longer term keeps the short cap',
    given: { start: '2020-03-01', maturity: '2021-09-01', previous: 184 },
    when: { newMaturity: '2022-03-01' },
    then: { termClass: 'short', cap: 'pass', maxDays: 365, latest: '2022-03-01', cumulative: 365 },
  },
]

t.test('extension caps of version 1, counted in actual days (replays)', async (t) => {
  for (const row of CAPS) {
    t.test(row.name, async (t) => {
      const given: Given = { loan: { startDate: d(row.given.start), maturityDate: d(row.given.maturity), previousExtensionDays: row.given.previous ?? 0 } }
      const applied = addDays(d(row.given.maturity), -10)
      const decision = run(application(extension(row.when.newMaturity), given), applied, GOOD_SCORE, BEFORE_CORRECTION)
      t.equal(decision.policyVersions.find((v) => v.id === 'extension-art12')?.version, 1)
      const cap = ruleOf(decision, 'EXTENSION_CAP', 'extension-art12')
      t.equal(cap.result, row.then.cap, 'cap rule')
      t.match(cap.details, {
        termClass: row.then.termClass,
        maxCumulativeExtensionDays: row.then.maxDays,
        latestMaturity: row.then.latest,
        cumulativeExtensionDays: row.then.cumulative,
        previousExtensionDays: row.given.previous ?? 0,
      })
      t.equal(decision.outcome, row.then.cap === 'pass' ? 'APPROVED' : 'DECLINED', 'outcome')
      if (row.then.cap === 'fail') t.same(reasonCodes(decision), ['RL_EXTENSION_BEYOND_CAP'])
    })
  }
})

interface MonthCapRow extends CapRow {
  /** What version 1 (actual days) concluded on the same application, where it differs. */
  readonly version1?: RuleOutcome
}

// Version 2 (calendar months of the contract term, from the original maturity: the corresponding day,
// or the month's last day when it has none). Worked by hand:
// 2018-03-01 → 2019-03-01 is 12 months; 12 more run to 2020-03-01, 366 days that hold 29 February 2020.
// 2019-09-01 → 2020-03-01 is 6 months (182 days); 6 more run to 2020-09-01 (184 days).
// 2020-01-01 → 2021-07-01 is 18 months; half is 9 months → 2022-04-01.
// 2020-01-15 → 2021-04-15 is 15 months; half is 7 months (→ 2021-11-15) and half of the 30 days to
//   2021-12-15, rounded down: 15 → 2021-11-30.
// 2020-01-01 → 2025-01-01 is 60 months (medium, exactly five years); half is 30 months → 2027-07-01.
// 2020-01-31 → 2020-02-29 is one month (31 January + 1 month = 29 February); one more month from
//   29 February is 29 March, not the month's end.
const MONTH_CAPS: readonly MonthCapRow[] = [
  { name: 'short, 12 months whose extension holds 29 February: 12 months → at the cap', given: { start: '2018-03-01', maturity: '2019-03-01' }, when: { newMaturity: '2020-03-01' }, then: { termClass: 'short', cap: 'pass', maxDays: 366, latest: '2020-03-01', cumulative: 366 }, version1: 'fail' },
  { name: 'short, 12 months: a day more → beyond', given: { start: '2018-03-01', maturity: '2019-03-01' }, when: { newMaturity: '2020-03-02' }, then: { termClass: 'short', cap: 'fail', maxDays: 366, latest: '2020-03-01', cumulative: 367 } },
  { name: 'short, 6 months of 182 days: 6 months of 184 days → at the cap', given: { start: '2019-09-01', maturity: '2020-03-01' }, when: { newMaturity: '2020-09-01' }, then: { termClass: 'short', cap: 'pass', maxDays: 184, latest: '2020-09-01', cumulative: 184 }, version1: 'fail' },
  { name: 'short, 6 months: a day more → beyond', given: { start: '2019-09-01', maturity: '2020-03-01' }, when: { newMaturity: '2020-09-02' }, then: { termClass: 'short', cap: 'fail', maxDays: 184, latest: '2020-09-01', cumulative: 185 } },
  { name: 'short, one month from 31 January: one month from 29 February is 29 March → at the cap', given: { start: '2020-01-31', maturity: '2020-02-29' }, when: { newMaturity: '2020-03-29' }, then: { termClass: 'short', cap: 'pass', maxDays: 29, latest: '2020-03-29', cumulative: 29 } },
  { name: 'short, one month from 31 January: the end of March → beyond', given: { start: '2020-01-31', maturity: '2020-02-29' }, when: { newMaturity: '2020-03-31' }, then: { termClass: 'short', cap: 'fail', maxDays: 29, latest: '2020-03-29', cumulative: 31 } },
  { name: 'medium, 18 months: 9 months → at the cap', given: { start: '2020-01-01', maturity: '2021-07-01' }, when: { newMaturity: '2022-04-01' }, then: { termClass: 'medium', cap: 'pass', maxDays: 274, latest: '2022-04-01', cumulative: 274 }, version1: 'fail' },
  { name: 'medium, 18 months: a day more → beyond', given: { start: '2020-01-01', maturity: '2021-07-01' }, when: { newMaturity: '2022-04-02' }, then: { termClass: 'medium', cap: 'fail', maxDays: 274, latest: '2022-04-01', cumulative: 275 } },
  { name: 'medium, 15 months: 7 months and 15 days → at the cap', given: { start: '2020-01-15', maturity: '2021-04-15' }, when: { newMaturity: '2021-11-30' }, then: { termClass: 'medium', cap: 'pass', maxDays: 229, latest: '2021-11-30', cumulative: 229 }, version1: 'fail' },
  { name: 'medium, 15 months: a day more → beyond', given: { start: '2020-01-15', maturity: '2021-04-15' }, when: { newMaturity: '2021-12-01' }, then: { termClass: 'medium', cap: 'fail', maxDays: 229, latest: '2021-11-30', cumulative: 230 } },
  { name: 'medium, exactly 5 years: 30 months → at the cap', given: { start: '2020-01-01', maturity: '2025-01-01' }, when: { newMaturity: '2027-07-01' }, then: { termClass: 'medium', cap: 'pass', maxDays: 911, latest: '2027-07-01', cumulative: 911 } },
  { name: 'medium, exactly 5 years: a day more → beyond (version 1 counted 913 days)', given: { start: '2020-01-01', maturity: '2025-01-01' }, when: { newMaturity: '2027-07-02' }, then: { termClass: 'medium', cap: 'fail', maxDays: 911, latest: '2027-07-01', cumulative: 912 }, version1: 'pass' },
  { name: 'long, 5 years and a day: 3 years → at the cap', given: { start: '2020-01-01', maturity: '2025-01-02' }, when: { newMaturity: '2028-01-02' }, then: { termClass: 'long', cap: 'pass', maxDays: 1_095, latest: '2028-01-02', cumulative: 1_095 } },
  { name: 'short, 12 months, 100 days extended before: up to 12 months in all → at the cap', given: { start: '2018-03-01', maturity: '2019-06-09', previous: 100 }, when: { newMaturity: '2020-03-01' }, then: { termClass: 'short', cap: 'pass', maxDays: 366, latest: '2020-03-01', cumulative: 366 }, version1: 'fail' },
  { name: 'short, 12 months, 100 days extended before: a day more → beyond', given: { start: '2018-03-01', maturity: '2019-06-09', previous: 100 }, when: { newMaturity: '2020-03-02' }, then: { termClass: 'short', cap: 'fail', maxDays: 366, latest: '2020-03-01', cumulative: 367 } },
]

t.test('extension caps of version 2, counted in calendar months of the contract term', async (t) => {
  for (const row of MONTH_CAPS) {
    t.test(row.name, async (t) => {
      const given: Given = { loan: { startDate: d(row.given.start), maturityDate: d(row.given.maturity), previousExtensionDays: row.given.previous ?? 0 } }
      const app = application(extension(row.when.newMaturity), given)
      const applied = addDays(d(row.given.maturity), -10)
      const decision = run(app, applied)
      t.equal(decision.policyVersions.find((v) => v.id === 'extension-art12')?.version, 3, 'version 3: version 2’s caps, with the classification stated')
      const cap = ruleOf(decision, 'EXTENSION_CAP', 'extension-art12')
      t.equal(cap.result, row.then.cap, 'cap rule')
      t.match(cap.details, {
        termClass: row.then.termClass,
        counting: row.then.termClass === 'long' ? 'calendar-years' : 'calendar-months',
        maxCumulativeExtensionDays: row.then.maxDays,
        latestMaturity: row.then.latest,
        cumulativeExtensionDays: row.then.cumulative,
      })
      t.equal(decision.outcome, row.then.cap === 'pass' ? 'APPROVED' : 'DECLINED', 'outcome')
      const before = ruleOf(run(app, applied, GOOD_SCORE, BEFORE_CORRECTION), 'EXTENSION_CAP', 'extension-art12')
      t.equal(before.result, row.version1 ?? row.then.cap, 'version 1 on the same application (what a replay shows)')
    })
  }
})

t.test('every start day of 2019–2024 and every term of 1–60 months: exactly the allowed months pass, a day more fails', async (t) => {
  // Short terms get their own number of months; medium terms (13–60 months) half of them, with half
  // the next month's days for an odd number. Checked on the limit the rule uses, 2,192 start days ×
  // 60 terms; the decision path is checked on a sample of the same loans below.
  const failures: string[] = []
  const caps = EXTENSION_RULES_1996_V2.caps
  for (let day = toEpochDay(d('2019-01-01')); day <= toEpochDay(d('2024-12-31')); day++) {
    const start = fromEpochDay(day)
    for (let months = 1; months <= 60; months++) {
      const maturity = addMonths(start, months)
      const allowed = months <= 12 ? addMonths(maturity, months) : addMonths(maturity, Math.floor(months / 2))
      const limit = extensionLimit(start, maturity, caps)
      const ok = months <= 12 || months % 2 === 0 ? limit.latestMaturity === allowed : allowed < limit.latestMaturity && limit.latestMaturity < addMonths(maturity, Math.ceil(months / 2))
      if (!ok && failures.length < 10) failures.push(`${start} + ${months} months: latest ${limit.latestMaturity}, expected ${allowed}`)
    }
  }
  t.same(failures, [])
  for (const [start, months] of [['2019-08-31', 6], ['2020-02-29', 12], ['2023-01-31', 1], ['2019-03-31', 18], ['2024-02-29', 24]] as const) {
    const maturity = addMonths(d(start), months)
    const allowed = addMonths(maturity, months <= 12 ? months : months / 2)
    const at = run(application(extension(allowed), { loan: { startDate: d(start), maturityDate: maturity } }), addDays(maturity, -5))
    const beyond = run(application(extension(addDays(allowed, 1)), { loan: { startDate: d(start), maturityDate: maturity } }), addDays(maturity, -5))
    t.equal(ruleOf(at, 'EXTENSION_CAP').result, 'pass', `${start} + ${months} months, extended to ${allowed}`)
    t.equal(ruleOf(beyond, 'EXTENSION_CAP').result, 'fail', `${start} + ${months} months, a day beyond ${allowed}`)
  }
})

/** Version 2 with one state provision (国家另有规定者除外) for loans maturing in 2020 in Hubei (42). */
const WITH_STATE_PROVISION: readonly PolicyVersion[] = [
  ...BEFORE_CORRECTION,
  {
    ...EXTENSION_RULES_1996_V2,
    stateExceptions: [
      {
        id: 'test-hubei-2020',
        title: { zh: '测试：湖北2020年到期贷款展期', en: 'Test: extension of Hubei loans maturing in 2020' },
        source: 'a provision made up for this test',
        maturity: { from: d('2020-01-01'), to: d('2020-12-31') },
        regions: ['42'],
        caps: { short: { kind: 'calendar-years', years: 2 }, medium: { kind: 'calendar-years', years: 2 }, long: { kind: 'calendar-years', years: 3 } },
      },
    ],
  } satisfies ExtensionRules,
]

t.test('a state provision replaces the caps for the loans it names (国家另有规定者除外)', async (t) => {
  const loan = { startDate: d('2019-07-01'), maturityDate: d('2020-07-01') }
  const wuhan = { enterprise: { regionCode: '420100' }, loan }
  const inHubei = run(application(extension('2022-07-01'), wuhan), '2020-06-01', GOOD_SCORE, WITH_STATE_PROVISION)
  t.equal(ruleOf(inHubei, 'EXTENSION_CAP').result, 'pass', 'two years for a 12-month loan in Hubei')
  t.same(reasonCodes(inHubei), ['RL_ALL_RULES_PASSED'])
  t.match(ruleOf(inHubei, 'EXTENSION_CAP'), { code: 'RL_EXTENSION_WITHIN_STATE_CAP', details: { stateException: 'test-hubei-2020', latestMaturity: '2022-07-01', counting: 'calendar-years' } })
  const beyond = run(application(extension('2022-07-02'), wuhan), '2020-06-01', GOOD_SCORE, WITH_STATE_PROVISION)
  t.same(reasonCodes(beyond), ['RL_EXTENSION_BEYOND_STATE_CAP'])
  const elsewhere = run(application(extension('2022-07-01'), { loan }), '2020-06-01', GOOD_SCORE, WITH_STATE_PROVISION)
  t.same(reasonCodes(elsewhere), ['RL_EXTENSION_BEYOND_CAP'], 'Fuzhou: art. 12 applies')
  t.notOk('stateException' in ruleOf(elsewhere, 'EXTENSION_CAP').details)
  const later = run(
    application(extension('2023-01-15'), { enterprise: { regionCode: '420100' }, loan: { startDate: d('2020-01-15'), maturityDate: d('2021-01-15') } }),
    '2021-01-01',
    GOOD_SCORE,
    WITH_STATE_PROVISION,
  )
  t.same(reasonCodes(later), ['RL_EXTENSION_BEYOND_CAP'], 'a 2021 maturity in Hubei: art. 12 applies')
})

t.test('consent already agreed in the security contract counts (已有约定的，按照约定执行)', async (t) => {
  const rows: readonly { name: string; guarantee: { kind: 'guarantee' | 'collateral' | 'pledge'; guarantorConsent: boolean; consentInContract?: boolean }; versions: readonly PolicyVersion[]; then: { reasons: readonly ReasonCode[]; consent: string | undefined } }[] = [
    { name: 'agreed in the guarantee contract, no new writing → APPROVED', guarantee: { kind: 'guarantee', guarantorConsent: false, consentInContract: true }, versions: DEFAULT_POLICY_VERSIONS, then: { reasons: ['RL_ALL_RULES_PASSED'], consent: 'in-contract' } },
    { name: 'agreed in the mortgage contract → APPROVED', guarantee: { kind: 'collateral', guarantorConsent: false, consentInContract: true }, versions: DEFAULT_POLICY_VERSIONS, then: { reasons: ['RL_ALL_RULES_PASSED'], consent: 'in-contract' } },
    { name: 'written consent for this change → APPROVED', guarantee: { kind: 'pledge', guarantorConsent: true }, versions: DEFAULT_POLICY_VERSIONS, then: { reasons: ['RL_ALL_RULES_PASSED'], consent: 'written' } },
    { name: 'neither → DECLINED', guarantee: { kind: 'guarantee', guarantorConsent: false, consentInContract: false }, versions: DEFAULT_POLICY_VERSIONS, then: { reasons: ['RL_GUARANTOR_NO_CONSENT'], consent: 'none' } },
    { name: 'agreed in the contract under version 1 (replay) → DECLINED as then', guarantee: { kind: 'guarantee', guarantorConsent: false, consentInContract: true }, versions: BEFORE_CORRECTION, then: { reasons: ['RL_GUARANTOR_NO_CONSENT'], consent: undefined } },
  ]
  for (const row of rows) {
    const decision = run(application(extension('2021-06-01'), { loan: { ...LOAN, guarantee: row.guarantee } }), '2021-02-01', GOOD_SCORE, row.versions)
    t.same(reasonCodes(decision), row.then.reasons, row.name)
    t.equal(ruleOf(decision, 'GUARANTOR_CONSENT').details.consent, row.then.consent, `${row.name}: consent recorded`)
  }
})

interface ExtensionRow {
  readonly name: string
  readonly given: Given
  readonly when: { readonly date: string; readonly scoring?: ScoringSignal | 'unavailable' }
  readonly then: { readonly outcome: Outcome; readonly reasons: readonly ReasonCode[] }
}

// A one-year loan 2020-03-01 → 2021-03-01, collateral with the mortgagor's consent, extended 3 months.
const LOAN = { startDate: d('2020-03-01'), maturityDate: d('2021-03-01'), guarantee: { kind: 'collateral', guarantorConsent: true } } as const
const EXTENSIONS: readonly ExtensionRow[] = [
  { name: 'applied the day before maturity → in time, APPROVED', given: {}, when: { date: '2021-02-28' }, then: { outcome: 'APPROVED', reasons: ['RL_ALL_RULES_PASSED'] } },
  { name: 'applied on the maturity date → not before maturity, DECLINED', given: {}, when: { date: '2021-03-01' }, then: { outcome: 'DECLINED', reasons: ['RL_EXTENSION_APPLIED_LATE'] } },
  { name: 'applied the day after maturity (already overdue) → DECLINED', given: {}, when: { date: '2021-03-02' }, then: { outcome: 'DECLINED', reasons: ['RL_EXTENSION_APPLIED_LATE'] } },
  {
    name: 'mortgagor has not consented in writing → DECLINED',
    given: { loan: { guarantee: { kind: 'collateral', guarantorConsent: false } } },
    when: { date: '2021-02-01' },
    then: { outcome: 'DECLINED', reasons: ['RL_GUARANTOR_NO_CONSENT'] },
  },
  {
    name: 'guarantor has not consented in writing → DECLINED',
    given: { loan: { guarantee: { kind: 'guarantee', guarantorConsent: false } } },
    when: { date: '2021-02-01' },
    then: { outcome: 'DECLINED', reasons: ['RL_GUARANTOR_NO_CONSENT'] },
  },
  {
    name: 'pledgor has not consented in writing → DECLINED',
    given: { loan: { guarantee: { kind: 'pledge', guarantorConsent: false } } },
    when: { date: '2021-02-01' },
    then: { outcome: 'DECLINED', reasons: ['RL_GUARANTOR_NO_CONSENT'] },
  },
  {
    name: 'unsecured loan: no consent needed → APPROVED',
    given: { loan: { guarantee: { kind: 'none', guarantorConsent: false } } },
    when: { date: '2021-02-01' },
    then: { outcome: 'APPROVED', reasons: ['RL_ALL_RULES_PASSED'] },
  },
  { name: 'scoring unavailable → REFERRED', given: {}, when: { date: '2021-02-01', scoring: 'unavailable' }, then: { outcome: 'REFERRED', reasons: ['RL_SCORING_UNAVAILABLE'] } },
  { name: 'poor score and structural decline → REFERRED', given: {}, when: { date: '2021-02-01', scoring: POOR_SCORE }, then: { outcome: 'REFERRED', reasons: ['RL_SCORE_BELOW_THRESHOLD', 'RL_HARDSHIP_STRUCTURAL'] } },
  { name: 'no hardship in the data is fine for an extension → APPROVED', given: {}, when: { date: '2021-02-01', scoring: { ...GOOD_SCORE, hardship: 'none' } }, then: { outcome: 'APPROVED', reasons: ['RL_ALL_RULES_PASSED'] } },
  {
    name: 'late and without consent, poor score → DECLINED with both hard reasons only',
    given: { loan: { guarantee: { kind: 'guarantee', guarantorConsent: false } } },
    when: { date: '2021-03-05', scoring: POOR_SCORE },
    then: { outcome: 'DECLINED', reasons: ['RL_EXTENSION_APPLIED_LATE', 'RL_GUARANTOR_NO_CONSENT'] },
  },
]

t.test('extension: applied before maturity, guarantor consent, referrals', async (t) => {
  for (const row of EXTENSIONS) {
    t.test(row.name, async (t) => {
      const decision = run(application(extension('2021-06-01'), { ...row.given, loan: { ...LOAN, ...row.given.loan } }), row.when.date, row.when.scoring ?? GOOD_SCORE)
      t.equal(decision.outcome, row.then.outcome)
      t.same(reasonCodes(decision), row.then.reasons)
      t.equal(decision.mandatory, false)
    })
  }
})

t.test('extension terms: the new maturity, the days used, and the rate tier when the term crosses one', async (t) => {
  const decision = run(application(extension('2021-06-01'), { loan: LOAN }), '2021-02-01')
  t.same(decision.terms, {
    kind: 'extension',
    previousMaturity: '2021-03-01',
    newMaturity: '2021-06-01',
    extensionDays: 92,
    cumulativeExtensionDays: 92,
    maxCumulativeExtensionDays: 365,
    latestMaturity: '2022-03-01',
    termClass: 'short',
    termClassAfterExtension: 'medium',
    newRateTierFrom: '2021-03-01',
    classification: {
      before: 'normal',
      after: 'substandard',
      floor: 'normal',
      daysPastDue: 0,
      financialDifficulty: ['hardship-declared', 'hardship-signal'],
      restructured: true,
      rules: '《贷款风险分类指引》(银监发〔2007〕54号) 第十二条',
      restructuredFloor: 'substandard',
      observation: { minimumMonths: 6, minimumRepaymentPeriods: null },
      basis: 'restructured asset',
    },
  })
  t.same(decision.programme, { kind: 'extension-rules', id: 'extension-art12', version: 3, title: EXTENSION_RULES_1996_V3.title })
  const withinTier = run(application(extension('2021-06-01'), { loan: { ...LOAN, startDate: d('2019-01-01') } }), '2021-02-01')
  t.match(withinTier.terms, { termClass: 'medium', termClassAfterExtension: 'medium', newRateTierFrom: null })
})

t.test('with the art. 12 caps, extensionLimit agrees with @sme/domain maxCumulativeExtension; version 1 with actual days', async (t) => {
  const base = toEpochDay(d('2000-01-01'))
  const pick = ({ termClass, originalTermDays, maxExtensionDays, latestMaturity }: ReturnType<typeof extensionLimit>) => ({ termClass, originalTermDays, maxExtensionDays, latestMaturity })
  // The first reading, written out: the original term in actual days, half rounded down, or 3 years.
  const byDays = (start: CalendarDate, maturity: CalendarDate): CalendarDate => {
    const days = daysBetween(start, maturity)
    const cls = maxCumulativeExtension(start, maturity).termClass
    return cls === 'short' ? addDays(maturity, days) : cls === 'medium' ? addDays(maturity, Math.floor(days / 2)) : addMonths(maturity, 36)
  }
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 12_000 }), fc.integer({ min: 1, max: 4_000 }), (offset, termDays) => {
      const start = fromEpochDay(base + offset)
      const maturity = addDays(start, termDays)
      t.strictSame(pick(extensionLimit(start, maturity, EXTENSION_RULES_1996_V2.caps)), maxCumulativeExtension(start, maturity))
      t.equal(extensionLimit(start, maturity, EXTENSION_RULES_1996.caps).latestMaturity, byDays(start, maturity))
    }),
    { numRuns: 500 },
  )
})
