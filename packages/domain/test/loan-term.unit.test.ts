import fc from 'fast-check'
import t from 'tap'
import {
  addDays,
  addYears,
  daysBetween,
  daysPastDue,
  fromEpochDay,
  maxCumulativeExtension,
  parseDate,
  termClass,
  termMonths,
  toEpochDay,
  type TermClass,
} from '../src/index.js'

const d = parseDate
const RUNS = { numRuns: 500 }
const anyStart = fc.integer({ min: toEpochDay(d('2000-01-01')), max: toEpochDay(d('2040-12-31')) }).map(fromEpochDay)

t.test('termMonths counts whole calendar months', async (t) => {
  const cases: [string, string, number][] = [
    ['2020-01-15', '2020-01-15', 0],
    ['2020-01-15', '2020-02-14', 0],
    ['2020-01-15', '2020-02-15', 1],
    ['2020-01-15', '2020-07-14', 5],
    ['2020-01-15', '2020-07-15', 6],
    ['2020-01-31', '2020-02-29', 1], // month-end clamp: Jan 31 + 1 month = Feb 29
    ['2020-01-31', '2020-02-28', 0],
    ['2020-01-31', '2020-03-30', 1],
    ['2020-01-31', '2020-03-31', 2],
    ['2020-03-15', '2021-03-15', 12],
    ['2020-03-15', '2021-03-14', 11],
    ['2020-02-29', '2021-02-28', 12],
    ['2020-03-15', '2025-03-15', 60],
    ['2020-03-15', '2025-03-16', 60],
  ]
  for (const [start, maturity, months] of cases) t.equal(termMonths(d(start), d(maturity)), months, `${start} → ${maturity}`)
  t.throws(() => termMonths(d('2020-01-02'), d('2020-01-01')), { code: 'invalid-argument' })
})

t.test('termClass boundaries (General Rules on Loans art. 12, POLICY §2)', async (t) => {
  const cases: [string, string, TermClass, string][] = [
    ['2020-03-15', '2020-03-16', 'short', 'one day'],
    ['2020-03-15', '2021-03-14', 'short', '1 year − 1 day'],
    ['2020-03-15', '2021-03-15', 'short', 'exactly 1 year'],
    ['2020-03-15', '2021-03-16', 'medium', '1 year + 1 day'],
    ['2020-03-15', '2025-03-14', 'medium', '5 years − 1 day'],
    ['2020-03-15', '2025-03-15', 'medium', 'exactly 5 years'],
    ['2020-03-15', '2025-03-16', 'long', '5 years + 1 day'],
    ['2020-03-15', '2040-03-15', 'long', '20 years'],
    // Leap-day starts reach their anniversary on 28 February (month-end clamp).
    ['2020-02-29', '2021-02-28', 'short', 'leap start, exactly 1 year'],
    ['2020-02-29', '2021-03-01', 'medium', 'leap start, 1 year + 1 day'],
    ['2020-02-29', '2025-02-28', 'medium', 'leap start, exactly 5 years'],
    ['2020-02-29', '2025-03-01', 'long', 'leap start, 5 years + 1 day'],
    // A 1-year term spanning 29 February has 366 days and is still 1 year.
    ['2019-03-01', '2020-03-01', 'short', '366-day year'],
    ['2019-03-01', '2020-03-02', 'medium', '366-day year + 1 day'],
    ['2019-02-28', '2020-02-28', 'short', 'exactly 1 year to 28 Feb'],
    ['2019-02-28', '2020-02-29', 'medium', 'one day past the anniversary'],
    ['2020-01-31', '2021-01-31', 'short', 'month-end start'],
    ['2020-01-31', '2021-02-01', 'medium', 'month-end start + 1 day'],
  ]
  for (const [start, maturity, expected, why] of cases) t.equal(termClass(d(start), d(maturity)), expected, `${start} → ${maturity}: ${why}`)
  t.throws(() => termClass(d('2020-03-15'), d('2020-03-15')), { code: 'invalid-argument' }, 'zero-length term')
  t.throws(() => termClass(d('2020-03-15'), d('2020-03-14')), { code: 'invalid-argument' }, 'maturity before start')
})

t.test('termClass properties', async (t) => {
  const rank = { short: 0, medium: 1, long: 2 } as const
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(anyStart, fc.integer({ min: 1, max: 4000 }), fc.integer({ min: 0, max: 400 }), (start, days, more) => {
        const maturity = addDays(start, days)
        const later = addDays(maturity, more)
        const cls = termClass(start, maturity)
        const months = termMonths(start, maturity)
        const monotone = rank[cls] <= rank[termClass(start, later)]
        // Consistent with whole months: ≤ 12 months short-or-equal; > 60 months long.
        const consistent =
          (cls === 'short' ? months <= 12 : true) &&
          (cls === 'medium' ? months >= 12 && months <= 60 : true) &&
          (cls === 'long' ? months >= 60 : true)
        const matchesAnniversaries =
          (maturity <= addYears(start, 1)) === (cls === 'short') && (maturity > addYears(start, 5)) === (cls === 'long')
        return monotone && consistent && matchesAnniversaries
      }),
      RUNS,
    ),
  )
})

t.test('maxCumulativeExtension: short-term loans get at most the original term', async (t) => {
  t.strictSame(maxCumulativeExtension(d('2020-03-01'), d('2021-03-01')), {
    termClass: 'short',
    originalTermDays: 365,
    maxExtensionDays: 365,
    latestMaturity: '2022-03-01',
  })
  t.strictSame(
    maxCumulativeExtension(d('2019-03-01'), d('2020-03-01')),
    { termClass: 'short', originalTermDays: 366, maxExtensionDays: 366, latestMaturity: '2021-03-02' },
    'a 366-day year extends by 366 days (days, not calendar months)',
  )
  t.strictSame(maxCumulativeExtension(d('2020-01-15'), d('2020-07-15')), {
    termClass: 'short',
    originalTermDays: 182,
    maxExtensionDays: 182,
    latestMaturity: '2021-01-13',
  })
  t.equal(maxCumulativeExtension(d('2020-06-01'), d('2020-06-02')).latestMaturity, '2020-06-03', 'one-day loan: one more day')
})

t.test('maxCumulativeExtension: medium-term loans get half the term, rounded down', async (t) => {
  t.strictSame(
    maxCumulativeExtension(d('2020-01-01'), d('2021-07-01')),
    { termClass: 'medium', originalTermDays: 547, maxExtensionDays: 273, latestMaturity: '2022-03-31' },
    'odd number of days: 547 / 2 = 273.5 → 273',
  )
  t.strictSame(maxCumulativeExtension(d('2020-01-01'), d('2022-01-01')), {
    termClass: 'medium',
    originalTermDays: 731,
    maxExtensionDays: 365,
    latestMaturity: '2023-01-01',
  })
  t.strictSame(
    maxCumulativeExtension(d('2020-03-15'), d('2021-03-16')),
    { termClass: 'medium', originalTermDays: 366, maxExtensionDays: 183, latestMaturity: '2021-09-15' },
    '1 year + 1 day: only half (the policy cliff)',
  )
  t.strictSame(
    maxCumulativeExtension(d('2020-03-15'), d('2025-03-15')),
    { termClass: 'medium', originalTermDays: 1826, maxExtensionDays: 913, latestMaturity: '2027-09-14' },
    'exactly 5 years',
  )
})

t.test('maxCumulativeExtension: long-term loans get 3 calendar years', async (t) => {
  t.strictSame(maxCumulativeExtension(d('2020-03-15'), d('2025-03-16')), {
    termClass: 'long',
    originalTermDays: 1827,
    maxExtensionDays: 1096,
    latestMaturity: '2028-03-16',
  })
  t.strictSame(maxCumulativeExtension(d('2020-01-01'), d('2030-01-01')), {
    termClass: 'long',
    originalTermDays: 3653,
    maxExtensionDays: 1096,
    latestMaturity: '2033-01-01',
  })
  t.equal(maxCumulativeExtension(d('2018-02-28'), d('2028-02-29')).latestMaturity, '2031-02-28', 'leap-day maturity clamps')
  t.throws(() => maxCumulativeExtension(d('2020-01-01'), d('2020-01-01')), { code: 'invalid-argument' })
})

t.test('maxCumulativeExtension properties', async (t) => {
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(anyStart, fc.integer({ min: 1, max: 7000 }), (start, days) => {
        const maturity = addDays(start, days)
        const limit = maxCumulativeExtension(start, maturity)
        const shapeOk =
          limit.originalTermDays === days &&
          limit.latestMaturity === addDays(maturity, limit.maxExtensionDays) &&
          limit.termClass === termClass(start, maturity)
        switch (limit.termClass) {
          case 'short':
            return shapeOk && limit.maxExtensionDays === days
          case 'medium':
            return shapeOk && (limit.maxExtensionDays * 2 === days || limit.maxExtensionDays * 2 === days - 1)
          case 'long':
            return shapeOk && limit.latestMaturity === addYears(maturity, 3) && [1095, 1096].includes(limit.maxExtensionDays)
        }
      }),
      RUNS,
    ),
  )
})

t.test('daysPastDue: overdue from the day after the due date', async (t) => {
  const due = d('2020-06-30')
  t.equal(daysPastDue(due, d('2020-06-29')), 0, 'before due')
  t.equal(daysPastDue(due, due), 0, 'on the due date')
  t.equal(daysPastDue(due, d('2020-07-01')), 1, 'the day after')
  t.equal(daysPastDue(due, d('2020-09-28')), 90)
  t.equal(daysPastDue(due, d('2020-09-29')), 91, '> 90 days: substandard floor (POLICY §2)')
  t.equal(daysPastDue(due, addDays(due, 270)), 270)
  t.equal(daysPastDue(due, addDays(due, 361)), 361)
  t.equal(daysBetween(due, d('2020-09-29')), 91)
})
