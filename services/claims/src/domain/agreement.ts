import { isCalendarDate, isRoundingMode, isOnOrAfter, isOnOrBefore, type CalendarDate, type Citation, type LocalizedText, type RoundingMode, type ValidationIssue } from '@sme/domain'

import { LAYER_PARTIES, type LayerParty } from '@sme/contracts/vocabulary'

export { LAYER_PARTIES, type LayerParty }

/** One layer of an agreement's risk sharing. */
export interface RiskLayer {
  readonly party: LayerParty
  /** The institution (agency code, fund, government or bank), stable across versions. */
  readonly partyId: string
  /** Its share of the loss, basis points of the whole (all layers sum to 10,000). */
  readonly shareBp: number
}

/** A document a claim under the agreement must carry. */
export interface DocumentRequirement {
  readonly code: string
  readonly text: LocalizedText
}

/** Firm sizes a guarantee programme serves (the notice of 2020-02-10, item 9: 小微企业). */
export type CoveredSize = 'micro' | 'small' | 'medium'

/**
 * One version of a guarantee agreement between the bank and an agency, as dated data: a loan is
 * claimed under the version in force on the day it was guaranteed, never under today's (a later
 * version changes new guarantees only). Every figure is a parameter of the agreement: POLICY §5
 * gives the usual ones, the agreement the binding ones.
 */
export interface GuaranteeAgreement {
  readonly id: string
  readonly version: number
  /** Loans guaranteed from this day to `effectiveTo` (inclusive, Asia/Shanghai) fall under this version. */
  readonly effectiveFrom: CalendarDate
  readonly effectiveTo: CalendarDate | null
  readonly title: LocalizedText
  /** The programme the guarantees belong to (e.g. the national fund's re-guarantee business). */
  readonly programme: string
  /** The originating agency: the `partyId` of the `originating-agency` layer. */
  readonly agencyId: string
  readonly citations: readonly Citation[]
  readonly coveredSizes: readonly CoveredSize[]
  /** Share of the claimable amount the guarantee covers, basis points: all layers but the bank's. */
  readonly coveredShareBp: number
  readonly layers: readonly RiskLayer[]
  /** The least the bank keeps, basis points (POLICY §5: at least 20%). */
  readonly bankMinimumShareBp: number
  /** How the covered amount is rounded to the fen, and which layer takes the fen a split leaves over. */
  readonly rounding: { readonly amount: RoundingMode; readonly remainderTo: LayerParty }
  /** Days past due from which a claim may be filed. */
  readonly claimAfterDaysPastDue: number
  /** Business days (the official calendar) the agency has to pay a filed claim. */
  readonly paymentDeadlineBusinessDays: number
  /**
   * Claimable interest: the unpaid contractual interest, at most what the outstanding principal
   * accrues at the contract rate over `maxDays` (ACT/360, rounded with `rounding`).
   */
  readonly interestCap: { readonly maxDays: number; readonly rounding: RoundingMode }
  /** Recourse after payment, months; extended for a borrower hit by the epidemic (item 9: 视疫情影响情况适当延长追偿时限). */
  readonly recourse: { readonly months: number; readonly epidemicExtensionMonths: number }
  readonly requiredDocuments: readonly DocumentRequirement[]
  /** Annual fees on the guaranteed amount, basis points (the bank's statements; claims do not use them). */
  readonly fees: { readonly guaranteeBp: number; readonly reguaranteeBp: number }
  /**
   * The agency's compensation per bank and vintage (the year loans were guaranteed), net of what was
   * recovered, at most this share of the book guaranteed that year; `enforce` refuses a filing past
   * it, `flag` files it and says so.
   */
  readonly portfolioCap: { readonly capBp: number; readonly mode: 'enforce' | 'flag' }
}

/** The layers that pay a claim: every layer but the bank's, in the agreement's order. */
export function payingLayers(agreement: Pick<GuaranteeAgreement, 'layers'>): readonly RiskLayer[] {
  return agreement.layers.filter((l) => l.party !== 'bank')
}

function integerIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max
}

/**
 * Everything wrong with an agreement version, each naming its field: an agreement that contradicts
 * itself (shares not summing to the whole, a covered share other than the layers it covers, a bank
 * keeping less than its minimum) is refused before it can price a single claim.
 */
export function agreementIssues(a: GuaranteeAgreement): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const at = (path: string, message: string) => issues.push({ path, message })
  if (!integerIn(a.version, 1, 1_000_000)) at('/version', 'must be an integer from 1')
  if (!isCalendarDate(a.effectiveFrom)) at('/effectiveFrom', 'must be a date')
  if (a.effectiveTo !== null && (!isCalendarDate(a.effectiveTo) || (isCalendarDate(a.effectiveFrom) && !isOnOrAfter(a.effectiveTo, a.effectiveFrom)))) {
    at('/effectiveTo', 'must be a date on or after effectiveFrom, or null')
  }
  if (a.coveredSizes.length === 0) at('/coveredSizes', 'must name at least one size')
  if (a.layers.length < 2) at('/layers', 'must have the bank and at least one paying layer')
  const seen = new Set<string>()
  a.layers.forEach((l, i) => {
    if (!integerIn(l.shareBp, 1, 10_000)) at(`/layers/${i}/shareBp`, 'must be an integer from 1 to 10000')
    if (!(LAYER_PARTIES as readonly string[]).includes(l.party)) at(`/layers/${i}/party`, 'is not a known party')
    const key = `${l.party}:${l.partyId}`
    if (seen.has(key)) at(`/layers/${i}`, 'repeats a layer')
    seen.add(key)
  })
  const total = a.layers.reduce((s, l) => s + l.shareBp, 0)
  if (total !== 10_000) at('/layers', `shares must sum to 10000 bp, not ${total}`)
  const banks = a.layers.filter((l) => l.party === 'bank')
  const originating = a.layers.filter((l) => l.party === 'originating-agency')
  if (banks.length !== 1) at('/layers', 'must have exactly one bank layer')
  if (originating.length !== 1) at('/layers', 'must have exactly one originating-agency layer')
  if (!integerIn(a.bankMinimumShareBp, 0, 10_000)) at('/bankMinimumShareBp', 'must be an integer from 0 to 10000')
  const bank = banks[0]
  if (bank && bank.shareBp < a.bankMinimumShareBp) at('/layers', `the bank keeps ${bank.shareBp} bp, less than its minimum of ${a.bankMinimumShareBp}`)
  const covered = payingLayers(a).reduce((s, l) => s + l.shareBp, 0)
  if (a.coveredShareBp !== covered) at('/coveredShareBp', `must equal the paying layers' shares (${covered} bp)`)
  if (originating[0] && originating[0].partyId !== a.agencyId) at('/agencyId', 'must be the originating agency layer’s partyId')
  if (!isRoundingMode(a.rounding.amount)) at('/rounding/amount', 'is not a rounding mode')
  if (!a.layers.some((l) => l.party === a.rounding.remainderTo && l.party !== 'bank')) at('/rounding/remainderTo', 'must name a paying layer of the agreement')
  if (!integerIn(a.claimAfterDaysPastDue, 1, 3_650)) at('/claimAfterDaysPastDue', 'must be an integer from 1 to 3650')
  if (!integerIn(a.paymentDeadlineBusinessDays, 1, 365)) at('/paymentDeadlineBusinessDays', 'must be an integer from 1 to 365')
  if (!integerIn(a.interestCap.maxDays, 0, 3_650)) at('/interestCap/maxDays', 'must be an integer from 0 to 3650')
  if (!isRoundingMode(a.interestCap.rounding)) at('/interestCap/rounding', 'is not a rounding mode')
  if (!integerIn(a.recourse.months, 0, 600)) at('/recourse/months', 'must be an integer from 0 to 600')
  if (!integerIn(a.recourse.epidemicExtensionMonths, 0, 120)) at('/recourse/epidemicExtensionMonths', 'must be an integer from 0 to 120')
  const codes = new Set<string>()
  a.requiredDocuments.forEach((d, i) => {
    if (codes.has(d.code)) at(`/requiredDocuments/${i}/code`, 'repeats a document')
    codes.add(d.code)
  })
  if (!integerIn(a.fees.guaranteeBp, 0, 10_000)) at('/fees/guaranteeBp', 'must be an integer from 0 to 10000')
  if (!integerIn(a.fees.reguaranteeBp, 0, 10_000)) at('/fees/reguaranteeBp', 'must be an integer from 0 to 10000')
  if (!integerIn(a.portfolioCap.capBp, 1, 10_000)) at('/portfolioCap/capBp', 'must be an integer from 1 to 10000')
  if (a.portfolioCap.mode !== 'enforce' && a.portfolioCap.mode !== 'flag') at('/portfolioCap/mode', 'must be enforce or flag')
  return issues
}

/**
 * The version of agreement `id` that governs a loan guaranteed on `guaranteedOn`: the highest
 * version whose window holds that day, or null when none does (the loan is not covered by it).
 */
export function agreementInForce(versions: readonly GuaranteeAgreement[], id: string, guaranteedOn: CalendarDate): GuaranteeAgreement | null {
  let found: GuaranteeAgreement | null = null
  for (const a of versions) {
    if (a.id !== id || !isOnOrBefore(a.effectiveFrom, guaranteedOn)) continue
    if (a.effectiveTo !== null && !isOnOrBefore(guaranteedOn, a.effectiveTo)) continue
    if (found === null || a.version > found.version) found = a
  }
  return found
}
