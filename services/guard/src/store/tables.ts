import type { AdverseAction, VerdictData } from '@sme/contracts'
import type { JsonColumn } from '@sme/data'
import type { EventTables } from '@sme/events'
import type { Generated, Kysely, Transaction } from 'kysely'
import type { Approval } from '../domain/index.js'
import type { SweepSummary } from './sweeps.js'

export interface ReliefsTable {
  application_id: string
  revision: number
  borrower_key: string
  loan_id: string
  relief: 'deferral' | 'extension' | 'renewal'
  outcome: 'APPROVED' | 'DECLINED'
  decided_on: string
  terms_end: string | null
  event_at: Date
}

export interface ScoresTable {
  borrower_key: string
  score_id: string
  as_of: string
  grade: string
  hardship: 'none' | 'temporary-shock' | 'structural-decline' | 'insufficient-data' | null
  event_at: Date
}

export interface KeyListsTable {
  borrower_key: string
  list: string
  listed_on: string
  delisted_on: string | null
  event_at: Date
}

export interface LoansTable {
  loan_id: string
  /** int8: node-postgres answers a decimal string. */
  sequence: bigint | string
  borrower_key: string | null
  branch_id: string | null
  days_past_due: number
  classification: 'normal' | 'special-mention' | 'substandard' | 'doubtful' | 'loss'
  status: 'active' | 'matured' | 'settled' | 'written-off'
  as_of: Date
}

/** The read model's sources, as a verdict's as-of names them. */
export type Source = 'relief' | 'scoring' | 'loans' | 'keyLists'

export interface SourceMarksTable {
  source: Source
  last_event_at: Date
  last_event_id: string
  applied_at: Date
}

export interface VerdictsTable {
  id: string
  check_id: string
  origin: 'check' | 'review'
  loan_id: string
  branch_id: string
  action: string
  outcome: 'ALLOW' | 'BLOCK' | 'ESCALATE'
  verdict: JsonColumn<VerdictData>
  caller: string
  idempotency_key: string | null
  request_fingerprint: string | null
  decided_at: Date
  expires_at: Date
}

export interface EscalationsTable {
  check_id: string
  branch_id: string
  loan_id: string
  action: AdverseAction
  requested_by: string
  status: 'open' | 'awaiting-second' | 'decided'
  approvals: JsonColumn<Approval[]>
  outcome: 'ALLOW' | 'BLOCK' | null
  opened_at: Date
  decided_at: Date | null
}

export interface SweepsTable {
  id: string
  caller: string
  idempotency_key: string
  request_fingerprint: string | null
  status: 'running' | 'done'
  lines: number | null
  summary: JsonColumn<SweepSummary> | null
  started_at: Date
  decided_at: Date | null
}

export interface SweepVerdictsTable {
  sweep_id: string
  line: number
  loan_id: string | null
  branch_id: string | null
  outcome: 'ALLOW' | 'BLOCK' | 'ESCALATE' | 'REFUSED'
  /** The line as asked, JSON text (a line that was not JSON, as a JSON string). */
  request: unknown
  verdict: unknown
  refusal: unknown
}

export interface AuditLogTable {
  id: Generated<string>
  at: Date
  actor: string
  action: string
  subject: string | null
  details: JsonColumn<unknown>
}

export interface GuardTables extends EventTables {
  reliefs: ReliefsTable
  scores: ScoresTable
  key_lists: KeyListsTable
  loans: LoansTable
  source_marks: SourceMarksTable
  verdicts: VerdictsTable
  escalations: EscalationsTable
  sweeps: SweepsTable
  sweep_verdicts: SweepVerdictsTable
  audit_log: AuditLogTable
}

export type GuardDb = Kysely<GuardTables>
export type GuardTx = Transaction<GuardTables>
