// The HTTP API does not wait for messaging. Relief runs as its own process, as an operator runs it,
// against a Kafka broker of this test's own: started while the broker is down, it serves (intake
// buffers in the outbox), is ready with messaging reported degraded, and connects when the broker
// comes; killed with -9 and started again, it serves at once while its consumer group is still
// being rejoined (which waits out the dead member's session).
import t from 'tap'
import { createPostgresDatabase, sql } from '@sme/data'
import { migrateStandalone } from '@sme/kit'
import { eventually, localKafkaUnavailable, startLocalKafka, uniqueName } from '@sme/testing'
import { bearerFor } from '@sme/testing/services'
import { reliefService } from '../../services/relief/src/service.js'
import { applicationBody } from '../../services/relief/test/helpers.js'
import { ownDatabase, startServiceProcess, type ServiceProcess } from '../harness/processes.js'

const missing = await localKafkaUnavailable()
const AUTH = { secret: 'faults-secret-0123456789abcdef0123456789', issuer: 'faults', audience: 'sme-relief' }

/** An application dated for today: the process runs on the real clock. */
function applicationForToday() {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10)
  const body = applicationBody('extension', { branchId: 'FZ01' })
  return { ...body, loan: { ...body.loan, startDate: day(-200), maturityDate: day(30) }, request: { kind: 'extension' as const, newMaturity: day(120) } }
}

const get = async (p: ServiceProcess, path: string) => {
  const res = await fetch(`${p.url}${path}`)
  return { status: res.status, body: (await res.json()) as Record<string, any> }
}

t.test('relief starts and serves while the broker is down, connects when it comes, and serves at once after kill -9', { skip: missing ? `needs a local Kafka broker: ${missing}` : false }, async (t) => {
  const kafka = await startLocalKafka()
  t.teardown(() => kafka.destroy())
  await kafka.stop()
  const databaseUrl = await ownDatabase(t, 'faults_relief')
  const env = {
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: kafka.brokers.join(','),
    KAFKA_NAMESPACE: uniqueName('f').replace(/_/g, '-').toLowerCase().slice(0, 32),
    JWT_SECRET: AUTH.secret,
    JWT_ISSUER: AUTH.issuer,
    JWT_AUDIENCE: AUTH.audience,
    RELIEF_SCORING_TIMEOUT_MS: '600000',
  }
  await migrateStandalone(reliefService(), env)
  const database = createPostgresDatabase<any>({ connectionString: databaseUrl, maxConnections: 1 })
  t.teardown(() => database.close())
  const outbox = async () => (await sql<{ total: number; published: number }>`select count(*)::int as total, count(published_at)::int as published from relief.outbox`.execute(database.db)).rows[0]!

  const first = await startServiceProcess(t, 'relief', env)
  const ready = await get(first, '/health/ready')
  t.equal(ready.status, 200, 'ready without a broker: the API can serve')
  t.match(ready.body, { status: 'ready', degraded: ['messaging'], checks: { database: { status: 'up' }, messaging: { status: 'down' } } })
  const messaging = await get(first, '/health/messaging')
  t.equal(messaging.status, 503, 'messaging health says it is not running')
  t.match(messaging.body, { broker: { status: 'down' }, parts: { topics: { state: /starting|retrying/ } } })

  const core = await bearerFor(AUTH, 'core-banking', { sub: 'core-fz', branches: ['*'] })
  const intake = await fetch(`${first.url}/applications`, {
    method: 'POST',
    headers: { ...core, 'content-type': 'application/json', 'idempotency-key': 'while-broker-down' },
    body: JSON.stringify(applicationForToday()),
  })
  t.equal(intake.status, 202, 'intake works while the broker is down') || t.comment(await intake.text())
  t.match(await outbox(), { total: 1, published: 0 }, 'the scoring request waits in the outbox')

  await kafka.start()
  const brokerBack = Date.now()
  await eventually('messaging runs', async () => (await get(first, '/health/messaging')).status === 200 || undefined, 120_000, 250)
  await eventually('the waiting event is published', async () => (await outbox()).published === 1 || undefined, 30_000)
  t.comment(`messaging running ${Date.now() - brokerBack} ms after the broker answered again`)
  t.notOk(first.exited(), 'the same process, never restarted')
  t.notOk('degraded' in (await get(first, '/health/ready')).body, 'no longer degraded')

  t.equal(await first.kill('SIGKILL'), 'SIGKILL')
  const killed = Date.now()
  const second = await startServiceProcess(t, 'relief', env)
  t.comment(`serving HTTP ${Date.now() - killed} ms after kill -9 (process start included)`)
  const atStart = await get(second, '/health/messaging')
  const consumers = Object.entries(atStart.body.parts as Record<string, { state: string }>).filter(([name]) => name.startsWith('consumer:'))
  t.ok(consumers.length >= 1, 'its consumers are reported')
  t.ok(consumers.some(([, p]) => p.state !== 'running'), `serving HTTP before its consumer group is rejoined (${consumers.map(([n, p]) => `${n} ${p.state}`).join(', ')})`)
  const again = await fetch(`${second.url}/applications`, {
    method: 'POST',
    headers: { ...core, 'content-type': 'application/json', 'idempotency-key': 'after-kill' },
    body: JSON.stringify(applicationForToday()),
  })
  t.equal(again.status, 202, 'intake at once after the restart') || t.comment(await again.text())
  await eventually('every consumer rejoined', async () => (await get(second, '/health/messaging')).status === 200 || undefined, 120_000, 500)
  t.comment(`consumers rejoined ${Date.now() - killed} ms after kill -9`)
  await eventually('both scoring requests published', async () => (await outbox()).published === 2 || undefined, 30_000)
  t.equal(await second.kill('SIGTERM'), '0', 'a graceful stop exits 0')
})
