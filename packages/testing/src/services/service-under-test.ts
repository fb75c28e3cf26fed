import { createPostgresDatabase, sql, type Database } from '@sme/data'
import { InProcessTransport, type Transport } from '@sme/events'
import { buildService, migrateService, mintToken, type BuiltService, type Role, type ServiceApp, type ServiceDefinition } from '@sme/kit'
import type { Kysely } from 'kysely'
import { requireEnv, testLogger, uniqueName, type Teardown } from '../index.js'

export interface TestCaller {
  sub?: string
  /** Roles of the caller; defaults to the one role asked for. */
  roles?: Role[]
  branches?: string[]
  agency?: string
}

export interface ServiceUnderTest<DB> extends BuiltService {
  app: ServiceApp
  database: Database<any>
  schema: string
  /** Kysely bound to the service's schema. */
  db: Kysely<DB>
  transport: Transport
  /** `Authorization` header for a caller with the role (and branches, subject, more roles). */
  auth(role: Role, caller?: TestCaller): Promise<Record<string, string>>
}

export interface ServiceUnderTestOptions {
  /** HS256 settings the service verifies tokens with; `auth()` mints with the same. */
  auth: { secret: string; issuer: string; audience: string }
  transport?: Transport
  now?: () => Date
  database?: Database<any>
  schema?: string
  beforeRoutes?: (app: ServiceApp) => void
  /** Default true; false still runs the definition's `onStart` (reference data) without messaging. */
  startMessaging?: boolean
}

export async function bearerFor(auth: ServiceUnderTestOptions['auth'], role: Role, caller: TestCaller = {}): Promise<Record<string, string>> {
  const token = await mintToken(
    auth.secret,
    { sub: caller.sub ?? `test-${role}`, roles: caller.roles ?? [role], branches: caller.branches ?? [], ...(caller.agency ? { agency: caller.agency } : {}) },
    { issuer: auth.issuer, audience: auth.audience },
  )
  return { authorization: `Bearer ${token}` }
}

/**
 * A service on the real PostgreSQL (DATABASE_URL), in a schema of the test's own, migrated and
 * started the way the runners start it, with the given transport (default: in-process); everything
 * it opened is closed and dropped in teardown.
 */
export async function serviceUnderTest<DB>(t: Teardown, definition: ServiceDefinition<DB>, options: ServiceUnderTestOptions): Promise<ServiceUnderTest<DB>> {
  const database = options.database ?? createPostgresDatabase<any>({ connectionString: requireEnv('DATABASE_URL'), maxConnections: 20 })
  const schema = options.schema ?? uniqueName(definition.name)
  const scoped = { ...definition, schema }
  await migrateService(database, scoped)
  const transport = options.transport ?? new InProcessTransport({ redeliveryDelayMs: 20 })
  const built = await buildService(scoped, {
    database,
    transport,
    logger: testLogger(),
    auth: options.auth,
    relay: { pollIntervalMs: 100 },
    ...(options.now ? { now: options.now } : {}),
    ...(options.beforeRoutes ? { beforeRoutes: options.beforeRoutes } : {}),
  })
  if (options.startMessaging !== false) await built.startMessaging()
  else await built.prepare()
  t.teardown(async () => {
    await built.app.close()
    if (!options.transport) await transport.close()
    if (!options.database) {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db).catch(() => {})
      await database.close()
    }
  })
  return {
    ...built,
    database,
    schema,
    db: database.db.withSchema(schema) as Kysely<DB>,
    transport,
    auth: (role, caller) => bearerFor(options.auth, role, caller),
  }
}
