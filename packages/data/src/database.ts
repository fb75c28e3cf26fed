import { Kysely, PostgresDialect, PGliteDialect, sql } from 'kysely'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'

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
  /** Subscribes to NOTIFY on `channel`; resolves once listening; the returned function unsubscribes. */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>
  /** True when a trivial query succeeds within the driver's timeouts. */
  ping(): Promise<boolean>
  close(): Promise<void>
}

export interface PostgresOptions {
  connectionString: string
  /** Pool size; keep it small per instance: instances scale out, connections do not. */
  maxConnections?: number
  applicationName?: string
  /** Milliseconds a statement may run before PostgreSQL cancels it. */
  statementTimeoutMs?: number
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

export function createPostgresDatabase<DB>(options: PostgresOptions): Database<DB> {
  const pool = new pg.Pool({
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
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
  const listeners = new Set<pg.Client>()

  return {
    kind: 'postgres',
    db,
    async listen(channel, onNotify) {
      // LISTEN needs a session of its own: a pooled connection would be handed to other queries.
      const client = new pg.Client({ connectionString: options.connectionString, types: pgTypes() })
      client.on('error', () => {})
      client.on('notification', (msg) => {
        if (msg.channel === channel) onNotify()
      })
      await client.connect()
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`)
      listeners.add(client)
      return async () => {
        listeners.delete(client)
        await client.end().catch(() => {})
      }
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
      await Promise.all([...listeners].map((c) => c.end().catch(() => {})))
      listeners.clear()
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
    async listen(channel, onNotify) {
      const unlisten = await pglite.listen(channel, () => onNotify())
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
export async function openDatabase<DB>(options: { url?: string | undefined; dataDir?: string | undefined; maxConnections?: number }): Promise<Database<DB>> {
  if (options.url) {
    return createPostgresDatabase<DB>({ connectionString: options.url, ...(options.maxConnections ? { maxConnections: options.maxConnections } : {}) })
  }
  return createPgliteDatabase<DB>(options.dataDir ? { dataDir: options.dataDir } : {})
}
