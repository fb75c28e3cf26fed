import type { FastifyInstance } from 'fastify'
import type { Kysely, Transaction } from 'kysely'
import type { Static, TSchema } from 'typebox'
import { Migrator } from 'kysely/migration'
import { migrateSchema, type Database, type Migrations } from '@sme/data'
import {
  createEventMetrics,
  dlqTopic,
  EventConsumer,
  eventMigrations,
  outboxBacklog,
  outboxPending,
  Outbox,
  OutboxRelay,
  type CloudEvent,
  type EventCatalogue,
  type EventDefinition,
  type EventHandler,
  type ReceivedMessage,
  type Transport,
} from '@sme/events'
import { createServiceApp, type ServiceApp } from './app.js'
import type { TokenVerificationOptions, TokenVerifier } from './auth.js'
import { idempotencyMigrations } from './idempotency.js'
import type { ReadinessCheck } from './health.js'
import type { Logger } from './logger.js'
import { MessagingSupervisor, type MessagingPart, type MessagingPartStatus } from './messaging.js'
import type { LoadSheddingOptions } from './load-shedder.js'

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
  /** The state of each messaging part (the relay, each consumer), as `/health/messaging` reports it. */
  messaging: () => Record<string, MessagingPartStatus>
}

/** What an event handler gets besides the event: the inbox transaction, bound to the service's schema. */
export interface ConsumerContext<DB> {
  /** The transaction the inbox entry is written in: the handler's effects commit with it or not at all. */
  tx: Transaction<DB>
  log: Logger
  message: ReceivedMessage
}

/** One event type a consumer handles, its data typed from the contract's definition (see {@link on}). */
export interface EventSubscription<DB> {
  readonly definition: EventDefinition
  readonly handle: (event: CloudEvent<any>, context: ConsumerContext<DB>) => Promise<void>
}

/**
 * Subscribes a handler to one event of a contract: the handler sees `event.data` as the
 * definition's type and `tx` as a transaction on the service's tables, with no casts in services.
 * Sound because the consumer validates every payload against the service's catalogue before any
 * handler runs (buildService refuses a handler for a type missing from the catalogue), and the
 * inbox transaction is opened on the service's schema.
 */
export function on<S extends TSchema, DB>(
  definition: EventDefinition<S>,
  handle: (event: CloudEvent<Static<S>>, context: ConsumerContext<DB>) => Promise<void>,
): EventSubscription<DB> {
  return { definition: definition as EventDefinition, handle }
}

export interface ConsumerDefinition<DB = any> {
  /** Consumer group and inbox name, e.g. `relief.scoring-results`. */
  name: string
  /** The events handled; the topics subscribed are theirs. Other events on those topics are recorded and skipped. */
  handlers: readonly EventSubscription<DB>[]
}

/** What a service sets up once per build, from its context (see {@link ServiceDefinition.setup}). */
export interface ServiceParts<DB = any> {
  routes(app: ServiceApp): Promise<void>
  consumers?: readonly ConsumerDefinition<DB>[]
  /** Runs once the schema is migrated, before messaging starts (reference data, background workers). */
  onStart?(): Promise<void>
  /** Runs when the app closes, before messaging stops and the pool closes. */
  onStop?(): Promise<void>
  /**
   * Readiness checks the instance serves without (reported as `degraded`, the instance stays ready),
   * beside the kit's own (messaging): e.g. a read model fed by events that has fallen behind. A check
   * that throws gives its message as the reason.
   */
  advisoryChecks?: Record<string, ReadinessCheck>
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
  /**
   * Called once per build: everything a built instance owns (caches, sweepers, use-case
   * dependencies) is created here, so one definition can be built twice (two instances in a
   * test) without sharing state.
   */
  setup(context: ServiceContext<DB>): ServiceParts<DB> | Promise<ServiceParts<DB>>
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
  /**
   * Limits past which the service sheds requests with 429 (the wait for its pool's connections and
   * its outbox backlog are the signals, with the event-loop delay); absent, it sheds nothing.
   */
  loadShedding?: Omit<LoadSheddingOptions, 'signals'>
}

export interface BuiltService {
  app: ServiceApp
  context: ServiceContext
  /** Runs the service's `onStart` (once); `startMessaging` does it first too. */
  prepare(): Promise<void>
  /**
   * Starts the outbox relay and the consumers; `app.close()` stops them. Tests may start only one
   * side (e.g. consumers without the relay, to stop a service between receiving and replying).
   * By default it resolves once all of it runs and fails if any part cannot start; `background`
   * returns at once and keeps retrying each part until it runs (a standalone service serves HTTP
   * meanwhile, and starts while the broker is down).
   */
  startMessaging(options?: { relay?: boolean; consumers?: boolean; background?: boolean }): Promise<void>
  /** The state of each messaging part, as `/health/messaging` reports it. */
  messaging: MessagingSupervisor
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
export async function buildService<DB>(definition: ServiceDefinition<DB>, deps: ServiceDependencies): Promise<BuiltService> {
  const logger = deps.logger.child({ service: definition.name })
  const outbox = new Outbox({ catalogue: definition.catalogue, source: `/sme-relief/${definition.name}`, schema: definition.schema })
  // Every transaction the kit runs for the service wakes the service's relay once it has committed.
  const aroundTransaction = <T>(transaction: () => Promise<T>): Promise<T> => outbox.afterCommit(transaction)
  const messaging = new MessagingSupervisor({ logger })
  // The API serves without the broker (the outbox keeps what is to be published): messaging is
  // advisory in readiness and reported in full apart. The service's own advisory checks join later.
  const advisoryChecks: Record<string, ReadinessCheck> = { messaging: async () => messaging.running() && (await deps.transport.ping()) }
  const app = await createServiceApp({
    name: definition.name,
    version: definition.version,
    description: definition.description,
    logger,
    auth: deps.auth,
    db: deps.database,
    idempotency: { schema: definition.schema, aroundTransaction },
    advisoryChecks,
    messagingHealth: { broker: () => deps.transport.ping(), parts: () => messaging.status() },
    ...(deps.loadShedding
      ? {
          loadShedding: {
            ...deps.loadShedding,
            signals: {
              poolWaitMs: () => deps.database.load().oldestWaitMs,
              outboxBacklog: () => outboxPending(deps.database.db.withSchema(definition.schema)),
            },
          },
        }
      : {}),
    ...(definition.tags ? { openapi: { tags: definition.tags } } : {}),
  })
  const context: ServiceContext<DB> = {
    name: definition.name,
    schema: definition.schema,
    // The one place a service's table types meet the untyped pool: bound to its own schema.
    db: deps.database.db.withSchema(definition.schema) as Kysely<DB>,
    database: deps.database,
    outbox,
    transport: deps.transport,
    catalogue: definition.catalogue,
    logger,
    now: deps.now ?? (() => new Date()),
    messaging: () => messaging.status(),
  }
  messaging.exportMetrics(app.metrics)
  const parts = await definition.setup(context)
  Object.assign(advisoryChecks, parts.advisoryChecks)
  const metrics = createEventMetrics(app.metrics, () => outboxBacklog(context.db as Kysely<any>))
  const relay = new OutboxRelay({ database: deps.database, schema: definition.schema, transport: deps.transport, logger, metrics, ...deps.relay })
  const consumerDefinitions = parts.consumers ?? []
  const consumers = consumerDefinitions.map((c) => {
    const handlers: Record<string, EventHandler> = {}
    for (const { definition: event, handle } of c.handlers) {
      // Fail at build, not at the first event: an unknown type would reach its handler unvalidated.
      if (!definition.catalogue.has(event.type)) throw new Error(`${definition.name}: consumer ${c.name} handles ${event.type}, which is not in the service's catalogue`)
      if (handlers[event.type]) throw new Error(`${definition.name}: consumer ${c.name} handles ${event.type} twice`)
      handlers[event.type] = (e, { tx, log, message }) => handle(e, { tx: tx as Transaction<DB>, log, message })
    }
    return new EventConsumer({
      name: c.name,
      topics: topicsOf(c),
      handlers,
      database: deps.database,
      schema: definition.schema,
      transport: deps.transport,
      catalogue: definition.catalogue,
      logger,
      metrics,
      aroundTransaction,
    })
  })
  deps.beforeRoutes?.(app)
  await parts.routes(app)
  let prepared: Promise<void> | undefined
  let started = false
  let detachRelay: (() => void) | undefined
  app.addHook('onClose', async () => {
    await parts.onStop?.()
    if (!started) return
    await messaging.stop()
    await Promise.all(consumers.map((c) => c.stop()))
    detachRelay?.()
    await relay.stop()
  })
  const prepare = () => (prepared ??= parts.onStart?.() ?? Promise.resolve())
  const consumed = consumerDefinitions.flatMap(topicsOf)
  const topics: MessagingPart = {
    name: 'topics',
    start: () => deps.transport.ensureTopics([...new Set([...definition.catalogue.topics, ...consumed, ...consumed.map(dlqTopic)])]),
  }
  const relayPart: MessagingPart = {
    name: 'outbox-relay',
    async start() {
      // The relay needs no broker to start: it publishes what waits once the broker answers.
      await relay.start()
      // From here on this process's writes wake its relay directly instead of by NOTIFY.
      detachRelay ??= outbox.attachRelay(() => relay.wake())
    },
  }
  const consumerParts: MessagingPart[] = consumers.map((c, i) => ({ name: `consumer:${consumerDefinitions[i]!.name}`, start: (interrupted) => c.start(interrupted) }))
  return {
    app,
    context,
    prepare,
    messaging,
    async startMessaging(options = {}) {
      if (started) return
      started = true
      const rest = [...(options.relay !== false ? [relayPart] : []), ...(options.consumers !== false ? consumerParts : [])]
      // Declared before the start-up work below: a server already listening reports every part
      // (as starting) from its first request, not an empty list until the work is done.
      if (options.background) messaging.expect([topics, ...rest])
      await prepare()
      if (options.background) messaging.startInBackground([topics], rest)
      else await messaging.startNow([topics, ...rest])
    },
  }
}

/** The topics a consumer subscribes to: those of the events it handles. */
function topicsOf(consumer: ConsumerDefinition<any>): string[] {
  return [...new Set(consumer.handlers.map((h) => h.definition.topic))]
}

export type { FastifyInstance }
