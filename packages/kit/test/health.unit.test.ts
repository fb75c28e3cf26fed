import t from 'tap'
import { Registry } from 'prom-client'
import { MessagingSupervisor, runReadinessChecks } from '../src/index.js'
import { memoryLogger, testApp } from './helpers.js'

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

t.test('an advisory check down leaves the instance ready and says degraded', async (t) => {
  let messagingUp = true
  const app = await testApp({ advisoryChecks: { messaging: async () => messagingUp }, readinessTimeoutMs: 100 })
  t.teardown(() => app.close())
  t.same(Object.keys((await app.inject({ method: 'GET', url: '/health/ready' })).json()), ['status', 'checks'], 'nothing degraded')
  messagingUp = false
  const degraded = await app.inject({ method: 'GET', url: '/health/ready' })
  t.equal(degraded.statusCode, 200, 'still ready: the API serves')
  t.match(degraded.json(), { status: 'ready', degraded: ['messaging'], checks: { messaging: { status: 'down' } } })
})

t.test('an unready instance says when to ask again', async (t) => {
  const app = await testApp({ readinessChecks: { database: () => false } })
  t.teardown(() => app.close())
  const res = await app.inject({ method: 'GET', url: '/health/ready' })
  t.equal(res.statusCode, 503)
  t.equal(res.headers['retry-after'], '5')
})

t.test('messaging health: up only when the broker answers and every part runs', async (t) => {
  const { logger } = memoryLogger()
  const supervisor = new MessagingSupervisor({ logger, initialRetryMs: 5, maxRetryMs: 20 })
  let brokerUp = false
  let consumerFailures = 3
  const app = await testApp({ messagingHealth: { broker: async () => brokerUp, parts: () => supervisor.status() } })
  t.teardown(async () => {
    await supervisor.stop()
    await app.close()
  })
  const before = await app.inject({ method: 'GET', url: '/health/messaging' })
  t.equal(before.statusCode, 503)
  t.match(before.json(), { detail: 'Messaging degraded: broker down' })

  supervisor.startInBackground(
    [{ name: 'topics', start: async () => {} }],
    [
      {
        name: 'consumer:c',
        start: async () => {
          if (consumerFailures-- > 0) throw new Error('connect ECONNREFUSED 127.0.0.1:9092')
        },
      },
    ],
  )
  brokerUp = true
  await new Promise((resolve) => setTimeout(resolve, 300))
  const up = await app.inject({ method: 'GET', url: '/health/messaging' })
  t.equal(up.statusCode, 200)
  t.match(up.json(), { status: 'up', broker: { status: 'up' }, parts: { topics: { state: 'running', failures: 0 }, 'consumer:c': { state: 'running', failures: 3 } } })
  t.notOk('lastError' in up.json().parts['consumer:c'], 'a running part carries no stale error')
})

t.test('the supervisor retries each part until it runs, and stops retrying when stopped', async (t) => {
  const { logger, lines } = memoryLogger('warn')
  const registry = new Registry()
  const supervisor = new MessagingSupervisor({ logger, initialRetryMs: 5, maxRetryMs: 10 })
  supervisor.exportMetrics(registry)
  let attempts = 0
  supervisor.startInBackground([], [
    {
      name: 'never',
      start: async () => {
        attempts++
        throw new Error('no broker')
      },
    },
  ])
  await new Promise((resolve) => setTimeout(resolve, 100))
  t.match(supervisor.status(), { never: { state: 'retrying', lastError: 'no broker' } })
  t.notOk(supervisor.running())
  t.match(await registry.metrics(), /messaging_part_running\{part="never"\} 0/)
  await supervisor.stop()
  const after = attempts
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.equal(attempts, after, 'no attempt after stop')
  t.match(supervisor.status(), { never: { state: 'stopped', lastError: 'no broker' } }, 'stopped: nobody tries it any more')
  t.ok(lines().some((l) => l.msg === 'messaging part could not start; retrying'), 'each failure is logged as a warning')
})

t.test('startNow fails with the first part that cannot start; it and those after it are stopped', async (t) => {
  const { logger } = memoryLogger()
  const supervisor = new MessagingSupervisor({ logger })
  await t.rejects(supervisor.startNow([{ name: 'topics', start: async () => Promise.reject(new Error('down')) }, { name: 'relay', start: async () => {} }]), /down/)
  t.match(supervisor.status(), { topics: { state: 'stopped', lastError: 'down', failures: 1 }, relay: { state: 'stopped', failures: 0 } })
})

t.test('a running part that loses its broker is reported retrying with why, and running again when it is back', async (t) => {
  const { logger, lines } = memoryLogger()
  const supervisor = new MessagingSupervisor({ logger })
  let report!: (why: Error | null) => void
  await supervisor.startNow([
    {
      name: 'consumer:c',
      start: async (interrupted) => {
        interrupted(new Error('reported while starting'))
        report = interrupted
      },
    },
  ])
  t.match(supervisor.status(), { 'consumer:c': { state: 'running' } }, 'a report before it runs is not an interruption')
  report(null)
  t.match(supervisor.status(), { 'consumer:c': { state: 'running', failures: 0 } }, 'nor is a resumption of a part never interrupted')

  report(new Error('no fetch or heartbeat answered by the broker for 15 s'))
  const interrupted = supervisor.status()['consumer:c']!
  t.match(interrupted, { state: 'retrying', failures: 1, lastError: 'no fetch or heartbeat answered by the broker for 15 s' })
  t.notOk(supervisor.running(), 'messaging no longer counts as running')
  report(new Error('still away'))
  t.equal(supervisor.status()['consumer:c']!.since, interrupted.since, 'since when: the first report of the interruption')

  report(null)
  t.match(supervisor.status(), { 'consumer:c': { state: 'running' } })
  t.notOk('lastError' in supervisor.status()['consumer:c']!, 'the error is gone once it runs')
  t.ok(supervisor.running())
  t.ok(lines().some((l) => l.msg === 'messaging part interrupted'), 'the interruption is logged')
  await supervisor.stop()
  report(new Error('after stop'))
  t.match(supervisor.status(), { 'consumer:c': { state: 'running' } }, 'nothing is reported once stopped')
})
