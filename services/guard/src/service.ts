import type { BatcherOptions } from '@sme/data'
import type { ServiceDefinition } from '@sme/kit'
import { guardConsumers } from './consumers.js'
import { DEFAULT_GUARD_POLICIES } from './domain/index.js'
import { guardCatalogue } from './events.js'
import { guardMigrations } from './migrations.js'
import { readModelHealth } from './read-model-health.js'
import { recordRefusedAttempts } from './refused-attempts.js'
import { checkRoutes } from './routes/checks.js'
import { escalationRoutes } from './routes/escalations.js'
import { readModelRoutes } from './routes/read-model.js'
import { reportRoutes } from './routes/report.js'
import { sweepRoutes } from './routes/sweeps.js'
import { readModelChannel, readModelStatement } from './store/read-model.js'
import { ReadModelCache, STATEMENT_BATCHES } from './store/read-model-cache.js'
import type { GuardTables } from './store/tables.js'
import { verdictStatements, VerdictWriter } from './store/verdicts.js'

/**
 * The "no blind withdrawal" guard (POLICY §4): core banking asks it before calling a loan early,
 * refusing a renewal, freezing or cutting a line or downgrading a loan, and it answers from a
 * protection read model it builds from events.
 */
export interface GuardOptions {
  /** Borrowers, and loans, each instance holds in memory for checks (least recently judged go first). */
  readonly readModelCapacity?: number
  /** How checks' verdicts are written together (default {@link STATEMENT_BATCHES}). */
  readonly verdictBatches?: BatcherOptions
  /** Told the service's parts once they are built (tests and benchmarks read their figures). */
  readonly onParts?: (parts: { readonly readModel: ReadModelCache; readonly verdicts: VerdictWriter }) => void
}

/** Borrowers, and loans, an instance holds unless told otherwise. */
export const DEFAULT_READ_MODEL_CAPACITY = 50_000

export function guardService(options: GuardOptions = {}): ServiceDefinition<GuardTables> {
  return {
    name: 'guard',
    schema: 'guard',
    version: '1.0.0',
    description:
      'The no-blind-withdrawal guard (POLICY §4; 工信明电〔2020〕14号 item 8): checks before adverse credit actions (call early, refuse renewal, freeze or reduce a line, downgrade), answered ALLOW, BLOCK or ESCALATE with every rule that fired, stored before answered and published on guard.verdicts.v1. Judged on a protection read model built from relief.decisions.v2, scoring.results.v1 and loans.events.v1, which keeps answering while Kafka is down (readiness then says since when it is stale).',
    migrations: guardMigrations,
    catalogue: guardCatalogue,
    tags: [
      { name: 'checks', description: 'Checks before adverse credit actions, and the reasons catalogue' },
      { name: 'escalations', description: 'Checks a risk officer must judge: upheld by one, overridden by two, never by the requester' },
      { name: 'read model', description: 'What the guard knows, and how current it is' },
      { name: 'reports', description: 'Verdicts for supervisors, by branch, action and period, as JSON or CSV' },
    ],
    setup(ctx) {
      const channel = readModelChannel(ctx.schema)
      const readModel = new ReadModelCache(ctx.db, readModelStatement(ctx.schema), {
        capacity: options.readModelCapacity ?? DEFAULT_READ_MODEL_CAPACITY,
        onState: (serving, why) => ctx.logger.info({ serving, why }, serving ? 'checks read the read model from memory' : 'checks read the read model from the database'),
      })
      const statements = { verdicts: verdictStatements(ctx.schema) }
      const verdicts = new VerdictWriter(ctx.db, statements.verdicts, options.verdictBatches ?? STATEMENT_BATCHES)
      options.onParts?.({ readModel, verdicts })
      const deps = { outbox: ctx.outbox, now: ctx.now, policies: DEFAULT_GUARD_POLICIES, readModel, statements, verdicts }
      return {
        async routes(app) {
          recordRefusedAttempts(app, ctx)
          await checkRoutes(app, ctx, deps)
          await escalationRoutes(app, ctx, deps)
          await readModelRoutes(app, ctx)
          await reportRoutes(app, ctx)
          await sweepRoutes(app, ctx, { db: ctx.db, database: ctx.database, schema: ctx.schema, now: ctx.now, policies: DEFAULT_GUARD_POLICIES })
        },
        consumers: guardConsumers({ now: ctx.now, cache: readModel, channel }),
        async onStart() {
          try {
            await readModel.start(ctx.database, channel)
          } catch (err) {
            ctx.logger.warn({ err }, 'cannot listen for the read model’s changes; every check reads it')
          }
        },
        onStop: () => readModel.stop(),
        advisoryChecks: {
          'read-model': () => {
            const health = readModelHealth(ctx.messaging())
            if (health.status === 'stale') throw new Error(health.staleSince === null ? 'stale: its consumers have not started' : `stale since ${health.staleSince}`)
          },
        },
      }
    },
  }
}
