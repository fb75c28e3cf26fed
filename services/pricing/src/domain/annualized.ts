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
  const months = periods.map((_, k) => k + 1)
  const { startDate, termMonths, maturityDate } = schedule.terms
  if (maturityDate !== undefined) {
    const regular = addMonths(startDate, termMonths)
    const previous = termMonths === 1 ? startDate : periods[termMonths - 2]!.dueDate
    months[termMonths - 1] = termMonths - 1 + periods[termMonths - 1]!.days / daysBetween(previous, regular)
  }
  const target = Number(received)
  // Newton's method on f(i) = Σ flows_k (1+i)^-(k+1) − received, from the nominal monthly rate.
  let i = schedule.terms.rateBp / 10_000 / 12
  for (let step = 0; step < 100; step++) {
    let value = -target
    let slope = 0
    let discount = 1
    for (let k = 0; k < flows.length; k++) {
      // One month further each period; the short last one only its share of a month.
      const step = months[k]! - k
      discount = step === 1 ? discount / (1 + i) : discount * Math.pow(1 + i, -step)
      value += flows[k]! * discount
      slope -= (months[k]! * flows[k]! * discount) / (1 + i)
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
