import { LPR_TABLE_FIXTURE } from '@sme/domain'
import type { ServiceDefinition } from '@sme/kit'
import { DEFAULT_BRIDGE_FUND, DEFAULT_PROGRAMMES, DEFAULT_RATE_CARD } from './domain/index.js'
import { pricingConsumers } from './consumers.js'
import { pricingCatalogue } from './events.js'
import { pricingMigrations } from './migrations.js'
import { recordRefusedAttempts } from './refused-attempts.js'
import { bridgeRoutes } from './routes/bridge.js'
import { programmeRoutes } from './routes/programmes.js'
import { quoteRoutes } from './routes/quotes.js'
import { referenceRoutes } from './routes/reference.js'
import { whatIfRoutes } from './routes/what-if.js'
import { quoteStatements } from './store/quotes.js'
import { insertRecord, lprTable, SourcesCache, writeLpr } from './store/reference.js'
import type { PricingTables } from './store/tables.js'

/**
 * Reduced-rate pricing: LPR-based quotes with relief programmes, the re-lending caps, interest
 * subsidies and exact schedules.
 */
export function pricingService(): ServiceDefinition<PricingTables> {
  return {
    name: 'pricing',
    schema: 'pricing',
    version: '1.0.0',
    description:
      'Reduced-rate pricing (POLICY §3): quotes from the LPR of the pricing date and the rate card, with relief rate cuts, the special and inclusive re-lending caps, the central fiscal subsidy and local ones stacked on it, each programme reported applied, not eligible, not binding or limited; the schedule to the fen (ACT/360, rounding stated) and the annualized rate by the IRR method. Re-prices approved relief decisions (relief.decisions.v2) from the loans core banking publishes (loans.events.v1) and the grades scoring publishes (scoring.results.v1). Publishes pricing.quotes.v1.',
    migrations: pricingMigrations,
    catalogue: pricingCatalogue,
    tags: [
      { name: 'quotes', description: 'Quotes: immutable, expiring, accepted once' },
      { name: 'reference rates', description: 'LPR publications, maintained by admin with every correction kept' },
      { name: 'programmes', description: 'Rate cards, programmes and bridge funds as dated, versioned data: drafts added by an admin, activated by another' },
      { name: 'bridge funds', description: 'Emergency bridge funds (应急转贷): the fee of bridging a loan to its committed renewal' },
      { name: 'key lists', description: 'The key epidemic-protection enterprise lists, national and local, with dates' },
    ],
    setup(ctx) {
      // One parsed copy of the reference data per built instance; the hot path's statements compiled once.
      const statements = quoteStatements(ctx.schema)
      const sources = new SourcesCache(statements)
      return {
        async routes(app) {
          recordRefusedAttempts(app, ctx)
          await quoteRoutes(app, ctx, { sources, statements })
          await referenceRoutes(app, ctx, sources)
          await programmeRoutes(app, ctx)
          await whatIfRoutes(app, ctx, sources)
          await bridgeRoutes(app, ctx, sources)
        },
        consumers: pricingConsumers({ outbox: ctx.outbox, now: ctx.now, sources, statements }),
        async onStart() {
          // The bundled LPR series and the default card and programmes, where nothing is recorded yet.
          await ctx.db.transaction().execute(async (tx) => {
            if ((await lprTable(tx)).length === 0) for (const entry of LPR_TABLE_FIXTURE) await writeLpr(tx, entry, undefined, 'system:seed', null)
            for (const record of [DEFAULT_RATE_CARD, ...DEFAULT_PROGRAMMES, DEFAULT_BRIDGE_FUND]) await insertRecord(tx, record, 'system:seed')
          })
        },
      }
    },
  }
}
