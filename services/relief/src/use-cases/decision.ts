import { randomUUID } from 'node:crypto'
import type { Static } from 'typebox'
import type { CalendarDate } from '@sme/domain'
import type { Outbox } from '@sme/events'
import type { ScoreCompleted, ScoringFailed } from '@sme/contracts'
import { checkAgainstLoanBook, decide, decideLifecycle, type ApplicationState, type Decision } from '../domain/index.js'
import { scoringContext, toDomainApplication, type ScoringInput } from '../convert.js'
import { ReliefDecided, ReliefDecidedV2 } from '@sme/contracts'
import { enterpriseDecision, finalDecisionOf, type ReviewOfDecision } from '../final-decision.js'
import type { ApplicationInput } from '../schemas.js'
import { appendAudit } from '../store/audit.js'
import { applicationForUpdate, updateApplication, type ApplicationRow, type ApplicationStatements } from '../store/applications.js'
import { insertDecision, insertScoreReceipt } from '../store/decisions.js'
import { loanBookPosition } from '../store/loan-book.js'
import type { ReliefTx, ScoringStatus } from '../store/tables.js'
import type { PolicyCache } from './policies.js'

/** What the use cases need from the service: all of it passed in. */
export interface ReliefDeps {
  outbox: Outbox
  policies: PolicyCache
  /** The clock (tests and replays pass their own). */
  now: () => Date
  /** Statements of the hot paths, compiled once for the service's schema. */
  statements: ApplicationStatements
}

export const RULES_ACTOR = 'system:relief-rules'

/** What decided the application's time: its score, scoring failing or not answering, or intake (a natural person, not scored). */
type Trigger = 'score' | 'scoring-failed' | 'timeout' | 'intake'

const SCORING_STATUS_AFTER = { score: 'received', 'scoring-failed': 'failed', timeout: 'timed-out', intake: 'not-requested' } as const satisfies Record<Trigger, ScoringStatus>

/**
 * Decides an application under the active policy in force on its date. Pure apart from reading the
 * (cached) policy: it throws before anything is written, so a caller may skip an application that
 * cannot be decided without aborting its transaction.
 */
export async function computeDecision(tx: ReliefTx, deps: ReliefDeps, row: ApplicationRow, scoring: ScoringInput): Promise<Decision> {
  const applicationDate = row.application_date as CalendarDate
  const policy = await deps.policies.asOf(tx, applicationDate)
  return decide(toDomainApplication(row.application as ApplicationInput), policy, { applicationDate, scoring: scoringContext(scoring) })
}

/**
 * Stores the automated decision of a locked application and moves it on: APPROVED/DECLINED are
 * final and published on relief.decisions.v1 (through the outbox, in this transaction); REFERRED
 * goes to the officers' review queue.
 */
export async function storeDecision(
  tx: ReliefTx,
  deps: ReliefDeps,
  row: ApplicationRow,
  decision: Decision,
  scoring: ScoringInput,
  trigger: Trigger,
  traceparent?: string,
): Promise<ApplicationRow> {
  const step = decideLifecycle(stateOf(row, null), { kind: 'decide', outcome: decision.outcome, mandatory: decision.mandatory })
  // Callers decide only applications they found awaiting their score, under the row lock.
  if (!step.ok || step.change.kind !== 'decided') throw new Error(`application ${row.id} cannot be decided by the rules: ${step.ok ? step.change.kind : step.refused}`)
  const { status, final } = step.change
  const at = deps.now()
  // How the application compares with core banking's books at the moment of the decision: recorded
  // beside the decision, not fed into it (see domain/loan-book.ts).
  const loanCheck = checkAgainstLoanBook(toDomainApplication(row.application as ApplicationInput).loan, await loanBookPosition(tx, row.loan_id))
  await insertDecision(tx, {
    application_id: row.id,
    outcome: decision.outcome,
    mandatory: decision.mandatory,
    decision,
    scoring,
    policy_versions: decision.policyVersions,
    trigger,
    decided_at: at,
    loan_check: loanCheck,
  })
  const updated = await updateApplication(tx, row.id, row.version, {
    status,
    scoring_status: SCORING_STATUS_AFTER[trigger],
    ...(final ? { final_outcome: final.outcome, decided_by: final.decidedBy, decided_at: at, revision: final.revision } : {}),
  })
  // The row is locked by the caller: a version mismatch here is a bug, not a race.
  if (!updated) throw new Error(`application ${row.id} changed under its lock`)
  if (final) await publishFinal(tx, deps, updated, decision, null, traceparent)
  await appendAudit(tx, {
    at,
    actor: RULES_ACTOR,
    action: 'application.decided',
    applicationId: row.id,
    details: {
      outcome: decision.outcome,
      mandatory: decision.mandatory,
      trigger,
      reasons: decision.reasons.map((r) => r.code),
      policyVersions: decision.policyVersions,
      loanBook: loanCheck.known ? { sequence: loanCheck.sequence, differences: loanCheck.differences.map((d) => d.field) } : null,
    },
  })
  return updated
}

/** The life-cycle state of a stored application; `automated` from its stored decision, if any. */
export function stateOf(row: ApplicationRow, automated: ApplicationState['automated']): ApplicationState {
  return { status: row.status, version: row.version, revision: row.revision, finalOutcome: row.final_outcome, decidedBy: row.decided_by, automated }
}

/**
 * Publishes an application just made final (by the rules or on review), through the outbox in the
 * caller's transaction: on relief.decisions.v2 whoever borrows, and for an enterprise on
 * relief.decisions.v1 too (same application id and revision), which its consumers still read.
 */
export async function publishFinal(tx: ReliefTx, deps: ReliefDeps, row: ApplicationRow, decision: Decision, review: ReviewOfDecision | null, traceparent: string | undefined): Promise<void> {
  const final = finalDecisionOf(row, decision, review)
  if (final === null) throw new Error(`application ${row.id} is not final: nothing to publish`)
  const v1 = enterpriseDecision(final)
  if (v1 !== null) await deps.outbox.enqueue(tx, ReliefDecided, v1, { subject: v1.uscc, traceparent })
  // The loan, not the person's pseudonym, names the event in its envelope.
  await deps.outbox.enqueue(tx, ReliefDecidedV2, final, { subject: final.loanId, traceparent })
}

// ---------------------------------------------------------------------------------------------
// Scoring answers

type ScoreCompletedData = Static<(typeof ScoreCompleted)['schema']>
type ScoringFailedData = Static<(typeof ScoringFailed)['schema']>

export type ScoringAnswer =
  | { kind: 'completed'; eventId: string; eventType: string; data: ScoreCompletedData; traceparent?: string | undefined }
  | { kind: 'failed'; eventId: string; eventType: string; data: ScoringFailedData; traceparent?: string | undefined }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export type AnswerOutcome = 'decided' | 'late' | 'not-ours'

/**
 * A scoring answer for one of our applications (correlationId = application id). Only an
 * application still awaiting its score is decided; an answer that comes after the application was
 * referred for a timeout (or a second answer) is recorded and changes nothing. Answers to other
 * services' requests (correlation ids that are not ours) are ignored.
 */
export async function applyScoringAnswer(tx: ReliefTx, deps: ReliefDeps, answer: ScoringAnswer): Promise<AnswerOutcome> {
  const correlationId = answer.data.correlationId
  if (typeof correlationId !== 'string' || !UUID.test(correlationId)) return 'not-ours'
  const row = await applicationForUpdate(tx, correlationId.toLowerCase())
  if (!row || row.uscc !== answer.data.uscc) return 'not-ours'
  const applies = row.status === 'awaiting-score'
  const at = deps.now()
  await insertScoreReceipt(tx, { id: randomUUID(), application_id: row.id, event_id: answer.eventId, event_type: answer.eventType, payload: answer.data, applied: applies, received_at: at })
  if (!applies) {
    await appendAudit(tx, {
      at,
      actor: 'system:scoring',
      action: 'score.late',
      applicationId: row.id,
      details: { eventType: answer.eventType, status: row.status, ...(answer.kind === 'completed' ? { scoreId: answer.data.scoreId, score: answer.data.score } : { code: answer.data.code }) },
    })
    return 'late'
  }
  const scoring: ScoringInput =
    answer.kind === 'completed'
      ? {
          available: true,
          scoreId: answer.data.scoreId,
          score: answer.data.score,
          grade: answer.data.grade,
          pdPpm: answer.data.probabilityOfDefaultPpm,
          // No crisis asked for → no signal; the rules treat it as data they cannot rely on.
          hardship: answer.data.hardship?.classification ?? 'insufficient-data',
          modelId: answer.data.model.id,
          modelVersion: answer.data.model.version,
          ...(answer.data.figures === undefined
            ? {}
            : { figures: { revenue12mFen: answer.data.figures.declaredRevenue12mFen, employees: answer.data.figures.employees } }),
        }
      : { available: false, reason: 'scoring-failed', detail: `${answer.data.code}: ${answer.data.detail}`.slice(0, 500) }
  const decision = await computeDecision(tx, deps, row, scoring)
  await storeDecision(tx, deps, row, decision, scoring, answer.kind === 'completed' ? 'score' : 'scoring-failed', answer.traceparent)
  return 'decided'
}
