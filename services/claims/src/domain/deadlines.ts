import { addDays, CN_WORKING_DAYS, DomainError, type CalendarDate, type WorkingDayCalendar } from '@sme/domain'

/**
 * The day `days` official working days after `from` (`from` itself not counted): an agency given
 * 30 business days from a filing on a Friday before the Spring Festival has until the 30th working
 * day after it, holidays skipped and make-up Saturdays counted.
 *
 * @throws DomainError `calendar-not-covered` when the count runs past the years the calendar holds
 */
export function addBusinessDays(from: CalendarDate, days: number, calendar: WorkingDayCalendar = CN_WORKING_DAYS): CalendarDate {
  if (!Number.isSafeInteger(days) || days < 0) throw new DomainError('invalid-argument', `business days must be a non-negative integer, got ${days}`)
  let d = from
  for (let left = days; left > 0; ) {
    d = addDays(d, 1)
    if (calendar.isWorkingDay(d)) left -= 1
  }
  return d
}
