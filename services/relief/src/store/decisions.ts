import type { Selectable } from 'kysely'
import { toJson } from '../json.js'
import type { DecisionsTable, ReliefDb, ReliefTx, ScoreReceiptsTable } from './tables.js'

export type DecisionRow = Selectable<DecisionsTable>

export async function insertDecision(tx: ReliefTx, row: DecisionRow): Promise<void> {
  await tx
    .insertInto('decisions')
    .values({ ...row, decision: toJson(row.decision), scoring: toJson(row.scoring), policy_versions: toJson(row.policy_versions), loan_check: row.loan_check === null ? null : toJson(row.loan_check) })
    .execute()
}

export function decisionOf(db: ReliefDb | ReliefTx, applicationId: string): Promise<DecisionRow | undefined> {
  return db.selectFrom('decisions').selectAll().where('application_id', '=', applicationId).executeTakeFirst()
}

export async function insertScoreReceipt(tx: ReliefTx, row: Selectable<ScoreReceiptsTable>): Promise<void> {
  await tx.insertInto('score_receipts').values({ ...row, payload: toJson(row.payload) }).execute()
}

export function scoreReceiptsOf(db: ReliefDb | ReliefTx, applicationId: string): Promise<Selectable<ScoreReceiptsTable>[]> {
  return db.selectFrom('score_receipts').selectAll().where('application_id', '=', applicationId).orderBy('received_at').execute()
}

/** What a what-if run needs of each decided application: the application and the scoring input its decision used. */
export interface DecidedApplication {
  id: string
  application_date: string
  application: unknown
  scoring: unknown
}

export function decidedApplications(db: ReliefDb, filter: { ids?: readonly string[] | undefined; from?: string | undefined; to?: string | undefined; limit: number }): Promise<DecidedApplication[]> {
  let q = db
    .selectFrom('applications as a')
    .innerJoin('decisions as d', 'd.application_id', 'a.id')
    .select(['a.id', 'a.application_date', 'a.application', 'd.scoring'])
  if (filter.ids) q = q.where('a.id', 'in', [...filter.ids])
  if (filter.from) q = q.where('a.application_date', '>=', filter.from)
  if (filter.to) q = q.where('a.application_date', '<=', filter.to)
  return q.orderBy('a.application_date').orderBy('a.id').limit(filter.limit).execute()
}
