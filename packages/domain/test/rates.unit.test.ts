import fc from 'fast-check'
import t from 'tap'
import {
  assertBasisPoints,
  clampBp,
  formatPercent,
  isBasisPoints,
  isWithinCap,
  lprMinus,
  lprPlus,
  parsePercent,
  shareOfRate,
} from '../src/index.js'

t.test('parsePercent: percent strings to basis points', async (t) => {
  const cases: [string, number][] = [
    ['3.85', 385],
    ['4.25', 425],
    ['3.1', 310],
    ['3.10', 310],
    ['4', 400],
    ['0', 0],
    ['0.01', 1],
    ['0.5', 50],
    ['-1', -100],
    ['-1.00', -100],
    ['-0.50', -50],
    ['100', 10_000],
    ['24.00', 2400],
  ]
  for (const [text, bp] of cases) t.equal(parsePercent(text), bp, text)
})

t.test('parsePercent rejects fractions of a bp and anything loose', async (t) => {
  for (const text of ['3.855', '0.001', '3.85%', ' 3.85', '3.85 ', '+3.85', '03.85', '3,85', '3.', '.5', '3e0', '', '-', '-0', '-0.00', 'NaN', '9007199254740993']) {
    t.throws(() => parsePercent(text), { code: 'invalid-rate' }, JSON.stringify(text))
  }
})

t.test('formatPercent and round trip', async (t) => {
  t.equal(formatPercent(385), '3.85')
  t.equal(formatPercent(310), '3.10')
  t.equal(formatPercent(5), '0.05')
  t.equal(formatPercent(0), '0.00')
  t.equal(formatPercent(-100), '-1.00')
  t.equal(formatPercent(-5), '-0.05')
  t.throws(() => formatPercent(3.5), { code: 'invalid-rate' })
  t.doesNotThrow(() =>
    fc.assert(fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (bp) => parsePercent(formatPercent(bp)) === bp), { numRuns: 500 }),
  )
})

t.test('isBasisPoints / assertBasisPoints', async (t) => {
  for (const ok of [0, 385, -100, Number.MAX_SAFE_INTEGER]) t.ok(isBasisPoints(ok), String(ok))
  for (const bad of [3.85, Number.NaN, Infinity, '385', 385n, null, 2 ** 53]) t.notOk(isBasisPoints(bad), String(bad))
  t.throws(() => assertBasisPoints(1.5, 'spread'), { code: 'invalid-rate', message: /spread/ })
})

t.test('LPR plus/minus spreads (POLICY §3)', async (t) => {
  t.equal(lprMinus(385, 100), 285, 'special re-lending cap: 1y LPR 3.85% − 100 bp = 2.85%')
  t.equal(lprPlus(385, 50), 435, 'inclusive re-lending cap: LPR + 50 bp')
  t.equal(lprMinus(50, 100), -50, 'not clamped silently')
  t.throws(() => lprMinus(385, 0.5), { code: 'invalid-rate' })
  t.throws(() => lprPlus(3.85, 50), { code: 'invalid-rate' })
})

t.test('clampBp and caps', async (t) => {
  t.equal(clampBp(500, { max: 285 }), 285)
  t.equal(clampBp(200, { max: 285 }), 200)
  t.equal(clampBp(285, { max: 285 }), 285, 'cap inclusive')
  t.equal(clampBp(-20, { min: 0 }), 0)
  t.equal(clampBp(150, { min: 100, max: 200 }), 150)
  t.equal(clampBp(50, { min: 100, max: 200 }), 100)
  t.equal(clampBp(250, { min: 100, max: 200 }), 200)
  t.equal(clampBp(7, {}), 7)
  t.throws(() => clampBp(1, { min: 5, max: 4 }), { code: 'invalid-argument' })
  t.throws(() => clampBp(1, { min: 0.5 }), { code: 'invalid-rate' })
  t.ok(isWithinCap(285, 285), 'at the cap')
  t.notOk(isWithinCap(286, 285), 'one bp over')
  t.ok(isWithinCap(284, 285))
})

t.test('shareOfRate: halving an odd rate needs a rounding decision', async (t) => {
  t.equal(shareOfRate(385, 5000, 'half-up'), 193, '50% of 3.85% = 1.925% → 1.93%')
  t.equal(shareOfRate(385, 5000, 'down'), 192)
  t.equal(shareOfRate(385, 5000, 'half-even'), 192)
  t.equal(shareOfRate(400, 5000, 'up'), 200, 'even rates are exact')
  t.equal(shareOfRate(285, 10_000, 'down'), 285, '100%')
  t.throws(() => shareOfRate(385, 0.5, 'down'), { code: 'invalid-rate' })
})
