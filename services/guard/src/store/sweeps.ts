import { sql } from 'kysely'
import { quoteIdentifier, type BulkSession } from '@sme/data'
import type { FieldError } from '@sme/kit'
import type { AsOf } from './read-model.js'
import type { GuardDb, Source, SweepVerdictsTable } from './tables.js'

/** What a sweep answers, and answers again to a retry. */
export interface SweepSummary {
  sweepId: string
  lines: number
  outcomes: { ALLOW: number; BLOCK: number; ESCALATE: number; REFUSED: number }
  /** The first refused lines with the fields at fault (every one has its verdict row). */
  refused: { line: number; errors: FieldError[] }[]
  policies: { id: string; version: number }[]
  readModelAsOf: AsOf
  startedAt: string
  decidedAt: string
  /** Until when the sweep's verdicts may be relied on; null when none was judged. */
  expiresAt: string | null
  verdicts: string
}

/** The session's staging table of the lines asked (dropped at commit). */
export const STAGING = 'pg_temp.guard_sweep_lines'
export const STAGING_COLUMNS = ['line', 'borrower_key', 'loan_id', 'branch_id', 'body', 'refusal'] as const
export const SWEEP_VERDICT_COLUMNS = ['sweep_id', 'line', 'loan_id', 'branch_id', 'outcome', 'request', 'verdict', 'refusal'] as const satisfies readonly (keyof SweepVerdictsTable)[]

/**
 * The staged lines `from`..`to` with what the read model holds of each (the same records, as the
 * same JSON, as a single check reads): line, body, refusal, reliefs, score, key-list entries, loan.
 */
export function stagedChunk(schema: string, from: number, to: number): string {
  const s = quoteIdentifier(schema)
  return `select l.line, l.body, l.refusal,
    (select json_agg(r) from ${s}.reliefs r where r.borrower_key = l.borrower_key),
    (select row_to_json(sc) from ${s}.scores sc where sc.borrower_key = l.borrower_key),
    (select json_agg(k) from ${s}.key_lists k where k.borrower_key = l.borrower_key),
    (select row_to_json(o) from ${s}.loans o where o.loan_id = l.loan_id)
  from ${STAGING} l where l.line between ${Math.trunc(from)} and ${Math.trunc(to)} order by l.line`
}

/** What the read model had seen of each source when the sweep's snapshot was taken. */
export async function sourceMarks(session: BulkSession, schema: string): Promise<AsOf> {
  const rows = await session.query<{ source: Source; last_event_at: Date | string }>(`select source, last_event_at from ${quoteIdentifier(schema)}.source_marks`)
  const asOf: AsOf = { relief: null, scoring: null, loans: null, keyLists: null }
  for (const r of rows) asOf[r.source] = new Date(r.last_event_at).toISOString()
  return asOf
}

/** Claims the caller's key for a new sweep; false when a sweep holds it already (under way or done). */
export async function insertSweep(session: BulkSession, schema: string, s: { id: string; caller: string; key: string; startedAt: Date }): Promise<boolean> {
  const rows = await session.query({
    sql: `insert into ${quoteIdentifier(schema)}.sweeps (id, caller, idempotency_key, status, started_at) values ($1, $2, $3, 'running', $4) on conflict (caller, idempotency_key) do nothing returning id`,
    parameters: [s.id, s.caller, s.key, s.startedAt],
  })
  return rows.length === 1
}

export async function finishSweep(session: BulkSession, schema: string, id: string, fingerprint: string, summary: SweepSummary): Promise<void> {
  await session.query({
    sql: `update ${quoteIdentifier(schema)}.sweeps set status = 'done', request_fingerprint = $2, lines = $3, summary = $4, decided_at = $5 where id = $1`,
    parameters: [id, fingerprint, summary.lines, JSON.stringify(summary), summary.decidedAt],
  })
}

export async function sweepByKey(db: GuardDb, caller: string, key: string): Promise<{ fingerprint: string; summary: SweepSummary } | undefined> {
  const row = await db.selectFrom('sweeps').select(['request_fingerprint', 'summary']).where('caller', '=', caller).where('idempotency_key', '=', key).where('status', '=', 'done').executeTakeFirst()
  return row && row.request_fingerprint !== null && row.summary !== null ? { fingerprint: row.request_fingerprint, summary: row.summary } : undefined
}

export async function sweepById(db: GuardDb, id: string): Promise<{ caller: string; summary: SweepSummary } | undefined> {
  const row = await db.selectFrom('sweeps').select(['caller', 'summary']).where('id', '=', id).where('status', '=', 'done').executeTakeFirst()
  return row && row.summary !== null ? { caller: row.caller, summary: row.summary } : undefined
}

/** A page of a sweep's verdict rows after line `after`, in line order, of the branches given (or all). */
export async function sweepVerdictPage(db: GuardDb, id: string, after: number, limit: number, filter: { outcome?: string | undefined; branches: 'all' | readonly string[] }) {
  // The JSON columns as the text stored: the page is written out as NDJSON without parsing it.
  let q = db
    .selectFrom('sweep_verdicts')
    .select(['line', 'loan_id', 'branch_id', 'outcome', sql<string>`request::text`.as('request'), sql<string | null>`verdict::text`.as('verdict'), sql<string | null>`refusal::text`.as('refusal')])
    .where('sweep_id', '=', id).where('line', '>', after)
  if (filter.outcome !== undefined) q = q.where('outcome', '=', filter.outcome as SweepVerdictsTable['outcome'])
  if (filter.branches !== 'all') q = filter.branches.length === 0 ? q.where(sql<boolean>`false`) : q.where('branch_id', 'in', [...filter.branches])
  return q.orderBy('line').limit(limit).execute()
}
