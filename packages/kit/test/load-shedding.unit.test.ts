import t from 'tap'
import { bearer, testApp } from './helpers.js'

async function appWith(signals: { waiting?: () => number; backlog?: () => Promise<number> }) {
  let handled = 0
  const app = await testApp({
    loadShedding: {
      signals: { ...(signals.waiting ? { poolWaiting: signals.waiting } : {}), ...(signals.backlog ? { outboxBacklog: signals.backlog } : {}) },
      maxPoolWaiting: 5,
      maxOutboxBacklog: 1_000,
      maxEventLoopDelayMs: 150,
      sampleMs: 60_000, // the test reads the signals itself (sampleNow)
      backlogEveryMs: 0,
      retryAfterSeconds: 3,
    },
  })
  app.post('/things', { config: { auth: { roles: ['admin'] } } }, async () => {
    handled++
    return { ok: true }
  })
  app.get('/things', { config: { auth: { roles: ['admin'] } } }, async () => ({ ok: true }))
  await app.ready()
  return { app, handled: () => handled }
}

t.test('callers waiting for connections: new requests get 429 with Retry-After at once, and no handler runs', async (t) => {
  let waiting = 0
  const { app, handled } = await appWith({ waiting: () => waiting })
  t.teardown(() => app.close())
  const headers = await bearer(['admin'])
  t.equal((await app.inject({ method: 'POST', url: '/things', headers, payload: {} })).statusCode, 200)
  waiting = 40
  t.equal(app.loadShedding!.state(), 'pool-waiting')
  const shed = await app.inject({ method: 'POST', url: '/things', headers, payload: {} })
  t.equal(shed.statusCode, 429)
  t.equal(shed.headers['retry-after'], '3')
  t.match(shed.json(), { code: 'too_many_requests', detail: /overloaded \(pool-waiting\)/ })
  t.equal(handled(), 1, 'the shed request never reached its handler: nothing written')
  t.equal((await app.inject({ method: 'GET', url: '/health/live' })).statusCode, 200, 'probes are never shed')
  t.match((await app.inject({ method: 'GET', url: '/metrics' })).body, /http_requests_shed_total\{signal="pool-waiting"[^}]*\} 1/)
  waiting = 0
  t.equal((await app.inject({ method: 'POST', url: '/things', headers, payload: {} })).statusCode, 200, 'served again once the queue drains')
})

t.test('an outbox the broker does not keep up with sheds writes, not reads', async (t) => {
  let backlog = 5_000
  const { app } = await appWith({ backlog: async () => backlog })
  t.teardown(() => app.close())
  const headers = await bearer(['admin'])
  app.loadShedding!.readBacklogNow()
  await new Promise((r) => setImmediate(r))
  t.equal(app.loadShedding!.state(), 'outbox-backlog')
  t.equal((await app.inject({ method: 'POST', url: '/things', headers, payload: {} })).statusCode, 429)
  t.equal((await app.inject({ method: 'GET', url: '/things', headers })).statusCode, 200, 'reads go on')
  backlog = 10
  app.loadShedding!.readBacklogNow()
  await new Promise((r) => setImmediate(r))
  t.equal((await app.inject({ method: 'POST', url: '/things', headers, payload: {} })).statusCode, 200)
})

t.test('one long pause is not overload; a loop late tick after tick sheds everything but probes', async (t) => {
  const { app } = await appWith({})
  t.teardown(() => app.close())
  const headers = await bearer(['admin'])
  const block = async (ms: number) => {
    const until = Date.now() + ms
    while (Date.now() < until) {
      // busy, as a CPU-bound burst would be
    }
    // Yield just long enough for the overdue probe to fire, as a saturated loop does between bursts.
    await new Promise((r) => setTimeout(r, 1))
  }
  await block(400)
  t.equal(app.loadShedding!.state(), undefined, 'a single 400 ms pause (a process starting, a long GC) sheds nothing')
  await new Promise((r) => setTimeout(r, 500))
  for (let i = 0; i < 8; i++) await block(250)
  t.equal(app.loadShedding!.state(), 'event-loop-delay', 'eight 250 ms pauses in a row: overloaded')
  t.equal((await app.inject({ method: 'GET', url: '/things', headers })).statusCode, 429)
  t.equal((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode, 200)
  await new Promise((r) => setTimeout(r, 600))
  t.equal(app.loadShedding!.state(), undefined, 'not once the loop keeps time again')
})

t.test('requests in flight past the limit are shed; those admitted finish', async (t) => {
  let release!: () => void
  const gate = new Promise<void>((r) => (release = r))
  const app = await testApp({ loadShedding: { signals: {}, maxInFlight: 2, sampleMs: 60_000 } })
  t.teardown(() => app.close())
  app.get('/slow', { config: { auth: false } }, async () => {
    await gate
    return { ok: true }
  })
  await app.ready()
  const first = app.inject({ method: 'GET', url: '/slow' })
  const second = app.inject({ method: 'GET', url: '/slow' })
  await new Promise((r) => setTimeout(r, 50))
  const third = await app.inject({ method: 'GET', url: '/slow' })
  t.equal(third.statusCode, 429, 'a third while two are in flight')
  t.match(third.json(), { detail: /in-flight/ })
  release()
  t.same([(await first).statusCode, (await second).statusCode], [200, 200], 'the admitted ones finish')
  t.equal((await app.inject({ method: 'GET', url: '/slow' })).statusCode, 200, 'admitted again once they are done')
})
