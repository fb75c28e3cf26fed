import { randomBytes } from 'node:crypto'
import { Writable } from 'node:stream'
import { createPostgresDatabase, type Database } from '@sme/data'
import pg from 'pg'
import { createLogger, createServiceApp, mintToken, type Logger, type Role, type ServiceApp, type ServiceAppOptions } from '../src/index.js'

export const SECRET = 'test-secret-that-is-at-least-32-characters-long'
export const ISSUER = 'https://idp.test.example'
export const AUDIENCE = 'sme-relief'

/** A logger writing JSON lines into memory, so tests can read what would have been logged. */
export function memoryLogger(level: 'info' | 'debug' | 'warn' | 'error' = 'info'): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = []
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk))
      callback()
    },
  })
  const logger = createLogger({ level, name: 'kit-test', destination })
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  }
}

export function token(roles: Role[], extra: { sub?: string; branches?: string[]; agency?: string } = {}): Promise<string> {
  return mintToken(
    SECRET,
    { sub: extra.sub ?? `user-${roles.join('-') || 'none'}`, roles, ...(extra.branches ? { branches: extra.branches } : {}), ...(extra.agency ? { agency: extra.agency } : {}) },
    { issuer: ISSUER, audience: AUDIENCE },
  )
}

export async function bearer(roles: Role[], extra: { sub?: string; branches?: string[]; agency?: string } = {}): Promise<{ authorization: string }> {
  return { authorization: `Bearer ${await token(roles, extra)}` }
}

/** An app with the kit's defaults for tests: HS256 auth, in-memory logs, no process metrics. */
export async function testApp(options: Partial<ServiceAppOptions> = {}): Promise<ServiceApp> {
  return createServiceApp({
    name: 'kit-test',
    version: '0.0.0',
    logger: options.logger ?? memoryLogger().logger,
    auth: { secret: SECRET, issuer: ISSUER, audience: AUDIENCE },
    defaultMetrics: false,
    ...options,
  })
}

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres'

export interface TestDatabase {
  database: Database<any>
  /** A fresh schema name for this run. */
  schema: string
  url: string
  close(): Promise<void>
}

/**
 * A real PostgreSQL database for one test file. With DATABASE_URL set, that database is used and
 * isolation comes from a fresh schema; otherwise a fresh database `kit_test_<random>` is created
 * on the local server and dropped afterwards.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const suffix = randomBytes(6).toString('hex')
  const schema = `kit_test_${suffix}`
  let url = process.env.DATABASE_URL
  let dropDatabase: (() => Promise<void>) | undefined
  if (!url) {
    const name = `kit_test_${suffix}`
    const admin = new pg.Client({ connectionString: ADMIN_URL })
    await admin.connect()
    await admin.query(`create database ${name}`)
    await admin.end()
    const adminUrl = new URL(ADMIN_URL)
    adminUrl.pathname = `/${name}`
    url = adminUrl.href
    dropDatabase = async () => {
      const client = new pg.Client({ connectionString: ADMIN_URL })
      await client.connect()
      await client.query(`drop database if exists ${name} with (force)`)
      await client.end()
    }
  }
  const database = createPostgresDatabase<any>({ connectionString: url, maxConnections: 20 })
  return {
    database,
    schema,
    url,
    async close() {
      if (!dropDatabase) await database.db.schema.dropSchema(schema).ifExists().cascade().execute()
      await database.close()
      await dropDatabase?.()
    },
  }
}
