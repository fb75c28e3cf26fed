import { DEFAULT_INCLUSIVE_LOAN_RULES, parseDate, SME_SIZE_TABLE_2011 } from '@sme/domain'
import type { BankParameters, DeferralProgramme, ExtensionRules, PolicyVersion, ReferenceData, RenewalRules } from './policy.js'

/** Freezes `value` and everything reachable from it; returns it. For policy data shared by reference. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

// ---------------------------------------------------------------------------------------------
// The default versions. Figures come from POLICY §1–2; where POLICY gives no figure (the bank's own
// parameters, the last limit of the extended 2020-06 programme) the value is a documented default
// and lives here, in data, so a new version changes it without touching code.
// ---------------------------------------------------------------------------------------------

const d = parseDate

/** POLICY §2 "Effects common to all": penalty interest waived, no epidemic-only downgrade, credit report on the adjusted schedule, overdue days on the revised schedule. */
const COMMON_DEFERRAL_EFFECTS = {
  penaltyInterestWaived: true,
  noDowngradeForEpidemicAlone: true,
  creditReportOnAdjustedSchedule: true,
  overdueDaysOnRevisedSchedule: true,
} as const

/**
 * 2020-03-01 programme (POLICY §2): SMEs (incl. individual businesses) with principal due on/after
 * 2020-01-25 or interest due 2020-01-25…2020-06-30 may defer to at most 2020-06-30; in Hubei all
 * enterprises qualify. For enterprises in temporary difficulty, so hardship must be declared.
 * In force from the notice date until its deferral limit (nothing can be deferred after it).
 */
export const DEFERRAL_2020_03: DeferralProgramme = deepFreeze({
  kind: 'deferral-programme',
  id: 'deferral-2020-03',
  version: 1,
  effectiveFrom: d('2020-03-01'),
  effectiveTo: d('2020-06-30'),
  title: { zh: '中小微企业贷款临时性延期还本付息（2020年3月）', en: 'Temporary deferral for SME loans (March 2020)' },
  clause: 'POLICY §2 Temporary deferral, 2020-03-01 programme',
  source: '银保监发〔2020〕6号, 2020-03-01',
  borrowers: { criterion: 'sme', allEnterprisesInRegions: ['42'] },
  eligibility: {
    basis: 'amounts-due',
    // "principal due on/after 2020-01-25": open-ended; the deferral limit bounds it in practice.
    principalDue: { from: d('2020-01-25'), to: null },
    interestDue: { from: d('2020-01-25'), to: d('2020-06-30') },
  },
  deferUntilLatest: d('2020-06-30'),
  conditions: { borrowerApplication: false, effectiveGuarantee: false, jobsCommitment: false, hardshipDeclared: true },
  mandatory: false,
  effects: { ...COMMON_DEFERRAL_EFFECTS, interestAccrual: 'per-contract', documentsMayFollow: false },
})

/**
 * 2020-06-01 programme, version 1 (POLICY §2): inclusive small/micro loans maturing
 * 2020-06-01…2020-12-31 may defer to at most 2021-03-31; the bank **must** grant it when the
 * borrower applies, keeps an effective guarantee (or a substitute) and commits to keep jobs stable.
 */
export const DEFERRAL_2020_06_V1: DeferralProgramme = deepFreeze({
  kind: 'deferral-programme',
  id: 'deferral-2020-06',
  version: 1,
  effectiveFrom: d('2020-06-01'),
  effectiveTo: d('2020-12-31'),
  title: { zh: '普惠小微企业贷款阶段性延期还本付息（2020年6月）', en: 'Deferral for inclusive small/micro loans (June 2020)' },
  clause: 'POLICY §2 Temporary deferral, 2020-06-01 programme',
  source: '银发〔2020〕122号, 2020-06-01',
  borrowers: { criterion: 'inclusive-small-micro', allEnterprisesInRegions: [] },
  eligibility: { basis: 'loan-maturity', maturity: { from: d('2020-06-01'), to: d('2020-12-31') } },
  deferUntilLatest: d('2021-03-31'),
  conditions: { borrowerApplication: true, effectiveGuarantee: true, jobsCommitment: true, hardshipDeclared: false },
  mandatory: true,
  effects: { ...COMMON_DEFERRAL_EFFECTS, interestAccrual: 'per-contract', documentsMayFollow: false },
})

/**
 * 2020-06-01 programme, version 2: "later extended to maturities through 2021-12-31" (POLICY §2),
 * in force for applications dated 2021-01-01…2021-12-31. POLICY gives no deferral limit for the
 * extension; the default 2022-03-31 keeps version 1's reach of three months beyond the last
 * eligible maturity (a limit equal to the window's end would leave December 2021 maturities nothing
 * to defer). Configurable: a new version with another `deferUntilLatest` replaces it.
 */
export const DEFERRAL_2020_06_V2: DeferralProgramme = deepFreeze({
  ...DEFERRAL_2020_06_V1,
  version: 2,
  effectiveFrom: d('2021-01-01'),
  effectiveTo: d('2021-12-31'),
  title: { zh: '普惠小微企业贷款阶段性延期还本付息（延续至2021年底）', en: 'Deferral for inclusive small/micro loans (extended through 2021)' },
  source: '银发〔2020〕122号 as extended (银发〔2020〕324号; 2021 extension)',
  eligibility: { basis: 'loan-maturity', maturity: { from: d('2020-06-01'), to: d('2021-12-31') } },
  deferUntilLatest: d('2022-03-31'),
})

/**
 * 2022 fourth-quarter programme ("2022-11 programme", POLICY §2): small/micro loans maturing
 * 2022-10-01…2022-12-31 may defer to at most 2023-06-30; normal interest accrues; missing
 * documents may follow (容缺办理). Encouraged, not mandatory; for firms in temporary difficulty.
 * In force from 2022-11-01 (the month of the notice; configurable) until its deferral limit.
 */
export const DEFERRAL_2022_Q4: DeferralProgramme = deepFreeze({
  kind: 'deferral-programme',
  id: 'deferral-2022-q4',
  version: 1,
  effectiveFrom: d('2022-11-01'),
  effectiveTo: d('2023-06-30'),
  title: { zh: '2022年四季度到期小微企业贷款延期还本付息', en: 'Deferral for small/micro loans maturing in 2022 Q4' },
  clause: 'POLICY §2 Temporary deferral, 2022-11 programme',
  source: 'NFRA/PBoC notice of November 2022 on Q4 2022 small/micro loan deferral',
  borrowers: { criterion: 'small-micro', allEnterprisesInRegions: [] },
  eligibility: { basis: 'loan-maturity', maturity: { from: d('2022-10-01'), to: d('2022-12-31') } },
  deferUntilLatest: d('2023-06-30'),
  conditions: { borrowerApplication: false, effectiveGuarantee: false, jobsCommitment: false, hardshipDeclared: true },
  mandatory: false,
  effects: { ...COMMON_DEFERRAL_EFFECTS, interestAccrual: 'normal', documentsMayFollow: true },
})

/**
 * Extension caps, General Rules on Loans (贷款通则) art. 12 (POLICY §2): applied for before
 * maturity, with the security provider's written consent; cumulative extension at most the
 * original term (short), half of it (medium), 3 years (long).
 */
export const EXTENSION_RULES_1996: ExtensionRules = deepFreeze({
  kind: 'extension-rules',
  id: 'extension-art12',
  version: 1,
  effectiveFrom: d('1996-08-01'),
  effectiveTo: null,
  title: { zh: '贷款展期（《贷款通则》第十二条）', en: 'Loan extension (General Rules on Loans, art. 12)' },
  clause: 'POLICY §2 Extension (General Rules on Loans art. 12)',
  source: '《贷款通则》(中国人民银行令1996年第2号) 第十二条',
  applyDaysBeforeMaturity: 1,
  caps: {
    short: { kind: 'term-fraction', numerator: 1, denominator: 1 },
    medium: { kind: 'term-fraction', numerator: 1, denominator: 2 },
    long: { kind: 'calendar-years', years: 3 },
  },
  guarantorConsentRequired: true,
})

/** 《贷款通则》第十二条, quoted. */
const GENERAL_RULES_ART_12 = {
  title: '贷款通则',
  number: '中国人民银行令〔1996〕第2号',
  issuers: ['中国人民银行'],
  date: d('1996-06-28'),
  article: '第十二条 贷款展期',
  quote:
    '不能按期归还贷款的，借款人应当在贷款到期日之前，向贷款人申请贷款展期。是否展期由贷款人决定。' +
    '申请保证贷款、抵押贷款、质押贷款展期的，还应当由保证人、抵押人、出质人出具同意的书面证明。已有约定的，按照约定执行。' +
    '短期贷款展期期限累计不得超过原贷款期限；中期贷款展期期限累计不得超过原贷款期限的一半；长期贷款展期期限累计不得超过3年。' +
    '国家另有规定者除外。借款人未申请展期或申请展期未得到批准，其贷款从到期日次日起，转入逾期贷款账户。',
} as const

/**
 * Version 2 corrects version 1 from the same first day (POLICY §2 Extension). Art. 12 measures the
 * terms as contracts state them, in months: version 1 counted actual days, so it refused an
 * extension of exactly the allowed months whenever its span held a 29 February the original term did
 * not (a 12-month loan of 2019-03-01 may run to 2021-03-01, 366 days later), and half of a term of
 * an odd number of days fell a day short. Consent already agreed in the security contract counts
 * (已有约定的，按照约定执行). No state provision replacing the caps (国家另有规定者除外) is recorded yet;
 * a version adds one to `stateExceptions` with the loans it names.
 */
export const EXTENSION_RULES_1996_V2: ExtensionRules = deepFreeze({
  ...EXTENSION_RULES_1996,
  version: 2,
  source: '《贷款通则》(中国人民银行令〔1996〕第2号，1996-06-28，1996-08-01起施行) 第十二条',
  citations: [GENERAL_RULES_ART_12],
  corrects: {
    version: 1,
    reason:
      'Caps counted in calendar months of the contract term, not actual days (the text measures terms as contracts do); consent agreed in the security contract counts (已有约定的，按照约定执行)',
  },
  caps: {
    short: { kind: 'term-months', numerator: 1, denominator: 1 },
    medium: { kind: 'term-months', numerator: 1, denominator: 2 },
    long: { kind: 'calendar-years', years: 3 },
  },
  contractConsentCounts: true,
  stateExceptions: [],
})

/**
 * Renewal without principal repayment for small/micro working-capital loans (POLICY §2), before
 * medium enterprises were admitted. The effective date is the platform's record of the 2014
 * notice; a replay of those years should confirm it.
 */
export const RENEWAL_RULES_2014: RenewalRules = deepFreeze({
  kind: 'renewal-rules',
  id: 'renewal',
  version: 1,
  effectiveFrom: d('2014-07-23'),
  effectiveTo: null,
  title: { zh: '小微企业流动资金贷款无还本续贷', en: 'Renewal without principal repayment, small/micro working-capital loans' },
  clause: 'POLICY §2 Renewal without principal repayment',
  source: '银监发〔2014〕36号',
  withoutPrincipalRepayment: {
    products: ['working-capital'],
    sizes: ['small', 'micro'],
    individualBusinesses: true,
    mediumEnterprises: null,
    signDaysBeforeMaturity: 1,
  },
})

/**
 * Version 2: medium enterprises' working-capital loans too, "for maturities before 2027-09-30"
 * (POLICY §2). In force from 2024-09-30, the start of that three-year window (the platform's
 * record; configurable).
 */
export const RENEWAL_RULES_2024: RenewalRules = deepFreeze({
  ...RENEWAL_RULES_2014,
  version: 2,
  effectiveFrom: d('2024-09-30'),
  title: { zh: '无还本续贷（扩展至中型企业）', en: 'Renewal without principal repayment, extended to medium enterprises' },
  source: 'NFRA notice of September 2024 on renewal without principal repayment',
  withoutPrincipalRepayment: {
    ...RENEWAL_RULES_2014.withoutPrincipalRepayment,
    mediumEnterprises: { maturityBefore: d('2027-09-30') },
  },
})

/**
 * The bank's defaults (configurable per bank; POLICY §2 限时回复 gives no figure): answer within
 * 10 calendar days; automatic approval needs a score ≥ 590 (grade B or better on the default
 * scorecard), a PD ≤ 6% and a grade outside CCC…D; deferrals need a temporary-shock signal, while
 * extensions and renewals also accept "no hardship" (they are ordinary credit decisions).
 */
export const BANK_PARAMETERS_DEFAULT: BankParameters = deepFreeze({
  kind: 'bank-parameters',
  id: 'bank-parameters',
  version: 1,
  effectiveFrom: d('2014-01-01'),
  effectiveTo: null,
  title: { zh: '本行延期、展期、续贷审批参数', en: "The bank's relief decision parameters" },
  clause: 'POLICY §2 限时回复 (bank service level); bank credit policy',
  source: 'Bank credit committee decision (default values of the platform)',
  answerDeadlineDays: 10,
  referral: {
    minScore: 590,
    maxPdPpm: 60_000,
    referGrades: ['CCC', 'CC', 'C', 'D'],
    autoApproveHardship: {
      deferral: ['temporary-shock'],
      extension: ['none', 'temporary-shock'],
      renewal: ['none', 'temporary-shock'],
    },
  },
  lendingStandards: { minScore: 590, maxPdPpm: 60_000 },
})

/**
 * Reference data (POLICY §1): the 2011 SME size standard, the inclusive small/micro cap of CNY 10
 * million total credit, no USCC exceptions yet.
 */
export const REFERENCE_DATA_2011: ReferenceData = deepFreeze({
  kind: 'reference-data',
  id: 'reference-data',
  version: 1,
  effectiveFrom: d('2011-06-18'),
  effectiveTo: null,
  title: { zh: '企业划型与普惠小微口径', en: 'Enterprise size standard and inclusive small/micro category' },
  clause: 'POLICY §1 Enterprises',
  source: '工信部联企业〔2011〕300号; inclusive small/micro category (单户授信总额1000万元及以下)',
  // Copies: freezing this record must not freeze @sme/domain's own constants.
  smeSizeTable: structuredClone(SME_SIZE_TABLE_2011),
  inclusiveLoan: { ...DEFAULT_INCLUSIVE_LOAN_RULES },
  usccExceptions: [],
})

/** Every default version, oldest first. */
export const DEFAULT_POLICY_VERSIONS: readonly PolicyVersion[] = deepFreeze([
  REFERENCE_DATA_2011,
  BANK_PARAMETERS_DEFAULT,
  EXTENSION_RULES_1996,
  EXTENSION_RULES_1996_V2,
  RENEWAL_RULES_2014,
  RENEWAL_RULES_2024,
  DEFERRAL_2020_03,
  DEFERRAL_2020_06_V1,
  DEFERRAL_2020_06_V2,
  DEFERRAL_2022_Q4,
])
