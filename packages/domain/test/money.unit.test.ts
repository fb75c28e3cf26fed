import fc from 'fast-check'
import t from 'tap'
import {
  ROUNDING_MODES,
  allocate,
  applyRate,
  divideRound,
  fenFromWanYuan,
  formatFen,
  formatYuan,
  isRoundingMode,
  maxFen,
  minFen,
  parseFen,
  parseYuan,
  sumFen,
  type RoundingMode,
} from '../src/index.js'
import { oracleDivide } from './fixtures/oracle.js'

const RUNS = { numRuns: 500 }
const anyMode = fc.constantFrom(...ROUNDING_MODES)

t.test('parseYuan accepts plain yuan amounts with at most 2 decimals', async (t) => {
  const cases: [string, bigint][] = [
    ['0', 0n],
    ['0.00', 0n],
    ['0.01', 1n],
    ['0.1', 10n],
    ['1', 100n],
    ['12.5', 1250n],
    ['1234.56', 123456n],
    ['-0.05', -5n],
    ['-1234.5', -123450n],
    ['10000000', 1_000_000_000n],
    ['92233720368547758.07', 9_223_372_036_854_775_807n],
    ['123456789012345678901234567890.99', 12345678901234567890123456789099n],
  ]
  for (const [text, fen] of cases) t.equal(parseYuan(text), fen, text)
})

t.test('parseYuan rejects everything else instead of guessing', async (t) => {
  const bad = [
    '', ' ', '1.234', '0.001', '1e3', '1E3', '1.2e1', '+1', '01', '00.5', '1.', '.5', '-', '-.5',
    '1,234.56', '1 234', ' 1', '1 ', '¥1', '1元', '0x10', 'NaN', 'Infinity', '-0', '-0.0', '-0.00', '１２', '1.2.3', '--1',
  ]
  for (const text of bad) t.throws(() => parseYuan(text), { code: 'invalid-money' }, JSON.stringify(text))
})

t.test('formatYuan always writes two decimals and a leading zero', async (t) => {
  const cases: [bigint, string][] = [
    [0n, '0.00'],
    [1n, '0.01'],
    [10n, '0.10'],
    [100n, '1.00'],
    [123456n, '1234.56'],
    [-5n, '-0.05'],
    [-100n, '-1.00'],
    [-123456n, '-1234.56'],
  ]
  for (const [fen, text] of cases) t.equal(formatYuan(fen), text, String(fen))
})

t.test('yuan strings round-trip', async (t) => {
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), (fen) => parseYuan(formatYuan(fen)) === fen),
      RUNS,
    ),
  )
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(fc.stringMatching(/^-?(0|[1-9][0-9]{0,20})\.[0-9]{2}$/), (text) => {
        fc.pre(!/^-0\.00$/.test(text))
        return formatYuan(parseYuan(text)) === text
      }),
      RUNS,
    ),
  )
})

t.test('parseFen / formatFen: the JSON wire form', async (t) => {
  t.equal(parseFen('123456'), 123456n)
  t.equal(parseFen('0'), 0n)
  t.equal(parseFen('-5'), -5n)
  t.equal(parseFen('99999999999999999999999'), 99999999999999999999999n, 'beyond 2^53 stays exact')
  for (const text of ['', '-0', '01', '1.0', '1e3', '+1', ' 1', '1 ', '12a', '0x1f', '1_000']) {
    t.throws(() => parseFen(text), { code: 'invalid-money' }, JSON.stringify(text))
  }
  t.equal(formatFen(123456n), '123456')
  t.equal(formatFen(-5n), '-5')
  t.doesNotThrow(() =>
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), (fen) => parseFen(formatFen(fen)) === fen), RUNS),
  )
})

t.test('divideRound matches the classic rounding table for every mode', async (t) => {
  // value ×10, then expected results for: up, down, ceiling, floor, half-up, half-even
  const table: [bigint, Record<RoundingMode, bigint>][] = [
    [55n, { up: 6n, down: 5n, ceiling: 6n, floor: 5n, 'half-up': 6n, 'half-even': 6n }],
    [25n, { up: 3n, down: 2n, ceiling: 3n, floor: 2n, 'half-up': 3n, 'half-even': 2n }],
    [16n, { up: 2n, down: 1n, ceiling: 2n, floor: 1n, 'half-up': 2n, 'half-even': 2n }],
    [11n, { up: 2n, down: 1n, ceiling: 2n, floor: 1n, 'half-up': 1n, 'half-even': 1n }],
    [10n, { up: 1n, down: 1n, ceiling: 1n, floor: 1n, 'half-up': 1n, 'half-even': 1n }],
    [4n, { up: 1n, down: 0n, ceiling: 1n, floor: 0n, 'half-up': 0n, 'half-even': 0n }],
    [5n, { up: 1n, down: 0n, ceiling: 1n, floor: 0n, 'half-up': 1n, 'half-even': 0n }],
    [0n, { up: 0n, down: 0n, ceiling: 0n, floor: 0n, 'half-up': 0n, 'half-even': 0n }],
    [-5n, { up: -1n, down: 0n, ceiling: 0n, floor: -1n, 'half-up': -1n, 'half-even': 0n }],
    [-10n, { up: -1n, down: -1n, ceiling: -1n, floor: -1n, 'half-up': -1n, 'half-even': -1n }],
    [-11n, { up: -2n, down: -1n, ceiling: -1n, floor: -2n, 'half-up': -1n, 'half-even': -1n }],
    [-16n, { up: -2n, down: -1n, ceiling: -1n, floor: -2n, 'half-up': -2n, 'half-even': -2n }],
    [-25n, { up: -3n, down: -2n, ceiling: -2n, floor: -3n, 'half-up': -3n, 'half-even': -2n }],
    [-55n, { up: -6n, down: -5n, ceiling: -5n, floor: -6n, 'half-up': -6n, 'half-even': -6n }],
  ]
  for (const [tenfold, expected] of table) {
    for (const mode of ROUNDING_MODES) {
      t.equal(divideRound(tenfold, 10n, mode), expected[mode], `${tenfold}/10 ${mode}`)
      // A negative denominator is the same quotient.
      t.equal(divideRound(-tenfold, -10n, mode), expected[mode], `${-tenfold}/-10 ${mode}`)
    }
  }
})

t.test('divideRound agrees with decimal.js for any sign and size', async (t) => {
  const big = fc.bigInt({ min: -(2n ** 128n), max: 2n ** 128n })
  const nonZero = fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).filter((d) => d !== 0n)
  const small = fc.bigInt({ min: -40n, max: 40n })
  const smallNonZero = fc.bigInt({ min: -8n, max: 8n }).filter((d) => d !== 0n)
  t.doesNotThrow(() =>
    fc.assert(fc.property(big, nonZero, anyMode, (n, d, mode) => divideRound(n, d, mode) === oracleDivide(n, d, mode)), RUNS),
  )
  // Small operands hit exact ties and exact quotients often.
  t.doesNotThrow(() =>
    fc.assert(fc.property(small, smallNonZero, anyMode, (n, d, mode) => divideRound(n, d, mode) === oracleDivide(n, d, mode)), RUNS),
  )
})

t.test('divideRound stays within one unit (half a unit for half modes) of the exact quotient', async (t) => {
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        anyMode,
        (n, d, mode) => {
          const q = divideRound(n, d, mode)
          const error = n - q * d // exact quotient − q, scaled by d
          const abs = error < 0n ? -error : error
          return mode.startsWith('half') ? 2n * abs <= d : abs < d
        },
      ),
      RUNS,
    ),
  )
})

t.test('divideRound refuses a zero denominator and unknown modes', async (t) => {
  t.throws(() => divideRound(1n, 0n, 'half-up'), { code: 'invalid-argument' })
  t.throws(() => divideRound(10n, 5n, 'HALF_UP' as RoundingMode), { code: 'invalid-argument' }, 'even when the division is exact')
})

t.test('isRoundingMode', async (t) => {
  for (const mode of ROUNDING_MODES) t.ok(isRoundingMode(mode), mode)
  for (const value of ['HALF_UP', 'half_up', 'round', '', null, 4]) t.notOk(isRoundingMode(value), String(value))
})

t.test('applyRate: amount × bp / 10000 rounded once', async (t) => {
  t.equal(applyRate(123456n, 100, 'half-up'), 1235n, '1% of 1234.56 = 12.3456 → 12.35')
  t.equal(applyRate(123456n, 100, 'down'), 1234n)
  t.equal(applyRate(1_000_000n, 5000, 'half-up'), 500_000n, '50%')
  t.equal(applyRate(5n, 5000, 'half-even'), 2n, '2.5 fen → 2 (even)')
  t.equal(applyRate(5n, 5000, 'half-up'), 3n, '2.5 fen → 3')
  t.equal(applyRate(-5n, 5000, 'half-up'), -3n, 'ties away from zero for negatives')
  t.equal(applyRate(100n, 0, 'up'), 0n)
  t.equal(applyRate(100n, 20_000, 'down'), 200n, 'rates above 100% are fine')
  t.equal(applyRate(100n, -100, 'half-up'), -1n, 'negative bp')
  for (const bp of [1.5, Number.NaN, Infinity, 2 ** 53]) {
    t.throws(() => applyRate(100n, bp, 'half-up'), { code: 'invalid-rate' }, String(bp))
  }
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: -100_000, max: 100_000 }), anyMode, (amount, bp, mode) =>
        applyRate(amount, bp, mode) === oracleDivide(amount * BigInt(bp), 10_000n, mode),
      ),
      RUNS,
    ),
  )
})

t.test('allocate: risk-sharing splits', async (t) => {
  t.strictSame(allocate(1_000_000n, [4, 2, 2, 2]), [400_000n, 200_000n, 200_000n, 200_000n], '4:2:2:2 exact')
  t.strictSame(allocate(1_000_001n, [4, 2, 2, 2]), [400_001n, 200_000n, 200_000n, 200_000n], 'odd fen to the largest remainder')
  t.strictSame(allocate(1_000_003n, [4, 2, 2, 2]), [400_001n, 200_001n, 200_001n, 200_000n], 'equal remainders → lower index first')
  t.strictSame(allocate(99n, [4, 3, 2, 1]), [39n, 30n, 20n, 10n], '4:3:2:1 of 0.99: exact 39.6 29.7 19.8 9.9, largest remainders win')
  t.strictSame(allocate(100n, [1, 1, 1]), [34n, 33n, 33n])
  t.strictSame(allocate(2n, [1, 1, 1]), [1n, 1n, 0n])
  t.strictSame(allocate(0n, [4, 2, 2, 2]), [0n, 0n, 0n, 0n])
  t.strictSame(allocate(-100n, [1, 1, 1]), [-34n, -33n, -33n], 'negative totals mirror positive ones')
  t.strictSame(allocate(7n, [0, 1, 0, 1]), [0n, 4n, 0n, 3n], 'zero weights get nothing')
  t.strictSame(allocate(10n, [5n, 5n]), [5n, 5n], 'bigint weights')
  t.strictSame(allocate(12345n, [1]), [12345n], 'single part')
  t.strictSame(allocate(1_000_003n, [4, 2, 2, 2], { remainderTo: 0 }), [400_003n, 200_000n, 200_000n, 200_000n], 'remainderTo')
  t.strictSame(allocate(-1_000_003n, [4, 2, 2, 2], { remainderTo: 0 }), [-400_003n, -200_000n, -200_000n, -200_000n])
})

t.test('allocate refuses weights it cannot split by', async (t) => {
  t.throws(() => allocate(100n, []), { code: 'invalid-argument' }, 'no weights')
  t.throws(() => allocate(100n, [0, 0]), { code: 'invalid-argument' }, 'all zero')
  t.throws(() => allocate(100n, [1, -1]), { code: 'invalid-argument' }, 'negative')
  t.throws(() => allocate(100n, [1, -1n]), { code: 'invalid-argument' }, 'negative bigint')
  t.throws(() => allocate(100n, [1.5, 1]), { code: 'invalid-argument' }, 'fractional')
  t.throws(() => allocate(100n, [Number.NaN]), { code: 'invalid-argument' }, 'NaN')
  t.throws(() => allocate(100n, [1, 1], { remainderTo: 2 }), { code: 'invalid-argument' }, 'remainderTo out of range')
  t.throws(() => allocate(100n, [1, 0], { remainderTo: 1 }), { code: 'invalid-argument' }, 'remainderTo a zero weight')
})

t.test('allocate invariants hold for any total and weights', async (t) => {
  const weights = fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 12 }).filter((w) => w.some((x) => x > 0))
  const total = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n })
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(total, weights, (total, weights) => {
        const parts = allocate(total, weights)
        const weightSum = BigInt(weights.reduce((a, b) => a + b, 0))
        if (parts.length !== weights.length) return false
        if (sumFen(parts) !== total) return false
        return parts.every((part, i) => {
          const w = BigInt(weights[i] ?? 0)
          const diff = part * weightSum - total * w // (part − exact share) × Σw
          const sameSign = total >= 0n ? part >= 0n : part <= 0n
          return sameSign && (diff < 0n ? -diff : diff) < weightSum && (w !== 0n || part === 0n)
        })
      }),
      RUNS,
    ),
  )
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(total, weights, fc.nat(), (total, weights, pick) => {
        const positive = weights.flatMap((w, i) => (w > 0 ? [i] : []))
        const remainderTo = positive[pick % positive.length] ?? 0
        return sumFen(allocate(total, weights, { remainderTo })) === total
      }),
      RUNS,
    ),
  )
})

t.test('fenFromWanYuan and small helpers', async (t) => {
  t.equal(fenFromWanYuan(1), 1_000_000n, 'CNY 10,000 = 1,000,000 fen')
  t.equal(fenFromWanYuan(40000), 40_000_000_000n)
  t.equal(fenFromWanYuan(1000n), 1_000_000_000n, 'CNY 10 million')
  t.throws(() => fenFromWanYuan(0.5), { code: 'invalid-money' })
  t.equal(sumFen([]), 0n)
  t.equal(sumFen([1n, 2n, -3n]), 0n)
  t.equal(minFen(5n, -1n, 3n), -1n)
  t.equal(maxFen(5n, -1n, 30n), 30n)
  t.equal(minFen(7n), 7n)
})
