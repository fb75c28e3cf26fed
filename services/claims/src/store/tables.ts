import type { JsonColumn } from '@sme/data'
import type { EventTables } from '@sme/events'
import type { Generated, Kysely, Transaction } from 'kysely'
import type { ClaimStatus } from '../domain/claim.js'

export interface GuaranteedLoansTable {
  loan_id: string
  agreement_id: string
  guaranteed_on: string
  guaranteed_fen: bigint
  branch_id: string
  borrower: JsonColumn<{ kind: 'enterprise'; uscc: string } | { kind: 'individual'; borrowerId: string }>
  borrower_size: 'micro' | 'small' | 'medium' | 'large'
  contract_rate_bp: number
  epidemic_affected: boolean
  outstanding_principal_fen: bigint
  days_past_due: number
  position_sequence: Generated<bigint>
  registered_by: string
  updated_at: Date
}

export interface ClaimsTable {
  claim_id: string
  loan_id: string
  agency_id: string
  branch_id: string
  status: ClaimStatus
  version: number
  /** The fold of the claim's events (domain ClaimState), fen as `{ "fen": "…" }`. */
  state: JsonColumn<unknown>
  documents: JsonColumn<string[]>
  vintage: number
  /** What the agency approved (and pays), for the portfolio cap. */
  compensated_fen: Generated<bigint>
  /** What recoveries gave back to the paying layers, net of corrections. */
  recovered_to_payers_fen: Generated<bigint>
  opened_at: Date
  updated_at: Date
}

export interface ClaimEventsTable {
  claim_id: string
  seq: number
  type: string
  on: string
  by_kind: string
  by_id: string
  body: JsonColumn<unknown>
  recorded_at: Date
}

export interface AgencyAnswersTable {
  agency_id: string
  response_id: string
  claim_id: string
  outcome: string
  received_at: Date
}

export interface VintageBooksTable {
  agreement_id: string
  vintage: number
  guaranteed_fen: bigint
}

export interface AgencyCompensationTable {
  agency_id: string
  vintage: number
  compensated_fen: bigint
  recovered_to_payers_fen: bigint
}

/** A version of an agreement or a pool, as an admin added it. */
export interface DatedVersionsTable {
  kind: 'agreement' | 'pool'
  record_id: string
  version: number
  /** The originating agency of an agreement; null for a pool. */
  scope_id: string | null
  status: 'draft' | 'active'
  /** The domain record (`GuaranteeAgreement`, `CompensationPool`), as validated when it was added. */
  definition: JsonColumn<unknown>
  created_by: string
  created_at: Date
  activated_by: string | null
  activated_at: Date | null
}

export interface PoolClaimsTable {
  pool_claim_id: string
  pool_id: string
  pool_version: number
  loan_id: string
  branch_id: string
  stage: 'non-performing' | 'final-loss'
  loss_fen: bigint | null
  /** The domain `PoolLoan`, fen as `{ "fen": "…" }`. */
  loan: JsonColumn<unknown>
  entry_count: number
  opened_at: Date
  updated_at: Date
}

export interface PoolClaimEntriesTable {
  pool_claim_id: string
  seq: number
  kind: 'due' | 'paid'
  payer: string
  stage: 'non-performing' | 'final-loss'
  amount_fen: bigint
  on: string
  by: string
  reference: string | null
  recorded_at: Date
}

export interface AuditLogTable {
  id: Generated<string>
  at: Date
  actor: string
  action: string
  subject: string | null
  details: JsonColumn<unknown>
}

export interface ClaimsTables extends EventTables {
  guaranteed_loans: GuaranteedLoansTable
  claims: ClaimsTable
  claim_events: ClaimEventsTable
  agency_answers: AgencyAnswersTable
  vintage_books: VintageBooksTable
  agency_compensation: AgencyCompensationTable
  dated_versions: DatedVersionsTable
  pool_claims: PoolClaimsTable
  pool_claim_entries: PoolClaimEntriesTable
  audit_log: AuditLogTable
}

export type ClaimsDb = Kysely<ClaimsTables>
export type ClaimsTx = Transaction<ClaimsTables>
