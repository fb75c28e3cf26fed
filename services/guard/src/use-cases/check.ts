import { randomUUID } from 'node:crypto'
import type { VerdictData } from '@sme/contracts'
import { GuardVerdictIssued } from '@sme/contracts'
import { parseDate, type ValidationIssue } from '@sme/domain'
import type { Outbox } from '@sme/events'
import { AppError } from '@sme/kit'
import { checkIssues, judge, policyOn, type FiredRule, type GuardPolicy, type Judgement } from '../domain/index.js'
import type { CheckBody } from '../schemas.js'
import { borrowerKeyOf, type AsOf } from '../store/read-model.js'
import type { ReadModelCache } from '../store/read-model-cache.js'
import type { GuardDb } from '../store/tables.js'
import { verdictByKey, type VerdictWriter } from '../store/verdicts.js'

export interface CheckDeps {
  readonly outbox: Outbox
  readonly now: () => Date
  readonly policies: readonly GuardPolicy[]
  /** The read model as this instance holds it: a borrower judged before is not read again. */
  readonly readModel: ReadModelCache
  /** Stores verdicts, together with those of the checks that arrived meanwhile. */
  readonly verdicts: VerdictWriter
}

export interface CheckCommand {
  readonly body: CheckBody
  /** The authenticated caller (core banking's client id): keys are theirs. */
  readonly caller: string
  readonly idempotency: { readonly key: string; readonly fingerprint: string }
  readonly traceparent?: string | undefined
}

const HOUR_MS = 3_600_000

function unprocessable(detail: string, issues: readonly ValidationIssue[]): AppError {
  return new AppError('unprocessable', detail, { extra: { errors: issues.map((i) => ({ field: `/body${i.path}`, message: i.message })) } })
}

/**
 * Answers a check before an adverse credit action: judged on the read model as it stands (held in
 * memory once read, see ReadModelCache), stored with its event before it is answered (one statement, shared with the checks that
 * arrived meanwhile), and answered again unchanged to a retry
 * with the same key, whatever the read model has learnt since.
 */
export async function runCheck(db: GuardDb, deps: CheckDeps, command: CheckCommand): Promise<{ verdict: VerdictData; replayed: boolean }> {
  const { body } = command
  const actionDate = parseDate(body.actionDate)
  const policy = policyOn(deps.policies, actionDate)
  if (policy === null) throw unprocessable('no guard policy is in force on the action date', [{ path: '/actionDate', message: 'is before the first guard policy (2020-02-10)' }])
  const issues = checkIssues(body, policy)
  if (issues.length > 0) throw unprocessable('the check cannot be judged as asked', issues)

  const borrowerKey = borrowerKeyOf(body.borrower)
  const view = await deps.readModel.view(borrowerKey, body.loanId)
  // Core banking's own loan events say who borrows and where the loan is booked: a check that says
  // otherwise is refused rather than judged on another borrower's protections.
  if (view.loanBorrowerKey !== null && view.loanBorrowerKey !== borrowerKey) throw unprocessable('the loan is booked to another borrower', [{ path: '/borrower', message: 'is not the borrower core banking booked the loan to' }])
  const bookedBranch = view.record.loan?.branchId ?? null
  if (bookedBranch !== null && bookedBranch !== body.branchId) throw unprocessable('the loan is booked at another branch', [{ path: '/branchId', message: 'is not the branch core banking booked the loan at' }])

  const judgement = judge({ action: body.action, date: actionDate, reasons: body.reasons, targetClassification: body.targetClassification ?? null }, view.record, policy)
  const decidedAt = deps.now()
  const id = randomUUID()
  const verdict = verdictOf(id, body, judgement, view.asOf, decidedAt, policy)
  // Prepared and stored inside afterCommit: this instance's relay is woken once it has committed.
  const stored = await deps.outbox.afterCommit(() => {
    const event = deps.outbox.prepare(GuardVerdictIssued, verdict, { subject: body.loanId, ...(command.traceparent ? { traceparent: command.traceparent } : {}) })
    return deps.verdicts.store({
      row: {
        id,
        check_id: id,
        origin: 'check',
        loan_id: body.loanId,
        branch_id: body.branchId,
        action: body.action,
        outcome: judgement.outcome,
        caller: command.caller,
        requested_by: body.requestedBy,
        idempotency_key: command.idempotency.key,
        request_fingerprint: command.idempotency.fingerprint,
        decided_at: decidedAt,
        expires_at: new Date(verdict.expiresAt),
      },
      event,
    })
  })
  if (stored) return { verdict, replayed: false }
  const first = await verdictByKey(db, command.caller, command.idempotency.key)
  if (first === undefined) throw new AppError('conflict', 'the verdict of this Idempotency-Key could not be read back; retry')
  if (first.fingerprint !== command.idempotency.fingerprint) throw new AppError('idempotency_key_reused', 'This Idempotency-Key was used for a different check; use a new key')
  return { verdict: first.verdict, replayed: true }
}

function verdictOf(id: string, body: CheckBody, j: Judgement, asOf: AsOf, decidedAt: Date, policy: GuardPolicy): VerdictData {
  return {
    verdictId: id,
    checkId: id,
    origin: 'check',
    loanId: body.loanId,
    branchId: body.branchId,
    borrower: body.borrower,
    action: body.action,
    actionDate: body.actionDate,
    amountFen: body.amountFen ?? null,
    targetClassification: body.targetClassification ?? null,
    reasons: body.reasons,
    outcome: j.outcome,
    rules: j.rules.map(ruleView),
    protections: protectionViews(j),
    policy: j.policy,
    readModelAsOf: asOf,
    requestedBy: body.requestedBy,
    decidedAt: decidedAt.toISOString(),
    expiresAt: verdictExpiry(decidedAt, policy),
  }
}

/** Until when a verdict given at `at` under `policy` may be relied on (RFC 3339). */
export function verdictExpiry(at: Date, policy: GuardPolicy): string {
  return new Date(at.getTime() + policy.verdictValidityHours * HOUR_MS).toISOString()
}

/** The protections a judgement weighed, as a verdict carries them: those in force, then those expired. */
export function protectionViews(j: Judgement): VerdictData['protections'] {
  return [...j.protections.active.map((p) => ({ basis: p.basis, ref: p.ref, from: p.from, until: p.until, active: true })), ...j.protections.expired.map((p) => ({ basis: p.basis, ref: p.ref, from: p.from, until: p.until, active: false }))]
}

/** A rule as a verdict on the wire carries it: only the fields it has. */
export function ruleView(r: FiredRule): VerdictData['rules'][number] {
  return { code: r.code, text: r.text, ...(r.basis ? { basis: r.basis } : {}), ...(r.ref ? { ref: r.ref } : {}), ...(r.reason ? { reason: r.reason } : {}), ...(r.missing ? { missing: [...r.missing] } : {}) }
}
