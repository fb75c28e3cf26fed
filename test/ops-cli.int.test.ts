// The operator's command line (`npm run ops`), run as an operator runs it: its own process, configured
// by the environment, on a relief database of the test's own and the real broker.
import t from 'tap'
import { createPostgresDatabase, sql } from '@sme/data'
import { ScoringRequested } from '@sme/contracts'
import { KafkaTransport } from '@sme/events'
import { migrateStandalone } from '@sme/kit'
import { kafkaBrokers, testLogger, uniqueName } from '@sme/testing'
import { reliefService } from '../services/relief/src/service.js'
import { ownDatabase, runScript } from './harness/processes.js'

const lines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)

t.test('usage errors exit 2 and say what is wrong', async (t) => {
  const none = await runScript('ops', [], {})
  t.equal(none.code, 2)
  t.match(none.stderr, /a command is required/)
  const unnamed = await runScript('ops', ['resend-dead', '--service', 'relief'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' })
  t.equal(unnamed.code, 2, 'resending needs the events named, or --all')
  t.match(unnamed.stderr, /--event <id>\) or say --all/)
  t.equal((await runScript('ops', ['dead-events', '--service', 'nosuch'], {})).code, 2)
})

t.test('dead events of a service listed and re-sent; a DLQ replayed in a dry run', async (t) => {
  const databaseUrl = await ownDatabase(t, 'ops_relief')
  await migrateStandalone(reliefService(), { DATABASE_URL: databaseUrl, JWT_SECRET: 'x'.repeat(32), JWT_ISSUER: 'ops', JWT_AUDIENCE: 'ops' })
  const database = createPostgresDatabase<any>({ connectionString: databaseUrl, maxConnections: 1 })
  t.teardown(() => database.close())
  const eventId = '6f1c2a4e-8b0d-4c1e-9f3a-2d5b7c9e0a11'
  await sql`insert into relief.outbox (event_id, topic, message_key, event_type, headers, payload, dead_at, last_error, attempts)
    values (${eventId}, 'relief.decisions.v1', '91350100MA2XXXXX1X', 'sme.relief.decided.v1', '{}'::jsonb, '{"a":1}'::jsonb, now(), 'the broker refused the messages: MESSAGE_TOO_LARGE', 3)`.execute(database.db)
  const env = { DATABASE_URL: databaseUrl }

  const listed = await runScript('ops', ['dead-events', '--service', 'relief'], env)
  t.equal(listed.code, 0, listed.stderr)
  t.match(lines(listed.stdout), [{ eventId, topic: 'relief.decisions.v1', lastError: /MESSAGE_TOO_LARGE/, attempts: 3 }, { dead: 1 }])
  t.notMatch(listed.stdout, /91350100MA2XXXXX1X/, 'the key (a USCC) is not printed')

  const resent = await runScript('ops', ['resend-dead', '--service', 'relief', '--event', eventId], env)
  t.equal(resent.code, 0, resent.stderr)
  t.same(lines(resent.stdout), [{ resent: 1 }])
  const row = (await sql<{ dead: boolean; attempts: number }>`select dead_at is not null as dead, attempts from relief.outbox where event_id = ${eventId}`.execute(database.db)).rows[0]!
  t.same(row, { dead: false, attempts: 0 }, 'pending again, for the relay')

  // A dead letter on the real broker, as a consumer leaves it.
  const namespace = uniqueName('ops').replace(/_/g, '-')
  const kafka = new KafkaTransport({ brokers: kafkaBrokers(), clientId: 'ops-cli-test', logger: testLogger(), namespace })
  t.teardown(() => kafka.close())
  const topic = ScoringRequested.topic
  await kafka.ensureTopics([topic, `${topic}.dlq`])
  await kafka.publish([{ topic: `${topic}.dlq`, key: 'loan-1', value: Buffer.from('{}'), headers: { ce_id: eventId, dlq_consumer: 'scoring.requests', dlq_error: 'Error: boom' } }])
  const dry = await runScript('ops', ['replay-dlq', '--topic', topic, '--dry-run', '--idle-ms', '2000'], { KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_NAMESPACE: namespace })
  t.equal(dry.code, 0, dry.stderr)
  t.match(lines(dry.stdout), [{ replay: 'would', eventId, consumer: 'scoring.requests', error: 'Error: boom' }, { topic, dryRun: true, replayed: 1, skipped: 0 }])
  t.notMatch(dry.stdout, /loan-1/, 'the key (it may be a USCC) is not printed')
})
