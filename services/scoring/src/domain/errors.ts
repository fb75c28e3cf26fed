/**
 * Stable codes for everything the scoring domain refuses. A closed union, so the HTTP layer can map
 * each to a problem code (all of them are client-data problems: `unprocessable`, 422) without
 * parsing messages.
 */
export type ScoringErrorCode =
  /** A scorecard model (or a set of models) fails validation; `issues` lists every problem. */
  | 'invalid-model'
  /** A data point is malformed, belongs to another enterprise, or ids repeat; `issues` lists them. */
  | 'invalid-data-point'
  /** Any other argument outside its documented domain (bad as-of date, feature set of another version, ...). */
  | 'invalid-argument'
  /** No champion model is in force for the segment on the date asked. */
  | 'no-champion'

/** One problem found by a validator: a JSON pointer into the checked value and a message. */
export interface ValidationIssue {
  /** JSON pointer (RFC 6901) into the model or the data-point array, e.g. `/characteristics/2/bins/0/max`. */
  readonly path: string
  readonly message: string
}

/**
 * The only error type thrown by the scoring domain. Thrown for data that must not produce a score
 * (an invalid model, malformed or mixed-up data points); business outcomes, such as missing or
 * stale data, are values in the result, never errors.
 */
export class ScoringError extends Error {
  override readonly name = 'ScoringError'
  readonly code: ScoringErrorCode
  /** Every problem found, for validation failures; empty otherwise. */
  readonly issues: readonly ValidationIssue[]

  constructor(code: ScoringErrorCode, message: string, issues: readonly ValidationIssue[] = []) {
    super(issues.length === 0 ? message : `${message}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`)
    this.code = code
    this.issues = issues
  }
}

/** Type guard usable across module copies (checks the name and a string `code`, not the prototype). */
export function isScoringError(value: unknown): value is ScoringError {
  return value instanceof Error && value.name === 'ScoringError' && typeof (value as { code?: unknown }).code === 'string'
}
