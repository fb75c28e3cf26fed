import { insertOutboxRowFrom, type PreparedEvent } from '@sme/events'
import { reusableStatement, type ReusableStatement } from '@sme/data'
import type { BranchScope, CursorKey, CursorPart } from '@sme/kit'
import { sql, type ExpressionBuilder, type Selectable } from 'kysely'
import { toJson } from '../json.js'
import { appendAudit } from './audit.js'
import type { Outcome } from '../domain/index.js'
import { OPEN_STATUSES, type ApplicationsTable, type ApplicationStatus, type FinalOutcome, type ReliefDb, type ReliefTables, type ReliefTx } from './tables.js'

export type ApplicationRow = Selectable<ApplicationsTable>
export type ApplicationListRow = ApplicationRow & {
  /** The rules' outcome, once decided. */
  automated_outcome: Outcome | null
  /** The proposal awaiting confirmation, if any (at most one per application). */
  pending_proposal: { id: string; outcome: FinalOutcome; proposedBy: string } | null
}

export type { BranchScope } from '@sme/kit'

/** A new application's row as intake writes it: the columns the database, a decision or the scoring request (its event id) fill left out. */
type NewApplicationRow = Omit<ApplicationRow, 'revision' | 'final_outcome' | 'decided_by' | 'decided_at' | 'scoring_request_id'>

/**
 * What the intake statement writes, derived from what it is given: the application row (its JSON as
 * text), the audit entry, and the outbox row with its notification channel.
 */
export type IntakeValues = Omit<NewApplicationRow, 'application'> & {
  readonly application: string
  readonly audit_action: string
  readonly audit_details: string
  readonly channel: string
} & PreparedEvent<unknown>['row']

/**
 * The intake statement: the application, its first audit entry and the event asking for its score,
 * in one statement (data-modifying CTEs are atomic), so intake needs one round trip and no
 * transaction around it. `notify` adds `pg_notify(channel, '')`, delivered at commit (see
 * Outbox.prepare). Compiled once per schema (see reusableStatement): intake is the hot path.
 */
function intakeStatement(schema: string, notify: boolean): ReusableStatement<IntakeValues, AcceptedApplication & { notified: string }> {
  return reusableStatement<IntakeValues, AcceptedApplication & { notified: string }>(schema, (db: ReliefDb, v) =>
    db
      .with('application', (db) =>
        db
          .insertInto('applications')
          .values({
            id: v.id,
            uscc: v.uscc,
            loan_id: v.loan_id,
            branch_id: v.branch_id,
            relief_kind: v.relief_kind,
            status: v.status,
            version: v.version,
            application_date: v.application_date,
            answer_by: v.answer_by,
            received_at: v.received_at,
            submitted_by: v.submitted_by,
            application: sql`${v.application}::jsonb`,
            scoring_status: v.scoring_status,
            final_outcome: null,
            decided_by: null,
            decided_at: null,
            idempotency_key: v.idempotency_key,
            request_fingerprint: v.request_fingerprint,
            scoring_request_id: sql<string>`${v.event_id}::uuid`,
            traceparent: v.traceparent,
          })
          // Any unique index: the key's and the open-application-per-loan one.
          .onConflict((oc) => oc.doNothing())
          .returningAll(),
      )
      .with('audited', (db) =>
        db
          .insertInto('audit_log')
          .columns(['at', 'actor', 'action', 'application_id', 'details'])
          .expression((eb) =>
            eb
              .selectFrom('application')
              .select([
                sql<Date>`${v.received_at}::timestamptz`.as('at'),
                sql<string>`${v.submitted_by}::text`.as('actor'),
                sql<string>`${v.audit_action}::text`.as('action'),
                'application.id',
                sql`${v.audit_details}::jsonb`.as('details'),
              ]),
          ),
      )
      .with('requested', (db) => insertOutboxRowFrom(db, 'application', v))
      .selectFrom('application')
      .select(RETURNED_COLUMNS)
      // Delivered when the statement commits: wakes relays elsewhere when none runs here.
      .select(notify ? sql<string>`pg_notify(${v.channel}, '')`.as('notified') : sql<string>`''`.as('notified')),
  )
}

/**
 * What intake answers with; a retry reads the stored application in full to compare it. Each column
 * returned is one more field node-postgres describes and parses on every request.
 */
const RETURNED_COLUMNS = ['id', 'application_date', 'answer_by'] as const satisfies readonly (keyof ApplicationRow)[]

/** An application as intake stored it: what its answer names. */
export type AcceptedApplication = Pick<ApplicationRow, (typeof RETURNED_COLUMNS)[number]>

/** The relief statements of one schema, compiled when the service is set up. */
export interface ApplicationStatements {
  readonly intake: { readonly notifying: ReusableStatement<IntakeValues, AcceptedApplication & { notified: string }>; readonly silent: ReusableStatement<IntakeValues, AcceptedApplication & { notified: string }> }
}

export function applicationStatements(schema: string): ApplicationStatements {
  return { intake: { notifying: intakeStatement(schema, true), silent: intakeStatement(schema, false) } }
}

/**
 * Stores a new application, its first audit entry and the event that asks for its score, in one
 * statement. Returns undefined, writing nothing (no entry, no event, no notification), when a unique
 * index refuses the application: the submitter's key is taken (`applications_idempotency`) or the
 * loan has an undecided application (`applications_open_per_loan`). A conflicting insert still in
 * flight is waited for, so racing duplicates cannot both get in.
 */
export async function insertApplication(
  db: ReliefDb | ReliefTx,
  statements: ApplicationStatements,
  row: NewApplicationRow,
  audit: { action: string; details: Record<string, unknown> },
  request: PreparedEvent<unknown>,
): Promise<AcceptedApplication | undefined> {
  const statement = request.notify ? statements.intake.notifying : statements.intake.silent
  // Object.assign, not spreads: Node 20's V8 built this object of 30 keys from two spreads in about
  // 30 µs, a few percent of the whole request (Node 24's in 0.4 µs); assigning takes 1.3–1.9 µs on both.
  const values: IntakeValues = Object.assign(
    {},
    row,
    // The wire form, plain JSON (no bigint in it): stored as received.
    { application: JSON.stringify(row.application), audit_action: audit.action, audit_details: toJson(audit.details) },
    request.row,
    { channel: request.channel },
  )
  const { rows } = await statement.execute(db, values)
  const inserted = rows[0]
  return inserted && { id: inserted.id, application_date: inserted.application_date, answer_by: inserted.answer_by }
}

/**
 * Stores a natural person's application and its first audit entry, inside the caller's transaction
 * (its decision follows in it: a person is not scored). Returns undefined, writing nothing, when a
 * unique index refuses it, as {@link insertApplication} does.
 */
export async function insertPersonApplication(tx: ReliefTx, row: NewApplicationRow, audit: { action: string; details: Record<string, unknown> }): Promise<ApplicationRow | undefined> {
  const inserted = await tx
    .insertInto('applications')
    .values({ ...row, application: JSON.stringify(row.application), final_outcome: null, decided_by: null, decided_at: null })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst()
  if (!inserted) return undefined
  await appendAudit(tx, { at: row.received_at, actor: row.submitted_by, action: audit.action, applicationId: inserted.id, details: audit.details })
  return inserted
}

export function applicationById(db: ReliefDb | ReliefTx, id: string): Promise<ApplicationRow | undefined> {
  return db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst()
}

/** The application, locked until the transaction ends: every change of an application goes through this. */
export function applicationForUpdate(tx: ReliefTx, id: string): Promise<ApplicationRow | undefined> {
  return tx.selectFrom('applications').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

/**
 * Undecided applications by status, and how many of them are past their answer deadline (限时回复)
 * on `today`: what the service's gauges report.
 */
export async function openApplicationCounts(db: ReliefDb, today: string): Promise<{ status: ApplicationStatus; open: number; overdue: number }[]> {
  const rows = await db
    .selectFrom('applications')
    .select((eb) => ['status', eb.fn.countAll<string>().as('open'), sql<string>`count(*) filter (where answer_by < ${today})`.as('overdue')])
    .where('status', 'in', [...OPEN_STATUSES])
    .groupBy('status')
    .execute()
  return rows.map((r) => ({ status: r.status, open: Number(r.open), overdue: Number(r.overdue) }))
}

/** The application a submitter created under an Idempotency-Key. */
export function applicationByKey(db: ReliefDb | ReliefTx, submittedBy: string, key: string): Promise<ApplicationRow | undefined> {
  return db.selectFrom('applications').selectAll().where('submitted_by', '=', submittedBy).where('idempotency_key', '=', key).executeTakeFirst()
}

/** The undecided application of a loan, if any (one at a time per loan). */
export function openApplicationOfLoan(db: ReliefDb | ReliefTx, loanId: string): Promise<Pick<ApplicationRow, 'id' | 'status'> | undefined> {
  return db.selectFrom('applications').select(['id', 'status']).where('loan_id', '=', loanId).where('status', 'in', [...OPEN_STATUSES]).executeTakeFirst()
}

/**
 * Applications still waiting for their score since before `cutoff`, oldest first, locked. SKIP
 * LOCKED: several instances sweeping at once each take different rows, and a row a consumer is
 * deciding right now is left to it.
 */
export function claimAwaitingScore(tx: ReliefTx, cutoff: Date, limit: number): Promise<ApplicationRow[]> {
  return tx
    .selectFrom('applications')
    .selectAll()
    .where('status', '=', 'awaiting-score')
    .where('received_at', '<=', cutoff)
    // The wait counts from the scoring request's publication: while the broker was away the request
    // sat in the outbox, and scoring could not have answered. The delay between writing the request
    // and publishing it is measured on the database's clock (the relay stamps both) and added to the
    // reception on the service's: one clock per comparison. A request set aside as undeliverable
    // (dead) will never be published: its application waits from intake. A purged row was published
    // long ago.
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('outbox')
            .select('outbox.seq')
            .whereRef('outbox.event_id', '=', 'applications.scoring_request_id')
            .where((eb) =>
              eb.or([
                eb.and([eb('outbox.published_at', 'is', null), eb('outbox.dead_at', 'is', null)]),
                sql<boolean>`${eb.ref('applications.received_at')} + (${eb.ref('outbox.published_at')} - ${eb.ref('outbox.created_at')}) > ${cutoff}`,
              ]),
            ),
        ),
      ),
    )
    .orderBy('received_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute()
}

/**
 * Writes a change of a locked application, bumping its version. The version predicate makes the
 * update a no-op when someone changed the row since it was read (the caller then refuses with 409).
 */
export async function updateApplication(
  tx: ReliefTx,
  id: string,
  expectedVersion: number,
  patch: Partial<Pick<ApplicationRow, 'status' | 'scoring_status' | 'final_outcome' | 'decided_by' | 'decided_at' | 'revision'>>,
): Promise<ApplicationRow | undefined> {
  return tx
    .updateTable('applications')
    .set({ ...patch, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst()
}

export interface ListFilter {
  /** Only these applications (an answer showing the applications it changed). */
  ids?: readonly string[] | undefined
  statuses?: readonly ApplicationStatus[] | undefined
  branches: BranchScope
  /** `value: true`: only applications past their answer deadline on `on` and not final; `false`: only the others. */
  overdue?: { on: string; value: boolean } | undefined
  branchId?: string | undefined
  uscc?: string | undefined
  borrowerId?: string | undefined
  loanId?: string | undefined
  /** `true`: only applications with a follow-up raised during their relief; `false`: only the others. */
  followUp?: boolean | undefined
  /** Application dates from and to (inclusive). */
  from?: string | undefined
  to?: string | undefined
  limit: number
  /** The review queue: referred applications, and final ones with an overturn awaiting confirmation. */
  reviewQueue?: boolean
  /** `urgency`: answer deadline first (the review queue); `received`: newest first. */
  order: 'urgency' | 'received'
  /** The sort key of the last row of the previous page (see {@link listCursorKey}). */
  after?: CursorKey | undefined
}

/** The parts of a cursor under each order (see {@link listCursorKey}). */
export const LIST_CURSOR_PARTS = { urgency: ['date', 'instant', 'uuid'], received: ['instant', 'uuid'] } as const satisfies Record<ListFilter['order'], readonly CursorPart[]>

/** The sort key of a listed row under `order`: what a cursor carries. */
export function listCursorKey(row: ApplicationRow, order: ListFilter['order']): CursorKey {
  return order === 'urgency' ? [row.answer_by, row.received_at.toISOString(), row.id] : [row.received_at.toISOString(), row.id]
}

/**
 * Applications under `filter`, in a total order (ties broken by id), at most `limit`. Keyset
 * pagination: `after` continues after the row with that sort key.
 */
export async function listApplications(db: ReliefDb | ReliefTx, filter: ListFilter): Promise<ApplicationListRow[]> {
  if (filter.branches !== 'all' && filter.branches.length === 0) return []
  if (filter.ids && filter.ids.length === 0) return []
  let q = db
    .selectFrom('applications as a')
    .leftJoin('decisions as d', 'd.application_id', 'a.id')
    .leftJoin('proposals as p', (join) => join.onRef('p.application_id', '=', 'a.id').on('p.status', '=', 'pending'))
    .selectAll('a')
    .select(['d.outcome as automated_outcome', 'p.id as pending_proposal_id', 'p.outcome as pending_outcome', 'p.proposed_by as pending_proposed_by'])
  if (filter.branches !== 'all') q = q.where('a.branch_id', 'in', [...filter.branches])
  if (filter.ids) q = q.where('a.id', 'in', [...filter.ids])
  if (filter.branchId) q = q.where('a.branch_id', '=', filter.branchId)
  if (filter.uscc) q = q.where('a.uscc', '=', filter.uscc)
  if (filter.borrowerId) q = q.where('a.borrower_id', '=', filter.borrowerId)
  if (filter.loanId) q = q.where('a.loan_id', '=', filter.loanId)
  if (filter.from) q = q.where('a.application_date', '>=', filter.from)
  if (filter.to) q = q.where('a.application_date', '<=', filter.to)
  if (filter.followUp !== undefined) {
    const raised = (eb: ExpressionBuilder<ReliefTables & { a: ApplicationsTable }, 'a'>) => eb.exists(eb.selectFrom('follow_ups as f').select('f.reason').whereRef('f.application_id', '=', 'a.id'))
    q = q.where((eb) => (filter.followUp ? raised(eb) : eb.not(raised(eb))))
  }
  if (filter.statuses && filter.statuses.length > 0) q = q.where('a.status', 'in', [...filter.statuses])
  if (filter.reviewQueue) q = q.where((eb) => eb.or([eb('a.status', '=', 'referred'), eb('p.id', 'is not', null)]))
  if (filter.overdue) {
    const { on, value } = filter.overdue
    q = value
      ? q.where('a.answer_by', '<', on).where('a.status', 'in', [...OPEN_STATUSES])
      : q.where((eb) => eb.or([eb('a.answer_by', '>=', on), eb('a.status', 'not in', [...OPEN_STATUSES])]))
  }
  const after = filter.after
  if (filter.order === 'urgency') {
    if (after) q = q.where((eb) => eb(eb.refTuple('a.answer_by', 'a.received_at', 'a.id'), '>', eb.tuple(String(after[0]), new Date(String(after[1])), String(after[2]))))
    q = q.orderBy('a.answer_by').orderBy('a.received_at').orderBy('a.id')
  } else {
    if (after) q = q.where((eb) => eb(eb.refTuple('a.received_at', 'a.id'), '<', eb.tuple(new Date(String(after[0])), String(after[1]))))
    q = q.orderBy('a.received_at', 'desc').orderBy('a.id', 'desc')
  }
  const rows = await q.limit(filter.limit).execute()
  return rows.map(({ pending_proposal_id, pending_outcome, pending_proposed_by, ...row }) => ({
    ...row,
    pending_proposal: pending_proposal_id !== null && pending_outcome !== null && pending_proposed_by !== null ? { id: pending_proposal_id, outcome: pending_outcome, proposedBy: pending_proposed_by } : null,
  }))
}

/** One application as the lists show it, read in `db` (inside a transaction: what it just changed). */
export async function applicationSummaryRow(db: ReliefDb | ReliefTx, id: string): Promise<ApplicationListRow | undefined> {
  const [row] = await listApplications(db, { ids: [id], branches: 'all', limit: 1, order: 'received' })
  return row
}
