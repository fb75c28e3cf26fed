import { todayIn } from '@sme/domain'
import { PermanentError } from '@sme/events'
import { on, type ConsumerDefinition, type ServiceContext } from '@sme/kit'
import { EnterpriseDataRecorded, LoanBooked, ScoringFailed, ScoringRequested } from '@sme/contracts'
import { recordFirmBranch } from './store/firm-branches.js'
import type { ScoringTables } from './store/tables.js'
import { checkRecord, ingestRecord } from './use-cases/ingest.js'
import { scoreInTransaction, ScoringRefused, type ModelCache } from './use-cases/score.js'

export function scoringConsumers(ctx: ServiceContext<ScoringTables>, models: ModelCache): ConsumerDefinition<ScoringTables>[] {
  return [
    {
      // Which branches serve which firm, for officers' access to scoring data (see access.ts).
      name: 'scoring.firm-branches',
      handlers: [
        on(LoanBooked, async (event, { tx }) => {
          const { borrower, branchId } = event.data
          if (borrower.kind === 'enterprise') await recordFirmBranch(tx, borrower.uscc, branchId, ctx.now())
        }),
      ],
    },
    {
      name: 'scoring.enterprise-data',
      handlers: [
        on(EnterpriseDataRecorded, async (event, { tx, log }) => {
          const check = checkRecord(event.data, '', todayIn(ctx.now()))
          // A record that breaks the rules will break them on every retry: straight to the DLQ.
          if (!check.ok) throw new PermanentError(check.errors.map((e) => `${e.field} ${e.message}`).join('; '))
          const outcome = await ingestRecord(tx, check.record, `event:${event.source}`)
          log.debug({ outcome }, 'data point ingested')
        }),
      ],
    },
    {
      name: 'scoring.requests',
      handlers: [
        // The inbox entry, the score and its reply (via the outbox) commit in one transaction: a
        // request delivered twice, or a restart between receiving and replying, yields one result.
        on(ScoringRequested, async (event, { tx }) => {
          const request = event.data
          try {
            await scoreInTransaction(tx, { outbox: ctx.outbox, models, now: ctx.now }, { ...request, traceparent: event.traceparent })
          } catch (err) {
            if (!(err instanceof ScoringRefused)) throw err
            await ctx.outbox.enqueue(tx, ScoringFailed, { correlationId: request.correlationId, uscc: request.uscc, code: err.code, detail: err.message }, { subject: request.uscc, traceparent: event.traceparent })
          }
        }),
      ],
    },
  ]
}
