import { DomainError } from './errors.js'
import { divideRound, type RoundingMode } from './money.js'

/**
 * An annual interest or fee rate in basis points: 1 bp = 0.01% = 1/10,000; `385` is 3.85% a year.
 * POLICY §3: "Rates are stored in basis points".
 *
 * A safe-integer `number`, not a bigint: rates are small (|bp| ≪ 2^53), they travel in JSON as
 * plain numbers, compare with `<`, and need no fractional part (every published LPR, spread and
 * cap in the policy is a whole number of bp). They only meet bigint where they multiply fen
 * (`BigInt(bp)` in `applyRate`/`accruedInterest`), so no float arithmetic ever touches money.
 */
export type BasisPoints = number

/** Is `value` a whole number of basis points (a safe integer; may be negative for spreads)? */
export function isBasisPoints(value: unknown): value is BasisPoints {
  return typeof value === 'number' && Number.isSafeInteger(value)
}

/**
 * Throws unless `value` is a whole number of basis points.
 * @throws DomainError `invalid-rate`
 */
export function assertBasisPoints(value: unknown, what = 'rate'): asserts value is BasisPoints {
  if (!isBasisPoints(value)) throw new DomainError('invalid-rate', `${what} must be an integer number of basis points, got ${String(value)}`)
}

const PERCENT_PATTERN = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]{1,2}))?$/

/**
 * Parses a percent string to basis points: `"3.85"` → `385`, `"4"` → `400`, `"-1.0"` → `-100`.
 * Strict like `parseYuan`: at most 2 decimals (a third would be a fraction of a bp, refused rather
 * than rounded), no exponent, no `%` sign, no whitespace, no leading zeros, no negative zero.
 *
 * @throws DomainError `invalid-rate`
 */
export function parsePercent(text: string): BasisPoints {
  const match = PERCENT_PATTERN.exec(text)
  if (match === null) throw new DomainError('invalid-rate', `not a percent with at most 2 decimals: ${JSON.stringify(text)}`)
  const [, minus = '', whole = '0', fraction = ''] = match
  const magnitude = Number(whole) * 100 + Number(fraction.padEnd(2, '0'))
  if (!Number.isSafeInteger(magnitude)) throw new DomainError('invalid-rate', `percent out of range: ${JSON.stringify(text)}`)
  if (minus === '-' && magnitude === 0) throw new DomainError('invalid-rate', `negative zero: ${JSON.stringify(text)}`)
  return minus === '-' ? -magnitude : magnitude
}

/** Formats basis points as a percent string with 2 decimals: `385` → `"3.85"`, `-100` → `"-1.00"`. */
export function formatPercent(bp: BasisPoints): string {
  assertBasisPoints(bp)
  const magnitude = Math.abs(bp)
  const fraction = String(magnitude % 100).padStart(2, '0')
  return `${bp < 0 ? '-' : ''}${Math.trunc(magnitude / 100)}.${fraction}`
}

/**
 * A rate quoted as LPR plus a spread: `lprPlus(385, 50)` = 435 (POLICY §3: inclusive re-lending
 * loans priced at ≤ 1-year LPR + 50 bp).
 */
export function lprPlus(lprBp: BasisPoints, spreadBp: BasisPoints): BasisPoints {
  assertBasisPoints(lprBp, 'LPR')
  assertBasisPoints(spreadBp, 'spread')
  return lprBp + spreadBp
}

/**
 * A rate quoted as LPR minus a spread: `lprMinus(385, 100)` = 285 (POLICY §3: special re-lending
 * loans at ≤ latest 1-year LPR − 100 bp). The result is not clamped: a caller that needs a floor
 * says so with {@link clampBp}.
 */
export function lprMinus(lprBp: BasisPoints, spreadBp: BasisPoints): BasisPoints {
  assertBasisPoints(lprBp, 'LPR')
  assertBasisPoints(spreadBp, 'spread')
  return lprBp - spreadBp
}

/**
 * `bp` limited to `[min, max]`; either bound may be omitted. E.g. a rate cap
 * `clampBp(offered, { max: lprMinus(lpr, 100) })`.
 *
 * @throws DomainError `invalid-argument` when `min > max`.
 */
export function clampBp(bp: BasisPoints, bounds: { readonly min?: BasisPoints; readonly max?: BasisPoints }): BasisPoints {
  assertBasisPoints(bp)
  const { min, max } = bounds
  if (min !== undefined) assertBasisPoints(min, 'min')
  if (max !== undefined) assertBasisPoints(max, 'max')
  if (min !== undefined && max !== undefined && min > max) {
    throw new DomainError('invalid-argument', `clamp bounds reversed: min ${min} > max ${max}`)
  }
  if (min !== undefined && bp < min) return min
  if (max !== undefined && bp > max) return max
  return bp
}

/** Is `bp` at most `capBp`? Named for policy caps ("rate ≤ LPR − 100 bp"); the cap is inclusive. */
export function isWithinCap(bp: BasisPoints, capBp: BasisPoints): boolean {
  assertBasisPoints(bp)
  assertBasisPoints(capBp, 'cap')
  return bp <= capBp
}

/**
 * A share of a rate, rounded to whole bp: `shareOfRate(385, 5000, mode)` is 50% of 3.85% =
 * 192.5 bp, so the mode decides 192 or 193.
 *
 * Prefer computing shares of **amounts** (`applyRate(interestFen, 5000, mode)`) when you can: the
 * subsidy in POLICY §3 is 50% of the rate the firm pays, and halving an odd bp rate cannot be
 * exact in whole bp.
 *
 * @param rateBp annual rate, bp
 * @param shareBp the share, bp of the rate (5000 = 50%)
 */
export function shareOfRate(rateBp: BasisPoints, shareBp: BasisPoints, mode: RoundingMode): BasisPoints {
  assertBasisPoints(rateBp)
  assertBasisPoints(shareBp, 'share')
  return Number(divideRound(BigInt(rateBp) * BigInt(shareBp), 10_000n, mode))
}
