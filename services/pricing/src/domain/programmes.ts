import type { CalendarDate, LocalizedText, SmeSize } from '@sme/domain'

/**
 * The products a quote prices (POLICY §3): working-capital and term loans, and the financing forms
 * the notice promotes — supply-chain finance, receivables pledge, intellectual-property pledge.
 */
export const PRICING_PRODUCTS = ['working-capital', 'term-loan', 'supply-chain', 'receivables-pledge', 'ip-pledge'] as const
export type PricingProduct = (typeof PRICING_PRODUCTS)[number]

/** Term bands of a rate card: up to 1 year, to 3, to 5, over 5 (the 5-year LPR's side). */
export const TERM_BANDS = ['up-to-1y', '1y-to-3y', '3y-to-5y', 'over-5y'] as const
export type TermBand = (typeof TERM_BANDS)[number]

/** The band a term in months falls in: ≤ 12, ≤ 36, ≤ 60, above. */
export function termBand(termMonths: number): TermBand {
  return termMonths <= 12 ? 'up-to-1y' : termMonths <= 36 ? '1y-to-3y' : termMonths <= 60 ? '3y-to-5y' : 'over-5y'
}

/** What every dated pricing record carries: an id, a version and the days it is in force (both ends included). */
export interface DatedRecord {
  readonly id: string
  readonly version: number
  readonly effectiveFrom: CalendarDate
  /** Last day in force; `null` while open-ended. */
  readonly effectiveTo: CalendarDate | null
  readonly title: LocalizedText
  /** The text it rests on: title, number, issuer, date. */
  readonly source: string
}

/** One spread of a rate card, in bp over the LPR of the term's tenor (may be negative). */
export interface CardSpread {
  readonly product: PricingProduct
  readonly band: TermBand
  readonly grade: string
  readonly spreadBp: number
}

/** The bank's rate card: spreads by product, term band and risk grade. */
export interface RateCard extends DatedRecord {
  readonly kind: 'rate-card'
  readonly spreads: readonly CardSpread[]
}

/** Who a quote is for, as pricing needs to know them on the pricing date. */
export interface BorrowerProfile {
  readonly kind: 'enterprise' | 'person'
  /** An enterprise's size; `null` for a natural person. */
  readonly size: SmeSize | null
  /** Risk grade from scoring (or given in the request). */
  readonly grade: string
  /** Hit by the crisis and viable, as the bank's relief policy judges (bank policy). */
  readonly affected: boolean
  /** The key epidemic-protection list it is on that day (national or local), or `null`. */
  readonly keyList: { readonly list: 'national' | 'local'; readonly listedOn: CalendarDate } | null
  /** An inclusive small/micro loan (普惠小微: total credit within the cap, small/micro borrower). */
  readonly inclusiveSmallMicro: boolean
}

/**
 * A relief rate cut (bank policy, POLICY §3: "configurable by segment and grade"): the first
 * segment matching the borrower takes `cutBp` off the card rate, for affected firms where required.
 */
export interface RateCut extends DatedRecord {
  readonly kind: 'rate-cut'
  readonly precedence: number
  readonly requiresAffected: boolean
  /** `sizes`/`grades` `null`: any. Natural persons match a segment whose sizes are `null`. */
  readonly segments: readonly { readonly sizes: readonly SmeSize[] | null; readonly grades: readonly string[] | null; readonly cutBp: number }[]
}

/** Who a cap or a subsidy is for. */
export type ProgrammeEligibility = 'key-list' | 'inclusive-small-micro'

/**
 * A cap on the lending rate relative to the 1-year LPR of the pricing date: the special re-lending
 * (≤ LPR − 100 bp for firms on the key lists), the inclusive re-lending (≤ LPR + 50 bp).
 */
export interface RateCap extends DatedRecord {
  readonly kind: 'rate-cap'
  readonly precedence: number
  readonly eligible: ProgrammeEligibility
  readonly overOneYearLprBp: number
}

/**
 * What a subsidy is a share of: the rate the firm actually pays, or the PBoC's re-lending rate
 * (the previous month's 1-year LPR plus `overPreviousMonthOneYearLprBp`, 财金〔2020〕3号's first basis).
 */
export type SubsidyBasis = { readonly kind: 'rate-paid' } | { readonly kind: 'relending-rate'; readonly overPreviousMonthOneYearLprBp: number }

/**
 * An interest subsidy (贴息): `shareBp` of its basis, paid by `payer`, for the first `maxMonths`
 * months of contracts effective on or after `contractsFrom`. Local subsidies stack on the central
 * one but never take the firm's cost below zero (财办金〔2020〕13号 warns against layered subsidies).
 */
export interface InterestSubsidy extends DatedRecord {
  readonly kind: 'interest-subsidy'
  readonly precedence: number
  readonly eligible: ProgrammeEligibility
  readonly payer: 'central-treasury' | 'local-treasury'
  readonly shareBp: number
  readonly basis: SubsidyBasis
  readonly maxMonths: number
  readonly contractsFrom: CalendarDate
}

export type PricingProgramme = RateCut | RateCap | InterestSubsidy

/** Is a dated record in force on `date` (both ends included)? */
export function inForce(record: Pick<DatedRecord, 'effectiveFrom' | 'effectiveTo'>, date: CalendarDate): boolean {
  return record.effectiveFrom <= date && (record.effectiveTo === null || date <= record.effectiveTo)
}

/** The records in force on `date`: for each id the highest version in force, ordered by precedence (ties by id). */
export function programmesInForce(programmes: readonly PricingProgramme[], date: CalendarDate): PricingProgramme[] {
  const latest = new Map<string, PricingProgramme>()
  for (const p of programmes) {
    if (!inForce(p, date)) continue
    const seen = latest.get(p.id)
    if (seen === undefined || p.version > seen.version) latest.set(p.id, p)
  }
  return [...latest.values()].sort((a, b) => a.precedence - b.precedence || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}
