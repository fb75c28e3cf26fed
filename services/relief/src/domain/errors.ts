/**
 * Stable codes for everything the relief decision domain refuses. A closed union, so the HTTP layer
 * can map each one to a problem type without parsing messages. Business outcomes (an invalid USCC,
 * a date outside a programme window, a missing commitment) are never errors: they are rule results
 * inside a {@link Decision}.
 */
export type ReliefErrorCode =
  /** The application is malformed: a date that does not exist, maturity before start, negative fen, … (422). */
  | 'invalid-application'
  /** A policy version (or a set of them) fails validation; `issues` lists every problem. */
  | 'invalid-policy'
  /** The versions given leave something required uncovered on the date asked (no bank parameters, …). */
  | 'no-policy'
  /** Any other argument outside its documented domain (decisions of different applications compared, …). */
  | 'invalid-argument'

/** One problem found by a validator: a JSON pointer into the checked value and a message. */
export interface ValidationIssue {
  /** JSON pointer (RFC 6901), e.g. `/loan/maturityDate` or `/3/deferUntilLatest`. */
  readonly path: string
  readonly message: string
}

/**
 * The only error type thrown by the relief domain: for input that must not produce a decision at all
 * (it would be a 4xx at the trust boundary) and for broken policy data.
 */
export class ReliefError extends Error {
  override readonly name = 'ReliefError'
  readonly code: ReliefErrorCode
  /** Every problem found, for validation failures; empty otherwise. */
  readonly issues: readonly ValidationIssue[]

  constructor(code: ReliefErrorCode, message: string, issues: readonly ValidationIssue[] = []) {
    super(issues.length === 0 ? message : `${message}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`)
    this.code = code
    this.issues = issues
  }
}

/** Type guard usable across module copies (checks the name and a string `code`, not the prototype). */
export function isReliefError(value: unknown): value is ReliefError {
  return value instanceof Error && value.name === 'ReliefError' && typeof (value as { code?: unknown }).code === 'string'
}
