import { todayIn } from '@sme/domain'
import type { ServiceDefinition } from '@sme/kit'
import { reliefConsumers } from './consumers.js'
import { reliefCatalogue } from './events.js'
import { reliefMigrations } from './migrations.js'
import { registerReliefMetrics } from './metrics.js'
import { recordRefusedAttempts } from './refused-attempts.js'
import { analysisRoutes } from './routes/analysis.js'
import { decisionFeedRoutes } from './routes/decision-feed.js'
import { applicationRoutes } from './routes/applications.js'
import { registerRoutes } from './routes/register.js'
import { policyRoutes } from './routes/policies.js'
import { reviewRoutes } from './routes/review.js'
import { applicationStatements, openApplicationCounts } from './store/applications.js'
import type { ReliefTables } from './store/tables.js'
import type { ReliefDeps } from './use-cases/decision.js'
import { PolicyCache, seedDefaultPolicies, type ShippedPolicies } from './use-cases/policies.js'
import { documentsDeadlineWatch } from './use-cases/documents.js'
import { TimeoutSweeper } from './use-cases/timeouts.js'

export interface ReliefServiceOptions {
  /**
   * How long an application waits for its score before it is decided without one (referred with
   * "scoring unavailable"). Default 30 s.
   */
  scoringTimeoutMs?: number
  /** How often the sweeper looks for such applications. Default: a quarter of the timeout, 250 ms – 5 s. */
  sweepIntervalMs?: number
  /** How often documents to follow past their day are looked for (a follow-up each). Default 60 s. */
  documentsCheckIntervalMs?: number
  /**
   * Shipped policy versions the registry does not hold yet: `active` (default) applies them from the
   * next decision; `draft` installs them for an admin to activate (into an empty registry they are
   * installed active, or nothing could be decided).
   */
  shippedPolicies?: ShippedPolicies
}

/**
 * Relief decisions on existing SME loans: intake from core banking, a score from the
 * scoring service over Kafka request/reply, a decision under the dated policy versions in force,
 * officer review under maker-checker for what the rules refer, and relief.decisions.v1 for final
 * outcomes; replay and what-if for risk officers.
 */
export function reliefService(options: ReliefServiceOptions = {}): ServiceDefinition<ReliefTables> {
  const timeoutMs = options.scoringTimeoutMs ?? 30_000
  const intervalMs = options.sweepIntervalMs ?? Math.min(5_000, Math.max(250, Math.floor(timeoutMs / 4)))
  return {
    name: 'relief',
    schema: 'relief',
    version: '1.0.0',
    description:
      'Relief decisions on existing SME loans (POLICY §1–2): deferral of principal and interest (延期还本付息), extension (展期) and renewal (续贷, incl. 无还本续贷), decided under dated policy versions with every rule’s result and reason codes (zh/en); officer review under maker-checker; replay and what-if. Requests scores on scoring.requests.v1, publishes final decisions on relief.decisions.v1.',
    migrations: reliefMigrations,
    catalogue: reliefCatalogue,
    tags: [
      { name: 'applications', description: 'Intake, status, decisions and the audit trail' },
      { name: 'review', description: 'Officer review of referred applications: propose (officer), confirm (supervisor)' },
      { name: 'policies', description: 'Policy versions as dated data (active and draft)' },
      { name: 'analysis', description: 'Replay of stored decisions and what-if runs under draft versions' },
      { name: 'register', description: 'The register of relief granted (专门统计) and its regulatory CSV' },
    ],
    setup(ctx) {
      // One policy cache and one sweeper per built instance.
      const deps: ReliefDeps = { outbox: ctx.outbox, policies: new PolicyCache(), now: ctx.now, statements: applicationStatements(ctx.schema) }
      const sweeper = new TimeoutSweeper({ db: ctx.db, deps, logger: ctx.logger, timeoutMs, intervalMs })
      const documentsWatch = documentsDeadlineWatch({ db: ctx.db, now: ctx.now, logger: ctx.logger, intervalMs: options.documentsCheckIntervalMs ?? 60_000 })
      return {
        async routes(app) {
          recordRefusedAttempts(app, ctx)
          await applicationRoutes(app, ctx, deps)
          await reviewRoutes(app, ctx, deps)
          await decisionFeedRoutes(app, ctx)
          await policyRoutes(app, ctx, deps)
          await registerRoutes(app, ctx)
          await analysisRoutes(app, ctx, deps.policies)
          registerReliefMetrics(app.metrics, () => openApplicationCounts(ctx.db, todayIn(ctx.now())))
        },
        consumers: reliefConsumers(deps),
        async onStart() {
          const seeded = await ctx.db.transaction().execute((tx) => seedDefaultPolicies(tx, ctx.now(), options.shippedPolicies))
          if (seeded.installed > 0) {
            ctx.logger.info(seeded, seeded.status === 'active' ? 'installed the shipped policy versions' : 'installed the shipped policy versions as drafts: an admin activates each')
          }
          // The sweeper and the documents watch start with messaging and stop with the app, before the pool closes.
          sweeper.start()
          documentsWatch.start()
        },
        onStop: async () => {
          await Promise.all([sweeper.stop(), documentsWatch.stop()])
        },
      }
    },
  }
}
