import type { JsonColumn } from '@sme/data'
import type { CalendarDate } from '@sme/domain'
import type { ModelRole, ScorecardModel } from '../domain/index.js'
import type { Generated, Kysely, Transaction } from 'kysely'
import type { EventTables } from '@sme/events'

export interface DataPointsTable {
  id: string
  uscc: string
  kind: string
  dimension: string
  source: string
  source_record_id: string
  period: string
  as_of: string
  payload: JsonColumn<Record<string, unknown>>
  version: number
  supersedes: string | null
  superseded_by: string | null
  received_at: Generated<Date>
  received_by: string
}

export interface ModelsTable {
  id: string
  version: string
  segment: string
  role: ModelRole
  effective_from: CalendarDate
  effective_to: CalendarDate | null
  /** The whole model as registered; role and period are the columns' (they change when a successor is activated). */
  definition: JsonColumn<ScorecardModel>
  created_at: Generated<Date>
  created_by: string
}

export interface ScoresTable {
  id: string
  uscc: string
  as_of: string
  model_id: string
  model_version: string
  segment: string
  shadow: boolean
  champion_score_id: string | null
  score: number
  pd_ppm: number
  grade: string
  result: JsonColumn<unknown>
  hardship: JsonColumn<unknown>
  crisis_start: string | null
  data_point_ids: JsonColumn<unknown>
  requested_by: string
  correlation_id: string | null
  created_at: Generated<Date>
}

/** A branch that serves a firm (a loan of the firm was booked there). */
export interface FirmBranchesTable {
  uscc: string
  branch_id: string
  since: Date
}

export interface ScoringTables extends EventTables {
  firm_branches: FirmBranchesTable
  data_points: DataPointsTable
  models: ModelsTable
  scores: ScoresTable
}

export type ScoringDb = Kysely<ScoringTables>
export type ScoringTx = Transaction<ScoringTables>
