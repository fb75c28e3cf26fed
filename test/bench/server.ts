/**
 * The benchmark's server, run as a child process of test/bench/run.ts so that the server and
 * autocannon each get an event loop (and, on a 2-core machine, roughly a core) of their own.
 *
 *   node --import tsx test/bench/server.ts bare|insert|outbox|intake|score
 *
 * It listens on 127.0.0.1 on a port the OS picks, reports `{ type: 'listening', port }` over the IPC
 * channel, and closes the app (and its database pool) on SIGTERM/SIGINT or when the parent goes away.
 * Settings come from BENCH_* variables, read once at start.
 */
import { createPostgresDatabase, inTransaction, reusableStatement, type Kysely } from '@sme/data'
import { LoanBooked } from '@sme/contracts'
import { InProcessTransport, KafkaTransport, newEvent, Outbox, OutboxRelay, toTransportMessage, type Transport } from '@sme/events'
import { buildService, createLogger, createServiceApp, mintToken, type ServiceDefinition } from '@sme/kit'
import { claimsService } from '@sme/claims'
import { guardService } from '@sme/guard'
import { pricingService } from '@sme/pricing'
import { reliefService } from '@sme/relief'
import { scoringService } from '@sme/scoring'
import Fastify, { type FastifyInstance } from 'fastify'
import {
  BENCH_AUDIENCE,
  BENCH_ISSUER,
  clockFrom,
  INTAKE_CLOCK_START,
  ItemBody,
  ItemCreated,
  itemEvents,
  SAMPLE_BODY,
  SERVER_SCENARIOS,
  type BenchDB,
  type Scenario,
  type ServerMessage,
  isQuoteScenario,
} from './fixtures.js'
import { benchFirmRecords, benchUscc } from './firms.js'

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
type LogLevel = (typeof LOG_LEVELS)[number]

interface ServerConfig {
  scenario: Scenario
  databaseUrl: string
  schema: string
  topic: string
  jwtSecret: string
  logLevel: LogLevel
  poolSize: number
  /** `score`: how many firms to seed (firm numbers 0 … n − 1 of test/bench/firms.ts). */
  scoreFirms: number
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name]
  if (!value) throw new Error(`${name} is not set (test/bench/run.ts sets it)`)
  return value
}

function loadServerConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const scenario = argv[0] as Scenario
  if (!SERVER_SCENARIOS.includes(scenario)) throw new Error(`scenario must be one of ${SERVER_SCENARIOS.join(', ')}; got ${String(argv[0])}`)
  const logLevel = (env.BENCH_LOG_LEVEL ?? 'info') as LogLevel
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`BENCH_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`)
  const poolSize = Number(env.BENCH_POOL_SIZE ?? '10')
  if (!Number.isInteger(poolSize) || poolSize < 1) throw new Error('BENCH_POOL_SIZE must be a positive integer')
  const scoreFirms = Number(env.BENCH_SCORE_FIRMS ?? '20')
  if (!Number.isInteger(scoreFirms) || scoreFirms < 1) throw new Error('BENCH_SCORE_FIRMS must be a positive integer')
  if (scenario === 'bare') return { scenario, databaseUrl: '', schema: '', topic: '', jwtSecret: '', logLevel, poolSize, scoreFirms }
  return {
    scenario,
    databaseUrl: required(env, 'BENCH_DATABASE_URL'),
    schema: required(env, 'BENCH_SCHEMA'),
    // The scoring and relief services publish on their own topics (scoring.results.v1, scoring.requests.v1).
    topic: scenario === 'score' || scenario === 'intake' || scenario === 'claim' || isQuoteScenario(scenario) ? '' : required(env, 'BENCH_TOPIC'),
    jwtSecret: required(env, 'BENCH_JWT_SECRET'),
    logLevel,
    poolSize,
    scoreFirms,
  }
}

/** (a) The baseline: Fastify with its defaults (no logger) and one small JSON answer. */
function bareApp(): FastifyInstance {
  const app = Fastify()
  app.get('/hello', async () => ({ hello: 'world', service: 'bench' }))
  return app
}

/**
 * (b), (c) and (c'): an app on the platform kit with everything a service gets (problem handlers,
 * OpenAPI, tracing, HS256 auth, idempotency storage, metrics, health, request logging at
 * BENCH_LOG_LEVEL), and one write route: a plain INSERT, or INSERT + outbox in one transaction, with
 * (`relayed`) or without (`outbox`) its outbox relay running.
 */
async function kitApp(config: ServerConfig): Promise<FastifyInstance> {
  const logger = createLogger({ level: config.logLevel, name: 'sme-bench', pretty: false })
  const database = createPostgresDatabase<BenchDB>({ connectionString: config.databaseUrl, maxConnections: config.poolSize, applicationName: `sme-bench-${config.scenario}` })
  const app = await createServiceApp({
    name: 'sme-bench',
    version: '0.0.0',
    logger,
    auth: { secret: config.jwtSecret, issuer: BENCH_ISSUER, audience: BENCH_AUDIENCE },
    db: database,
    idempotency: { schema: config.schema, purgeIntervalMs: 0 },
  })
  let stopRelay: (() => Promise<void>) | undefined
  app.addHook('onClose', async () => {
    await stopRelay?.()
    await database.close()
  })
  const db = database.db.withSchema(config.schema) as Kysely<BenchDB>
  const { ItemRecorded, catalogue } = itemEvents(config.topic)
  const outbox = new Outbox({ catalogue, source: '/sme-relief/bench', schema: config.schema })
  const withOutbox = config.scenario === 'outbox' || config.scenario === 'relayed'
  if (config.scenario === 'relayed') {
    // Published as the services' events are in this benchmark: on the in-process transport.
    const transport = new InProcessTransport()
    const relay = new OutboxRelay({ database, schema: config.schema, transport, logger })
    await relay.start()
    // As the kit wires a service: this process's writes wake its relay, with no NOTIFY.
    const detach = outbox.attachRelay(() => relay.wake())
    stopRelay = async () => {
      detach()
      await relay.stop()
      await transport.close()
    }
  }

  // Written as a service writes its hot path: the statement built with Kysely once and compiled
  // once (reusableStatement), run with each request's values.
  type ItemValues = { enterprise_id: string; branch_id: string; amount_fen: string; purpose: string }
  const insertItem = reusableStatement<ItemValues, { id: bigint; created_at: Date }>(config.schema, (db: Kysely<BenchDB>, v) =>
    db
      .insertInto('bench_items')
      .values({ enterprise_id: v.enterprise_id, branch_id: v.branch_id, amount_fen: v.amount_fen, purpose: v.purpose })
      .returning(['id', 'created_at']),
  )
  app.post(
    '/items',
    { config: { auth: { roles: ['officer'] } }, schema: { body: ItemBody, response: { 201: ItemCreated } } },
    async (request, reply) => {
      const { enterpriseId, branchId, amountFen, purpose } = request.body
      const values = { enterprise_id: enterpriseId, branch_id: branchId, amount_fen: amountFen, purpose }
      let id: bigint
      if (!withOutbox) {
        id = (await insertItem.execute(db, values)).rows[0]!.id
      } else {
        id = await outbox.afterCommit(() => inTransaction(db, async (tx) => {
          const row = (await insertItem.execute(tx, values)).rows[0]!
          await outbox.enqueue(
            tx,
            ItemRecorded,
            { itemId: String(row.id), enterpriseId, branchId, amountFen, currency: 'CNY', purpose, recordedAt: row.created_at.toISOString() },
            { subject: enterpriseId, traceparent: request.trace.traceparent, tracestate: request.trace.tracestate },
          )
          return row.id
        }))
      }
      return reply.code(201).send({ id: String(id) })
    },
  )
  return app
}

/**
 * (d) The real scoring service (services/scoring), built as every runner builds it (`buildService`)
 * on the benchmark's PostgreSQL, in the schema test/bench/run.ts created and migrated with
 * `migrateService`, with the in-process transport in place of Kafka and its outbox relay and
 * consumers running. Before it listens, `scoreFirms` firms' data (test/bench/firms.ts, ~150 records
 * each) are ingested through its own POST /data-points/batch, as a data provider would.
 */
async function scoringApp(config: ServerConfig): Promise<{ app: FastifyInstance; close(): Promise<void>; created(): number }> {
  const logger = createLogger({ level: config.logLevel, name: 'sme-bench', pretty: false })
  const database = createPostgresDatabase<any>({ connectionString: config.databaseUrl, maxConnections: config.poolSize, applicationName: 'sme-bench-score' })
  const transport = new InProcessTransport()
  const auth = { secret: config.jwtSecret, issuer: BENCH_ISSUER, audience: BENCH_AUDIENCE }
  let built: Awaited<ReturnType<typeof buildService>> | undefined
  let created = 0
  const close = async () => {
    await built?.app.close() // stops the relay and the consumers
    await transport.close()
    await database.close()
  }
  try {
    // 201 answers to POST /scores, counted as they are sent: the parent checks them against the
    // score rows, exactly, including answers to requests autocannon had stopped waiting for.
    const beforeRoutes = (app: FastifyInstance) =>
      app.addHook('onSend', async (request, reply, payload) => {
        if (reply.statusCode === 201 && request.method === 'POST' && request.routeOptions.url === '/scores') created += 1
        return payload
      })
    built = await buildService({ ...scoringService(), schema: config.schema }, { database, transport, logger, auth, beforeRoutes })
    await built.startMessaging()
    const provider = await mintToken(config.jwtSecret, { sub: 'bench-data-provider', roles: ['core-banking'], branches: [] }, { issuer: auth.issuer, audience: auth.audience, expiresInSec: 600 })
    for (let n = 0; n < config.scoreFirms; n++) {
      const records = benchFirmRecords(n)
      const res = await built.app.inject({
        method: 'POST',
        url: '/data-points/batch',
        headers: { authorization: `Bearer ${provider}`, 'idempotency-key': `bench-seed-${n}` },
        payload: { mode: 'all-or-nothing', records },
      })
      const accepted = res.statusCode === 200 ? (res.json() as { accepted: number }).accepted : -1
      if (accepted !== records.length) throw new Error(`seeding firm ${n}: ${res.statusCode}, ${accepted} of ${records.length} records accepted: ${res.body.slice(0, 1000)}`)
    }
    // Officers score the firms their branches serve, learnt from core banking's loan bookings: each
    // firm gets a loan booked at the bench officer's branch, on loans.events.v1 as deployed.
    await transport.publish(
      Array.from({ length: config.scoreFirms }, (_, n) => {
        const loanId = `LN-BENCH-${n}`
        const booking = newEvent({
          source: '/core-banking/bench',
          type: LoanBooked.type,
          data: {
            eventId: `CBS-${loanId}-1`,
            loanId,
            sequence: 1,
            asOf: '2020-01-02T09:00:00+08:00',
            position: { outstandingPrincipalFen: '300000000', daysPastDue: 0, classification: 'normal' as const, status: 'active' as const },
            borrower: { kind: 'enterprise' as const, uscc: benchUscc(n) },
            branchId: SAMPLE_BODY.branchId,
            product: 'working-capital' as const,
            principalFen: '300000000',
            startDate: '2020-01-02',
            maturityDate: '2021-01-02',
            rateBp: 435,
            guarantee: { kind: 'none' as const, guarantorId: null },
          },
        })
        return toTransportMessage(LoanBooked.topic, loanId, booking)
      }),
    )
    const officer = await mintToken(config.jwtSecret, { sub: 'bench-officer', roles: ['officer'], branches: [SAMPLE_BODY.branchId] }, { issuer: auth.issuer, audience: auth.audience, expiresInSec: 600 })
    for (let n = 0; n < config.scoreFirms; n++) {
      const deadline = Date.now() + 10_000
      for (;;) {
        const res = await built.app.inject({ method: 'GET', url: `/enterprises/${benchUscc(n)}/scores`, headers: { authorization: `Bearer ${officer}` } })
        if (res.statusCode === 200) break
        if (Date.now() > deadline) throw new Error(`firm ${n}: the loan booking was not consumed within 10 s (${res.statusCode})`)
        await new Promise((done) => setTimeout(done, 20))
      }
    }
  } catch (err) {
    await close().catch(() => {})
    throw err
  }
  return { app: built.app, close, created: () => created }
}

/**
 * (e) The real relief service (services/relief), built like the scoring service above, in the schema
 * test/bench/run.ts created and migrated with `migrateService` (default policy versions installed on
 * start), relay, consumers and timeout sweeper running (scoring timeout 15 min: see below), in-process
 * transport in place of Kafka. Its
 * clock starts at INTAKE_CLOCK_START so that the applications' dates are those of the bodies. Counts
 * its 202 answers to POST /applications as they are sent.
 */
async function reliefApp(config: ServerConfig): Promise<{ app: FastifyInstance; close(): Promise<void>; created(): number }> {
  const logger = createLogger({ level: config.logLevel, name: 'sme-bench', pretty: false })
  const database = createPostgresDatabase<any>({ connectionString: config.databaseUrl, maxConnections: config.poolSize, applicationName: 'sme-bench-intake' })
  const transport = new InProcessTransport()
  const auth = { secret: config.jwtSecret, issuer: BENCH_ISSUER, audience: BENCH_AUDIENCE }
  let built: Awaited<ReturnType<typeof buildService>> | undefined
  let accepted = 0
  const close = async () => {
    await built?.app.close() // stops the relay, the consumers and the sweeper
    await transport.close()
    await database.close()
  }
  try {
    const beforeRoutes = (app: FastifyInstance) =>
      app.addHook('onSend', async (request, reply, payload) => {
        if (reply.statusCode === 202 && request.method === 'POST' && request.routeOptions.url === '/applications') accepted += 1
        return payload
      })
    // No scoring service answers here: with the default 30 s timeout the sweeper would decide
    // every application of the run (referred, "scoring unavailable") while intake is measured, work
    // that deployed, the scoring answers bring through the consumer. Intake alone is measured.
    built = await buildService({ ...reliefService({ scoringTimeoutMs: 15 * 60_000 }), schema: config.schema }, { database, transport, logger, auth, beforeRoutes, now: clockFrom(INTAKE_CLOCK_START) })
    await built.startMessaging()
  } catch (err) {
    await close().catch(() => {})
    throw err
  }
  return { app: built.app, close, created: () => accepted }
}

/**
 * (f) The real pricing service and (g) the guard (services/pricing, services/guard), each built like
 * relief above in the schema the parent migrated (pricing installs its default LPR series, card and
 * programmes on start; the parent seeded the guard's read model), its relay running on the
 * in-process transport. Counts its 201 answers to `route` (POST /quotes, POST /checks) as they are sent.
 */
async function serviceApp(config: ServerConfig, definition: ServiceDefinition, route: string, okStatus = 201): Promise<{ app: FastifyInstance; close(): Promise<void>; created(): number }> {
  const logger = createLogger({ level: config.logLevel, name: 'sme-bench', pretty: false })
  const database = createPostgresDatabase<any>({ connectionString: config.databaseUrl, maxConnections: config.poolSize, applicationName: `sme-bench-${config.scenario}` })
  // BENCH_KAFKA_BROKERS: the service publishes to a real broker (the claims latency run), under BENCH_KAFKA_NAMESPACE.
  const brokers = process.env.BENCH_KAFKA_BROKERS
  const transport: Transport = brokers
    ? new KafkaTransport({ brokers: brokers.split(','), clientId: `sme-bench-${config.scenario}`, logger, ...(process.env.BENCH_KAFKA_NAMESPACE ? { namespace: process.env.BENCH_KAFKA_NAMESPACE } : {}) })
    : new InProcessTransport()
  const auth = { secret: config.jwtSecret, issuer: BENCH_ISSUER, audience: BENCH_AUDIENCE }
  let built: Awaited<ReturnType<typeof buildService>> | undefined
  let answered = 0
  const close = async () => {
    await built?.app.close()
    await transport.close()
    await database.close()
  }
  try {
    const beforeRoutes = (app: FastifyInstance) =>
      app.addHook('onSend', async (request, reply, payload) => {
        if (reply.statusCode === okStatus && request.method === 'POST' && request.routeOptions.url === route) answered += 1
        return payload
      })
    built = await buildService({ ...definition, schema: config.schema }, { database, transport, logger, auth, beforeRoutes })
    await built.startMessaging()
  } catch (err) {
    await close().catch(() => {})
    throw err
  }
  return { app: built.app, close, created: () => answered }
}

/**
 * BENCH_GUARD_READ_MODEL_CAPACITY=0 measures the check with nothing held in memory: every check reads
 * the read model, as for a loan the instance has not judged before.
 */
function guardOptions(): { readModelCapacity?: number } {
  const raw = process.env.BENCH_GUARD_READ_MODEL_CAPACITY
  if (raw === undefined || raw === '') return {}
  const capacity = Number(raw)
  if (!Number.isInteger(capacity) || capacity < 0) throw new Error(`BENCH_GUARD_READ_MODEL_CAPACITY must be a whole number; got ${raw}`)
  return { readModelCapacity: capacity }
}

async function main(): Promise<void> {
  const config = loadServerConfig(process.argv.slice(2))
  let app: FastifyInstance
  let close: () => Promise<void>
  let created: (() => number) | undefined
  if (config.scenario === 'score') ({ app, close, created } = await scoringApp(config))
  else if (config.scenario === 'intake') ({ app, close, created } = await reliefApp(config))
  else if (isQuoteScenario(config.scenario)) ({ app, close, created } = await serviceApp(config, pricingService(), '/quotes'))
  else if (config.scenario === 'check') ({ app, close, created } = await serviceApp(config, guardService(guardOptions()), '/checks'))
  // (h) The claims service filing claims the parent seeded as drafts (test/bench/claims.ts).
  else if (config.scenario === 'claim') ({ app, close, created } = await serviceApp(config, claimsService({ deadlineIntervalMs: 0 }), '/claims/:claimId/filing', 200))
  else {
    app = config.scenario === 'bare' ? bareApp() : await kitApp(config)
    close = () => app.close()
  }
  let closing: Promise<void> | undefined
  const shutdown = () => {
    closing ??= close().then(
      () => {
        // Closed: every request received has been answered, so the count is final.
        if (created && process.connected) process.send?.({ type: 'served', created: created() } satisfies ServerMessage, () => process.exit(0))
        else process.exit(0)
      },
      () => process.exit(1),
    )
  }
  process.once('SIGTERM', shutdown)
  process.once('SIGINT', shutdown)
  // The parent died or let go of us: nobody will ever send load again.
  process.once('disconnect', shutdown)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address')
  process.send?.({ type: 'listening', port: address.port } satisfies ServerMessage)
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err)
  process.send?.({ type: 'error', message } satisfies ServerMessage, () => process.exit(1))
  if (!process.send) {
    console.error(message)
    process.exit(1)
  }
})
