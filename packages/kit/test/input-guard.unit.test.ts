// Input the platform cannot store or compute with, refused at the edge by name before any handler
// runs: the classes an outside fuzzer found answered with 500s (NUL, lone surrogates, deep JSON,
// Infinity and out-of-range integers), whatever the route's own schema says.
import Type from 'typebox'
import t from 'tap'
import { PassThrough } from 'node:stream'
import { checkRequestInput } from '../src/input-guard.js'
import { findInputProblem, jsonDepthExceeds, MAX_JSON_DEPTH } from '../src/index.js'
import { bearer, testApp } from './helpers.js'

async function guardedApp() {
  const app = await testApp()
  const calls: unknown[] = []
  // A permissive route: its schema allows any body, so only the guard stands between input and handler.
  app.post('/things/:id', { config: { auth: { roles: ['officer'] } }, schema: { params: Type.Object({ id: Type.String() }), body: Type.Unknown() } }, async (request) => {
    calls.push(request.body)
    return { ok: true }
  })
  app.get('/things', { config: { auth: { roles: ['officer'] } }, schema: { querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1 })) }) } }, async (request) => {
    calls.push(request.query)
    return { ok: true }
  })
  await app.ready()
  return { app, calls, headers: { ...(await bearer(['officer'])), 'content-type': 'application/json' } }
}

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth)

t.test('refused at the edge, each naming its field, the handler never called', async (t) => {
  const { app, calls, headers } = await guardedApp()
  t.teardown(() => app.close())
  const cases: { given: string; url: string; method?: 'GET' | 'POST'; payload?: string; field: string }[] = [
    { given: 'a NUL in a body string', url: '/things/a', payload: '{"name":"Acme\\u0000 Ltd"}', field: '/body/name' },
    { given: 'a lone high surrogate', url: '/things/a', payload: '{"a":{"b":["ok","x\\ud800y"]}}', field: '/body/a/b/1' },
    { given: 'a lone low surrogate', url: '/things/a', payload: '{"text":"\\udc00"}', field: '/body/text' },
    { given: 'a NUL in a property name', url: '/things/a', payload: '{"ok":{"bad\\u0000key":1}}', field: '/body/ok' },
    { given: 'a NUL in a path parameter', url: '/things/a%00b', payload: '{}', field: '/params/id' },
    { given: 'an integer beyond 2^53 in the body', url: '/things/a', payload: '{"n":1e300}', field: '/body/n' },
    { given: `a body nested ${MAX_JSON_DEPTH + 1} levels`, url: '/things/a', payload: nested(MAX_JSON_DEPTH + 1), field: '/body' },
    { given: 'a body nested 100,000 levels', url: '/things/a', payload: nested(100_000), field: '/body' },
    { given: 'limit=Infinity', url: '/things?limit=Infinity', method: 'GET', field: '/querystring/limit' },
    { given: 'limit=1e309', url: '/things?limit=1e309', method: 'GET', field: '/querystring/limit' },
    { given: 'limit=1e300', url: '/things?limit=1e300', method: 'GET', field: '/querystring/limit' },
    { given: 'limit=NaN', url: '/things?limit=NaN', method: 'GET', field: '/querystring/limit' },
    { given: 'a NUL in the query string', url: '/things?limit=1&x=%00', method: 'GET', field: '/querystring/x' },
  ]
  for (const c of cases) {
    const res = await app.inject({ method: c.method ?? 'POST', url: c.url, headers, ...(c.payload === undefined ? {} : { payload: c.payload }) })
    t.equal(res.statusCode, 400, `given ${c.given}: 400 (${res.body.slice(0, 200)})`)
    const problem = res.json()
    t.equal(problem.code, 'validation_failed', `given ${c.given}: validation_failed`)
    t.equal(problem.errors?.[0]?.field, c.field, `given ${c.given}: names ${c.field}`)
  }
  t.same(calls, [], 'no handler ran')
})

t.test('what is fine passes: surrogate pairs, other scripts, the deepest allowed body, safe integers', async (t) => {
  const { app, calls, headers } = await guardedApp()
  t.teardown(() => app.close())
  const fine = ['{"name":"福州榕城贸易有限公司 😀"}', nested(MAX_JSON_DEPTH), '{"n":9007199254740991,"x":-1.5e-300,"s":"[{\\"[\\"}]"}', '{"text":"tab\\tnew\\nline"}']
  for (const payload of fine) {
    const res = await app.inject({ method: 'POST', url: '/things/a', headers, payload })
    t.equal(res.statusCode, 200, `${payload.slice(0, 60)}: ${res.body.slice(0, 200)}`)
  }
  t.equal((await app.inject({ method: 'GET', url: '/things?limit=25', headers })).statusCode, 200)
  t.equal(calls.length, fine.length + 1)
  const poisoned = await app.inject({ method: 'POST', url: '/things/a', headers, payload: '{"__proto__":{"admin":true}}' })
  t.equal(poisoned.statusCode, 400, 'prototype poisoning still refused by the JSON parser')
})

t.test('jsonDepthExceeds counts brackets outside strings only; findInputProblem walks without recursion', async (t) => {
  t.equal(jsonDepthExceeds('{"a":"[[[[[[[["}', 2), false, 'brackets in a string do not count')
  t.equal(jsonDepthExceeds('{"a":"\\"[[[["}', 2), false, 'nor after an escaped quote')
  t.equal(jsonDepthExceeds('{"a":[[1]]}', 2), true)
  t.equal(jsonDepthExceeds('{"a":[[1]]}', 3), false)
  let deep: unknown = 'x\u0000'
  for (let i = 0; i < 200_000; i++) deep = [deep]
  t.equal(findInputProblem(deep, '')?.message.startsWith('contains a NUL'), true, '200,000 levels walked without a stack overflow')
})

t.test('a body taken as a stream is not walked (its route reads and checks each line itself)', async (t) => {
  const stream = new PassThrough()
  t.doesNotThrow(() => checkRequestInput({ params: {}, query: {}, body: stream }), 'a stream: nothing to walk')
  t.throws(() => checkRequestInput({ params: {}, query: {}, body: { text: 'a\u0000b' } }), /contains a NUL/, 'a parsed body is walked')
  stream.destroy()
})
