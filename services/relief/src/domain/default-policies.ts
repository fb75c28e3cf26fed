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

// ---------------------------------------------------------------------------------------------
// Corrected deferral records. Read against the notices, the first records made the 2021 rounds a
// mandatory grant (they are decided by bank and firm together), cited one notice for what two did,
// refused interest-only deferral under 122号 unless the loan matured in its window, declined what
// the notices leave to agreement, let the bank start a March 2020 deferral the firm had not asked
// for, left 2022 before the fourth quarter without a programme, and put the 2022-Q4 programme in
// force before it was announced. Each correction names the versions it corrects; those stay, so
// decisions made under them replay as they were.
// ---------------------------------------------------------------------------------------------

const NOTICE_2020_6 = {
  title: '关于对中小微企业贷款实施临时性延期还本付息的通知',
  number: '银保监发〔2020〕6号',
  issuers: ['中国银保监会', '中国人民银行', '国家发展改革委', '工业和信息化部', '财政部'],
  date: d('2020-03-01'),
} as const

/**
 * 2020-03-01 programme, version 2 (银保监发〔2020〕6号): acts on the enterprise's application
 * (应根据企业申请), so a deferral the bank starts is referred; firms hit hard with a long recovery
 * and good prospects may agree a further arrangement beyond 2020-06-30 (另外的延期安排): referred,
 * not declined.
 */
export const DEFERRAL_2020_03_V2: DeferralProgramme = deepFreeze({
  ...DEFERRAL_2020_03,
  version: 2,
  source: '银保监发〔2020〕6号《关于对中小微企业贷款实施临时性延期还本付息的通知》(银保监会、人民银行、发展改革委、工业和信息化部、财政部，2020-03-01)',
  citations: [
    {
      ...NOTICE_2020_6,
      article: '一、对中小微企业贷款实施临时性延期还本付息',
      quote:
        '对于2020年1月25日以来到期的困难中小微企业（含小微企业主、个体工商户）贷款本金，银行业金融机构应根据企业申请，给予企业一定期限的临时性延期还本安排。还本日期最长可延至2020年6月30日。' +
        '对2020年1月25日至6月30日中小微企业需支付的贷款利息，银行业金融机构应根据企业申请，给予企业一定期限的延期付息安排。贷款付息日期最长可延至2020年6月30日，并免收罚息。',
    },
    {
      ...NOTICE_2020_6,
      article: '一、对中小微企业贷款实施临时性延期还本付息',
      quote: '对于受疫情影响严重、恢复周期较长且发展前景良好的中小微企业，银行业金融机构可根据实际情况与企业协商确定另外的延期安排。',
    },
  ],
  corrects: { versions: [1], reason: 'The notice acts on the enterprise’s application (应根据企业申请); a further arrangement beyond 2020-06-30 is agreed with the firm (另外的延期安排), not declined' },
  conditions: { ...DEFERRAL_2020_03.conditions, borrowerApplication: true },
  effects: { ...DEFERRAL_2020_03.effects, instructionsOnTerms: true },
  negotiable: {
    borrowers: 'sme',
    maturity: null,
    rules: ['DEFERRAL_LIMIT'],
    quote: '对于受疫情影响严重、恢复周期较长且发展前景良好的中小微企业，银行业金融机构可根据实际情况与企业协商确定另外的延期安排。',
  },
})

const NOTICE_2020_122 = {
  title: '关于进一步对中小微企业贷款实施阶段性延期还本付息的通知',
  number: '银发〔2020〕122号',
  issuers: ['中国人民银行', '中国银保监会', '财政部', '国家发展改革委', '工业和信息化部'],
  date: d('2020-06-01'),
} as const

/**
 * 2020-06-01 programme, version 3 (银发〔2020〕122号), correcting versions 1 and 2: the bank must
 * grant (应延尽延) the principal of inclusive small/micro loans maturing 2020-06-01…2020-12-31, and
 * the interest they owe in that period whatever their maturity, to at most 2021-03-31, when the firm
 * applies, keeps an effective guarantee and commits to keep jobs; other SMEs' loans maturing by the
 * end of 2020 and large foreign-trade or industry-chain firms in special difficulty may agree
 * deferral with the bank (自主协商): referred. Version 2 carried the mandatory grant into 2021; the
 * 2021 rounds are their own notices and records ({@link DEFERRAL_2021_Q1}, {@link DEFERRAL_2021_81}).
 */
export const DEFERRAL_2020_06_V3: DeferralProgramme = deepFreeze({
  ...DEFERRAL_2020_06_V1,
  version: 3,
  source: '银发〔2020〕122号《关于进一步对中小微企业贷款实施阶段性延期还本付息的通知》(人民银行、银保监会、财政部、发展改革委、工业和信息化部，2020-06-01)',
  citations: [
    {
      ...NOTICE_2020_122,
      article: '一、延期还本付息的范围和期限',
      quote:
        '对于2020年6月1日至12月31日期间到期的普惠小微贷款（包括单户授信1000万元及以下的小微企业贷款、个体工商户和小微企业主经营性贷款），按照“应延尽延”要求，实施阶段性延期还本付息。' +
        '对于2020年年底前到期的其他中小微企业贷款和大型国际产业链企业（外贸企业）等有特殊困难企业的贷款，可由企业与银行业金融机构自主协商延期还本付息。',
    },
    {
      ...NOTICE_2020_122,
      article: '一、延期还本付息的范围和期限',
      quote: '对于2020年6月1日至12月31日普惠小微贷款应付利息，银行业金融机构应根据企业申请，给予企业一定期限的延期付息安排，贷款付息日期最长可延至2021年3月31日，免收罚息。',
    },
    {
      ...NOTICE_2020_122,
      article: '二、“应延尽延”的条件',
      quote: '对于普惠小微贷款，只要企业提出延期还本付息申请，根据商业原则保持有效担保安排或提供替代安排，且承诺保持就业岗位基本稳定，银行业金融机构就予以办理。',
    },
  ],
  corrects: {
    versions: [1, 2],
    reason:
      'Interest payable 2020-06-01…2020-12-31 is deferrable whatever the maturity; other SMEs and large firms in special difficulty agree deferral with the bank (referred, not declined); the 2021 rounds are decided by bank and firm together under their own notices, not a mandatory grant of this one',
  },
  eligibility: {
    basis: 'loan-maturity',
    maturity: { from: d('2020-06-01'), to: d('2020-12-31') },
    interestDue: { from: d('2020-06-01'), to: d('2020-12-31') },
  },
  effects: { ...DEFERRAL_2020_06_V1.effects, instructionsOnTerms: true },
  // The PBoC's support tool for local legal-person banks: 1% of the principal deferred ≥ 6 months.
  pbocIncentive: { rateBp: 100, minDeferralMonths: 6 },
  negotiable: {
    borrowers: 'any',
    maturity: { from: d('2020-06-01'), to: d('2020-12-31') },
    rules: ['BORROWER_ELIGIBLE'],
    quote: '对于2020年年底前到期的其他中小微企业贷款和大型国际产业链企业（外贸企业）等有特殊困难企业的贷款，可由企业与银行业金融机构自主协商延期还本付息。',
  },
})

/** The 2021 rounds: inclusive small/micro loans, decided by bank and firm together, no mandatory grant. */
const NEGOTIATED_2021 = {
  kind: 'deferral-programme',
  borrowers: { criterion: 'inclusive-small-micro', allEnterprisesInRegions: [] },
  conditions: { borrowerApplication: true, effectiveGuarantee: false, jobsCommitment: false, hardshipDeclared: false },
  mandatory: false,
  // The notices set no limit to the deferral: the bank's default reaches three months past the last
  // eligible maturity, and an officer decides beyond it.
  deferUntilLatestInPrinciple: true,
  effects: { ...COMMON_DEFERRAL_EFFECTS, interestAccrual: 'per-contract', documentsMayFollow: false, instructionsOnTerms: true },
  // 按照延期贷款本金的1%给予激励 for local legal-person banks' deferrals of at least 6 months.
  pbocIncentive: { rateBp: 100, minDeferralMonths: 6 },
} as const

/**
 * The December 2020 notice (银发〔2020〕324号): inclusive small/micro loans maturing
 * 2021-01-01…2021-03-31, "应延尽延" by market principles, decided by bank and firm together.
 */
export const DEFERRAL_2021_Q1: DeferralProgramme = deepFreeze({
  ...NEGOTIATED_2021,
  id: 'deferral-2021-q1',
  version: 1,
  effectiveFrom: d('2021-01-01'),
  effectiveTo: d('2021-03-31'),
  title: { zh: '普惠小微企业贷款延期还本付息（2021年一季度到期）', en: 'Deferral for inclusive small/micro loans maturing in 2021 Q1' },
  clause: 'POLICY §2 Temporary deferral, December 2020 notice',
  source: '银发〔2020〕324号《关于继续实施普惠小微企业贷款延期还本付息政策和信用贷款支持政策有关事宜的通知》(人民银行、银保监会、财政部、发展改革委、工业和信息化部，2020-12)',
  citations: [
    {
      title: '关于继续实施普惠小微企业贷款延期还本付息政策和信用贷款支持政策有关事宜的通知',
      number: '银发〔2020〕324号',
      issuers: ['中国人民银行', '中国银保监会', '财政部', '国家发展改革委', '工业和信息化部'],
      date: d('2020-12-31'),
      article: '一、继续实施普惠小微企业贷款延期还本付息政策',
      quote: '将普惠小微企业贷款延期还本付息政策延期至2021年3月31日，对于2021年1月1日至3月31日期间到期的普惠小微企业贷款，按市场化原则“应延尽延”，由银行和企业自主协商确定，继续实施阶段性延期还本付息。',
    },
  ],
  eligibility: { basis: 'loan-maturity', maturity: { from: d('2021-01-01'), to: d('2021-03-31') } },
  deferUntilLatest: d('2021-06-30'),
})

const NOTICE_2021_81 = {
  title: '关于进一步延长普惠小微企业贷款延期还本付息政策和信用贷款支持政策实施期限有关事宜的通知',
  number: '银发〔2021〕81号',
  issuers: ['中国人民银行', '中国银保监会', '财政部', '国家发展改革委', '工业和信息化部'],
  date: d('2021-03-31'),
} as const

/**
 * 银发〔2021〕81号: inclusive small/micro loans maturing 2021-04-01…2021-12-31, decided by bank and
 * firm together (由企业和银行自主协商确定).
 */
export const DEFERRAL_2021_81: DeferralProgramme = deepFreeze({
  ...NEGOTIATED_2021,
  id: 'deferral-2021-81',
  version: 1,
  effectiveFrom: d('2021-04-01'),
  effectiveTo: d('2021-12-31'),
  title: { zh: '普惠小微企业贷款延期还本付息（延长至2021年底）', en: 'Deferral for inclusive small/micro loans maturing 2021-04…2021-12' },
  clause: 'POLICY §2 Temporary deferral, 银发〔2021〕81号',
  source: '银发〔2021〕81号《关于进一步延长普惠小微企业贷款延期还本付息政策和信用贷款支持政策实施期限有关事宜的通知》(人民银行、银保监会、财政部、发展改革委、工业和信息化部，2021)',
  citations: [
    {
      ...NOTICE_2021_81,
      article: '一、继续实施普惠小微企业贷款延期还本付息政策',
      quote:
        '普惠小微企业贷款延期还本付息政策延期至2021年12月31日。对于2021年4月1日至12月31日期间到期的普惠小微企业贷款（包括单户授信1000万元及以下的小微企业贷款、个体工商户和小微企业主经营性贷款，下同），由企业和银行自主协商确定，继续实施阶段性延期还本付息。',
    },
    {
      ...NOTICE_2021_81,
      article: '一、继续实施普惠小微企业贷款延期还本付息政策（激励）',
      quote:
        '对于城市商业银行、农村商业银行、农村合作银行、村镇银行、农村信用社、民营银行等地方法人银行业金融机构办理的延期期限不少于6个月的普惠小微企业贷款，人民银行通过货币政策工具，按照延期贷款本金的1%给予激励，激励资金总额控制在国务院批准的额度内。同一笔贷款（含以前已延期过的贷款）只能再获得一次人民银行提供的激励。',
    },
  ],
  eligibility: { basis: 'loan-maturity', maturity: { from: d('2021-04-01'), to: d('2021-12-31') } },
  deferUntilLatest: d('2022-03-31'),
})

/**
 * The 2022 round of the State Council's package (国发〔2022〕12号, published 2022-05-31): loans of
 * SMEs and individual businesses with amounts due before the end of 2022, deferred "in principle"
 * to no later than the end of 2022, by market principles; for firms affected by the epidemic.
 * Truck drivers' loans, which the package names too, are natural persons': version 2 adds them.
 */
export const DEFERRAL_2022: DeferralProgramme = deepFreeze({
  kind: 'deferral-programme',
  id: 'deferral-2022',
  version: 1,
  effectiveFrom: d('2022-05-31'),
  effectiveTo: d('2022-12-31'),
  title: { zh: '中小微企业和个体工商户贷款延期还本付息（2022年）', en: 'Deferral for SME and individual-business loans (2022)' },
  clause: 'POLICY §2 Temporary deferral, 2022 (State Council package)',
  source: '国发〔2022〕12号《国务院关于印发扎实稳住经济一揽子政策措施的通知》(国务院，2022-05-31发布)',
  citations: [
    {
      title: '国务院关于印发扎实稳住经济一揽子政策措施的通知',
      number: '国发〔2022〕12号',
      issuers: ['国务院'],
      date: d('2022-05-31'),
      article: '二、货币金融政策（延期还本付息）',
      quote:
        '2022年底前，对中小微企业和个体工商户贷款、货车司机贷款及受疫情影响的个人住房与消费贷款等实施延期还本付息，努力做到应延尽延，本轮延期还本付息日期原则上不超过2022年底。',
    },
  ],
  borrowers: { criterion: 'sme', allEnterprisesInRegions: [] },
  eligibility: {
    basis: 'amounts-due',
    principalDue: { from: d('2022-05-31'), to: d('2022-12-31') },
    interestDue: { from: d('2022-05-31'), to: d('2022-12-31') },
  },
  deferUntilLatest: d('2022-12-31'),
  deferUntilLatestInPrinciple: true,
  conditions: { borrowerApplication: true, effectiveGuarantee: false, jobsCommitment: false, hardshipDeclared: true },
  mandatory: false,
  effects: { ...COMMON_DEFERRAL_EFFECTS, interestAccrual: 'per-contract', documentsMayFollow: false, instructionsOnTerms: true },
})

/**
 * 2022 fourth-quarter programme, version 2, correcting version 1: announced on 2022-11-14 by six
 * departments led by the PBoC (人民银行、银保监会、财政部、发展改革委、工业和信息化部、市场监管总局), so in
 * force from that day, not from 2022-11-01; its limit of 2023-06-30 holds "in principle" (原则上),
 * so a deferral beyond it is referred, not declined. For small/micro loans (individual businesses'
 * and small-business owners' business loans included) of firms in temporary difficulty from the
 * epidemic, maturing in 2022 Q4; normal interest, no penalty interest, missing documents may follow.
 */
export const DEFERRAL_2022_Q4_V2: DeferralProgramme = deepFreeze({
  ...DEFERRAL_2022_Q4,
  version: 2,
  effectiveFrom: d('2022-11-14'),
  clause: 'POLICY §2 Temporary deferral, 2022-11-14 notice',
  source: '《关于进一步加大对小微企业贷款延期还本付息支持力度的通知》(人民银行、银保监会、财政部、发展改革委、工业和信息化部、市场监管总局，2022-11-14公布)',
  citations: [
    {
      title: '关于进一步加大对小微企业贷款延期还本付息支持力度的通知',
      number: null,
      issuers: ['中国人民银行', '中国银保监会', '财政部', '国家发展改革委', '工业和信息化部', '国家市场监督管理总局'],
      date: d('2022-11-14'),
      article: '延期还本付息的范围和期限',
      quote:
        '对于2022年第四季度到期的、因新冠肺炎疫情影响暂时遇困的小微企业贷款（含个体工商户和小微企业主经营性贷款），还本付息日期原则上最长可延至2023年6月30日。延期贷款正常计息，免收罚息。' +
        '各银行业金融机构要坚持实质性风险判断，及时调整信贷管理系统，不单独因疫情因素下调贷款风险分类，不影响征信记录，并完善贷款延期还本付息相关尽职免责规定。' +
        '在有效防控风险的前提下，对于缺乏部分材料的贷款延期申请可“容缺办理”，事后补齐。',
    },
  ],
  corrects: {
    versions: [1],
    reason: 'Announced 2022-11-14 by six departments led by the PBoC (not NFRA, not from 2022-11-01); the 2023-06-30 limit holds in principle: beyond it, referred',
  },
  deferUntilLatestInPrinciple: true,
  // 各银行业金融机构要…完善贷款延期还本付息相关尽职免责规定.
  effects: { ...DEFERRAL_2022_Q4.effects, dueDiligenceExemption: true, instructionsOnTerms: true },
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
    versions: [1],
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

/** 《贷款风险分类指引》 on restructured loans, quoted (in force until the 2023 rules replaced it). */
const GUIDELINES_2007_RESTRUCTURED = {
  title: '贷款风险分类指引',
  number: '银监发〔2007〕54号',
  issuers: ['中国银行业监督管理委员会'],
  date: d('2007-07-03'),
  article: '第十二条 重组贷款',
  quote:
    '需要重组的贷款应至少归为次级类。重组后的贷款（简称重组贷款）如果仍然逾期，或借款人仍然无力归还贷款，应至少归为可疑类。' +
    '重组贷款的分类档次在至少6个月的观察期内不得调高，观察期结束后，应严格按照本指引规定进行分类。',
} as const

/** 《商业银行金融资产风险分类办法》 on restructured assets, quoted (in force from 2023-07-01). */
const RULES_2023_RESTRUCTURED = {
  title: '商业银行金融资产风险分类办法',
  number: '中国银保监会 中国人民银行令2023年第1号',
  issuers: ['中国银行保险监督管理委员会', '中国人民银行'],
  date: d('2023-02-10'),
  article: '第三章 重组资产风险分类',
  quote:
    '重组资产是指因债务人发生财务困难，为促使债务人偿还债务，商业银行对债务合同作出有利于债务人调整的金融资产，或对债务人现有债务提供再融资，包括借新还旧、新增债务融资等。' +
    '商业银行应对重组资产设置重组观察期。观察期自合同调整后约定的第一次还款日开始计算，应至少包含连续两个还款期，并不得低于1年。' +
    '重组前为正常类或关注类的资产，以及对合同调整无法律效力的资产，重组后应至少归为关注类。',
} as const

/**
 * Version 3 states the classification an extension gives the loan (POLICY §2 Risk classification):
 * an extension for a borrower in financial difficulty (overdue, already non-performing, hardship
 * declared or signalled by scoring) changes the contract in the debtor's favour, so the loan is a
 * restructured asset. Until 2023-06-30 the 2007 guidelines put every restructured loan at least in
 * substandard, not upgraded for 6 months; from 2023-07-01 the 2023 rules put a loan normal or
 * special-mention before at least in special-mention, one already worse keeping its class, not
 * upgraded for at least a year and two repayment periods from the first repayment after the change.
 * The caps and consent are version 2's; decisions under versions 1 and 2 replay without the
 * classification.
 */
const { corrects: _correctionOfV1, ...EXTENSION_V2_RULES } = EXTENSION_RULES_1996_V2
export const EXTENSION_RULES_1996_V3: ExtensionRules = deepFreeze({
  ...EXTENSION_V2_RULES,
  version: 3,
  citations: [GENERAL_RULES_ART_12, GUIDELINES_2007_RESTRUCTURED, RULES_2023_RESTRUCTURED],
  restructuring: [
    {
      effective: { from: d('2007-07-03'), to: d('2023-06-30') },
      source: '《贷款风险分类指引》(银监发〔2007〕54号) 第十二条',
      floor: 'substandard',
      observationMonths: 6,
      observationRepaymentPeriods: null,
    },
    {
      effective: { from: d('2023-07-01'), to: null },
      source: '《商业银行金融资产风险分类办法》(中国银保监会 中国人民银行令2023年第1号) 第三章',
      floor: 'special-mention',
      observationMonths: 12,
      observationRepaymentPeriods: 2,
    },
  ],
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

const NOTICE_2024_13 = {
  title: '国家金融监督管理总局关于做好续贷工作 提高小微企业金融服务水平的通知',
  number: '金规〔2024〕13号',
  issuers: ['国家金融监督管理总局'],
  date: d('2024-09-24'),
} as const

/**
 * Version 3 (金规〔2024〕13号, NFRA, 2024-09-24), correcting version 2: in force from the notice's
 * date; the products it names are small/micro working-capital loans and the business loans
 * (经营性贷款) of small-business owners, individual businesses and farmers, so an individual
 * business's loan qualifies whatever its product (owners' and farmers' own loans are natural
 * persons': version 4 adds them); medium enterprises' working-capital loans maturing before
 * 2027-09-30, that day included ("2027年9月30日前到期": a date "前" in such a cut-off is read as
 * the last day the measure covers); the debtor applies itself and is in temporary funding difficulty.
 */
export const RENEWAL_RULES_2024_V3: RenewalRules = deepFreeze({
  ...RENEWAL_RULES_2024,
  version: 3,
  effectiveFrom: d('2024-09-24'),
  title: { zh: '续贷（金规〔2024〕13号）', en: 'Renewal without principal repayment (NFRA 2024 No. 13)' },
  source: '金规〔2024〕13号《国家金融监督管理总局关于做好续贷工作 提高小微企业金融服务水平的通知》(金融监管总局，2024-09-24)',
  citations: [
    {
      ...NOTICE_2024_13,
      article: '一、优化贷款服务模式；二、加大续贷支持力度',
      quote:
        '可以办理续期的贷款产品包括小微企业流动资金贷款和小微企业主、个体工商户及农户经营性贷款等。' +
        '对贷款到期后仍有融资需求，又临时存在资金困难的债务人，在贷款到期前经其主动申请，银行业金融机构按照市场化、法治化原则，可以提前开展贷款调查和评审，经审核合格后办理续贷。',
    },
    {
      ...NOTICE_2024_13,
      article: '中型企业续贷（阶段性政策，期限暂定三年）',
      quote: '对2027年9月30日前到期的中型企业流动资金贷款，存在资金接续需求的，银行业金融机构可以参照小微企业续贷政策办理续贷。',
    },
  ],
  corrects: {
    versions: [2],
    reason:
      'In force from the notice’s date (2024-09-24); individual businesses’ business loans qualify whatever the product; medium enterprises’ loans maturing on 2027-09-30 included; the debtor applies itself and is in temporary funding difficulty',
  },
  withoutPrincipalRepayment: {
    ...RENEWAL_RULES_2024.withoutPrincipalRepayment,
    individualBusinessLoansAnyProduct: true,
    mediumEnterprises: { maturityBefore: d('2027-09-30'), includingThatDay: true },
    conditions: { borrowerApplication: true, temporaryDifficulty: true },
    // 要求银行业金融机构完善续贷尽职免责相关制度.
    dueDiligenceExemption: true,
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

// ---------------------------------------------------------------------------------------------
// Natural persons. The notices name small-business owners, individual businesses, farmers and truck
// drivers among the borrowers they cover; the records before these decided enterprises only (no
// person could apply), so each correction below adds the persons its text names, in its words, and
// changes nothing for an enterprise: decisions under the corrected versions replay as they were.
// ---------------------------------------------------------------------------------------------

const PERSONS_REASON = 'The text names natural persons among the borrowers it covers; they are decided here since borrowers may be natural persons known by a pseudonymous id'

/**
 * 6号: 困难中小微企业（含小微企业主、个体工商户）贷款本金, whatever the loan's purpose; its interest clause
 * names 中小微企业 without them, so a person's interest deferral is referred to an officer.
 */
export const DEFERRAL_2020_03_V3: DeferralProgramme = deepFreeze({
  ...DEFERRAL_2020_03_V2,
  version: 3,
  corrects: { versions: [2], naturalPersonsOnly: true, reason: `${PERSONS_REASON}: small-business owners and individual businesses (含小微企业主、个体工商户)` },
  borrowers: {
    ...DEFERRAL_2020_03_V2.borrowers,
    persons: {
      roles: [
        { role: 'small-business-owner', businessLoansOnly: false },
        { role: 'individual-business', businessLoansOnly: false },
      ],
      principalOnly: true,
      quote:
        '对于2020年1月25日以来到期的困难中小微企业（含小微企业主、个体工商户）贷款本金，银行业金融机构应根据企业申请，给予企业一定期限的临时性延期还本安排。' +
        '对2020年1月25日至6月30日中小微企业需支付的贷款利息，银行业金融机构应根据企业申请，给予企业一定期限的延期付息安排。',
    },
  },
})

/** The inclusive small/micro loans of 122号, 324号 and 81号 include 个体工商户和小微企业主经营性贷款. */
const INCLUSIVE_PERSONS = (quote: string) =>
  ({
    roles: [
      { role: 'individual-business', businessLoansOnly: true },
      { role: 'small-business-owner', businessLoansOnly: true },
    ],
    quote,
  }) as const

const INCLUSIVE_DEFINITION_122 = '对于2020年6月1日至12月31日期间到期的普惠小微贷款（包括单户授信1000万元及以下的小微企业贷款、个体工商户和小微企业主经营性贷款），按照“应延尽延”要求，实施阶段性延期还本付息。'

/** 122号: 普惠小微贷款（包括…个体工商户和小微企业主经营性贷款）, within the total-credit cap. */
export const DEFERRAL_2020_06_V4: DeferralProgramme = deepFreeze({
  ...DEFERRAL_2020_06_V3,
  version: 4,
  corrects: { versions: [3], naturalPersonsOnly: true, reason: `${PERSONS_REASON}: the business loans of individual businesses and small-business owners (个体工商户和小微企业主经营性贷款)` },
  borrowers: { ...DEFERRAL_2020_06_V3.borrowers, persons: INCLUSIVE_PERSONS(INCLUSIVE_DEFINITION_122) },
})

/**
 * 324号 continues 122号's policy for the same inclusive small/micro loans (继续实施普惠小微企业贷款延期还本
 * 付息政策), so its persons are 122号's: 个体工商户和小微企业主经营性贷款.
 */
export const DEFERRAL_2021_Q1_V2: DeferralProgramme = deepFreeze({
  ...DEFERRAL_2021_Q1,
  version: 2,
  corrects: { versions: [1], naturalPersonsOnly: true, reason: `${PERSONS_REASON}: 普惠小微企业贷款 as 122号 defines it, individual businesses’ and small-business owners’ business loans included` },
  borrowers: { ...DEFERRAL_2021_Q1.borrowers, persons: INCLUSIVE_PERSONS(INCLUSIVE_DEFINITION_122) },
})

/** 81号: 普惠小微企业贷款（包括…个体工商户和小微企业主经营性贷款，下同）. */
export const DEFERRAL_2021_81_V2: DeferralProgramme = deepFreeze({
  ...DEFERRAL_2021_81,
  version: 2,
  corrects: { versions: [1], naturalPersonsOnly: true, reason: `${PERSONS_REASON}: the business loans of individual businesses and small-business owners (个体工商户和小微企业主经营性贷款)` },
  borrowers: {
    ...DEFERRAL_2021_81.borrowers,
    persons: INCLUSIVE_PERSONS(
      '对于2021年4月1日至12月31日期间到期的普惠小微企业贷款（包括单户授信1000万元及以下的小微企业贷款、个体工商户和小微企业主经营性贷款，下同），由企业和银行自主协商确定，继续实施阶段性延期还本付息。',
    ),
  },
})

/**
 * 国发〔2022〕12号: 中小微企业和个体工商户贷款、货车司机贷款, whatever the purpose; small-business owners
 * are not named. (The personal housing and consumer loans it names too are not business credit and
 * not decided here.)
 */
export const DEFERRAL_2022_V2: DeferralProgramme = deepFreeze({
  ...DEFERRAL_2022,
  version: 2,
  corrects: { versions: [1], naturalPersonsOnly: true, reason: `${PERSONS_REASON}: individual businesses’ and truck drivers’ loans (个体工商户贷款、货车司机贷款)` },
  borrowers: {
    ...DEFERRAL_2022.borrowers,
    persons: {
      roles: [
        { role: 'individual-business', businessLoansOnly: false },
        { role: 'truck-driver', businessLoansOnly: false },
      ],
      quote: '2022年底前，对中小微企业和个体工商户贷款、货车司机贷款及受疫情影响的个人住房与消费贷款等实施延期还本付息，努力做到应延尽延',
    },
  },
})

/** The 2022-11-14 notice: 小微企业贷款（含个体工商户和小微企业主经营性贷款）. */
export const DEFERRAL_2022_Q4_V3: DeferralProgramme = deepFreeze({
  ...DEFERRAL_2022_Q4_V2,
  version: 3,
  corrects: { versions: [2], naturalPersonsOnly: true, reason: `${PERSONS_REASON}: the business loans of individual businesses and small-business owners (含个体工商户和小微企业主经营性贷款)` },
  borrowers: {
    ...DEFERRAL_2022_Q4_V2.borrowers,
    persons: INCLUSIVE_PERSONS('对于2022年第四季度到期的、因新冠肺炎疫情影响暂时遇困的小微企业贷款（含个体工商户和小微企业主经营性贷款），还本付息日期原则上最长可延至2023年6月30日。'),
  },
})

/** 13号: 小微企业主、个体工商户及农户经营性贷款, whatever the product. */
export const RENEWAL_RULES_2024_V4: RenewalRules = deepFreeze({
  ...RENEWAL_RULES_2024_V3,
  version: 4,
  corrects: { versions: [3], naturalPersonsOnly: true, reason: `${PERSONS_REASON}: the business loans of small-business owners, individual businesses and farmers (小微企业主、个体工商户及农户经营性贷款)` },
  withoutPrincipalRepayment: {
    ...RENEWAL_RULES_2024_V3.withoutPrincipalRepayment,
    persons: {
      roles: [
        { role: 'small-business-owner', businessLoansOnly: true },
        { role: 'individual-business', businessLoansOnly: true },
        { role: 'farmer', businessLoansOnly: true },
      ],
      quote: '可以办理续期的贷款产品包括小微企业流动资金贷款和小微企业主、个体工商户及农户经营性贷款等。',
    },
  },
})

// ---------------------------------------------------------------------------------------------
// Truck drivers, 2022. The CBIRC General Office's notice on keeping freight moving asks banks to
// arrange, as the case warrants, deferral, extension or renewal for truck drivers whose vehicle
// loans the epidemic made temporarily hard to repay. It names no enterprise for that and sets no
// date: every such arrangement is the officer's (a person's relief is referred anyway). Its
// extension needs no record of its own: extension under art. 12 is open to any borrower.
// ---------------------------------------------------------------------------------------------

/**
 * 银保监办发〔2022〕40号, published by the CBIRC on 2022-04-15 (news of 2022-04-12 reported the CBIRC's
 * study of the matter, not the notice). No end date is set and none has been announced: the record
 * stays open until a bank's compliance team dates its end in a new version.
 */
const NOTICE_2022_40 = {
  title: '中国银保监会办公厅关于金融支持货运物流保通保畅工作的通知',
  number: '银保监办发〔2022〕40号',
  issuers: ['中国银保监会办公厅'],
  date: d('2022-04-15'),
  article: '三、帮扶重点群体',
  quote:
    '各银行保险机构要强化对货车司机群体的关怀和帮扶，根据实际情况及时提供便捷有效的综合金融服务。' +
    '对于因疫情影响货车司机偿还汽车贷款暂时存在困难的，商业银行、汽车金融公司、企业集团财务公司、金融租赁公司等，均应视情合理给予延期、展期或续贷安排。',
} as const

const TRUCK_DRIVERS_2022_40 = {
  // 汽车贷款 is no product of ours: the officer confirms the loan is the driver's vehicle loan.
  roles: [{ role: 'truck-driver', businessLoansOnly: false }],
  quote: '对于因疫情影响货车司机偿还汽车贷款暂时存在困难的，……均应视情合理给予延期、展期或续贷安排。',
} as const

/**
 * Deferral for truck drivers (40号): amounts due from the notice on, for drivers in temporary
 * difficulty from the epidemic (hardship declared); 视情合理: no mandatory grant and no latest date.
 */
export const DEFERRAL_2022_40: DeferralProgramme = deepFreeze({
  kind: 'deferral-programme',
  id: 'deferral-2022-40',
  version: 1,
  effectiveFrom: d('2022-04-15'),
  effectiveTo: null,
  title: { zh: '货车司机汽车贷款延期安排（银保监办发〔2022〕40号）', en: 'Deferral for truck drivers’ vehicle loans (CBIRC General Office 2022 No. 40)' },
  clause: 'POLICY §2 Temporary deferral, 2022 (银保监办发〔2022〕40号, truck drivers)',
  source: `${NOTICE_2022_40.number}《${NOTICE_2022_40.title}》(中国银保监会办公厅，2022-04-15发布)`,
  citations: [NOTICE_2022_40],
  borrowers: { criterion: 'persons-only', allEnterprisesInRegions: [], persons: TRUCK_DRIVERS_2022_40 },
  eligibility: { basis: 'amounts-due', principalDue: { from: d('2022-04-15'), to: null }, interestDue: { from: d('2022-04-15'), to: null } },
  deferUntilLatest: null,
  conditions: { borrowerApplication: false, effectiveGuarantee: false, jobsCommitment: false, hardshipDeclared: true },
  mandatory: false,
  effects: { ...COMMON_DEFERRAL_EFFECTS, interestAccrual: 'per-contract', documentsMayFollow: false, instructionsOnTerms: true },
})

/**
 * Renewal for truck drivers (40号: 续贷安排) beside the 2014 rules, which stay as they were for
 * every other borrower; until 13号's versions take over on 2024-09-24, where version 6 carries it on.
 */
export const RENEWAL_RULES_2014_V5: RenewalRules = deepFreeze({
  ...RENEWAL_RULES_2014,
  version: 5,
  effectiveFrom: d('2022-04-15'),
  effectiveTo: d('2024-09-23'),
  // (The title stays: an enterprise's decision reads as under version 1.)
  source: `银监发〔2014〕36号; ${NOTICE_2022_40.number}《${NOTICE_2022_40.title}》`,
  citations: [NOTICE_2022_40],
  withoutPrincipalRepayment: { ...RENEWAL_RULES_2014.withoutPrincipalRepayment, persons: TRUCK_DRIVERS_2022_40 },
})

/** 13号 (version 4) with 40号's truck drivers beside the persons 13号 names; enterprises as under version 4. */
export const RENEWAL_RULES_2024_V6: RenewalRules = deepFreeze({
  ...RENEWAL_RULES_2024_V4,
  version: 6,
  corrects: { versions: [4], naturalPersonsOnly: true, reason: `${PERSONS_REASON}: the business loans of small-business owners, individual businesses and farmers (13号: 小微企业主、个体工商户及农户经营性贷款), and truck drivers, whose renewal 银保监办发〔2022〕40号 asks for as the case warrants (视情合理给予…续贷安排)` },
  citations: [...(RENEWAL_RULES_2024_V4.citations ?? []), NOTICE_2022_40],
  source: `${RENEWAL_RULES_2024_V4.source}; ${NOTICE_2022_40.number}`,
  withoutPrincipalRepayment: {
    ...RENEWAL_RULES_2024_V4.withoutPrincipalRepayment,
    persons: {
      roles: [...(RENEWAL_RULES_2024_V4.withoutPrincipalRepayment.persons?.roles ?? []), ...TRUCK_DRIVERS_2022_40.roles],
      quote: `${RENEWAL_RULES_2024_V4.withoutPrincipalRepayment.persons?.quote ?? ''}（${NOTICE_2022_40.number}）${TRUCK_DRIVERS_2022_40.quote}`,
    },
  },
})

/** Every default version, oldest first. */
export const DEFAULT_POLICY_VERSIONS: readonly PolicyVersion[] = deepFreeze([
  REFERENCE_DATA_2011,
  BANK_PARAMETERS_DEFAULT,
  EXTENSION_RULES_1996,
  EXTENSION_RULES_1996_V2,
  EXTENSION_RULES_1996_V3,
  RENEWAL_RULES_2014,
  RENEWAL_RULES_2024,
  RENEWAL_RULES_2024_V3,
  RENEWAL_RULES_2024_V4,
  RENEWAL_RULES_2014_V5,
  RENEWAL_RULES_2024_V6,
  DEFERRAL_2020_03,
  DEFERRAL_2020_03_V2,
  DEFERRAL_2020_03_V3,
  DEFERRAL_2020_06_V1,
  DEFERRAL_2020_06_V2,
  DEFERRAL_2020_06_V3,
  DEFERRAL_2020_06_V4,
  DEFERRAL_2021_Q1,
  DEFERRAL_2021_Q1_V2,
  DEFERRAL_2021_81,
  DEFERRAL_2021_81_V2,
  DEFERRAL_2022,
  DEFERRAL_2022_V2,
  DEFERRAL_2022_40,
  DEFERRAL_2022_Q4,
  DEFERRAL_2022_Q4_V2,
  DEFERRAL_2022_Q4_V3,
])
