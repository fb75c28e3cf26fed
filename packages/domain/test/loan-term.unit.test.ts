import fc from 'fast-check'
import t from 'tap'
import {
  addDays,
  addMonths,
  addTermFraction,
  addYears,
  daysBetween,
  daysPastDue,
  fromEpochDay,
  maxCumulativeExtension,
  parseDate,
  termClass,
  termInMonths,
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

t.test('termInMonths: whole calendar months, then the days left', async (t) => {
  const rows: [string, string, number, number][] = [
    ['2020-01-15', '2020-07-15', 6, 0],
    ['2020-01-15', '2020-07-20', 6, 5],
    ['2020-01-15', '2020-07-14', 5, 29],
    ['2020-01-31', '2020-02-29', 1, 0],
    ['2020-01-31', '2020-03-01', 1, 1],
    ['2020-02-29', '2021-02-28', 12, 0],
    ['2020-06-01', '2020-06-02', 0, 1],
    ['2020-06-01', '2020-06-01', 0, 0],
  ]
  for (const [start, maturity, months, days] of rows) t.strictSame(termInMonths(d(start), d(maturity)), { months, days }, `${start} → ${maturity}`)
})

t.test('addTermFraction: months, then a share of the next month, then a share of the residual days, each rounded down', async (t) => {
  t.equal(addTermFraction(d('2021-04-15'), { months: 15, days: 0 }, 1, 2), '2021-11-30', '7½ months: 7 months, then 15 of 30 days')
  t.equal(addTermFraction(d('2021-01-31'), { months: 3, days: 0 }, 1, 2), '2021-03-15', '1½ months from 31 January: 28 February, then 15 of the 31 days to 31 March (months counted from the 31st)')
  t.equal(addTermFraction(d('2020-08-31'), { months: 6, days: 0 }, 1, 1), '2021-02-28', 'month end clamps')
  t.equal(addTermFraction(d('2020-06-01'), { months: 0, days: 7 }, 1, 2), '2020-06-04', 'half of 7 days is 3')
  t.equal(addTermFraction(d('2020-06-01'), { months: 12, days: 0 }, 0, 1), '2020-06-01', 'nothing')
  t.throws(() => addTermFraction(d('2020-06-01'), { months: 1, days: 0 }, 1, 0), { code: 'invalid-argument' })
  t.throws(() => addTermFraction(d('2020-06-01'), { months: 1, days: 0 }, -1, 2), { code: 'invalid-argument' })
})

// Worked by hand: the cap is counted in calendar months from the original maturity (corresponding
// day, or the month's last day), residual days of a term that is not whole months as days.
t.test('maxCumulativeExtension: short-term loans get at most the original term, in months', async (t) => {
  t.strictSame(maxCumulativeExtension(d('2020-03-01'), d('2021-03-01')), {
    termClass: 'short',
    originalTermDays: 365,
    maxExtensionDays: 365,
    latestMaturity: '2022-03-01',
  })
  t.strictSame(
    maxCumulativeExtension(d('2019-03-01'), d('2020-03-01')),
    { termClass: 'short', originalTermDays: 366, maxExtensionDays: 365, latestMaturity: '2021-03-01' },
    'a 12-month term holding 29 February extends by 12 months, not 366 days',
  )
  t.strictSame(
    maxCumulativeExtension(d('2019-06-01'), d('2019-12-01')),
    { termClass: 'short', originalTermDays: 183, maxExtensionDays: 183, latestMaturity: '2020-06-01' },
    '6 months whose extension holds 29 February: 183 days on both sides by chance',
  )
  t.strictSame(maxCumulativeExtension(d('2020-01-15'), d('2020-07-15')), {
    termClass: 'short',
    originalTermDays: 182,
    maxExtensionDays: 184,
    latestMaturity: '2021-01-15',
  })
  t.equal(maxCumulativeExtension(d('2020-02-29'), d('2020-08-31')).latestMaturity, '2021-03-02', '6 months and 2 days (29 February + 6 months is 29 August): 28 February, then 2 days')
  t.equal(maxCumulativeExtension(d('2020-03-31'), d('2020-08-31')).latestMaturity, '2021-01-31', '5 months from 31 August')
  t.equal(maxCumulativeExtension(d('2020-01-31'), d('2020-02-29')).latestMaturity, '2020-03-29', '31 January + 1 month is 29 February; one month more is 29 March')
  t.equal(maxCumulativeExtension(d('2020-01-15'), d('2020-07-20')).latestMaturity, '2021-01-25', '6 months and 5 days from 20 July')
  t.equal(maxCumulativeExtension(d('2020-06-01'), d('2020-06-02')).latestMaturity, '2020-06-03', 'one-day loan: one more day')
})

t.test('maxCumulativeExtension: medium-term loans get half the term, in months', async (t) => {
  t.strictSame(
    maxCumulativeExtension(d('2020-01-01'), d('2021-07-01')),
    { termClass: 'medium', originalTermDays: 547, maxExtensionDays: 274, latestMaturity: '2022-04-01' },
    '18 months: 9 months',
  )
  t.strictSame(maxCumulativeExtension(d('2020-01-01'), d('2022-01-01')), {
    termClass: 'medium',
    originalTermDays: 731,
    maxExtensionDays: 365,
    latestMaturity: '2023-01-01',
  })
  t.strictSame(
    maxCumulativeExtension(d('2020-03-15'), d('2021-03-16')),
    { termClass: 'medium', originalTermDays: 366, maxExtensionDays: 184, latestMaturity: '2021-09-16' },
    '12 months and a day: 6 months, half a day rounds down (the policy cliff)',
  )
  t.strictSame(
    maxCumulativeExtension(d('2020-03-15'), d('2025-03-15')),
    { termClass: 'medium', originalTermDays: 1826, maxExtensionDays: 914, latestMaturity: '2027-09-15' },
    'exactly 5 years: 30 months',
  )
  t.equal(maxCumulativeExtension(d('2020-01-15'), d('2021-04-15')).latestMaturity, '2021-11-30', '15 months: 7 months and half of the 30 days to 15 December')
  t.equal(maxCumulativeExtension(d('2020-01-31'), d('2021-04-30')).latestMaturity, '2021-12-15', '15 months from 30 April: 30 November is 7 months; half of the 30 days to 30 December more')
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
        const { months, days: residual } = termInMonths(start, maturity)
        const shapeOk =
          limit.originalTermDays === days &&
          limit.latestMaturity === addDays(maturity, limit.maxExtensionDays) &&
          limit.termClass === termClass(start, maturity)
        switch (limit.termClass) {
          case 'short':
            // The whole months of the term, then its residual days: never fewer, never more.
            return shapeOk && limit.latestMaturity === addDays(addMonths(maturity, months), residual)
          case 'medium':
            // At least half the months, less than half the months rounded up plus the residual days.
            return (
              shapeOk &&
              addMonths(maturity, Math.floor(months / 2)) <= limit.latestMaturity &&
              limit.latestMaturity <= addDays(addMonths(maturity, Math.ceil(months / 2)), residual)
            )
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
