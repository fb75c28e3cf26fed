import type { Database } from '@sme/data'
import type { Transport } from '@sme/events'
import type { Role, ServiceApp } from '@sme/kit'
import { serviceUnderTest, type ServiceUnderTest } from '@sme/testing/services'
import { makeUscc } from '@sme/domain'
import type { Teardown } from '@sme/testing'
import { scoringService } from '../src/index.js'
import type { ScoringTables } from '../src/store/tables.js'

export const SECRET = 'scoring-tests-secret-0123456789abcdef'
const AUTH = { secret: SECRET, issuer: 'tests', audience: 'sme-relief' }

export type ScoringUnderTest = ServiceUnderTest<ScoringTables>

/** The scoring service on the real PostgreSQL in a schema of the test's own (see serviceUnderTest). */
export function scoringUnderTest(
  t: Teardown,
  options: { transport?: Transport; now?: () => Date; database?: Database<any>; schema?: string; beforeRoutes?: (app: ServiceApp) => void; startMessaging?: boolean } = {},
): Promise<ScoringUnderTest> {
  return serviceUnderTest(t, scoringService(), { ...options, auth: AUTH })
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
  const ratingYear = tm >= 4 ? ty - 1 : ty - 2
  const src = options.source ?? 'test-feed'
  return [
    { kind: 'registration', uscc, source: 'samr', sourceRecordId: `reg-${uscc}`, period: '2015-03-01', asOf: asOfOf(through), industry: 'C3989', region: '350100', foundedOn: '2015-03-01', legalStatus: 'active' },
    // Ratings for year N are published in April of N + 1: the latest one out by `through`.
    { kind: 'tax-rating', uscc, source: 'tax-bureau', sourceRecordId: `rating-${uscc}-${ratingYear}`, period: `${ratingYear + 1}-04`, asOf: asOfOf(through), ratingYear, rating: 'A' },
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

// ---------------------------------------------------------------------------------------------
// HTTP assertions and builders shared by the *.int.test.ts files.

type Reply = { statusCode: number; headers: Record<string, unknown>; body: string; json(): any }
/** The subset of a tap test the assertions need. */
type Asserts = { equal(...args: any[]): unknown; ok(...args: any[]): unknown; match(...args: any[]): unknown }

/** Asserts the status; the body is shown only on failure (bodies of scores run to kilobytes). */
export function expectStatus(t: Asserts, res: Reply, status: number, what = ''): any {
  t.equal(res.statusCode, status, res.statusCode === status ? `${what} → ${status}`.trim() : `${what} → ${res.statusCode}, expected ${status}: ${res.body.slice(0, 2000)}`)
  return res.statusCode === status ? res.json() : undefined
}

/**
 * Asserts an RFC 9457 problem document: the status, the problem content type, `status`/`code` in the
 * body and, when given, a field error naming `field` exactly.
 */
export function expectProblem(t: Asserts, res: Reply, status: number, expected: { code?: string; field?: string; what?: string } = {}): any {
  const what = expected.what ?? ''
  t.equal(res.statusCode, status, res.statusCode === status ? `${what} → ${status}`.trim() : `${what} → ${res.statusCode}, expected ${status}: ${res.body.slice(0, 2000)}`)
  t.match(String(res.headers['content-type']), /^application\/problem\+json/, `${what} answers application/problem+json`.trim())
  let body: any
  try {
    body = res.json()
  } catch {
    t.ok(false, `${what}: body is not JSON: ${res.body.slice(0, 500)}`)
    return undefined
  }
  t.equal(body.status, status, `${what}: problem.status`.trim())
  t.ok(typeof body.type === 'string' && typeof body.title === 'string', `${what}: problem has type and title`.trim())
  if (expected.code) t.equal(body.code, expected.code, `${what}: problem.code`.trim())
  if (expected.field) {
    const fields: string[] = (body.errors ?? []).map((e: { field: string }) => e.field)
    t.ok(fields.includes(expected.field), `${what}: names ${expected.field} (got ${JSON.stringify(fields)})`.trim())
  }
  return body
}

let keySeq = 0
/** A fresh Idempotency-Key. */
export function newKey(prefix = 'k'): string {
  return `${prefix}-${process.pid}-${Date.now()}-${++keySeq}`
}

/** POST /data-points/batch as `core-banking` (unless told), with a fresh key unless given one. */
export async function postBatch(
  s: ScoringUnderTest,
  records: unknown[],
  options: { mode?: 'all-or-nothing' | 'per-record'; key?: string | null; role?: Role; headers?: Record<string, string> } = {},
) {
  const key = options.key === undefined ? newKey('batch') : options.key
  return s.app.inject({
    method: 'POST',
    url: '/data-points/batch',
    headers: { ...(options.headers ?? (await s.auth(options.role ?? 'core-banking'))), ...(key === null ? {} : { 'idempotency-key': key }) },
    payload: { mode: options.mode ?? 'all-or-nothing', records },
  })
}

/** Rows in the service's own `data_points` table, optionally of one enterprise. */
export async function countDataPoints(s: ScoringUnderTest, uscc?: string): Promise<number> {
  let q = s.db.selectFrom('data_points').select((eb) => eb.fn.countAll<string>().as('n'))
  if (uscc) q = q.where('uscc', '=', uscc)
  const row = await q.executeTakeFirstOrThrow()
  return Number(row.n)
}

/** One month of invoiced sales (fen as a decimal string). */
export function invoiceRecord(uscc: string, period: string, salesAmount: unknown = '150000000', extra: Record<string, unknown> = {}) {
  return { kind: 'invoice-month', uscc, source: 'test-feed', sourceRecordId: `inv-${uscc}-${period}`, period, asOf: `${period}-28`, salesAmount, invoiceCount: 120, ...extra }
}

/** A valid USCC made from an 8-digit sequence number (Fuzhou region). */
export function uscc(n: number): string {
  return makeUscc(`91350100${String(n).padStart(8, '0')}`)
}

/** The same code with a wrong final check character (well-formed, fails GB 32100). */
export function withWrongCheck(code: string): string {
  const last = code.charAt(17)
  return code.slice(0, 17) + (last === '0' ? '1' : '0')
}
