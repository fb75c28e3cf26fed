import { randomUUID } from 'node:crypto'
import { addDays, todayIn } from '@sme/domain'
import { AppError } from '@sme/kit'
import { Transaction } from 'kysely'
import { ScoringRequested } from '@sme/contracts'
import { borrowerIssues, intakeIssues, validateApplication, type Outcome, type PolicySet, type ValidationIssue } from '../domain/index.js'
import { toDomainApplication, type ScoringInput } from '../convert.js'
import type { ApplicationInput } from '../schemas.js'
import { applicationByKey, insertApplication, insertPersonApplication, openApplicationOfLoan, type AcceptedApplication, type ApplicationRow } from '../store/applications.js'
import type { ApplicationStatus, ReliefDb, ReliefTx } from '../store/tables.js'
import { computeDecision, storeDecision, type ReliefDeps } from './decision.js'
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
  /** The status the application left intake with: awaiting its score, or a person's decided one. */
  status: ApplicationStatus
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
    const row = sameRequest(same, submission)
    return { row, status: await statusAtIntake(db, row), replayed: true }
  }
}

async function submitNew(db: ReliefDb | ReliefTx, deps: ReliefDeps, submission: Submission): Promise<Submitted> {
  const { input } = submission
  const receivedAt = deps.now()
  const applicationDate = todayIn(receivedAt)
  refuseIf(borrowerIssues(input))
  const application = toDomainApplication(input)
  refuseIf(validateApplication(application, { applicationDate, scoring: 'unavailable' }))
  // Only the answer deadline, the crisis and the USCC exception list come from the policy here; the
  // decision re-reads it (asOf).
  const policy = await deps.policies.asOfRecent(db, applicationDate).catch(policyProblem)
  refuseIf(intakeIssues(application, { applicationDate, usccExceptions: exceptionsOf(policy.reference) }))
  const common = {
    id: randomUUID(),
    loan_id: input.loan.loanId,
    branch_id: input.branchId,
    relief_kind: input.request.kind,
    version: 1,
    application_date: applicationDate,
    answer_by: addDays(applicationDate, policy.bank.answerDeadlineDays),
    received_at: receivedAt,
    submitted_by: submission.submittedBy,
    application: input,
    idempotency_key: submission.idempotency.key,
    request_fingerprint: submission.idempotency.fingerprint,
    traceparent: submission.traceparent ?? null,
  }
  const audit = { action: 'application.submitted', details: { branchId: input.branchId, relief: input.request.kind, loanId: input.loan.loanId, applicationDate } }
  const { enterprise, person } = input
  if (person !== undefined) return submitPerson(db, deps, submission, { ...common, uscc: null, borrower_id: person.borrowerId }, audit)
  if (enterprise === undefined) throw new Error('an application without a borrower passed intake')

  const uscc = enterprise.uscc
  const scoringRequest = deps.outbox.prepare(
    ScoringRequested,
    {
      correlationId: common.id,
      uscc,
      asOf: applicationDate,
      // The crisis the bank parameters in force name; absent, the scoring service's default.
      ...(policy.bank.crisisStart ? { crisisStart: policy.bank.crisisStart } : {}),
      requestedBy: 'relief',
    },
    { subject: uscc, traceparent: submission.traceparent },
  )
  const row = await insertApplication(
    db,
    deps.statements,
    { ...common, uscc, borrower_id: null, status: 'awaiting-score', scoring_status: 'pending' },
    audit,
    scoringRequest,
  )
  if (!row) return replayOf(db, submission)
  return { row, status: 'awaiting-score', replayed: false }
}

type PersonRow = Omit<Parameters<typeof insertPersonApplication>[1], 'status' | 'scoring_status'>

/**
 * A natural person's application: the platform scores enterprises, so nothing is asked of scoring and
 * the rules decide it at once, in the transaction that stores it (a person's relief is referred to an
 * officer unless a mandatory grant holds or a hard rule declines it). The answer says the status it
 * left intake with.
 */
async function submitPerson(db: ReliefDb | ReliefTx, deps: ReliefDeps, submission: Submission, values: PersonRow, audit: { action: string; details: Record<string, unknown> }): Promise<Submitted> {
  const decideAtIntake = async (tx: ReliefTx): Promise<ApplicationRow | undefined> => {
    const row = await insertPersonApplication(tx, { ...values, status: 'awaiting-score', scoring_status: 'pending' }, audit)
    if (!row) return undefined
    const scoring: ScoringInput = { available: false, reason: 'not-scored', detail: 'a natural person: the scoring service scores enterprises' }
    const decision = await computeDecision(tx, deps, row, scoring)
    return storeDecision(tx, deps, row, decision, scoring, 'intake', submission.traceparent)
  }
  // Inside the caller's transaction when given one (a batch of intakes), else in its own.
  const row = db instanceof Transaction ? await decideAtIntake(db) : await db.transaction().execute(decideAtIntake)
  if (!row) return replayOf(db, submission)
  return { row, status: row.status, replayed: false }
}

async function replayOf(db: ReliefDb | ReliefTx, submission: Submission): Promise<Submitted> {
  const row = await existingApplication(db, submission)
  return { row, status: await statusAtIntake(db, row), replayed: true }
}

const STATUS_OF_OUTCOME = { APPROVED: 'approved', DECLINED: 'declined', REFERRED: 'referred' } as const satisfies Record<Outcome, ApplicationStatus>

/**
 * What intake answered for a stored application, whatever happened since: an enterprise's awaited its
 * score; a person's was decided at intake, so its automated outcome gives it.
 */
async function statusAtIntake(db: ReliefDb | ReliefTx, row: ApplicationRow): Promise<ApplicationStatus> {
  if (row.borrower_id === null) return 'awaiting-score'
  const decided = await db.selectFrom('decisions').select('outcome').where('application_id', '=', row.id).executeTakeFirst()
  return decided === undefined ? row.status : STATUS_OF_OUTCOME[decided.outcome]
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
