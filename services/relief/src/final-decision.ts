import type { ReliefBorrower, ReliefDecidedData, ReliefDecidedV2Data } from '@sme/contracts'
import { reviewReasons, type Decision } from './domain/index.js'
import type { ApplicationRow } from './store/applications.js'
import type { FinalOutcome } from './store/tables.js'

/** How a final decision on review came about: the proposal confirmed, and the outcome of the rules it overturned. */
export interface ReviewOfDecision {
  proposalId: string
  overturned: FinalOutcome | null
}

/**
 * The final decision of an application as it stands: what relief.decisions.v2 publishes (and, for an
 * enterprise, v1: {@link enterpriseDecision}), and what `GET /applications/{id}` shows as
 * `finalDecision`: one function, so the events and every view say the same. Null until the application is final. Everything comes from the stored row (outcome, who
 * decided, when, revision) and the automated decision (terms, reasons, programme); `review` is the
 * confirmed proposal, null when the rules decided.
 */
export function finalDecisionOf(row: ApplicationRow, decision: Decision, review: ReviewOfDecision | null): ReliefDecidedV2Data | null {
  const outcome = row.final_outcome
  if (outcome === null || row.decided_by === null || row.decided_at === null) return null
  // Terms: those the rules granted, or computed for the officers on a referral; none for a decline.
  // Review never approves a decline of the rules (domain/discretion.ts), so an approval has terms.
  const terms = outcome === 'APPROVED' ? decision.terms : null
  const reasonsOfReview = row.decided_by === 'review' ? reviewReasons(outcome, review?.overturned ?? null) : []
  return {
    applicationId: row.id,
    revision: row.revision,
    borrower: borrowerOf(row),
    loanId: row.loan_id,
    branchId: row.branch_id,
    relief: decision.relief,
    outcome,
    mandatory: decision.mandatory,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at.toISOString(),
    applicationDate: row.application_date,
    answerBy: row.answer_by,
    programme: decision.programme && { kind: decision.programme.kind, id: decision.programme.id, version: decision.programme.version, title: { ...decision.programme.title } },
    request: row.application.request,
    terms: terms as ReliefDecidedV2Data['terms'],
    reasons: [...reasonsOfReview, ...decision.reasons.map((r) => ({ code: r.code, text: { ...r.text } }))],
    policyVersions: decision.policyVersions.map((v) => ({ ...v })),
    review: row.decided_by === 'review' ? review : null,
  }
}

/** The borrower of a stored application: its USCC, or the person's pseudonym and role. */
export function borrowerOf(row: ApplicationRow): ReliefBorrower {
  const person = row.application.person
  if (person !== undefined) return { kind: 'person', borrowerId: person.borrowerId, role: person.role }
  if (row.uscc === null) throw new Error(`application ${row.id} names neither an enterprise nor a person`)
  return { kind: 'enterprise', uscc: row.uscc }
}

/** The relief.decisions.v1 form of a final decision: enterprises only (v1 requires a USCC); `null` for a person. */
export function enterpriseDecision(final: ReliefDecidedV2Data): ReliefDecidedData | null {
  const { applicationId, revision, borrower, ...rest } = final
  return borrower.kind === 'enterprise' ? { applicationId, revision, uscc: borrower.uscc, ...rest } : null
}
