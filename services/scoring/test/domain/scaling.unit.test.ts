// Scaling arithmetic against an independent oracle: decimal.js at 60 significant digits computes
// PD = 1 / (1 + baseOdds × 2^((score − base) / pdo)) with its own exp/ln.
import { Decimal } from 'decimal.js'
import fc from 'fast-check'
import t from 'tap'
import { PD_PPM_MAX, PD_PPM_MIN, probabilityOfDefault, scalingFactor, scalingOffset, type Scaling } from '../../src/domain/index.js'

const D = Decimal.clone({ precision: 60 })
const STANDARD: Scaling = { basePoints: 600, baseOdds: 19, pdo: 50 }

function oracleOdds(scaling: Scaling, score: number): Decimal {
  return new D(scaling.baseOdds).mul(D.pow(2, new D(score - scaling.basePoints).div(scaling.pdo)))
}

function oraclePpm(scaling: Scaling, score: number): number {
  const pd = new D(1).div(oracleOdds(scaling, score).add(1))
  const ppm = pd.mul(1_000_000).toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN).toNumber()
  return Math.min(PD_PPM_MAX, Math.max(PD_PPM_MIN, ppm))
}

t.test('600 points is odds 19:1, a PD of exactly 5%', async (t) => {
  t.same(probabilityOfDefault(STANDARD, 600), { pdPpm: 50_000, pd: 0.05 })
})

t.test('every 50 points doubles the good:bad odds', async (t) => {
  // PD = 1 / (1 + 19 × 2^k): exact rationals at multiples of pdo.
  const cases: [number, number][] = [
    [450, 1 / (1 + 19 / 8)],
    [500, 1 / (1 + 19 / 4)],
    [550, 1 / (1 + 19 / 2)],
    [600, 1 / 20],
    [650, 1 / 39],
    [700, 1 / 77],
    [750, 1 / 153],
    [800, 1 / 305],
  ]
  for (const [score, pd] of cases) {
    const ppm = new D(1_000_000).mul(pd).toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN).toNumber()
    t.equal(probabilityOfDefault(STANDARD, score).pdPpm, ppm, `score ${score}`)
  }
  // And in the oracle itself: odds(s + 50) / odds(s) = 2 for any s.
  for (const score of [0, 387, 600, 613, 999]) {
    t.ok(oracleOdds(STANDARD, score + 50).div(oracleOdds(STANDARD, score)).sub(2).abs().lt('1e-50'), `odds double from ${score}`)
  }
})

t.test('factor = pdo / ln 2 and offset = base − factor × ln(odds)', async (t) => {
  const factor = new D(50).div(D.ln(2))
  const offset = new D(600).sub(factor.mul(D.ln(19)))
  t.ok(Math.abs(scalingFactor(STANDARD) - factor.toNumber()) < 1e-9, `factor ${scalingFactor(STANDARD)}`)
  t.ok(Math.abs(scalingOffset(STANDARD) - offset.toNumber()) < 1e-9, `offset ${scalingOffset(STANDARD)}`)
  t.equal(factor.toFixed(4), '72.1348')
  t.equal(offset.toFixed(4), '387.6036')
  // At the offset the odds are even: PD 50% (offset is not an integer; the scores around it straddle 50%).
  t.ok(probabilityOfDefault(STANDARD, 387).pdPpm > 500_000)
  t.ok(probabilityOfDefault(STANDARD, 388).pdPpm < 500_000)
})

t.test('PD matches the decimal.js oracle at every score from −400 to 1,600', async (t) => {
  let mismatches = 0
  for (let score = -400; score <= 1600; score++) {
    if (probabilityOfDefault(STANDARD, score).pdPpm !== oraclePpm(STANDARD, score)) mismatches += 1
  }
  t.equal(mismatches, 0)
})

t.test('PD matches the oracle for arbitrary integer scalings', async (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 1000 }),
      fc.integer({ min: 1, max: 200 }),
      fc.integer({ min: 1, max: 200 }),
      fc.integer({ min: -500, max: 1500 }),
      (basePoints, baseOdds, pdo, score) => {
        const scaling = { basePoints, baseOdds, pdo }
        return probabilityOfDefault(scaling, score).pdPpm === oraclePpm(scaling, score)
      },
    ),
    { numRuns: 300 },
  )
})

t.test('PD is non-increasing in the score, bounded away from 0 and 1, and pd = pdPpm / 1e6', async (t) => {
  let previous = Infinity
  for (let score = -2000; score <= 3000; score += 7) {
    const { pdPpm, pd } = probabilityOfDefault(STANDARD, score)
    if (pdPpm > previous) t.fail(`PD rises at ${score}`)
    previous = pdPpm
    if (pd !== pdPpm / 1_000_000) t.fail(`pd ≠ pdPpm / 1e6 at ${score}`)
  }
  t.equal(probabilityOfDefault(STANDARD, 5000).pdPpm, PD_PPM_MIN)
  t.equal(probabilityOfDefault(STANDARD, -5000).pdPpm, PD_PPM_MAX)
})

t.test('non-integer scores and scalings are refused', async (t) => {
  t.throws(() => probabilityOfDefault(STANDARD, 600.5))
  t.throws(() => probabilityOfDefault({ ...STANDARD, pdo: 0 }, 600))
  t.throws(() => probabilityOfDefault({ ...STANDARD, baseOdds: 19.5 }, 600))
})
