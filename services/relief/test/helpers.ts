import { randomUUID } from 'node:crypto'
import type { Database } from '@sme/data'
import { makeUscc } from '@sme/domain'
import { newEvent, toTransportMessage, type Transport } from '@sme/events'
import type { Role, ServiceApp } from '@sme/kit'
import { bearerFor, serviceUnderTest, type ServiceUnderTest, type TestCaller } from '@sme/testing/services'
import { ScoreCompleted, ScoringFailed } from '@sme/contracts'
import { eventually, type Teardown } from '@sme/testing'
import { reliefService, type ReliefServiceOptions } from '../src/index.js'
import type { ApplicationInput } from '../src/schemas.js'
import type { ReliefTables } from '../src/store/tables.js'

export const SECRET = 'relief-tests-secret-0123456789abcdef'
export const AUTH = { secret: SECRET, issuer: 'tests', audience: 'sme-relief' }

export type Claims = TestCaller

export type ReliefUnderTest = ServiceUnderTest<ReliefTables>

/** The relief service on the real PostgreSQL in a schema of the test's own (see serviceUnderTest). */
export function reliefUnderTest(
  t: Teardown,
  options: {
    transport?: Transport
    now?: () => Date
    database?: Database<any>
    schema?: string
    service?: ReliefServiceOptions
    beforeRoutes?: (app: ServiceApp) => void
    startMessaging?: boolean
  } = {},
): Promise<ReliefUnderTest> {
  const { service, ...rest } = options
  return serviceUnderTest(t, reliefService(service), { ...rest, auth: AUTH })
}

export function authHeader(role: Role, claims: Claims = {}): Promise<Record<string, string>> {
  return bearerFor(AUTH, role, claims)
}

/** A clock standing at `iso` and moving with real time (timeouts elapse; the date stays put). */
export function clockFrom(iso: string): () => Date {
  const offset = Date.now() - Date.parse(iso)
  return () => new Date(Date.now() - offset)
}

/** A valid USCC made from an 8-digit sequence number (Fuzhou region). */
export function uscc(n: number): string {
  return makeUscc(`91350100${String(n).padStart(8, '0')}`)
}

let loanSeq = 0
/** A fresh loan id. */
export function newLoanId(prefix = 'LN'): string {
  return `${prefix}-${process.pid}-${Date.now()}-${++loanSeq}`
}

let keySeq = 0
/** A fresh Idempotency-Key. */
export function newKey(prefix = 'k'): string {
  return `${prefix}-${process.pid}-${Date.now()}-${++keySeq}`
}

export type RequestKind = 'extension' | 'extension-beyond-cap' | 'mandatory-deferral' | 'renewal'

/**
 * A small retail firm in Fuzhou (20 staff, CNY 3 million revenue) with a working-capital loan of
 * 2019-12-01 → 2020-07-01, guaranteed with the guarantor's consent, CNY 5 million total credit,
 * applying itself with every commitment. Decided on 2020-06-15:
 * - `extension` to 2020-12-31: within the cap (APPROVED on a good score, REFERRED on a poor one);
 * - `extension-beyond-cap` to 2021-03-01: beyond the short-term cap (DECLINED);
 * - `mandatory-deferral` of the principal to 2020-12-31: the 2020-06 programme's mandatory grant;
 * - `renewal` without principal repayment to 2021-07-01.
 */
/** A body naming an enterprise (the helpers' default borrower). */
export type EnterpriseBody = ApplicationInput & { enterprise: NonNullable<ApplicationInput['enterprise']> }

export function applicationBody(kind: RequestKind, options: { branchId?: string; uscc?: string; loanId?: string; documents?: ApplicationInput['documents'] } = {}): EnterpriseBody {
  const request: ApplicationInput['request'] =
    kind === 'extension'
      ? { kind: 'extension', newMaturity: '2020-12-31' }
      : kind === 'extension-beyond-cap'
        ? { kind: 'extension', newMaturity: '2021-03-01' }
        : kind === 'mandatory-deferral'
          ? { kind: 'deferral', principal: true, interest: false, deferTo: '2020-12-31' }
          : { kind: 'renewal', withoutPrincipalRepayment: true, newMaturity: '2021-07-01', standing: { lawfulAndStable: true, fundsDiverted: false, interestUnpaid: false, debtEvasion: false } }
  return {
    branchId: options.branchId ?? 'B1',
    initiatedBy: 'borrower',
    enterprise: { uscc: options.uscc ?? uscc(1), name: '福州某商贸有限公司', industry: 'retail', employees: 20, revenueFen: '300000000', regionCode: '350100' },
    loan: {
      loanId: options.loanId ?? newLoanId(),
      product: 'working-capital',
      outstandingPrincipalFen: '300000000',
      startDate: '2019-12-01',
      maturityDate: '2020-07-01',
      rateBp: 435,
      guarantee: { kind: 'guarantee', guarantorConsent: true },
      classification: 'normal',
      daysPastDue: 0,
      totalCreditFen: '500000000',
      previousExtensionDays: 0,
    },
    request,
    hardship: { declared: true, text: '疫情期间门店停业，收入大幅下降' },
    ...(options.documents === undefined ? {} : { documents: options.documents }),
    commitments: { keepJobs: true, keepGuarantee: true },
  }
}

export interface Signal {
  score: number
  grade: string
  pdPpm: number
  hardship: 'none' | 'temporary-shock' | 'structural-decline' | 'insufficient-data'
}
export const GOOD: Signal = { score: 700, grade: 'A', pdPpm: 20_000, hardship: 'none' }
export const POOR: Signal = { score: 500, grade: 'D', pdPpm: 200_000, hardship: 'structural-decline' }

/** The data of a ScoreCompleted answering `correlationId`, as the scoring service would send it. */
export function scoreData(correlationId: string, firm: string, signal: Signal, asOf = '2020-06-15') {
  return {
    correlationId,
    scoreId: randomUUID(),
    uscc: firm,
    asOf,
    model: { id: 'sme-general-default', version: '2020.1.0', segment: 'sme-general' },
    score: signal.score,
    probabilityOfDefaultPpm: signal.pdPpm,
    grade: signal.grade,
    reasons: [],
    hardship: { classification: signal.hardship, crisisStart: '2020-01-25', reasons: [] },
  }
}

/** Publishes a scoring answer on the transport, as the scoring service would. */
export async function sendScore(transport: Transport, correlationId: string, firm: string, signal: Signal | 'failed'): Promise<void> {
  const event =
    signal === 'failed'
      ? newEvent({ source: '/sme-relief/scoring', type: ScoringFailed.type, data: { correlationId, uscc: firm, code: 'no-model', detail: 'no model in force' } })
      : newEvent({ source: '/sme-relief/scoring', type: ScoreCompleted.type, data: scoreData(correlationId, firm, signal) })
  await transport.publish([toTransportMessage(ScoreCompleted.topic, firm, event)])
}

/** Submits an application as core banking (all branches) and answers its scoring request; waits for the decision. */
export async function decidedApplication(s: ReliefUnderTest, kind: RequestKind, signal: Signal | 'failed', options: Parameters<typeof applicationBody>[1] = {}): Promise<{ id: string; status: string }> {
  const body = applicationBody(kind, options)
  const res = await s.app.inject({ method: 'POST', url: '/applications', headers: { ...(await s.auth('core-banking', { branches: ['*'] })), 'idempotency-key': newKey('app') }, payload: body })
  if (res.statusCode !== 202) throw new Error(`intake failed: ${res.statusCode} ${res.body}`)
  const { id } = res.json() as { id: string }
  await sendScore(s.transport, id, body.enterprise.uscc, signal)
  const row = await eventually(`application ${id} decided`, async () => {
    const r = await s.db.selectFrom('applications').select(['id', 'status']).where('id', '=', id).executeTakeFirst()
    return r && r.status !== 'awaiting-score' ? r : undefined
  }, 10_000, 20)
  return row
}

// ---------------------------------------------------------------------------------------------
// HTTP assertions

type Reply = { statusCode: number; headers: Record<string, unknown>; body: string; json(): any }
type Asserts = { equal(...args: any[]): unknown; ok(...args: any[]): unknown; match(...args: any[]): unknown }

/** Asserts the status; the body is shown only on failure. */
export function expectStatus(t: Asserts, res: Reply, status: number, what = ''): any {
  t.equal(res.statusCode, status, res.statusCode === status ? `${what} → ${status}`.trim() : `${what} → ${res.statusCode}, expected ${status}: ${res.body.slice(0, 2000)}`)
  if (res.statusCode !== status) return undefined
  // JSON answers parsed; others (the calendar's CSV) as text.
  return /json/.test(String(res.headers['content-type'])) ? res.json() : res.body
}

/** Asserts an RFC 9457 problem document with the status (and code, when given). */
export function expectProblem(t: Asserts, res: Reply, status: number, expected: { code?: string; what?: string } = {}): any {
  const what = expected.what ?? ''
  t.equal(res.statusCode, status, res.statusCode === status ? `${what} → ${status}`.trim() : `${what} → ${res.statusCode}, expected ${status}: ${res.body.slice(0, 2000)}`)
  t.match(String(res.headers['content-type']), /^application\/problem\+json/, `${what} answers application/problem+json`.trim())
  const body = res.json()
  if (expected.code) t.equal(body.code, expected.code, `${what}: problem.code`.trim())
  return body
}

/** Events of a type in the service's outbox, payloads parsed. */
export async function outboxEvents(s: Pick<ReliefUnderTest, 'db'>, type: string): Promise<any[]> {
  const rows = await s.db.selectFrom('outbox').select(['payload', 'event_type']).where('event_type', '=', type).orderBy('seq').execute()
  return rows.map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload))
}

/**
 * Data of a healthy small manufacturer for the scoring service: two years of monthly figures through
 * `through` (as in the scoring service's own tests), so it scores well with no hardship.
 */
export function healthyFirmRecords(firm: string, through = '2020-05') {
  const [ty, tm] = through.split('-').map(Number) as [number, number]
  const months: string[] = []
  for (let i = 23; i >= 0; i--) {
    const idx = ty * 12 + (tm - 1) - i
    months.push(`${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`)
  }
  const asOf = (month: string) => `${month}-28`
  const ratingYear = tm >= 4 ? ty - 1 : ty - 2
  return [
    { kind: 'registration', uscc: firm, source: 'samr', sourceRecordId: `reg-${firm}`, period: '2015-03-01', asOf: asOf(through), industry: 'C3989', region: '350100', foundedOn: '2015-03-01', legalStatus: 'active' },
    { kind: 'tax-rating', uscc: firm, source: 'tax-bureau', sourceRecordId: `rating-${firm}-${ratingYear}`, period: `${ratingYear + 1}-04`, asOf: asOf(through), ratingYear, rating: 'A' },
    ...months.flatMap((m) => [
      { kind: 'invoice-month', uscc: firm, source: 'test-feed', sourceRecordId: `inv-${firm}-${m}`, period: m, asOf: asOf(m), salesAmount: '150000000', invoiceCount: 120 },
      { kind: 'tax-return', uscc: firm, source: 'tax-bureau', sourceRecordId: `tax-${firm}-${m}`, period: m, asOf: asOf(m), declaredRevenue: '150000000', taxPaid: '4500000' },
      { kind: 'headcount-month', uscc: firm, source: 'social-insurance', sourceRecordId: `hc-${firm}-${m}`, period: m, asOf: asOf(m), scheme: 'social-insurance', employees: 48 },
      { kind: 'utility-month', uscc: firm, source: 'state-grid', sourceRecordId: `el-${firm}-${m}`, period: m, asOf: asOf(m), utility: 'electricity', consumption: 52000, billed: '4160000', arrears: '0' },
      { kind: 'repayment-month', uscc: firm, source: 'bank-core', sourceRecordId: `rp-${firm}-${m}`, period: m, asOf: asOf(m), loanId: 'L-000123', maxDaysPastDue: 0 },
    ]),
    { kind: 'court-records', uscc: firm, source: 'court', sourceRecordId: `court-${firm}`, period: `${through}-01`, asOf: asOf(through), records: [] },
    { kind: 'administrative-penalties', uscc: firm, source: 'samr', sourceRecordId: `pen-${firm}`, period: `${through}-01`, asOf: asOf(through), penalties: [] },
  ]
}

// ---------------------------------------------------------------------------------------------
// Core banking's loan stream, as core banking sends it (no code of ours on the producing side)

/** A loan's position as core banking publishes it. */
export type LoanPosition = { outstandingPrincipalFen: string; daysPastDue: number; classification: string; status: string }

/** One loan event as core banking sends it: CloudEvents headers in binary mode, the JSON body, keyed by loan id. */
export function coreMessage(type: string, data: Record<string, unknown> & { loanId: string }, id: string = randomUUID()) {
  return {
    key: data.loanId,
    value: JSON.stringify(data),
    headers: { ce_specversion: '1.0', ce_id: id, ce_source: '/core-banking/fz', ce_type: type, ce_time: new Date().toISOString(), 'content-type': 'application/json' },
  }
}
