import { parseDate } from '@sme/domain'
import { FEATURE_SET_VERSION } from './features.js'
import { deepFreeze, type Characteristic, type LocalizedText, type ScorecardModel } from './model.js'

/**
 * The default SME scorecard: one characteristic or two per POLICY §6 data category, so every
 * dimension of POLICY §6 is covered (registration, tax, invoices, social insurance / housing fund,
 * utilities, customs, court and administrative records, the bank's repayment history, supply-chain
 * receivables).
 *
 * **An expert-judgement scorecard, not a fitted one.** There is no development sample in this
 * repository, so points are set by judgement on the standard scale (600 points at 19:1, 50 points
 * to double the odds): a difference of 50 points between two bins states that, all else equal, the
 * worse bin has twice the bad odds. Reference profiles (pinned by a unit test, tabled in MODEL.md):
 * an established SME with complete, clean data 744 (AAA, PD 0.71%); the same firm hit by the
 * epidemic (revenue −35%, headcount −15%, two months of utility arrears) 700 (A, 1.30%); hit hard
 * and paying late 604 (B, 4.74%); nothing known at all 530 (CC, 12.2%); range 10 … 754. Before it
 * decides anything it must be validated and recalibrated on the bank's own outcomes (and a fitted
 * challenger run in shadow): MODEL.md lists what to monitor.
 *
 * Design choices that hold across characteristics:
 * - **Missing data is never neutral-by-accident.** `no-data` scores near the population's lower
 *   middle: not zero (absence is often the data platform's gap, not the firm's fault), not average
 *   (firms with something to hide are over-represented among those without data). `stale` sits
 *   between `no-data` and the typical bin: the firm did share data, it is just old. The one
 *   exception is customs, where no data mostly means no cross-border trade: neutral on purpose.
 * - **Industry and region are not scored** (they pick the segment). The epidemic hit whole
 *   industries and Hubei hardest; scoring them would deny relief to exactly the firms the policy
 *   targets (POLICY §2, §4). The firm's own trends carry the signal, and the hardship signal puts
 *   them in context.
 * - **No double counting**: each feature is used once; related bins share a reason code so the top
 *   reasons name distinct problems.
 */

const REASON_CODES = {
  RC_REGISTRATION_NO_DATA: { zh: '缺少工商登记信息', en: 'No registration data' },
  RC_REGISTRATION_STALE: { zh: '工商登记信息未及时更新', en: 'Registration data out of date' },
  RC_FIRM_AGE_UNDER_1Y: { zh: '成立不满1年', en: 'Established less than 1 year ago' },
  RC_FIRM_AGE_UNDER_3Y: { zh: '成立不满3年', en: 'Established less than 3 years ago' },
  RC_FIRM_AGE_UNDER_10Y: { zh: '经营年限不满10年', en: 'In business less than 10 years' },
  RC_ABNORMAL_OPERATIONS_LIST: { zh: '被列入经营异常名录', en: 'On the abnormal-operations list' },
  RC_LEGAL_STATUS_INACTIVE: { zh: '企业处于停业或清算状态', en: 'Enterprise suspended or in liquidation' },
  RC_LEGAL_STATUS_TERMINATED: { zh: '企业已被吊销或注销', en: 'Enterprise licence revoked or deregistered' },
  RC_TAX_RATING_B: { zh: '纳税信用等级为B级', en: 'Tax credit rating B' },
  RC_TAX_RATING_NEW: { zh: '纳税信用等级为M级（新设或评价年度不完整）', en: 'Tax credit rating M (new taxpayer)' },
  RC_TAX_RATING_LOW: { zh: '纳税信用等级为C级或D级', en: 'Tax credit rating C or D' },
  RC_TAX_RATING_NO_DATA: { zh: '缺少纳税信用等级', en: 'No tax credit rating' },
  RC_TAX_RATING_STALE: { zh: '纳税信用等级信息过期', en: 'Tax credit rating out of date' },
  RC_TAX_BURDEN_LOW: { zh: '近12个月纳税额低于申报收入的1.5%', en: 'Tax paid under 1.5% of declared revenue (12 months)' },
  RC_TAX_BURDEN_MODERATE: { zh: '近12个月纳税额为申报收入的1.5%至3%', en: 'Tax paid 1.5–3% of declared revenue (12 months)' },
  RC_TAX_RETURNS_NO_DATA: { zh: '缺少近12个月纳税申报数据', en: 'No tax returns for the last 12 months' },
  RC_TAX_RETURNS_STALE: { zh: '纳税申报数据未及时更新', en: 'Tax return data out of date' },
  RC_REVENUE_DECLINE_SEVERE: { zh: '近3个月开票收入同比下降超过50%', en: 'Invoiced revenue down more than 50% year on year (3 months)' },
  RC_REVENUE_DECLINE: { zh: '近3个月开票收入同比下降20%至50%', en: 'Invoiced revenue down 20–50% year on year (3 months)' },
  RC_REVENUE_SOFT: { zh: '近3个月开票收入同比小幅下降', en: 'Invoiced revenue slightly down year on year (3 months)' },
  RC_INVOICES_NO_DATA: { zh: '缺少可比的开票数据', en: 'No comparable invoice data' },
  RC_INVOICES_STALE: { zh: '开票数据未及时更新', en: 'Invoice data out of date' },
  RC_HEADCOUNT_DECLINE_SEVERE: { zh: '参保人数同比下降超过30%', en: 'Insured headcount down more than 30% year on year' },
  RC_HEADCOUNT_DECLINE: { zh: '参保人数同比下降10%至30%', en: 'Insured headcount down 10–30% year on year' },
  RC_HEADCOUNT_NO_DATA: { zh: '缺少可比的社保或公积金缴存数据', en: 'No comparable social-insurance or housing-fund data' },
  RC_HEADCOUNT_STALE: { zh: '社保或公积金数据未及时更新', en: 'Social-insurance or housing-fund data out of date' },
  RC_UTILITY_ARREARS: { zh: '近12个月有1至2个月水电气欠费', en: 'Utility arrears in 1–2 of the last 12 months' },
  RC_UTILITY_ARREARS_FREQUENT: { zh: '近12个月有3个月及以上水电气欠费', en: 'Utility arrears in 3 or more of the last 12 months' },
  RC_UTILITIES_NO_DATA: { zh: '缺少水电气缴费数据', en: 'No utility payment data' },
  RC_UTILITIES_STALE: { zh: '水电气缴费数据未及时更新', en: 'Utility payment data out of date' },
  RC_CUSTOMS_DECLINE_SEVERE: { zh: '近12个月进出口额同比下降超过50%', en: 'Customs trade down more than 50% (12 months)' },
  RC_CUSTOMS_DECLINE: { zh: '近12个月进出口额同比下降20%至50%', en: 'Customs trade down 20–50% (12 months)' },
  RC_CUSTOMS_STALE: { zh: '海关数据未及时更新', en: 'Customs data out of date' },
  RC_COURT_ENFORCEMENT: { zh: '近24个月有1条被执行记录', en: 'One court enforcement record in the last 24 months' },
  RC_COURT_ENFORCEMENT_MULTIPLE: { zh: '近24个月有多条被执行或失信记录', en: 'Several court enforcement or dishonest-debtor records in the last 24 months' },
  RC_COURT_NO_DATA: { zh: '缺少司法信息查询结果', en: 'No court records search' },
  RC_COURT_STALE: { zh: '司法信息查询结果已过期', en: 'Court records search out of date' },
  RC_ADMIN_PENALTY: { zh: '近24个月有1次行政处罚', en: 'One administrative penalty in the last 24 months' },
  RC_ADMIN_PENALTIES_MULTIPLE: { zh: '近24个月有多次行政处罚', en: 'Several administrative penalties in the last 24 months' },
  RC_ADMIN_PENALTY_NO_DATA: { zh: '缺少行政处罚信息查询结果', en: 'No administrative penalty search' },
  RC_ADMIN_PENALTY_STALE: { zh: '行政处罚信息查询结果已过期', en: 'Administrative penalty search out of date' },
  RC_DPD_1_29: { zh: '近12个月在本行贷款逾期1至29天', en: 'Up to 29 days past due with the bank in the last 12 months' },
  RC_DPD_30_59: { zh: '近12个月在本行贷款逾期30至59天', en: '30–59 days past due with the bank in the last 12 months' },
  RC_DPD_60_89: { zh: '近12个月在本行贷款逾期60至89天', en: '60–89 days past due with the bank in the last 12 months' },
  RC_DPD_90_PLUS: { zh: '近12个月在本行贷款逾期90天以上', en: '90 or more days past due with the bank in the last 12 months' },
  RC_NEW_TO_BANK: { zh: '近12个月在本行无贷款还款记录', en: 'No repayment history with the bank in the last 12 months' },
  RC_REPAYMENT_STALE: { zh: '本行还款记录未及时更新', en: 'Bank repayment history out of date' },
  RC_RECEIVABLES_OVERDUE: { zh: '逾期应收账款占比5%至15%', en: 'Overdue receivables 5–15% of the total' },
  RC_RECEIVABLES_OVERDUE_HIGH: { zh: '逾期应收账款占比15%至30%', en: 'Overdue receivables 15–30% of the total' },
  RC_RECEIVABLES_OVERDUE_SEVERE: { zh: '逾期应收账款占比30%及以上', en: 'Overdue receivables 30% or more of the total' },
  RC_RECEIVABLES_NO_DATA: { zh: '缺少供应链应收账款数据', en: 'No supply-chain receivables data' },
  RC_RECEIVABLES_STALE: { zh: '供应链应收账款数据未及时更新', en: 'Supply-chain receivables data out of date' },
} as const satisfies Record<string, LocalizedText>

type ReasonCode = keyof typeof REASON_CODES

// Typed helpers: a reason code that is not in the catalogue does not compile.
const range = (id: string, min: number | undefined, max: number | undefined, points: number, reasonCode?: ReasonCode) => ({
  id,
  range: { ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) },
  points,
  ...(reasonCode === undefined ? {} : { reasonCode }),
})
const category = (id: string, categories: string[], points: number, reasonCode?: ReasonCode) => ({
  id,
  categories,
  points,
  ...(reasonCode === undefined ? {} : { reasonCode }),
})
const missing = (noData: [number, ReasonCode?], stale: [number, ReasonCode?]) => ({
  'no-data': { id: 'NO_DATA', points: noData[0], ...(noData[1] === undefined ? {} : { reasonCode: noData[1] }) },
  stale: { id: 'STALE', points: stale[0], ...(stale[1] === undefined ? {} : { reasonCode: stale[1] }) },
})

const CHARACTERISTICS: Characteristic[] = [
  {
    // Registration. Young firms fail more often (the "liability of newness"): thin capital,
    // unproven demand, no buffer. The gain flattens after 5 years. Whole months, so the bin edges
    // are exact anniversaries.
    id: 'CH_FIRM_AGE',
    feature: 'firm-age-months',
    name: { zh: '成立年限', en: 'Firm age' },
    rationale:
      'Young firms fail more often: thin capital, unproven demand, no buffer. The benefit flattens after about five years.',
    bins: [
      range('AGE_UNDER_12M', undefined, 12, 28, 'RC_FIRM_AGE_UNDER_1Y'),
      range('AGE_12_36M', 12, 36, 40, 'RC_FIRM_AGE_UNDER_3Y'),
      range('AGE_36_60M', 36, 60, 50, 'RC_FIRM_AGE_UNDER_10Y'),
      range('AGE_60_120M', 60, 120, 56, 'RC_FIRM_AGE_UNDER_10Y'),
      range('AGE_120M_PLUS', 120, undefined, 62),
    ],
    missing: missing([38, 'RC_REGISTRATION_NO_DATA'], [44, 'RC_REGISTRATION_STALE']),
  },
  {
    // Registration. Near-constant for applicants (almost all are active), but the exceptions are
    // decisive: the abnormal-operations list usually means missed annual reports or an unreachable
    // address; suspended or liquidating firms do not trade; a revoked or deregistered entity
    // cannot contract. Negative points: this alone should sink the score (hard knock-outs are the
    // decision service's, the score must still say it).
    id: 'CH_LEGAL_STATUS',
    feature: 'legal-status',
    name: { zh: '登记状态', en: 'Legal status' },
    rationale:
      'Almost all applicants are active; the exceptions are decisive. Listed as abnormal usually means missed annual reports or an unreachable address; suspended, liquidating, revoked or deregistered entities cannot keep trading.',
    bins: [
      category('ACTIVE', ['active'], 64),
      category('ABNORMAL', ['abnormal-operations'], 30, 'RC_ABNORMAL_OPERATIONS_LIST'),
      category('INACTIVE', ['suspended', 'in-liquidation'], 0, 'RC_LEGAL_STATUS_INACTIVE'),
      category('TERMINATED', ['revoked', 'deregistered'], -60, 'RC_LEGAL_STATUS_TERMINATED'),
    ],
    missing: missing([40, 'RC_REGISTRATION_NO_DATA'], [52, 'RC_REGISTRATION_STALE']),
  },
  {
    // Tax. The tax authority's annual credit rating condenses filing, payment and compliance over a
    // year; banks' tax-based SME loans (银税互动) lend on A and B. M is a new taxpayer, scored like a
    // young firm. C and D are rated for serious non-compliance; D is also a joint-punishment list.
    id: 'CH_TAX_RATING',
    feature: 'tax-rating',
    name: { zh: '纳税信用等级', en: 'Tax credit rating' },
    rationale:
      "The tax authority's annual rating condenses a year of filing, payment and compliance; tax-based SME lending (银税互动) relies on A and B. M marks a new taxpayer; C and D are given for serious non-compliance.",
    bins: [
      category('A', ['A'], 80),
      category('B', ['B'], 66, 'RC_TAX_RATING_B'),
      category('M', ['M'], 52, 'RC_TAX_RATING_NEW'),
      category('C', ['C'], 30, 'RC_TAX_RATING_LOW'),
      category('D', ['D'], 0, 'RC_TAX_RATING_LOW'),
    ],
    missing: missing([44, 'RC_TAX_RATING_NO_DATA'], [50, 'RC_TAX_RATING_STALE']),
  },
  {
    // Tax. Tax paid per unit of declared revenue tracks value added and profit, and a very low
    // ratio can mean losses or under-reporting. Deliberately gentle bins: the 2020 relief cut VAT
    // for small-scale taxpayers (3% → 1%, exempt in Hubei), which lowers the ratio for reasons that
    // say nothing about credit quality.
    id: 'CH_TAX_BURDEN',
    feature: 'tax-burden-bp-12m',
    name: { zh: '综合税负率', en: 'Tax paid to revenue' },
    rationale:
      'Tax paid per unit of declared revenue tracks value added and profit; a very low ratio can mean losses or under-reporting. Bins are gentle because the 2020 VAT relief for small-scale taxpayers lowers the ratio without any change in credit quality.',
    bins: [
      range('BURDEN_UNDER_0_5PCT', undefined, 50, 36, 'RC_TAX_BURDEN_LOW'),
      range('BURDEN_0_5_1_5PCT', 50, 150, 46, 'RC_TAX_BURDEN_LOW'),
      range('BURDEN_1_5_3PCT', 150, 300, 54, 'RC_TAX_BURDEN_MODERATE'),
      range('BURDEN_3PCT_PLUS', 300, undefined, 58),
    ],
    missing: missing([42, 'RC_TAX_RETURNS_NO_DATA'], [46, 'RC_TAX_RETURNS_STALE']),
  },
  {
    // Invoices. The most current view of sales: e-invoices are reported within days. Year on year
    // over 3 months removes seasonality (Spring Festival) and one-off months. Growth is not
    // rewarded above flat: fast growth in SMEs is as often overtrading as strength. The epidemic
    // pushes many firms into the lower bins: that is what the hardship signal is for (it says
    // whether the drop is temporary), rather than softening the bins for everyone.
    id: 'CH_REVENUE_TREND',
    feature: 'revenue-trend-bp-3m-yoy',
    name: { zh: '开票收入同比变化', en: 'Invoiced revenue trend' },
    rationale:
      'E-invoices give the most current view of sales; comparing 3 months with the same months a year earlier removes seasonality. Growth is not rewarded above flat (fast growth is as often overtrading). Epidemic drops land in the lower bins; the hardship signal says whether they are temporary.',
    bins: [
      range('REV_DOWN_50PCT_PLUS', undefined, -5000, 24, 'RC_REVENUE_DECLINE_SEVERE'),
      range('REV_DOWN_20_50PCT', -5000, -2000, 40, 'RC_REVENUE_DECLINE'),
      range('REV_DOWN_0_20PCT', -2000, 0, 52, 'RC_REVENUE_SOFT'),
      range('REV_FLAT_OR_UP', 0, undefined, 60),
    ],
    missing: missing([42, 'RC_INVOICES_NO_DATA'], [44, 'RC_INVOICES_STALE']),
  },
  {
    // Social insurance / housing fund. Headcount falls later than sales and only when owners give
    // up on a recovery, so a drop is a strong signal; "keeping jobs stable" is also a condition of
    // the 2020 deferral (POLICY §2). Stable and growing score the same; they are separate bins so
    // the distribution can be monitored.
    id: 'CH_HEADCOUNT_TREND',
    feature: 'headcount-trend-bp-3m-yoy',
    name: { zh: '参保人数同比变化', en: 'Insured headcount trend' },
    rationale:
      'Headcount falls later than sales, and only when owners give up on a recovery, so a drop is a strong signal; keeping jobs stable is also a condition of the 2020 deferral. Stable and growing score the same (separate bins for monitoring).',
    bins: [
      range('HC_DOWN_30PCT_PLUS', undefined, -3000, 30, 'RC_HEADCOUNT_DECLINE_SEVERE'),
      range('HC_DOWN_10_30PCT', -3000, -1000, 44, 'RC_HEADCOUNT_DECLINE'),
      range('HC_STABLE', -1000, 1000, 58),
      range('HC_UP_10PCT_PLUS', 1000, undefined, 58),
    ],
    missing: missing([44, 'RC_HEADCOUNT_NO_DATA'], [46, 'RC_HEADCOUNT_STALE']),
  },
  {
    // Utilities. Water, electricity and gas are paid before most other creditors (supply is cut
    // otherwise), so arrears there are an early sign of a cash squeeze. Counted in months, not
    // money, so a large plant and a small shop are comparable.
    id: 'CH_UTILITY_ARREARS',
    feature: 'utility-arrears-months-12m',
    name: { zh: '水电气欠费月数', en: 'Utility arrears months' },
    rationale:
      'Utilities are paid before most other creditors because supply is cut otherwise, so arrears are an early sign of a cash squeeze. Counted in months, not money, so large and small firms compare.',
    bins: [
      range('ARREARS_NONE', undefined, 1, 56),
      range('ARREARS_1_2M', 1, 3, 46, 'RC_UTILITY_ARREARS'),
      range('ARREARS_3_5M', 3, 6, 32, 'RC_UTILITY_ARREARS_FREQUENT'),
      range('ARREARS_6M_PLUS', 6, undefined, 20, 'RC_UTILITY_ARREARS_FREQUENT'),
    ],
    missing: missing([44, 'RC_UTILITIES_NO_DATA'], [46, 'RC_UTILITIES_STALE']),
  },
  {
    // Customs. For trading firms a collapse in declared trade is lost orders. Most SMEs do not
    // trade across borders, and the data come from customs, not from the firm, so no data scores
    // the same as stable trade: absence must not hurt domestic firms, nor can a firm hide it.
    id: 'CH_CUSTOMS_TREND',
    feature: 'customs-trend-bp-12m',
    name: { zh: '进出口额变化', en: 'Customs trade trend' },
    rationale:
      'For trading firms a collapse in declared trade means lost orders. Most SMEs do not trade across borders and the data come from customs, not the firm, so no data scores like stable trade.',
    bins: [
      range('TRADE_DOWN_50PCT_PLUS', undefined, -5000, 38, 'RC_CUSTOMS_DECLINE_SEVERE'),
      range('TRADE_DOWN_20_50PCT', -5000, -2000, 46, 'RC_CUSTOMS_DECLINE'),
      range('TRADE_STABLE_OR_UP', -2000, undefined, 52),
    ],
    missing: missing([52], [48, 'RC_CUSTOMS_STALE']),
  },
  {
    // Court records. An enforcement case means a court judgment the firm did not pay voluntarily;
    // a dishonest-debtor listing means it evaded one. Among the strongest default predictors
    // available, hence the widest spread after repayment history. Civil suits as defendant are not
    // scored: in commercial life they are frequent and often unrelated to ability to pay.
    id: 'CH_COURT_ENFORCEMENT',
    feature: 'court-enforcements-24m',
    name: { zh: '被执行及失信记录', en: 'Court enforcement records' },
    rationale:
      'An enforcement case is a judgment the firm did not pay voluntarily; a dishonest-debtor listing means it evaded one. Among the strongest predictors available. Civil suits as defendant are not scored: frequent and often unrelated to ability to pay.',
    bins: [
      range('ENF_NONE', undefined, 1, 70),
      range('ENF_ONE', 1, 2, 30, 'RC_COURT_ENFORCEMENT'),
      range('ENF_TWO_PLUS', 2, undefined, -30, 'RC_COURT_ENFORCEMENT_MULTIPLE'),
    ],
    missing: missing([44, 'RC_COURT_NO_DATA'], [52, 'RC_COURT_STALE']),
  },
  {
    // Administrative penalties. Mostly minor (labelling, fire safety), so one costs little;
    // repeated penalties indicate weak management or a business model that depends on cutting
    // corners, and risk licence loss.
    id: 'CH_ADMIN_PENALTY',
    feature: 'administrative-penalties-24m',
    name: { zh: '行政处罚次数', en: 'Administrative penalties' },
    rationale:
      'Penalties are mostly minor, so one costs little; repeated penalties point to weak management or a business that depends on cutting corners, and risk licence loss.',
    bins: [
      range('PEN_NONE', undefined, 1, 54),
      range('PEN_ONE', 1, 2, 46, 'RC_ADMIN_PENALTY'),
      range('PEN_2_3', 2, 4, 34, 'RC_ADMIN_PENALTIES_MULTIPLE'),
      range('PEN_4_PLUS', 4, undefined, 20, 'RC_ADMIN_PENALTIES_MULTIPLE'),
    ],
    missing: missing([44, 'RC_ADMIN_PENALTY_NO_DATA'], [48, 'RC_ADMIN_PENALTY_STALE']),
  },
  {
    // The bank's own repayment history: the best predictor of the next default, hence the widest
    // spread. Bins follow the regulatory overdue buckets (POLICY §2: > 90 days is at least
    // substandard). Days are counted on the revised schedule, so an approved relief deferral is
    // never a delinquency (POLICY §2). New-to-bank firms get a middle score: no evidence either way.
    // 90+ days alone takes a clean firm from 744 to 540 (PD ≈ 10%): a cured default. A loan still
    // over 90 days is non-performing, a case for the workout process rather than a score.
    id: 'CH_BANK_MAX_DPD',
    feature: 'bank-max-dpd-12m',
    name: { zh: '本行最长逾期天数', en: 'Bank repayment: max days past due' },
    rationale:
      "The bank's own repayment history is the best predictor of the next default, hence the widest spread. Bins follow the regulatory overdue buckets (over 90 days: at least substandard). Days count on the revised schedule, so an approved deferral is never a delinquency. New-to-bank firms score in the middle.",
    bins: [
      range('DPD_0', undefined, 1, 84),
      range('DPD_1_29', 1, 30, 50, 'RC_DPD_1_29'),
      range('DPD_30_59', 30, 60, 10, 'RC_DPD_30_59'),
      range('DPD_60_89', 60, 90, -30, 'RC_DPD_60_89'),
      range('DPD_90_PLUS', 90, undefined, -120, 'RC_DPD_90_PLUS'),
    ],
    missing: missing([50, 'RC_NEW_TO_BANK'], [50, 'RC_REPAYMENT_STALE']),
  },
  {
    // Supply-chain receivables. An SME's cash depends on its customers paying; a rising overdue
    // share transmits a large buyer's distress (a frequent path of contagion in 2020) before it
    // shows in the SME's own figures.
    id: 'CH_RECEIVABLES_OVERDUE',
    feature: 'receivables-overdue-bp',
    name: { zh: '逾期应收账款占比', en: 'Overdue receivables share' },
    rationale:
      "An SME's cash depends on its customers paying; a rising overdue share passes on a large buyer's distress before it shows in the SME's own figures.",
    bins: [
      range('OVERDUE_UNDER_5PCT', undefined, 500, 56),
      range('OVERDUE_5_15PCT', 500, 1500, 50, 'RC_RECEIVABLES_OVERDUE'),
      range('OVERDUE_15_30PCT', 1500, 3000, 38, 'RC_RECEIVABLES_OVERDUE_HIGH'),
      range('OVERDUE_30PCT_PLUS', 3000, undefined, 24, 'RC_RECEIVABLES_OVERDUE_SEVERE'),
    ],
    missing: missing([46, 'RC_RECEIVABLES_NO_DATA'], [46, 'RC_RECEIVABLES_STALE']),
  },
]

/**
 * The default champion for segment `sme-general`. Plain data: store it as JSON, compile it with
 * `compileModel`. See MODEL.md (generated tables) for the full description. Deeply frozen: derive a
 * variant with `structuredClone` or spreads.
 */
export const DEFAULT_MODEL: ScorecardModel = deepFreeze({
  id: 'sme-general-default',
  version: '2020.1.0',
  segment: 'sme-general',
  role: 'champion',
  effectiveFrom: parseDate('2020-01-01'),
  effectiveTo: null,
  featureSetVersion: FEATURE_SET_VERSION,
  description:
    'Expert-judgement scorecard for small and medium enterprises across all POLICY §6 data categories; to be validated and recalibrated on the bank’s outcomes.',
  scaling: { basePoints: 600, baseOdds: 19, pdo: 50 },
  freshness: {
    // Days between the newest confirmation of a feed and the scoring date.
    maxAgeDays: {
      registration: 365, // changes rarely; refreshed yearly with the annual report
      tax: 120, // monthly or quarterly returns: one missed quarter
      invoices: 62, // e-invoices are near real time: two months is a broken feed
      'social-insurance': 92,
      utilities: 92,
      customs: 120,
      'court-administrative': 92, // searched at application and quarterly in monitoring
      'bank-repayment': 35, // our own data, refreshed monthly
      receivables: 92,
    },
    // Ratings for year N come out in April of N + 1: keep last year's until the new one is out.
    maxAgeDaysByKind: { 'tax-rating': 455 },
  },
  characteristics: CHARACTERISTICS,
  grades: [
    { grade: 'AAA', minScore: 740 },
    { grade: 'AA', minScore: 710 },
    { grade: 'A', minScore: 680 },
    { grade: 'BBB', minScore: 650 },
    { grade: 'BB', minScore: 620 },
    { grade: 'B', minScore: 590 },
    { grade: 'CCC', minScore: 560 },
    { grade: 'CC', minScore: 530 },
    { grade: 'C', minScore: 500 },
    { grade: 'D', minScore: null },
  ],
  reasonCodes: REASON_CODES,
  reasonCount: 4,
})
