import { isAfter, maxDate, type CalendarDate, type Fen } from '@sme/domain'
import type { ReliefDecidedV2Data } from '@sme/contracts'
import { PricingError } from './errors.js'
import { termBand, type BorrowerProfile, type PricingProduct, type TermBand } from './programmes.js'
import { buildRate, cardInForce, lprInForce, type RateBuild, type RateSources } from './rate.js'
import type { QuoteRequest } from './quote.js'
import { periodsUntil } from './schedule.js'

/**
 * Re-pricing the terms of an approved relief decision (POLICY §2 and §3): what the new schedule is
 * drawn from, at which rate and why, or why it cannot be drawn yet. Pure: the service passes the
 * loan and the grade it holds from core banking's and scoring's events.
 *
 * - Deferral (延期还本付息: 银保监发〔2020〕6号 of 2020-03-01, 银发〔2020〕122号 of 2020-06-01 and the
 *   later notices): the contract stands — its rate, no penalty interest (免收罚息), interest accrues
 *   as the programme says (normally, or per contract; both at the contract rate). The deferred
 *   principal (the outstanding principal: the loans deferred repay it at maturity) falls due on the
 *   deferred date; interest falling due before the interest's deferred date is paid on it, with no
 *   interest on that interest.
 * - Extension (展期: General Rules on Loans, 1996, art. 12): the outstanding principal runs from the
 *   previous maturity to the new one; where the total term crosses a rate tier, the new tier's rate
 *   applies from the extension date: the contract rate moved by the card's spread between the two
 *   term bands (the borrower's grade) and by the LPR between the two tenors on that date.
 * - Renewal (续贷: 金规〔2024〕13号 of 2024-09-24, earlier 银监发〔2014〕36号): a new contract for the
 *   outstanding principal, from the old maturity (or the decision, if later) to the new one, priced
 *   like a new loan on the decision date: the card for the grade and the programmes in force.
 */

/** Core banking's loan as pricing holds it from `loans.events.v1`. */
export interface LoanOnBook {
  readonly loanId: string
  readonly product: 'working-capital' | 'fixed-asset' | 'other'
  readonly startDate: CalendarDate
  readonly maturityDate: CalendarDate
  /** The contract rate, bp a year. */
  readonly rateBp: number
  readonly outstandingPrincipal: Fen
  readonly status: string
}

/** Where the rate of a re-priced schedule comes from. */
export type RateBasis =
  /** The contract's rate, unchanged (a deferral; an extension within its rate tier). */
  | { readonly kind: 'contract'; readonly rateBp: number }
  /** An extension into another rate tier: the contract rate moved by the card's and the LPR's differences. */
  | { readonly kind: 'extension-tier'; readonly contractRateBp: number; readonly fromBand: TermBand; readonly toBand: TermBand; readonly from: CalendarDate }
  /** A new contract (a renewal): the card and the programmes on the pricing date. */
  | { readonly kind: 'card' }

/** What the re-priced schedule is drawn from. */
export interface RepricingPlan {
  readonly relief: 'deferral' | 'extension' | 'renewal'
  readonly product: PricingProduct
  readonly principal: Fen
  /** Value date of the re-priced schedule. */
  readonly startDate: CalendarDate
  readonly maturityDate: CalendarDate
  readonly termMonths: number
  readonly method: 'interest-only'
  readonly pricingDate: CalendarDate
  readonly rate: RateBasis
  /** A deferral of interest: interest falling due before this date is paid on the first due date on or after it. */
  readonly interestPaidFrom: CalendarDate | null
  /** The borrower's grade is needed (a card or a change of tier prices by it). */
  readonly needsGrade: boolean
}

/** Why a decision is not priced (final) or not yet (waiting for an event). */
export type RepricingOutcome =
  | { readonly kind: 'plan'; readonly plan: RepricingPlan }
  | { readonly kind: 'not-priced'; readonly code: NotPricedCode }
  | { readonly kind: 'waiting'; readonly for: 'loan' }

/** Why an approved decision has no re-priced schedule (final: a later event changes nothing). */
export const NOT_PRICED_CODES = ['RP_DECLINED', 'RP_LOAN_CLOSED', 'RP_NOTHING_OUTSTANDING', 'RP_NOTHING_DEFERRED', 'RP_ENDS_BEFORE_IT_STARTS', 'RP_LOAN_TERMS_INVALID'] as const
export type NotPricedCode = (typeof NOT_PRICED_CODES)[number]

/** The rate-card product a core-banking loan is priced as: fixed-asset and other loans are term loans. */
export function pricingProductOf(product: LoanOnBook['product']): PricingProduct {
  return product === 'working-capital' ? 'working-capital' : 'term-loan'
}

const CLOSED = new Set(['settled', 'written-off'])

/**
 * The plan for re-pricing `decision` on `loan` (null until core banking's booking has arrived).
 * The decision date is its pricing date: the LPR and records of that day.
 */
export function repricingPlan(decision: Pick<ReliefDecidedV2Data, 'outcome' | 'terms' | 'decidedAt'>, loan: LoanOnBook | null): RepricingOutcome {
  const terms = decision.terms
  if (decision.outcome !== 'APPROVED' || terms === null) return { kind: 'not-priced', code: 'RP_DECLINED' }
  if (loan === null) return { kind: 'waiting', for: 'loan' }
  if (CLOSED.has(loan.status)) return { kind: 'not-priced', code: 'RP_LOAN_CLOSED' }
  if (loan.outstandingPrincipal <= 0n) return { kind: 'not-priced', code: 'RP_NOTHING_OUTSTANDING' }
  if (!isAfter(loan.maturityDate, loan.startDate)) return { kind: 'not-priced', code: 'RP_LOAN_TERMS_INVALID' }
  const decidedOn = decision.decidedAt.slice(0, 10) as CalendarDate
  const product = pricingProductOf(loan.product)
  const plan = (startDate: CalendarDate, maturityDate: CalendarDate, rate: RateBasis, interestPaidFrom: CalendarDate | null, relief: RepricingPlan['relief']): RepricingOutcome => {
    if (!isAfter(maturityDate, startDate)) return { kind: 'not-priced', code: 'RP_ENDS_BEFORE_IT_STARTS' }
    return {
      kind: 'plan',
      plan: {
        relief,
        product,
        principal: loan.outstandingPrincipal,
        startDate,
        maturityDate,
        termMonths: periodsUntil(startDate, maturityDate),
        method: 'interest-only',
        pricingDate: decidedOn,
        rate,
        interestPaidFrom,
        needsGrade: rate.kind !== 'contract',
      },
    }
  }
  switch (terms.kind) {
    case 'deferral': {
      const principal = terms.principal
      const interest = terms.interest
      if (principal === null && interest === null) return { kind: 'not-priced', code: 'RP_NOTHING_DEFERRED' }
      // From the first deferred due date; the principal falls due on its deferred date, or at maturity.
      const starts = [principal?.dueDate, interest?.dueDate].filter((d): d is CalendarDate => d !== undefined).sort()
      const maturity = principal === null ? maxDate(loan.maturityDate, interest!.deferredTo as CalendarDate) : (principal.deferredTo as CalendarDate)
      return plan(starts[0]!, maturity, { kind: 'contract', rateBp: loan.rateBp }, (interest?.deferredTo as CalendarDate | undefined) ?? null, 'deferral')
    }
    case 'extension': {
      const from = terms.previousMaturity as CalendarDate
      const fromBand = termBand(periodsUntil(loan.startDate, loan.maturityDate))
      const toBand = termBand(periodsUntil(loan.startDate, terms.newMaturity as CalendarDate))
      const rate: RateBasis =
        fromBand === toBand ? { kind: 'contract', rateBp: loan.rateBp } : { kind: 'extension-tier', contractRateBp: loan.rateBp, fromBand, toBand, from: (terms.newRateTierFrom as CalendarDate | null) ?? from }
      return plan(from, terms.newMaturity as CalendarDate, rate, null, 'extension')
    }
    case 'renewal': {
      const start = isAfter(loan.maturityDate, decidedOn) ? loan.maturityDate : decidedOn
      return plan(start, terms.newMaturity as CalendarDate, { kind: 'card' }, null, 'renewal')
    }
  }
}

/** What the re-priced schedule is priced from (the rate apart: {@link repricedRate}). */
export function repricingRequest(plan: RepricingPlan): Omit<QuoteRequest, 'borrower'> {
  return {
    product: plan.product,
    principal: plan.principal,
    termMonths: plan.termMonths,
    maturityDate: plan.maturityDate,
    method: plan.method,
    pricingDate: plan.pricingDate,
    startDate: plan.startDate,
    ...(plan.interestPaidFrom === null ? {} : { interestPaidFrom: plan.interestPaidFrom }),
  }
}

/**
 * The rate of a plan: the card's and the programmes' for a new contract (`borrower` needed); the
 * contract's where it stands; for an extension into another tier, the contract rate plus the card's
 * spread difference between the bands (the borrower's grade) and the LPR difference between their
 * tenors, both on the day the new tier applies, never below zero. Programmes are not re-applied to a
 * contract that stands: they priced it when it was signed.
 *
 * @throws PricingError `lpr-not-available`, `no-rate-card`, `no-card-spread` (as {@link buildRate}).
 */
export function repricedRate(plan: RepricingPlan, borrower: BorrowerProfile, sources: RateSources): RateBuild {
  const rate = plan.rate
  if (rate.kind === 'card') {
    return buildRate({ pricingDate: plan.pricingDate, contractDate: plan.startDate, termMonths: plan.termMonths, product: plan.product, borrower }, sources)
  }
  const band = termBand(plan.termMonths)
  const oneYear = lprInForce(plan.pricingDate, '1y', sources.lpr)
  const standing = (basis: RateBuild['basis'], lpr: RateBuild['lpr'], card: RateBuild['card'], rateBp: number): RateBuild => ({
    termBand: band,
    lpr,
    oneYearLpr: oneYear,
    basis,
    card,
    cardRateBp: rateBp,
    considered: [],
    nominalRateBp: rateBp,
    subsidies: [],
    firmRateCentiBp: rateBp * 100,
  })
  if (rate.kind === 'contract') return standing('contract', { tenor: '1y', ...oneYear }, null, rate.rateBp)
  const tenorOf = (b: TermBand) => (b === 'over-5y' ? '5y' : '1y')
  const before = lprInForce(rate.from, tenorOf(rate.fromBand), sources.lpr)
  const after = lprInForce(rate.from, tenorOf(rate.toBand), sources.lpr)
  const card = cardInForce(sources.cards, rate.from)
  const spreadOf = (b: TermBand): number => {
    const spread = card.spreads.find((s) => s.product === plan.product && s.band === b && s.grade === borrower.grade)
    if (spread === undefined) throw new PricingError('no-card-spread', `rate card ${card.id}@${card.version} has no spread for ${plan.product}, ${b}, grade ${borrower.grade}`, '/body/grade')
    return spread.spreadBp
  }
  const spreadMove = spreadOf(rate.toBand) - spreadOf(rate.fromBand)
  const moved = Math.max(0, rate.contractRateBp + spreadMove + (after.rateBp - before.rateBp))
  return standing('extension-tier', { tenor: tenorOf(rate.toBand), ...after }, { id: card.id, version: card.version, spreadBp: spreadMove }, moved)
}
