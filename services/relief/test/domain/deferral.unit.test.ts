// Deferral programmes (POLICY §2) as Given/When/Then tables: every window edge (day before, first
// day, last day, day after), every deferral limit, the Hubei rule and the mandatory grant.
import t from 'tap'
import type { Outcome, ReasonCode, RuleOutcome, ScoringSignal } from '../../src/domain/index.js'
import {
  GOOD_SCORE,
  HUBEI_USCC,
  INDIVIDUAL_USCC,
  POOR_SCORE,
  SIZES,
  BAD_USCC,
  application,
  d,
  deferral,
  reasonCodes,
  ruleOf,
  run as runUnder,
  FIRST_RECORDS,
  wan,
  type Given,
} from './fixtures.js'

// These tables are of the versions as first recorded (what their decisions replay under); the
// corrected versions have their own tables (deferral-corrections.unit.test.ts).
const run: typeof runUnder = (app, date, scoring, versions = FIRST_RECORDS) => runUnder(app, date, scoring, versions)

interface WindowRow {
  readonly name: string
  readonly given: Given
  readonly when: { readonly date: string; readonly request: ReturnType<typeof deferral> }
  readonly then: { readonly scope: string; readonly window: RuleOutcome; readonly outcome?: Outcome; readonly programme?: string | null }
}

// 2020-03 programme: principal due on/after 2020-01-25 (open-ended), interest due 2020-01-25…2020-06-30.
// 2020-06 programme v1: maturity 2020-06-01…2020-12-31; v2: maturity through 2021-12-31.
// 2022-Q4 programme: maturity 2022-10-01…2022-12-31.
const WINDOWS: readonly WindowRow[] = [
  {
    name: '2020-03 principal due the day before the window (2020-01-24) → outside, declined',
    given: { loan: { startDate: d('2019-01-24'), maturityDate: d('2020-01-24') } },
    when: { date: '2020-03-15', request: deferral('2020-06-30') },
    then: { scope: 'deferral-2020-03', window: 'fail', outcome: 'DECLINED', programme: null },
  },
  {
    name: '2020-03 principal due on the first day (2020-01-25) → inside, approved',
    given: { loan: { startDate: d('2019-01-25'), maturityDate: d('2020-01-25') } },
    when: { date: '2020-03-15', request: deferral('2020-06-30') },
    then: { scope: 'deferral-2020-03', window: 'pass', outcome: 'APPROVED', programme: 'deferral-2020-03@1' },
  },
  {
    name: '2020-03 principal due later (2020-06-29, the window is open-ended) → inside, approved',
    given: { loan: { startDate: d('2019-06-29'), maturityDate: d('2020-06-29') } },
    when: { date: '2020-03-15', request: deferral('2020-06-30') },
    then: { scope: 'deferral-2020-03', window: 'pass', outcome: 'APPROVED' },
  },
  {
    name: '2020-03 instalment of principal due 2020-01-25 on a loan maturing 2021 → inside',
    given: { loan: { startDate: d('2019-07-01'), maturityDate: d('2021-07-01') } },
    when: { date: '2020-03-15', request: deferral('2020-06-30', { principalDueDate: d('2020-01-25') }) },
    then: { scope: 'deferral-2020-03', window: 'pass', outcome: 'APPROVED' },
  },
  {
    name: '2020-03 interest due the day before the window (2020-01-24) → outside',
    given: { loan: { maturityDate: d('2021-07-01') } },
    when: { date: '2020-03-15', request: deferral('2020-06-30', { principal: false, interest: true, interestDueDate: d('2020-01-24') }) },
    then: { scope: 'deferral-2020-03', window: 'fail', outcome: 'DECLINED' },
  },
  {
    name: '2020-03 interest due on the first day (2020-01-25) → inside',
    given: { loan: { maturityDate: d('2021-07-01') } },
    when: { date: '2020-03-15', request: deferral('2020-06-30', { principal: false, interest: true, interestDueDate: d('2020-01-25') }) },
    then: { scope: 'deferral-2020-03', window: 'pass', outcome: 'APPROVED' },
  },
  {
    name: '2020-03 interest due on the last day (2020-06-30) → inside the window (but nothing later than 06-30 is within the limit)',
    given: { loan: { maturityDate: d('2021-07-01') } },
    when: { date: '2020-03-15', request: deferral('2020-07-01', { principal: false, interest: true, interestDueDate: d('2020-06-30') }) },
    then: { scope: 'deferral-2020-03', window: 'pass', outcome: 'DECLINED' },
  },
  {
    name: '2020-03 interest due the day after (2020-07-01) → outside',
    given: { loan: { maturityDate: d('2021-07-01') } },
    when: { date: '2020-03-15', request: deferral('2020-07-02', { principal: false, interest: true, interestDueDate: d('2020-07-01') }) },
    then: { scope: 'deferral-2020-03', window: 'fail', outcome: 'DECLINED' },
  },
  {
    name: '2020-03 principal and interest both asked, interest outside → the request is outside',
    given: { loan: { startDate: d('2019-04-30'), maturityDate: d('2020-04-30') } },
    when: { date: '2020-03-15', request: deferral('2020-06-30', { interest: true, interestDueDate: d('2020-01-20') }) },
    then: { scope: 'deferral-2020-03', window: 'fail', outcome: 'DECLINED' },
  },
  {
    name: '2020-06 v1 maturity the day before the window (2020-05-31) → outside, declined',
    given: { loan: { startDate: d('2019-05-31'), maturityDate: d('2020-05-31') } },
    when: { date: '2020-06-01', request: deferral('2021-03-31') },
    then: { scope: 'deferral-2020-06', window: 'fail', outcome: 'DECLINED', programme: null },
  },
  {
    name: '2020-06 v1 maturity on the first day (2020-06-01) → inside, mandatory grant',
    given: { loan: { startDate: d('2019-06-01'), maturityDate: d('2020-06-01') } },
    when: { date: '2020-06-01', request: deferral('2021-03-31') },
    then: { scope: 'deferral-2020-06', window: 'pass', outcome: 'APPROVED', programme: 'deferral-2020-06@1' },
  },
  {
    name: '2020-06 v1 maturity on the last day (2020-12-31) → inside, mandatory grant',
    given: { loan: { startDate: d('2019-12-31'), maturityDate: d('2020-12-31') } },
    when: { date: '2020-06-01', request: deferral('2021-03-31') },
    then: { scope: 'deferral-2020-06', window: 'pass', outcome: 'APPROVED', programme: 'deferral-2020-06@1' },
  },
  {
    name: '2020-06 v1 maturity the day after (2021-01-01) → outside, declined',
    given: { loan: { startDate: d('2020-01-01'), maturityDate: d('2021-01-01') } },
    when: { date: '2020-06-01', request: deferral('2021-03-31') },
    then: { scope: 'deferral-2020-06', window: 'fail', outcome: 'DECLINED' },
  },
  {
    name: '2020-06 v2 (applied 2021) maturity on the extended last day (2021-12-31) → inside',
    given: { loan: { startDate: d('2020-12-31'), maturityDate: d('2021-12-31') } },
    when: { date: '2021-06-15', request: deferral('2022-03-31') },
    then: { scope: 'deferral-2020-06', window: 'pass', outcome: 'APPROVED', programme: 'deferral-2020-06@2' },
  },
  {
    name: '2020-06 v2 maturity the day after the extended window (2022-01-01) → outside',
    given: { loan: { startDate: d('2021-01-01'), maturityDate: d('2022-01-01') } },
    when: { date: '2021-06-15', request: deferral('2022-03-31') },
    then: { scope: 'deferral-2020-06', window: 'fail', outcome: 'DECLINED' },
  },
  {
    name: '2020-06 v2 keeps the window start: maturity 2020-05-31 → outside, 2020-06-01 → inside',
    given: { loan: { startDate: d('2019-05-31'), maturityDate: d('2020-05-31') } },
    when: { date: '2021-01-04', request: deferral('2022-03-31') },
    then: { scope: 'deferral-2020-06', window: 'fail', outcome: 'DECLINED' },
  },
  {
    name: '2020-06 v2 window start, first day (2020-06-01) → inside',
    given: { loan: { startDate: d('2019-06-01'), maturityDate: d('2020-06-01') } },
    when: { date: '2021-01-04', request: deferral('2022-03-31') },
    then: { scope: 'deferral-2020-06', window: 'pass', outcome: 'APPROVED' },
  },
  {
    name: '2022-Q4 maturity the day before the window (2022-09-30) → outside',
    given: { loan: { startDate: d('2021-09-30'), maturityDate: d('2022-09-30') } },
    when: { date: '2022-11-15', request: deferral('2023-06-30') },
    then: { scope: 'deferral-2022-q4', window: 'fail', outcome: 'DECLINED' },
  },
  {
    name: '2022-Q4 maturity on the first day (2022-10-01) → inside',
    given: { loan: { startDate: d('2021-10-01'), maturityDate: d('2022-10-01') } },
    when: { date: '2022-11-15', request: deferral('2023-06-30') },
    then: { scope: 'deferral-2022-q4', window: 'pass', outcome: 'APPROVED', programme: 'deferral-2022-q4@1' },
  },
  {
    name: '2022-Q4 maturity on the last day (2022-12-31) → inside',
    given: { loan: { startDate: d('2021-12-31'), maturityDate: d('2022-12-31') } },
    when: { date: '2022-11-15', request: deferral('2023-06-30') },
    then: { scope: 'deferral-2022-q4', window: 'pass', outcome: 'APPROVED' },
  },
  {
    name: '2022-Q4 maturity the day after (2023-01-01) → outside',
    given: { loan: { startDate: d('2022-01-01'), maturityDate: d('2023-01-01') } },
    when: { date: '2022-11-15', request: deferral('2023-06-30') },
    then: { scope: 'deferral-2022-q4', window: 'fail', outcome: 'DECLINED' },
  },
]

t.test('programme windows', async (t) => {
  for (const row of WINDOWS) {
    t.test(row.name, async (t) => {
      const decision = run(application(row.when.request, row.given), row.when.date)
      t.equal(ruleOf(decision, 'DUE_DATE_WINDOW', row.then.scope).result, row.then.window, 'window rule')
      if (row.then.outcome !== undefined) t.equal(decision.outcome, row.then.outcome, 'outcome')
      if (row.then.programme !== undefined) {
        const applied = decision.programme === null ? null : `${decision.programme.id}@${decision.programme.version}`
        t.equal(applied, row.then.programme, 'programme')
      }
    })
  }
})

interface LimitRow {
  readonly name: string
  readonly given: Given
  readonly when: { readonly date: string; readonly deferTo: string }
  readonly then: { readonly scope: string; readonly limit: RuleOutcome; readonly outcome: Outcome }
}

const LIMITS: readonly LimitRow[] = [
  ['2020-03', '2020-03-15', '2020-04-30', '2020-06-30', '2020-07-01', 'deferral-2020-03'],
  ['2020-06 v1', '2020-07-15', '2020-08-31', '2021-03-31', '2021-04-01', 'deferral-2020-06'],
  ['2020-06 v2', '2021-07-15', '2021-08-31', '2022-03-31', '2022-04-01', 'deferral-2020-06'],
  ['2022-Q4', '2022-11-15', '2022-11-30', '2023-06-30', '2023-07-01', 'deferral-2022-q4'],
].flatMap(([programme, date, maturity, last, after, scope]) => {
  const given: Given = { loan: { startDate: d('2019-01-01'), maturityDate: d(maturity as string) } }
  return [
    { name: `${programme}: defer to the last allowed day (${last}) → within the limit`, given, when: { date: date as string, deferTo: last as string }, then: { scope: scope as string, limit: 'pass' as const, outcome: 'APPROVED' as const } },
    { name: `${programme}: defer to the day after (${after}) → beyond the limit, declined`, given, when: { date: date as string, deferTo: after as string }, then: { scope: scope as string, limit: 'fail' as const, outcome: 'DECLINED' as const } },
  ]
})

t.test('deferral limits', async (t) => {
  for (const row of LIMITS) {
    t.test(row.name, async (t) => {
      const decision = run(application(deferral(row.when.deferTo), row.given), row.when.date)
      t.equal(ruleOf(decision, 'DEFERRAL_LIMIT', row.then.scope).result, row.then.limit)
      t.equal(decision.outcome, row.then.outcome)
      if (row.then.outcome === 'DECLINED') t.ok(reasonCodes(decision).includes('RL_DEFERRAL_BEYOND_LIMIT'), 'the limit is a reason')
    })
  }
})

t.test('the extended 2020-06 programme is a later version: the application date picks it', async (t) => {
  // A loan maturing 2021-02-15 is outside version 1 (maturities to 2020-12-31) and inside version 2.
  const app = application(deferral('2021-06-30'), { loan: { startDate: d('2020-02-15'), maturityDate: d('2021-02-15') } })
  const lastDayOfV1 = run(app, '2020-12-31')
  t.equal(lastDayOfV1.outcome, 'DECLINED')
  t.same(lastDayOfV1.policyVersions.filter((v) => v.id === 'deferral-2020-06'), [{ kind: 'deferral-programme', id: 'deferral-2020-06', version: 1 }])
  const firstDayOfV2 = run(app, '2021-01-01')
  t.equal(firstDayOfV2.outcome, 'APPROVED')
  t.equal(firstDayOfV2.mandatory, true)
  t.same(firstDayOfV2.programme && [firstDayOfV2.programme.id, firstDayOfV2.programme.version], ['deferral-2020-06', 2])
})

interface MandatoryRow {
  readonly name: string
  readonly given: Given
  readonly scoring?: ScoringSignal | 'unavailable'
  readonly deferTo?: string
  readonly then: { readonly outcome: Outcome; readonly mandatory: boolean; readonly reasons?: readonly ReasonCode[] }
}

// 2020-06 v1, applied 2020-07-10 (the 2020-03 programme has ended), maturity 2020-08-31, defer to
// 2021-03-31: an inclusive small/micro loan (small firm, CNY 5 million total credit, guaranteed).
const MANDATORY: readonly MandatoryRow[] = [
  { name: 'all conditions hold, good score → APPROVED, mandatory', given: {}, then: { outcome: 'APPROVED', mandatory: true, reasons: ['RL_MANDATORY_GRANT'] } },
  {
    name: 'all conditions hold, poor score and structural decline → still APPROVED, mandatory',
    given: {},
    scoring: POOR_SCORE,
    then: { outcome: 'APPROVED', mandatory: true, reasons: ['RL_MANDATORY_GRANT'] },
  },
  { name: 'all conditions hold, scoring unavailable → still APPROVED, mandatory', given: {}, scoring: 'unavailable', then: { outcome: 'APPROVED', mandatory: true } },
  { name: 'all conditions hold, no hardship declared (not a condition of this programme) → mandatory', given: { hardshipDeclared: false }, then: { outcome: 'APPROVED', mandatory: true } },
  { name: 'the bank initiated it (the borrower did not apply) → not mandatory, referred', given: { initiatedBy: 'bank' }, then: { outcome: 'REFERRED', mandatory: false, reasons: ['RL_BANK_INITIATED'] } },
  { name: 'no commitment to keep the guarantee → not mandatory, referred', given: { keepGuarantee: false }, then: { outcome: 'REFERRED', mandatory: false, reasons: ['RL_GUARANTEE_NOT_KEPT'] } },
  {
    name: 'the guarantor does not consent (the guarantee would not stay effective) → not mandatory, referred',
    given: { loan: { guarantee: { kind: 'guarantee', guarantorConsent: false } } },
    then: { outcome: 'REFERRED', mandatory: false, reasons: ['RL_GUARANTEE_NOT_KEPT'] },
  },
  {
    name: 'an unsecured loan has no guarantee to keep → mandatory without the commitment',
    given: { loan: { guarantee: { kind: 'none', guarantorConsent: false } }, keepGuarantee: false },
    then: { outcome: 'APPROVED', mandatory: true },
  },
  { name: 'no commitment to keep jobs → not mandatory, referred', given: { keepJobs: false }, then: { outcome: 'REFERRED', mandatory: false, reasons: ['RL_JOBS_NOT_COMMITTED'] } },
  {
    name: 'no jobs commitment and a poor score → not mandatory, referred for both',
    given: { keepJobs: false },
    scoring: POOR_SCORE,
    then: { outcome: 'REFERRED', mandatory: false, reasons: ['RL_SCORE_BELOW_THRESHOLD', 'RL_HARDSHIP_STRUCTURAL', 'RL_JOBS_NOT_COMMITTED'] },
  },
  {
    name: 'total credit exactly CNY 10 million → still inclusive, mandatory',
    given: { loan: { totalCreditFen: wan(1_000) } },
    then: { outcome: 'APPROVED', mandatory: true },
  },
  {
    name: 'total credit CNY 10 million + 1 fen → not an inclusive loan, declined',
    given: { loan: { totalCreditFen: wan(1_000) + 1n } },
    then: { outcome: 'DECLINED', mandatory: false, reasons: ['RL_BORROWER_INELIGIBLE'] },
  },
  { name: 'a medium enterprise → not an inclusive loan, declined', given: { enterprise: SIZES.medium }, then: { outcome: 'DECLINED', mandatory: false, reasons: ['RL_BORROWER_INELIGIBLE'] } },
  { name: 'a micro enterprise → mandatory', given: { enterprise: SIZES.micro }, then: { outcome: 'APPROVED', mandatory: true } },
  {
    name: 'an individual business with unknown figures → inclusive whatever its size, mandatory',
    given: { enterprise: { uscc: INDIVIDUAL_USCC, ...SIZES.unknown } },
    then: { outcome: 'APPROVED', mandatory: true },
  },
  {
    name: 'an enterprise of unknown size → cannot tell, referred',
    given: { enterprise: SIZES.unknown },
    then: { outcome: 'REFERRED', mandatory: false, reasons: ['RL_BORROWER_SIZE_UNKNOWN'] },
  },
  { name: 'an invalid USCC → not mandatory, declined', given: { enterprise: { uscc: BAD_USCC } }, then: { outcome: 'DECLINED', mandatory: false, reasons: ['RL_USCC_INVALID'] } },
  { name: 'deferral asked beyond 2021-03-31 → not mandatory, declined', given: {}, deferTo: '2021-04-01', then: { outcome: 'DECLINED', mandatory: false, reasons: ['RL_DEFERRAL_BEYOND_LIMIT'] } },
]

t.test('mandatory grant of the 2020-06 programme', async (t) => {
  for (const row of MANDATORY) {
    t.test(row.name, async (t) => {
      const given: Given = { ...row.given, loan: { startDate: d('2019-08-31'), maturityDate: d('2020-08-31'), ...row.given.loan } }
      const decision = run(application(deferral(row.deferTo ?? '2021-03-31'), given), '2020-07-10', row.scoring ?? GOOD_SCORE)
      t.equal(decision.outcome, row.then.outcome, 'outcome')
      t.equal(decision.mandatory, row.then.mandatory, 'mandatory flag')
      t.equal(ruleOf(decision, 'MANDATORY_GRANT', 'deferral-2020-06').result, row.then.mandatory ? 'pass' : 'fail', 'MANDATORY_GRANT rule')
      if (row.then.reasons !== undefined) t.same(reasonCodes(decision), row.then.reasons, 'reasons')
    })
  }
})

t.test('a mandatory grant still records the failing referral rules it overrides', async (t) => {
  const decision = run(application(deferral('2021-03-31'), { loan: { maturityDate: d('2020-08-31') } }), '2020-07-10', POOR_SCORE)
  t.equal(decision.mandatory, true)
  t.equal(ruleOf(decision, 'CREDIT_SCORE').result, 'fail')
  t.equal(ruleOf(decision, 'HARDSHIP_SIGNAL').result, 'fail')
  t.equal(ruleOf(decision, 'MANDATORY_GRANT', 'deferral-2020-06').details.unmet, '')
})

interface HubeiRow {
  readonly name: string
  readonly given: Given
  readonly when: { readonly date: string; readonly deferTo: string; readonly maturity: string }
  readonly then: { readonly scope: string; readonly code: ReasonCode; readonly outcome: Outcome }
}

const HUBEI: readonly HubeiRow[] = [
  {
    name: 'a large Hubei enterprise (Wuhan, 420100) qualifies for the 2020-03 programme',
    given: { enterprise: { uscc: HUBEI_USCC, ...SIZES.largeIndustrial, regionCode: '420100' } },
    when: { date: '2020-04-15', deferTo: '2020-06-30', maturity: '2020-04-30' },
    then: { scope: 'deferral-2020-03', code: 'RL_BORROWER_REGION_ALL_ENTERPRISES', outcome: 'APPROVED' },
  },
  {
    name: 'a large enterprise in Xiantao (429004, a Hubei county-level city) qualifies',
    given: { enterprise: { ...SIZES.largeIndustrial, regionCode: '429004' } },
    when: { date: '2020-04-15', deferTo: '2020-06-30', maturity: '2020-04-30' },
    then: { scope: 'deferral-2020-03', code: 'RL_BORROWER_REGION_ALL_ENTERPRISES', outcome: 'APPROVED' },
  },
  {
    name: 'a large Shanghai enterprise (310000) does not qualify',
    given: { enterprise: { ...SIZES.largeIndustrial, regionCode: '310000' } },
    when: { date: '2020-04-15', deferTo: '2020-06-30', maturity: '2020-04-30' },
    then: { scope: 'deferral-2020-03', code: 'RL_BORROWER_INELIGIBLE', outcome: 'DECLINED' },
  },
  {
    name: 'a large Hunan enterprise (430100, prefix 43) does not qualify',
    given: { enterprise: { ...SIZES.largeIndustrial, regionCode: '430100' } },
    when: { date: '2020-04-15', deferTo: '2020-06-30', maturity: '2020-04-30' },
    then: { scope: 'deferral-2020-03', code: 'RL_BORROWER_INELIGIBLE', outcome: 'DECLINED' },
  },
  {
    name: 'a Hubei enterprise of unknown size qualifies (the region rule needs no size)',
    given: { enterprise: { ...SIZES.unknown, regionCode: '420100' } },
    when: { date: '2020-04-15', deferTo: '2020-06-30', maturity: '2020-04-30' },
    then: { scope: 'deferral-2020-03', code: 'RL_BORROWER_REGION_ALL_ENTERPRISES', outcome: 'APPROVED' },
  },
  {
    name: 'the Hubei rule belongs to the 2020-03 programme only: a large Hubei firm in 2022-Q4 does not qualify',
    given: { enterprise: { ...SIZES.largeIndustrial, regionCode: '420100' } },
    when: { date: '2022-11-15', deferTo: '2023-06-30', maturity: '2022-11-30' },
    then: { scope: 'deferral-2022-q4', code: 'RL_BORROWER_INELIGIBLE', outcome: 'DECLINED' },
  },
  {
    name: 'a large Hubei firm in June 2020: eligible under 2020-03 (not 2020-06, not inclusive) within 06-30',
    given: { enterprise: { ...SIZES.largeIndustrial, regionCode: '420100' }, loan: { totalCreditFen: wan(50_000) } },
    when: { date: '2020-06-10', deferTo: '2020-06-30', maturity: '2020-06-15' },
    then: { scope: 'deferral-2020-03', code: 'RL_BORROWER_REGION_ALL_ENTERPRISES', outcome: 'APPROVED' },
  },
]

t.test('Hubei: all enterprises qualify for the 2020-03 programme', async (t) => {
  for (const row of HUBEI) {
    t.test(row.name, async (t) => {
      const given: Given = { ...row.given, loan: { startDate: d('2019-01-01'), maturityDate: d(row.when.maturity), ...row.given.loan } }
      const decision = run(application(deferral(row.when.deferTo), given), row.when.date)
      const eligible = ruleOf(decision, 'BORROWER_ELIGIBLE', row.then.scope)
      t.equal(eligible.code, row.then.code)
      t.equal(decision.outcome, row.then.outcome)
    })
  }
})

interface ReferralRow {
  readonly name: string
  readonly given: Given
  readonly scoring: ScoringSignal | 'unavailable'
  readonly then: { readonly outcome: Outcome; readonly reasons: readonly ReasonCode[] }
}

// 2020-03 programme, discretionary: applied 2020-04-15, maturity 2020-04-30, defer to 2020-06-30.
const REFERRALS: readonly ReferralRow[] = [
  { name: 'good score, temporary shock, hardship declared → APPROVED', given: {}, scoring: GOOD_SCORE, then: { outcome: 'APPROVED', reasons: ['RL_ALL_RULES_PASSED'] } },
  { name: 'scoring unavailable → REFERRED (never stuck, never declined)', given: {}, scoring: 'unavailable', then: { outcome: 'REFERRED', reasons: ['RL_SCORING_UNAVAILABLE'] } },
  { name: 'poor score and structural decline → REFERRED, not declined', given: {}, scoring: POOR_SCORE, then: { outcome: 'REFERRED', reasons: ['RL_SCORE_BELOW_THRESHOLD', 'RL_HARDSHIP_STRUCTURAL'] } },
  {
    name: 'score just at the threshold (590, PD 6%) → APPROVED',
    given: {},
    scoring: { ...GOOD_SCORE, score: 590, grade: 'B', pdPpm: 60_000 },
    then: { outcome: 'APPROVED', reasons: ['RL_ALL_RULES_PASSED'] },
  },
  {
    name: 'score one point below (589) → REFERRED',
    given: {},
    scoring: { ...GOOD_SCORE, score: 589, grade: 'CCC', pdPpm: 60_000 },
    then: { outcome: 'REFERRED', reasons: ['RL_SCORE_BELOW_THRESHOLD'] },
  },
  {
    name: 'PD one ppm above the threshold → REFERRED',
    given: {},
    scoring: { ...GOOD_SCORE, pdPpm: 60_001 },
    then: { outcome: 'REFERRED', reasons: ['RL_SCORE_BELOW_THRESHOLD'] },
  },
  { name: 'hardship not detected in the data → REFERRED', given: {}, scoring: { ...GOOD_SCORE, hardship: 'none' }, then: { outcome: 'REFERRED', reasons: ['RL_HARDSHIP_NONE'] } },
  {
    name: 'insufficient data for the hardship signal → REFERRED',
    given: {},
    scoring: { ...GOOD_SCORE, hardship: 'insufficient-data' },
    then: { outcome: 'REFERRED', reasons: ['RL_HARDSHIP_INSUFFICIENT_DATA'] },
  },
  { name: 'no hardship declared → REFERRED', given: { hardshipDeclared: false }, scoring: GOOD_SCORE, then: { outcome: 'REFERRED', reasons: ['RL_HARDSHIP_NOT_DECLARED'] } },
  {
    name: 'a hard failure with a poor score → DECLINED, with the hard failure as the only reason',
    given: { enterprise: SIZES.large },
    scoring: POOR_SCORE,
    then: { outcome: 'DECLINED', reasons: ['RL_BORROWER_INELIGIBLE'] },
  },
  {
    name: 'a hard failure while scoring is unavailable → DECLINED (no need to wait for a score)',
    given: { enterprise: { uscc: BAD_USCC } },
    scoring: 'unavailable',
    then: { outcome: 'DECLINED', reasons: ['RL_USCC_INVALID'] },
  },
]

t.test('referral instead of automatic decline', async (t) => {
  for (const row of REFERRALS) {
    t.test(row.name, async (t) => {
      const given: Given = { ...row.given, loan: { startDate: d('2019-04-30'), maturityDate: d('2020-04-30'), ...row.given.loan } }
      const decision = run(application(deferral('2020-06-30'), given), '2020-04-15', row.scoring)
      t.equal(decision.outcome, row.then.outcome)
      t.same(reasonCodes(decision), row.then.reasons)
      t.equal(decision.mandatory, false)
      t.equal(decision.terms === null, row.then.outcome === 'DECLINED', 'terms granted or proposed unless declined')
    })
  }
})

t.test('June 2020: both programmes in force, the mandatory one is preferred and both are reported', async (t) => {
  const decision = run(application(deferral('2020-06-30'), { loan: { maturityDate: d('2020-06-15') } }), '2020-06-10', POOR_SCORE)
  t.equal(decision.outcome, 'APPROVED')
  t.equal(decision.mandatory, true)
  t.equal(decision.programme?.id, 'deferral-2020-06')
  t.same([...new Set(decision.rules.map((r) => r.scope))], ['application', 'deferral-2020-03', 'deferral-2020-06'])
  t.same(
    decision.policyVersions.map((v) => `${v.id}@${v.version}`),
    ['reference-data@1', 'bank-parameters@1', 'deferral-2020-03@1', 'deferral-2020-06@1'],
  )
})

t.test('deferral terms carry the programme effects', async (t) => {
  t.test('2020 programmes: penalty interest waived, no downgrade, credit report on the adjusted schedule', async (t) => {
    const decision = run(
      application(deferral('2020-06-30', { interest: true, interestDueDate: d('2020-03-21') }), { loan: { maturityDate: d('2020-04-30') } }),
      '2020-03-15',
    )
    t.same(decision.terms, {
      kind: 'deferral',
      principal: { dueDate: '2020-04-30', deferredTo: '2020-06-30' },
      interest: { dueDate: '2020-03-21', deferredTo: '2020-06-30' },
      effects: {
        penaltyInterestWaived: true,
        noDowngradeForEpidemicAlone: true,
        creditReportOnAdjustedSchedule: true,
        overdueDaysOnRevisedSchedule: true,
        interestAccrual: 'per-contract',
        documentsMayFollow: false,
      },
    })
    t.equal(decision.answerBy, '2020-03-25', 'answer within 10 calendar days')
  })
  t.test('2022-Q4: normal interest accrues and documents may follow', async (t) => {
    const decision = run(application(deferral('2023-06-30'), { loan: { startDate: d('2021-11-30'), maturityDate: d('2022-11-30') } }), '2022-11-15')
    t.equal(decision.outcome, 'APPROVED')
    t.match(decision.terms, { kind: 'deferral', effects: { interestAccrual: 'normal', documentsMayFollow: true, penaltyInterestWaived: true } })
  })
  t.test('no programme in force (2024) → DECLINED with that reason', async (t) => {
    const decision = run(application(deferral('2024-12-31'), { loan: { startDate: d('2023-09-30'), maturityDate: d('2024-09-30') } }), '2024-09-01')
    t.equal(decision.outcome, 'DECLINED')
    t.same(reasonCodes(decision), ['RL_NO_PROGRAMME_IN_FORCE'])
    t.equal(decision.programme, null)
    t.equal(decision.terms, null)
  })
})
