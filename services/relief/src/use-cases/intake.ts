import { randomUUID } from 'node:crypto'
import { addDays, todayIn } from '@sme/domain'
import { AppError } from '@sme/kit'
import { ScoringRequested } from '@sme/contracts'
import { intakeIssues, validateApplication, type PolicySet, type ValidationIssue } from '../domain/index.js'
import { toDomainApplication } from '../convert.js'
import type { ApplicationInput } from '../schemas.js'
import { applicationByKey, insertApplication, openApplicationOfLoan, type AcceptedApplication, type ApplicationRow } from '../store/applications.js'
import type { ReliefDb, ReliefTx } from '../store/tables.js'
import type { ReliefDeps } from './decision.js'
import { policyProblem } from './policies.js'

export interface Submission {
  input: ApplicationInput
  /** Who submitted it (the token's subject: a core-banking client or an officer). */
  submittedBy: string
  /**
   * The caller's Idempotency-Key and the request's fingerprint (`requestFingerprint` of the kit):
   * stored with the application, unique per submitter.
   */
  idempotency: { key: string; fingerprint: string }
  traceparent?: string | undefined
}

/** A new application, or the one a retry under the same key had already created. */
export interface Submitted {
  row: AcceptedApplication
  replayed: boolean
}

/**
 * Intake: stores the application and asks the scoring service for the score and hardship signal
 * (`scoring.requests.v1`, correlationId = the application id), both in one statement, so the
 * request exists if and only if the application does (inside the caller's transaction, if `db` is
 * one). The decision follows when the answer (or the timeout) comes. The application date is the
 * Asia/Shanghai date of receipt on the injected clock; it selects the policy in force and starts
 * the answer deadline.
 *
 * Idempotent by the application itself: a retry under the same key (same submitter) gets the
 * application it created, whenever it comes and however many race, even on a later day whose
 * checks the request would no longer pass; the same key with another request is refused (422), as
 * is a second application for a loan with one undecided (409).
 */
export async function submitApplication(db: ReliefDb | ReliefTx, deps: ReliefDeps, submission: Submission): Promise<Submitted> {
  try {
    // The event is prepared and written in this scope, so the relay is woken once it is committed.
    return await deps.outbox.afterCommit(() => submitNew(db, deps, submission))
  } catch (err) {
    // A refusal is checked against the key: the retry of an accepted request is answered as the
    // first call was, not judged again on today's date and policy.
    if (!(err instanceof AppError) || err.code !== 'unprocessable') throw err
    const same = await applicationByKey(db, submission.submittedBy, submission.idempotency.key)
    if (!same) throw err
    return { row: sameRequest(same, submission), replayed: true }
  }
}

async function submitNew(db: ReliefDb | ReliefTx, deps: ReliefDeps, submission: Submission): Promise<Submitted> {
  const { input, idempotency } = submission
  const receivedAt = deps.now()
  const applicationDate = todayIn(receivedAt)
  const application = toDomainApplication(input)
  refuseIf(validateApplication(application, { applicationDate, scoring: 'unavailable' }))
  // Only the answer deadline, the crisis and the USCC exception list come from the policy here; the
  // decision re-reads it (asOf).
  const policy = await deps.policies.asOfRecent(db, applicationDate).catch(policyProblem)
  refuseIf(intakeIssues(application, { applicationDate, usccExceptions: exceptionsOf(policy.reference) }))
  const id = randomUUID()
  const scoringRequest = deps.outbox.prepare(
    ScoringRequested,
    {
      correlationId: id,
      uscc: input.enterprise.uscc,
      asOf: applicationDate,
      // The crisis the bank parameters in force name; absent, the scoring service's default.
      ...(policy.bank.crisisStart ? { crisisStart: policy.bank.crisisStart } : {}),
      requestedBy: 'relief',
    },
    { subject: input.enterprise.uscc, traceparent: submission.traceparent },
  )
  const row = await insertApplication(
    db,
    deps.statements,
    {
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
      idempotency_key: idempotency.key,
      request_fingerprint: idempotency.fingerprint,
      traceparent: submission.traceparent ?? null,
    },
    { action: 'application.submitted', details: { branchId: input.branchId, relief: input.request.kind, loanId: input.loan.loanId, applicationDate } },
    scoringRequest,
  )
  if (!row) return { row: await existingApplication(db, submission), replayed: true }
  return { row, replayed: false }
}

/** 422 naming every field, before anything is written. */
function refuseIf(issues: readonly ValidationIssue[]): void {
  if (issues.length === 0) return
  throw new AppError('unprocessable', `the application cannot be accepted: ${issues[0]!.path} ${issues[0]!.message}`, {
    extra: { errors: issues.map((i) => ({ field: `/body${i.path}`, message: i.message })) },
  })
}

// The exception list as a map, built once per reference-data version (intake is the hot path).
const exceptionMaps = new WeakMap<PolicySet['reference'], ReadonlyMap<string, string>>()
function exceptionsOf(reference: PolicySet['reference']): ReadonlyMap<string, string> {
  let map = exceptionMaps.get(reference)
  if (!map) {
    map = new Map(reference.usccExceptions.map((e) => [e.code, e.reason] as const))
    exceptionMaps.set(reference, map)
  }
  return map
}

/**
 * Why nothing was inserted: the key's own application (the answer to a retry), or else the loan's
 * undecided one. Reads what committed: a duplicate racing this one has finished by now (the insert
 * waited for it).
 */
async function existingApplication(db: ReliefDb | ReliefTx, submission: Submission): Promise<ApplicationRow> {
  const { input, submittedBy, idempotency } = submission
  const same = await applicationByKey(db, submittedBy, idempotency.key)
  if (same) return sameRequest(same, submission)
  const open = await openApplicationOfLoan(db, input.loan.loanId)
  throw new AppError('conflict', `loan ${input.loan.loanId} already has an undecided application${open ? ` (${open.id}, ${open.status})` : ''}`, {
    extra: open ? { applicationId: open.id } : {},
  })
}

/** The application created under the key, if this is the request that created it (else 422). */
function sameRequest(application: ApplicationRow, { idempotency }: Submission): ApplicationRow {
  if (application.request_fingerprint !== idempotency.fingerprint) {
    throw new AppError('idempotency_key_reused', 'This Idempotency-Key was used for a different request; use a new key')
  }
  return application
}
