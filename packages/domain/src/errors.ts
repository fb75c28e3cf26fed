/**
 * Stable codes for everything `@sme/domain` refuses. A closed union, so the service kit can map each
 * one to an RFC 9457 problem type without parsing messages.
 */
export type DomainErrorCode =
  /** A money string or value is malformed (yuan or fen form), or not an integer number of fen. */
  | 'invalid-money'
  /** A percent string or basis-point value is malformed or not an integer. */
  | 'invalid-rate'
  /** A calendar date is malformed or does not exist (2021-02-29). */
  | 'invalid-date'
  /** Any other argument outside its documented domain (division by zero, negative days, ...). */
  | 'invalid-argument'
  /** A reference table (SME size, LPR) is malformed or inconsistent. */
  | 'invalid-table'
  /** No LPR was published on or before the requested date in the table given. */
  | 'lpr-not-available'

/**
 * The only error type thrown by `@sme/domain`. Functions throw it for programming or data errors
 * (bad input at a trust boundary, broken reference tables); business outcomes such as "invalid
 * USCC" or "size unknown" are returned as values, never thrown.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError'
  readonly code: DomainErrorCode

  constructor(code: DomainErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}

/** Type guard usable across module copies (checks the name and a string `code`, not the prototype). */
export function isDomainError(value: unknown): value is DomainError {
  return value instanceof Error && value.name === 'DomainError' && typeof (value as { code?: unknown }).code === 'string'
}
