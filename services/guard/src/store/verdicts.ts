import { sql } from 'kysely'
import type { VerdictData } from '@sme/contracts'
import { reusableStatement, type ReusableStatement } from '@sme/data'
import { insertOutboxRowFrom, type PreparedEvent } from '@sme/events'
import type { GuardDb, GuardTx, VerdictsTable } from './tables.js'

type Db = GuardDb | GuardTx

/** A verdict's row as the check writes it; the verdict itself is its event's payload (the same JSON, serialized once). */
export type NewVerdictRow = Omit<VerdictsTable, 'verdict'>

type InsertValues = NewVerdictRow & PreparedEvent<unknown>['row'] & { readonly channel: string; readonly requested_by: string }

/**
 * The verdict and its event, in one statement (data-modifying CTEs are atomic): stored and queued
 * for `guard.verdicts.v1` with one round trip and no transaction around them. A caller's key already
 * taken inserts nothing, the event included (a racing duplicate waits for the first to commit).
 * An escalated check opens its escalation in the same statement. `notify` adds
 * `pg_notify(channel, '')`, delivered at commit (see Outbox.prepare).
 */
function insertStatement(schema: string, notify: boolean): ReusableStatement<InsertValues, { id: string; notified: string }> {
  return reusableStatement<InsertValues, { id: string; notified: string }>(schema, (db: GuardDb, v) =>
    db
      .with('verdict', (db) =>
        db
          .insertInto('verdicts')
          .values({
            id: v.id,
            check_id: v.check_id,
            origin: v.origin,
            loan_id: v.loan_id,
            branch_id: v.branch_id,
            action: v.action,
            outcome: v.outcome,
            verdict: sql`${v.payload}::jsonb`,
            caller: v.caller,
            idempotency_key: v.idempotency_key,
            request_fingerprint: v.request_fingerprint,
            decided_at: v.decided_at,
            expires_at: v.expires_at,
          })
          .onConflict((oc) => oc.doNothing())
          .returning('id'),
      )
      .with('published', (db) => insertOutboxRowFrom(db, 'verdict', v))
      // A check that escalates opens its escalation in the same statement.
      .with('escalated', (db) =>
        db
          .insertInto('escalations')
          .columns(['check_id', 'branch_id', 'loan_id', 'action', 'requested_by', 'status', 'approvals', 'outcome', 'opened_at', 'decided_at'])
          .expression((eb) =>
            eb
              .selectFrom('verdict')
              .select([
                sql<string>`${v.check_id}::uuid`.as('check_id'),
                sql<string>`${v.branch_id}::text`.as('branch_id'),
                sql<string>`${v.loan_id}::text`.as('loan_id'),
                sql<string>`${v.action}::text`.as('action'),
                sql<string>`${v.requested_by}::text`.as('requested_by'),
                sql<string>`'open'`.as('status'),
                sql<string>`'[]'::jsonb`.as('approvals'),
                sql<null>`null::text`.as('outcome'),
                sql<Date>`${v.decided_at}::timestamptz`.as('opened_at'),
                sql<null>`null::timestamptz`.as('decided_at'),
              ])
              .where(sql<boolean>`${v.outcome}::text = 'ESCALATE'`),
          ),
      )
      .selectFrom('verdict')
      .select('id')
      .select(notify ? sql<string>`pg_notify(${v.channel}, '')`.as('notified') : sql<string>`''`.as('notified')),
  )
}

/** The guard's statements of one schema, compiled when the service is set up. */
export interface VerdictStatements {
  readonly insert: { readonly notifying: ReusableStatement<InsertValues, { id: string; notified: string }>; readonly silent: ReusableStatement<InsertValues, { id: string; notified: string }> }
}

export function verdictStatements(schema: string): VerdictStatements {
  return { insert: { notifying: insertStatement(schema, true), silent: insertStatement(schema, false) } }
}

/** Stores a verdict with its event; false, writing nothing, when the caller's key is taken. */
export async function insertVerdict(db: Db, statements: VerdictStatements, row: NewVerdictRow & { readonly requested_by: string }, event: PreparedEvent<unknown>): Promise<boolean> {
  const statement = event.notify ? statements.insert.notifying : statements.insert.silent
  const values: InsertValues = Object.assign({}, row, event.row, { channel: event.channel })
  const { rows } = await statement.execute(db, values)
  return rows.length > 0
}

/** A stored verdict with what its idempotency replay compares. */
export interface StoredVerdict {
  readonly verdict: VerdictData
  readonly branchId: string
  readonly fingerprint: string | null
}

export async function verdictByKey(db: Db, caller: string, key: string): Promise<StoredVerdict | undefined> {
  const row = await db.selectFrom('verdicts').select(['verdict', 'branch_id', 'request_fingerprint']).where('caller', '=', caller).where('idempotency_key', '=', key).executeTakeFirst()
  return row && { verdict: row.verdict, branchId: row.branch_id, fingerprint: row.request_fingerprint }
}

/** The verdicts on a check, the first (the check's own) first: a risk officer's decision follows it. */
export async function verdictsOfCheck(db: Db, checkId: string): Promise<VerdictData[]> {
  const rows = await db.selectFrom('verdicts').select('verdict').where('check_id', '=', checkId).orderBy('decided_at').orderBy('id').execute()
  return rows.map((r) => r.verdict)
}
