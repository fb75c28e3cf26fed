import { addMonths, addDays, addYears, daysBetween, dateParts, type CalendarDate } from './dates.js'
import { DomainError } from './errors.js'

/**
 * Loan term class per the General Rules on Loans (贷款通则, 1996) art. 12 as summarised in
 * POLICY §2: `short` ≤ 1 year, `medium` > 1 year and ≤ 5 years, `long` > 5 years.
 */
export type TermClass = 'short' | 'medium' | 'long'

function assertOrdered(start: CalendarDate, maturity: CalendarDate, strict: boolean): void {
  if (strict ? maturity <= start : maturity < start) {
    throw new DomainError('invalid-argument', `maturity ${maturity} must be ${strict ? 'after' : 'on or after'} start ${start}`)
  }
}

/**
 * Whole calendar months from `start` to `maturity`: the largest `m` with
 * `addMonths(start, m) ≤ maturity` (so month-end clamping applies: 2020-01-31 → 2020-02-29 is
 * 1 month). 2020-01-15 → 2020-07-14 is 5 months, → 2020-07-15 is 6.
 *
 * @throws DomainError `invalid-argument` when `maturity` is before `start`.
 */
export function termMonths(start: CalendarDate, maturity: CalendarDate): number {
  assertOrdered(start, maturity, false)
  const s = dateParts(start)
  const m = dateParts(maturity)
  const estimate = (m.year - s.year) * 12 + (m.month - s.month)
  // addMonths(start, estimate) lands in maturity's month; past maturity's day → one month fewer.
  return addMonths(start, estimate) > maturity ? estimate - 1 : estimate
}

/**
 * Term class of a loan from `start` (value date) to `maturity` (POLICY §2, General Rules on Loans
 * art. 12). "1 year" and "5 years" are calendar years added with {@link addYears}, so the
 * boundaries are exact dates:
 *
 * - `short` when `maturity ≤ start + 1 year` (2020-03-15 → 2021-03-15 is short);
 * - `medium` when `start + 1 year < maturity ≤ start + 5 years` (→ 2021-03-16 is medium,
 *   → 2025-03-15 still medium);
 * - `long` when `maturity > start + 5 years` (→ 2025-03-16).
 *
 * A loan starting on 29 February reaches its anniversary on 28 February (month-end clamp), so
 * 2020-02-29 → 2021-03-01 is already medium.
 *
 * Use the extended maturity to get the class after an extension: POLICY §2 says the new tier's
 * rate applies from the extension date when term plus extension crosses a tier.
 *
 * @throws DomainError `invalid-argument` unless `maturity` is after `start`.
 */
export function termClass(start: CalendarDate, maturity: CalendarDate): TermClass {
  assertOrdered(start, maturity, true)
  if (maturity <= addYears(start, 1)) return 'short'
  if (maturity <= addYears(start, 5)) return 'medium'
  return 'long'
}

/** The cumulative extension limit of a loan (see {@link maxCumulativeExtension}). */
export interface ExtensionLimit {
  /** Class of the original term. */
  readonly termClass: TermClass
  /** Actual days from start to original maturity. */
  readonly originalTermDays: number
  /** Days from the original maturity to `latestMaturity`: what all extensions together may add. */
  readonly maxExtensionDays: number
  /** The latest maturity any extension may set (inclusive). */
  readonly latestMaturity: CalendarDate
}

/**
 * How far all extensions (展期) of a loan may push its maturity, per General Rules on Loans art. 12
 * (POLICY §2): short-term loans at most the original term, medium-term at most half the original
 * term, long-term at most 3 years. Relief programmes that override this are applied by the caller.
 *
 * Terms are counted as contracts state them, in calendar months ({@link termInMonths}), from the
 * original maturity ({@link addTermFraction}):
 *
 * - `short`: the whole term (a 12-month loan maturing 2020-03-01 may run to 2021-03-01, 365 days,
 *   though its own term held 29 February; a 6-month loan maturing 2020-08-31 to 2021-02-28);
 * - `medium`: half the term; half of an odd number of months adds half the next month's days,
 *   rounded down (15 months from 2021-04-15: 7 months and 15 days → 2021-11-30);
 * - `long`: 3 calendar years, month-end clamped (maturity 2028-02-29 → 2031-02-28).
 *
 * @throws DomainError `invalid-argument` unless `maturity` is after `start`.
 */
export function maxCumulativeExtension(start: CalendarDate, maturity: CalendarDate): ExtensionLimit {
  const cls = termClass(start, maturity)
  const term = termInMonths(start, maturity)
  let latestMaturity: CalendarDate
  switch (cls) {
    case 'short':
      latestMaturity = addTermFraction(maturity, term, 1, 1)
      break
    case 'medium':
      latestMaturity = addTermFraction(maturity, term, 1, 2)
      break
    case 'long':
      latestMaturity = addYears(maturity, 3)
      break
  }
  return { termClass: cls, originalTermDays: daysBetween(start, maturity), maxExtensionDays: daysBetween(maturity, latestMaturity), latestMaturity }
}

/**
 * A contract term as the contract states it: whole calendar months, and the days left over when the
 * maturity is not a month's corresponding day (`{ months: 6, days: 5 }` for 2020-01-15 → 2020-07-20).
 */
export interface MonthTerm {
  readonly months: number
  readonly days: number
}

/**
 * The term from `start` to `maturity` in calendar months and residual days: `months` is
 * {@link termMonths}, `days` what remains after `start + months`. Month ends follow
 * {@link addMonths}: a day the later month lacks is its last day, so 2020-01-31 → 2020-02-29 is one
 * month and no days.
 *
 * @throws DomainError `invalid-argument` when `maturity` is before `start`.
 */
export function termInMonths(start: CalendarDate, maturity: CalendarDate): MonthTerm {
  const months = termMonths(start, maturity)
  return { months, days: daysBetween(addMonths(start, months), maturity) }
}

/**
 * The date `numerator/denominator` of `term` after `from`, counted the way the term is: whole months
 * first (corresponding day, or the month's last day when it has none), then a fraction of a month
 * as that share of the next calendar month's days, then the share of the residual days; each
 * fraction rounded down, so the date never lies beyond the fraction of the term.
 *
 * Half of 15 months from 2021-04-15: 7 months → 2021-11-15, half of the 30 days to 2021-12-15 →
 * 2021-11-30. The whole of 6 months from 2020-08-31: 2021-02-28.
 *
 * @throws DomainError `invalid-argument` unless the fraction is of non-negative integers with a
 * positive denominator.
 */
export function addTermFraction(from: CalendarDate, term: MonthTerm, numerator: number, denominator: number): CalendarDate {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || numerator < 0 || denominator <= 0) {
    throw new DomainError('invalid-argument', `a term fraction needs non-negative integers and a positive denominator, got ${numerator}/${denominator}`)
  }
  const scaledMonths = term.months * numerator
  const wholeMonths = Math.floor(scaledMonths / denominator)
  const afterMonths = addMonths(from, wholeMonths)
  const monthRemainder = scaledMonths - wholeMonths * denominator
  const nextMonthDays = daysBetween(afterMonths, addMonths(from, wholeMonths + 1))
  const fractionDays = Math.floor((monthRemainder * nextMonthDays) / denominator)
  const residualDays = Math.floor((term.days * numerator) / denominator)
  return addDays(afterMonths, fractionDays + residualDays)
}

/**
 * Days past due on `asOf` for an amount due on `dueDate`: 0 up to and including the due date, 1 on
 * the day after (POLICY §2: "overdue the day after maturity"), and so on. Count on the revised
 * schedule when a relief or extension moved the due date.
 */
export function daysPastDue(dueDate: CalendarDate, asOf: CalendarDate): number {
  return asOf > dueDate ? daysBetween(dueDate, asOf) : 0
}
