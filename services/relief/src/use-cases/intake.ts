import { randomUUID } from 'node:crypto'
import { addDays, todayIn } from '@sme/domain'
import { AppError } from '@sme/kit'
import { ScoringRequested } from '@sme/scoring'
import { validateApplication } from '../domain/index.js'
import { toDomainApplication } from '../convert.js'
import type { ApplicationInput } from '../schemas.js'
import { appendAudit } from '../store/audit.js'
import { insertApplication, openApplicationOfLoan, type ApplicationRow } from '../store/applications.js'
import type { ReliefTx } from '../store/tables.js'
import type { ReliefDeps } from './decision.js'
import { policyProblem } from './policies.js'

export interface Submission {
  input: ApplicationInput
  /** Who submitted it (the token's subject: a core-banking client or an officer). */
  submittedBy: string
  traceparent?: string | undefined
}

/**
 * Intake: stores the application and asks the scoring service for the score and hardship signal
 * (`scoring.requests.v1`, correlationId = the application id), both in the caller's transaction, so
 * the request exists if and only if the application does. The decision follows when the answer (or
 * the timeout) comes. The application date is the Asia/Shanghai date of receipt on the injected
 * clock; it selects the policy in force and starts the answer deadline.
 */
export async function submitApplication(tx: ReliefTx, deps: ReliefDeps, submission: Submission): Promise<ApplicationRow> {
  const { input } = submission
  const receivedAt = deps.now()
  const applicationDate = todayIn(receivedAt)
  const issues = validateApplication(toDomainApplication(input), { applicationDate, scoring: 'unavailable' })
  if (issues.length > 0) {
    throw new AppError('unprocessable', `the application cannot be decided: ${issues[0]!.path} ${issues[0]!.message}`, {
      extra: { errors: issues.map((i) => ({ field: `/body${i.path}`, message: i.message })) },
    })
  }
  const policy = await deps.policies.asOf(tx, applicationDate).catch(policyProblem)
  // One undecided application per loan: the same request under a new key must not be decided twice.
  const open = await openApplicationOfLoan(tx, input.loan.loanId)
  if (open) throw new AppError('conflict', `loan ${input.loan.loanId} already has an undecided application (${open.id}, ${open.status})`, { extra: { applicationId: open.id } })

  const id = randomUUID()
  const row = await insertApplication(tx, {
    id,
    uscc: input.enterprise.uscc,
    loan_id: input.loan.loanId,
    branch_id: input.branchId,
    relief_kind: input.request.kind,
    status: 'awaiting-score',
    version: 1,
    application_date: applicationDate,
    answer_by: addDays(applicationDate, policy.bank.answerDeadlineDays),
    received_at: receivedAt,
    submitted_by: submission.submittedBy,
    application: input,
    scoring_status: 'pending',
    final_outcome: null,
    decided_by: null,
    decided_at: null,
  }).catch((err: unknown) => {
    // Two submissions for one loan racing past the check above: the partial unique index decides.
    const pg = err as { code?: unknown; constraint?: unknown }
    if (pg.code === '23505' && pg.constraint === 'applications_open_per_loan') {
      throw new AppError('conflict', `loan ${input.loan.loanId} already has an undecided application`, { cause: err })
    }
    throw err
  })
  await deps.outbox.enqueue(
    tx,
    ScoringRequested,
    { correlationId: id, uscc: input.enterprise.uscc, asOf: applicationDate, requestedBy: 'relief' },
    { subject: input.enterprise.uscc, traceparent: submission.traceparent },
  )
  await appendAudit(tx, {
    at: receivedAt,
    actor: submission.submittedBy,
    action: 'application.submitted',
    applicationId: id,
    details: { branchId: input.branchId, relief: input.request.kind, loanId: input.loan.loanId, applicationDate },
  })
  return row
}
