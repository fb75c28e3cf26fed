import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import { Migrator } from 'kysely/migration'
import { migrateSchema, type Database, type Migrations } from '@sme/data'
import {
  createEventMetrics,
  dlqTopic,
  EventConsumer,
  eventMigrations,
  outboxBacklog,
  Outbox,
  OutboxRelay,
  type EventCatalogue,
  type EventHandler,
  type Transport,
} from '@sme/events'
import { createServiceApp, type ServiceApp } from './app.js'
import type { TokenVerificationOptions, TokenVerifier } from './auth.js'
import { idempotencyMigrations } from './idempotency.js'
import type { Logger } from './logger.js'

/** What a service's routes and event handlers get: all of it passed in, nothing imported as a global. */
export interface ServiceContext<DB = any> {
  name: string
  /** The service's own PostgreSQL schema. */
  schema: string
  /** Kysely bound to the service's schema. */
  db: Kysely<DB>
  database: Database<any>
  outbox: Outbox
  transport: Transport
  catalogue: EventCatalogue
  logger: Logger
  /** The clock; tests and replays pass their own. */
  now: () => Date
}

export interface ConsumerDefinition {
  /** Consumer group and inbox name, e.g. `relief.scoring-results`. */
  name: string
  topics: string[]
  handlers: Record<string, EventHandler>
}

/**
 * A service as data: the embedded runner, the standalone entry point, the OpenAPI generator and the
 * tests all build it the same way from this.
 */
export interface ServiceDefinition<DB = any> {
  name: string
  schema: string
  version: string
  description: string
  /** The service's own migrations; the kit adds the idempotency, outbox and inbox tables. */
  migrations: Migrations
  /** Every event type the service publishes or consumes. */
  catalogue: EventCatalogue
  tags?: { name: string; description?: string }[]
  routes(app: ServiceApp, context: ServiceContext<DB>): Promise<void>
  consumers?(context: ServiceContext<DB>): ConsumerDefinition[]
  /** Runs once the schema is migrated, before messaging starts (e.g. installing reference data). */
  onStart?(context: ServiceContext<DB>): Promise<void>
}

export interface ServiceDependencies {
  database: Database<any>
  transport: Transport
  logger: Logger
  auth: TokenVerificationOptions | { verifier: TokenVerifier }
  now?: () => Date
  /** Called with the app before the service's routes are registered (tests collect routes here). */
  beforeRoutes?: (app: ServiceApp) => void
  /** Relay tuning (tests shorten the poll). */
  relay?: { pollIntervalMs?: number; batchSize?: number }
}

export interface BuiltService {
  app: ServiceApp
  context: ServiceContext
  /**
   * Starts the outbox relay and the consumers; `app.close()` stops them. Tests may start only one
   * side (e.g. consumers without the relay, to stop a service between receiving and replying).
   */
  startMessaging(options?: { relay?: boolean; consumers?: boolean }): Promise<void>
}

/** Every migration of a service, platform tables first. */
export function allMigrations(definition: Pick<ServiceDefinition, 'migrations'>): Migrations {
  return { ...idempotencyMigrations, ...eventMigrations, ...definition.migrations }
}

export function migrateService(database: Database<any>, definition: Pick<ServiceDefinition, 'schema' | 'migrations'>): Promise<string[]> {
  return migrateSchema(database.db, definition.schema, allMigrations(definition))
}

/** Names of migrations not yet applied; a standalone service refuses to start while any remain. */
export async function pendingMigrations(database: Database<any>, definition: Pick<ServiceDefinition, 'schema' | 'migrations'>): Promise<string[]> {
  const migrator = new Migrator({
    db: database.db.withSchema(definition.schema),
    provider: { getMigrations: async () => allMigrations(definition) },
    migrationTableSchema: definition.schema,
    migrationTableName: 'migrations',
    migrationLockTableName: 'migrations_lock',
  })
  const all = await migrator.getMigrations()
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name)
}

/**
 * Builds a service's app on the kit, with its outbox, relay and consumers wired to the given
 * database and transport. It neither migrates nor listens; the caller decides both.
 */
export async function buildService(definition: ServiceDefinition, deps: ServiceDependencies): Promise<BuiltService> {
  const logger = deps.logger.child({ service: definition.name })
  const app = await createServiceApp({
    name: definition.name,
    version: definition.version,
    description: definition.description,
    logger,
    auth: deps.auth,
    db: deps.database,
    idempotency: { schema: definition.schema },
    readinessChecks: { broker: () => deps.transport.ping() },
    ...(definition.tags ? { openapi: { tags: definition.tags } } : {}),
  })
  const context: ServiceContext = {
    name: definition.name,
    schema: definition.schema,
    db: deps.database.db.withSchema(definition.schema),
    database: deps.database,
    outbox: new Outbox({ catalogue: definition.catalogue, source: `/sme-relief/${definition.name}`, schema: definition.schema }),
    transport: deps.transport,
    catalogue: definition.catalogue,
    logger,
    now: deps.now ?? (() => new Date()),
  }
  const metrics = createEventMetrics(app.metrics, () => outboxBacklog(context.db))
  const relay = new OutboxRelay({ database: deps.database, schema: definition.schema, transport: deps.transport, logger, metrics, ...deps.relay })
  const consumers = (definition.consumers?.(context) ?? []).map(
    (c) =>
      new EventConsumer({
        name: c.name,
        topics: c.topics,
        handlers: c.handlers,
        database: deps.database,
        schema: definition.schema,
        transport: deps.transport,
        catalogue: definition.catalogue,
        logger,
        metrics,
      }),
  )
  deps.beforeRoutes?.(app)
  await definition.routes(app, context)
  let started = false
  app.addHook('onClose', async () => {
    if (!started) return
    await Promise.all(consumers.map((c) => c.stop()))
    await relay.stop()
  })
  return {
    app,
    context,
    async startMessaging(options = {}) {
      if (started) return
      started = true
      await definition.onStart?.(context)
      const consumed = (definition.consumers?.(context) ?? []).flatMap((c) => c.topics)
      await deps.transport.ensureTopics([...new Set([...definition.catalogue.topics, ...consumed, ...consumed.map(dlqTopic)])])
      if (options.relay !== false) await relay.start()
      if (options.consumers !== false) for (const c of consumers) await c.start()
    },
  }
}

export type { FastifyInstance }
