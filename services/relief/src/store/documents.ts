import { sql, type Selectable } from 'kysely'
import type { CalendarDate } from '@sme/domain'
import type { DocumentsToFollow } from '../domain/index.js'
import { grantedApplications } from './granted.js'
import type { DocumentsReceivedTable, ReliefDb, ReliefTx } from './tables.js'

export type DocumentReceivedRow = Selectable<DocumentsReceivedTable>

export function documentsReceived(db: ReliefDb | ReliefTx, applicationId: string): Promise<DocumentReceivedRow[]> {
  return db.selectFrom('documents_received').selectAll().where('application_id', '=', applicationId).orderBy('received_at').orderBy('name').execute()
}

/** Records the documents not recorded before; returns the names it recorded. */
export async function recordDocumentsReceived(tx: ReliefTx, applicationId: string, names: readonly string[], by: string, at: Date): Promise<string[]> {
  if (names.length === 0) return []
  const rows = await tx
    .insertInto('documents_received')
    .values(names.map((name) => ({ application_id: applicationId, name, received_at: at, received_by: by })))
    .onConflict((oc) => oc.columns(['application_id', 'name']).doNothing())
    .returning('name')
    .execute()
  return rows.map((r) => r.name)
}

/** A granted relief whose documents to follow were due before `today` and has no follow-up for it yet. */
export interface DocumentsPastDue {
  readonly applicationId: string
  readonly branchId: string
  /** What the granted terms list, read with the row (no second read of the decision). */
  readonly toFollow: DocumentsToFollow
  readonly received: readonly string[]
}

/**
 * Final approvals whose terms list documents due before `today`, not all received, and that have no
 * `documents-overdue` follow-up yet, with the names received so far, at most `limit`, locked so that
 * two instances do not raise the same follow-up twice.
 */
export async function documentsPastDue(tx: ReliefTx, today: CalendarDate, limit: number): Promise<DocumentsPastDue[]> {
  // An optional part of one kind of terms, which Kysely's JSON path types do not reach.
  const toFollow = sql`${sql.ref('d.decision')} -> 'terms' -> 'documentsToFollow'`
  const rows = await grantedApplications(tx)
    .select((eb) => [
      'a.id',
      'a.branch_id',
      sql<DocumentsToFollow>`${toFollow}`.as('to_follow'),
      eb
        .selectFrom('documents_received as r')
        .select(sql<string[]>`coalesce(array_agg(${sql.ref('r.name')}), '{}')`.as('names'))
        .whereRef('r.application_id', '=', 'a.id')
        .as('received'),
    ])
    .where(sql<boolean>`${toFollow} is not null`)
    .where(sql<string>`${toFollow} ->> 'dueBy'`, '<', today)
    // Not all in: the route records only documents the relief is owed, so fewer rows than names.
    .where(
      (eb) => eb.selectFrom('documents_received as c').select((c) => c.fn.countAll<string>().as('n')).whereRef('c.application_id', '=', 'a.id'),
      '<',
      sql<string>`jsonb_array_length(${toFollow} -> 'outstanding')`,
    )
    .where((eb) => eb.not(eb.exists(eb.selectFrom('follow_ups as f').select('f.reason').whereRef('f.application_id', '=', 'a.id').where('f.reason', '=', 'documents-overdue'))))
    .orderBy('a.id')
    .limit(limit)
    .forUpdate('a')
    .skipLocked()
    .execute()
  return rows.map((r) => ({ applicationId: r.id, branchId: r.branch_id, toFollow: r.to_follow, received: r.received ?? [] }))
}
