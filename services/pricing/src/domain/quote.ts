import type { CalendarDate, DayCountBasis, Fen } from '@sme/domain'
import { annualizedRate, type AnnualizedRate } from './annualized.js'
import type { BorrowerProfile, PricingProduct } from './programmes.js'
import { buildRate, type RateBuild, type RateSources } from './rate.js'
import { buildSchedule, periodInterest, SCHEDULE_CONVENTIONS, type RepaymentMethod, type Schedule } from './schedule.js'
import { SUBSIDY_CONVENTIONS, subsidySchedule, type SubsidySchedule } from './subsidy.js'

/** What a quote is asked for (POLICY §3 quotes). */
export interface QuoteRequest {
  readonly borrower: BorrowerProfile
  readonly product: PricingProduct
  readonly principal: Fen
  readonly termMonths: number
  /** A maturity between monthly dates: the schedule ends with a short period on it. */
  readonly maturityDate?: CalendarDate
  readonly method: RepaymentMethod
  readonly graceMonths?: number
  /** The day priced: LPR and records in force. */
  readonly pricingDate: CalendarDate
  /** Value date of the loan, the day the contract takes effect. */
  readonly startDate: CalendarDate
  readonly basis?: DayCountBasis
  /**
   * A government-backed guarantee's fee, bp a year on the outstanding principal, paid with each
   * instalment to the guarantor (POLICY §3: target ≤ 1% a year). Absent: no guarantee fee.
   */
  readonly guaranteeFeeBp?: number
  /**
   * Deferred interest (a relief deferral): interest falling due before this date is paid on the first
   * due date on or after it, with no interest on it (POLICY §2: no penalty interest).
   */
  readonly interestPaidFrom?: CalendarDate
}

/** A priced loan: how the rate was reached, the schedule, who pays what, and the cost to the firm. */
export interface PricedQuote {
  readonly rate: RateBuild
  readonly schedule: Schedule
  /** Principal and interest paid on each due date: the period's payment, but where interest is deferred. */
  readonly paid: readonly Fen[]
  readonly subsidy: SubsidySchedule
  /** Guarantee fee per period, fen (empty without a guarantee fee). */
  readonly guaranteeFees: readonly Fen[]
  /** The rate the contract states (PBoC Announcement 2021 No. 3): the bank's interest, IRR method. */
  readonly contractAnnualized: AnnualizedRate
  /** What the firm bears: interest less subsidies, plus guarantee fees; and that as an IRR-method rate. */
  readonly firmCost: { readonly interestFen: Fen; readonly subsidyFen: Fen; readonly guaranteeFeeFen: Fen; readonly netFen: Fen; readonly annualized: AnnualizedRate }
}

/** Every convention a quote follows, stated with it. */
export const QUOTE_CONVENTIONS = {
  lprPublication:
    'The LPR of the term’s tenor is the latest published on or before the pricing date: published on the 20th at 9:15 and applying from that day, or from the next official working day when the 20th is not one (make-up working Saturdays count; the State Council’s holiday notices); a quote priced on a publication day uses that day’s LPR.',
  ...SCHEDULE_CONVENTIONS,
  ...SUBSIDY_CONVENTIONS,
  guaranteeFee: 'A guarantee fee accrues like interest, on the opening principal for the period’s days at its bp a year, rounded half-up per period.',
  annualized:
    'Annualized rates are stated by the IRR method (PBoC Announcement 2021 No. 3): 12 × the monthly internal rate of return of the cash flows, one month per period; the contract figure counts the bank’s interest, the firm’s figure nets subsidies off and adds guarantee fees.',
  subBasisPoint: 'Rates below one basis point are carried in hundredths of a bp (half of 305 bp is 152.5 bp = 15,250), rounded half-up beyond that.',
  deferredInterest:
    'Where interest is deferred (a relief deferral), the interest of every period falling due before the deferred date accrues as scheduled and is paid on the first due date on or after it, in full and with no interest on it; no penalty interest is charged.',
} as const

/** Prices a loan: rate, schedule, subsidies, fees and annualized rates (pure). */
export function priceQuote(request: QuoteRequest, sources: RateSources): PricedQuote {
  const rate = buildRate(
    { pricingDate: request.pricingDate, contractDate: request.startDate, termMonths: request.termMonths, product: request.product, borrower: request.borrower },
    sources,
  )
  return priceAtRate(request, rate)
}

/** Prices a loan at a rate already built (a re-priced contract's, or the card's). */
export function priceAtRate(request: Omit<QuoteRequest, 'borrower'>, rate: RateBuild): PricedQuote {
  const schedule = buildSchedule({
    principal: request.principal,
    rateBp: rate.nominalRateBp,
    startDate: request.startDate,
    termMonths: request.termMonths,
    ...(request.maturityDate === undefined ? {} : { maturityDate: request.maturityDate }),
    method: request.method,
    ...(request.graceMonths === undefined ? {} : { graceMonths: request.graceMonths }),
    ...(request.basis === undefined ? {} : { basis: request.basis }),
  })
  const subsidy = subsidySchedule(schedule, rate.subsidies)
  const yearDays = (request.basis ?? 'ACT/360') === 'ACT/360' ? 360 : 365
  const feeBp = request.guaranteeFeeBp ?? 0
  const guaranteeFees = feeBp === 0 ? [] : schedule.periods.map((p) => periodInterest(p.openingPrincipal, feeBp, p.days, yearDays))
  const guaranteeFeeFen = guaranteeFees.reduce((a, b) => a + b, 0n)
  const subsidyFen = subsidy.totals.reduce((a, s) => a + s.amount, 0n)
  // The firm's flows: each payment less the subsidies of that period, plus its guarantee fee.
  const firmExtras = schedule.periods.map((_, k) => (guaranteeFees[k] ?? 0n) - subsidy.periods[k]!.reduce((a, s) => a + s.amount, 0n))
  const paid = request.interestPaidFrom === undefined ? schedule.periods.map((p) => p.payment) : paidWithDeferredInterest(schedule, request.interestPaidFrom)
  return {
    rate,
    schedule,
    paid,
    subsidy,
    guaranteeFees,
    contractAnnualized: annualizedRate(schedule, schedule.totalPrincipal, [], paid),
    firmCost: {
      interestFen: schedule.totalInterest,
      subsidyFen,
      guaranteeFeeFen,
      netFen: schedule.totalInterest - subsidyFen + guaranteeFeeFen,
      annualized: annualizedRate(schedule, schedule.totalPrincipal, firmExtras, paid),
    },
  }
}

/** Each due date's payment when the interest falling due before `from` is paid on the first due date on or after it. */
function paidWithDeferredInterest(schedule: Schedule, from: CalendarDate): Fen[] {
  let carried = 0n
  return schedule.periods.map((p, k) => {
    const last = k === schedule.periods.length - 1
    if (p.dueDate < from && !last) {
      carried += p.interest
      return p.principal
    }
    const payment = p.payment + carried
    carried = 0n
    return payment
  })
}
