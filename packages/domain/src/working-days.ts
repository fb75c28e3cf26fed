import { addDays, dateParts, makeDate, parseDate, toEpochDay, type CalendarDate } from './dates.js'
import { DomainError } from './errors.js'

/**
 * One year of the official working-day calendar of the mainland (国务院办公厅's annual notice on
 * public holidays): the days off (a range `from…to` or a day) and the weekend days worked in their
 * place (调休上班). Every other Saturday and Sunday is off, every other weekday a working day.
 */
export interface OfficialYear {
  readonly year: number
  /** The notice(s) it rests on: title, date, where published. */
  readonly source: string
  readonly holidays: readonly string[]
  readonly makeUpWorkdays: readonly string[]
}

/**
 * The State Council's holiday arrangements for 2019–2026, as published (the LPR series begins in
 * August 2019). A deployment adds each year's notice when it is published (in late autumn).
 */
export const CN_OFFICIAL_YEARS: readonly OfficialYear[] = [
  {
    year: 2019,
    source: '国务院办公厅关于2019年部分节假日安排的通知 (2018-12-06); 国务院办公厅关于调整2019年劳动节假期安排的通知 (2019-03-22): http://www.gov.cn/zhengce/zhengceku/2018-12/06/content_5346276.htm http://www.gov.cn/zhengce/zhengceku/2019-03/22/content_5375877.htm',
    holidays: ['2018-12-30…2019-01-01', '2019-02-04…2019-02-10', '2019-04-05', '2019-05-01…2019-05-04', '2019-06-07', '2019-09-13', '2019-10-01…2019-10-07'],
    makeUpWorkdays: ['2018-12-29', '2019-02-02', '2019-02-03', '2019-04-28', '2019-05-05', '2019-09-29', '2019-10-12'],
  },
  {
    year: 2020,
    source: '国务院办公厅关于2020年部分节假日安排的通知 (2019-11-21); 国务院办公厅关于延长2020年春节假期的通知 (2020-01-27): http://www.gov.cn/zhengce/zhengceku/2019-11/21/content_5454164.htm http://www.gov.cn/zhengce/zhengceku/2020-01/27/content_5472352.htm',
    holidays: ['2020-01-01', '2020-01-24…2020-02-02', '2020-04-04…2020-04-06', '2020-05-01…2020-05-05', '2020-06-25…2020-06-27', '2020-10-01…2020-10-08'],
    makeUpWorkdays: ['2020-01-19', '2020-04-26', '2020-05-09', '2020-06-28', '2020-09-27', '2020-10-10'],
  },
  {
    year: 2021,
    source: '国务院办公厅关于2021年部分节假日安排的通知 (2020-11-25): http://www.gov.cn/zhengce/zhengceku/2020-11/25/content_5564127.htm',
    holidays: ['2021-01-01…2021-01-03', '2021-02-11…2021-02-17', '2021-04-03…2021-04-05', '2021-05-01…2021-05-05', '2021-06-12…2021-06-14', '2021-09-19…2021-09-21', '2021-10-01…2021-10-07'],
    makeUpWorkdays: ['2021-02-07', '2021-02-20', '2021-04-25', '2021-05-08', '2021-09-18', '2021-09-26', '2021-10-09'],
  },
  {
    year: 2022,
    source: '国务院办公厅关于2022年部分节假日安排的通知 (2021-10-25): http://www.gov.cn/zhengce/zhengceku/2021-10/25/content_5644835.htm',
    holidays: ['2022-01-01…2022-01-03', '2022-01-31…2022-02-06', '2022-04-03…2022-04-05', '2022-04-30…2022-05-04', '2022-06-03…2022-06-05', '2022-09-10…2022-09-12', '2022-10-01…2022-10-07'],
    makeUpWorkdays: ['2022-01-29', '2022-01-30', '2022-04-02', '2022-04-24', '2022-05-07', '2022-10-08', '2022-10-09'],
  },
  {
    year: 2023,
    source: '国务院办公厅关于2023年部分节假日安排的通知 (2022-12-08): http://www.gov.cn/zhengce/zhengceku/2022-12/08/content_5730844.htm',
    holidays: ['2022-12-31…2023-01-02', '2023-01-21…2023-01-27', '2023-04-05', '2023-04-29…2023-05-03', '2023-06-22…2023-06-24', '2023-09-29…2023-10-06'],
    makeUpWorkdays: ['2023-01-28', '2023-01-29', '2023-04-23', '2023-05-06', '2023-06-25', '2023-10-07', '2023-10-08'],
  },
  {
    year: 2024,
    source: '国务院办公厅关于2024年部分节假日安排的通知 (2023-10-25): https://www.gov.cn/zhengce/zhengceku/202310/content_6911528.htm',
    holidays: ['2024-01-01', '2024-02-10…2024-02-17', '2024-04-04…2024-04-06', '2024-05-01…2024-05-05', '2024-06-10', '2024-09-15…2024-09-17', '2024-10-01…2024-10-07'],
    makeUpWorkdays: ['2024-02-04', '2024-02-18', '2024-04-07', '2024-04-28', '2024-05-11', '2024-09-14', '2024-09-29', '2024-10-12'],
  },
  {
    year: 2025,
    source: '国务院办公厅关于2025年部分节假日安排的通知 (2024-11-12): https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm',
    holidays: ['2025-01-01', '2025-01-28…2025-02-04', '2025-04-04…2025-04-06', '2025-05-01…2025-05-05', '2025-05-31…2025-06-02', '2025-10-01…2025-10-08'],
    makeUpWorkdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  {
    year: 2026,
    source: '国务院办公厅关于2026年部分节假日安排的通知 (2025-11): https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm',
    holidays: ['2026-01-01…2026-01-03', '2026-02-15…2026-02-23', '2026-04-04…2026-04-06', '2026-05-01…2026-05-05', '2026-06-19…2026-06-21', '2026-09-25…2026-09-27', '2026-10-01…2026-10-07'],
    makeUpWorkdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
]

/** Which days are official working days, for the years a calendar covers. */
export interface WorkingDayCalendar {
  /** Does the calendar know this day's year? */
  covers(date: CalendarDate): boolean
  /** @throws DomainError `calendar-not-covered` for a year it does not hold. */
  isWorkingDay(date: CalendarDate): boolean
}

/** A calendar from the official years given (a day's year must be one of them). */
export function workingDayCalendar(years: readonly OfficialYear[]): WorkingDayCalendar {
  const covered = new Set(years.map((y) => y.year))
  const off = new Set<string>()
  const worked = new Set<string>()
  for (const y of years) {
    for (const entry of y.holidays) {
      const [from, to = from] = entry.split('…') as [string, string?]
      for (let d = parseDate(from); d <= parseDate(to); d = addDays(d, 1)) off.add(d)
    }
    for (const d of y.makeUpWorkdays) worked.add(parseDate(d))
  }
  // A notice covers its year, and the days it lists of the years around it (a New Year holiday from 30 December).
  const covers = (date: CalendarDate) => covered.has(dateParts(date).year) || off.has(date) || worked.has(date)
  return {
    covers,
    isWorkingDay(date) {
      if (!covers(date)) throw new DomainError('calendar-not-covered', `the working-day calendar holds no arrangement for ${dateParts(date).year}`)
      if (off.has(date)) return false
      if (worked.has(date)) return true
      // 1970-01-01 (epoch day 0) was a Thursday: (day + 4) mod 7 is 0 on Sundays, 6 on Saturdays.
      const weekday = (toEpochDay(date) + 4) % 7
      return weekday !== 0 && weekday !== 6
    },
  }
}

/** The mainland's official calendar, 2019–2026. */
export const CN_WORKING_DAYS: WorkingDayCalendar = workingDayCalendar(CN_OFFICIAL_YEARS)

/** The first official working day on or after `date`. */
export function nextWorkingDay(date: CalendarDate, calendar: WorkingDayCalendar = CN_WORKING_DAYS): CalendarDate {
  let d = date
  while (!calendar.isWorkingDay(d)) d = addDays(d, 1)
  return d
}

/**
 * The day the LPR of a month is published and applies from (全国银行间同业拆借中心, 9:15): the 20th,
 * or the next official working day when the 20th is not one — a make-up working Saturday counts
 * (20 February 2021 was one).
 */
export function lprPublicationDay(year: number, month: number, calendar: WorkingDayCalendar = CN_WORKING_DAYS): CalendarDate {
  return nextWorkingDay(makeDate(year, month, 20), calendar)
}
