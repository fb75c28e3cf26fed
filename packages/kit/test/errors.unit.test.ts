import t from 'tap'
import { Type } from 'typebox'
import { AppError, classifyError, PROBLEM_CONTENT_TYPE, problemCatalogue, type ServiceApp } from '../src/index.js'
import { DomainError } from '@sme/domain'
import { bearer, memoryLogger, testApp } from './helpers.js'

const Money = Type.String({ pattern: '^(0|[1-9][0-9]{0,17})$', description: 'amount in fen' })

async function appWithRoutes(options: Parameters<typeof testApp>[0] = {}): Promise<ServiceApp> {
  const app = await testApp(options)
  app.post(
    '/echo',
    {
      schema: {
        body: Type.Object({ amount: Money, term: Type.Integer({ minimum: 1 }), note: Type.Optional(Type.String()) }),
        response: { 200: Type.Object({ amount: Money, term: Type.Integer(), keys: Type.Array(Type.String()) }) },
      },
    },
    async (request) => ({ amount: request.body.amount, term: request.body.term, keys: Object.keys(request.body) }),
  )
  app.post(
    '/strict',
    { schema: { body: Type.Object({ a: Type.String() }, { additionalProperties: false }) } },
    async () => ({ ok: true }),
  )
  app.get(
    '/search',
    {
      schema: {
        querystring: Type.Object({ page: Type.Integer({ minimum: 1 }), flag: Type.Optional(Type.Boolean()), tags: Type.Optional(Type.Array(Type.String())) }),
        response: { 200: Type.Object({ page: Type.Integer(), pageType: Type.String(), flag: Type.Optional(Type.Boolean()), tags: Type.Optional(Type.Array(Type.String())) }) },
      },
    },
    async (request) => ({ ...request.query, pageType: typeof request.query.page }),
  )
  app.get('/boom', async () => {
    throw new Error('secret database password in message')
  })
  app.get('/unavailable', async () => {
    throw new AppError('service_unavailable', 'scoring at 10.0.0.7 unreachable')
  })
  app.get('/conflict', async () => {
    throw new AppError('conflict', 'application already decided', { extra: { currentVersion: 3 }, headers: { etag: '"3"' } })
  })
  app.get('/domain', async () => {
    throw new DomainError('invalid-date', 'the crisis starts after the as-of date', { issues: [{ path: '/crisisStart', message: 'is after asOf' }] })
  })
  app.get('/domain-bare', async () => {
    throw new DomainError('invalid-argument', 'division by zero')
  })
  app.get('/rate', async () => {
    throw Object.assign(new Error('Rate limit exceeded, retry in 1 minute'), { statusCode: 429 })
  })
  return app
}

t.test('problem documents', async (t) => {
  const { logger, lines } = memoryLogger()
  const app = await appWithRoutes({ logger, problemBaseUrl: 'https://problems.bank.example/v1/' })
  t.teardown(() => app.close())
  const auth = await bearer(['officer'])

  t.test('AppError: code, status, detail, extension members and headers', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/conflict?q=personal', headers: auth })
    t.equal(res.statusCode, 409)
    t.equal(res.headers['content-type'], PROBLEM_CONTENT_TYPE)
    t.equal(res.headers.etag, '"3"')
    const body = res.json()
    t.match(body, {
      type: 'https://problems.bank.example/v1/conflict',
      title: problemCatalogue.conflict.title,
      status: 409,
      detail: 'application already decided',
      instance: '/conflict',
      code: 'conflict',
      currentVersion: 3,
    })
    t.match(body.traceId, /^[0-9a-f]{32}$/)
    t.equal(body.traceId, String(res.headers.traceparent).split('-')[1], 'traceId matches the returned traceparent')
  })

  t.test('a domain refusal the route did not catch is a 422 with its code and issues, never a 500', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/domain', headers: auth })
    t.equal(res.statusCode, 422)
    t.match(res.json(), { code: 'unprocessable', reason: 'invalid-date', errors: [{ field: '/crisisStart', message: 'is after asOf' }] })
    const bare = await app.inject({ method: 'GET', url: '/domain-bare', headers: auth })
    t.equal(bare.statusCode, 422)
    t.match(bare.json(), { code: 'unprocessable', reason: 'invalid-argument', detail: 'division by zero' })
  })

  t.test('unexpected errors: 500, generic detail, full error logged', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/boom', headers: auth })
    t.equal(res.statusCode, 500)
    t.equal(res.json().code, 'internal')
    t.notMatch(res.body, 'secret database password')
    const logged = lines().find((l) => l.msg === 'request failed')
    t.ok(logged, 'error logged')
    t.match(JSON.stringify(logged), 'secret database password in message')
    t.equal(logged?.traceId, res.json().traceId, 'log line carries the traceId the client sees')
  })

  t.test('5xx AppError details are not sent either', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/unavailable', headers: auth })
    t.equal(res.statusCode, 503)
    t.equal(res.json().code, 'service_unavailable')
    t.notMatch(res.body, '10.0.0.7')
  })

  t.test('errors carrying only a status map by status', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/rate', headers: auth })
    t.equal(res.statusCode, 429)
    t.equal(res.json().code, 'too_many_requests')
  })

  t.test('unknown route: 404 problem, before authentication', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/nowhere?x=1' })
    t.equal(res.statusCode, 404)
    t.equal(res.headers['content-type'], PROBLEM_CONTENT_TYPE)
    t.match(res.json(), { code: 'not_found' })
    t.notOk('instance' in res.json(), 'no instance: nothing of an unmatched path is echoed')
    t.notMatch(res.body, 'nowhere', 'nor in the detail')
  })

  t.test('body is validated without coercion', async (t) => {
    const numberForMoney = await app.inject({ method: 'POST', url: '/echo', headers: auth, payload: { amount: 100, term: 12 } })
    t.equal(numberForMoney.statusCode, 400)
    t.same(numberForMoney.json().errors, [{ field: '/body/amount', message: 'must be string' }])
    t.match(numberForMoney.json().detail, '/body/amount')

    const stringForInteger = await app.inject({ method: 'POST', url: '/echo', headers: auth, payload: { amount: '100', term: '12' } })
    t.equal(stringForInteger.statusCode, 400)
    t.same(stringForInteger.json().errors, [{ field: '/body/term', message: 'must be integer' }])

    const boolForString = await app.inject({ method: 'POST', url: '/echo', headers: auth, payload: { amount: '100', term: 12, note: true } })
    t.equal(boolForString.statusCode, 400)
    t.equal(boolForString.json().errors[0].field, '/body/note')

    const missing = await app.inject({ method: 'POST', url: '/echo', headers: auth, payload: { term: 12 } })
    t.same(missing.json().errors, [{ field: '/body/amount', message: 'is required' }])

    const ok = await app.inject({ method: 'POST', url: '/echo', headers: auth, payload: { amount: '100', term: 12, extra: 'kept' } })
    t.equal(ok.statusCode, 200)
    t.same(ok.json(), { amount: '100', term: 12, keys: ['amount', 'term', 'extra'] }, 'unknown properties are not silently removed')
  })

  t.test('additionalProperties:false refuses unknown properties, naming them', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/strict', headers: auth, payload: { a: 'x', b: 1 } })
    t.equal(res.statusCode, 400)
    t.same(res.json().errors, [{ field: '/body/b', message: 'is not allowed' }])
  })

  t.test('querystring is coerced', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/search?page=2&flag=true&tags=a', headers: auth })
    t.equal(res.statusCode, 200)
    t.same(res.json(), { page: 2, pageType: 'number', flag: true, tags: ['a'] })
    const bad = await app.inject({ method: 'GET', url: '/search?page=two', headers: auth })
    t.equal(bad.statusCode, 400)
    t.same(bad.json().errors, [{ field: '/querystring/page', message: 'must be integer' }])
    const low = await app.inject({ method: 'GET', url: '/search?page=0', headers: auth })
    t.equal(low.json().errors[0].field, '/querystring/page')
  })

  t.test("Fastify's own client errors become catalogued problems", async (t) => {
    const cases = [
      { name: 'bad JSON', headers: { 'content-type': 'application/json' }, payload: '{"amount":', status: 400, code: 'malformed_json' },
      { name: 'empty JSON', headers: { 'content-type': 'application/json' }, payload: '', status: 400, code: 'malformed_json' },
      { name: 'text/plain', headers: { 'content-type': 'text/plain' }, payload: 'hello', status: 415, code: 'unsupported_media_type' },
      { name: 'xml', headers: { 'content-type': 'application/xml' }, payload: '<a/>', status: 415, code: 'unsupported_media_type' },
      { name: 'proto poisoning', headers: { 'content-type': 'application/json' }, payload: '{"__proto__":{"x":1}}', status: 400, code: 'malformed_json' },
      { name: 'JSON null', headers: { 'content-type': 'application/json' }, payload: 'null', status: 400, code: 'validation_failed' },
    ]
    for (const c of cases) {
      const res = await app.inject({ method: 'POST', url: '/echo', headers: { ...auth, ...c.headers }, payload: c.payload })
      t.equal(res.statusCode, c.status, c.name)
      t.equal(res.json().code, c.code, c.name)
      t.equal(res.headers['content-type'], PROBLEM_CONTENT_TYPE, c.name)
    }
  })
  t.end()
})

t.test('body limit: 413 problem', async (t) => {
  const app = await appWithRoutes({ bodyLimit: 64 })
  t.teardown(() => app.close())
  const res = await app.inject({ method: 'POST', url: '/echo', headers: await bearer(['officer']), payload: { amount: '1'.repeat(10), term: 1, note: 'x'.repeat(100) } })
  t.equal(res.statusCode, 413)
  t.equal(res.json().code, 'payload_too_large')
})

t.test('classifyError is total', async (t) => {
  t.equal(classifyError(undefined).code, 'internal')
  t.equal(classifyError('a string').code, 'internal')
  t.equal(classifyError(Object.assign(new Error('x'), { statusCode: 418 })).code, 'bad_request')
  t.equal(classifyError(Object.assign(new Error('x'), { code: 'FST_ERR_CTP_EMPTY_JSON_BODY', statusCode: 400 })).code, 'malformed_json')
  t.equal(classifyError(new AppError('idempotency_key_reused')).status, 422)
  for (const [code, entry] of Object.entries(problemCatalogue)) {
    t.equal(new AppError(code as keyof typeof problemCatalogue).status, entry.status, code)
  }
})

t.test('the database unavailable (down, restarting, connection lost) is a 503 with Retry-After; a wrong statement stays a 500', async (t) => {
  const unavailable = [
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    new Error('Connection terminated unexpectedly'),
    new Error('timeout exceeded when trying to connect'),
    Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
    Object.assign(new Error('connection failure'), { code: '08006' }),
    new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' }), Object.assign(new Error('b'), { code: 'ECONNREFUSED' })]),
  ]
  for (const error of unavailable) {
    t.match(classifyError(error), { status: 503, code: 'service_unavailable', headers: { 'retry-after': '5' } }, error.message || 'AggregateError')
  }
  for (const error of [Object.assign(new Error('duplicate key'), { code: '23505' }), Object.assign(new Error('syntax'), { code: '42601' }), new Error('boom')]) {
    t.match(classifyError(error), { status: 500, code: 'internal' }, error.message)
  }
})

t.test('Given a discriminated oneOf, when the tag is unknown or missing, then the tag is the field named', async (t) => {
  const { fieldErrors } = await import('../src/errors.js')
  t.same(fieldErrors('body', [{ instancePath: '/record', keyword: 'discriminator', message: 'value of tag "kind" must be in oneOf', params: { error: 'mapping', tag: 'kind', tagValue: 'lottery' } }]), [
    { field: '/body/record/kind', message: 'value of tag "kind" must be in oneOf' },
  ])
  t.same(fieldErrors('body', [{ instancePath: '', keyword: 'discriminator', message: 'tag "kind" must be string', params: { error: 'tag', tag: 'kind' } }]), [{ field: '/body/kind', message: 'tag "kind" must be string' }])
})
