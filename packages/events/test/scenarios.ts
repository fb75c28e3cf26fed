import { sql, type Database } from '@sme/data'
import { eventually, uniqueName } from '@sme/testing'
import type { Test } from 'tap'
import { dlqTopic, type ReceivedMessage, type Transport } from '../src/index.js'
import { pipeline } from './fixtures.js'

type Infra = { database: Database<any>; schema: string; transport: Transport }

/**
 * Scenarios every transport/database pair must pass: Kafka + PostgreSQL in integration tests,
 * the in-process transport + PGlite for the embedded mode.
 */
export async function roundTripWithRedelivery(t: Test, infra: Infra): Promise<void> {
  const p = await pipeline(infra)
  t.teardown(() => p.stop())
  await Promise.all([p.write('acme', 0, 40), p.write('globex', 0, 40)])
  await eventually('80 effects', async () => (await p.effects()).total === 80)

  // A relay that published but died before marking: the same events go out again.
  await sql`update ${sql.table(`${infra.schema}.outbox`)} set published_at = null where seq in (select seq from ${sql.table(`${infra.schema}.outbox`)} order by seq limit 25)`.execute(infra.database.db)
  await eventually('republished', async () => {
    const r = await sql<{ n: string }>`select count(*) as n from ${sql.table(`${infra.schema}.outbox`)} where published_at is null`.execute(infra.database.db)
    return Number(r.rows[0]!.n) === 0
  })
  await eventually('duplicates seen by the inbox', async () => {
    const r = await sql<{ n: string }>`select count(*) as n from ${sql.table(`${infra.schema}.inbox`)}`.execute(infra.database.db)
    return Number(r.rows[0]!.n) === 80
  })
  // Give redelivered duplicates time to (wrongly) take effect before counting.
  await new Promise((r) => setTimeout(r, 500))
  const effects = await p.effects()
  t.equal(effects.total, 80, 'every event had exactly one effect')
  t.equal(effects.distinct, 80)

  const order = await sql<{ owner: string; ns: number[] }>`select owner, array_agg(n order by id) as ns from ${sql.table(`${infra.schema}.effects`)} group by owner`.execute(infra.database.db)
  for (const row of order.rows) {
    t.same(row.ns, [...Array(40).keys()], `events of ${row.owner} applied in commit order`)
  }
}

export async function poisonGoesToDlq(t: Test, infra: Infra): Promise<void> {
  const p = await pipeline({ ...infra, maxAttempts: 3 })
  t.teardown(() => p.stop())
  const dead: ReceivedMessage[] = []
  const watcher = await infra.transport.subscribe({ groupId: uniqueName('dlq-watch'), topics: [dlqTopic(p.topic)], handle: async (m) => void dead.push(m) })
  t.teardown(() => watcher.stop())

  await p.write('acme', 0, 5)
  await p.write('acme', 5, 1, { poison: true })
  // A message that is not even a CloudEvent (no ce_* headers) goes to the DLQ without retries.
  await infra.transport.publish([{ topic: p.topic, key: 'acme', value: Buffer.from('not json'), headers: {} }])
  await p.write('acme', 6, 5)

  await eventually('later events processed', async () => (await p.effects()).total === 10)
  await eventually('two messages dead-lettered', () => dead.length === 2)
  const poison = dead.find((m) => m.headers.dlq_error?.includes('poison widget 5'))
  t.ok(poison, 'the poison event is in the DLQ with its error')
  t.equal(poison?.headers.dlq_attempts, '3', 'after the bounded retries')
  t.equal(poison?.headers.dlq_original_topic, p.topic)
  t.equal(poison?.headers['ce_type'], p.WidgetCounted.type, 'with its original headers')
  const garbage = dead.find((m) => m.headers.dlq_error?.includes('EnvelopeError'))
  t.equal(garbage?.headers.dlq_attempts, '1', 'an unreadable message is not retried')
  const effects = await p.effects()
  t.equal(effects.total, 10, 'nothing of the poison event was written')
}
