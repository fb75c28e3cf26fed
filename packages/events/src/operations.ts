import { sql, type Kysely } from 'kysely'
import type { Database } from '@sme/data'
import { dlqTopic } from './catalogue.js'
import { outboxChannel, type EventTables } from './outbox.js'
import type { ReceivedMessage, Transport } from './transport.js'

/**
 * An outbox event the broker refused as such, kept for an operator: identified by its id, never by
 * its key or payload (a key may be a firm's USCC, which stays out of operators' terminals and logs).
 */
export interface DeadEvent {
  seq: string
  eventId: string
  eventType: string
  topic: string
  createdAt: string
  deadAt: string
  attempts: number
  /** The broker's refusal, as the relay recorded it. */
  lastError: string | null
  /** Size of the payload as sent, in bytes: what a refusal for size is about. */
  payloadBytes: number
}

/** The dead events of a service's outbox, oldest first. */
export async function listDeadEvents(database: Database<any>, schema: string, options: { limit?: number } = {}): Promise<DeadEvent[]> {
  const rows = await (database.db.withSchema(schema) as Kysely<EventTables>)
    .selectFrom('outbox')
    .select(['seq', 'event_id', 'event_type', 'topic', 'created_at', 'dead_at', 'attempts', 'last_error'])
    .select(sql<number>`octet_length(payload::text)`.as('payload_bytes'))
    .where('dead_at', 'is not', null)
    .orderBy('seq')
    .limit(options.limit ?? 1_000)
    .execute()
  return rows.map((r) => ({
    seq: String(r.seq),
    eventId: r.event_id,
    eventType: r.event_type,
    topic: r.topic,
    createdAt: new Date(r.created_at).toISOString(),
    deadAt: new Date(r.dead_at!).toISOString(),
    attempts: r.attempts,
    lastError: r.last_error,
    payloadBytes: Number(r.payload_bytes),
  }))
}

/**
 * Gives dead events back to the relay (after the cause is mended: the broker's `message.max.bytes`
 * raised, the topic created): they are pending again, and any relay listening is woken. The refusal
 * stays in `last_error` until the event goes out. Each event keeps its id, so a consumer that had it
 * already has no second effect. `eventIds` absent: every dead event of the schema.
 */
export async function resendDeadEvents(database: Database<any>, schema: string, options: { eventIds?: readonly string[] } = {}): Promise<number> {
  if (options.eventIds?.length === 0) return 0
  const db = database.db.withSchema(schema) as Kysely<EventTables>
  const result = await db.transaction().execute(async (tx) => {
    let update = tx.updateTable('outbox').set({ dead_at: null, lease_until: null, attempts: 0 }).where('dead_at', 'is not', null)
    if (options.eventIds) update = update.where('event_id', 'in', [...options.eventIds])
    const done = await update.executeTakeFirst()
    await sql`select pg_notify(${outboxChannel(schema)}, '')`.execute(tx)
    return done
  })
  return Number(result.numUpdatedRows)
}

export interface DlqReplayOptions {
  /** The topic whose dead letters are replayed (its DLQ is `<topic>.dlq`). */
  topic: string
  /** Only messages dead-lettered by this consumer (the `dlq_consumer` header); others are left for another replay. */
  consumer?: string
  /** Counts and lists what would be replayed, publishing nothing (and committing no position). */
  dryRun?: boolean
  /** The replay ends when no message has arrived for this long after joining. Default 5 s. */
  idleMs?: number
  /** Called for each message replayed (or that would be): its event id, never its key or value (a key may be a USCC). */
  onMessage?: (message: { eventId: string | undefined; consumer: string | undefined; error: string | undefined; offset: string }) => void
}

/** Kafka headers the consumer adds when it dead-letters: removed on replay, the rest (CloudEvents, trace) kept. */
const DLQ_HEADER = /^dlq_/

/**
 * Sends the messages of `<topic>.dlq` back to `<topic>` with their original key, value and
 * headers, once the cause of the failures is mended. Safe to repeat: every consumer records event
 * ids in its inbox, so a consumer that processed the event already (another group, or this one on a
 * first replay) skips it. The DLQ is read with a consumer group of the replay's own (per topic and
 * consumer filter), so each dead letter is replayed once per filter; a dry run reads with a group
 * that commits nothing anyone reuses.
 */
export async function replayDeadLetters(transport: Transport, options: DlqReplayOptions): Promise<{ replayed: number; skipped: number }> {
  const source = dlqTopic(options.topic)
  const groupId = options.dryRun
    ? `ops.dlq-dry-run.${options.topic}.${process.pid}.${Date.now()}`
    : `ops.dlq-replay.${options.topic}${options.consumer ? `.${options.consumer}` : ''}`
  const idleMs = options.idleMs ?? 5_000
  let replayed = 0
  let skipped = 0
  let lastActivity = Date.now()
  const subscription = await transport.subscribe({
    groupId,
    topics: [source],
    fromBeginning: true,
    handle: async (message: ReceivedMessage) => {
      lastActivity = Date.now()
      const consumer = message.headers.dlq_consumer
      if (options.consumer && consumer !== options.consumer) {
        skipped++
        return
      }
      options.onMessage?.({ eventId: message.headers.ce_id, consumer, error: message.headers.dlq_error?.slice(0, 500), offset: message.offset })
      if (!options.dryRun) {
        const headers = Object.fromEntries(Object.entries(message.headers).filter(([name]) => !DLQ_HEADER.test(name)))
        await transport.publish([{ topic: options.topic, key: message.key, value: message.value, headers }])
      }
      replayed++
    },
  })
  try {
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (Date.now() - lastActivity >= idleMs) {
          clearInterval(timer)
          resolve()
        }
      }, Math.min(250, idleMs))
    })
  } finally {
    await subscription.stop()
  }
  return { replayed, skipped }
}
