import { randomBytes } from 'node:crypto'
import { createPgliteDatabase, createPostgresDatabase, migrateSchema, sql, type Database, type Migrations } from '@sme/data'
import pino, { type Logger } from 'pino'

/**
 * Helpers for tests that use real infrastructure. `npm test` (test/harness/run.ts) provides a
 * PostgreSQL database of its own and a running Kafka broker through DATABASE_URL and KAFKA_BROKERS;
 * each test then isolates itself by schema, topic and group names it makes up.
 */

export interface Teardown {
  teardown(fn: () => unknown): void
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`
}

export function requireEnv(name: 'DATABASE_URL' | 'KAFKA_BROKERS'): string {
  const value = process.env[name]
  if (!value) {
    throw new Error(`${name} is not set: run the tests with \`npm test\`, which provides PostgreSQL and Kafka, or set ${name} yourself`)
  }
  return value
}

export function kafkaBrokers(): string[] {
  return requireEnv('KAFKA_BROKERS').split(',').map((b) => b.trim()).filter(Boolean)
}

/** Logs of code under test: silent unless TEST_LOG_LEVEL asks for them. */
export function testLogger(): Logger {
  return pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' })
}

/**
 * A real PostgreSQL connection with a schema of the test's own, migrated; dropped in teardown.
 */
export async function postgresSchema(t: Teardown, migrations: Migrations, options: { prefix?: string; maxConnections?: number } = {}): Promise<{ database: Database<any>; schema: string }> {
  const database = createPostgresDatabase<any>({ connectionString: requireEnv('DATABASE_URL'), maxConnections: options.maxConnections ?? 20 })
  const schema = uniqueName(options.prefix ?? 't')
  await migrateSchema(database.db, schema, migrations)
  t.teardown(async () => {
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db).catch(() => {})
    await database.close()
  })
  return { database, schema }
}

/** The embedded database, in memory, migrated from the same files; closed in teardown. */
export async function pgliteSchema(t: Teardown, migrations: Migrations, options: { prefix?: string } = {}): Promise<{ database: Database<any>; schema: string }> {
  const database = await createPgliteDatabase<any>()
  const schema = uniqueName(options.prefix ?? 't')
  await migrateSchema(database.db, schema, migrations)
  t.teardown(() => database.close())
  return { database, schema }
}

/** Polls `check` until it returns a truthy value or the time runs out (then throws with `what`). */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await check()
      if (value) return value
    } catch (err) {
      last = err
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`, { cause: last })
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}

export { startLocalKafka, localKafkaUnavailable, freePort } from './local-kafka.js'
export type { LocalKafka } from './local-kafka.js'
export { purityFindings, IMPURE } from './purity.js'
export type { PurityFinding } from './purity.js'
export { startPostgresCluster, postgresBinaries } from './postgres-cluster.js'
export type { PostgresCluster } from './postgres-cluster.js'
