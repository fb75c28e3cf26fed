import { Batcher, type BatcherOptions } from '@sme/data'
import type { ServiceDefinition } from '@sme/kit'
import { claimsConsumers } from './consumers.js'
import { DEFAULT_AGREEMENTS, DEFAULT_POOLS, type CompensationPool, type GuaranteeAgreement } from './domain/index.js'
import { claimsCatalogue } from './events.js'
import { claimsMigrations } from './migrations.js'
import { recordRefusedAttempts } from './refused-attempts.js'
import { agingRoutes } from './routes/aging.js'
import { agreementRoutes } from './routes/agreements.js'
import { poolRoutes } from './routes/pools.js'
import { portfolioRoutes } from './routes/portfolio.js'
import { poolBook } from './store/pools.js'
import { seedPools, type PoolDeps } from './use-cases/pools.js'
import { claimRoutes } from './routes/claims.js'
import { agreementBook } from './store/agreements.js'
import { claimStatements } from './store/claims.js'
import type { ClaimsTables } from './store/tables.js'
import { commandClaims, type ClaimsDeps, type CommandInput, type CommandOutcome } from './use-cases/claims.js'
import { seedAgreements } from './use-cases/agreements.js'
import { startDeadlineTimer } from './use-cases/deadlines.js'

/**
 * Filings that arrive together go as one transaction (group commit): at most this many at once, and
 * this many transactions in flight, each holding a connection while it runs.
 */
export const FILING_BATCHES: BatcherOptions = { maxBatch: 64, maxInFlight: 2 }

export interface ClaimsOptions {
  /** The agreement versions seeded active at start where not stored yet (default: the shipped ones); admins add the rest. */
  readonly agreements?: readonly GuaranteeAgreement[]
  /** The pool versions seeded active at start where not stored yet (default: the shipped ones). */
  readonly pools?: readonly CompensationPool[]
  /** How often overdue payments and ended recourse periods are looked for; 0: never (tests raise them by hand). */
  readonly deadlineIntervalMs?: number
}

/**
 * Guarantee-fund claims (POLICY §5; 工信明电〔2020〕14号 item 9): guaranteed loans registered by core
 * banking, a demand on the borrower before any claim, claims filed with the originating agency on
 * `guarantee.claims.v1` and answered on `guarantee.responses.v1` or the agency API, recourse and
 * write-off with the file kept open.
 */
export function claimsService(options: ClaimsOptions = {}): ServiceDefinition<ClaimsTables> {
  return {
    name: 'claims',
    schema: 'claims',
    version: '0.1.0',
    description:
      'Guarantee-fund claims (POLICY §5; 工信明电〔2020〕14号 item 9): a demand on the borrower first, then a claim to the originating agency under the agreement version in force on the guarantee day — its amount (principal and capped interest, times the covered share) split across the risk-sharing layers to the fen — published on guarantee.claims.v1; the agency answers on guarantee.responses.v1 or this API (acknowledged, approved whole or in part, rejected, paid; re-guarantors after it); recoveries shared back pro rata; write-off with the file open.',
    migrations: claimsMigrations,
    catalogue: claimsCatalogue,
    tags: [
      { name: 'agreements', description: 'Guarantee agreements as dated data' },
      { name: 'loans', description: 'Guaranteed loans core banking registers' },
      { name: 'claims', description: 'Demands, claims and their life cycle, for the bank' },
      { name: 'agencies', description: 'The originating agency’s answers to its claims' },
      { name: 'recourse', description: 'Recoveries after payment, corrections, write-off' },
      { name: 'pools', description: 'Risk-compensation pools as dated data, and the bank’s claims on them' },
    ],
    setup(ctx) {
      const shipped = options.agreements ?? DEFAULT_AGREEMENTS
      const pools: PoolDeps = { pools: poolBook(), now: ctx.now }
      const filings = new Batcher<CommandInput, CommandOutcome>(
        (inputs) => ctx.outbox.afterCommit(() => ctx.db.transaction().setIsolationLevel('read committed').execute((tx) => commandClaims(tx, deps, inputs))),
        FILING_BATCHES,
      )
      const deps: ClaimsDeps = { outbox: ctx.outbox, now: ctx.now, agreements: agreementBook(), statements: claimStatements(ctx.schema) }
      const intervalMs = options.deadlineIntervalMs ?? 60_000
      let stopTimer: (() => Promise<void>) | undefined
      return {
        async routes(app) {
          recordRefusedAttempts(app, ctx)
          await agreementRoutes(app, ctx)
          await agingRoutes(app, ctx)
          await portfolioRoutes(app, ctx, deps.agreements)
          await poolRoutes(app, ctx, pools)
          await claimRoutes(app, ctx, deps, filings)
        },
        consumers: claimsConsumers(deps),
        async onStart() {
          await seedAgreements(ctx.db, shipped, ctx.now())
          await seedPools(ctx.db, options.pools ?? DEFAULT_POOLS, ctx.now())
          if (intervalMs > 0) stopTimer = startDeadlineTimer(ctx.db, deps, (w) => ctx.outbox.afterCommit(w), intervalMs, ctx.logger)
        },
        async onStop() {
          await stopTimer?.()
        },
      }
    },
  }
}
