// Operator commands: dead outbox events re-sent once the cause is mended, and a DLQ replayed onto its
// topic against the real broker, with no second effect for a consumer that had the event already.
import t from 'tap'
import { sql } from '@sme/data'
import { eventually, kafkaBrokers, postgresSchema, testLogger, uniqueName } from '@sme/testing'
import { EventConsumer, KafkaTransport, listDeadEvents, Outbox, OutboxRelay, replayDeadLetters, resendDeadEvents } from '../src/index.js'
import { FaultyBroker, testMigrations, widgetEvents } from './fixtures.js'

t.test('dead outbox events are listed, and re-sent when the cause is mended', async (t) => {
  const { database, schema } = await postgresSchema(t, testMigrations, { prefix: 'opsdead' })
  const events = widgetEvents()
  const broker = new FaultyBroker()
  broker.refuseOwner = 'too-big'
  const received: string[] = []
  await broker.subscribe({ groupId: 'watch', topics: [events.topic], handle: async (m) => void received.push(`${m.key}`) })
  const relay = new OutboxRelay({ database, schema, transport: broker, logger: testLogger(), pollIntervalMs: 50, maxBackoffMs: 20 })
  t.teardown(() => relay.stop())
  const outbox = new Outbox({ catalogue: events.catalogue, source: '/test', schema })
  const db = database.db.withSchema(schema)
  for (const owner of ['x', 'too-big', 'y']) await db.transaction().execute((tx) => outbox.enqueue(tx, events.WidgetCounted, { owner, n: 1 }))
  await relay.start()
  const dead = await eventually('one event set aside', async () => {
    const list = await listDeadEvents(database, schema)
    return list.length === 1 ? list : undefined
  }, 10_000)
  t.match(dead[0], { eventType: events.WidgetCounted.type, topic: events.topic, lastError: /MESSAGE_TOO_LARGE/ })
  t.notOk('key' in dead[0]!, 'identified by its id, not by its key (a key may be a USCC)')
  t.ok(dead[0]!.payloadBytes > 0, 'its size is shown')
  t.equal(await resendDeadEvents(database, schema, { eventIds: ['00000000-0000-4000-8000-000000000000'] }), 0, 'an id that is not dead changes nothing')

  broker.refuseOwner = undefined
  t.equal(await resendDeadEvents(database, schema, { eventIds: [dead[0]!.eventId] }), 1, 'one event given back to the relay')
  await eventually('re-sent', () => (received.includes('too-big') ? true : undefined), 10_000)
  t.same(await listDeadEvents(database, schema), [], 'nothing dead any more')
  const row = (await sql<{ published: boolean; last_error: string | null }>`select published_at is not null as published, last_error from ${sql.table(`${schema}.outbox`)} where event_id = ${dead[0]!.eventId}`.execute(database.db)).rows[0]!
  t.same(row, { published: true, last_error: null })
  t.same(received.sort(), ['too-big', 'x', 'y'])
})

t.test('a DLQ replayed onto its topic once the handler is mended: processed once, and a second replay finds nothing', async (t) => {
  const { database, schema } = await postgresSchema(t, testMigrations, { prefix: 'opsdlq' })
  const events = widgetEvents()
  const transport = new KafkaTransport({ brokers: kafkaBrokers(), clientId: 'ops-test', logger: testLogger() })
  t.teardown(() => transport.close())
  await transport.ensureTopics([events.topic, `${events.topic}.dlq`])
  let broken = true
  const name = uniqueName('group')
  const consumer = new EventConsumer({
    name,
    database,
    schema,
    transport,
    catalogue: events.catalogue,
    logger: testLogger(),
    topics: [events.topic],
    maxAttempts: 2,
    retryDelayMs: 10,
    handlers: {
      [events.WidgetCounted.type]: async (event, { tx }) => {
        if (broken && event.data.owner === 'b') throw new Error('a bug in the handler, since mended')
        await tx.insertInto('effects').values({ event_id: event.id, owner: event.data.owner, n: event.data.n }).execute()
      },
    },
  })
  await consumer.start()
  t.teardown(() => consumer.stop())
  const outbox = new Outbox({ catalogue: events.catalogue, source: '/test', schema })
  const relay = new OutboxRelay({ database, schema, transport, logger: testLogger(), pollIntervalMs: 50 })
  t.teardown(() => relay.stop())
  const db = database.db.withSchema(schema)
  for (const owner of ['a', 'b', 'c']) await db.transaction().execute((tx) => outbox.enqueue(tx, events.WidgetCounted, { owner, n: 1 }))
  await relay.start()
  const effects = async () => (await sql<{ owner: string }>`select owner from ${sql.table(`${schema}.effects`)} order by owner`.execute(database.db)).rows.map((r) => r.owner)
  await eventually('a and c processed', async () => ((await effects()).length === 2 ? true : undefined), 30_000)
  t.same(await effects(), ['a', 'c'], 'b is in the DLQ')

  const seen: { eventId: string | undefined; consumer: string | undefined; error: string | undefined }[] = []
  const dry = await replayDeadLetters(transport, { topic: events.topic, dryRun: true, idleMs: 2_000, onMessage: (m) => void seen.push(m) })
  t.same(dry, { replayed: 1, skipped: 0 }, 'a dry run counts the dead letter')
  t.match(seen, [{ eventId: /^[0-9a-f-]{36}$/, consumer: name, error: /since mended/ }], 'and shows which, by whom, and why')
  const other = await replayDeadLetters(transport, { topic: events.topic, consumer: 'someone-else', idleMs: 2_000 })
  t.same(other, { replayed: 0, skipped: 1 }, 'a filter for another consumer replays nothing')
  t.same(await effects(), ['a', 'c'], 'nothing replayed by the dry run or the filter')

  broken = false
  t.same(await replayDeadLetters(transport, { topic: events.topic, idleMs: 2_000 }), { replayed: 1, skipped: 0 })
  await eventually('b processed after the replay', async () => ((await effects()).includes('b') ? true : undefined), 30_000)
  t.same(await replayDeadLetters(transport, { topic: events.topic, idleMs: 2_000 }), { replayed: 0, skipped: 0 }, 'a second replay finds nothing new')
  await new Promise((resolve) => setTimeout(resolve, 500))
  t.same(await effects(), ['a', 'b', 'c'], 'each effect once')
  const inbox = (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(`${schema}.inbox`)} where consumer = ${name}`.execute(database.db)).rows[0]!.n
  t.equal(inbox, 3)
})
