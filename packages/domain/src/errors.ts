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
  /** The working-day calendar holds no official arrangement for the year asked about. */
  | 'calendar-not-covered'

/** One problem found by a validator: a JSON pointer into the checked value and a message. */
export interface ValidationIssue {
  /** JSON pointer (RFC 6901) into the checked value, e.g. `/loan/maturityDate` or `/characteristics/2/bins/0/max`. */
  readonly path: string
  readonly message: string
}

/** A text in Chinese (customers, relationship managers) and English (audit, reports): reason codes, titles. */
export interface LocalizedText {
  readonly zh: string
  readonly en: string
}

// A registered symbol, so the guard recognises errors from another copy of this module (two
// installed versions, or a test loading the source beside the build) without relying on prototypes.
const DOMAIN_ERROR = Symbol.for('sme.domain-error')

/**
 * The one kind of error every pure domain of the platform throws: a stable code from the context's
 * closed union (so the HTTP layer maps codes to problems without parsing messages) and, for
 * validation failures, every issue found. Functions throw it for input that must not produce a
 * result at all (bad input at a trust boundary, broken reference or policy data); business
 * outcomes such as "invalid USCC" or "size unknown" are returned as values, never thrown.
 *
 * `@sme/domain` throws it with its own codes ({@link DomainErrorCode}); a service's domain names its
 * codes by a subclass (`class ReliefError extends DomainError<ReliefErrorCode>`), which only sets
 * `name` and the code type.
 */
export class DomainError<C extends string = DomainErrorCode> extends Error {
  override readonly name: string = 'DomainError'
  readonly code: C
  /** Every problem found, for validation failures; empty otherwise. */
  readonly issues: readonly ValidationIssue[]

  constructor(code: C, message: string, options: { cause?: unknown; issues?: readonly ValidationIssue[] } = {}) {
    const issues = options.issues ?? []
    super(issues.length === 0 ? message : `${message}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, { cause: options.cause })
    this.code = code
    this.issues = issues
    Object.defineProperty(this, DOMAIN_ERROR, { value: true })
  }
}

/** Whether `value` is a domain error of any context (`@sme/domain`'s own or a service domain's subclass). */
export function isDomainError(value: unknown): value is DomainError<string> {
  return value instanceof Error && (value as { [DOMAIN_ERROR]?: unknown })[DOMAIN_ERROR] === true && typeof (value as { code?: unknown }).code === 'string'
}

/** A guard for one context's subclass, by its `name` (works across module copies, like {@link isDomainError}). */
export function domainErrorGuard<E extends DomainError<string>>(name: string): (value: unknown) => value is E {
  return (value: unknown): value is E => isDomainError(value) && value.name === name
}
