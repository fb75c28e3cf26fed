import { randomUUID } from 'node:crypto'
import { GuardVerdictIssued, type VerdictData } from '@sme/contracts'
import type { Outbox } from '@sme/events'
import { AppError, canAccessBranch, type Principal } from '@sme/kit'
import { reviewEscalation, reviewRule, type GuardPolicy } from '../domain/index.js'
import { lockEscalation, saveEscalation, stateOf, type EscalationRow } from '../store/escalations.js'
import type { GuardDb, GuardTx } from '../store/tables.js'
import { insertVerdict, verdictsOfCheck, type VerdictStatements } from '../store/verdicts.js'
import { ruleView, verdictExpiry } from './check.js'

export interface ReviewDeps {
  readonly outbox: Outbox
  readonly now: () => Date
  readonly policies: readonly GuardPolicy[]
  readonly statements: { readonly verdicts: VerdictStatements }
}

export interface ReviewCommand {
  readonly checkId: string
  readonly principal: Principal
  readonly outcome: 'ALLOW' | 'BLOCK'
  readonly reason: string
  readonly traceparent?: string | undefined
}

/**
 * A risk officer's review of an escalated check: the escalation is locked, the four-eyes decider
 * says what follows, and a decision becomes a verdict of its own (origin `review`, same check id)
 * stored and published with the escalation's new state and its audit entry, in one transaction.
 */
export async function reviewCheck(db: GuardDb, deps: ReviewDeps, command: ReviewCommand): Promise<{ escalation: EscalationRow; verdict: VerdictData | null }> {
  return deps.outbox.afterCommit(() =>
    db.transaction().execute(async (tx) => {
      const row = await lockEscalation(tx, command.checkId)
      if (row === undefined || !canAccessBranch(command.principal, row.branch_id)) throw new AppError('not_found', `no escalated check ${command.checkId}`)
      const now = deps.now()
      const result = reviewEscalation(stateOf(row), { by: command.principal.subject, roles: command.principal.roles, outcome: command.outcome, reason: command.reason, at: now.toISOString() })
      if (result.kind === 'refused') throw new AppError(result.status === 403 ? 'forbidden' : 'conflict', result.message, { extra: { reason: result.refusal } })
      await saveEscalation(tx, command.checkId, result.state, now)
      await tx
        .insertInto('audit_log')
        .values({
          at: now,
          actor: command.principal.subject,
          action: result.kind === 'decided' ? 'escalation.decided' : 'escalation.approved',
          subject: `check:${command.checkId}`,
          details: JSON.stringify({ outcome: command.outcome, status: result.state.status, approvals: result.state.approvals.map((a) => a.by) }),
        })
        .execute()
      const escalation: EscalationRow = { ...row, status: result.state.status, approvals: [...result.state.approvals], outcome: result.state.outcome, decided_at: result.kind === 'decided' ? now : null }
      if (result.kind !== 'decided') return { escalation, verdict: null }
      const verdict = await storeReviewVerdict(tx, deps, command, result.state.outcome ?? 'BLOCK', reviewRule(result.state), now)
      return { escalation, verdict }
    }),
  )
}

async function storeReviewVerdict(tx: GuardTx, deps: ReviewDeps, command: ReviewCommand, outcome: 'ALLOW' | 'BLOCK', rule: ReturnType<typeof reviewRule>, now: Date): Promise<VerdictData> {
  const [checked] = await verdictsOfCheck(tx, command.checkId)
  if (checked === undefined) throw new Error(`escalation ${command.checkId} has no verdict`)
  // The policy version the check was judged under says how long its verdicts hold.
  const policy = deps.policies.find((p) => p.id === checked.policy.id && p.version === checked.policy.version)
  if (policy === undefined) throw new Error(`check ${command.checkId} was judged under ${checked.policy.id} v${checked.policy.version}, which this instance does not hold`)
  const id = randomUUID()
  // The check's own judgement, what the guard knew then, and the review's decision on top.
  const verdict: VerdictData = { ...checked, verdictId: id, origin: 'review', outcome, rules: [...checked.rules, ruleView(rule)], decidedAt: now.toISOString(), expiresAt: verdictExpiry(now, policy) }
  const event = deps.outbox.prepare(GuardVerdictIssued, verdict, { subject: verdict.loanId, ...(command.traceparent ? { traceparent: command.traceparent } : {}) })
  await insertVerdict(
    tx,
    deps.statements.verdicts,
    {
      id,
      check_id: command.checkId,
      origin: 'review',
      loan_id: verdict.loanId,
      branch_id: verdict.branchId,
      action: verdict.action,
      outcome,
      caller: command.principal.subject,
      idempotency_key: null,
      request_fingerprint: null,
      decided_at: now,
      expires_at: new Date(verdict.expiresAt),
      requested_by: verdict.requestedBy,
    },
    event,
  )
  return verdict
}
