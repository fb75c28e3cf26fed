import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Migration } from 'kysely/migration'
import { AppError } from './errors.js'

export type IdempotencyMode = 'required' | 'optional'

/** What an idempotent handler produces; stored and replayed as is. */
export interface IdempotentResponse {
  statusCode: number
  /** Serialized with the route's response schema for `statusCode`; omit for an empty body. */
  body?: unknown
  /** Extra headers to send and replay (e.g. `location`). */
  headers?: Record<string, string>
}

export type IdempotentWork<DB> = (tx: Transaction<DB>) => Promise<IdempotentResponse>

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * `required`: the route refuses writes without an `Idempotency-Key` (system callers that
     * retry). `optional`: a key is honoured when sent. Absent: the header is ignored.
     */
    idempotency?: IdempotencyMode
  }
  interface FastifyRequest {
    /** The validated `Idempotency-Key`, or null. */
    idempotencyKey: string | null
  }
  interface FastifyReply {
    /**
     * Runs `work` and answers with its result, at most once per (caller, route, key): in one
     * transaction it takes an advisory lock on the key, replays a stored answer, or runs `work`
     * and stores its answer. The effect and the stored answer commit together, or neither does.
     */
    idempotent<DB = any>(work: IdempotentWork<DB>): Promise<FastifyReply>
  }
}

export const IDEMPOTENCY_HEADER = 'idempotency-key'
export const REPLAYED_HEADER = 'idempotent-replayed'
export const IDEMPOTENCY_TABLE = 'kit_idempotency_keys'

/** Printable ASCII without spaces, 1–200 characters: UUIDs, ULIDs and core-banking references fit. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,200}$/

/**
 * The table, as a frozen migration services merge into their own (it lives in the service's schema;
 * `migrateSchema` hands migrations a Kysely bound to that schema). Sorted first by its name, so add
 * it from a service's first migration on. Like every migration it imports no application code.
 */
export const idempotencyMigrations: Readonly<Record<string, Migration>> = Object.freeze({
  '0000_kit_idempotency_keys': Object.freeze({
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('kit_idempotency_keys')
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('status_code', 'integer', (c) => c.notNull())
        .addColumn('response_headers', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
        .addColumn('response_body', 'text')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull())
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('kit_idempotency_keys_pkey', ['scope', 'key'])
        .execute()
      await db.schema.createIndex('kit_idempotency_keys_expires_at').on('kit_idempotency_keys').column('expires_at').execute()
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('kit_idempotency_keys').execute()
    },
  }),
})

interface StoredRow {
  fingerprint: string
  status_code: number
  response_headers: Record<string, string> | string
  response_body: string | null
  expires_at: Date | string
}

/** JSON with object keys sorted at every level, so equal bodies fingerprint equally. */
export function canonicalJson(value: unknown): string {
  // Stored fingerprints depend on this text: it must not change (a property test holds it to the
  // first, plainer implementation). Written as one string being appended to, as every write
  // request fingerprints its body; keys sort by UTF-16 code units, as `<` compares them.
  let out = ''
  const write = (v: unknown): void => {
    if (v === null || typeof v !== 'object') {
      out += JSON.stringify(v) ?? 'null'
    } else if (Array.isArray(v)) {
      out += '['
      for (let i = 0; i < v.length; i++) {
        if (i > 0) out += ','
        write(v[i])
      }
      out += ']'
    } else {
      const record = v as Record<string, unknown>
      const keys = Object.keys(record).sort()
      out += '{'
      let first = true
      for (const key of keys) {
        const item = record[key]
        if (item === undefined) continue
        if (!first) out += ','
        first = false
        out += JSON.stringify(key)
        out += ':'
        write(item)
      }
      out += '}'
    }
  }
  write(value)
  return out
}

/**
 * What "the same request" means: method, route template, path parameters and body. Parameters are
 * included so one key sent to /applications/A/decision and /applications/B/decision is caught as
 * reuse rather than replaying A's answer for B.
 */
export function requestFingerprint(request: Pick<FastifyRequest, 'method' | 'params' | 'body'> & { routeUrl: string }): string {
  const canonical = canonicalJson({ method: request.method, route: request.routeUrl, params: request.params ?? {}, body: request.body ?? null })
  return createHash('sha256').update(canonical).digest('hex')
}

/**
 * The caller's Idempotency-Key and the request's fingerprint, for a route idempotent by its own
 * records (the row it creates keeps both) rather than by a stored answer.
 * @throws AppError `idempotency_key_required` when the request carries no key
 */
export function ownIdempotency(request: Pick<FastifyRequest, 'method' | 'params' | 'body' | 'url' | 'idempotencyKey' | 'routeOptions'>): { key: string; fingerprint: string } {
  const key = request.idempotencyKey
  if (key === null) throw new AppError('idempotency_key_required')
  const routeUrl = request.routeOptions.url ?? request.url
  return { key, fingerprint: requestFingerprint({ method: request.method, params: request.params, body: request.body, routeUrl }) }
}

/** Advisory-lock class id for idempotency keys ("IDEM"); the object id is a 32-bit hash of (scope, key). */
const LOCK_CLASS = 0x4944454d

function lockObjectId(scope: string, key: string): number {
  // A collision between two different keys only makes one of them answer 409 and be retried.
  return createHash('sha256').update(scope).update('\n').update(key).digest().readInt32BE(0)
}

/** Deletes records past their expiry; returns how many. Run it periodically (the plugin can). */
export async function purgeExpiredIdempotencyKeys(db: Kysely<any>, schema: string, now: Date = new Date()): Promise<number> {
  const result = await db.withSchema(schema).deleteFrom(IDEMPOTENCY_TABLE).where('expires_at', '<', now).executeTakeFirst()
  return Number(result.numDeletedRows)
}

export interface IdempotencyOptions {
  db: Kysely<any>
  /** The service's schema, where {@link idempotencyMigrations} created the table. */
  schema: string
  /**
   * Runs each transaction of an idempotent write (the service's outbox wakes its relay once the
   * transaction has committed, see `Outbox.afterCommit`); default: runs it as it is.
   */
  aroundTransaction?: <T>(transaction: () => Promise<T>) => Promise<T>
  /** How long an answer is replayable; default 24 hours (callers retry for hours, not days). */
  ttlMs?: number
  /** How often expired records are purged; 0 disables; default hourly. */
  purgeIntervalMs?: number
  now?: () => Date
}

function headerValue(request: FastifyRequest): string | undefined {
  const raw = request.headers[IDEMPOTENCY_HEADER]
  return Array.isArray(raw) ? raw[0] : raw
}

function invalidKey(message: string): AppError {
  return new AppError('validation_failed', `Invalid /headers/idempotency-key: ${message}`, {
    extra: { errors: [{ field: '/headers/idempotency-key', message }] },
  })
}

/** The stored answer for (scope, key), as committed now. */
function storedAnswer(db: Kysely<any>, schema: string, scope: string, key: string): Promise<StoredRow | undefined> {
  return db
    .withSchema(schema)
    .selectFrom(IDEMPOTENCY_TABLE)
    .select(['fingerprint', 'status_code', 'response_headers', 'response_body', 'expires_at'])
    .where('scope', '=', scope)
    .where('key', '=', key)
    .executeTakeFirst() as Promise<StoredRow | undefined>
}

function parseStoredHeaders(value: StoredRow['response_headers']): Record<string, string> {
  return typeof value === 'string' ? (JSON.parse(value) as Record<string, string>) : value
}

/**
 * `Idempotency-Key` handling: validates the header `onRequest` (after authentication, before the
 * body is read) and decorates `reply.idempotent`.
 */
export const idempotencyPlugin = fp<IdempotencyOptions>(
  async (app: FastifyInstance, options) => {
    const { db, schema } = options
    const around = options.aroundTransaction ?? (<T>(transaction: () => Promise<T>) => transaction())
    const ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000
    const now = options.now ?? (() => new Date())

    app.decorateRequest('idempotencyKey', null)

    app.addHook('onRequest', async (request) => {
      const mode = request.routeOptions.config.idempotency
      if (mode === undefined || request.is404) return
      const key = headerValue(request)
      if (key === undefined) {
        if (mode === 'required') {
          throw new AppError('idempotency_key_required', 'This write needs an Idempotency-Key header; reuse it when retrying')
        }
        return
      }
      if (!IDEMPOTENCY_KEY_PATTERN.test(key)) throw invalidKey('must be 1-200 printable ASCII characters without spaces')
      request.idempotencyKey = key
    })

    async function send(reply: FastifyReply, statusCode: number, headers: Record<string, string>, payload: string | null) {
      reply.code(statusCode).headers(headers)
      if (payload === null) return reply.send()
      return reply.type('application/json; charset=utf-8').send(payload)
    }

    /** Serializes with the route's response schema, so the stored answer is exactly what was sent. */
    function serialize(reply: FastifyReply, result: IdempotentResponse): string | null {
      if (result.body === undefined) return null
      reply.code(result.statusCode)
      const payload = reply.serialize(result.body)
      return typeof payload === 'string' ? payload : Buffer.from(payload as ArrayBuffer).toString('utf8')
    }

    app.decorateReply('idempotent', async function idempotent(this: FastifyReply, work: IdempotentWork<any>) {
      const reply = this
      const request = reply.request
      const key = request.idempotencyKey
      if (key === null) {
        if (request.routeOptions.config.idempotency === 'required') throw new AppError('idempotency_key_required')
        const result = await around(() => db.transaction().setIsolationLevel('read committed').execute((tx) => work(tx.withSchema(schema))))
        return send(reply, result.statusCode, result.headers ?? {}, serialize(reply, result))
      }

      const routeUrl = request.routeOptions.url ?? request.url
      const scope = `${request.principalOrNull?.subject ?? 'anonymous'} ${request.method} ${routeUrl}`
      const fingerprint = requestFingerprint({ method: request.method, params: request.params, body: request.body, routeUrl })

      type Outcome = { replayed: boolean; statusCode: number; headers: Record<string, string>; payload: string | null }
      const lockId = lockObjectId(scope, key)
      const replayOf = (stored: StoredRow): Outcome => {
        if (stored.fingerprint !== fingerprint) {
          throw new AppError('idempotency_key_reused', 'This Idempotency-Key was used for a different request; use a new key')
        }
        return { replayed: true, statusCode: stored.status_code, headers: parseStoredHeaders(stored.response_headers), payload: stored.response_body }
      }
      const live = (stored: StoredRow | undefined, at: Date): stored is StoredRow => stored !== undefined && new Date(stored.expires_at).getTime() > at.getTime()

      let outcome: Outcome
      try {
        // READ COMMITTED: each statement sees what committed before it started.
        outcome = await around(() =>
          db
            .transaction()
            .setIsolationLevel('read committed')
            .execute(async (tx): Promise<Outcome> => {
            // One round trip: the lock on the key and the stored answer. The lookup's snapshot is
            // taken before the lock, so a duplicate that commits in between is not seen here; it
            // is caught at the end (the primary key, or the work's own constraints) and answered
            // with its stored answer below.
            const { rows } = await sql<{ locked: boolean } & Partial<StoredRow>>`
              select l.locked, k.fingerprint, k.status_code, k.response_headers, k.response_body, k.expires_at
              from (select pg_try_advisory_xact_lock(${LOCK_CLASS}::int4, ${lockId}::int4) as locked) as l
              left join ${sql.table(`${schema}.${IDEMPOTENCY_TABLE}`)} as k on l.locked and k.scope = ${scope} and k.key = ${key}`.execute(tx)
            const found = rows[0]
            if (found?.locked !== true) {
              throw new AppError('idempotency_in_progress', 'A request with this Idempotency-Key is still being processed; retry later', {
                headers: { 'retry-after': '1' },
              })
            }
            const stored = found.fingerprint == null ? undefined : (found as StoredRow)
            const at = now()
            if (live(stored, at)) return replayOf(stored)
            if (stored) {
              // Expired but not yet purged: the key is free again.
              await tx.withSchema(schema).deleteFrom(IDEMPOTENCY_TABLE).where('scope', '=', scope).where('key', '=', key).execute()
            }
            // The work gets the transaction bound to the service's schema, as its own queries are.
            const result = await work(tx.withSchema(schema))
            const headers = result.headers ?? {}
            const payload = serialize(reply, result)
            await tx
              .withSchema(schema)
              .insertInto(IDEMPOTENCY_TABLE)
              .values({
                scope,
                key,
                fingerprint,
                status_code: result.statusCode,
                response_headers: JSON.stringify(headers),
                response_body: payload,
                created_at: at,
                expires_at: new Date(at.getTime() + ttlMs),
              })
              .execute()
            return { replayed: false, statusCode: result.statusCode, headers, payload }
          }),
        )
      } catch (error: unknown) {
        if (error instanceof AppError && error.code.startsWith('idempotency_')) throw error
        // The work failed or the key's row was taken: if a duplicate committed its answer meanwhile
        // (the window described above), that answer is the answer to this request too.
        const stored = (await storedAnswer(db, schema, scope, key).catch(() => undefined)) as StoredRow | undefined
        if (live(stored, now())) outcome = replayOf(stored)
        else {
          // Only that key's constraint: a unique violation in the route's own work is the route's error.
          const pg = error as { code?: unknown; constraint?: unknown }
          if (pg.code === '23505' && pg.constraint === 'kit_idempotency_keys_pkey') throw new AppError('idempotency_in_progress', undefined, { cause: error })
          throw error
        }
      }

      if (outcome.replayed) reply.header(REPLAYED_HEADER, 'true')
      return send(reply, outcome.statusCode, outcome.headers, outcome.payload)
    })

    const purgeIntervalMs = options.purgeIntervalMs ?? 60 * 60 * 1000
    if (purgeIntervalMs > 0) {
      const timer = setInterval(() => {
        purgeExpiredIdempotencyKeys(db, schema, now()).catch((err: unknown) => app.log.warn({ err }, 'idempotency purge failed'))
      }, purgeIntervalMs)
      timer.unref()
      app.addHook('onClose', async () => clearInterval(timer))
    }
  },
  { name: '@sme/kit/idempotency', fastify: '5.x', dependencies: ['@sme/kit/auth'] },
)
