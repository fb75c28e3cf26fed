import t from 'tap'
import { makeUscc } from '@sme/domain'
import { eventually } from '@sme/testing'
import { scoringUnderTest } from './helpers.js'

t.test('metrics: request latency by route, outbox backlog and age, consumer lag, DLQ count', async (t) => {
  const s = await scoringUnderTest(t)
  const uscc = makeUscc('9135010015000009')
  const res = await s.app.inject({ method: 'POST', url: '/scores', headers: await s.auth('risk'), payload: { uscc, asOf: '2020-06-30' } })
  t.equal(res.statusCode, 201)
  await eventually('the reply left the outbox', async () => {
    const text = (await s.app.inject({ method: 'GET', url: '/metrics' })).body
    return /outbox_published_total(\{[^}]*\})? [1-9]/.test(text)
  })
  const metrics = (await s.app.inject({ method: 'GET', url: '/metrics' })).body
  t.match(metrics, /http_request_duration_seconds_count\{[^}]*route="\/scores"[^}]*\} 1/, 'latency histogram labelled by route template')
  t.match(metrics, /outbox_backlog_events(\{[^}]*\})? 0/, 'outbox backlog (read from the table at scrape time)')
  t.match(metrics, /outbox_oldest_pending_age_seconds(\{[^}]*\})? 0/, 'age of the oldest pending event')
  t.match(metrics, /# TYPE consumer_lag_messages gauge/, 'consumer lag')
  t.match(metrics, /# TYPE events_dlq_total counter/, 'dead-letter count')
})

t.test('trace context: the request traceparent reaches the outbox event headers', async (t) => {
  const s = await scoringUnderTest(t, { startMessaging: false })
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'
  const res = await s.app.inject({
    method: 'POST',
    url: '/scores',
    headers: { ...(await s.auth('risk')), traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    payload: { uscc: makeUscc('9135010015000010'), asOf: '2020-06-30' },
  })
  t.equal(res.statusCode, 201)
  t.match(res.headers.traceparent, new RegExp(`^00-${traceId}-`), 'the response continues the trace')
  const row = await s.db.selectFrom('outbox').select(['headers']).executeTakeFirstOrThrow()
  t.match(row.headers.traceparent, new RegExp(`^00-${traceId}-`), 'the event carries it into Kafka headers')
  t.equal(row.headers.ce_traceparent, row.headers.traceparent)
})

t.test('a dead broker leaves the service ready (intake goes on) and shows in messaging health', async (t) => {
  const s = await scoringUnderTest(t)
  const ready = await s.app.inject({ method: 'GET', url: '/health/ready' })
  t.equal(ready.statusCode, 200)
  t.match(ready.json(), { checks: { database: { status: 'up' }, messaging: { status: 'up' } } })
  t.notOk('degraded' in ready.json())
  const messaging = await s.app.inject({ method: 'GET', url: '/health/messaging' })
  t.equal(messaging.statusCode, 200)
  t.match(messaging.json(), { status: 'up', broker: { status: 'up' }, parts: { topics: { state: 'running' }, 'outbox-relay': { state: 'running' } } })
  await s.transport.close()
  const degraded = await s.app.inject({ method: 'GET', url: '/health/ready' })
  t.equal(degraded.statusCode, 200, 'still ready: a load balancer keeps sending requests it can answer')
  t.match(degraded.json(), { status: 'ready', degraded: ['messaging'] })
  const down = await s.app.inject({ method: 'GET', url: '/health/messaging' })
  t.equal(down.statusCode, 503, 'messaging health says the broker is away')
  t.match(down.headers['content-type'], /^application\/problem\+json/)
  t.match(down.json(), { detail: /broker down/ })
})
