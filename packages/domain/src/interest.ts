import { daysBetween, type CalendarDate } from './dates.js'
import { DomainError } from './errors.js'
import { divideRound, type Fen, type RoundingMode } from './money.js'
import { assertBasisPoints, type BasisPoints } from './rates.js'

/**
 * Day-count convention: actual days elapsed over a fixed year length.
 *
 * - `ACT/360`: daily rate = annual rate / 360, the default for RMB loans (POLICY §3, following the
 *   PBoC rules on RMB interest: 日利率 = 年利率 ÷ 360).
 * - `ACT/365`: daily rate = annual rate / 365 (ACT/365 Fixed: 365 even in leap years), for
 *   products whose contract says so.
 */
export type DayCountBasis = 'ACT/360' | 'ACT/365'

/** All supported day-count bases. */
export const DAY_COUNT_BASES: readonly DayCountBasis[] = ['ACT/360', 'ACT/365']

/** The policy default (POLICY §3). */
export const DEFAULT_DAY_COUNT_BASIS: DayCountBasis = 'ACT/360'

/** Days in the notional year of a basis: 360 or 365. */
export function basisYearDays(basis: DayCountBasis): 360 | 365 {
  switch (basis) {
    case 'ACT/360':
      return 360
    case 'ACT/365':
      return 365
    default:
      throw new DomainError('invalid-argument', `unknown day-count basis: ${String(basis)}`)
  }
}

/** Input of {@link accruedInterest}. */
export interface AccruedInterestInput {
  /** Outstanding principal, fen. */
  readonly principal: Fen
  /** Annual rate, basis points (385 = 3.85% a year). */
  readonly rateBp: BasisPoints
  /** Actual days of accrual, an integer ≥ 0 (count one end only, see `daysBetween`). */
  readonly days: number
  /** Day-count basis; default `ACT/360` (POLICY §3). */
  readonly basis?: DayCountBasis
  /** Rounding of the final amount to whole fen; required because it is part of the product terms. */
  readonly rounding: RoundingMode
}

/**
 * Simple interest in fen: `principal × rateBp × days / (10,000 × yearDays)`, computed exactly as a
 * rational and **rounded once at the end** with `rounding`. Rounding the daily rate or the daily
 * interest first would drift by up to a fen per day; one rounding keeps the result within half a
 * fen (or one fen for directed modes) of the exact figure.
 *
 * @returns fen
 * @throws DomainError `invalid-rate` for a non-integer rate, `invalid-argument` for negative or
 *   fractional days.
 */
export function accruedInterest(input: AccruedInterestInput): Fen {
  const { principal, rateBp, days, basis = DEFAULT_DAY_COUNT_BASIS, rounding } = input
  assertBasisPoints(rateBp)
  if (!Number.isSafeInteger(days) || days < 0) {
    throw new DomainError('invalid-argument', `days must be a non-negative integer, got ${days}`)
  }
  const numerator = principal * BigInt(rateBp) * BigInt(days)
  const denominator = 10_000n * BigInt(basisYearDays(basis))
  return divideRound(numerator, denominator, rounding)
}

/** Input of {@link interestForPeriod}: {@link AccruedInterestInput} with dates instead of a day count. */
export interface InterestForPeriodInput extends Omit<AccruedInterestInput, 'days'> {
  /** First day of accrual (counted), an Asia/Shanghai business date. */
  readonly from: CalendarDate
  /** End of accrual (not counted): the repayment or period-end date. */
  readonly to: CalendarDate
}

/**
 * Interest for the actual days from `from` to `to` (算头不算尾: first day counted, last not),
 * rounded once. 2020-01-01 → 2020-04-01 is 91 days.
 *
 * @returns fen
 * @throws DomainError `invalid-argument` when `to` is before `from`.
 */
export function interestForPeriod(input: InterestForPeriodInput): Fen {
  const { from, to, ...rest } = input
  const days = daysBetween(from, to)
  if (days < 0) throw new DomainError('invalid-argument', `period end ${to} is before its start ${from}`)
  return accruedInterest({ ...rest, days })
}
