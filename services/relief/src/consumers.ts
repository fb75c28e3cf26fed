import type { Static } from 'typebox'
import type { ConsumerDefinition, ServiceContext } from '@sme/kit'
import { LoanBooked, loanEvents, ScoreCompleted, ScoringFailed, type LoanBookedData, type LoanEventCommon } from '@sme/contracts'
import { applyLoanEvent } from './store/loan-book.js'
import type { ReliefTables, ReliefTx } from './store/tables.js'
import { applyScoringAnswer, type ReliefDeps } from './use-cases/decision.js'

/**
 * The answers to our scoring requests. The inbox entry, the decision and its event (through the
 * outbox) commit in one transaction: an answer delivered twice decides once. Answers to other
 * services' requests share the topic and are skipped.
 */
export function reliefConsumers(_ctx: ServiceContext<ReliefTables>, deps: ReliefDeps): ConsumerDefinition[] {
  return [
    {
      name: 'relief.scoring-results',
      topics: [ScoreCompleted.topic],
      handlers: {
        [ScoreCompleted.type]: async (event, { tx, log }) => {
          const outcome = await applyScoringAnswer(tx as ReliefTx, deps, {
            kind: 'completed',
            eventId: event.id,
            eventType: event.type,
            data: event.data as Static<(typeof ScoreCompleted)['schema']>,
            traceparent: event.traceparent,
          })
          log.debug({ outcome }, 'score received')
        },
        [ScoringFailed.type]: async (event, { tx, log }) => {
          const outcome = await applyScoringAnswer(tx as ReliefTx, deps, {
            kind: 'failed',
            eventId: event.id,
            eventType: event.type,
            data: event.data as Static<(typeof ScoringFailed)['schema']>,
            traceparent: event.traceparent,
          })
          log.debug({ outcome }, 'scoring failure received')
        },
      },
    },
    {
      // Core banking's loan stream: each loan's latest position, by the core system's sequence.
      // The inbox drops a redelivered envelope; the sequence drops what a replayed journal or a
      // second producer sends again under new envelopes, and anything older than what is held.
      name: 'relief.loan-book',
      topics: [LoanBooked.topic],
      handlers: Object.fromEntries(
        loanEvents.map((definition) => [
          definition.type,
          async (event, { tx, log }) => {
            const data = event.data as LoanEventCommon
            const booking = definition.type === LoanBooked.type ? (event.data as LoanBookedData) : null
            const outcome = await applyLoanEvent(tx as ReliefTx, definition.type, data, booking, deps.now())
            log.debug({ outcome, sequence: data.sequence }, 'loan event')
          },
        ]),
      ),
    },
  ]
}
