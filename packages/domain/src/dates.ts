import { DomainError } from './errors.js'

declare const calendarDateBrand: unique symbol

/**
 * A business date: an ISO 8601 calendar date `YYYY-MM-DD` (years 0001–9999) with no time and no
 * time zone. All business dates of the platform (maturities, due dates, pricing dates, programme
 * windows) are **Asia/Shanghai calendar dates**; convert an instant with {@link todayIn}.
 *
 * A branded string: it serialises to JSON and SQL `date` as itself, and two dates compare
 * correctly with `<`/`===` because the format is fixed-width. Obtain one only from
 * {@link parseDate}, {@link makeDate}, {@link todayIn} or the arithmetic below, so it is always a
 * real date (never 2021-02-29).
 */
export type CalendarDate = string & { readonly [calendarDateBrand]: 'CalendarDate' }

/** Year, month (1–12) and day (1–31) of a {@link CalendarDate}. */
export interface DateParts {
  readonly year: number
  readonly month: number
  readonly day: number
}

/** Asia/Shanghai is UTC+8 all year: China has observed no daylight saving time since 1991. */
export const SHANGHAI_UTC_OFFSET_MINUTES = 480

const MS_PER_DAY = 86_400_000
const DATE_PATTERN = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/
const MIN_YEAR = 1
const MAX_YEAR = 9999

/** Gregorian leap year: divisible by 4, except centuries not divisible by 400 (2000 yes, 2100 no). */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

/** Number of days in `month` (1–12) of `year`: 28–31. */
export function daysInMonth(year: number, month: number): number {
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new DomainError('invalid-date', `month out of range: ${month}`)
  if (month === 2) return isLeapYear(year) ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

/**
 * Builds a date from its parts, validating that it exists.
 * @throws DomainError `invalid-date`
 */
export function makeDate(year: number, month: number, day: number): CalendarDate {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new DomainError('invalid-date', `year out of range ${MIN_YEAR}–${MAX_YEAR}: ${year}`)
  }
  if (!Number.isInteger(day) || day < 1 || day > daysInMonth(year, month)) {
    throw new DomainError('invalid-date', `no day ${day} in ${year}-${String(month).padStart(2, '0')}`)
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` as CalendarDate
}

/**
 * Parses `YYYY-MM-DD` strictly: exactly that shape (no time, no zone, no `2020-1-5`) and a day that
 * exists in that month.
 * @throws DomainError `invalid-date`
 */
export function parseDate(text: string): CalendarDate {
  const match = DATE_PATTERN.exec(text)
  if (match === null) throw new DomainError('invalid-date', `not a YYYY-MM-DD date: ${JSON.stringify(text)}`)
  return makeDate(Number(match[1]), Number(match[2]), Number(match[3]))
}

/** Is `value` a valid `YYYY-MM-DD` date string? (Non-throwing form of {@link parseDate}.) */
export function isCalendarDate(value: unknown): value is CalendarDate {
  if (typeof value !== 'string') return false
  try {
    parseDate(value)
    return true
  } catch {
    return false
  }
}

/** The parts of a date. */
export function dateParts(date: CalendarDate): DateParts {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) }
}

/**
 * Days since 1970-01-01 (negative before): a linear day number for arithmetic and storage.
 * Pure integer arithmetic (H. Hinnant's `days_from_civil`), independent of the host time zone.
 */
export function toEpochDay(date: CalendarDate): number {
  const { year, month, day } = dateParts(date)
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146_097 + dayOfEra - 719_468
}

/**
 * The date `epochDay` days after 1970-01-01; inverse of {@link toEpochDay}.
 * @throws DomainError `invalid-date` outside years 0001–9999.
 */
export function fromEpochDay(epochDay: number): CalendarDate {
  if (!Number.isSafeInteger(epochDay)) throw new DomainError('invalid-date', `epoch day must be an integer: ${epochDay}`)
  const z = epochDay + 719_468
  const era = Math.floor(z / 146_097)
  const dayOfEra = z - era * 146_097
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  )
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100))
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153)
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
  return makeDate(year, month, day)
}

/**
 * The Asia/Shanghai calendar date at `instant` ("today" for the business, passed in by the caller
 * from its clock; nothing here reads the system time).
 *
 * Uses the fixed UTC+8 offset rather than the host's time zone database, so the answer does not
 * depend on the server's TZ or ICU build. Exact for every instant since 1991-09-15 (end of
 * China's last DST period); earlier instants could be one hour off tzdb around the 1986–1991
 * summer-time switches, which no loan on this platform touches.
 *
 * @throws DomainError `invalid-date` for an invalid `Date`.
 */
export function todayIn(instant: Date): CalendarDate {
  const ms = instant.getTime()
  if (Number.isNaN(ms)) throw new DomainError('invalid-date', 'invalid Date instant')
  return fromEpochDay(Math.floor((ms + SHANGHAI_UTC_OFFSET_MINUTES * 60_000) / MS_PER_DAY))
}

/** `date` plus `days` calendar days (negative to go back). */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  if (!Number.isSafeInteger(days)) throw new DomainError('invalid-argument', `days must be an integer: ${days}`)
  return fromEpochDay(toEpochDay(date) + days)
}

/**
 * `date` plus `months` calendar months (negative to go back). When the target month is shorter,
 * the day is clamped to its last day: 2020-01-31 + 1 month = 2020-02-29, 2021-01-31 + 1 month =
 * 2021-02-28, 2020-03-31 − 1 month = 2020-02-29. Consequently the operation is not always
 * reversible (2020-01-31 + 1 − 1 month = 2020-01-29).
 */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  if (!Number.isSafeInteger(months)) throw new DomainError('invalid-argument', `months must be an integer: ${months}`)
  const { year, month, day } = dateParts(date)
  const index = year * 12 + (month - 1) + months
  const targetYear = Math.floor(index / 12)
  const targetMonth = index - targetYear * 12 + 1
  if (targetYear < MIN_YEAR || targetYear > MAX_YEAR) throw new DomainError('invalid-date', `year out of range: ${targetYear}`)
  return makeDate(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)))
}

/** `date` plus `years` × 12 months, with the same end-of-month clamp: 2020-02-29 + 1 year = 2021-02-28. */
export function addYears(date: CalendarDate, years: number): CalendarDate {
  if (!Number.isSafeInteger(years)) throw new DomainError('invalid-argument', `years must be an integer: ${years}`)
  return addMonths(date, years * 12)
}

/**
 * Actual number of days from `from` to `to` (negative if `to` is earlier). Counts one end only
 * (算头不算尾): interest from 2020-01-01 to 2020-01-31 runs 30 days.
 */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return toEpochDay(to) - toEpochDay(from)
}

/** −1, 0 or 1 as `a` is before, the same as, or after `b`; usable with `Array.prototype.sort`. */
export function compareDates(a: CalendarDate, b: CalendarDate): -1 | 0 | 1 {
  // The fixed-width ISO form orders lexicographically exactly as chronologically.
  return a < b ? -1 : a > b ? 1 : 0
}

/** Is `a` strictly earlier than `b`? */
export function isBefore(a: CalendarDate, b: CalendarDate): boolean {
  return a < b
}

/** Is `a` strictly later than `b`? */
export function isAfter(a: CalendarDate, b: CalendarDate): boolean {
  return a > b
}

/** Is `a` on or before `b`? */
export function isOnOrBefore(a: CalendarDate, b: CalendarDate): boolean {
  return a <= b
}

/** Is `a` on or after `b`? */
export function isOnOrAfter(a: CalendarDate, b: CalendarDate): boolean {
  return a >= b
}

/**
 * Is `date` within `from…to`, both ends included? Policy windows are written inclusively
 * ("maturing 2020-06-01…2020-12-31", POLICY §2).
 */
export function isWithin(date: CalendarDate, from: CalendarDate, to: CalendarDate): boolean {
  return date >= from && date <= to
}

/** The earliest of the dates. */
export function minDate(first: CalendarDate, ...rest: CalendarDate[]): CalendarDate {
  return rest.reduce((a, b) => (b < a ? b : a), first)
}

/** The latest of the dates. */
export function maxDate(first: CalendarDate, ...rest: CalendarDate[]): CalendarDate {
  return rest.reduce((a, b) => (b > a ? b : a), first)
}
