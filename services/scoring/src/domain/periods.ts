import { dateParts, daysInMonth, isCalendarDate, type CalendarDate } from '@sme/domain'
import { ScoringError } from './errors.js'

declare const yearMonthBrand: unique symbol

/**
 * A calendar month `YYYY-MM` (Asia/Shanghai, like every business date of the platform): the period
 * of monthly figures such as invoiced revenue or insured headcount. A branded string, fixed width,
 * so months compare correctly with `<`; obtain one from {@link parseYearMonth} or {@link monthOf}.
 */
export type YearMonth = string & { readonly [yearMonthBrand]: 'YearMonth' }

/** The period a data point covers: a month for flows (revenue of 2020-03), a date for snapshots. */
export type Period = YearMonth | CalendarDate

const YEAR_MONTH_PATTERN = /^([0-9]{4})-(0[1-9]|1[0-2])$/

/** Is `value` a `YYYY-MM` month (years 0001–9999)? */
export function isYearMonth(value: unknown): value is YearMonth {
  return typeof value === 'string' && YEAR_MONTH_PATTERN.test(value) && value.slice(0, 4) !== '0000'
}

/**
 * Parses `YYYY-MM` strictly (no `2020-3`, no day).
 * @throws ScoringError `invalid-argument`
 */
export function parseYearMonth(text: string): YearMonth {
  if (!isYearMonth(text)) throw new ScoringError('invalid-argument', `not a YYYY-MM month: ${JSON.stringify(text)}`)
  return text
}

/** Is `value` a valid period: a `YYYY-MM` month or a `YYYY-MM-DD` date? */
export function isPeriod(value: unknown): value is Period {
  return isYearMonth(value) || isCalendarDate(value)
}

/**
 * A month as a linear index, `year × 12 + (month − 1)`, for window arithmetic: the month before
 * 2020-01 is index − 1 = 2019-12. Accepts a month or a date (the date's month).
 */
export function monthIndex(period: Period): number {
  return Number(period.slice(0, 4)) * 12 + Number(period.slice(5, 7)) - 1
}

/** The month of a linear {@link monthIndex}. */
export function monthFromIndex(index: number): YearMonth {
  const year = Math.floor(index / 12)
  const month = index - year * 12 + 1
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}` as YearMonth
}

/** The month a date falls in: 2020-01-23 → 2020-01. */
export function monthOf(date: CalendarDate): YearMonth {
  return date.slice(0, 7) as YearMonth
}

/**
 * Whole calendar months from `from` to `to` (negative if `to` is earlier), as age is counted: a
 * month is complete when the day of month of `to` reaches that of `from`, or `to` is the last day
 * of a shorter month. 2019-01-31 → 2019-02-27 is 0 months, → 2019-02-28 is 1, 2019-01-15 →
 * 2020-01-14 is 11, → 2020-01-15 is 12.
 */
export function wholeMonthsBetween(from: CalendarDate, to: CalendarDate): number {
  if (to < from) return -wholeMonthsBetween(to, from)
  const a = dateParts(from)
  const b = dateParts(to)
  const months = (b.year - a.year) * 12 + (b.month - a.month)
  const monthComplete = b.day >= a.day || b.day === daysInMonth(b.year, b.month)
  return monthComplete ? months : months - 1
}
