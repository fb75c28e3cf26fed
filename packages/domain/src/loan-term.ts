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
  /** Most days all extensions together may add to the original maturity. */
  readonly maxExtensionDays: number
  /** Original maturity + `maxExtensionDays`: the latest maturity any extension may set (inclusive). */
  readonly latestMaturity: CalendarDate
}

/**
 * How far all extensions (展期) of a loan may push its maturity, per General Rules on Loans art. 12
 * (POLICY §2): short-term loans at most the original term, medium-term at most half the original
 * term, long-term at most 3 years. Relief programmes that override this are applied by the caller.
 *
 * Representation: a number of actual days plus the resulting latest maturity date. The original
 * term is measured in actual days (`daysBetween(start, maturity)`) because "half a term" of an odd
 * number of months has no calendar meaning, and days make every limit exact:
 *
 * - `short`: `originalTermDays` (a 2020-03-01 → 2021-03-01 loan, 365 days, may run to 2022-03-01;
 *   a 366-day term spanning a 29 February gets 366 days);
 * - `medium`: `floor(originalTermDays / 2)`, rounding down so the limit is never exceeded
 *   (2020-01-01 → 2021-07-01 is 547 days → 273 days → 2022-03-31);
 * - `long`: 3 calendar years from the original maturity with the month-end clamp
 *   (maturity 2028-02-29 → 2031-02-28), expressed in days as well.
 *
 * @throws DomainError `invalid-argument` unless `maturity` is after `start`.
 */
export function maxCumulativeExtension(start: CalendarDate, maturity: CalendarDate): ExtensionLimit {
  const cls = termClass(start, maturity)
  const originalTermDays = daysBetween(start, maturity)
  let maxExtensionDays: number
  switch (cls) {
    case 'short':
      maxExtensionDays = originalTermDays
      break
    case 'medium':
      maxExtensionDays = Math.floor(originalTermDays / 2)
      break
    case 'long':
      maxExtensionDays = daysBetween(maturity, addYears(maturity, 3))
      break
  }
  return { termClass: cls, originalTermDays, maxExtensionDays, latestMaturity: addDays(maturity, maxExtensionDays) }
}

/**
 * Days past due on `asOf` for an amount due on `dueDate`: 0 up to and including the due date, 1 on
 * the day after (POLICY §2: "overdue the day after maturity"), and so on. Count on the revised
 * schedule when a relief or extension moved the due date.
 */
export function daysPastDue(dueDate: CalendarDate, asOf: CalendarDate): number {
  return asOf > dueDate ? daysBetween(dueDate, asOf) : 0
}
