import { addDays, CN_WORKING_DAYS, toEpochDay, DomainError, type CalendarDate, type WorkingDayCalendar } from '@sme/domain'

/** Statutory holidays on fixed calendar dates (MM-DD), as the 2024 revision of the holiday rules sets them from 2025. */
const FIXED_HOLIDAYS: readonly string[] = ['01-01', '05-01', '05-02', '10-01', '10-02', '10-03']

/**
 * The day `days` official working days after `from` (`from` itself not counted): an agency given
 * 30 business days from a filing on a Friday before the Spring Festival has until the 30th working
 * day after it, holidays skipped and make-up Saturdays counted.
 *
 * A year the calendar does not hold yet (the State Council publishes each year's arrangements late
 * in the year before) throws, unless `beyondCalendar` is `weekdays`: then its Mondays to Fridays
 * count but for the holidays fixed by calendar date in 《全国年节及纪念日放假办法》 (1 January, 1–2 May,
 * 1–3 October; the lunar ones and the make-up days are only known from the year's notice), and
 * `estimated` says the deadline rests on that (a deployment adds the notice to the calendar when it
 * is published).
 *
 * @throws DomainError `calendar-not-covered` when the count runs past the calendar's years and `beyondCalendar` is `throw`
 */
export function addBusinessDays(
  from: CalendarDate,
  days: number,
  calendar: WorkingDayCalendar = CN_WORKING_DAYS,
  beyondCalendar: 'throw' | 'weekdays' = 'throw',
): CalendarDate {
  return businessDaysAfter(from, days, calendar, beyondCalendar).date
}

/** {@link addBusinessDays}, saying whether a day beyond the calendar was counted as a plain weekday. */
export function businessDaysAfter(from: CalendarDate, days: number, calendar: WorkingDayCalendar, beyondCalendar: 'throw' | 'weekdays'): { date: CalendarDate; estimated: boolean } {
  if (!Number.isSafeInteger(days) || days < 0) throw new DomainError('invalid-argument', `business days must be a non-negative integer, got ${days}`)
  let d = from
  let estimated = false
  for (let left = days; left > 0; ) {
    d = addDays(d, 1)
    let working: boolean
    if (calendar.covers(d) || beyondCalendar === 'throw') working = calendar.isWorkingDay(d)
    else {
      estimated = true
      // 1970-01-01 (epoch day 0) was a Thursday: (day + 4) mod 7 is 0 on Sundays, 6 on Saturdays.
      const weekday = (toEpochDay(d) + 4) % 7
      working = weekday !== 0 && weekday !== 6 && !FIXED_HOLIDAYS.includes(d.slice(5))
    }
    if (working) left -= 1
  }
  return { date: d, estimated }
}
