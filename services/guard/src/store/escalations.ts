import type { Selectable } from 'kysely'
import type { BranchScope, CursorKey } from '@sme/kit'
import type { EscalationState } from '../domain/index.js'
import type { EscalationsTable, GuardDb, GuardTx } from './tables.js'

type Db = GuardDb | GuardTx

export type EscalationRow = Selectable<EscalationsTable>

const COLUMNS = ['check_id', 'branch_id', 'loan_id', 'action', 'requested_by', 'status', 'approvals', 'outcome', 'opened_at', 'decided_at'] as const

/** The escalation of a check, locked for its review (two reviewers cannot both decide it). */
export function lockEscalation(tx: GuardTx, checkId: string): Promise<EscalationRow | undefined> {
  return tx.selectFrom('escalations').select(COLUMNS).where('check_id', '=', checkId).forUpdate().executeTakeFirst()
}

export function escalationOf(db: Db, checkId: string): Promise<EscalationRow | undefined> {
  return db.selectFrom('escalations').select(COLUMNS).where('check_id', '=', checkId).executeTakeFirst()
}

export function stateOf(row: EscalationRow): EscalationState {
  return { status: row.status, requestedBy: row.requested_by, approvals: row.approvals, outcome: row.outcome }
}

export async function saveEscalation(tx: GuardTx, checkId: string, state: EscalationState, at: Date): Promise<void> {
  await tx
    .updateTable('escalations')
    .set({ status: state.status, approvals: JSON.stringify(state.approvals), outcome: state.outcome, decided_at: state.status === 'decided' ? at : null })
    .where('check_id', '=', checkId)
    .execute()
}

/**
 * The queue as a page: by status, oldest first (the longest waiting is reviewed first), in the
 * branches of the caller's scope, after the cursor's (opened_at, check_id).
 */
export function escalationPage(db: Db, query: { statuses: readonly EscalationRow['status'][]; branches: BranchScope; after: CursorKey | null; limit: number }): Promise<EscalationRow[]> {
  let q = db.selectFrom('escalations').select(COLUMNS).where('status', 'in', [...query.statuses])
  if (query.branches !== 'all') q = q.where('branch_id', 'in', query.branches.length > 0 ? [...query.branches] : [''])
  if (query.after !== null) {
    const [openedAt, checkId] = query.after as [string, string]
    q = q.where((eb) => eb.or([eb('opened_at', '>', new Date(openedAt)), eb.and([eb('opened_at', '=', new Date(openedAt)), eb('check_id', '>', checkId)])]))
  }
  return q.orderBy('opened_at').orderBy('check_id').limit(query.limit + 1).execute()
}
