import type { Selectable } from 'kysely'
import { toJson } from '../json.js'
import type { ApplicationsTable, ApplicationStatus, ReliefDb, ReliefTx } from './tables.js'

export type ApplicationRow = Selectable<ApplicationsTable>
export type ApplicationListRow = ApplicationRow & {
  automated_outcome: string | null
  /** The proposal awaiting confirmation, if any (at most one per application). */
  pending_proposal_id: string | null
  pending_outcome: string | null
  pending_proposed_by: string | null
}

/** Which branches a reader may see: all of them, or the listed ones (possibly none). */
export type BranchScope = 'all' | readonly string[]

export async function insertApplication(tx: ReliefTx, row: Omit<ApplicationRow, 'revision'>): Promise<ApplicationRow> {
  return tx
    .insertInto('applications')
    .values({ ...row, application: toJson(row.application) as never })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function applicationById(db: ReliefDb | ReliefTx, id: string): Promise<ApplicationRow | undefined> {
  return db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst()
}

/** The application, locked until the transaction ends: every change of an application goes through this. */
export function applicationForUpdate(tx: ReliefTx, id: string): Promise<ApplicationRow | undefined> {
  return tx.selectFrom('applications').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

/** The undecided application of a loan, if any (one at a time per loan). */
export function openApplicationOfLoan(tx: ReliefTx, loanId: string): Promise<Pick<ApplicationRow, 'id' | 'status'> | undefined> {
  return tx.selectFrom('applications').select(['id', 'status']).where('loan_id', '=', loanId).where('status', 'in', ['awaiting-score', 'referred']).executeTakeFirst()
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
  statuses?: readonly ApplicationStatus[] | undefined
  branches: BranchScope
  /** `value: true`: only applications past their answer deadline on `on` and not final; `false`: only the others. */
  overdue?: { on: string; value: boolean } | undefined
  branchId?: string | undefined
  limit: number
  /** The review queue: referred applications, and final ones with an overturn awaiting confirmation. */
  reviewQueue?: boolean
  /** `urgency`: answer deadline first (the review queue); `received`: newest first. */
  order: 'urgency' | 'received'
}

export function listApplications(db: ReliefDb, filter: ListFilter): Promise<ApplicationListRow[]> {
  if (filter.branches !== 'all' && filter.branches.length === 0) return Promise.resolve([])
  let q = db
    .selectFrom('applications as a')
    .leftJoin('decisions as d', 'd.application_id', 'a.id')
    .leftJoin('proposals as p', (join) => join.onRef('p.application_id', '=', 'a.id').on('p.status', '=', 'pending'))
    .selectAll('a')
    .select(['d.outcome as automated_outcome', 'p.id as pending_proposal_id', 'p.outcome as pending_outcome', 'p.proposed_by as pending_proposed_by'])
  if (filter.branches !== 'all') q = q.where('a.branch_id', 'in', [...filter.branches])
  if (filter.branchId) q = q.where('a.branch_id', '=', filter.branchId)
  if (filter.statuses && filter.statuses.length > 0) q = q.where('a.status', 'in', [...filter.statuses])
  if (filter.reviewQueue) q = q.where((eb) => eb.or([eb('a.status', '=', 'referred'), eb('p.id', 'is not', null)]))
  if (filter.overdue) {
    const { on, value } = filter.overdue
    const open = ['awaiting-score', 'referred'] as const
    q = value
      ? q.where('a.answer_by', '<', on).where('a.status', 'in', open)
      : q.where((eb) => eb.or([eb('a.answer_by', '>=', on), eb('a.status', 'not in', open)]))
  }
  q = filter.order === 'urgency' ? q.orderBy('a.answer_by').orderBy('a.received_at') : q.orderBy('a.received_at', 'desc')
  return q.orderBy('a.id').limit(filter.limit).execute()
}
