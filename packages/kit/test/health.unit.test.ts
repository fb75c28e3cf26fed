import t from 'tap'
import { runReadinessChecks } from '../src/index.js'
import { testApp } from './helpers.js'

t.test('liveness and readiness', async (t) => {
  let brokerUp = true
  const app = await testApp({
    readinessChecks: {
      broker: async () => brokerUp,
      cache: () => undefined,
    },
    readinessTimeoutMs: 100,
  })
  t.teardown(() => app.close())

  const live = await app.inject({ method: 'GET', url: '/health/live' })
  t.equal(live.statusCode, 200)
  t.same(live.json(), { status: 'live' })

  const ready = await app.inject({ method: 'GET', url: '/health/ready' })
  t.equal(ready.statusCode, 200)
  t.match(ready.json(), { status: 'ready', checks: { broker: { status: 'up' }, cache: { status: 'up' } } })

  brokerUp = false
  const down = await app.inject({ method: 'GET', url: '/health/ready' })
  t.equal(down.statusCode, 503)
  t.equal(down.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(down.json(), { code: 'service_unavailable', detail: 'Not ready: broker failing', checks: { broker: { status: 'down', reason: 'returned false' }, cache: { status: 'up' } } })
})

t.test('checks time out and errors count as down', async (t) => {
  const results = await runReadinessChecks(
    {
      slow: () => new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 1_000).unref()),
      throws: async () => {
        throw new Error('connection refused')
      },
      syncThrows: () => {
        throw new Error('boom')
      },
      ok: async () => true,
    },
    50,
  )
  t.match(results, {
    slow: { status: 'down', reason: 'timed out after 50 ms' },
    throws: { status: 'down', reason: 'connection refused' },
    syncThrows: { status: 'down', reason: 'boom' },
    ok: { status: 'up' },
  })
})

t.test('a database passed to the app is checked', async (t) => {
  let healthy = true
  const fakeDb = { kind: 'postgres', ping: async () => healthy } as unknown as NonNullable<Parameters<typeof testApp>[0]>['db']
  const app = await testApp({ db: fakeDb })
  t.teardown(() => app.close())
  t.equal((await app.inject({ method: 'GET', url: '/health/ready' })).json().checks.database.status, 'up')
  healthy = false
  t.equal((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode, 503)
})
