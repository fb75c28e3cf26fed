import { DomainError } from './errors.js'

/**
 * Unified social credit code (统一社会信用代码, USCC), GB 32100-2015, as described in POLICY §1.
 *
 * Layout (1-based positions):
 *
 * | pos   | meaning                                            |
 * |-------|----------------------------------------------------|
 * | 1     | registration authority (登记管理部门), e.g. 9 = market regulation |
 * | 2     | entity type (机构类别), e.g. 91 enterprise, 92 individual business |
 * | 3–8   | administrative region code (GB/T 2260), digits     |
 * | 9–17  | organisation code (GB 11714), pos 17 its own check |
 * | 18    | check character over positions 1–17               |
 */

/** The 31 characters a USCC may contain, in value order (0–30); no I, O, Z, S, V. */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'

/** GB 32100-2015 weights of positions 1–17: 3^(i−1) mod 31 for position i. */
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const

/** GB 11714-1997 weights of the 8 body characters of an organisation code. */
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const

/** Why a code was rejected. `org-check` and `check` are the two check-character failures. */
export type UsccError = 'length' | 'charset' | 'region' | 'org-check' | 'check'

/** The check-character failures, the only ones an exception-list entry can override. */
export type UsccCheckError = Extract<UsccError, 'org-check' | 'check'>

/** The fields of a structurally valid USCC. */
export interface UsccParts {
  /** Position 1: registration authority code, e.g. `'9'` market regulation (工商/市场监管). */
  readonly registrationAuthority: string
  /** Position 2: entity type within that authority, e.g. `'1'` enterprise under authority `'9'`. */
  readonly entityType: string
  /**
   * Positions 3–8: administrative region code, six digits, e.g. `'350100'` Fuzhou. Usually a
   * GB/T 2260 code, but centrally registered entities carry `'100000'` (e.g. ICBC), and the GB/T
   * 2260 list changes over time, so only the digits are checked.
   */
  readonly region: string
  /** Positions 9–17: the GB 11714 organisation code, its own check character last. */
  readonly organisationCode: string
  /** Position 18: the check character. */
  readonly checkCharacter: string
}

/** Result of {@link validateUscc}: accepted, or refused with a reason. Never thrown. */
export type UsccValidation =
  | {
      readonly valid: true
      /** The code exactly as given (validation never rewrites it). */
      readonly code: string
      readonly parts: UsccParts
      /**
       * Present only when the code failed a check and was accepted because it is on the exception
       * list: the documented reason and which checks it failed. Callers should record it.
       */
      readonly exception?: { readonly reason: string; readonly failedChecks: readonly UsccCheckError[] }
    }
  | { readonly valid: false; readonly error: UsccError; readonly detail: string }

/** Options of {@link validateUscc}. */
export interface UsccValidationOptions {
  /**
   * Genuine codes known to fail a check (issued in early pilots, POLICY §1), each with the
   * documented reason for accepting it. Data from a policy record, never hard-coded. An entry only
   * overrides check-character failures (`org-check`, `check`); a code with the wrong length, a
   * foreign character or a non-digit region is refused regardless, because downstream code relies
   * on its structure. Default: no exceptions.
   */
  readonly exceptions?: ReadonlyMap<string, string>
}

/**
 * Validates a USCC strictly, as given: no trimming, no case folding (a lowercase letter is a
 * `charset` error; call {@link normalizeUsccInput} first at a form boundary if you want that).
 *
 * Checks, in order: 18 characters (`length`); all in {@link USCC_CHARSET} (`charset`); positions
 * 3–8 digits (`region`; not checked against the GB/T 2260 list, which changes); the organisation
 * code's check character (`org-check`); the final check character (`check`). A code failing only
 * check-character tests is accepted when it is on `options.exceptions`, with the reason attached;
 * otherwise refused (POLICY §1: never a silent pass).
 */
export function validateUscc(code: string, options: UsccValidationOptions = {}): UsccValidation {
  if (code.length !== 18) {
    return { valid: false, error: 'length', detail: `expected 18 characters, got ${code.length}` }
  }
  for (let i = 0; i < code.length; i++) {
    const ch = code.charAt(i)
    if (!USCC_CHARSET.includes(ch)) {
      const hint = ch !== ch.toUpperCase() ? ' (lowercase is not accepted; normalise input explicitly)' : ''
      return { valid: false, error: 'charset', detail: `position ${i + 1}: ${JSON.stringify(ch)} is not in the USCC character set${hint}` }
    }
  }
  const region = code.slice(2, 8)
  if (!/^[0-9]{6}$/.test(region)) {
    return { valid: false, error: 'region', detail: `positions 3–8 must be digits, got ${region}` }
  }

  const failures: { error: UsccCheckError; detail: string }[] = []
  const orgCode = code.slice(8, 17)
  const expectedOrgCheck = computeOrgCodeCheck(orgCode.slice(0, 8))
  if (orgCode.charAt(8) !== expectedOrgCheck) {
    failures.push({ error: 'org-check', detail: `organisation code check (position 17) should be ${expectedOrgCheck}, got ${orgCode.charAt(8)}` })
  }
  const expectedCheck = computeUsccCheck(code.slice(0, 17))
  if (code.charAt(17) !== expectedCheck) {
    failures.push({ error: 'check', detail: `check character (position 18) should be ${expectedCheck}, got ${code.charAt(17)}` })
  }

  const parts: UsccParts = {
    registrationAuthority: code.charAt(0),
    entityType: code.charAt(1),
    region,
    organisationCode: orgCode,
    checkCharacter: code.charAt(17),
  }
  const [first] = failures
  if (first === undefined) return { valid: true, code, parts }
  const reason = options.exceptions?.get(code)
  if (reason !== undefined) {
    return { valid: true, code, parts, exception: { reason, failedChecks: failures.map((f) => f.error) } }
  }
  return { valid: false, error: first.error, detail: failures.map((f) => f.detail).join('; ') }
}

/**
 * Explicit clean-up for codes typed into forms: trims surrounding whitespace and upper-cases.
 * Kept separate from {@link validateUscc} so that stored or received codes are never silently
 * rewritten. Does not map look-alikes (O→0, I→1): that would be a guess.
 */
export function normalizeUsccInput(text: string): string {
  return text.trim().toUpperCase()
}

/**
 * The GB 32100 check character (position 18) for the first 17 characters:
 * `Σ value(cᵢ) × wᵢ`, then `31 − (sum mod 31)` with 31 → 0, as an index into {@link USCC_CHARSET}.
 *
 * @throws DomainError `invalid-argument` unless `first17` is 17 characters of the USCC set.
 */
export function computeUsccCheck(first17: string): string {
  if (first17.length !== 17) throw new DomainError('invalid-argument', `expected 17 characters, got ${first17.length}`)
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const value = USCC_CHARSET.indexOf(first17.charAt(i))
    if (value < 0) throw new DomainError('invalid-argument', `position ${i + 1} is not a USCC character: ${JSON.stringify(first17.charAt(i))}`)
    sum += value * (USCC_WEIGHTS[i] ?? 0)
  }
  const check = (31 - (sum % 31)) % 31
  return USCC_CHARSET.charAt(check)
}

/**
 * The GB 11714 check character of an organisation code body (8 characters, digits or A–Z):
 * `Σ value(cᵢ) × (3 7 9 10 5 8 4 2)`, then `11 − (sum mod 11)` with 10 → `X`, 11 → `0`.
 *
 * Letters count by alphabet position A = 10 … Z = 35 (GB 11714), **not** by their USCC character
 * value, so e.g. `M` is 22 here but 21 in {@link computeUsccCheck}. The check applies to bodies
 * with letters as well (e.g. `M000100Y` → `4`).
 *
 * @throws DomainError `invalid-argument` unless `body8` is 8 characters of `[0-9A-Z]`.
 */
export function computeOrgCodeCheck(body8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body8)) throw new DomainError('invalid-argument', `organisation code body must be 8 of [0-9A-Z], got ${JSON.stringify(body8)}`)
  let sum = 0
  for (let i = 0; i < 8; i++) {
    // parseInt base 36 gives exactly the GB 11714 values: '0'–'9' → 0–9, 'A'–'Z' → 10–35.
    sum += Number.parseInt(body8.charAt(i), 36) * (ORG_CODE_WEIGHTS[i] ?? 0)
  }
  const check = 11 - (sum % 11)
  return check === 10 ? 'X' : check === 11 ? '0' : String(check)
}

/**
 * Completes a USCC from its first 16 characters (authority, entity type, region, organisation code
 * body) by computing the organisation check (position 17) and the final check (position 18).
 * For fixtures in tests and demos: `makeUscc('91350100M000100Y')` → `'91350100M000100Y43'`.
 *
 * @throws DomainError `invalid-argument` unless the prefix is 16 USCC characters with digits at 3–8.
 */
export function makeUscc(first16: string): string {
  if (first16.length !== 16) throw new DomainError('invalid-argument', `expected 16 characters, got ${first16.length}`)
  if (![...first16].every((ch) => USCC_CHARSET.includes(ch))) {
    throw new DomainError('invalid-argument', `not all USCC characters: ${JSON.stringify(first16)}`)
  }
  if (!/^[0-9]{6}$/.test(first16.slice(2, 8))) throw new DomainError('invalid-argument', `positions 3–8 must be digits: ${first16}`)
  const first17 = first16 + computeOrgCodeCheck(first16.slice(8, 16))
  return first17 + computeUsccCheck(first17)
}

/**
 * Kind of registrant for the market-regulation authority (position 1 = `9`, GB 32100-2015
 * appendix): `91` enterprise, `92` individual business (个体工商户), `93` farmers' specialised
 * cooperative. Every other prefix (government bodies, public institutions, social organisations,
 * ...) is `other`. Useful for the POLICY §1 distinction between enterprises and individual
 * businesses.
 */
export function usccRegistrantKind(parts: Pick<UsccParts, 'registrationAuthority' | 'entityType'>):
  | 'enterprise'
  | 'individual-business'
  | 'farmers-cooperative'
  | 'other' {
  if (parts.registrationAuthority !== '9') return 'other'
  switch (parts.entityType) {
    case '1':
      return 'enterprise'
    case '2':
      return 'individual-business'
    case '3':
      return 'farmers-cooperative'
    default:
      return 'other'
  }
}
