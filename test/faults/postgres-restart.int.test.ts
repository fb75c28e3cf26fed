// PostgreSQL restarted under a running service, on a cluster of this test's own (the machine's shared
// server is never restarted). Before the fix, a pooled connection checked out but idle when the
// server went away raised an uncaught 'error' and ended the process; here the process (this test's)
// must live on, answer 503 with Retry-After while the database is away, and serve again by itself.
import t from 'tap'
import { createPostgresDatabase, isDatabaseUnavailable, sql } from '@sme/data'
import { InProcessTransport } from '@sme/events'
import { ScoringRequested } from '@sme/contracts'
import { eventually, postgresBinaries, startPostgresCluster } from '@sme/testing'
import { applicationBody, authHeader, clockFrom, newKey, reliefUnderTest } from '../../services/relief/test/helpers.js'

/** The relay's LISTEN gauge at 1, whatever the registry's default labels. */
const LISTENING = /^outbox_relay_listening(\{[^}]*\})? 1$/m

const skip = postgresBinaries() === undefined ? 'no PostgreSQL server binaries to run a cluster of our own' : false

t.test('a connection checked out and idle when PostgreSQL restarts does not end the process; the pool recovers', { skip }, async (t) => {
  const cluster = await startPostgresCluster()
  t.teardown(() => cluster.destroy())
  const database = createPostgresDatabase<any>({ connectionString: cluster.url, maxConnections: 4 })
  t.teardown(() => database.close())
  t.equal(await database.ping(), true)

  // A transaction holds its connection between statements while the server restarts (immediate: the
  // backends are killed, as in a crash).
  let restarted!: () => void
  const serverBack = new Promise<void>((resolve) => (restarted = resolve))
  const held = database.db.transaction().execute(async (tx) => {
    await sql`select 1`.execute(tx)
    await serverBack
    await sql`select 1`.execute(tx)
  })
  const outcome = held.then(
    () => 'committed',
    (err: unknown) => (isDatabaseUnavailable(err) ? 'unavailable' : `other: ${String(err)}`),
  )
  await cluster.restart('immediate')
  restarted()
  t.equal(await outcome, 'unavailable', 'the transaction fails with an error that says the database went away')
  t.equal(await eventually('the pool serves again', async () => (await database.ping()) || undefined, 20_000), true)
  const { rows } = await sql<{ n: number }>`select 41 + 1 as n`.execute(database.db)
  t.equal(rows[0]?.n, 42, 'queries run again on new connections')
})

t.test('a LISTEN session lost in a restart is reopened by itself, and says so', { skip }, async (t) => {
  const cluster = await startPostgresCluster()
  t.teardown(() => cluster.destroy())
  const database = createPostgresDatabase<any>({ connectionString: cluster.url, maxConnections: 2 })
  t.teardown(() => database.close())
  const states: boolean[] = []
  let heard = 0
  const unlisten = await database.listen('faults_channel', () => heard++, (listening) => states.push(listening))
  t.teardown(unlisten)
  t.same(states, [true], 'listening')

  await cluster.restart('immediate')
  await eventually('the session is reopened', () => (states.length >= 3 && states.at(-1) === true) || undefined, 20_000)
  t.same(states, [true, false, true], 'lost, then listening again')
  t.ok(heard >= 1, 'woken once on reconnection: what committed meanwhile was not announced')
  const before = heard
  await sql`select pg_notify('faults_channel', '')`.execute(database.db)
  await eventually('a notification after the restart is heard', () => heard > before || undefined, 10_000)
})

t.test('relief rides out a PostgreSQL restart: 503 with Retry-After while it is down, then serves and publishes again', { skip }, async (t) => {
  const cluster = await startPostgresCluster()
  t.teardown(() => cluster.destroy())
  const database = createPostgresDatabase<any>({ connectionString: cluster.url, maxConnections: 6 })
  t.teardown(() => database.close())
  const transport = new InProcessTransport()
  const published: string[] = []
  await transport.subscribe({ groupId: 'watch', topics: [ScoringRequested.topic], handle: async (m) => void published.push(String(m.headers.ce_id)) })
  const s = await reliefUnderTest(t, { database, transport, now: clockFrom('2020-06-15T02:00:00Z'), startMessaging: true })
  const core = await authHeader('core-banking', { sub: 'core-fz', branches: ['*'] })
  const submit = () => s.app.inject({ method: 'POST', url: '/applications', headers: { ...core, 'idempotency-key': newKey('pg') }, payload: applicationBody('extension') })

  t.equal((await submit()).statusCode, 202, 'accepted before the fault')
  await eventually('the first scoring request is published', () => published.length === 1 || undefined, 10_000)

  await cluster.stop('immediate')
  const during = await submit()
  t.equal(during.statusCode, 503, 'the database is down: 503, not 500')
  t.equal(during.headers['retry-after'], '5', 'with Retry-After')
  t.equal(during.json().code, 'service_unavailable')
  const ready = await s.app.inject({ method: 'GET', url: '/health/ready' })
  t.equal(ready.statusCode, 503, 'readiness says so')
  const live = await s.app.inject({ method: 'GET', url: '/health/live' })
  t.equal(live.statusCode, 200, 'the process is alive: nothing to restart')
  await eventually('the metrics say the relay only polls', async () => /^outbox_relay_listening(\{[^}]*\})? 0$/m.test((await s.app.inject({ method: 'GET', url: '/metrics' })).body) || undefined, 10_000)

  await cluster.start()
  const after = await eventually('intake serves again', async () => {
    const answer = await submit()
    return answer.statusCode === 202 ? answer : undefined
  }, 30_000)
  t.equal(after.json().status, 'awaiting-score')
  await eventually('its scoring request is published: the relay recovered by itself', () => published.length === 2 || undefined, 30_000)
  t.equal((await s.app.inject({ method: 'GET', url: '/health/ready' })).statusCode, 200, 'ready again')
  const metrics = await eventually('the relay listens again', async () => {
    const text = (await s.app.inject({ method: 'GET', url: '/metrics' })).body
    return LISTENING.test(text) ? text : undefined
  }, 20_000)
  t.match(metrics, LISTENING, 'instant wake-up restored, and visible in the metrics')
})
