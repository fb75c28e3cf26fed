import fc from 'fast-check'
import t from 'tap'
import {
  addDays,
  addMonths,
  addYears,
  compareDates,
  dateParts,
  daysBetween,
  daysInMonth,
  fromEpochDay,
  isAfter,
  isBefore,
  isCalendarDate,
  isLeapYear,
  isOnOrAfter,
  isOnOrBefore,
  isWithin,
  makeDate,
  maxDate,
  minDate,
  parseDate,
  toEpochDay,
  todayIn,
  type CalendarDate,
} from '../src/index.js'

const RUNS = { numRuns: 500 }
const d = parseDate

/** Any date 1900–2200 (business dates live well inside this). */
const anyDate = fc.integer({ min: toEpochDay(d('1900-01-01')), max: toEpochDay(d('2200-12-31')) }).map(fromEpochDay)

t.test('parseDate accepts real YYYY-MM-DD dates only', async (t) => {
  for (const ok of ['2020-02-29', '2000-02-29', '2021-02-28', '2020-12-31', '2020-01-01', '0001-01-01', '9999-12-31', '2020-04-30']) {
    t.equal(parseDate(ok), ok, ok)
  }
  const bad = [
    '2021-02-29', '1900-02-29', '2100-02-29', '2020-04-31', '2020-06-31', '2020-13-01', '2020-00-10', '2020-01-00', '2020-01-32',
    '0000-01-01', '2020-1-05', '2020-01-5', '20200105', '2020/01/05', '2020-01-05T00:00:00Z', ' 2020-01-05', '2020-01-05 ',
    '', '+2020-01-05', '12020-01-05', '２０２０-01-05',
  ]
  for (const text of bad) t.throws(() => parseDate(text), { code: 'invalid-date' }, JSON.stringify(text))
  t.ok(isCalendarDate('2020-02-29'))
  t.notOk(isCalendarDate('2021-02-29'))
  t.notOk(isCalendarDate(20200229))
  t.notOk(isCalendarDate(null))
})

t.test('makeDate and dateParts', async (t) => {
  t.equal(makeDate(2020, 2, 29), '2020-02-29')
  t.equal(makeDate(5, 1, 1), '0005-01-01', 'zero-padded years')
  t.strictSame(dateParts(d('2020-02-29')), { year: 2020, month: 2, day: 29 })
  t.throws(() => makeDate(2021, 2, 29), { code: 'invalid-date' })
  t.throws(() => makeDate(2020, 13, 1), { code: 'invalid-date' })
  t.throws(() => makeDate(10000, 1, 1), { code: 'invalid-date' })
  t.throws(() => makeDate(2020, 1, 1.5), { code: 'invalid-date' })
})

t.test('leap years and month lengths', async (t) => {
  const leap: [number, boolean][] = [
    [1900, false],
    [2000, true],
    [2019, false],
    [2020, true],
    [2021, false],
    [2024, true],
    [2100, false],
    [2400, true],
  ]
  for (const [year, expected] of leap) t.equal(isLeapYear(year), expected, String(year))
  t.strictSame(
    Array.from({ length: 12 }, (_, i) => daysInMonth(2020, i + 1)),
    [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31],
  )
  t.equal(daysInMonth(2021, 2), 28)
  t.throws(() => daysInMonth(2021, 0), { code: 'invalid-date' })
})

t.test('epoch days agree with Date.UTC and round-trip', async (t) => {
  t.equal(toEpochDay(d('1970-01-01')), 0)
  t.equal(toEpochDay(d('1969-12-31')), -1)
  t.equal(toEpochDay(d('2000-03-01')), 11_017)
  t.equal(fromEpochDay(0), '1970-01-01')
  t.equal(fromEpochDay(toEpochDay(d('0001-01-01'))), '0001-01-01')
  t.equal(fromEpochDay(toEpochDay(d('9999-12-31'))), '9999-12-31')
  t.throws(() => fromEpochDay(toEpochDay(d('9999-12-31')) + 1), { code: 'invalid-date' })
  t.throws(() => fromEpochDay(0.5), { code: 'invalid-date' })
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(fc.integer({ min: -700_000, max: 2_900_000 }), (n) => {
        const date = fromEpochDay(n)
        const { year, month, day } = dateParts(date)
        const utc = new Date(0)
        utc.setUTCFullYear(year, month - 1, day) // setUTCFullYear handles years < 100 literally
        return toEpochDay(date) === n && utc.getTime() / 86_400_000 === n
      }),
      { numRuns: 2000 },
    ),
  )
})

t.test('todayIn: the Asia/Shanghai date of an instant', async (t) => {
  t.equal(todayIn(new Date('2020-01-31T15:59:59.999Z')), '2020-01-31', '23:59:59.999 in Shanghai')
  t.equal(todayIn(new Date('2020-01-31T16:00:00.000Z')), '2020-02-01', 'midnight in Shanghai')
  t.equal(todayIn(new Date('2020-02-28T16:00:00Z')), '2020-02-29')
  t.equal(todayIn(new Date('2020-12-31T16:00:00Z')), '2021-01-01', 'new year in Shanghai, still 2020 in UTC')
  t.equal(todayIn(new Date('2020-06-30T23:59:59+08:00')), '2020-06-30', 'last day of a relief window')
  t.equal(todayIn(new Date('1969-12-31T16:00:00Z')), '1970-01-01', 'before the epoch')
  t.throws(() => todayIn(new Date('nope')), { code: 'invalid-date' })
  // Cross-check with the host time zone database for instants after China's last DST (1991).
  const shanghai = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })
  const viaIntl = (instant: Date): string => {
    const parts = Object.fromEntries(shanghai.formatToParts(instant).map((p) => [p.type, p.value]))
    return `${parts.year}-${parts.month}-${parts.day}`
  }
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1992, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => todayIn(new Date(ms)) === viaIntl(new Date(ms))),
      RUNS,
    ),
  )
})

t.test('addDays', async (t) => {
  t.equal(addDays(d('2020-02-28'), 1), '2020-02-29')
  t.equal(addDays(d('2021-02-28'), 1), '2021-03-01')
  t.equal(addDays(d('2020-12-31'), 1), '2021-01-01')
  t.equal(addDays(d('2020-03-01'), -1), '2020-02-29')
  t.equal(addDays(d('2020-01-01'), 366), '2021-01-01')
  t.equal(addDays(d('2020-01-01'), 0), '2020-01-01')
  t.throws(() => addDays(d('9999-12-31'), 1), { code: 'invalid-date' })
  t.throws(() => addDays(d('2020-01-01'), 0.5), { code: 'invalid-argument' })
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -40_000, max: 40_000 }), (date, n) => {
        const moved = addDays(date, n)
        return addDays(moved, -n) === date && daysBetween(date, moved) === n
      }),
      RUNS,
    ),
  )
})

t.test('addMonths clamps to the end of shorter months', async (t) => {
  const cases: [string, number, string][] = [
    ['2020-01-31', 1, '2020-02-29'],
    ['2021-01-31', 1, '2021-02-28'],
    ['2020-01-30', 1, '2020-02-29'],
    ['2020-01-29', 1, '2020-02-29'],
    ['2020-01-28', 1, '2020-02-28'],
    ['2020-03-31', 1, '2020-04-30'],
    ['2020-05-31', 1, '2020-06-30'],
    ['2020-03-31', -1, '2020-02-29'],
    ['2020-12-15', 1, '2021-01-15'],
    ['2020-01-15', -1, '2019-12-15'],
    ['2020-01-15', -13, '2018-12-15'],
    ['2020-02-29', 12, '2021-02-28'],
    ['2020-02-29', 48, '2024-02-29'],
    ['2020-08-31', 6, '2021-02-28'],
    ['2020-06-30', 0, '2020-06-30'],
    ['2019-11-30', 3, '2020-02-29'],
  ]
  for (const [from, months, expected] of cases) t.equal(addMonths(d(from), months), expected, `${from} + ${months} months`)
  t.equal(addMonths(addMonths(d('2020-01-31'), 1), -1), '2020-01-29', 'clamping is not reversible (documented)')
  t.throws(() => addMonths(d('9999-12-01'), 1), { code: 'invalid-date' })
  t.throws(() => addMonths(d('0001-01-01'), -1), { code: 'invalid-date' })
  t.throws(() => addMonths(d('2020-01-01'), 1.5), { code: 'invalid-argument' })
})

t.test('addMonths properties', async (t) => {
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -1200, max: 1200 }), (date, n) => {
        const from = dateParts(date)
        const to = dateParts(addMonths(date, n))
        const monthIndexMoved = to.year * 12 + to.month - (from.year * 12 + from.month) === n
        const dayKeptOrClamped = to.day === Math.min(from.day, daysInMonth(to.year, to.month))
        // With day ≤ 28 nothing clamps, so the operation is exactly reversible.
        const reversible = from.day > 28 || addMonths(addMonths(date, n), -n) === date
        return monthIndexMoved && dayKeptOrClamped && reversible
      }),
      RUNS,
    ),
  )
})

t.test('addYears', async (t) => {
  t.equal(addYears(d('2020-02-29'), 1), '2021-02-28')
  t.equal(addYears(d('2020-02-29'), 4), '2024-02-29')
  t.equal(addYears(d('2021-03-15'), -1), '2020-03-15')
  t.equal(addYears(d('2020-03-15'), 5), '2025-03-15')
  t.throws(() => addYears(d('2020-03-15'), 0.5), { code: 'invalid-argument' })
})

t.test('daysBetween counts actual days', async (t) => {
  t.equal(daysBetween(d('2020-01-01'), d('2021-01-01')), 366, 'leap year')
  t.equal(daysBetween(d('2021-01-01'), d('2022-01-01')), 365)
  t.equal(daysBetween(d('2020-02-28'), d('2020-03-01')), 2)
  t.equal(daysBetween(d('2021-02-28'), d('2021-03-01')), 1)
  t.equal(daysBetween(d('2020-01-25'), d('2020-06-30')), 157, 'first relief window')
  t.equal(daysBetween(d('2020-06-30'), d('2020-01-25')), -157)
  t.equal(daysBetween(d('2020-06-30'), d('2020-06-30')), 0)
  t.doesNotThrow(() =>
    fc.assert(fc.property(anyDate, anyDate, (a, b) => daysBetween(a, b) === -daysBetween(b, a)), RUNS),
  )
  t.doesNotThrow(() =>
    fc.assert(fc.property(anyDate, anyDate, anyDate, (a, b, c) => daysBetween(a, b) + daysBetween(b, c) === daysBetween(a, c)), RUNS),
  )
})

t.test('comparisons, ranges, min and max', async (t) => {
  const a = d('2020-06-30')
  const b = d('2020-07-01')
  t.equal(compareDates(a, b), -1)
  t.equal(compareDates(b, a), 1)
  t.equal(compareDates(a, d('2020-06-30')), 0)
  t.ok(isBefore(a, b))
  t.notOk(isBefore(a, a))
  t.ok(isAfter(b, a))
  t.notOk(isAfter(a, a))
  t.ok(isOnOrBefore(a, a))
  t.ok(isOnOrBefore(a, b))
  t.notOk(isOnOrBefore(b, a))
  t.ok(isOnOrAfter(a, a))
  t.notOk(isOnOrAfter(a, b))
  const from = d('2020-06-01')
  const to = d('2020-12-31')
  t.ok(isWithin(from, from, to), 'window start included')
  t.ok(isWithin(to, from, to), 'window end included')
  t.notOk(isWithin(d('2020-05-31'), from, to), 'day before')
  t.notOk(isWithin(d('2021-01-01'), from, to), 'day after')
  t.equal(minDate(b, a, d('2021-01-01')), a)
  t.equal(maxDate(a, d('2021-01-01'), b), '2021-01-01')
  t.equal(minDate(a), a)
  const sorted: CalendarDate[] = [d('2021-01-01'), d('2019-12-31'), d('2020-02-29')].sort(compareDates)
  t.strictSame(sorted, ['2019-12-31', '2020-02-29', '2021-01-01'])
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(anyDate, anyDate, (x, y) => compareDates(x, y) === Math.sign(toEpochDay(x) - toEpochDay(y))),
      RUNS,
    ),
  )
})
