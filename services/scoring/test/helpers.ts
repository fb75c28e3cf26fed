import { createPostgresDatabase, sql, type Database } from '@sme/data'
import { InProcessTransport, type Transport } from '@sme/events'
import { buildService, migrateService, mintToken, type BuiltService, type Role, type ServiceApp } from '@sme/kit'
import { requireEnv, testLogger, uniqueName, type Teardown } from '@sme/testing'
import { scoringService } from '../src/index.js'
import type { ScoringTables } from '../src/store/tables.js'

export const SECRET = 'scoring-tests-secret-0123456789abcdef'
const AUTH = { secret: SECRET, issuer: 'tests', audience: 'sme-relief' }

export interface ScoringUnderTest extends BuiltService {
  app: ServiceApp
  database: Database<any>
  schema: string
  db: import('kysely').Kysely<ScoringTables>
  transport: Transport
  /** `Authorization` header for a caller with the role. */
  auth(role: Role, claims?: { sub?: string; branches?: string[]; agency?: string }): Promise<Record<string, string>>
}

/**
 * The scoring service on the real PostgreSQL (a schema of the test's own) with the given transport
 * (default: in-process), migrated and started like the runner does; everything closed in teardown.
 */
export async function scoringUnderTest(
  t: Teardown,
  options: { transport?: Transport; now?: () => Date; database?: Database<any>; schema?: string; beforeRoutes?: (app: ServiceApp) => void; startMessaging?: boolean } = {},
): Promise<ScoringUnderTest> {
  const database = options.database ?? createPostgresDatabase<any>({ connectionString: requireEnv('DATABASE_URL'), maxConnections: 20 })
  const schema = options.schema ?? uniqueName('scoring')
  const definition = { ...scoringService(), schema }
  await migrateService(database, definition)
  const transport = options.transport ?? new InProcessTransport({ redeliveryDelayMs: 20 })
  const built = await buildService(definition, {
    database,
    transport,
    logger: testLogger(),
    auth: AUTH,
    relay: { pollIntervalMs: 100 },
    ...(options.now ? { now: options.now } : {}),
    ...(options.beforeRoutes ? { beforeRoutes: options.beforeRoutes } : {}),
  })
  if (options.startMessaging !== false) await built.startMessaging()
  else await definition.onStart?.(built.context)
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
    db: database.db.withSchema(schema) as never,
    transport,
    async auth(role, claims = {}) {
      const token = await mintToken(SECRET, { sub: claims.sub ?? `test-${role}`, roles: [role], branches: claims.branches ?? [], ...(claims.agency ? { agency: claims.agency } : {}) }, { issuer: AUTH.issuer, audience: AUTH.audience })
      return { authorization: `Bearer ${token}` }
    },
  }
}

/** Records for one enterprise: a healthy small manufacturer with two years of monthly data. */
export function healthyFirmRecords(uscc: string, options: { through?: string; source?: string } = {}) {
  const through = options.through ?? '2020-06'
  const [ty, tm] = through.split('-').map(Number) as [number, number]
  const months: string[] = []
  for (let i = 23; i >= 0; i--) {
    const idx = ty * 12 + (tm - 1) - i
    months.push(`${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`)
  }
  const asOfOf = (month: string) => `${month}-28`
  const src = options.source ?? 'test-feed'
  return [
    { kind: 'registration', uscc, source: 'samr', sourceRecordId: `reg-${uscc}`, period: '2015-03-01', asOf: asOfOf(through), industry: 'C3989', region: '350100', foundedOn: '2015-03-01', legalStatus: 'active' },
    { kind: 'tax-rating', uscc, source: 'tax-bureau', sourceRecordId: `rating-${uscc}-2019`, period: '2020-04', asOf: asOfOf(through), ratingYear: 2019, rating: 'A' },
    ...months.flatMap((m) => [
      { kind: 'invoice-month', uscc, source: src, sourceRecordId: `inv-${uscc}-${m}`, period: m, asOf: asOfOf(m), salesAmount: '150000000', invoiceCount: 120 },
      { kind: 'tax-return', uscc, source: 'tax-bureau', sourceRecordId: `tax-${uscc}-${m}`, period: m, asOf: asOfOf(m), declaredRevenue: '150000000', taxPaid: '4500000' },
      { kind: 'headcount-month', uscc, source: 'social-insurance', sourceRecordId: `hc-${uscc}-${m}`, period: m, asOf: asOfOf(m), scheme: 'social-insurance', employees: 48 },
      { kind: 'utility-month', uscc, source: 'state-grid', sourceRecordId: `el-${uscc}-${m}`, period: m, asOf: asOfOf(m), utility: 'electricity', consumption: 52000, billed: '4160000', arrears: '0' },
      { kind: 'repayment-month', uscc, source: 'bank-core', sourceRecordId: `rp-${uscc}-${m}`, period: m, asOf: asOfOf(m), loanId: 'L-000123', maxDaysPastDue: 0 },
      { kind: 'customs-month', uscc, source: 'customs', sourceRecordId: `cu-${uscc}-${m}`, period: m, asOf: asOfOf(m), exports: '30000000', imports: '10000000' },
    ]),
    { kind: 'court-records', uscc, source: 'court', sourceRecordId: `court-${uscc}`, period: `${through}-01`, asOf: asOfOf(through), records: [] },
    { kind: 'administrative-penalties', uscc, source: 'samr', sourceRecordId: `pen-${uscc}`, period: `${through}-01`, asOf: asOfOf(through), penalties: [] },
    { kind: 'receivables-snapshot', uscc, source: 'scf-platform', sourceRecordId: `ar-${uscc}-${through}`, period: `${through}-01`, asOf: asOfOf(through), total: '80000000', overdue: '4000000' },
  ]
}
