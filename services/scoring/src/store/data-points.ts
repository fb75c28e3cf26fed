import type { CursorKey, CursorPart } from '@sme/kit'
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

/** The sort key of a data point in {@link lineageOf}'s order: what a cursor carries. */
export const LINEAGE_CURSOR_PARTS = ['text', 'text', 'integer', 'text'] as const satisfies readonly CursorPart[]
export function lineageCursorKey(row: DataPointRow): CursorKey {
  return [row.dimension, row.period, row.version, row.id]
}

/**
 * An enterprise's data points by dimension, newest period and version first, ties by id (a total
 * order); `after` continues after the row with that sort key (keyset pagination).
 */
export function lineageOf(db: ScoringDb, uscc: string, options: { dimension?: string | undefined; includeSuperseded: boolean; limit: number; after?: CursorKey | undefined }): Promise<DataPointRow[]> {
  let query = db.selectFrom('data_points').selectAll().where('uscc', '=', uscc)
  if (options.dimension) query = query.where('dimension', '=', options.dimension)
  if (!options.includeSuperseded) query = query.where('superseded_by', 'is', null)
  const after = options.after
  if (after) {
    const [dimension, period, version, id] = [String(after[0]), String(after[1]), Number(after[2]), String(after[3])]
    // dimension ascending, then period, version and id descending: rows after the key.
    query = query.where((eb) =>
      eb.or([
        eb('dimension', '>', dimension),
        eb.and([eb('dimension', '=', dimension), eb('period', '<', period)]),
        eb.and([eb('dimension', '=', dimension), eb('period', '=', period), eb('version', '<', version)]),
        eb.and([eb('dimension', '=', dimension), eb('period', '=', period), eb('version', '=', version), eb('id', '<', id)]),
      ]),
    )
  }
  return query.orderBy('dimension').orderBy('period', 'desc').orderBy('version', 'desc').orderBy('id', 'desc').limit(options.limit).execute()
}
