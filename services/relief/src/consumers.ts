import type { Static } from 'typebox'
import type { ConsumerDefinition, ServiceContext } from '@sme/kit'
import { ScoreCompleted, ScoringFailed } from '@sme/contracts'
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
  ]
}
