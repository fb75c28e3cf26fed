import t from 'tap'
import { randomUUID } from 'node:crypto'
import { makeUscc } from '@sme/domain'
import { createPostgresDatabase, sql } from '@sme/data'
import { fromTransportMessage, KafkaTransport, newEvent, toTransportMessage, type CloudEvent, type ReceivedMessage } from '@sme/events'
import { buildService, migrateService, mintToken } from '@sme/kit'
import { eventually, kafkaBrokers, requireEnv, testLogger, uniqueName } from '@sme/testing'
import { ScoringRequested, ScoreCompleted, ScoringFailed } from '@sme/contracts'
import { scoringService } from '../src/index.js'
import { healthyFirmRecords, SECRET } from './helpers.js'

const AUTH = { secret: SECRET, issuer: 'tests', audience: 'sme-relief' }

/**
 * Kafka request/reply against the real broker and PostgreSQL: one result per request, whatever the
 * broker or the service does in between. Topics live under a namespace of this test's own.
 */
t.test('scoring.requests.v1 → exactly one scoring.results.v1, across duplicates and a restart', async (t) => {
  const namespace = uniqueName('rr').replace('_', '-')
  const database = createPostgresDatabase<any>({ connectionString: requireEnv('DATABASE_URL'), maxConnections: 20 })
  const schema = uniqueName('scoring')
  const definition = { ...scoringService(), schema }
  await migrateService(database, definition)
  const transport = () => new KafkaTransport({ brokers: kafkaBrokers(), clientId: 'rr-test', logger: testLogger(), namespace })
  const client = transport()
  t.teardown(async () => {
    await client.close()
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db)
    await database.close()
  })

  const start = async (messaging: { relay?: boolean; consumers?: boolean }) => {
    const own = transport()
    const built = await buildService(definition, { database, transport: own, logger: testLogger(), auth: AUTH, relay: { pollIntervalMs: 100 } })
    await built.startMessaging(messaging)
    return { built, stop: async () => { await built.app.close(); await own.close() } }
  }

  // The service's data, through its HTTP API.
  const uscc = makeUscc('9135010015000002')
  const first = await start({ relay: false, consumers: true })
  const token = await mintToken(SECRET, { sub: 'feed', roles: ['core-banking'] }, { issuer: AUTH.issuer, audience: AUTH.audience })
  const ingest = await first.built.app.inject({ method: 'POST', url: '/data-points/batch', headers: { authorization: `Bearer ${token}`, 'idempotency-key': 'seed' }, payload: { mode: 'all-or-nothing', records: healthyFirmRecords(uscc) } })
  t.equal(ingest.statusCode, 200)

  const replies: CloudEvent<any>[] = []
  await client.ensureTopics([ScoringRequested.topic, ScoreCompleted.topic])
  const watcher = await client.subscribe({ groupId: uniqueName('watch'), topics: [ScoreCompleted.topic], handle: async (m: ReceivedMessage) => void replies.push(fromTransportMessage(m)) })
  t.teardown(() => watcher.stop())

  const correlationId = `relief-${randomUUID()}`
  const request = newEvent({ source: '/sme-relief/relief', type: ScoringRequested.type, data: { correlationId, uscc, asOf: '2020-06-30', requestedBy: 'relief' } })
  const message = toTransportMessage(ScoringRequested.topic, uscc, request)
  // Delivered twice (same event), and once more re-sent by the caller under a new event id.
  await client.publish([message, message])
  await client.publish([toTransportMessage(ScoringRequested.topic, uscc, { ...request, id: randomUUID() })])

  // The first instance receives and commits the score and its reply, then dies before replying.
  const scored = async () => (await sql<{ n: string }>`select count(*) as n from ${sql.table(`${schema}.scores`)} where correlation_id = ${correlationId}`.execute(database.db)).rows[0]!.n
  await eventually('the request was received and scored', async () => Number(await scored()) === 1)
  await eventually('all three deliveries consumed', async () => {
    const r = await sql<{ n: string }>`select count(*) as n from ${sql.table(`${schema}.inbox`)} where consumer = 'scoring.requests'`.execute(database.db)
    return Number(r.rows[0]!.n) === 2
  })
  await first.stop()
  await new Promise((r) => setTimeout(r, 500))
  t.equal(replies.length, 0, 'no reply went out before the restart')

  // A new instance starts: the committed reply leaves through the outbox.
  const second = await start({})
  t.teardown(() => second.stop())
  await eventually('the reply arrives', () => replies.length >= 1)
  await client.publish([message]) // and the request arrives once more after the restart
  await new Promise((r) => setTimeout(r, 2_000))

  const ours = replies.filter((e) => e.data.correlationId === correlationId)
  t.equal(ours.length, 1, 'exactly one result for the request')
  t.equal(ours[0]!.type, ScoreCompleted.type)
  t.equal(ours[0]!.subject, uscc)
  t.ok(ours[0]!.data.score > 600, `with the score (${ours[0]!.data.score}) and its reasons`)
  t.equal(Number(await scored()), 1, 'one score stored')
})

t.test('a request that cannot be scored is answered, not left hanging', async (t) => {
  const namespace = uniqueName('rr').replace('_', '-')
  const database = createPostgresDatabase<any>({ connectionString: requireEnv('DATABASE_URL') })
  const schema = uniqueName('scoring')
  const definition = { ...scoringService(), schema }
  await migrateService(database, definition)
  const transport = new KafkaTransport({ brokers: kafkaBrokers(), clientId: 'rr-test', logger: testLogger(), namespace })
  const built = await buildService(definition, { database, transport, logger: testLogger(), auth: AUTH, relay: { pollIntervalMs: 100 } })
  await built.startMessaging()
  t.teardown(async () => {
    await built.app.close()
    await transport.close()
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db)
    await database.close()
  })
  const replies: CloudEvent<any>[] = []
  const watcher = await transport.subscribe({ groupId: uniqueName('watch'), topics: [ScoreCompleted.topic], handle: async (m) => void replies.push(fromTransportMessage(m)) })
  t.teardown(() => watcher.stop())
  const badCheck = '91350100M000100Y4X' // well-formed, wrong check character
  await transport.publish([toTransportMessage(ScoringRequested.topic, badCheck, newEvent({ source: '/t', type: ScoringRequested.type, data: { correlationId: 'c-bad', uscc: badCheck, requestedBy: 'relief' } }))])
  await eventually('a failure reply', () => replies.find((e) => e.data.correlationId === 'c-bad'))
  const reply = replies.find((e) => e.data.correlationId === 'c-bad')!
  t.equal(reply.type, ScoringFailed.type)
  t.equal(reply.data.code, 'invalid-uscc')
})
