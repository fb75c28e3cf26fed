import type { ServiceDefinition } from '@sme/kit'
import { scoringConsumers } from './consumers.js'
import { scoringCatalogue } from './events.js'
import { scoringMigrations } from './migrations.js'
import { dataPointRoutes } from './routes/data-points.js'
import { modelRoutes } from './routes/models.js'
import { scoreRoutes } from './routes/scores.js'
import type { ScoringTables } from './store/tables.js'
import { ensureDefaultModel } from './use-cases/models.js'
import { ModelCache } from './use-cases/score.js'

/**
 * The central data-scoring service: enterprise data by dimension with lineage, versioned scorecard
 * models, explainable scores with a hardship signal, over HTTP and Kafka request/reply.
 */
export function scoringService(): ServiceDefinition<ScoringTables> {
  return {
    name: 'scoring',
    schema: 'scoring',
    version: '1.0.0',
    description:
      'Central data-scoring service: multi-dimensional enterprise data (POLICY §6) with lineage, versioned scorecard models (champion/challengers), scores with points per characteristic, reason codes (zh/en) and a hardship signal against the pre-crisis baseline. Also answers scoring.requests.v1 on scoring.results.v1.',
    migrations: scoringMigrations,
    catalogue: scoringCatalogue,
    tags: [
      { name: 'enterprise data', description: 'Data points by dimension, with source, period, as-of date and versions' },
      { name: 'scores', description: 'Scores, their history and replay' },
      { name: 'models', description: 'Scorecard models as versioned data' },
    ],
    setup(ctx) {
      // One model cache per built instance.
      const models = new ModelCache()
      return {
        async routes(app) {
          await dataPointRoutes(app, ctx)
          await scoreRoutes(app, ctx, models)
          await modelRoutes(app, ctx)
        },
        consumers: scoringConsumers(ctx, models),
        async onStart() {
          const installed = await ctx.db.transaction().execute((tx) => ensureDefaultModel(tx))
          if (installed) ctx.logger.info('installed the default scorecard model')
        },
      }
    },
  }
}
