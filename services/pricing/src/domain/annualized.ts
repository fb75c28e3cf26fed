import { addMonths, daysBetween, type Fen } from '@sme/domain'
import type { Schedule } from './schedule.js'

/**
 * The annualized rate a contract states (PBoC Announcement 2021 No. 3: every loan states its
 * annualized rate with all interest and fees; a compound figure by the IRR method). Shown here by
 * the IRR method: the monthly rate i at which the payments, discounted one month per period, equal
 * the amount the borrower receives, times 12 (nominal annual, compounded monthly). An ACT/360 loan
 * at 3.85% comes to about 3.90%: 365 days of interest a year at a 360-day rate.
 */
export interface AnnualizedRate {
  readonly method: 'IRR'
  readonly compounding: 'monthly'
  /** 12 × the monthly IRR, hundredths of a basis point, rounded half-up. */
  readonly centiBp: number
}

/**
 * @param received what the borrower receives at the start, fen: the principal less fees taken up front
 * @param feesPerPeriod fees paid with each period's payment, fen (guarantee fees charged by the bank)
 * @param paid what is paid on each due date, when it is not the period's payment (a deferral pays
 *   the interest of earlier periods on the deferred date)
 *
 * A short last period (a maturity between monthly dates) is discounted for its share of the month
 * it ends in: 5 days of a 31-day month are 5/31 of a month.
 */
export function annualizedRate(schedule: Schedule, received: Fen = schedule.totalPrincipal, feesPerPeriod: readonly Fen[] = [], paid?: readonly Fen[]): AnnualizedRate {
  const periods = schedule.periods
  const flows = periods.map((p, k) => Number((paid?.[k] ?? p.payment) + (feesPerPeriod[k] ?? 0n)))
  // Every period is one month but a short last one, which is its share of the month it ends in.
  const { startDate, termMonths, maturityDate } = schedule.terms
  let lastShare = 1
  if (maturityDate !== undefined) {
    const previous = termMonths === 1 ? startDate : periods[termMonths - 2]!.dueDate
    lastShare = periods[termMonths - 1]!.days / daysBetween(previous, addMonths(startDate, termMonths))
  }
  const last = flows.length - 1
  const target = Number(received)
  // Newton's method on f(i) = Σ flows_k (1+i)^-t_k − received, from the nominal monthly rate.
  let i = schedule.terms.rateBp / 10_000 / 12
  for (let iteration = 0; iteration < 100; iteration++) {
    let value = -target
    let slope = 0
    let discount = 1
    for (let k = 0; k < flows.length; k++) {
      const share = k === last ? lastShare : 1
      discount = share === 1 ? discount / (1 + i) : discount * Math.pow(1 + i, -share)
      value += flows[k]! * discount
      slope -= ((k + share) * flows[k]! * discount) / (1 + i)
    }
    if (slope === 0) break
    const next = i - value / slope
    if (Math.abs(next - i) < 1e-15) {
      i = next
      break
    }
    i = next
  }
  return { method: 'IRR', compounding: 'monthly', centiBp: Math.floor(i * 12 * 1_000_000 + 0.5) }
}
