// Load shedding at the HTTP server's door, tried over real sockets (the framework's inject would go
// around the server): a refused request is a 429 problem with Retry-After that no handler saw.
import t, { type Test } from 'tap'
import { eventually } from '@sme/testing'
import type { LoadSheddingOptions } from '../src/index.js'
import { bearer, testApp } from './helpers.js'

async function listening(t: Test, options: Partial<LoadSheddingOptions> & { signals: LoadSheddingOptions['signals'] }) {
  let handled = 0
  let release!: () => void
  const gate = new Promise<void>((r) => (release = r))
  const app = await testApp({ loadShedding: { retryAfterSeconds: 3, ...options } })
  // Answers once the test releases it: a request held in flight.
  app.get('/slow', { config: { auth: false } }, async () => {
    await gate
    return { ok: true }
  })
  app.post('/things', { config: { auth: { roles: ['admin'] } } }, async () => {
    handled++
    return { ok: true }
  })
  app.get('/things', { config: { auth: { roles: ['admin'] } } }, async () => ({ ok: true }))
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
  const headers = { ...(await bearer(['admin'])), 'content-type': 'application/json' }
  const post = () => fetch(`${base}/things`, { method: 'POST', headers, body: '{}' })
  const get = (path = '/things') => fetch(`${base}${path}`, { headers })
  return { app, base, post, get, release, handled: () => handled }
}

t.test('a congested pool lowers the limit of requests in flight: those beyond it get 429 with Retry-After at once, no handler runs, and the limit climbs back', async (t) => {
  let waitMs = 0
  const { app, base, post, get, release, handled } = await listening(t, { signals: { poolWaitMs: () => waitMs }, maxPoolWaitMs: 100, maxInFlight: 4, minInFlight: 1 })
  t.equal((await post()).status, 200)
  const slow = fetch(`${base}/slow`)
  await eventually('one request in flight', () => (app.loadShedding!.inFlight === 1 ? true : undefined), 5_000)
  t.equal((await post()).status, 200, 'under the limit of 4: admitted')
  waitMs = 250
  await eventually('the limit cut by a tenth every 100 ms, down to the least', () => (app.loadShedding!.limit === 1 ? true : undefined), 5_000)
  const shed = await post()
  t.equal(shed.status, 429, 'one in flight, limit 1: the next is shed')
  t.equal(shed.headers.get('retry-after'), '3')
  t.match(shed.headers.get('content-type'), /^application\/problem\+json/)
  t.match(await shed.json(), { status: 429, title: 'Too many requests', detail: /overloaded \(pool-wait\)/ })
  t.equal(handled(), 2, 'the shed request never reached its handler: nothing written')
  t.equal((await get('/health/live')).status, 200, 'probes are never shed')
  const metrics = await (await get('/metrics')).text()
  t.match(metrics, /http_requests_shed_total\{signal="pool-wait"[^}]*\} 1/)
  t.match(metrics, /load_shedding_active\{signal="pool-wait"[^}]*\} 1/)
  t.match(metrics, /http_in_flight_limit\{[^}]*\} 1\n/)
  waitMs = 0
  await eventually('the limit raised by one every 100 ms once the pool keeps up', () => (app.loadShedding!.limit === 4 ? true : undefined), 5_000)
  t.equal((await post()).status, 200, 'served again')
  release()
  t.equal((await slow).status, 200, 'the admitted slow request finished')
  t.same(await app.loadShedding!.shed(), { 'pool-wait': 1 })
})

t.test('an outbox the broker does not keep up with sheds writes, not reads', async (t) => {
  let backlog = 5_000
  const { app, post, get } = await listening(t, { signals: { outboxBacklog: async () => backlog }, maxOutboxBacklog: 1_000, backlogEveryMs: 20 })
  await eventually('the backlog was read', () => (app.loadShedding!.overloadedBy(true) === 'outbox-backlog' ? true : undefined), 5_000)
  t.equal((await post()).status, 429)
  t.equal((await get()).status, 200, 'reads go on')
  backlog = 10
  await eventually('the backlog was read again', () => (app.loadShedding!.overloadedBy(true) === undefined ? true : undefined), 5_000)
  t.equal((await post()).status, 200)
})

t.test('one long pause is not overload; a loop late tick after tick sheds everything but probes', async (t) => {
  // Limits far from both sides: one 400 ms pause moves the smoothed delay to about 80 ms, eight
  // 250 ms pauses in a row to about 210 ms, and 600 ms of a loop on time brings it back near 0.
  const { app, get } = await listening(t, { signals: {}, maxEventLoopDelayMs: 130 })
  const block = async (ms: number) => {
    const until = Date.now() + ms
    while (Date.now() < until) {
      // busy, as a CPU-bound burst would be
    }
    // Yield just long enough for the overdue probe to fire, as a saturated loop does between bursts.
    await new Promise((r) => setTimeout(r, 1))
  }
  await new Promise((r) => setTimeout(r, 200))
  await block(400)
  t.equal(app.loadShedding!.overloadedBy(false), undefined, 'a single 400 ms pause (a process starting, a long GC) sheds nothing')
  await new Promise((r) => setTimeout(r, 600))
  for (let i = 0; i < 8; i++) await block(250)
  t.equal(app.loadShedding!.overloadedBy(false), 'event-loop-delay', 'eight 250 ms pauses in a row: overloaded')
  t.equal((await get()).status, 429)
  t.equal((await get('/health/ready')).status, 200)
  await new Promise((r) => setTimeout(r, 600))
  t.equal(app.loadShedding!.overloadedBy(false), undefined, 'not once the loop keeps time again')
})

t.test('requests in flight up to the ceiling are admitted and finish; one more is shed', async (t) => {
  let release!: () => void
  const gate = new Promise<void>((r) => (release = r))
  const app = await testApp({ loadShedding: { signals: {}, maxInFlight: 2 } })
  app.get('/slow', { config: { auth: false } }, async () => {
    await gate
    return { ok: true }
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/slow`
  const first = fetch(url)
  const second = fetch(url)
  await eventually('two in flight', () => (app.loadShedding!.inFlight === 2 ? true : undefined), 5_000)
  const third = await fetch(url)
  t.equal(third.status, 429, 'a third while two are in flight')
  t.match(await third.json(), { detail: /in-flight/ })
  release()
  t.same([(await first).status, (await second).status], [200, 200], 'the admitted ones finish')
  await eventually('none in flight', () => (app.loadShedding!.inFlight === 0 ? true : undefined), 5_000)
  t.equal((await fetch(url)).status, 200, 'admitted again once they are done')
})

t.test('without load shedding configured, the app has no shedder', async (t) => {
  const app = await testApp()
  t.teardown(() => app.close())
  t.equal(app.loadShedding, undefined)
})
