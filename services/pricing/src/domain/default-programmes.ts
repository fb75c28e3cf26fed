import { parseDate } from '@sme/domain'
import type { BridgeFund } from './bridge.js'
import { PRICING_PRODUCTS, TERM_BANDS, type CardSpread, type PricingProgramme, type RateCard } from './programmes.js'

const d = parseDate

/**
 * The special re-lending of February 2020 (POLICY §3): for firms on the national or local key
 * epidemic-protection lists, the lending rate is at most the latest 1-year LPR less 100 bp.
 * In force from 2020-01-31; no end is set here (a bank dates it when its quota is used).
 */
export const SPECIAL_RELENDING_CAP_2020: PricingProgramme = {
  kind: 'rate-cap',
  id: 'special-relending-cap-2020',
  version: 1,
  effectiveFrom: d('2020-01-31'),
  effectiveTo: null,
  title: { zh: '专项再贷款支持重点保障企业贷款利率上限', en: 'Special re-lending: rate cap for key epidemic-protection firms' },
  source: 'POLICY §3: special re-lending programme for firms on the national or local key lists (人民银行，2020-01-31)',
  precedence: 20,
  eligible: 'key-list',
  overOneYearLprBp: -100,
}

/** Inclusive re-lending (2020-02-26…2020-06-30): qualifying inclusive small/micro loans at most 1-year LPR + 50 bp. */
export const INCLUSIVE_RELENDING_CAP_2020: PricingProgramme = {
  kind: 'rate-cap',
  id: 'inclusive-relending-cap-2020',
  version: 1,
  effectiveFrom: d('2020-02-26'),
  effectiveTo: d('2020-06-30'),
  title: { zh: '普惠小微再贷款再贴现贷款利率上限', en: 'Inclusive re-lending: rate cap for inclusive small/micro loans' },
  source: 'POLICY §3: inclusive re-lending and rediscount quota (人民银行，2020-02-26…2020-06-30)',
  precedence: 21,
  eligible: 'inclusive-small-micro',
  overOneYearLprBp: 50,
}

/**
 * Central fiscal interest subsidy, first basis (财金〔2020〕3号, 2020-02-01): 50% of the PBoC's
 * re-lending rate (the previous month's 1-year LPR less 250 bp), at most one year.
 */
export const CENTRAL_SUBSIDY_2020_V1: PricingProgramme = {
  kind: 'interest-subsidy',
  id: 'central-subsidy-2020',
  version: 1,
  effectiveFrom: d('2020-02-01'),
  effectiveTo: d('2020-02-06'),
  title: { zh: '中央财政贴息（按再贷款利率的50%）', en: 'Central fiscal subsidy (50% of the re-lending rate)' },
  source: '财金〔2020〕3号 (财政部，2020-02-01)',
  precedence: 30,
  eligible: 'key-list',
  payer: 'central-treasury',
  shareBp: 5_000,
  basis: { kind: 'relending-rate', overPreviousMonthOneYearLprBp: -250 },
  maxMonths: 12,
  contractsFrom: d('2020-01-01'),
}

/**
 * Version 2 (财金〔2020〕5号, 2020-02-07): 50% of the rate the firm actually pays, at most one year,
 * for contracts effective on or after 2020-01-01. Published cases halve the loan rate (3.15% → 1.575%).
 */
export const CENTRAL_SUBSIDY_2020_V2: PricingProgramme = {
  ...CENTRAL_SUBSIDY_2020_V1,
  version: 2,
  effectiveFrom: d('2020-02-07'),
  effectiveTo: null,
  title: { zh: '中央财政贴息（按实际贷款利率的50%）', en: 'Central fiscal subsidy (50% of the rate paid)' },
  source: '财金〔2020〕5号 (财政部，2020-02-07)',
  basis: { kind: 'rate-paid' },
}

/** Every default pricing programme, oldest first. */
export const DEFAULT_PROGRAMMES: readonly PricingProgramme[] = [SPECIAL_RELENDING_CAP_2020, CENTRAL_SUBSIDY_2020_V1, CENTRAL_SUBSIDY_2020_V2, INCLUSIVE_RELENDING_CAP_2020]

/** Risk grades of the default scorecard, best first. */
export const DEFAULT_GRADES = ['AAA', 'AA', 'A', 'BBB', 'BB', 'B', 'CCC', 'CC', 'C', 'D'] as const

const PRODUCT_ADJUSTMENT_BP = { 'working-capital': 0, 'term-loan': 10, 'supply-chain': -10, 'receivables-pledge': -15, 'ip-pledge': -20 } as const

/**
 * The bank's default rate card (configurable; POLICY gives no figures): over the LPR of the term's
 * tenor, 50 bp for AAA rising 25 bp a grade; +20 bp a term band beyond the first; the financing
 * forms the notice promotes 10–20 bp below working capital, term loans 10 bp above.
 */
export const DEFAULT_RATE_CARD: RateCard = {
  kind: 'rate-card',
  id: 'rate-card',
  version: 1,
  effectiveFrom: d('2019-08-20'),
  effectiveTo: null,
  title: { zh: '贷款定价表（默认）', en: 'Rate card (default)' },
  source: 'bank policy (default figures)',
  spreads: PRICING_PRODUCTS.flatMap((product) =>
    TERM_BANDS.flatMap((band, b) =>
      DEFAULT_GRADES.map((grade, g): CardSpread => ({ product, band, grade, spreadBp: 50 + 25 * g + 20 * b + PRODUCT_ADJUSTMENT_BP[product] })),
    ),
  ),
}


/**
 * An emergency bridge fund with the tiering the platform was specified with (0.2‰ a day for up to 5
 * days, then 0.4‰), at most the committed renewal. Local funds set their own figures: a bank records
 * each fund it works with as a version of its own.
 */
export const DEFAULT_BRIDGE_FUND: BridgeFund = {
  kind: 'bridge-fund',
  id: 'bridge-fund',
  version: 1,
  effectiveFrom: d('2019-01-01'),
  effectiveTo: null,
  title: { zh: '应急转贷资金（示例费率）', en: 'Emergency bridge fund (example tiers)' },
  source: 'bank configuration per local fund (example figures: 0.2‰ a day for up to 5 days, then 0.4‰)',
  tiers: [
    { throughDay: 5, dailyPpm: 200 },
    { throughDay: null, dailyPpm: 400 },
  ],
  maxShareOfRenewalBp: 10_000,
  maxDays: null,
}
