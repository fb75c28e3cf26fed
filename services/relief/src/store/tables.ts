import type { ColumnType, Generated, Kysely, Transaction } from 'kysely'
import type { LoanClassification, LoanStatus } from '@sme/contracts'
import type { JsonColumn } from '@sme/data'
import type { PolicyRecordJson } from '../policy-records.js'
import type { ApplicationInput } from '../schemas.js'
import type { EventTables } from '@sme/events'

// The statuses and outcomes are the life cycle's words (domain/lifecycle.ts); the table stores them.
import type { ApplicationStatus, DecidedBy, Decision, FinalOutcome, FollowUpReason, Outcome } from '../domain/index.js'
export { APPLICATION_STATUSES, OPEN_STATUSES, type ApplicationStatus, type FinalOutcome } from '../domain/index.js'

/** `not-requested`: a natural person's application, decided at intake (the platform scores enterprises). */
export type ScoringStatus = 'pending' | 'received' | 'failed' | 'timed-out' | 'not-requested'

export interface PolicyVersionsTable {
  record_id: string
  version: number
  kind: string
  status: 'draft' | 'active'
  effective_from: string
  effective_to: string | null
  /** Written only through `policyToRecord`, after the request schema and the domain's checks. */
  definition: JsonColumn<PolicyRecordJson>
  created_at: Generated<Date>
  created_by: string
  activated_at: Date | null
  activated_by: string | null
}

export interface ApplicationsTable {
  id: string
  /** The enterprise's code; null for a natural person (migration 0212). */
  uscc: ColumnType<string | null, string | null | undefined, never>
  /** Core banking's pseudonymous id of a natural-person borrower; null for an enterprise. */
  borrower_id: ColumnType<string | null, string | null | undefined, never>
  loan_id: string
  branch_id: string
  relief_kind: string
  status: ApplicationStatus
  version: number
  application_date: string
  answer_by: string
  received_at: Date
  submitted_by: string
  /** The application as received (the API's wire form: fen as decimal strings). */
  application: JsonColumn<ApplicationInput>
  scoring_status: ScoringStatus
  final_outcome: FinalOutcome | null
  decided_by: DecidedBy | null
  decided_at: Date | null
  revision: Generated<number>
  /** The submitter's Idempotency-Key and the request's fingerprint (null before migration 0204). */
  idempotency_key: string | null
  request_fingerprint: string | null
  /** The id of the scoring request event in the outbox (null before migration 0208). */
  scoring_request_id: ColumnType<string | null, string | null | undefined, never>
  /** The trace context of the submitting request (null before migration 0209, or when it had none). */
  traceparent: ColumnType<string | null, string | null, never>
}

export interface DecisionsTable {
  application_id: string
  outcome: Outcome
  mandatory: boolean
  /** The domain's decision: plain data by construction (no bigint), so it reads back as it was stored. */
  decision: JsonColumn<Decision>
  scoring: JsonColumn<unknown>
  policy_versions: JsonColumn<unknown>
  /** What decided it: the score, scoring failing or not answering, or intake (a natural person: not scored). */
  trigger: 'score' | 'scoring-failed' | 'timeout' | 'intake'
  decided_at: Date
  /** The application checked against the loan book when it was decided (null for decisions made before the check existed). */
  loan_check: ColumnType<unknown, string | null, string | null>
}

export interface ScoreReceiptsTable {
  id: string
  application_id: string
  event_id: string
  event_type: string
  payload: JsonColumn<unknown>
  applied: boolean
  received_at: Date
}

export interface ProposalsTable {
  id: string
  application_id: string
  outcome: FinalOutcome
  reason: string
  overturns: FinalOutcome | null
  status: 'pending' | 'confirmed' | 'superseded' | 'rejected'
  application_version: number
  proposed_by: string
  proposed_at: Date
  confirmed_by: string | null
  confirmed_at: Date | null
  /** The supervisor who rejected the proposal, when, and why (null unless rejected). */
  rejected_by: ColumnType<string | null, string | null | undefined, string | null>
  rejected_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  rejection_reason: ColumnType<string | null, string | null | undefined, string | null>
}

export interface AuditLogTable {
  seq: Generated<bigint>
  at: Date
  actor: string
  action: string
  application_id: string | null
  details: JsonColumn<unknown>
}

/**
 * Each loan's latest position on core banking's books, from `loans.events.v1`: the fields of the
 * event with the highest sequence seen, and the booking details once the loan-booked event arrived
 * (whenever it arrives: they never change).
 */
export interface LoanBookTable {
  loan_id: string
  sequence: bigint
  event_id: string
  event_type: string
  as_of: Date
  outstanding_principal_fen: bigint
  days_past_due: number
  classification: LoanClassification
  status: LoanStatus
  /** The loan-booked event's details (borrower, branch, product, principal, dates, rate, security); null until it arrives. */
  booking: ColumnType<unknown, string | null, string | null>
  updated_at: Date
}

/** A material change of a loan during its granted relief, raised by core banking's loan stream. */
export interface FollowUpsTable {
  application_id: string
  reason: FollowUpReason
  branch_id: string
  raised_at: Date
  /** The core system's id of the loan event that showed it (`documents-due:<day>` for documents past their day). */
  event_id: string
  /** Core banking's per-loan sequence of that event (0 for documents past their day). */
  sequence: bigint
  details: JsonColumn<Readonly<Record<string, string | number>>>
}

/** A document a relief was granted without (容缺办理), received by the branch. */
export interface DocumentsReceivedTable {
  application_id: string
  name: string
  received_at: Date
  received_by: string
}

export interface ReliefTables extends EventTables {
  policy_versions: PolicyVersionsTable
  applications: ApplicationsTable
  decisions: DecisionsTable
  score_receipts: ScoreReceiptsTable
  proposals: ProposalsTable
  audit_log: AuditLogTable
  loan_book: LoanBookTable
  follow_ups: FollowUpsTable
  documents_received: DocumentsReceivedTable
}

export type ReliefDb = Kysely<ReliefTables>
export type ReliefTx = Transaction<ReliefTables>
