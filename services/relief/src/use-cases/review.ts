import { randomUUID } from 'node:crypto'
import { AppError, canAccessBranch, type Principal } from '@sme/kit'
import type { Decision } from '../domain/index.js'
import { ReliefDecided } from '@sme/contracts'
import { appendAudit } from '../store/audit.js'
import { applicationForUpdate, updateApplication, type ApplicationRow } from '../store/applications.js'
import { decisionOf } from '../store/decisions.js'
import { insertProposal, markConfirmed, proposalOf, supersedePending, type ProposalRow } from '../store/proposals.js'
import type { FinalOutcome, ReliefTx } from '../store/tables.js'
import { decidedEvent, type ReliefDeps } from './decision.js'

/**
 * Officer review, maker-checker (issue 4, DESIGN "overrides need a second, different person"):
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

const MANDATORY_REFUSAL = 'the mandatory grant of the 2020-06 programme applies (POLICY §2: the bank must grant it): it cannot be declined'

/** What a proposal would do to the application as it stands: `null` overturns nothing (a referral). */
function overturnOf(row: ApplicationRow, outcome: FinalOutcome): FinalOutcome | null {
  switch (row.status) {
    case 'awaiting-score':
      throw new AppError('conflict', `application ${row.id} is still awaiting its score; nothing to review yet`)
    case 'referred':
      return null
    case 'approved':
    case 'declined':
      if (row.decided_by === 'review') throw new AppError('conflict', `application ${row.id} was already decided on review (${row.final_outcome})`)
      if (row.final_outcome === outcome) throw new AppError('conflict', `application ${row.id} is already ${outcome}`)
      return row.final_outcome
  }
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
  if (command.applicationVersion !== undefined && command.applicationVersion !== row.version) {
    throw new AppError('conflict', `application ${row.id} is at version ${row.version}, not ${command.applicationVersion}: reload it`)
  }
  const decision = await decisionOf(tx, row.id)
  if (decision?.mandatory && command.outcome === 'DECLINED') throw new AppError('unprocessable', MANDATORY_REFUSAL)
  const overturns = overturnOf(row, command.outcome)
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

export interface ConfirmCommand {
  applicationId: string
  proposalId: string
  principal: Principal
}

export async function confirm(tx: ReliefTx, deps: ReliefDeps, command: ConfirmCommand): Promise<{ application: ApplicationRow; proposal: ProposalRow }> {
  const row = await lockedForReviewer(tx, command.principal, command.applicationId)
  const proposal = await proposalOf(tx, row.id, command.proposalId)
  if (!proposal) throw new AppError('not_found', `no proposal ${command.proposalId} on application ${row.id}`)
  if (proposal.proposed_by === command.principal.subject) {
    throw new AppError('forbidden', 'nobody confirms their own proposal: a second, different person must confirm it')
  }
  if (proposal.status !== 'pending') throw new AppError('conflict', `proposal ${proposal.id} is ${proposal.status}`)
  if (proposal.application_version !== row.version) {
    throw new AppError('conflict', `application ${row.id} changed since the proposal was made (version ${proposal.application_version} → ${row.version})`)
  }
  const decisionRow = await decisionOf(tx, row.id)
  if (!decisionRow) throw new AppError('conflict', `application ${row.id} has no automated decision yet`)
  if (decisionRow.mandatory && proposal.outcome === 'DECLINED') throw new AppError('unprocessable', MANDATORY_REFUSAL)
  const overturned = overturnOf(row, proposal.outcome)
  const at = deps.now()
  const confirmed = await markConfirmed(tx, proposal.id, command.principal.subject, at)
  const updated = await updateApplication(tx, row.id, row.version, {
    status: proposal.outcome === 'APPROVED' ? 'approved' : 'declined',
    final_outcome: proposal.outcome,
    decided_by: 'review',
    decided_at: at,
    revision: row.revision + 1,
  })
  if (!updated) throw new AppError('conflict', `application ${row.id} changed while it was being decided`)
  const decision = decisionRow.decision as Decision
  await deps.outbox.enqueue(tx, ReliefDecided, decidedEvent(updated, decision, { outcome: proposal.outcome, review: { proposalId: proposal.id, overturned } }), {
    subject: updated.uscc,
  })
  await appendAudit(tx, {
    at,
    actor: command.principal.subject,
    action: 'proposal.confirmed',
    applicationId: row.id,
    details: { proposalId: proposal.id, outcome: proposal.outcome, proposedBy: proposal.proposed_by, overturned, revision: updated.revision },
  })
  return { application: updated, proposal: confirmed }
}
