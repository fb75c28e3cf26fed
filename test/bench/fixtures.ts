/**
 * What the benchmark's parent process (test/bench/run.ts) and its server child (test/bench/server.ts)
 * share: the measured table, its migration, the request body, the event and the token parameters.
 */
import type { Migrations } from '@sme/data'
import { makeUscc } from '@sme/domain'
import { defineEvent, EventCatalogue, eventMigrations, type EventTables } from '@sme/events'
import { idempotencyMigrations } from '@sme/kit'
import { sql, type ColumnType, type Generated } from 'kysely'
import { applicationBody, clockFrom } from '../../services/relief/test/helpers.js'
import { Type, type Static } from 'typebox'

/**
 * The measured servers: bare Fastify, kit + one INSERT, kit + INSERT + outbox in one transaction
 * (the write path alone: no relay runs), the same with its outbox relay publishing as a service's
 * does (`relayed`: intake's baseline, measured right before it), the real relief
 * service's intake (POST /applications: a new application and its ScoringRequested outbox event in
 * one transaction), and the real scoring service (POST /scores: read the firm's data, score, store
 * the score and its outbox event in one transaction), and the real pricing service (POST /quotes: a
 * 360-month quote priced, stored whole with its schedule, and its outbox event, in one transaction).
 */
export type Scenario = 'bare' | 'insert' | 'plain-insert' | 'outbox' | 'relayed' | 'plain-outbox' | 'intake' | 'score' | 'quote' | 'quote-minimal' | 'check' | 'claim'
export const SCENARIOS: readonly Scenario[] = ['bare', 'insert', 'plain-insert', 'quote', 'quote-minimal', 'check', 'outbox', 'relayed', 'plain-outbox', 'intake', 'score']
/** What test/bench/server.ts serves: the scenarios above, and the claims filing `npm run bench:claims` measures on its own seed. */
export const SERVER_SCENARIOS: readonly Scenario[] = [...SCENARIOS, 'claim']
/** Scenarios served by test/bench/plain-server.ts, which imports nothing of ours. */
export const PLAIN_SCENARIOS: readonly Scenario[] = ['plain-insert', 'plain-outbox']

/**
 * What test/bench/server.ts tells its parent over the IPC channel. `served`, on shutdown (score and
 * intake scenarios): how many 201 (POST /scores) or 202 (POST /applications) answers the server
 * sent, counting those to requests autocannon had stopped waiting for when a run ended.
 */
export type ServerMessage = { type: 'listening'; port: number } | { type: 'error'; message: string } | { type: 'served'; created: number }

export const BENCH_ISSUER = 'https://idp.bench.example'
export const BENCH_AUDIENCE = 'sme-relief-bench'

/** The measured routes write here: one row per accepted request. */
export interface BenchItemsTable {
  id: Generated<bigint>
  enterprise_id: string
  branch_id: string
  /** Integer fen; pg returns int8 as bigint (see @sme/data). */
  amount_fen: ColumnType<bigint, string, never>
  purpose: string
  created_at: Generated<Date>
}

export interface BenchDB extends EventTables {
  bench_items: BenchItemsTable
}

/**
 * The platform tables a service gets from the kit (idempotency keys, outbox, inbox) plus the one
 * table the routes write. Frozen like every migration.
 */
export const benchMigrations: Migrations = {
  ...idempotencyMigrations,
  ...eventMigrations,
  '0001_bench_items': {
    async up(db) {
      await db.schema
        .createTable('bench_items')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('enterprise_id', 'text', (c) => c.notNull())
        .addColumn('branch_id', 'text', (c) => c.notNull())
        .addColumn('amount_fen', 'bigint', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute()
    },
  },
}

const USCC = '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$'
const FEN = '^(0|[1-9][0-9]{0,17})$'

/** The small request body the write routes validate (about 150 bytes as JSON). */
export const ItemBody = Type.Object(
  {
    enterpriseId: Type.String({ pattern: USCC }),
    branchId: Type.String({ pattern: '^BR-[0-9]{6}$' }),
    /** Amount in fen (1/100 CNY), as a decimal string: money never travels as a float. */
    amountFen: Type.String({ pattern: FEN }),
    purpose: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
)
export type ItemBody = Static<typeof ItemBody>

export const ItemCreated = Type.Object({ id: Type.String() }, { additionalProperties: false })

export const SAMPLE_BODY: ItemBody = {
  enterpriseId: '91310000MA1FL8XQ30',
  branchId: 'BR-310101',
  amountFen: '150000000',
  purpose: 'working capital bridge for payroll',
}

/** The event both the outbox route and the relay benchmark write; about 300 bytes of JSON. */
export function itemEvents(topic: string) {
  const ItemRecorded = defineEvent({
    type: 'sme.bench.item-recorded.v1',
    topic,
    summary: 'A benchmark item was recorded',
    keyDescription: "the enterprise's USCC",
    schema: Type.Object(
      {
        itemId: Type.String(),
        enterpriseId: Type.String({ pattern: USCC }),
        branchId: Type.String(),
        amountFen: Type.String({ pattern: FEN }),
        currency: Type.Literal('CNY'),
        purpose: Type.String({ maxLength: 200 }),
        /** RFC 3339 UTC instant the row was written. */
        recordedAt: Type.String(),
      },
      { additionalProperties: false },
    ),
    keyOf: (d) => d.enterpriseId,
  })
  return { ItemRecorded, catalogue: new EventCatalogue([ItemRecorded]) }
}

export type ItemRecordedData = Static<ReturnType<typeof itemEvents>['ItemRecorded']['schema']>

/** A structurally plausible, distinct USCC per enterprise number (for partition keys). */
export function enterpriseId(n: number): string {
  return `913100${String(n % 1_000_000).padStart(6, '0')}MA1FL8XQ`.slice(0, 18)
}

/** Event data of the messaging benchmark: `keys` distinct enterprises, ~300 bytes each. */
export function sampleEventData(i: number, keys: number): ItemRecordedData {
  return {
    itemId: String(1_000_000 + i),
    enterpriseId: enterpriseId(i % keys),
    branchId: 'BR-310101',
    amountFen: String(150_000_000 + i),
    currency: 'CNY',
    purpose: 'working capital bridge for payroll and supplier invoices during the relief period, Q3; repaid from receivables due in 90 days',
    recordedAt: new Date(Date.UTC(2025, 6, 1, 8, 0, 0) + i * 1000).toISOString(),
  }
}

// ---------------------------------------------------------------------------------------------
// intake: the relief service's POST /applications

/**
 * The relief service's clock in the intake scenario: the application date (Asia/Shanghai day of
 * receipt) is 2020-06-15, on which the applications below are decidable under the default policy
 * versions (the service's own tests date them the same way). It moves with real time.
 */
export const INTAKE_CLOCK_START = '2020-06-15T02:00:00Z'

export { clockFrom }

/** Distinct borrowers the intake requests rotate over (valid USCCs, Fuzhou region). */
export const INTAKE_FIRMS = 1_000
const intakeFirms = Array.from({ length: INTAKE_FIRMS }, (_, n) => makeUscc(`91350100${String(n).padStart(8, '0')}`))

/**
 * Application number `seq` of run `run`, as JSON: the relief service's own test application (a small
 * retail firm in Fuzhou extending a working-capital loan to 2020-12-31, within the short-term cap),
 * with a borrower from the rotation and a loan id of its own (one undecided application per loan).
 * Made cheaply: the load generator shares the machine with the server, so it splices the loan id
 * into one serialized body per borrower rather than building and serializing each body (the
 * baseline sends one fixed string).
 */
export function intakeBodies(run: string): (seq: number) => string {
  const marker = '__LOAN_ID__'
  const templates = intakeFirms.map((uscc) => JSON.stringify(applicationBody('extension', { branchId: 'B1', uscc, loanId: marker })).split(JSON.stringify(marker)))
  return (seq) => templates[seq % INTAKE_FIRMS]!.join(JSON.stringify(`LN-${run}-${seq}`))
}

/**
 * A quote for the pricing service's POST /quotes: a 30-year loan of a key-list-sized firm, equal
 * instalments, so every request prices and stores a 360-period schedule.
 */
export const QUOTE_BODY = {
  // The bench officer's branch (SAMPLE_BODY's).
  branchId: 'BR-310101',
  borrower: { kind: 'enterprise', uscc: makeUscc('91350100MA2Y0001'), size: 'small', inclusiveSmallMicro: false },
  grade: 'BBB',
  affected: true,
  product: 'term-loan',
  principalFen: '500000000',
  termMonths: 360,
  method: 'equal-instalments',
  pricingDate: '2020-06-15',
  startDate: '2020-06-15',
} as const

/** The pricing service's quote scenarios: the whole answer, or the brief one (`Prefer: return=minimal`); both store the whole schedule. */
export function isQuoteScenario(scenario: Scenario): scenario is 'quote' | 'quote-minimal' {
  return scenario === 'quote' || scenario === 'quote-minimal'
}

/** Firms the guard's read model holds for the check scenario; every other one is under an approved deferral. */
export const CHECK_FIRMS = 1_000

export const checkFirm = (i: number): string => makeUscc(`91350100${String(i).padStart(8, '0')}`)

/**
 * Core banking's check before calling a loan early, rotating over CHECK_FIRMS loans: half the firms
 * protected (the check reads their relief decision and judges the documented fraud given), half not.
 */
export function checkBodies(): (seq: number) => string {
  const bodies = Array.from({ length: CHECK_FIRMS }, (_, i) =>
    JSON.stringify({
      loanId: `BENCH-L-${i}`,
      branchId: 'B001',
      borrower: { kind: 'enterprise', uscc: checkFirm(i) },
      action: 'call-early',
      actionDate: '2020-04-15',
      amountFen: '100000000',
      reasons: [{ code: 'fraud', evidence: [{ kind: 'investigation-report', ref: `INV-${i}` }] }],
      requestedBy: 'bench-staff',
    }),
  )
  return (seq) => bodies[seq % CHECK_FIRMS]!
}
