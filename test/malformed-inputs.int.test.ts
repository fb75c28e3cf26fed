import t from 'tap'
import { createPostgresDatabase, sql } from '@sme/data'
import { InProcessTransport } from '@sme/events'
import { buildService, migrateService, mintToken, PROBLEM_CONTENT_TYPE, ROLES } from '@sme/kit'
import { injectOptionsFor, malformedRequests, routesOf, schemasOf, type CollectedRoute } from '@sme/testing/services'
import { requireEnv, testLogger, uniqueName } from '@sme/testing'
import { SERVICES } from '../scripts/services.js'

const AUTH = { secret: 'malformed-inputs-secret-0123456789abcdef', issuer: 'tests', audience: 'sme-relief' }

/** Row counts of every table of a schema: "nothing written" means none of them moved. */
async function rowCounts(database: ReturnType<typeof createPostgresDatabase>, schema: string): Promise<Record<string, number>> {
  const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = ${schema} and table_type = 'BASE TABLE'`.execute(database.db)
  const counts: Record<string, number> = {}
  for (const { table_name } of tables.rows) {
    const r = await sql<{ n: string }>`select count(*) as n from ${sql.table(`${schema}.${table_name}`)}`.execute(database.db)
    counts[table_name] = Number(r.rows[0]!.n)
  }
  return counts
}

// Inputs generated from each route's own schema, for every service.
for (const definition of SERVICES) {
  t.test(`${definition.name}: every malformed input to every route is a 4xx problem; nothing is written`, async (t) => {
    const database = createPostgresDatabase<any>({ connectionString: requireEnv('DATABASE_URL') })
    const schema = uniqueName(definition.name)
    const service = { ...definition, schema }
    await migrateService(database, service)
    const transport = new InProcessTransport()
    let routes: CollectedRoute[] = []
    const { app } = await buildService(service, { database, transport, logger: testLogger(), auth: AUTH, beforeRoutes: (a) => void (routes = routesOf(a)) })
    await app.ready()
    t.teardown(async () => {
      await app.close()
      await transport.close()
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db)
      await database.close()
    })
    // A caller with every role, so authorization never hides a validation path.
    const token = await mintToken(AUTH.secret, { sub: 'fuzzer', roles: [...ROLES], branches: ['*'], agency: 'AG-1' }, { issuer: AUTH.issuer, audience: AUTH.audience })
    const headers = { authorization: `Bearer ${token}`, 'idempotency-key': 'fuzz' }
    const before = await rowCounts(database, schema)

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
    t.same(await rowCounts(database, schema), before, 'no table changed')
  })
}
