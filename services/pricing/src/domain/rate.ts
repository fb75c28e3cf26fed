import { addDays, dateParts, isDomainError, lprAsOf, makeDate, type CalendarDate, type LprTable } from '@sme/domain'
import { PricingError } from './errors.js'
import { inForce, programmesInForce, termBand, type BorrowerProfile, type InterestSubsidy, type PricingProduct, type PricingProgramme, type ProgrammeEligibility, type RateCard, type TermBand } from './programmes.js'

/** What a rate is built for. */
export interface RateRequest {
  /** The day the quote is priced: the LPR and the records in force are that day's. */
  readonly pricingDate: CalendarDate
  /** The day the contract takes effect (subsidies name contracts effective from a date). */
  readonly contractDate: CalendarDate
  readonly termMonths: number
  readonly product: PricingProduct
  readonly borrower: BorrowerProfile
}

/** The reference data and records a rate is built from (the service passes what it stores). */
export interface RateSources {
  readonly lpr: LprTable
  readonly cards: readonly RateCard[]
  readonly programmes: readonly PricingProgramme[]
}

/**
 * What a programme did to the quote, and why: `applied` (it changed the rate or pays a subsidy),
 * `not-eligible` (the borrower or contract is outside it), `not-binding` (a cap above the rate
 * already reached), `limited` (a subsidy cut back so the firm's cost stays at or above zero).
 */
export interface Consideration {
  readonly id: string
  readonly version: number
  readonly kind: PricingProgramme['kind']
  readonly status: 'applied' | 'not-eligible' | 'not-binding' | 'limited'
  readonly code: string
  readonly rateBeforeBp: number
  readonly rateAfterBp: number
  /** A subsidy's rate, in hundredths of a basis point (half of 315 bp is 15,750). */
  readonly subsidyCentiBp: number | null
}

export interface SubsidyTerms {
  readonly id: string
  readonly version: number
  readonly payer: InterestSubsidy['payer']
  /** Rate the payer bears, hundredths of a basis point. */
  readonly centiBp: number
  /** Months of the schedule it covers from the contract date. */
  readonly maxMonths: number
}

/** How the rate was reached, step by step (POLICY §3: a quote shows exactly how). */
export interface RateBuild {
  readonly termBand: TermBand
  /** The LPR of the term's tenor (5-year for terms over 5 years) and the publication used. */
  readonly lpr: { readonly tenor: '1y' | '5y'; readonly rateBp: number; readonly publishedOn: CalendarDate }
  /** The 1-year LPR the caps refer to. */
  readonly oneYearLpr: { readonly rateBp: number; readonly publishedOn: CalendarDate }
  /**
   * Where the rate before programmes comes from: the card (a new contract), the contract itself (a
   * deferral, an extension within its tier), or the contract moved into another tier (an extension).
   */
  readonly basis: 'card' | 'contract' | 'extension-tier'
  /** The card spread used (for an extension into another tier: the difference between the bands); null when the contract's rate stands. */
  readonly card: { readonly id: string; readonly version: number; readonly spreadBp: number } | null
  /** The rate before programmes: LPR + card spread, or the contract's (moved into the new tier). */
  readonly cardRateBp: number
  readonly considered: readonly Consideration[]
  /** The contract rate, whole bp. */
  readonly nominalRateBp: number
  readonly subsidies: readonly SubsidyTerms[]
  /** What the firm bears while every subsidy runs: nominal less subsidies, hundredths of a bp, never below zero. */
  readonly firmRateCentiBp: number
}

/**
 * The rate of a quote: the LPR of the term's tenor on the pricing date, plus the card's spread for
 * product, term band and grade; then the programmes in force by precedence — rate cuts, caps
 * relative to the 1-year LPR, subsidies (central, then local on top, never below a zero cost).
 * Sub-basis-point figures are carried in hundredths of a bp, rounded half-up.
 *
 * @throws PricingError `lpr-not-available`, `no-rate-card`, `no-card-spread`.
 */
export function buildRate(request: RateRequest, sources: RateSources): RateBuild {
  const { pricingDate, contractDate, termMonths, product, borrower } = request
  const band = termBand(termMonths)
  const tenor = band === 'over-5y' ? '5y' : '1y'
  const lpr = lprInForce(pricingDate, tenor, sources.lpr)
  const oneYear = tenor === '1y' ? lpr : lprInForce(pricingDate, '1y', sources.lpr)
  const card = cardInForce(sources.cards, pricingDate)
  const spread = card.spreads.find((s) => s.product === product && s.band === band && s.grade === borrower.grade)
  if (spread === undefined) throw new PricingError('no-card-spread', `rate card ${card.id}@${card.version} has no spread for ${product}, ${band}, grade ${borrower.grade}`, '/body/grade')
  const cardRateBp = lpr.rateBp + spread.spreadBp

  let rate = cardRateBp
  const considered: Consideration[] = []
  const subsidies: SubsidyTerms[] = []
  let subsidised = 0
  for (const p of programmesInForce(sources.programmes, pricingDate)) {
    const before = rate
    const note = (status: Consideration['status'], code: string, subsidyCentiBp: number | null = null): void => {
      considered.push({ id: p.id, version: p.version, kind: p.kind, status, code, rateBeforeBp: before, rateAfterBp: rate, subsidyCentiBp })
    }
    switch (p.kind) {
      case 'rate-cut': {
        if (p.requiresAffected && !borrower.affected) {
          note('not-eligible', 'PR_NOT_AFFECTED')
          break
        }
        const segment = p.segments.find((s) => (s.sizes === null || (borrower.size !== null && s.sizes.includes(borrower.size))) && (s.grades === null || s.grades.includes(borrower.grade)))
        if (segment === undefined) {
          note('not-eligible', 'PR_NO_SEGMENT')
          break
        }
        rate = Math.max(0, rate - segment.cutBp)
        note('applied', 'PR_RATE_CUT')
        break
      }
      case 'rate-cap': {
        if (!eligible(p.eligible, borrower)) {
          note('not-eligible', p.eligible === 'key-list' ? 'PR_NOT_ON_KEY_LIST' : 'PR_NOT_INCLUSIVE')
          break
        }
        const cap = oneYear.rateBp + p.overOneYearLprBp
        if (rate <= cap) {
          note('not-binding', 'PR_CAP_NOT_BINDING')
          break
        }
        rate = cap
        note('applied', 'PR_RATE_CAPPED')
        break
      }
      case 'interest-subsidy': {
        if (!eligible(p.eligible, borrower)) {
          note('not-eligible', p.eligible === 'key-list' ? 'PR_NOT_ON_KEY_LIST' : 'PR_NOT_INCLUSIVE')
          break
        }
        if (contractDate < p.contractsFrom) {
          note('not-eligible', 'PR_CONTRACT_TOO_EARLY')
          break
        }
        const basisBp = p.basis.kind === 'rate-paid' ? rate : lprInForce(lastDayOfPreviousMonth(pricingDate), '1y', sources.lpr).rateBp + p.basis.overPreviousMonthOneYearLprBp
        const wanted = halfUp(Math.max(0, basisBp) * p.shareBp, 100)
        const room = rate * 100 - subsidised
        const granted = Math.max(0, Math.min(wanted, room))
        subsidised += granted
        if (granted > 0) subsidies.push({ id: p.id, version: p.version, payer: p.payer, centiBp: granted, maxMonths: p.maxMonths })
        note(granted < wanted ? 'limited' : 'applied', granted < wanted ? 'PR_SUBSIDY_LIMITED_AT_ZERO_COST' : 'PR_SUBSIDY', granted)
        break
      }
    }
  }
  return {
    termBand: band,
    lpr: { tenor, rateBp: lpr.rateBp, publishedOn: lpr.publishedOn },
    oneYearLpr: { rateBp: oneYear.rateBp, publishedOn: oneYear.publishedOn },
    basis: 'card',
    card: { id: card.id, version: card.version, spreadBp: spread.spreadBp },
    cardRateBp,
    considered,
    nominalRateBp: rate,
    subsidies,
    firmRateCentiBp: rate * 100 - subsidised,
  }
}

function eligible(who: ProgrammeEligibility, borrower: BorrowerProfile): boolean {
  return who === 'key-list' ? borrower.keyList !== null : borrower.inclusiveSmallMicro
}

/** The LPR of `tenor` in force on `date` (the latest publication on or before it). */
export function lprInForce(date: CalendarDate, tenor: '1y' | '5y', table: LprTable): { rateBp: number; publishedOn: CalendarDate } {
  try {
    const quote = lprAsOf(date, tenor, table)
    return { rateBp: quote.rateBp, publishedOn: quote.effectiveDate }
  } catch (error) {
    if (isDomainError(error) && error.code === 'lpr-not-available') throw new PricingError('lpr-not-available', error.message, '/body/pricingDate')
    throw error
  }
}

/** The rate card in force on `date`: its highest version. */
export function cardInForce(cards: readonly RateCard[], date: CalendarDate): RateCard {
  let best: RateCard | undefined
  for (const card of cards) if (inForce(card, date) && (best === undefined || card.version > best.version)) best = card
  if (best === undefined) throw new PricingError('no-rate-card', `no rate card in force on ${date}`, '/body/pricingDate')
  return best
}

/** The last day of the month before `date`'s: the re-lending rate is set from that month's LPR. */
function lastDayOfPreviousMonth(date: CalendarDate): CalendarDate {
  const { year, month } = dateParts(date)
  return addDays(makeDate(year, month, 1), -1)
}

/** n ÷ d rounded half-up, for non-negative integers. */
function halfUp(n: number, d: number): number {
  return Math.floor((2 * n + d) / (2 * d))
}
