import { divideRound } from '@sme/domain'

/**
 * Scorecard scaling (POLICY §6: "600 points at odds 1:19 with 50 points to double the odds").
 *
 * The score is linear in the log-odds of being good:
 *
 *     score = offset + factor × ln(odds),   odds = good : bad
 *     factor = pdo / ln 2                    (50 / ln 2 ≈ 72.1348)
 *     offset = basePoints − factor × ln(baseOdds)   (600 − 72.1348 × ln 19 ≈ 387.6036)
 *
 * so `basePoints` sits at `baseOdds` (19 good to 1 bad, i.e. a 5% probability of default) and
 * every `pdo` points double the odds. Inverting: odds = baseOdds × 2^((score − basePoints) / pdo)
 * and PD = 1 / (1 + odds). In a logistic scorecard each bin's points are
 * −(β × WoE + α / n) × factor + offset / n; in the default model they are set by judgement on the
 * same scale, so summing them gives a score these formulas turn into a PD.
 */
export interface Scaling {
  /** Score at the base odds, an integer (600). */
  readonly basePoints: number
  /** Good-to-bad odds at `basePoints`, an integer ≥ 1 (19, i.e. bad:good 1:19, PD 5%). */
  readonly baseOdds: number
  /** Points to double the odds, an integer ≥ 1 (50). */
  readonly pdo: number
}

/** `pdo / ln 2`, points per unit of natural log-odds. A float, for documentation and reports only. */
export function scalingFactor(scaling: Scaling): number {
  return scaling.pdo / Math.LN2
}

/** `basePoints − factor × ln(baseOdds)`, the score at even odds (1:1). A float, for documentation only. */
export function scalingOffset(scaling: Scaling): number {
  return scaling.basePoints - scalingFactor(scaling) * Math.log(scaling.baseOdds)
}

/** PDs are reported in parts per million, never 0 nor certain: a scorecard cannot know either. */
export const PD_PPM_MIN = 1
export const PD_PPM_MAX = 999_999

/** A probability of default, rounded half-even to a millionth. */
export interface ProbabilityOfDefault {
  /** PD in parts per million, an integer in 1 … 999,999 (50,000 = 5%). The stored form. */
  readonly pdPpm: number
  /** The same as a number, exactly `pdPpm / 1e6` (0.05). */
  readonly pd: number
}

// Fixed-point arithmetic with 40 decimal digits. Math.exp is "implementation-approximated" in
// ECMAScript and may differ across engines or versions in the last bit, which could flip a rounded
// PD on replay; integer arithmetic cannot. Scores are integers, so PD depends on the score alone and
// the compiled model caches it: the series below runs once per distinct score.
const SCALE = 10n ** 40n
/** ln 2 × 10^40, truncated (ln 2 = 0.6931471805599453094172321214581765680755001343602552…). */
const LN2_SCALED = 6_931_471_805_599_453_094_172_321_214_581_765_680_755n

/** e^x × SCALE for 0 ≤ x < 1 given as x × SCALE, by Taylor series (terms fall below 1/SCALE by n ≈ 35). */
function expScaled(xScaled: bigint): bigint {
  let sum = SCALE
  let term = SCALE
  for (let n = 1n; term !== 0n; n++) {
    term = (term * xScaled) / (SCALE * n)
    sum += term
  }
  return sum
}

/**
 * The probability of default at an integer `score` under `scaling`, PD = 1 / (1 + odds) with
 * odds = baseOdds × 2^((score − basePoints) / pdo), rounded half-even to parts per million and kept
 * within {@link PD_PPM_MIN} … {@link PD_PPM_MAX}. Exact and platform-independent: computed in
 * integer fixed point (error < 10^−35), so replay is bit-identical anywhere.
 */
export function probabilityOfDefault(scaling: Scaling, score: number): ProbabilityOfDefault {
  const { basePoints, baseOdds, pdo } = scaling
  if (![score, basePoints, baseOdds, pdo].every(Number.isSafeInteger) || pdo < 1 || baseOdds < 1) {
    throw new RangeError('score and scaling parameters must be integers (pdo, baseOdds ≥ 1)')
  }
  // 2^((score − base) / pdo) = 2^k × 2^(r / pdo) with 0 ≤ r < pdo.
  const delta = score - basePoints
  const k = Math.floor(delta / pdo)
  const r = delta - k * pdo
  const fraction = expScaled((BigInt(r) * LN2_SCALED) / BigInt(pdo)) // 2^(r/pdo) × SCALE
  const oddsScaled = k >= 0 ? BigInt(baseOdds) * fraction * 2n ** BigInt(k) : (BigInt(baseOdds) * fraction) / 2n ** BigInt(-k)
  const ppm = Number(divideRound(1_000_000n * SCALE, SCALE + oddsScaled, 'half-even'))
  const pdPpm = ppm < PD_PPM_MIN ? PD_PPM_MIN : ppm > PD_PPM_MAX ? PD_PPM_MAX : ppm
  return { pdPpm, pd: pdPpm / 1_000_000 }
}
