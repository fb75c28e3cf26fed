import Type, { type Static, type TSchema } from 'typebox'

/**
 * Wire building blocks every contract uses. Money is integer fen as a decimal string (JSON numbers
 * lose precision beyond 2^53, so no number form is accepted); rates are basis points; calendar dates
 * are Asia/Shanghai dates (`YYYY-MM-DD`), instants RFC 3339 date-times in UTC.
 */

/**
 * Unified social credit code (GB 32100-2015): 18 characters of the USCC alphabet (no I, O, Z, S, V).
 * The check characters are verified by the consuming rule, which must be able to say "invalid
 * code" instead of the wire refusing it.
 */
export const Uscc = Type.String({ pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$', description: 'Unified social credit code (GB 32100-2015)', examples: ['91350100M000100Y43'] })
/** An amount in fen (integer, ≥ 0) as a decimal string. */
export const Fen = Type.String({ pattern: '^(0|[1-9][0-9]{0,17})$', description: 'Amount in fen (integer, ≥ 0) as a decimal string' })
/** An amount in fen that may be negative (refunds, corrections). */
export const SignedFen = Type.String({ pattern: '^(0|-?[1-9][0-9]{0,17})$', description: 'Amount in fen (integer, may be negative) as a decimal string' })
/** A calendar date in Asia/Shanghai. */
export const IsoDate = Type.String({ format: 'date', description: 'Calendar date, Asia/Shanghai' })
/** An instant, RFC 3339 (UTC). */
export const Instant = Type.String({ format: 'date-time', description: 'Instant, RFC 3339' })
export const YearMonth = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: 'Month YYYY-MM' })
/** An annual rate in basis points. */
export const RateBp = Type.Integer({ minimum: 0, maximum: 100_000, description: 'Annual rate, basis points' })
/** The branch that owns a loan (officers see the branches of their token). */
export const BranchId = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$', description: 'Branch owning the loan (officers see the branches of their token)' })
/** Core banking's loan id. */
export const LoanId = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$', description: "Core banking's loan id" })
export const Uuid = Type.String({ format: 'uuid' })

/** A natural person as core banking knows them: a pseudonymous id, never the identity number or the name. */
export const BorrowerId = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{7,63}$',
  description: 'A pseudonymous id the core system keeps for the person; never the ID-card number or the name (PIPL art. 28: identity numbers are sensitive personal information)',
})
// Control characters (C0, DEL, C1) in a name or a title are never meant: they come from broken
// encodings or from someone probing. A line of text refuses them all; free text keeps tab and
// line breaks. Written as explicit ranges (not \p{Cc}) so every regex engine reads them alike.
const NO_CONTROLS = '\\u0000-\\u001f\\u007f-\\u009f'
const NO_CONTROLS_BUT_LINES = '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f'

/** One line of text (a name, a title): at least one visible character, no control characters. */
export function LineText(maxLength: number, description?: string) {
  return Type.String({ minLength: 1, maxLength, pattern: `^[^${NO_CONTROLS}]*[^\\s${NO_CONTROLS}][^${NO_CONTROLS}]*$`, ...(description ? { description } : {}) })
}

/** Free text (a borrower's own words, a reason): tabs and line breaks allowed, no other control characters. */
export function FreeText(options: { maxLength: number; minLength?: number; description?: string }) {
  return Type.String({ ...options, pattern: `^[^${NO_CONTROLS_BUT_LINES}]*$` })
}

/** A text in Chinese and English (reason codes, programme titles). */
export const Localized = Type.Object({ zh: Type.String(), en: Type.String() })

/** A closed vocabulary (`vocabulary.ts`) as a JSON Schema enum. */
export function enumOf<const T extends readonly string[]>(values: T, description?: string) {
  return Type.Enum([...values] as T[number][], description ? { description } : {})
}

/**
 * One of several object schemas told apart by their `kind` (a `oneOf` with an OpenAPI discriminator):
 * the validator picks the branch by `kind` and names the field that is wrong inside it, rather than
 * "matches no schema in oneOf". Each branch has a literal `kind` and a title (its name in the documents).
 */
export function OneOfKind<const T extends readonly TSchema[]>(branches: T, options: { description: string }) {
  return Type.Unsafe<{ [K in keyof T]: Static<T[K]> }[number]>({ type: 'object', oneOf: [...branches], discriminator: { propertyName: 'kind' }, ...options })
}
