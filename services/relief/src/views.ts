import type { Static } from 'typebox'
import { borrowerOf, finalDecisionOf } from './final-decision.js'
import type { CalendarDate } from '@sme/domain'
import { documentsStanding, type DocumentsToFollow } from './domain/index.js'
import type { ApplicationSummary, ApplicationView, DecisionView, DocumentsView } from './schemas.js'
import type { DocumentReceivedRow } from './store/documents.js'
import type { ApplicationListRow, ApplicationRow } from './store/applications.js'
import type { AuditRow } from './store/audit.js'
import type { DecisionRow } from './store/decisions.js'
import type { FollowUpRow } from './store/follow-ups.js'
import type { PolicyRow } from './store/policies.js'
import type { ProposalRow } from './store/proposals.js'
import { OPEN_STATUSES } from './store/tables.js'

/** Past its answer deadline (限时回复) on `today` and still owing the applicant an answer. */
export function isOverdue(row: Pick<ApplicationRow, 'status' | 'answer_by'>, today: string): boolean {
  return OPEN_STATUSES.includes(row.status) && row.answer_by < today
}

type SummaryJson = Static<typeof ApplicationSummary>
type ApplicationJson = Static<typeof ApplicationView>
type DecisionJson = Static<typeof DecisionView>

/**
 * An application as every list shows it (GET /applications, the review queue, the answers of the
 * review routes). Built from one row shape read by one query (`applicationSummaries`), so a list
 * and an answer never disagree about the same application.
 */
export function applicationSummary(row: ApplicationListRow, today: string): SummaryJson {
  return {
    id: row.id,
    status: row.status,
    version: row.version,
    branchId: row.branch_id,
    uscc: row.uscc,
    enterpriseName: row.application.enterprise?.name ?? null,
    borrower: borrowerOf(row),
    loanId: row.loan_id,
    relief: row.application.request.kind,
    applicationDate: row.application_date,
    answerBy: row.answer_by,
    overdue: isOverdue(row, today),
    receivedAt: row.received_at.toISOString(),
    automatedOutcome: row.automated_outcome,
    finalOutcome: row.final_outcome,
    decidedBy: row.decided_by,
    revision: row.revision,
    pendingProposal: row.pending_proposal,
  }
}

export function decisionView(row: DecisionRow): DecisionJson {
  const d = row.decision
  return {
    outcome: d.outcome,
    mandatory: d.mandatory,
    trigger: row.trigger,
    decidedAt: row.decided_at.toISOString(),
    scoring: row.scoring as DecisionJson['scoring'],
    programme: d.programme as DecisionJson['programme'],
    size: d.size,
    borrowerKind: d.borrowerKind,
    ...(d.personRole === undefined ? {} : { personRole: d.personRole }),
    rules: d.rules as DecisionJson['rules'],
    reasons: d.reasons as DecisionJson['reasons'],
    terms: d.terms as DecisionJson['terms'],
    policyVersions: d.policyVersions as DecisionJson['policyVersions'],
    loanBook: (row.loan_check ?? null) as DecisionJson['loanBook'],
  }
}

export function proposalView(p: ProposalRow) {
  return {
    id: p.id,
    outcome: p.outcome,
    reason: p.reason,
    overturns: p.overturns,
    status: p.status,
    applicationVersion: p.application_version,
    proposedBy: p.proposed_by,
    proposedAt: p.proposed_at.toISOString(),
    confirmedBy: p.confirmed_by,
    confirmedAt: p.confirmed_at?.toISOString() ?? null,
    rejectedBy: p.rejected_by,
    rejectedAt: p.rejected_at?.toISOString() ?? null,
    rejectionReason: p.rejection_reason,
  }
}

/**
 * An application whole: its summary, the rules' decision (`automatedDecision`) and the decision that
 * stands (`finalDecision`, the same function that built the event published for it).
 */
export function applicationView(
  row: ApplicationRow,
  decision: DecisionRow | undefined,
  proposals: readonly ProposalRow[],
  followUps: readonly FollowUpRow[],
  documents: readonly DocumentReceivedRow[],
  today: CalendarDate,
): ApplicationJson {
  const pending = proposals.find((p) => p.status === 'pending')
  // The proposal that made a review decision final: the one confirmed (at most one per application).
  const confirmed = proposals.find((p) => p.status === 'confirmed')
  const review = confirmed ? { proposalId: confirmed.id, overturned: confirmed.overturns } : null
  return {
    ...applicationSummary(
      {
        ...row,
        automated_outcome: decision?.decision.outcome ?? null,
        pending_proposal: pending ? { id: pending.id, outcome: pending.outcome, proposedBy: pending.proposed_by } : null,
      },
      today,
    ),
    submittedBy: row.submitted_by,
    scoringStatus: row.scoring_status,
    decidedAt: row.decided_at?.toISOString() ?? null,
    application: row.application,
    automatedDecision: decision ? decisionView(decision) : null,
    finalDecision: decision ? finalDecisionOf(row, decision.decision, review) : null,
    proposals: proposals.map(proposalView),
    documentsToFollow: row.final_outcome === 'APPROVED' && decision?.decision.terms?.kind === 'deferral' && decision.decision.terms.documentsToFollow ? documentsView(decision.decision.terms.documentsToFollow, documents, today) : null,
    followUps: followUps.map((f) => ({ reason: f.reason, raisedAt: f.raised_at.toISOString(), eventId: f.event_id, details: f.details })),
  }
}

/** Documents to follow, as received so far, and where they stand on `today`. */
export function documentsView(toFollow: DocumentsToFollow, received: readonly DocumentReceivedRow[], today: CalendarDate): Static<typeof DocumentsView> {
  const standing = documentsStanding(toFollow, received.map((r) => r.name), today)
  return {
    outstanding: [...toFollow.outstanding],
    dueBy: toFollow.dueBy,
    basis: toFollow.basis,
    received: received.map((r) => ({ name: r.name, receivedAt: r.received_at.toISOString(), receivedBy: r.received_by })),
    remaining: [...standing.remaining],
    status: standing.status,
  }
}

export function auditView(row: AuditRow) {
  return {
    seq: row.seq.toString(),
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    applicationId: row.application_id,
    details: row.details as Record<string, unknown>,
  }
}

export function policyView(row: PolicyRow) {
  const definition = row.definition as Record<string, unknown>
  return {
    kind: row.kind,
    id: row.record_id,
    version: row.version,
    status: row.status,
    effectiveFrom: row.effective_from,
    effectiveTo: row.effective_to,
    title: definition.title as { zh: string; en: string },
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    activatedBy: row.activated_by,
    activatedAt: row.activated_at?.toISOString() ?? null,
    definition,
  }
}
