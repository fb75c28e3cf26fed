import type { Selectable } from 'kysely'
import type { DataPointsTable, ScoringDb, ScoringTx } from './tables.js'

export type DataPointRow = Selectable<DataPointsTable>

/** The current version of a source record, locked for the transaction (corrections serialise on it). */
export async function currentVersionForUpdate(tx: ScoringTx, source: string, sourceRecordId: string): Promise<DataPointRow | undefined> {
  return tx
    .selectFrom('data_points')
    .selectAll()
    .where('source', '=', source)
    .where('source_record_id', '=', sourceRecordId)
    .where('superseded_by', 'is', null)
    .forUpdate()
    .executeTakeFirst()
}

export async function insertDataPoint(tx: ScoringTx, row: Omit<DataPointRow, 'received_at'>): Promise<void> {
  await tx.insertInto('data_points').values({ ...row, payload: JSON.stringify(row.payload) }).execute()
}

export async function markSuperseded(tx: ScoringTx, id: string, by: string): Promise<void> {
  await tx.updateTable('data_points').set({ superseded_by: by }).where('id', '=', id).execute()
}

/** The enterprise's current figures confirmed on or before `asOf`: what a fresh score reads. */
export function currentPointsOf(db: ScoringDb | ScoringTx, uscc: string, asOf: string): Promise<DataPointRow[]> {
  return db
    .selectFrom('data_points')
    .selectAll()
    .where('uscc', '=', uscc)
    .where('superseded_by', 'is', null)
    .where('as_of', '<=', asOf)
    .orderBy('id')
    .execute()
}

/** Exactly these versions (a replay reads what the score read, corrections notwithstanding). */
export function pointsByIds(db: ScoringDb, ids: readonly string[]): Promise<DataPointRow[]> {
  if (ids.length === 0) return Promise.resolve([])
  return db.selectFrom('data_points').selectAll().where('id', 'in', ids).orderBy('id').execute()
}

export function lineageOf(db: ScoringDb, uscc: string, options: { dimension?: string | undefined; includeSuperseded: boolean; limit: number }): Promise<DataPointRow[]> {
  let query = db.selectFrom('data_points').selectAll().where('uscc', '=', uscc)
  if (options.dimension) query = query.where('dimension', '=', options.dimension)
  if (!options.includeSuperseded) query = query.where('superseded_by', 'is', null)
  return query.orderBy('dimension').orderBy('period', 'desc').orderBy('version', 'desc').limit(options.limit).execute()
}
