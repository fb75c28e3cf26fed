import type { Static } from 'typebox'
import type { Decision } from './domain/index.js'
import type { ApplicationInput, DecisionView } from './schemas.js'
import type { ApplicationListRow, ApplicationRow } from './store/applications.js'
import type { AuditRow } from './store/audit.js'
import type { DecisionRow } from './store/decisions.js'
import type { PolicyRow } from './store/policies.js'
import type { ProposalRow } from './store/proposals.js'
import { OPEN_STATUSES } from './store/tables.js'

/** Past its answer deadline (限时回复) on `today` and still owing the applicant an answer. */
export function isOverdue(row: Pick<ApplicationRow, 'status' | 'answer_by'>, today: string): boolean {
  return OPEN_STATUSES.includes(row.status) && row.answer_by < today
}

export function applicationSummary(row: ApplicationListRow, today: string) {
  const input = row.application as ApplicationInput
  return {
    id: row.id,
    status: row.status,
    version: row.version,
    branchId: row.branch_id,
    uscc: row.uscc,
    enterpriseName: input.enterprise.name,
    loanId: row.loan_id,
    relief: input.request.kind,
    applicationDate: row.application_date,
    answerBy: row.answer_by,
    overdue: isOverdue(row, today),
    receivedAt: row.received_at.toISOString(),
    automatedOutcome: (row.automated_outcome as 'APPROVED' | 'DECLINED' | 'REFERRED' | null) ?? null,
    finalOutcome: row.final_outcome,
    pendingProposal:
      row.pending_proposal_id === null ? null : { id: row.pending_proposal_id, outcome: row.pending_outcome as 'APPROVED' | 'DECLINED', proposedBy: row.pending_proposed_by ?? '' },
  }
}

type DecisionJson = Static<typeof DecisionView>

export function decisionView(row: DecisionRow): DecisionJson {
  // The stored JSON of the domain's Decision (plain data by construction).
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
  }
}

export function applicationView(row: ApplicationRow, decision: DecisionRow | undefined, proposals: readonly ProposalRow[], today: string) {
  const pending = proposals.find((p) => p.status === 'pending')
  return {
    ...applicationSummary(
      {
        ...row,
        automated_outcome: decision?.outcome ?? null,
        pending_proposal_id: pending?.id ?? null,
        pending_outcome: pending?.outcome ?? null,
        pending_proposed_by: pending?.proposed_by ?? null,
      },
      today,
    ),
    submittedBy: row.submitted_by,
    scoringStatus: row.scoring_status,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at?.toISOString() ?? null,
    revision: row.revision,
    application: row.application as ApplicationInput,
    decision: decision ? decisionView(decision) : null,
    proposals: proposals.map(proposalView),
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
