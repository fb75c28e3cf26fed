// What the relay does when publication fails: an outage (the broker down, however long) never kills
// an event; only a message the broker refuses as such is set aside, alone, while the rest go on.
// The refusal is classified against a real broker (a record over its size limit).
import t, { type Test } from 'tap'
import { sql } from '@sme/data'
import { eventually, kafkaBrokers, postgresSchema, testLogger } from '@sme/testing'
import { InProcessTransport, KafkaTransport, Outbox, OutboxRelay, isUndeliverable } from '../src/index.js'
import type { TransportMessage } from '../src/envelope.js'
import { FaultyBroker, testMigrations, widgetEvents } from './fixtures.js'

async function setup(t: Test) {
  const { database, schema } = await postgresSchema(t, testMigrations, { prefix: 'relayf' })
  const events = widgetEvents()
  const broker = new FaultyBroker()
  broker.down = true
  const received: string[] = []
  await broker.subscribe({ groupId: 'watch', topics: [events.topic], handle: async (m) => void received.push(`${m.key}`) })
  const relay = new OutboxRelay({ database, schema, transport: broker, logger: testLogger(), pollIntervalMs: 50, maxBackoffMs: 20 })
  const outbox = new Outbox({ catalogue: events.catalogue, source: '/test', schema })
  const db = database.db.withSchema(schema)
  const write = (owner: string, n: number) => db.transaction().execute((tx) => outbox.enqueue(tx, events.WidgetCounted, { owner, n }))
  const rows = async () => (await sql<{ n: number; dead: number; published: number; attempts: number }>`select count(*)::int as n, count(dead_at)::int as dead, count(published_at)::int as published, coalesce(max(attempts), 0)::int as attempts from ${sql.table(`${schema}.outbox`)}`.execute(database.db)).rows[0]!
  t.teardown(() => relay.stop())
  return { broker, relay, write, rows, received }
}

t.test('a broker outage longer than any retry budget: the events wait and go out when it returns, none dead', async (t) => {
  const { broker, relay, write, rows, received } = await setup(t)
  await write('a', 1)
  await write('b', 2)
  await relay.start()
  await eventually('forty failed publications', () => broker.attempts >= 40 || undefined, 20_000)
  t.match(await rows(), { n: 2, dead: 0, published: 0 }, 'nothing set aside while the broker is away')
  t.ok((await rows()).attempts >= 20, 'more attempts than the old budget of 20')
  broker.down = false
  await eventually('both published once the broker is back', async () => (await rows()).published === 2 || undefined, 10_000)
  t.same(received.sort(), ['a', 'b'])
})

t.test('a message the broker refuses as such is set aside alone; the rest of its batch goes out', async (t) => {
  const { broker, relay, write, rows, received } = await setup(t)
  broker.down = false
  broker.refuseOwner = 'too-big'
  await write('x', 1)
  await write('too-big', 2)
  await write('y', 3)
  await relay.start()
  await eventually('the batch settled', async () => {
    const r = await rows()
    return r.published === 2 && r.dead === 1 ? r : undefined
  }, 10_000)
  t.same(received.sort(), ['x', 'y'], 'the others published')
})

t.test('a real broker refusing a record over its size limit is classified as undeliverable', async (t) => {
  const events = widgetEvents()
  const kafka = new KafkaTransport({ brokers: kafkaBrokers(), clientId: 'relay-failures', logger: testLogger() })
  t.teardown(() => kafka.close())
  await kafka.ensureTopics([events.topic])
  const huge: TransportMessage = { topic: events.topic, key: 'k', value: Buffer.alloc(2 * 1024 * 1024, 120), headers: {} }
  const refused = await kafka.publish([huge]).then(() => undefined, (err: unknown) => err)
  t.ok(isUndeliverable(refused), `2 MiB refused as such (${String(refused)})`)
})

t.test('a publication that hangs is abandoned inside the lease: a second relay sends the batch only after the first gave it back', async (t) => {
  const { database, schema } = await postgresSchema(t, testMigrations, { prefix: 'relayh' })
  const events = widgetEvents()
  const outbox = new Outbox({ catalogue: events.catalogue, source: '/test', schema })
  await database.db.withSchema(schema).transaction().execute((tx) => outbox.enqueue(tx, events.WidgetCounted, { owner: 'slow', n: 1 }))
  const row = async () => (await sql<{ last_error: string | null; published: boolean }>`select last_error, published_at is not null as published from ${sql.table(`${schema}.outbox`)}`.execute(database.db)).rows[0]!

  let hung = 0
  const stuck = new (class extends InProcessTransport {
    override publish(): Promise<void> {
      hung++
      return new Promise(() => {}) // a broker that never answers
    }
  })()
  const seenBySecond: (string | null)[] = []
  const healthy = new (class extends InProcessTransport {
    override async publish(messages: readonly TransportMessage[]): Promise<void> {
      seenBySecond.push((await row()).last_error)
      await super.publish(messages)
    }
  })()
  const first = new OutboxRelay({ database, schema, transport: stuck, logger: testLogger(), leaseMs: 1_500, pollIntervalMs: 5_000, maxBackoffMs: 5_000 })
  const second = new OutboxRelay({ database, schema, transport: healthy, logger: testLogger(), leaseMs: 1_500, pollIntervalMs: 50 })
  t.teardown(async () => {
    await Promise.all([first.stop(), second.stop()])
  })
  await first.start()
  await eventually('the first relay is sending', () => hung >= 1 || undefined, 5_000)
  await second.start()
  await eventually('the second relay published the batch', async () => (await row()).published || undefined, 10_000)
  t.equal(seenBySecond.length, 1, 'sent once by the second relay')
  t.match(seenBySecond[0], /did not accept the publication within 750 ms/, 'the first had given the batch back (timeout at half the lease) before the second claimed it')
})

t.test('a publication timeout as long as the lease is refused at construction', async (t) => {
  const { database, schema } = await postgresSchema(t, testMigrations, { prefix: 'relayc' })
  const make = (publishTimeoutMs: number) => () => new OutboxRelay({ database, schema, transport: new InProcessTransport(), logger: testLogger(), leaseMs: 1_000, publishTimeoutMs })
  t.throws(make(1_000), RangeError)
  t.throws(make(0), RangeError)
  t.doesNotThrow(make(999))
})
