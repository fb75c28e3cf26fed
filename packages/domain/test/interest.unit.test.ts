import fc from 'fast-check'
import t from 'tap'
import {
  DAY_COUNT_BASES,
  DEFAULT_DAY_COUNT_BASIS,
  ROUNDING_MODES,
  accruedInterest,
  basisYearDays,
  interestForPeriod,
  parseDate,
  parseYuan,
  type DayCountBasis,
  type RoundingMode,
} from '../src/index.js'
import { D, DECIMAL_MODE } from './fixtures/oracle.js'

/**
 * The formula in decimal arithmetic, dividing once at the end so that exact ties (x.5 fen) stay
 * exact in the oracle too; a daily rate computed first (annual / 360) would be a repeating decimal
 * and could turn a tie into 0.4999… in the oracle.
 */
function oracleInterest(principal: bigint, rateBp: number, days: number, basis: DayCountBasis, mode: RoundingMode): bigint {
  const yearDays = basis === 'ACT/360' ? 360 : 365
  const exact = new D(principal.toString()).mul(rateBp).mul(days).div(new D(10_000).mul(yearDays))
  return BigInt(exact.toDecimalPlaces(0, DECIMAL_MODE[mode]).toFixed(0))
}

t.test('ACT/360 is the default (POLICY §3)', async (t) => {
  t.equal(DEFAULT_DAY_COUNT_BASIS, 'ACT/360')
  t.equal(basisYearDays('ACT/360'), 360)
  t.equal(basisYearDays('ACT/365'), 365)
  t.throws(() => basisYearDays('30/360' as DayCountBasis), { code: 'invalid-argument' })
  const principal = parseYuan('1000000.00')
  t.equal(
    accruedInterest({ principal, rateBp: 385, days: 30, rounding: 'half-up' }),
    accruedInterest({ principal, rateBp: 385, days: 30, basis: 'ACT/360', rounding: 'half-up' }),
  )
})

t.test('worked examples', async (t) => {
  const principal = parseYuan('1000000.00') // 100,000,000 fen
  // 100,000,000 × 385 × 30 / 3,600,000 = 320,833.33… fen
  t.equal(accruedInterest({ principal, rateBp: 385, days: 30, rounding: 'half-up' }), 320_833n, 'CNY 1m, 3.85%, 30 days ACT/360 = 3208.33')
  t.equal(accruedInterest({ principal, rateBp: 385, days: 30, rounding: 'up' }), 320_834n)
  // ACT/365: 100,000,000 × 385 × 30 / 3,650,000 = 316,438.35… fen
  t.equal(accruedInterest({ principal, rateBp: 385, days: 30, basis: 'ACT/365', rounding: 'half-up' }), 316_438n)
  // A full 360-day year on ACT/360 is exactly the annual rate.
  t.equal(accruedInterest({ principal, rateBp: 385, days: 360, rounding: 'down' }), 3_850_000n)
  t.equal(accruedInterest({ principal, rateBp: 385, days: 365, basis: 'ACT/365', rounding: 'down' }), 3_850_000n)
  // 365 days at ACT/360 is more than the nominal rate: 3.85% × 365/360.
  t.equal(accruedInterest({ principal, rateBp: 385, days: 365, rounding: 'half-up' }), 3_903_472n)
  t.equal(accruedInterest({ principal, rateBp: 385, days: 0, rounding: 'up' }), 0n, 'no days, no interest')
  t.equal(accruedInterest({ principal: 0n, rateBp: 385, days: 30, rounding: 'up' }), 0n)
  t.equal(accruedInterest({ principal, rateBp: 0, days: 30, rounding: 'up' }), 0n)
})

t.test('rounds once at the end, not per day', async (t) => {
  // 10,001 fen at 3.85%: 1.0695… fen a day. Rounding each day would give 30 fen for 30 days.
  const perDay = accruedInterest({ principal: 10_001n, rateBp: 385, days: 1, rounding: 'half-up' })
  t.equal(perDay, 1n)
  t.equal(accruedInterest({ principal: 10_001n, rateBp: 385, days: 30, rounding: 'half-up' }), 32n, '32.09 fen → 32, not 30')
})

t.test('half-way cases follow the mode', async (t) => {
  // 1,800,000 fen × 1 bp × 1 day / 3,600,000 = 0.5 fen exactly.
  t.equal(accruedInterest({ principal: 1_800_000n, rateBp: 1, days: 1, rounding: 'half-up' }), 1n)
  t.equal(accruedInterest({ principal: 1_800_000n, rateBp: 1, days: 1, rounding: 'half-even' }), 0n)
  t.equal(accruedInterest({ principal: 5_400_000n, rateBp: 1, days: 1, rounding: 'half-even' }), 2n, '1.5 → 2')
  t.equal(accruedInterest({ principal: 1_800_000n, rateBp: 1, days: 1, rounding: 'down' }), 0n)
  t.equal(accruedInterest({ principal: 1_800_000n, rateBp: 1, days: 1, rounding: 'up' }), 1n)
  t.equal(accruedInterest({ principal: -1_800_000n, rateBp: 1, days: 1, rounding: 'half-up' }), -1n, 'negative balances round symmetrically')
})

t.test('agrees with a decimal.js oracle of the textbook formula', async (t) => {
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 13n }), // up to CNY 100 billion
        fc.integer({ min: 0, max: 3650 }), // 0–36.5% a year
        fc.integer({ min: 0, max: 3660 }), // up to ~10 years
        fc.constantFrom(...DAY_COUNT_BASES),
        fc.constantFrom(...ROUNDING_MODES),
        (principal, rateBp, days, basis, rounding) =>
          accruedInterest({ principal, rateBp, days, basis, rounding }) === oracleInterest(principal, rateBp, days, basis, rounding),
      ),
      { numRuns: 1000 },
    ),
  )
  // Small figures hit exact ties.
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(
        fc.bigInt({ min: -5_000_000n, max: 5_000_000n }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 40 }),
        fc.constantFrom(...DAY_COUNT_BASES),
        fc.constantFrom(...ROUNDING_MODES),
        (principal, rateBp, days, basis, rounding) =>
          accruedInterest({ principal, rateBp, days, basis, rounding }) === oracleInterest(principal, rateBp, days, basis, rounding),
      ),
      { numRuns: 1000 },
    ),
  )
  // Principal a multiple of 180,000 fen at 1 bp ACT/360 gives k × days / 20 fen: ties are frequent.
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(
        fc.integer({ min: -3000, max: 3000 }),
        fc.integer({ min: 0, max: 60 }),
        fc.constantFrom(...ROUNDING_MODES),
        (k, days, rounding) => {
          const principal = BigInt(k) * 180_000n
          return accruedInterest({ principal, rateBp: 1, days, rounding }) === oracleInterest(principal, 1, days, 'ACT/360', rounding)
        },
      ),
      { numRuns: 1000 },
    ),
  )
})

t.test('more days never means less interest', async (t) => {
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.integer({ min: 0, max: 3650 }),
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 0, max: 2000 }),
        fc.constantFrom(...ROUNDING_MODES),
        (principal, rateBp, a, b, rounding) =>
          accruedInterest({ principal, rateBp, days: Math.min(a, b), rounding }) <=
          accruedInterest({ principal, rateBp, days: Math.max(a, b), rounding }),
      ),
      { numRuns: 300 },
    ),
  )
})

t.test('refuses bad inputs', async (t) => {
  t.throws(() => accruedInterest({ principal: 1n, rateBp: 385, days: -1, rounding: 'up' }), { code: 'invalid-argument' })
  t.throws(() => accruedInterest({ principal: 1n, rateBp: 385, days: 1.5, rounding: 'up' }), { code: 'invalid-argument' })
  t.throws(() => accruedInterest({ principal: 1n, rateBp: 3.85, days: 1, rounding: 'up' }), { code: 'invalid-rate' })
})

t.test('interestForPeriod counts the first day, not the last (算头不算尾)', async (t) => {
  const principal = 100_000_000n
  const q1 = interestForPeriod({ principal, rateBp: 385, from: parseDate('2020-01-01'), to: parseDate('2020-04-01'), rounding: 'half-up' })
  t.equal(q1, accruedInterest({ principal, rateBp: 385, days: 91, rounding: 'half-up' }), 'Q1 2020 has 91 days (leap February)')
  const q1n = interestForPeriod({ principal, rateBp: 385, from: parseDate('2021-01-01'), to: parseDate('2021-04-01'), rounding: 'half-up' })
  t.equal(q1n, accruedInterest({ principal, rateBp: 385, days: 90, rounding: 'half-up' }))
  const act365 = interestForPeriod({ principal, rateBp: 385, from: parseDate('2020-01-01'), to: parseDate('2021-01-01'), basis: 'ACT/365', rounding: 'half-up' })
  t.equal(act365, accruedInterest({ principal, rateBp: 385, days: 366, basis: 'ACT/365', rounding: 'half-up' }), 'leap year: 366/365')
  t.equal(interestForPeriod({ principal, rateBp: 385, from: parseDate('2020-01-01'), to: parseDate('2020-01-01'), rounding: 'up' }), 0n)
  t.throws(
    () => interestForPeriod({ principal, rateBp: 385, from: parseDate('2020-01-02'), to: parseDate('2020-01-01'), rounding: 'up' }),
    { code: 'invalid-argument' },
  )
})
