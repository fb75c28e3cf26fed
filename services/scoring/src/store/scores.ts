import { sql } from 'kysely'
import type { CursorKey, CursorPart } from '@sme/kit'
import type { Selectable } from 'kysely'
import { toJson } from '../json.js'
import type { ScoresTable, ScoringDb, ScoringTx } from './tables.js'

export type ScoreRow = Selectable<ScoresTable>

/** Inserts a score; returns its stored `created_at` (the database's clock), so callers report that one. */
export async function insertScore(tx: ScoringTx, row: Omit<ScoreRow, 'created_at'>): Promise<Date> {
  const { created_at } = await tx
    .insertInto('scores')
    .values({ ...row, result: toJson(row.result), hardship: toJson(row.hardship), data_point_ids: toJson(row.data_point_ids) })
    .returning('created_at')
    .executeTakeFirstOrThrow()
  return created_at
}

export function scoreById(db: ScoringDb | ScoringTx, id: string): Promise<ScoreRow | undefined> {
  return db.selectFrom('scores').selectAll().where('id', '=', id).where('shadow', '=', false).executeTakeFirst()
}

export function scoreByCorrelation(db: ScoringDb | ScoringTx, correlationId: string): Promise<ScoreRow | undefined> {
  return db.selectFrom('scores').selectAll().where('correlation_id', '=', correlationId).where('shadow', '=', false).executeTakeFirst()
}

/** Parts of a score-history cursor: the creation time as PostgreSQL writes it (microseconds), and the id. */
export const SCORES_CURSOR_PARTS = ['instant-us', 'uuid'] as const satisfies readonly CursorPart[]

/**
 * An enterprise's scores, newest first, ties by id (a total order); `after` continues after the
 * score with that key. The key's time is the database's own text of it: a JavaScript Date would
 * drop the microseconds and skip or repeat scores made within one millisecond.
 */
export async function scoresOf(db: ScoringDb, uscc: string, limit: number, after?: CursorKey): Promise<{ row: ScoreRow; key: CursorKey }[]> {
  let query = db.selectFrom('scores').selectAll().select(sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('created_key')).where('uscc', '=', uscc).where('shadow', '=', false)
  if (after) query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(sql<Date>`${String(after[0])}::timestamptz`, String(after[1]))))
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute()
  return rows.map(({ created_key, ...row }) => ({ row, key: [created_key, row.id] }))
}

export function shadowScoresOf(db: ScoringDb, championScoreId: string): Promise<ScoreRow[]> {
  return db.selectFrom('scores').selectAll().where('champion_score_id', '=', championScoreId).where('shadow', '=', true).orderBy('model_id').execute()
}
