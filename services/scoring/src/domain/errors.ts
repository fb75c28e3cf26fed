import { DomainError, domainErrorGuard, type ValidationIssue } from '@sme/domain'

export type { ValidationIssue }

/**
 * The only error type thrown by the scoring domain: the platform's one kind of domain error
 * (`@sme/domain`), with this context's codes.
 */
export class ScoringError extends DomainError<ScoringErrorCode> {
  override readonly name: string = 'ScoringError'

  constructor(code: ScoringErrorCode, message: string, issues: readonly ValidationIssue[] = []) {
    super(code, message, { issues })
  }
}

/** Type guard usable across module copies (a domain error named `ScoringError`, not the prototype). */
export const isScoringError = domainErrorGuard<ScoringError>('ScoringError')

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
