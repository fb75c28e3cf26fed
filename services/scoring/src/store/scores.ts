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

export function scoresOf(db: ScoringDb, uscc: string, limit: number): Promise<ScoreRow[]> {
  return db.selectFrom('scores').selectAll().where('uscc', '=', uscc).where('shadow', '=', false).orderBy('created_at', 'desc').limit(limit).execute()
}

export function shadowScoresOf(db: ScoringDb, championScoreId: string): Promise<ScoreRow[]> {
  return db.selectFrom('scores').selectAll().where('champion_score_id', '=', championScoreId).where('shadow', '=', true).orderBy('model_id').execute()
}
