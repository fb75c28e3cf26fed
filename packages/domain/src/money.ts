import { DomainError } from './errors.js'

/**
 * An amount of Chinese yuan (CNY) in integer fen (分, 1/100 yuan), e.g. CNY 1,234.56 = `123456n`.
 *
 * A plain `bigint` alias rather than a branded type: every bigint is a valid fen amount, arithmetic
 * stays ordinary (`a + b`, `a * 2n`), and the name in signatures carries the unit. Never use
 * `number` for money (POLICY §3: amounts in integer fen); bigint has no float rounding and no
 * 2^53 ceiling.
 */
export type Fen = bigint

/** 1 yuan = 100 fen. */
export const FEN_PER_YUAN = 100n
/** 1 wan yuan (万元, CNY 10,000) = 1,000,000 fen; the unit of the SME size table. */
export const FEN_PER_WAN_YUAN = 1_000_000n

/**
 * How a quotient that is not a whole number of fen is rounded. Every money computation takes one
 * explicitly, because the rule is part of the product terms (POLICY §3: "rounding rule stated").
 *
 * - `half-up`: to nearest, ties away from zero (四舍五入; 2.5 → 3, −2.5 → −3).
 * - `half-even`: to nearest, ties to the even neighbour (banker's rounding; 2.5 → 2, 3.5 → 4).
 * - `down`: toward zero (truncate; 2.7 → 2, −2.7 → −2).
 * - `up`: away from zero (2.1 → 3, −2.1 → −3).
 * - `floor`: toward −∞ (−2.1 → −3).
 * - `ceiling`: toward +∞ (−2.7 → −2).
 */
export type RoundingMode = 'half-up' | 'half-even' | 'down' | 'up' | 'floor' | 'ceiling'

/** All rounding modes, e.g. for schema enums and table-driven tests. */
export const ROUNDING_MODES: readonly RoundingMode[] = ['half-up', 'half-even', 'down', 'up', 'floor', 'ceiling']

/** Is `value` one of the {@link RoundingMode} names? */
export function isRoundingMode(value: unknown): value is RoundingMode {
  return typeof value === 'string' && (ROUNDING_MODES as readonly string[]).includes(value)
}

/**
 * `numerator / denominator` rounded to an integer with `mode`; exact for any sign and size.
 * The single place where the package rounds: interest, rate application and conversions all
 * compute an exact rational first and call this once, so rounding never compounds.
 *
 * @throws DomainError `invalid-argument` when `denominator` is 0n.
 */
export function divideRound(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  // Modes often arrive from JSON policy records; refuse an unknown one even when the division is exact.
  if (!isRoundingMode(mode)) throw new DomainError('invalid-argument', `unknown rounding mode: ${String(mode)}`)
  if (denominator === 0n) throw new DomainError('invalid-argument', 'division by zero')
  // Normalise to a positive denominator so the sign of the quotient is the sign of the numerator.
  const n = denominator < 0n ? -numerator : numerator
  const d = denominator < 0n ? -denominator : denominator
  const truncated = n / d // BigInt division truncates toward zero
  const remainder = n % d // carries the sign of n
  if (remainder === 0n) return truncated
  const negative = n < 0n
  const awayFromZero = negative ? truncated - 1n : truncated + 1n
  switch (mode) {
    case 'down':
      return truncated
    case 'up':
      return awayFromZero
    case 'floor':
      return negative ? awayFromZero : truncated
    case 'ceiling':
      return negative ? truncated : awayFromZero
    case 'half-up':
    case 'half-even': {
      const twice = 2n * (negative ? -remainder : remainder)
      if (twice > d) return awayFromZero
      if (twice < d) return truncated
      if (mode === 'half-up') return awayFromZero
      return truncated % 2n === 0n ? truncated : awayFromZero
    }
    default:
      return assertNever(mode)
  }
}

/**
 * `amount × bp / 10,000`, rounded once with `mode`: a rate in basis points applied to an amount,
 * e.g. a 1% guarantee fee (`100` bp) or a 50% subsidy share (`5000` bp).
 *
 * @param amount fen
 * @param bp basis points (1 bp = 0.01%), an integer (may be negative or above 10,000)
 * @returns fen
 */
export function applyRate(amount: Fen, bp: number, mode: RoundingMode): Fen {
  if (!Number.isSafeInteger(bp)) throw new DomainError('invalid-rate', `basis points must be an integer, got ${bp}`)
  return divideRound(amount * BigInt(bp), 10_000n, mode)
}

/** Options of {@link allocate}. */
export interface AllocateOptions {
  /**
   * Give the whole rounding remainder to this part (index into `weights`) instead of using largest
   * remainders; every other part is rounded toward zero. For agreements that name the layer that
   * absorbs odd fen (e.g. the originating guarantee agency in a 4:2:2:2 split, POLICY §5).
   */
  readonly remainderTo?: number
}

/**
 * Splits `total` pro rata to integer `weights` (e.g. `[4, 2, 2, 2]` for a 40/20/20/20 risk share)
 * so that the parts **always sum exactly to `total`**.
 *
 * Method: largest remainder (Hamilton). Each part first gets its exact share rounded toward zero;
 * the fen left over go one each to the parts with the largest fractional remainders, ties to the
 * lower index (so the result is deterministic and order-dependent only on ties). A part with
 * weight 0 always gets 0. A negative total is split as its magnitude, then negated, so
 * `allocate(-t, w)` is `allocate(t, w)` negated.
 *
 * Invariants: `sum(parts) === total`; `parts.length === weights.length`; no part has the opposite
 * sign of `total`; a zero weight gets 0. Without `remainderTo`, every part also differs from its
 * exact share `total × w / Σw` by less than 1 fen (with it, the designated part absorbs up to
 * `weights.length − 1` fen).
 *
 * @param total fen
 * @param weights non-negative integers, not all zero
 * @returns fen, one part per weight
 */
export function allocate(
  total: Fen,
  weights: readonly (number | bigint)[],
  options: AllocateOptions = {},
): Fen[] {
  if (weights.length === 0) throw new DomainError('invalid-argument', 'allocate needs at least one weight')
  const w = weights.map((weight, index) => {
    if (typeof weight === 'number' && !Number.isSafeInteger(weight)) {
      throw new DomainError('invalid-argument', `weight ${index} is not an integer: ${weight}`)
    }
    const value = BigInt(weight)
    if (value < 0n) throw new DomainError('invalid-argument', `weight ${index} is negative: ${weight}`)
    return value
  })
  const weightSum = w.reduce((a, b) => a + b, 0n)
  if (weightSum === 0n) throw new DomainError('invalid-argument', 'weights must not all be zero')
  const { remainderTo } = options
  if (remainderTo !== undefined && (!Number.isInteger(remainderTo) || (w[remainderTo] ?? 0n) === 0n)) {
    throw new DomainError('invalid-argument', `remainderTo ${remainderTo} is not the index of a positive weight`)
  }

  const sign = total < 0n ? -1n : 1n
  const magnitude = total * sign
  const parts = w.map((weight) => (magnitude * weight) / weightSum)
  let leftover = magnitude - parts.reduce((a, b) => a + b, 0n)

  if (remainderTo !== undefined) {
    parts[remainderTo] = (parts[remainderTo] ?? 0n) + leftover
  } else {
    // leftover < number of parts with a non-zero remainder, because Σ remainders = leftover × Σw.
    const order = w
      .map((weight, index) => ({ index, remainder: (magnitude * weight) % weightSum }))
      .filter((entry) => entry.remainder > 0n)
      .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1))
    for (const { index } of order) {
      if (leftover === 0n) break
      parts[index] = (parts[index] ?? 0n) + 1n
      leftover -= 1n
    }
  }
  return parts.map((part) => part * sign)
}

const YUAN_PATTERN = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]{1,2}))?$/
const FEN_PATTERN = /^-?(?:0|[1-9][0-9]*)$/

/**
 * Parses a yuan amount written as a plain decimal string: `"1234.56"` → `123456n`.
 *
 * Strict, because these strings come from files and forms where a lenient parser hides errors:
 * accepts an optional leading `-`, integer digits without leading zeros, and at most 2 decimals
 * (`"12"`, `"12.5"`, `"12.50"`). Rejects more than 2 decimals (no silent rounding), exponents,
 * `+`, thousands separators, whitespace, a bare or trailing dot, and negative zero (`"-0.00"`).
 *
 * @returns fen
 * @throws DomainError `invalid-money`
 */
export function parseYuan(text: string): Fen {
  const match = YUAN_PATTERN.exec(text)
  if (match === null) throw new DomainError('invalid-money', `not a yuan amount with at most 2 decimals: ${JSON.stringify(text)}`)
  const [, minus = '', whole = '0', fraction = ''] = match
  const magnitude = BigInt(whole) * FEN_PER_YUAN + BigInt(fraction.padEnd(2, '0'))
  if (minus === '-' && magnitude === 0n) throw new DomainError('invalid-money', `negative zero: ${JSON.stringify(text)}`)
  return minus === '-' ? -magnitude : magnitude
}

/**
 * Formats fen as a yuan decimal string with exactly 2 decimals: `123456n` → `"1234.56"`,
 * `-5n` → `"-0.05"`. No grouping, no currency sign; `parseYuan(formatYuan(x)) === x`.
 */
export function formatYuan(amount: Fen): string {
  const negative = amount < 0n
  const magnitude = negative ? -amount : amount
  const whole = magnitude / FEN_PER_YUAN
  const fraction = (magnitude % FEN_PER_YUAN).toString().padStart(2, '0')
  return `${negative ? '-' : ''}${whole}.${fraction}`
}

/**
 * Parses the JSON wire form of money: fen as a decimal integer string, `"123456"` → `123456n`.
 * JSON numbers lose precision above 2^53, hence a string. Strict: optional `-`, no leading zeros,
 * no sign on zero, nothing else.
 *
 * @returns fen
 * @throws DomainError `invalid-money`
 */
export function parseFen(text: string): Fen {
  if (!FEN_PATTERN.test(text) || text === '-0') {
    throw new DomainError('invalid-money', `not an integer fen string: ${JSON.stringify(text)}`)
  }
  return BigInt(text)
}

/** Serialises fen to its JSON wire form, `123456n` → `"123456"`; inverse of {@link parseFen}. */
export function formatFen(amount: Fen): string {
  return amount.toString()
}

/**
 * Converts a whole number of wan yuan (万元, CNY 10,000) to fen, exactly.
 * @throws DomainError `invalid-money` for a non-integer number.
 */
export function fenFromWanYuan(wanYuan: number | bigint): Fen {
  if (typeof wanYuan === 'number' && !Number.isSafeInteger(wanYuan)) {
    throw new DomainError('invalid-money', `wan yuan must be an integer, got ${wanYuan}`)
  }
  return BigInt(wanYuan) * FEN_PER_WAN_YUAN
}

/** Sum of fen amounts (0n for none). */
export function sumFen(amounts: Iterable<Fen>): Fen {
  let total = 0n
  for (const amount of amounts) total += amount
  return total
}

/** The smallest of the amounts; e.g. a compensation capped at the actual loss. */
export function minFen(first: Fen, ...rest: Fen[]): Fen {
  return rest.reduce((a, b) => (b < a ? b : a), first)
}

/** The largest of the amounts. */
export function maxFen(first: Fen, ...rest: Fen[]): Fen {
  return rest.reduce((a, b) => (b > a ? b : a), first)
}

function assertNever(value: never): never {
  throw new DomainError('invalid-argument', `unknown rounding mode: ${String(value)}`)
}
