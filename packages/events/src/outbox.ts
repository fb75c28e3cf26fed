import { sql, type Generated, type Kysely, type Selectable, type Transaction } from 'kysely'
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
 */
export class Outbox {
  readonly #catalogue: EventCatalogue
  readonly #source: string
  readonly #channel: string

  constructor(options: { catalogue: EventCatalogue; source: string; schema: string }) {
    this.#catalogue = options.catalogue
    this.#source = options.source
    this.#channel = outboxChannel(options.schema)
  }

  /** Validates `data` against the event's schema (a bad event never leaves the service) and stores it. */
  async enqueue<S extends TSchema>(
    tx: Transaction<any>,
    definition: EventDefinition<S>,
    data: Static<S>,
    options: EnqueueOptions = {},
  ): Promise<CloudEvent<Static<S>>> {
    this.#catalogue.validate(definition.type, data)
    const event = newEvent({ source: this.#source, type: definition.type, data, ...options })
    const key = definition.keyOf(data)
    await (tx as Transaction<EventTables>)
      .insertInto('outbox')
      .values({
        event_id: event.id,
        topic: definition.topic,
        message_key: key,
        event_type: definition.type,
        headers: JSON.stringify(eventHeaders(event)) as never,
        payload: JSON.stringify(data) as never,
      })
      .execute()
    // Delivered at commit, and only if the transaction commits: wakes the relay without polling.
    await sql`select pg_notify(${this.#channel}, '')`.execute(tx)
    return event
  }
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
