import Type from 'typebox'
import { sql, type Database, type Migrations } from '@sme/data'
import { uniqueName, testLogger } from '@sme/testing'
import { defineEvent, EventCatalogue, EventConsumer, eventMigrations, InProcessTransport, Outbox, OutboxRelay, UndeliverableMessageError, type Transport } from '../src/index.js'
import type { TransportMessage } from '../src/envelope.js'

/** A small event family used only by these tests: widgets counted per key, with a poison flag. */
export function widgetEvents() {
  const topic = `${uniqueName('t').replace('_', '')}.widgets.v1`
  const WidgetCounted = defineEvent({
    type: 'test.widget.counted.v1',
    topic,
    summary: 'A widget was counted',
    keyDescription: 'the widget owner',
    schema: Type.Object({ owner: Type.String({ minLength: 1 }), n: Type.Integer({ minimum: 0 }), poison: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
    keyOf: (d) => d.owner,
  })
  return { topic, WidgetCounted, catalogue: new EventCatalogue([WidgetCounted]) }
}

/** The events package's tables plus a table the consumer's effects go to. */
export const testMigrations: Migrations = {
  ...eventMigrations,
  '0100_effects': {
    async up(db) {
      await db.schema
        .createTable('effects')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .execute()
    },
  },
}

export interface Pipeline {
  outbox: Outbox
  relay: OutboxRelay
  consumer: EventConsumer
  /** Writes `count` events for `owner` (n = from..from+count-1), one transaction each. */
  write(owner: string, from: number, count: number, extra?: { poison?: boolean }): Promise<void>
  effects(): Promise<{ total: number; distinct: number }>
  stop(): Promise<void>
}

export async function pipeline(options: { database: Database<any>; schema: string; transport: Transport; maxAttempts?: number }): Promise<Pipeline & ReturnType<typeof widgetEvents>> {
  const events = widgetEvents()
  const logger = testLogger()
  const { database, schema, transport } = options
  const db = database.db.withSchema(schema)
  await transport.ensureTopics([events.topic, `${events.topic}.dlq`])
  const outbox = new Outbox({ catalogue: events.catalogue, source: '/test', schema })
  const relay = new OutboxRelay({ database, schema, transport, logger, pollIntervalMs: 200 })
  const consumer = new EventConsumer({
    name: uniqueName('group'),
    database,
    schema,
    transport,
    catalogue: events.catalogue,
    logger,
    topics: [events.topic],
    maxAttempts: options.maxAttempts ?? 3,
    retryDelayMs: 20,
    handlers: {
      [events.WidgetCounted.type]: async (event, { tx }) => {
        if (event.data.poison) throw new Error(`poison widget ${event.data.n}`)
        await tx.insertInto('effects').values({ event_id: event.id, owner: event.data.owner, n: event.data.n }).execute()
      },
    },
  })
  await relay.start()
  await consumer.start()
  return {
    ...events,
    outbox,
    relay,
    consumer,
    async write(owner, from, count, extra = {}) {
      for (let n = from; n < from + count; n++) {
        await db.transaction().execute((tx) => outbox.enqueue(tx, events.WidgetCounted, { owner, n, ...extra }))
      }
    },
    async effects() {
      const row = await sql<{ total: string; distinct: string }>`select count(*) as total, count(distinct event_id) as distinct from ${sql.table(`${schema}.effects`)}`.execute(database.db)
      return { total: Number(row.rows[0]!.total), distinct: Number(row.rows[0]!.distinct) }
    },
    async stop() {
      await consumer.stop()
      await relay.stop()
    },
  }
}

/**
 * The in-process broker behind switches a test turns: `down` (every publication fails as an outage
 * would), or refusing one owner's events as such (as a broker refuses a record over its size limit).
 */
export class FaultyBroker extends InProcessTransport {
  down = false
  attempts = 0
  refuseOwner: string | undefined
  override async publish(messages: readonly TransportMessage[]): Promise<void> {
    this.attempts++
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:9092')
    if (messages.some((m) => m.key === this.refuseOwner)) throw new UndeliverableMessageError('the broker refused the messages: MESSAGE_TOO_LARGE')
    await super.publish(messages)
  }
}
