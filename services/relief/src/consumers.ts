import { on, type ConsumerDefinition, type Logger } from '@sme/kit'
import {
  ClassificationChanged,
  LoanBooked,
  LoanMatured,
  LoanSettled,
  LoanWrittenOff,
  OverdueDaysChanged,
  RepaymentReceived,
  ScoreCompleted,
  ScoringFailed,
  type LoanBookedData,
  type LoanEventCommon,
} from '@sme/contracts'
import { applyLoanEvent } from './store/loan-book.js'
import type { ReliefTables, ReliefTx } from './store/tables.js'
import { applyScoringAnswer, type ReliefDeps } from './use-cases/decision.js'
import { followUpLoanPosition } from './use-cases/follow-up.js'

/**
 * The answers to our scoring requests. The inbox entry, the decision and its event (through the
 * outbox) commit in one transaction: an answer delivered twice decides once. Answers to other
 * services' requests share the topic and are skipped.
 */
function scoringResults(deps: ReliefDeps): ConsumerDefinition<ReliefTables> {
  return {
    name: 'relief.scoring-results',
    handlers: [
      on(ScoreCompleted, async (event, { tx, log }) => {
        const outcome = await applyScoringAnswer(tx, deps, { kind: 'completed', eventId: event.id, eventType: event.type, data: event.data, traceparent: event.traceparent })
        log.debug({ outcome }, 'score received')
      }),
      on(ScoringFailed, async (event, { tx, log }) => {
        const outcome = await applyScoringAnswer(tx, deps, { kind: 'failed', eventId: event.id, eventType: event.type, data: event.data, traceparent: event.traceparent })
        log.debug({ outcome }, 'scoring failure received')
      }),
    ],
  }
}

/**
 * Core banking's loan stream: each loan's latest position, by the core system's sequence, and the
 * follow-up of the reliefs granted on it when the position shows a material change. The inbox
 * drops a redelivered envelope; the sequence drops what a replayed journal or a second producer
 * sends again under new envelopes, and anything older than what is held.
 */
function loanBook(deps: ReliefDeps): ConsumerDefinition<ReliefTables> {
  const apply = async (tx: ReliefTx, log: Logger, type: string, data: LoanEventCommon, booking: LoanBookedData | null) => {
    const at = deps.now()
    const outcome = await applyLoanEvent(tx, type, data, booking, at)
    // A stale position says nothing new of the loan; a current one is checked against its reliefs.
    const raised = outcome === 'applied' ? await followUpLoanPosition(tx, data, at) : []
    log.debug({ outcome, sequence: data.sequence, followUps: raised.map((f) => f.reason) }, 'loan event')
  }
  return {
    name: 'relief.loan-book',
    handlers: [
      on(LoanBooked, (e, { tx, log }) => apply(tx, log, e.type, e.data, e.data)),
      on(RepaymentReceived, (e, { tx, log }) => apply(tx, log, e.type, e.data, null)),
      on(OverdueDaysChanged, (e, { tx, log }) => apply(tx, log, e.type, e.data, null)),
      on(ClassificationChanged, (e, { tx, log }) => apply(tx, log, e.type, e.data, null)),
      on(LoanMatured, (e, { tx, log }) => apply(tx, log, e.type, e.data, null)),
      on(LoanSettled, (e, { tx, log }) => apply(tx, log, e.type, e.data, null)),
      on(LoanWrittenOff, (e, { tx, log }) => apply(tx, log, e.type, e.data, null)),
    ],
  }
}

export function reliefConsumers(deps: ReliefDeps): ConsumerDefinition<ReliefTables>[] {
  return [scoringResults(deps), loanBook(deps)]
}
