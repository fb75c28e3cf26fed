import type { Static } from 'typebox'
import { todayIn } from '@sme/domain'
import { PermanentError } from '@sme/events'
import type { ConsumerDefinition, ServiceContext } from '@sme/kit'
import { EnterpriseDataRecorded, ScoringFailed, ScoringRequested } from '@sme/contracts'
import type { ScoringTables, ScoringTx } from './store/tables.js'
import { checkRecord, ingestRecord } from './use-cases/ingest.js'
import { scoreInTransaction, ScoringRefused, type ModelCache } from './use-cases/score.js'

export function scoringConsumers(ctx: ServiceContext<ScoringTables>, models: ModelCache): ConsumerDefinition[] {
  return [
    {
      name: 'scoring.enterprise-data',
      topics: [EnterpriseDataRecorded.topic],
      handlers: {
        [EnterpriseDataRecorded.type]: async (event, { tx, log }) => {
          const check = checkRecord(event.data, '', todayIn(ctx.now()))
          // A record that breaks the rules will break them on every retry: straight to the DLQ.
          if (!check.ok) throw new PermanentError(check.errors.map((e) => `${e.field} ${e.message}`).join('; '))
          const outcome = await ingestRecord(tx as ScoringTx, check.record, `event:${event.source}`)
          log.debug({ outcome }, 'data point ingested')
        },
      },
    },
    {
      name: 'scoring.requests',
      topics: [ScoringRequested.topic],
      handlers: {
        // The inbox entry, the score and its reply (via the outbox) commit in one transaction: a
        // request delivered twice, or a restart between receiving and replying, yields one result.
        [ScoringRequested.type]: async (event, { tx }) => {
          const request = event.data as Static<(typeof ScoringRequested)['schema']>
          try {
            await scoreInTransaction(tx as ScoringTx, { outbox: ctx.outbox, models, now: ctx.now }, { ...request, traceparent: event.traceparent })
          } catch (err) {
            if (!(err instanceof ScoringRefused)) throw err
            await ctx.outbox.enqueue(tx, ScoringFailed, { correlationId: request.correlationId, uscc: request.uscc, code: err.code, detail: err.message }, { subject: request.uscc, traceparent: event.traceparent })
          }
        },
      },
    },
  ]
}
