import { Gauge } from 'prom-client'
import t from 'tap'
import { Type } from 'typebox'
import { testApp, bearer } from './helpers.js'

t.test('metrics per app, labelled by route template', async (t) => {
  const app = await testApp()
  app.get('/applications/:id', { schema: { params: Type.Object({ id: Type.String() }) } }, async (request) => ({ id: request.params.id }))
  const other = await testApp({ defaultMetrics: true })
  t.teardown(async () => {
    await app.close()
    await other.close()
  })
  await app.ready()
  await other.ready()
  t.not(app.metrics, other.metrics, 'each app has its own registry')

  const backlog = new Gauge({ name: 'outbox_backlog', help: 'unpublished outbox rows', registers: [app.metrics] })
  backlog.set(7)

  const headers = await bearer(['officer'])
  for (const id of ['A-1', 'A-2', 'A-3']) await app.inject({ method: 'GET', url: `/applications/${id}`, headers })
  await app.inject({ method: 'GET', url: '/random/path/123' })

  const res = await app.inject({ method: 'GET', url: '/metrics' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/plain/)
  t.match(res.body, /http_request_duration_seconds_count\{service="kit-test",method="GET",route="\/applications\/:id",status_code="200"\} 3/)
  t.match(res.body, /route="\(unmatched\)",status_code="404"/)
  t.notMatch(res.body, 'A-1', 'raw URLs never become labels')
  t.notMatch(res.body, '/random/path')
  t.match(res.body, /outbox_backlog\{service="kit-test"\} 7/)
  t.notMatch(res.body, 'process_cpu', 'default metrics off when asked')

  const withDefaults = await other.inject({ method: 'GET', url: '/metrics' })
  t.match(withDefaults.body, 'process_cpu_user_seconds_total')
})
