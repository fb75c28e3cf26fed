import { Kysely, PostgresDialect, PGliteDialect, sql } from 'kysely'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { bulkOnPglite, bulkOnPool, type BulkOptions, type BulkSession } from './bulk.js'
import { preparedStatementName } from './statements.js'

/** PostgreSQL type OIDs whose default text parsing would lose meaning. */
const INT8_OID = 20
const DATE_OID = 1082

/**
 * A database and what the platform needs beyond queries: notifications (the outbox relay wakes on
 * them), a cheap liveness probe (readiness) and closing. The same interface covers a PostgreSQL pool
 * and an embedded PGlite instance, so services never learn which one they run on.
 */
export interface Database<DB = unknown> {
  readonly kind: 'postgres' | 'pglite'
  readonly db: Kysely<DB>
  /**
   * Subscribes to NOTIFY on `channel`; resolves once listening; the returned function unsubscribes.
   * A session lost (the server restarted) is reopened by itself, with backoff; `onState` hears each
   * change (false when lost, true when listening again). `onNotify` hears each notification's payload,
   * and is called once without one on every reconnection: notifications sent in between were lost
   * with the session.
   */
  listen(channel: string, onNotify: (payload?: string) => void, onState?: (listening: boolean) => void): Promise<() => Promise<void>>
  /** True when a trivial query succeeds within the driver's timeouts. */
  ping(): Promise<boolean>
  /** The pool's load now (all 0 but `max` for PGlite, which has no pool). */
  load(): PoolLoad
  /** Runs `work` in one transaction on one connection, with COPY in and out (see {@link BulkSession}). */
  bulk<T>(work: (session: BulkSession) => Promise<T>, options?: BulkOptions): Promise<T>
  close(): Promise<void>
}

export interface PoolLoad {
  /** Connections checked out. */
  inUse: number
  /** Callers waiting for a connection. */
  waiting: number
  /** How long the caller first in line has waited, in ms (0 when nobody waits): the pool's queueing delay. */
  oldestWaitMs: number
  max: number
}

export interface PostgresOptions {
  connectionString: string
  /** Pool size; keep it small per instance: instances scale out, connections do not. */
  maxConnections?: number
  applicationName?: string
  /** Milliseconds a statement may run before PostgreSQL cancels it. */
  statementTimeoutMs?: number
  /**
   * Run hot-path statements as named prepared statements (default true). False for a connection
   * pooler in transaction mode that cannot follow them (PgBouncer before 1.21, or without
   * `max_prepared_statements`).
   */
  preparedStatements?: boolean
}

/**
 * int8 (bigint) columns come back from pg as strings by default. Money is integer fen in bigint
 * columns, so parse them to `bigint` here, once, for every pool — never to `number`.
 */
function pgTypes(): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: string) => {
      if (oid === INT8_OID) return (value: string) => BigInt(value)
      // A calendar date stays a 'YYYY-MM-DD' string: a JS Date would shift it by the host's time zone.
      if (oid === DATE_OID) return (value: string) => value
      return pg.types.getTypeParser(oid, format as 'text')
    }) as pg.CustomTypesConfig['getTypeParser'],
  }
}

/**
 * A pg client that runs reusable statements (`reusableStatement`) as named prepared statements: pg
 * sends Parse once per connection and only Bind/Execute afterwards. Everything else is sent as
 * before, unnamed (parsed on each run), as Kysely sends it.
 */
class PreparingClient extends pg.Client {
  // pg's `query` has a dozen overloads; this forwards them all and changes only Kysely's form
  // `query(text, values)` when the text is a reusable statement's.
  override query(...args: unknown[]): any {
    const [text, values] = args
    if (args.length === 2 && typeof text === 'string' && Array.isArray(values)) {
      const name = preparedStatementName(text)
      if (name !== undefined) return super.query({ name, text, values })
    }
    return Reflect.apply(super.query, this, args)
  }
}

export function createPostgresDatabase<DB>(options: PostgresOptions): Database<DB> {
  const Client = options.preparedStatements === false ? pg.Client : PreparingClient
  const pool = new pg.Pool({
    Client,
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? 'sme-relief',
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    connectionTimeoutMillis: 5_000,
    types: pgTypes(),
  })
  // An idle client that loses its server (Postgres restart) emits 'error' on the pool; without a
  // listener that would crash the process. The next checkout reconnects.
  pool.on('error', () => {})
  // A client checked out but between queries (a transaction waiting on the application, say) has no
  // listener at all: pg-pool removes its own on checkout, and the 'error' of a connection that
  // PostgreSQL closed (restart, failover, an administrator's terminate) would end the process. Each
  // client keeps a listener of its own for its whole life: the query in flight, if any, fails with
  // the error anyway, and at release the pool discards the client, which is no longer queryable.
  pool.on('connect', (client) => {
    client.on('error', () => {})
  })
  // Kysely checks connections out through this, so that the wait of each caller is known: the
  // callers waiting, oldest first (pg-pool serves them in that order).
  const waitingSince = new Set<{ at: number }>()
  const timedPool = {
    async connect() {
      const caller = { at: performance.now() }
      waitingSince.add(caller)
      try {
        return await pool.connect()
      } finally {
        waitingSince.delete(caller)
      }
    },
    end: () => pool.end(),
    // What Kysely reads to open a control connection that cancels a query.
    options: pool.options,
    Client,
  }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: timedPool }) })
  const stops = new Set<() => Promise<void>>()

  const max = options.maxConnections ?? 10
  return {
    kind: 'postgres',
    db,
    bulk: (work, bulkOptions = {}) => bulkOnPool(pool, work, bulkOptions),
    load() {
      const first = waitingSince.values().next()
      return { inUse: pool.totalCount - pool.idleCount, waiting: waitingSince.size, oldestWaitMs: first.done ? 0 : performance.now() - first.value.at, max }
    },
    async listen(channel, onNotify, onState) {
      // LISTEN needs a session of its own: a pooled connection would be handed to other queries.
      let stopped = false
      let current: pg.Client | undefined
      let retry: NodeJS.Timeout | undefined
      let attempt = 0
      const open = async (): Promise<void> => {
        const client = new pg.Client({ connectionString: options.connectionString, types: pgTypes() })
        client.on('error', () => {})
        client.on('notification', (msg) => {
          if (msg.channel === channel) onNotify(msg.payload ?? '')
        })
        client.once('end', () => {
          if (current !== client) return
          current = undefined
          onState?.(false)
          if (!stopped) reopenLater()
        })
        try {
          await client.connect()
          await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`)
        } catch (err) {
          await client.end().catch(() => {})
          throw err
        }
        if (stopped) {
          await client.end().catch(() => {})
          return
        }
        current = client
        onState?.(true)
      }
      const reopenLater = () => {
        // 0.1 s, doubling to 5 s: a restart takes seconds, and polling covers the gap meanwhile.
        const delay = Math.min(5_000, 100 * 2 ** Math.min(attempt++, 6))
        retry = setTimeout(() => {
          open().then(
            () => {
              attempt = 0
              if (!stopped) onNotify()
            },
            () => {
              if (!stopped) reopenLater()
            },
          )
        }, delay)
        retry.unref()
      }
      await open()
      const unlisten = async () => {
        stopped = true
        clearTimeout(retry)
        stops.delete(unlisten)
        const client = current
        current = undefined
        await client?.end().catch(() => {})
      }
      stops.add(unlisten)
      return unlisten
    },
    async ping() {
      try {
        await sql`select 1`.execute(db)
        return true
      } catch {
        return false
      }
    },
    async close() {
      await Promise.all([...stops].map((stop) => stop()))
      await db.destroy()
    },
  }
}

export interface PgliteOptions {
  /** A directory keeps data across restarts; omitted, the database lives in memory. */
  dataDir?: string
}

export async function createPgliteDatabase<DB>(options: PgliteOptions = {}): Promise<Database<DB>> {
  const pglite = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    parsers: { [INT8_OID]: (value: string) => BigInt(value), [DATE_OID]: (value: string) => value },
  })
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) })
  return {
    kind: 'pglite',
    db,
    bulk: (work, bulkOptions = {}) => bulkOnPglite(pglite, work, bulkOptions),
    load: () => ({ inUse: 0, waiting: 0, oldestWaitMs: 0, max: 1 }),
    async listen(channel, onNotify, onState) {
      // In process: the session cannot be lost while the database is open.
      const unlisten = await pglite.listen(channel, (payload) => onNotify(payload))
      onState?.(true)
      return async () => {
        if (!pglite.closed) await unlisten()
      }
    },
    async ping() {
      try {
        await pglite.query('select 1')
        return true
      } catch {
        return false
      }
    },
    async close() {
      await db.destroy()
      if (!pglite.closed) await pglite.close()
    },
  }
}

/** Opens PostgreSQL when a URL is given, else the embedded PGlite database. */
export async function openDatabase<DB>(options: { url?: string | undefined; dataDir?: string | undefined; maxConnections?: number; preparedStatements?: boolean }): Promise<Database<DB>> {
  if (options.url) {
    return createPostgresDatabase<DB>({
      connectionString: options.url,
      ...(options.maxConnections ? { maxConnections: options.maxConnections } : {}),
      ...(options.preparedStatements === false ? { preparedStatements: false } : {}),
    })
  }
  return createPgliteDatabase<DB>(options.dataDir ? { dataDir: options.dataDir } : {})
}

/** SQLSTATE classes and codes that mean the database is not there, rather than the statement wrong. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '53000', '58000', '58030'])
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN'])
const UNAVAILABLE_MESSAGES = [/^Connection terminated/, /^timeout exceeded when trying to connect/, /^Client has encountered a connection error and is not queryable/, /^Client was closed and is not queryable/, /the database system is (starting up|shutting down|in recovery mode)/]

/**
 * Whether `error` says the database cannot be reached (down, restarting, refusing connections, the
 * connection lost) rather than that a statement was wrong: an outage the caller should retry later
 * (HTTP 503 with Retry-After), never a fault of the request.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const { code, message } = error as { code?: unknown; message?: unknown }
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08') || UNAVAILABLE_ERRNOS.has(code))) return true
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true
  // Node wraps every refused address of a host name in one AggregateError.
  if (error instanceof AggregateError) return error.errors.length > 0 && error.errors.every(isDatabaseUnavailable)
  return false
}
