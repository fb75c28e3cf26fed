import t from 'tap'
import { ROOT_CONTEXT, TraceFlags, defaultTextMapGetter, defaultTextMapSetter, trace } from '@opentelemetry/api'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { continueTrace, parseTraceparent } from '../src/index.js'
import { memoryLogger, testApp } from './helpers.js'

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/

t.test('request trace context', async (t) => {
  const { logger, lines } = memoryLogger()
  const app = await testApp({ logger })
  app.get('/trace', { config: { auth: false } }, async (request) => {
    request.log.info('inside handler')
    return request.trace
  })
  t.teardown(() => app.close())

  t.test('starts a new trace when none comes in', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/trace' })
    const trace = res.json()
    t.match(trace.traceId, /^[0-9a-f]{32}$/)
    t.match(trace.spanId, /^[0-9a-f]{16}$/)
    t.equal(trace.parentSpanId, undefined)
    t.match(trace.traceparent, TRACEPARENT)
    t.equal(res.headers.traceparent, trace.traceparent, 'traceparent returned to the caller')
  })

  t.test('continues an inbound trace with a child span', async (t) => {
    const parent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00'
    const res = await app.inject({ method: 'GET', url: '/trace', headers: { traceparent: parent, tracestate: 'bank=abc' } })
    const trace = res.json()
    t.equal(trace.traceId, '4bf92f3577b34da6a3ce929d0e0e4736')
    t.equal(trace.parentSpanId, '00f067aa0ba902b7')
    t.not(trace.spanId, '00f067aa0ba902b7')
    t.equal(trace.traceparent, `00-4bf92f3577b34da6a3ce929d0e0e4736-${trace.spanId}-00`, 'sampling decision kept')
    t.equal(trace.tracestate, 'bank=abc')
    const logged = lines().filter((l) => l.traceId === '4bf92f3577b34da6a3ce929d0e0e4736')
    t.ok(logged.some((l) => l.msg === 'request completed'), 'the request log line carries the traceId')
    t.ok(logged.some((l) => l.msg === 'inside handler'), 'handler log lines carry the traceId')
  })

  t.test('invalid traceparent starts a new trace', async (t) => {
    for (const bad of [
      'garbage',
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01',
    ]) {
      const trace = (await app.inject({ method: 'GET', url: '/trace', headers: { traceparent: bad } })).json()
      t.not(trace.traceId, '4bf92f3577b34da6a3ce929d0e0e4736', bad)
      t.equal(trace.parentSpanId, undefined, bad)
      t.match(trace.traceparent, TRACEPARENT, bad)
    }
  })

  t.test('x-request-id: adopted when sane, replaced otherwise, echoed', async (t) => {
    const ok = await app.inject({ method: 'GET', url: '/trace', headers: { 'x-request-id': 'core-7f3a.1' } })
    t.equal(ok.headers['x-request-id'], 'core-7f3a.1')
    const bad = await app.inject({ method: 'GET', url: '/trace', headers: { 'x-request-id': 'x\u0007<script>'.padEnd(300, 'y') } })
    t.match(bad.headers['x-request-id'], /^[0-9a-f-]{36}$/)
  })
  t.end()
})

t.test('continueTrace / parseTraceparent', async (t) => {
  const child = continueTrace({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' })
  const parsed = parseTraceparent(child.traceparent)
  t.equal(parsed?.traceId, child.traceId)
  t.equal(parsed?.spanId, child.spanId)
  t.equal(parseTraceparent('nope'), undefined)
})

t.test('new trace and span ids are distinct across many requests (cut from a pool of random bytes)', async (t) => {
  const traces = new Set<string>()
  const spans = new Set<string>()
  const n = 5_000 // enough to refill the pool many times over
  let malformed = 0
  for (let i = 0; i < n; i++) {
    const context = continueTrace({})
    if (!/^[0-9a-f]{32}$/.test(context.traceId) || !/^[0-9a-f]{16}$/.test(context.spanId) || /^0+$/.test(context.spanId)) malformed++
    traces.add(context.traceId)
    spans.add(context.spanId)
  }
  t.equal(malformed, 0, 'every id well-formed and not all zeros')
  t.equal(traces.size, n, 'every trace id new')
  t.equal(spans.size, n, 'every span id new')
})

t.test("a new trace's traceparent is what OpenTelemetry's propagator writes and reads for it", async (t) => {
  const propagator = new W3CTraceContextPropagator()
  for (let i = 0; i < 200; i++) {
    const context = continueTrace(i % 2 === 0 ? {} : { tracestate: 'vendor=ignored-without-a-traceparent' })
    const carrier: Record<string, string> = {}
    const span = { traceId: context.traceId, spanId: context.spanId, traceFlags: TraceFlags.SAMPLED }
    propagator.inject(trace.setSpanContext(ROOT_CONTEXT, span), carrier, defaultTextMapSetter)
    t.equal(context.traceparent, carrier.traceparent, 'the same header text')
    t.equal(context.tracestate, undefined, 'no tracestate without a traceparent')
    const read = trace.getSpanContext(propagator.extract(ROOT_CONTEXT, { traceparent: context.traceparent }, defaultTextMapGetter))
    t.same([read?.traceId, read?.spanId, read?.traceFlags], [context.traceId, context.spanId, TraceFlags.SAMPLED], 'read back as a sampled span')
  }
})
