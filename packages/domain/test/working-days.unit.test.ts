// The official working-day calendar (国务院办公厅's holiday notices, 2019–2026) and the day an LPR
// is published and applies from: the 20th, or the next official working day (POLICY §3), as
// Given/When/Then rows, and checked against every publication of the bundled series.
import t from 'tap'
import { CN_OFFICIAL_YEARS, CN_WORKING_DAYS, isDomainError, LPR_TABLE_FIXTURE, lprPublicationDay, nextWorkingDay, parseDate, workingDayCalendar } from '../src/index.js'

const d = parseDate

t.test('Given a day, when asked whether it is an official working day, then weekends, holidays and make-up days count as published', async (t) => {
  const rows: [string, boolean, string][] = [
    ['2020-02-19', true, 'a Wednesday'],
    ['2020-02-22', false, 'a Saturday'],
    ['2020-01-31', false, 'a Friday of the 2020 Spring Festival, extended to 2 February by the notice of 27 January'],
    ['2020-01-19', true, 'a Sunday worked for the 2020 Spring Festival'],
    ['2021-02-20', true, 'a Saturday worked after the 2021 Spring Festival'],
    ['2018-12-31', false, 'a Monday of the 2019 New Year holiday, in the 2019 notice'],
    ['2019-12-30', true, 'a Monday'],
    ['2026-02-20', false, 'a Friday of the 2026 Spring Festival (15–23 February)'],
    ['2026-02-28', true, 'a Saturday worked after it'],
  ]
  for (const [day, working, why] of rows) t.equal(CN_WORKING_DAYS.isWorkingDay(d(day)), working, `${day}: ${why}`)
})

t.test('Given a month, when its LPR publication day is asked, then the 20th or the next official working day', async (t) => {
  const rows: [number, number, string, string][] = [
    [2020, 2, '2020-02-20', 'a Thursday'],
    [2022, 8, '2022-08-22', 'the 20th a Saturday: Monday'],
    [2023, 8, '2023-08-21', 'the 20th a Sunday: Monday'],
    [2021, 2, '2021-02-20', 'a Saturday, but a make-up working day: that Saturday'],
    [2026, 2, '2026-02-24', 'the 20th in the Spring Festival (to the 23rd): the Tuesday after'],
    [2020, 1, '2020-01-20', 'a Monday, before the Spring Festival'],
    [2023, 1, '2023-01-20', 'a Friday, the day before the Spring Festival'],
  ]
  for (const [year, month, day, why] of rows) t.equal(lprPublicationDay(year, month), day, `${year}-${month}: ${why}`)
})

t.test('Given the bundled LPR series, when each publication is checked, then it falls on its month’s publication day', async (t) => {
  for (const entry of LPR_TABLE_FIXTURE) {
    const [year, month] = entry.effectiveDate.split('-').map(Number) as [number, number]
    t.equal(entry.effectiveDate, lprPublicationDay(year, month), entry.effectiveDate)
  }
})

t.test('Given a year no notice covers, when asked, then a calendar-not-covered error, not a guess', async (t) => {
  t.equal(CN_WORKING_DAYS.covers(d('2027-03-01')), false)
  t.equal(codeOf(() => CN_WORKING_DAYS.isWorkingDay(d('2027-03-01'))), 'calendar-not-covered')
  t.equal(codeOf(() => CN_WORKING_DAYS.isWorkingDay(d('2018-12-28'))), 'calendar-not-covered', 'a day of 2018 no notice lists')
  t.equal(nextWorkingDay(d('2026-12-31')), '2026-12-31', 'a Thursday')
  t.equal(codeOf(() => nextWorkingDay(d('2027-01-01'))), 'calendar-not-covered')
  const only2020 = workingDayCalendar(CN_OFFICIAL_YEARS.filter((y) => y.year === 2020))
  t.equal(only2020.covers(d('2021-01-04')), false)
  t.equal(only2020.isWorkingDay(d('2020-10-08')), false, 'National Day and Mid-Autumn 2020: 1–8 October')
})

t.test('Given the calendar data, when read, then every year from the LPR’s first to 2026 is there once, each citing its notice', async (t) => {
  t.same(
    CN_OFFICIAL_YEARS.map((y) => y.year),
    [2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026],
  )
  for (const y of CN_OFFICIAL_YEARS) t.match(y.source, /国务院办公厅关于.*节假日|春节假期/, `${y.year} cites its notice`)
  for (const y of CN_OFFICIAL_YEARS) for (const m of y.makeUpWorkdays) t.ok([0, 6].includes(new Date(`${m}T00:00:00Z`).getUTCDay()), `${m} is a weekend day worked`)
})

function codeOf(f: () => unknown): string | undefined {
  try {
    f()
    return undefined
  } catch (e) {
    return isDomainError(e) ? e.code : String(e)
  }
}
