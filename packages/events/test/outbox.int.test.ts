import t, { type Test } from 'tap'
import { sql, type Database } from '@sme/data'
import { eventually, postgresSchema, testLogger } from '@sme/testing'
import { InProcessTransport, Outbox, outboxChannel, OutboxRelay, type TransportMessage } from '../src/index.js'
import { testMigrations, widgetEvents } from './fixtures.js'

/** The in-process transport, keeping what the relay hands it, batch by batch. */
class CountingTransport extends InProcessTransport {
  batches: number[] = []
  received: { owner: string; n: number }[] = []
  override async publish(messages: readonly TransportMessage[]): Promise<void> {
    await super.publish(messages)
    this.batches.push(messages.length)
    for (const m of messages) this.received.push(JSON.parse(m.value.toString()))
  }
}

async function setup(t: Test, relayOptions: { lingerMs?: number } = {}) {
  const { database, schema } = await postgresSchema(t, testMigrations, { prefix: 'ob' })
  const events = widgetEvents()
  const transport = new CountingTransport()
  const outbox = new Outbox({ catalogue: events.catalogue, source: '/test', schema })
  // Polling every minute: only the notifications can make the relay publish within a test.
  const relay = new OutboxRelay({ database, schema, transport, logger: testLogger(), pollIntervalMs: 60_000, ...relayOptions })
  await relay.start()
  t.teardown(async () => {
    await relay.stop()
    await transport.close()
  })
  return { database: database as Database<any>, db: database.db.withSchema(schema), schema, events, transport, outbox, relay, received: transport.received }
}

t.test('enqueue: the commit notifies the relay, which publishes at once', async (t) => {
  const { db, events, outbox, received } = await setup(t)
  await db.transaction().execute((tx) => outbox.enqueue(tx, events.WidgetCounted, { owner: 'a', n: 1 }))
  await eventually('published without waiting for the poll', () => received.length === 1, 10_000)
  t.same(received, [{ owner: 'a', n: 1 }])
})

t.test('a rolled-back enqueue neither stores nor notifies', async (t) => {
  const { db, events, outbox, received } = await setup(t)
  await db
    .transaction()
    .execute(async (tx) => {
      await outbox.enqueue(tx, events.WidgetCounted, { owner: 'b', n: 1 })
      throw new Error('the change failed')
    })
    .catch(() => {})
  await db.transaction().execute((tx) => outbox.enqueue(tx, events.WidgetCounted, { owner: 'b', n: 2 }))
  await eventually('the committed event', () => received.length === 1, 10_000)
  t.same(received, [{ owner: 'b', n: 2 }], 'only the committed event')
  t.equal(Number((await db.selectFrom('outbox').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n), 1)
})

t.test('prepare: the caller writes the event in a statement of its own, and it is published', async (t) => {
  const { db, events, outbox, received } = await setup(t)
  t.throws(() => outbox.prepare(events.WidgetCounted, { owner: '', n: -1 }), /owner|n/, 'validated like enqueue')
  const { event, row, channel } = outbox.prepare(events.WidgetCounted, { owner: 'c', n: 7 }, { subject: 'c' })
  t.equal(row.event_id, event.id)
  t.equal(row.message_key, 'c', 'keyed as the definition says')
  t.equal(row.topic, events.topic)
  t.same(JSON.parse(row.payload), { owner: 'c', n: 7 })
  // One statement, no transaction: the row and the notification together.
  await db
    .with('enqueued', (d) => d.insertInto('outbox').values({ ...row, headers: row.headers as never, payload: row.payload as never }).returning('event_id'))
    .selectFrom('enqueued')
    .select(sql`pg_notify(${channel}, '')`.as('notified'))
    .execute()
  await eventually('published on the notification', () => received.length === 1, 10_000)
  t.same(received, [{ owner: 'c', n: 7 }])
})

t.test('linger: events committed one by one in quick succession go out in a few batches, in order', async (t) => {
  const { db, events, outbox, received, transport } = await setup(t, { lingerMs: 200 })
  const count = 40
  for (let n = 0; n < count; n++) {
    await db.transaction().execute((tx) => outbox.enqueue(tx, events.WidgetCounted, { owner: 'd', n }))
  }
  await eventually('all published', () => received.length === count, 15_000)
  t.same(
    received.map((r) => r.n),
    Array.from({ length: count }, (_, n) => n),
    'in commit order',
  )
  t.ok(transport.batches.length < count / 4, `${transport.batches.length} batches for ${count} single-event commits (${transport.batches.join(', ')})`)
})

t.test('lingerMs 0: each notification is claimed at once', async (t) => {
  const { db, events, outbox, received, transport } = await setup(t, { lingerMs: 0 })
  for (let n = 0; n < 3; n++) {
    await db.transaction().execute((tx) => outbox.enqueue(tx, events.WidgetCounted, { owner: 'e', n }))
    await eventually(`event ${n} published before the next is written`, () => received.length === n + 1, 10_000)
  }
  t.equal(transport.batches.length, 3, 'one batch each')
})

t.test('stop() while a batch is being published does not wait for the next poll', async (t) => {
  const { database, schema } = await postgresSchema(t, testMigrations, { prefix: 'ob' })
  const events = widgetEvents()
  let release: () => void = () => {}
  let publishing: () => void = () => {}
  const inPublish = new Promise<void>((resolve) => (publishing = resolve))
  class BlockingTransport extends InProcessTransport {
    override async publish(messages: readonly TransportMessage[]): Promise<void> {
      publishing()
      await new Promise<void>((resolve) => (release = resolve))
      await super.publish(messages)
    }
  }
  const transport = new BlockingTransport()
  t.teardown(() => transport.close())
  const outbox = new Outbox({ catalogue: events.catalogue, source: '/test', schema })
  const relay = new OutboxRelay({ database, schema, transport, logger: testLogger(), pollIntervalMs: 600_000 })
  await relay.start()
  await database.db.withSchema(schema).transaction().execute((tx) => outbox.enqueue(tx, events.WidgetCounted, { owner: 'f', n: 1 }))
  await inPublish
  const stopped = relay.stop()
  release()
  // The poll is ten minutes away: stop() resolving at all within the test's timeout is the check.
  await stopped
  t.pass('stopped after the batch, without waiting for the poll')
})

t.test('with the relay attached in this process: no NOTIFY, the relay woken after the commit', async (t) => {
  const { database, db, schema, events, outbox, received, relay } = await setup(t)
  let notifications = 0
  const unlisten = await database.listen(outboxChannel(schema), () => notifications++)
  t.teardown(unlisten)
  const detach = outbox.attachRelay(() => relay.wake())

  await outbox.afterCommit(() => db.transaction().execute((tx) => outbox.enqueue(tx, events.WidgetCounted, { owner: 'w', n: 1 })))
  await eventually('published on the wake after the commit (the relay polls once a minute)', () => received.length === 1, 10_000)

  // A write outside afterCommit: the fallback timer wakes the relay shortly after.
  await db.transaction().execute((tx) => outbox.enqueue(tx, events.WidgetCounted, { owner: 'w', n: 2 }))
  await eventually('published on the fallback wake', () => received.length === 2, 10_000)

  // A rolled-back scope publishes nothing, and the next one still goes out.
  await outbox
    .afterCommit(() =>
      db.transaction().execute(async (tx) => {
        await outbox.enqueue(tx, events.WidgetCounted, { owner: 'w', n: 99 })
        throw new Error('the change failed')
      }),
    )
    .catch(() => {})
  await outbox.afterCommit(() => db.transaction().execute((tx) => outbox.enqueue(tx, events.WidgetCounted, { owner: 'w', n: 3 })))
  await eventually('the committed one', () => received.length === 3, 10_000)
  await new Promise((resolve) => setTimeout(resolve, 200))
  t.equal(notifications, 0, 'no transaction sent NOTIFY (it would serialise commits database-wide)')

  // Detached (the relay stopped here): writes notify again, for relays elsewhere.
  detach()
  await db.transaction().execute((tx) => outbox.enqueue(tx, events.WidgetCounted, { owner: 'w', n: 4 }))
  await eventually('NOTIFY again once no relay is attached', () => notifications === 1, 10_000)
  await eventually('and the listening relay publishes it', () => received.length === 4, 10_000)
  t.same(received.map((r) => r.n), [1, 2, 3, 4])
})

t.test("the relay's lease leaves each event on the page it was written to (room kept by the outbox's fillfactor)", async (t) => {
  const { database, schema } = await postgresSchema(t, testMigrations, { prefix: 'ob' })
  const db = database.db.withSchema(schema)
  const events = widgetEvents()
  const outbox = new Outbox({ catalogue: events.catalogue, source: '/test', schema })
  // Holds the batch until the test has looked: the lease is committed by then, the mark not yet.
  let release!: () => void
  const held = new Promise<void>((resolve) => (release = resolve))
  let claimed!: () => void
  const publishing = new Promise<void>((resolve) => (claimed = resolve))
  class HoldingTransport extends InProcessTransport {
    override async publish(messages: readonly TransportMessage[]): Promise<void> {
      claimed()
      await held
      await super.publish(messages)
    }
  }
  const transport = new HoldingTransport()
  t.teardown(() => transport.close())
  const relay = new OutboxRelay({ database, schema, transport, logger: testLogger(), pollIntervalMs: 60_000, batchSize: 500 })
  // Enough events, each the size of a real one, to fill several pages.
  await db.transaction().execute(async (tx) => {
    for (let n = 0; n < 120; n++) await outbox.enqueue(tx, events.WidgetCounted, { owner: `owner-${'x'.repeat(400)}-${n % 7}`, n })
  })
  const blocks = async () => {
    const { rows } = await sql<{ seq: string; block: string }>`select seq::text, (ctid::text::point)[0]::text as block from ${sql.table(`${schema}.outbox`)} order by seq`.execute(database.db)
    return rows
  }
  const written = await blocks()
  t.ok(new Set(written.map((r) => r.block)).size >= 4, 'the events span several pages')

  const batch = relay.publishBatch()
  await publishing
  t.same(await blocks(), written, 'leased: every event still on its page')
  release()
  t.equal(await batch, 120, 'and published, the batch whole')
  const { rows } = await sql<{ fillfactor: string }>`select split_part(unnest(reloptions), '=', 2) as fillfactor from pg_class where oid = ${`"${schema}".outbox`}::regclass`.execute(database.db)
  t.same(rows, [{ fillfactor: '50' }])
})
