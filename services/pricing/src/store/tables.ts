import type { LoanBookedData, ReliefDecidedV2Data } from '@sme/contracts'
import type { JsonColumn } from '@sme/data'
import type { EventTables } from '@sme/events'
import type { Generated, Kysely, Transaction } from 'kysely'
import type { StoredInputs } from './quote-inputs.js'

export interface LprPublicationsTable {
  effective_date: string
  one_year_bp: number
  five_year_bp: number
  recorded_by: string
  recorded_at: Generated<Date>
}

export interface LprChangesTable {
  id: Generated<string>
  effective_date: string
  action: 'published' | 'corrected'
  before: JsonColumn<unknown> | null
  after: JsonColumn<unknown>
  reason: string | null
  changed_by: string
  changed_at: Generated<Date>
}

export interface RecordsTable {
  id: string
  version: number
  kind: string
  definition: JsonColumn<unknown>
  created_by: string
  created_at: Generated<Date>
  /** `draft` until a second admin activates it (what-if runs only); `active` prices quotes. */
  status: Generated<'draft' | 'active'>
  activated_by: string | null
  activated_at: Date | null
}

export interface KeyListEntriesTable {
  uscc: string
  list: 'national' | 'local'
  listed_on: string
  delisted_on: string | null
  recorded_by: string
  recorded_at: Generated<Date>
}

export interface QuotesTable {
  id: string
  branch_id: string
  loan_id: string | null
  quote: JsonColumn<unknown>
  schedule: string
  idempotency_key: string | null
  request_fingerprint: string | null
  issued_by: string
  issued_at: Date
  expires_at: Date
  accepted_at: Date | null
  accepted_by: string | null
  relief_application_id: string | null
  relief_revision: number | null
  /** The request it was priced from (see StoredInputs), or null. */
  inputs: JsonColumn<StoredInputs> | null
}

export interface AuditLogTable {
  id: Generated<string>
  at: Date
  actor: string
  action: string
  subject: string | null
  details: JsonColumn<unknown>
}

export interface LoansTable {
  loan_id: string
  sequence: bigint
  event_id: string
  as_of: Date
  outstanding_principal_fen: bigint
  status: string
  booking: JsonColumn<LoanBookedData> | null
  updated_at: Date
}

export interface GradesTable {
  uscc: string
  grade: string
  score_id: string
  as_of: string
  recorded_at: Date
}

/** Where a relief decision's re-pricing stands. */
export type RepricingState = 'waiting-loan' | 'waiting-grade' | 'priced' | 'not-priced' | 'superseded'

export interface ReliefDecisionsTable {
  application_id: string
  revision: number
  loan_id: string
  uscc: string | null
  decision: JsonColumn<ReliefDecidedV2Data>
  state: RepricingState
  code: string | null
  quote_id: string | null
  received_at: Date
  settled_at: Date | null
}

export interface PricingTables extends EventTables {
  loans: LoansTable
  grades: GradesTable
  relief_decisions: ReliefDecisionsTable
  audit_log: AuditLogTable
  lpr_publications: LprPublicationsTable
  lpr_changes: LprChangesTable
  records: RecordsTable
  key_list_entries: KeyListEntriesTable
  quotes: QuotesTable
}

export type PricingDb = Kysely<PricingTables>
export type PricingTx = Transaction<PricingTables>
