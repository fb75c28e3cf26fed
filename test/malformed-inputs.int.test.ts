import t from 'tap'
import { mintToken, PROBLEM_CONTENT_TYPE, ROLES } from '@sme/kit'
import { injectOptionsFor, malformedRequests, schemasOf } from '@sme/testing/services'
import { SERVICES } from '../scripts/services.js'
import { serviceOnSchema } from './harness/service-on-schema.js'

const AUTH = { secret: 'malformed-inputs-secret-0123456789abcdef', issuer: 'tests', audience: 'sme-relief' }

// Inputs generated from each route's own schema, for every service.
for (const definition of SERVICES) {
  t.test(`${definition.name}: every malformed input to every route is a 4xx problem; nothing is written`, async (t) => {
    const { built, routes, tableCounts } = await serviceOnSchema(t, definition, { auth: AUTH })
    const { app } = built
    await app.ready()
    // A caller with every role, so authorization never hides a validation path.
    const token = await mintToken(AUTH.secret, { sub: 'fuzzer', roles: [...ROLES], branches: ['*'], agency: 'AG-1' }, { issuer: AUTH.issuer, audience: AUTH.audience })
    const headers = { authorization: `Bearer ${token}`, 'idempotency-key': 'fuzz' }
    const before = await tableCounts()

    const targets = routes.filter((r) => ['POST', 'PUT', 'PATCH', 'GET', 'DELETE'].includes(r.method) && !r.url.startsWith('/docs') && (r.schema?.body || r.schema?.querystring || r.schema?.params))
    t.ok(targets.length > 0, `${targets.length} routes with schemas`)
    let sent = 0
    for (const route of targets) {
      const cases = malformedRequests(schemasOf(route), { seed: 7, randomBodies: 10 })
      for (const c of cases) {
        const res = await app.inject(injectOptionsFor(route, c, headers))
        sent++
        if (res.statusCode < 400 || res.statusCode >= 500 || res.headers['content-type'] !== PROBLEM_CONTENT_TYPE) {
          t.fail(`${route.method} ${route.url} ${c.name}: ${res.statusCode} ${res.headers['content-type']}`, { body: res.body.slice(0, 500) })
        }
      }
    }
    t.ok(sent > 100, `${sent} malformed requests sent`)
    t.same(await tableCounts(), before, 'no table changed')
  })
}
