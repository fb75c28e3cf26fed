import { sql } from 'kysely'
import type { VerdictData } from '@sme/contracts'
import { Batcher, reusableStatement, type BatcherOptions, type ReusableStatement } from '@sme/data'
import { insertOutboxRowsFrom, type PreparedEvent } from '@sme/events'
import type { GuardDb, GuardTx, VerdictsTable } from './tables.js'

type Db = GuardDb | GuardTx

/** A verdict's row as the check writes it; the verdict itself is its event's payload (the same JSON, serialized once). */
export type NewVerdictRow = Omit<VerdictsTable, 'verdict'>

/** One verdict and its event, as a check or a review stores them. */
export interface VerdictToStore {
  readonly row: NewVerdictRow & { readonly requested_by: string }
  readonly event: PreparedEvent<unknown>
}

/** The values of the insert statement: the verdicts as one JSON array (see `batchJson`), and the relay's channel. */
interface InsertValues {
  readonly rows: string
  readonly channel: string
}

/** The columns of each object of the batch's JSON array, typed as the statement reads them. */
interface BatchRow extends NewVerdictRow {
  verdict: VerdictsTable['verdict']
  requested_by: string
  event_id: string
  topic: string
  message_key: string | null
  event_type: string
  headers: unknown
}

const VERDICT_COLUMNS = ['id', 'check_id', 'origin', 'loan_id', 'branch_id', 'action', 'outcome', 'verdict', 'caller', 'idempotency_key', 'request_fingerprint', 'decided_at', 'expires_at'] as const

/**
 * Verdicts and their events, any number in one statement (data-modifying CTEs are atomic): stored and
 * queued for `guard.verdicts.v1` with one round trip, one commit and no transaction around them. The
 * verdicts come as one JSON array, each verdict's JSON sent and parsed once (the outbox row takes it
 * from the verdict row). A caller's key already taken inserts nothing of that verdict, its event
 * included (a racing duplicate waits for the first to commit). An escalated check opens its
 * escalation in the same statement. `notify` adds `pg_notify(channel, '')`, delivered at commit (see
 * Outbox.prepare). The answer names the verdicts stored.
 */
function insertStatement(schema: string, notify: boolean): ReusableStatement<InsertValues, { id: string; notified: string }> {
  return reusableStatement<InsertValues, { id: string; notified: string }>(schema, (db: GuardDb, v) =>
    db
      .with(
        'input',
        () =>
          sql<BatchRow>`(select * from json_to_recordset(${v.rows}::json) as i(id uuid, check_id uuid, origin text, loan_id text, branch_id text, action text, outcome text, verdict jsonb, caller text, idempotency_key text, request_fingerprint text, decided_at timestamptz, expires_at timestamptz, requested_by text, event_id uuid, topic text, message_key text, event_type text, headers jsonb))`,
      )
      .with('verdict', (db) =>
        db
          .insertInto('verdicts')
          .columns([...VERDICT_COLUMNS])
          .expression((eb) => eb.selectFrom('input').select([...VERDICT_COLUMNS]))
          .onConflict((oc) => oc.doNothing())
          .returning(['id', 'verdict']),
      )
      .with('stored', (db) => db.selectFrom('verdict as v').innerJoin('input as i', 'i.id', 'v.id').select(['i.id', 'i.event_id', 'i.topic', 'i.message_key', 'i.event_type', 'i.headers', 'v.verdict as payload', 'i.outcome', 'i.check_id', 'i.branch_id', 'i.loan_id', 'i.action', 'i.requested_by', 'i.decided_at']))
      .with('published', (db) => insertOutboxRowsFrom(db, 'stored'))
      // A check that escalates opens its escalation in the same statement.
      .with('escalated', (db) =>
        db
          .insertInto('escalations')
          .columns(['check_id', 'branch_id', 'loan_id', 'action', 'requested_by', 'status', 'approvals', 'outcome', 'opened_at', 'decided_at'])
          .expression((eb) =>
            eb
              .selectFrom('stored')
              .select([
                'check_id',
                'branch_id',
                'loan_id',
                'action',
                'requested_by',
                sql<string>`'open'`.as('status'),
                sql<string>`'[]'::jsonb`.as('approvals'),
                sql<null>`null::text`.as('outcome'),
                'decided_at as opened_at',
                sql<null>`null::timestamptz`.as('decided_at'),
              ])
              .where('outcome', '=', 'ESCALATE'),
          ),
      )
      .selectFrom('stored')
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

/** The verdicts as the statement's JSON array: each verdict's own JSON (the event's payload) and headers spliced in, not re-serialized. */
function batchJson(items: readonly VerdictToStore[]): string {
  const objects = items.map(({ row, event }) => {
    const { payload, headers, ...rest } = event.row
    const plain = JSON.stringify({ ...row, ...rest })
    return `${plain.slice(0, -1)},"verdict":${payload},"headers":${headers}}`
  })
  return `[${objects.join(',')}]`
}

/** Stores verdicts with their events in one statement; for each, whether it was stored (false: its caller's key was taken). */
export async function insertVerdicts(db: Db, statements: VerdictStatements, items: readonly VerdictToStore[]): Promise<boolean[]> {
  if (items.length === 0) return []
  const statement = items.some((i) => i.event.notify) ? statements.insert.notifying : statements.insert.silent
  const { rows } = await statement.execute(db, { rows: batchJson(items), channel: items[0]!.event.channel })
  const stored = new Set(rows.map((r) => r.id))
  return items.map((i) => stored.has(i.row.id))
}

/** Stores a verdict with its event; false, writing nothing, when the caller's key is taken. */
export async function insertVerdict(db: Db, statements: VerdictStatements, row: VerdictToStore['row'], event: PreparedEvent<unknown>): Promise<boolean> {
  const [stored] = await insertVerdicts(db, statements, [{ row, event }])
  return stored === true
}

/**
 * The checks' verdicts, written together when they arrive together (see Batcher): under load, one
 * statement and one commit store many, each answered only once its own is committed.
 */
export class VerdictWriter {
  readonly #batcher: Batcher<VerdictToStore, boolean>

  constructor(db: GuardDb, statements: VerdictStatements, options: BatcherOptions) {
    this.#batcher = new Batcher((items) => insertVerdicts(db, statements, items), options)
  }

  /** Stores the verdict with its event; false, writing nothing, when the caller's key is taken. */
  store(item: VerdictToStore): Promise<boolean> {
    return this.#batcher.submit(item)
  }

  /** Statements run and verdicts they stored, and the most in one. */
  stats(): { readonly batches: number; readonly items: number; readonly largest: number } {
    return this.#batcher.stats()
  }
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
