import { AsyncLocalStorage } from 'node:async_hooks'
import { reusableStatement, type ReusableStatement } from '@sme/data'
import { sql, type Generated, type Kysely, type QueryCreator, type Selectable, type Transaction } from 'kysely'
import type { Static, TSchema } from 'typebox'
import type { EventCatalogue, EventDefinition } from './catalogue.js'
import { eventHeaders, newEvent, type CloudEvent } from './envelope.js'

/** Rows of the outbox table (one per event waiting for, or done with, publication). */
export interface OutboxTable {
  seq: Generated<bigint>
  event_id: string
  topic: string
  message_key: string | null
  event_type: string
  headers: Record<string, string>
  payload: unknown
  created_at: Generated<Date>
  attempts: Generated<number>
  lease_until: Date | null
  published_at: Date | null
  dead_at: Date | null
  last_error: string | null
}

export type OutboxRow = Selectable<OutboxTable>

export interface InboxTable {
  consumer: string
  event_id: string
  event_type: string
  topic: string
  received_at: Generated<Date>
}

/** Tables this package keeps in a service's schema; a service's DB type extends this. */
export interface EventTables {
  outbox: OutboxTable
  inbox: InboxTable
}

export function outboxChannel(schema: string): string {
  return `outbox_${schema}`
}

export interface EnqueueOptions {
  subject?: string | undefined
  /** The W3C trace context of the request that caused the event. */
  traceparent?: string | undefined
  tracestate?: string | undefined
}

/**
 * Writes events to the service's outbox inside the caller's transaction: the event exists if and
 * only if the change that caused it committed. The relay publishes it later.
 *
 * How the relay learns of new events. With no relay in this process, each write carries
 * `pg_notify` (delivered at commit, only if the transaction commits) to wake relays listening
 * elsewhere. With this process's relay attached ({@link attachRelay}), writes carry no notification:
 * NOTIFY takes a database-wide lock at commit, which serialises every committing transaction that
 * sent one (measured on a one-row INSERT + outbox route: about 40 % of its throughput). Instead the
 * transaction runs inside {@link afterCommit}, which wakes the local relay once it has committed,
 * if it wrote an event; a write outside such a scope wakes the relay by a timer shortly after; and
 * the relay still polls. Every instance of a service runs a relay, so each wakes for its own
 * instance's writes, and any relay publishes any instance's events.
 */
export class Outbox {
  readonly #catalogue: EventCatalogue
  readonly #source: string
  readonly #channel: string
  readonly #fallbackWakeMs: number
  readonly #scope = new AsyncLocalStorage<{ wrote: boolean }>()
  readonly #insert: { readonly silent: ReusableStatement<OutboxInsert, unknown>; readonly notifying: ReusableStatement<OutboxInsert, unknown> }
  #relay: (() => void) | undefined
  #fallback: ReturnType<typeof setTimeout> | undefined

  /**
   * @param options.fallbackWakeMs after a write outside {@link afterCommit} with a local relay
   *   attached, wake the relay this soon (default 50 ms)
   */
  constructor(options: { catalogue: EventCatalogue; source: string; schema: string; fallbackWakeMs?: number }) {
    this.#catalogue = options.catalogue
    this.#source = options.source
    this.#channel = outboxChannel(options.schema)
    this.#fallbackWakeMs = options.fallbackWakeMs ?? 50
    this.#insert = outboxInserts(options.schema)
  }

  /**
   * This process's relay, to be woken after this process's writes commit (they then need no
   * NOTIFY). Returns the function that detaches it (when the relay stops: writes notify again).
   */
  attachRelay(wake: () => void): () => void {
    this.#relay = wake
    return () => {
      if (this.#relay !== wake) return
      this.#relay = undefined
      if (this.#fallback !== undefined) clearTimeout(this.#fallback)
      this.#fallback = undefined
    }
  }

  /**
   * Runs `work` (a transaction, or a single statement, that may write events) and, once it has
   * settled, wakes the local relay if it wrote any. (Woken after a rollback, the relay finds
   * nothing new: harmless, and `work` may have committed a part before it failed.)
   */
  async afterCommit<T>(work: () => Promise<T>): Promise<T> {
    const scope = { wrote: false }
    try {
      return await this.#scope.run(scope, work)
    } finally {
      if (scope.wrote) this.#relay?.()
    }
  }

  /** Validates `data` against the event's schema (a bad event never leaves the service) and stores it. */
  async enqueue<S extends TSchema>(
    tx: Transaction<any>,
    definition: EventDefinition<S>,
    data: Static<S>,
    options: EnqueueOptions = {},
  ): Promise<CloudEvent<Static<S>>> {
    const { event, row, channel, notify } = this.prepare(definition, data, options)
    // One round trip either way: with a notification, it is delivered at commit (only if it commits).
    await (notify ? this.#insert.notifying : this.#insert.silent).execute(tx, Object.assign({ channel }, row))
    return event
  }

  /**
   * What {@link enqueue} writes, without writing it: for a caller whose change and event go into
   * the database in one statement of its own (a data-modifying CTE), so that no transaction and no
   * second round trip is needed. The caller must insert `row` into `outbox` in that statement, with
   * `pg_notify(channel, '')` when `notify` says so, and do neither if its change is not made; and
   * prepare and run the statement inside {@link afterCommit}.
   */
  prepare<S extends TSchema>(definition: EventDefinition<S>, data: Static<S>, options: EnqueueOptions = {}): PreparedEvent<Static<S>> {
    this.#catalogue.validate(definition.type, data)
    const event = newEvent({ source: this.#source, type: definition.type, data, ...options })
    return {
      event,
      row: {
        event_id: event.id,
        topic: definition.topic,
        message_key: definition.keyOf(data),
        event_type: definition.type,
        headers: JSON.stringify(eventHeaders(event)),
        payload: JSON.stringify(data),
      },
      channel: this.#channel,
      notify: this.#announce(),
    }
  }

  /** Whether the write being prepared must notify; if not, how the local relay will be woken. */
  #announce(): boolean {
    if (this.#relay === undefined) return true
    const scope = this.#scope.getStore()
    if (scope !== undefined) {
      scope.wrote = true
      return false
    }
    this.#fallback ??= setTimeout(() => {
      this.#fallback = undefined
      this.#relay?.()
    }, this.#fallbackWakeMs).unref()
    return false
  }
}

/** The values of one outbox row, as {@link Outbox.enqueue} writes it. */
type OutboxInsert = PreparedEvent<unknown>['row'] & { channel: string }

/**
 * The outbox's INSERT, with and without its notification, compiled once for the schema: every
 * write of every service that stores an event runs it, and building and compiling it with Kysely on
 * each call cost more CPU than PostgreSQL spends on the row (see `reusableStatement`).
 */
function outboxInserts(schema: string): { silent: ReusableStatement<OutboxInsert, unknown>; notifying: ReusableStatement<OutboxInsert, unknown> } {
  const row = (v: OutboxInsert) => ({
    event_id: v.event_id,
    topic: v.topic,
    message_key: v.message_key,
    event_type: v.event_type,
    // JSON text, cast where PostgreSQL receives it
    headers: sql<Record<string, string>>`${v.headers}::jsonb`,
    payload: sql`${v.payload}::jsonb`,
  })
  return {
    silent: reusableStatement<OutboxInsert, unknown>(schema, (db: Kysely<EventTables>, v) => db.insertInto('outbox').values(row(v))),
    notifying: reusableStatement<OutboxInsert, unknown>(schema, (db: Kysely<EventTables>, v) =>
      db
        .with('enqueued', (db) => db.insertInto('outbox').values(row(v)).returning('event_id'))
        .selectFrom('enqueued')
        .select(sql`pg_notify(${v.channel}, '')`.as('notified')),
    ),
  }
}

/** An event ready for the outbox (see {@link Outbox.prepare}); `headers` and `payload` are JSON text. */
export interface PreparedEvent<T> {
  event: CloudEvent<T>
  row: { event_id: string; topic: string; message_key: string | null; event_type: string; headers: string; payload: string }
  /** The relay's notification channel. */
  channel: string
  /** Whether the statement must call `pg_notify(channel, '')` (no relay in this process). */
  notify: boolean
}

/**
 * The outbox INSERT of a prepared event inside a data-modifying CTE (see {@link Outbox.prepare}):
 * one outbox row for each row of `source`, the CTE holding the change, so the event is written only
 * when the change is. `v` holds the statement's values (markers under `reusableStatement`).
 */
export function insertOutboxRowFrom(db: QueryCreator<any>, source: string, v: PreparedEvent<unknown>['row']) {
  return db
    .insertInto('outbox')
    .columns(['event_id', 'topic', 'message_key', 'event_type', 'headers', 'payload'])
    .expression((eb) =>
      eb
        .selectFrom(source)
        .select([
          sql<string>`${v.event_id}::uuid`.as('event_id'),
          sql<string>`${v.topic}::text`.as('topic'),
          sql<string>`${v.message_key}::text`.as('message_key'),
          sql<string>`${v.event_type}::text`.as('event_type'),
          sql`${v.headers}::jsonb`.as('headers'),
          sql`${v.payload}::jsonb`.as('payload'),
        ]),
    )
}

/** Pending events and the age of the oldest, for metrics and readiness. */
export async function outboxBacklog(db: Kysely<any>): Promise<{ pending: number; oldestAgeSeconds: number; dead: number }> {
  const row = await (db as Kysely<EventTables>)
    .selectFrom('outbox')
    .select([
      sql<string>`count(*) filter (where published_at is null and dead_at is null)`.as('pending'),
      sql<string>`count(*) filter (where dead_at is not null)`.as('dead'),
      sql<string | null>`extract(epoch from now() - min(created_at) filter (where published_at is null and dead_at is null))`.as('age'),
    ])
    .executeTakeFirstOrThrow()
  return { pending: Number(row.pending), dead: Number(row.dead), oldestAgeSeconds: row.age === null ? 0 : Number(row.age) }
}

/** Events waiting to be published, counted on the pending rows' partial index (cheap enough to read every second). */
export async function outboxPending(db: Kysely<any>): Promise<number> {
  const row = await (db as Kysely<EventTables>)
    .selectFrom('outbox')
    .select(sql<string>`count(*)`.as('pending'))
    .where('published_at', 'is', null)
    .where('dead_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.pending)
}

/** The outbox columns a relation must have for {@link insertOutboxRowsFrom}, named as in `outbox`. */
export const OUTBOX_ROW_COLUMNS = ['event_id', 'topic', 'message_key', 'event_type', 'headers', 'payload'] as const

/**
 * The outbox INSERT of many prepared events inside a data-modifying CTE: one outbox row for each row
 * of `source`, a relation with the {@link OUTBOX_ROW_COLUMNS} (uuid, text, text, text, jsonb, jsonb),
 * typically the changes a batch made joined with their events, so each event is written only when
 * its change is.
 */
export function insertOutboxRowsFrom(db: QueryCreator<any>, source: string) {
  return db
    .insertInto('outbox')
    .columns([...OUTBOX_ROW_COLUMNS])
    .expression((eb) => eb.selectFrom(source).select([...OUTBOX_ROW_COLUMNS]))
}
