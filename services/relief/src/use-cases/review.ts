import { randomUUID } from 'node:crypto'
import { AppError, canAccessBranch, type Principal } from '@sme/kit'
import { automatedState, decideLifecycle, REFUSAL_STATUS, REFUSALS, type ApplicationState, type LifecycleCommand, type LifecycleChange, type ProposalState } from '../domain/index.js'
import { appendAudit } from '../store/audit.js'
import { applicationForUpdate, updateApplication, type ApplicationRow } from '../store/applications.js'
import { decisionOf } from '../store/decisions.js'
import { insertProposal, markConfirmed, markRejected, proposalOf, supersedePending, type ProposalRow } from '../store/proposals.js'
import type { FinalOutcome, ReliefTx } from '../store/tables.js'
import { publishFinal, stateOf, type ReliefDeps } from './decision.js'

/**
 * Officer review, maker-checker (DESIGN "overrides need a second, different person"). What may
 * happen is the domain's life cycle (domain/lifecycle.ts); this module loads and locks the rows,
 * asks it, and stores its answer:
 *
 * - An officer of the loan's branch **proposes** APPROVED or DECLINED with a reason, on a referred
 *   application, or against a final outcome of the rules (an overturn: an appeal of a decline, or
 *   withdrawing an approval).
 * - A supervisor of the branch **confirms**; only then is the decision final and published. The
 *   proposer can never confirm their own proposal (also a check constraint of the table), so every
 *   review decision, and in particular every overturn, is the work of two different people.
 * - A mandatory grant (2020-06 programme) can never be declined, by proposal or confirmation (422).
 * - Every change of an application runs under its row lock (`FOR UPDATE`), and a proposal records
 *   the application version it was made on: of two reviewers acting at once, the second finds the
 *   state changed and gets 409.
 *
 * An application of a branch the caller does not work for answers 404, as if it did not exist: the
 * review routes are no oracle for other branches' customers.
 */

async function lockedForReviewer(tx: ReliefTx, principal: Principal, applicationId: string): Promise<ApplicationRow> {
  const row = await applicationForUpdate(tx, applicationId)
  if (!row || !canAccessBranch(principal, row.branch_id)) throw new AppError('not_found', `no application ${applicationId}`)
  return row
}

/**
 * Asks the life cycle; a refusal becomes the problem of its class (409, 403 or 422) with its
 * stable code and English text, so a client can tell "reload and retry" from "never".
 */
function lifecycleStep<K extends LifecycleChange['kind']>(row: ApplicationRow, automated: ApplicationState['automated'], command: LifecycleCommand, expected: K): Extract<LifecycleChange, { kind: K }> {
  const step = decideLifecycle(stateOf(row, automated), command)
  if (!step.ok) {
    const extra = step.binding ? { reason: step.refused, rules: step.binding } : { reason: step.refused }
    throw new AppError(REFUSAL_STATUS[step.refused], `application ${row.id}: ${REFUSALS[step.refused].en}`, { extra })
  }
  if (!isKind(step.change, expected)) throw new Error(`life cycle answered ${step.change.kind} to ${command.kind}`)
  return step.change
}

function isKind<K extends LifecycleChange['kind']>(change: LifecycleChange, kind: K): change is Extract<LifecycleChange, { kind: K }> {
  return change.kind === kind
}

export interface ProposalCommand {
  applicationId: string
  principal: Principal
  outcome: FinalOutcome
  reason: string
  applicationVersion?: number | undefined
}

export async function propose(tx: ReliefTx, deps: ReliefDeps, command: ProposalCommand): Promise<{ proposal: ProposalRow; superseded: string | null }> {
  const row = await lockedForReviewer(tx, command.principal, command.applicationId)
  const decision = await decisionOf(tx, row.id)
  const { overturns } = lifecycleStep(row, decision ? automatedState(decision.decision) : null, { kind: 'propose', outcome: command.outcome, by: command.principal.subject, applicationVersion: command.applicationVersion }, 'proposed')
  const at = deps.now()
  // A new proposal replaces one still waiting: the officer changed their mind, or another officer
  // sees it differently. The supervisor can only confirm the latest.
  const superseded = (await supersedePending(tx, row.id)) ?? null
  const proposal: ProposalRow = {
    id: randomUUID(),
    application_id: row.id,
    outcome: command.outcome,
    reason: command.reason,
    overturns,
    status: 'pending',
    application_version: row.version,
    proposed_by: command.principal.subject,
    proposed_at: at,
    confirmed_by: null,
    confirmed_at: null,
    rejected_by: null,
    rejected_at: null,
    rejection_reason: null,
  }
  await insertProposal(tx, proposal)
  await appendAudit(tx, {
    at,
    actor: command.principal.subject,
    action: 'proposal.created',
    applicationId: row.id,
    details: { proposalId: proposal.id, outcome: proposal.outcome, overturns, reason: command.reason, supersedes: superseded },
  })
  return { proposal, superseded }
}

/** The locked application, one of its proposals (404 if none) as the life cycle sees it, and the automated decision. */
async function lockedWithProposal(tx: ReliefTx, principal: Principal, applicationId: string, proposalId: string) {
  const row = await lockedForReviewer(tx, principal, applicationId)
  const proposal = await proposalOf(tx, row.id, proposalId)
  if (!proposal) throw new AppError('not_found', `no proposal ${proposalId} on application ${row.id}`)
  const decisionRow = await decisionOf(tx, row.id)
  const state: ProposalState = { id: proposal.id, outcome: proposal.outcome, proposedBy: proposal.proposed_by, status: proposal.status, applicationVersion: proposal.application_version }
  return { row, proposal, state, decisionRow, automated: decisionRow ? automatedState(decisionRow.decision) : null }
}

export interface ConfirmCommand {
  applicationId: string
  proposalId: string
  principal: Principal
  /** The confirming request's trace context: the decision event continues it. */
  traceparent?: string | undefined
}

export async function confirm(tx: ReliefTx, deps: ReliefDeps, command: ConfirmCommand): Promise<{ application: ApplicationRow; proposal: ProposalRow }> {
  const { row, proposal, state, decisionRow, automated } = await lockedWithProposal(tx, command.principal, command.applicationId, command.proposalId)
  const { status, final, overturned } = lifecycleStep(row, automated, { kind: 'confirm', proposal: state, by: command.principal.subject }, 'confirmed')
  // The life cycle refuses a confirmation without an automated decision (LC_NO_AUTOMATED_DECISION).
  if (!decisionRow) throw new Error(`application ${row.id} was confirmed without an automated decision`)
  const at = deps.now()
  const confirmed = await markConfirmed(tx, proposal.id, command.principal.subject, at)
  const updated = await updateApplication(tx, row.id, row.version, {
    status,
    final_outcome: final.outcome,
    decided_by: final.decidedBy,
    decided_at: at,
    revision: final.revision,
  })
  if (!updated) throw new AppError('conflict', `application ${row.id} changed while it was being decided`)
  const decision = decisionRow.decision
  await publishFinal(tx, deps, updated, decision, { proposalId: proposal.id, overturned }, command.traceparent)
  await appendAudit(tx, {
    at,
    actor: command.principal.subject,
    action: 'proposal.confirmed',
    applicationId: row.id,
    details: { proposalId: proposal.id, outcome: proposal.outcome, proposedBy: proposal.proposed_by, overturned, revision: updated.revision },
  })
  return { application: updated, proposal: confirmed }
}

export interface RejectCommand {
  applicationId: string
  proposalId: string
  principal: Principal
  reason: string
}

/** A supervisor rejects a pending proposal: it closes, the application stays as it was. */
export async function reject(tx: ReliefTx, deps: ReliefDeps, command: RejectCommand): Promise<{ application: ApplicationRow; proposal: ProposalRow }> {
  const { row, proposal, state, automated } = await lockedWithProposal(tx, command.principal, command.applicationId, command.proposalId)
  lifecycleStep(row, automated, { kind: 'reject', proposal: state, by: command.principal.subject }, 'rejected')
  const at = deps.now()
  const rejected = await markRejected(tx, proposal.id, command.principal.subject, at, command.reason)
  await appendAudit(tx, { at, actor: command.principal.subject, action: 'proposal.rejected', applicationId: row.id, details: { proposalId: proposal.id, outcome: proposal.outcome, proposedBy: proposal.proposed_by, reason: command.reason } })
  return { application: row, proposal: rejected }
}

export interface WithdrawCommand {
  applicationId: string
  principal: Principal
  reason: string
}

/**
 * Core banking (for the branches of its claim) or an officer of the loan's branch takes an
 * application back before it is final: any pending proposal is superseded, a score arriving later
 * changes nothing, and the loan is free for a new application.
 */
export async function withdraw(tx: ReliefTx, deps: ReliefDeps, command: WithdrawCommand): Promise<ApplicationRow> {
  const row = await lockedForReviewer(tx, command.principal, command.applicationId)
  const decisionRow = await decisionOf(tx, row.id)
  const { status } = lifecycleStep(row, decisionRow ? automatedState(decisionRow.decision) : null, { kind: 'withdraw', by: command.principal.subject }, 'withdrawn')
  const at = deps.now()
  const superseded = (await supersedePending(tx, row.id)) ?? null
  const updated = await updateApplication(tx, row.id, row.version, { status })
  if (!updated) throw new AppError('conflict', `application ${row.id} changed while it was being withdrawn`)
  await appendAudit(tx, { at, actor: command.principal.subject, action: 'application.withdrawn', applicationId: row.id, details: { reason: command.reason, previousStatus: row.status, supersededProposal: superseded } })
  return updated
}
