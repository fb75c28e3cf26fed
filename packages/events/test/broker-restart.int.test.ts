import t from 'tap'
import { sql } from '@sme/data'
import { eventually, localKafkaUnavailable, postgresSchema, startLocalKafka, testLogger } from '@sme/testing'
import { KafkaTransport } from '../src/index.js'
import { pipeline, testMigrations } from './fixtures.js'

// Stopping a broker would disturb every other test, so this one runs a broker of its own.
const missing = await localKafkaUnavailable()

t.test('the broker stops mid-stream and comes back: every event arrives, none has a second effect', { skip: missing ? `needs a local Kafka broker: ${missing}` : false }, async (t) => {
  const kafka = await startLocalKafka()
  t.teardown(() => kafka.destroy())
  const { database, schema } = await postgresSchema(t, testMigrations, { prefix: 'restart' })
  const transport = new KafkaTransport({ brokers: kafka.brokers, clientId: 'restart-test', logger: testLogger() })
  t.teardown(() => transport.close())
  const p = await pipeline({ database, schema, transport })
  t.teardown(() => p.stop())

  await p.write('acme', 0, 50)
  await eventually('first events consumed', async () => (await p.effects()).total >= 10)

  await kafka.stop()
  // Writes go on while the broker is down: they are committed to the outbox and wait there.
  await Promise.all([p.write('acme', 50, 50), p.write('globex', 0, 50)])
  const pending = await sql<{ n: string }>`select count(*) as n from ${sql.table(`${schema}.outbox`)} where published_at is null`.execute(database.db)
  t.ok(Number(pending.rows[0]!.n) > 0, 'events wait in the outbox while the broker is down')

  await kafka.start()
  await p.write('globex', 50, 50)
  await eventually('all 200 effects', async () => (await p.effects()).total >= 200, 120_000, 200)
  await new Promise((r) => setTimeout(r, 1_000))
  const effects = await p.effects()
  t.equal(effects.total, 200, 'every committed event arrived exactly once')
  t.equal(effects.distinct, 200)
  const order = await sql<{ owner: string; ns: number[] }>`select owner, array_agg(n order by id) as ns from ${sql.table(`${schema}.effects`)} group by owner order by owner`.execute(database.db)
  for (const row of order.rows) t.same(row.ns, [...Array(100).keys()], `${row.owner}: in commit order`)
})
