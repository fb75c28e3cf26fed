import { DomainError, domainErrorGuard, type ValidationIssue } from '@sme/domain'

export type { ValidationIssue }

/**
 * The only error type thrown by the relief domain: the platform's one kind of domain error
 * (`@sme/domain`), with this context's codes.
 */
export class ReliefError extends DomainError<ReliefErrorCode> {
  override readonly name: string = 'ReliefError'

  constructor(code: ReliefErrorCode, message: string, issues: readonly ValidationIssue[] = []) {
    super(code, message, { issues })
  }
}

/** Type guard usable across module copies (a domain error named `ReliefError`, not the prototype). */
export const isReliefError = domainErrorGuard<ReliefError>('ReliefError')

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
