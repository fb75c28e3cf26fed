import type { LoanClassification, LoanStatus } from '@sme/contracts/vocabulary'
import type { ReliefLoan } from './application.js'

/**
 * Core banking's view of a loan, as relief keeps it from `loans.events.v1`, and the check of an
 * application against it. The application is what core banking (or an officer) sent with the
 * request; the loan book is what the core system has since published. A difference does not change
 * the decision (the rules decide on the application as submitted, so replays stay identical): it
 * is recorded on the decision, shown to the officers and kept for audit, because a relief granted on
 * a principal, classification or arrears the books contradict is exactly what a supervisor asks
 * about first.
 */

/** The latest position of a loan on the books: the one of the highest sequence received. */
export interface LoanBookPosition {
  readonly loanId: string
  /** Core banking's per-loan sequence of the event that set this position. */
  readonly sequence: number
  /** When core banking booked it (RFC 3339). */
  readonly asOf: string
  readonly outstandingPrincipalFen: bigint
  readonly daysPastDue: number
  readonly classification: LoanClassification
  readonly status: LoanStatus
}

/** What the application said of the loan, in the terms the books use. */
export type ApplicationLoanFacts = Pick<ReliefLoan, 'outstandingPrincipalFen' | 'daysPastDue' | 'classification'>

/** The fields an application is checked on against the books. */
export const LOAN_BOOK_FIELDS = ['outstandingPrincipalFen', 'daysPastDue', 'classification', 'status'] as const
export type LoanBookField = (typeof LOAN_BOOK_FIELDS)[number]

export interface LoanBookDifference {
  readonly field: LoanBookField
  /** As the application states it (fen as a decimal string; an application always concerns an active loan). */
  readonly application: string | number
  readonly loanBook: string | number
}

export type LoanBookCheck =
  | { readonly known: false }
  | {
      readonly known: true
      readonly sequence: number
      readonly asOf: string
      readonly matches: boolean
      readonly differences: readonly LoanBookDifference[]
    }

/** Compares an application's loan facts with the loan book; `null` when core banking has not told us of the loan. */
export function checkAgainstLoanBook(application: ApplicationLoanFacts, book: LoanBookPosition | null): LoanBookCheck {
  if (book === null) return { known: false }
  const differences: LoanBookDifference[] = []
  if (application.outstandingPrincipalFen !== book.outstandingPrincipalFen) {
    differences.push({ field: 'outstandingPrincipalFen', application: application.outstandingPrincipalFen.toString(), loanBook: book.outstandingPrincipalFen.toString() })
  }
  if (application.daysPastDue !== book.daysPastDue) differences.push({ field: 'daysPastDue', application: application.daysPastDue, loanBook: book.daysPastDue })
  if (application.classification !== book.classification) differences.push({ field: 'classification', application: application.classification, loanBook: book.classification })
  if (book.status !== 'active') differences.push({ field: 'status', application: 'active', loanBook: book.status })
  return { known: true, sequence: book.sequence, asOf: book.asOf, matches: differences.length === 0, differences }
}
