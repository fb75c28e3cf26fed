import type { Generated, Kysely, Transaction } from 'kysely'
import type { EventTables } from '@sme/events'

/** Application statuses: `awaiting-score` → `approved` | `declined` (final) | `referred` (officer review). */
export const APPLICATION_STATUSES = ['awaiting-score', 'referred', 'approved', 'declined'] as const
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number]

/** Statuses that still owe the applicant an answer (the answer deadline applies to them). */
export const OPEN_STATUSES: readonly ApplicationStatus[] = ['awaiting-score', 'referred']

export type ScoringStatus = 'pending' | 'received' | 'failed' | 'timed-out'
export type FinalOutcome = 'APPROVED' | 'DECLINED'

export interface PolicyVersionsTable {
  record_id: string
  version: number
  kind: string
  status: 'draft' | 'active'
  effective_from: string
  effective_to: string | null
  definition: unknown
  created_at: Generated<Date>
  created_by: string
  activated_at: Date | null
  activated_by: string | null
}

export interface ApplicationsTable {
  id: string
  uscc: string
  loan_id: string
  branch_id: string
  relief_kind: string
  status: ApplicationStatus
  version: number
  application_date: string
  answer_by: string
  received_at: Date
  submitted_by: string
  application: unknown
  scoring_status: ScoringStatus
  final_outcome: FinalOutcome | null
  decided_by: 'rules' | 'review' | null
  decided_at: Date | null
  revision: Generated<number>
  /** The submitter's Idempotency-Key and the request's fingerprint (null before migration 0204). */
  idempotency_key: string | null
  request_fingerprint: string | null
}

export interface DecisionsTable {
  application_id: string
  outcome: string
  mandatory: boolean
  decision: unknown
  scoring: unknown
  policy_versions: unknown
  trigger: 'score' | 'scoring-failed' | 'timeout'
  decided_at: Date
}

export interface ScoreReceiptsTable {
  id: string
  application_id: string
  event_id: string
  event_type: string
  payload: unknown
  applied: boolean
  received_at: Date
}

export interface ProposalsTable {
  id: string
  application_id: string
  outcome: FinalOutcome
  reason: string
  overturns: FinalOutcome | null
  status: 'pending' | 'confirmed' | 'superseded'
  application_version: number
  proposed_by: string
  proposed_at: Date
  confirmed_by: string | null
  confirmed_at: Date | null
}

export interface AuditLogTable {
  seq: Generated<bigint>
  at: Date
  actor: string
  action: string
  application_id: string | null
  details: unknown
}

export interface ReliefTables extends EventTables {
  policy_versions: PolicyVersionsTable
  applications: ApplicationsTable
  decisions: DecisionsTable
  score_receipts: ScoreReceiptsTable
  proposals: ProposalsTable
  audit_log: AuditLogTable
}

export type ReliefDb = Kysely<ReliefTables>
export type ReliefTx = Transaction<ReliefTables>
