import type { Test } from 'tap'
import { createPostgresDatabase, sql, type Database } from '@sme/data'
import { InProcessTransport, type Transport } from '@sme/events'
import { buildService, migrateService, type BuiltService, type Logger, type ServiceDefinition } from '@sme/kit'
import { routesOf, type CollectedRoute } from '@sme/testing/services'
import { requireEnv, testLogger, uniqueName } from '@sme/testing'

export interface ServiceOnSchema {
  built: BuiltService
  routes: CollectedRoute[]
  database: Database<any>
  schema: string
  transport: Transport
  /**
   * Every table's row count, read in one statement: "nothing written" means none moved. The audit
   * trail is left out: it records refused attempts by design (who tried what, and why it was refused).
   */
  tableCounts(): Promise<Record<string, number>>
}

/**
 * A service built as every runner builds it, on the real PostgreSQL in a schema of its own (dropped
 * at teardown), the in-process transport (its own, or one shared with other services), its routes
 * listed, and not listening: for tests that send requests to every route.
 */
export async function serviceOnSchema(
  t: Test,
  definition: ServiceDefinition<any>,
  options: { auth: { secret: string; issuer: string; audience: string }; now?: () => Date; prefix?: string; logger?: Logger; transport?: Transport },
): Promise<ServiceOnSchema> {
  const database = createPostgresDatabase<any>({ connectionString: requireEnv('DATABASE_URL') })
  const schema = uniqueName(options.prefix ?? definition.name)
  const service = { ...definition, schema }
  await migrateService(database, service)
  const transport = options.transport ?? new InProcessTransport()
  let routes: CollectedRoute[] = []
  const built = await buildService(service, {
    database,
    transport,
    logger: options.logger ?? testLogger(),
    auth: options.auth,
    ...(options.now ? { now: options.now } : {}),
    beforeRoutes: (a) => void (routes = routesOf(a)),
  })
  t.teardown(async () => {
    await built.app.close()
    if (!options.transport) await transport.close()
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db)
    await database.close()
  })
  const tables = (await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = ${schema} and table_type = 'BASE TABLE' and table_name <> 'audit_log' order by 1`.execute(database.db)).rows.map((r) => r.table_name)
  const countsQuery = sql<{ counts: Record<string, string> }>`select json_build_object(${sql.join(tables.map((name) => sql`${name}::text, (select count(*) from ${sql.table(`${schema}.${name}`)})`))}) as counts`
  const tableCounts = async () => {
    const { counts } = (await countsQuery.execute(database.db)).rows[0]!
    return Object.fromEntries(Object.entries(counts).map(([name, n]) => [name, Number(n)]))
  }
  return { built, routes, database, schema, transport, tableCounts }
}
