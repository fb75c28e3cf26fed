import { sql } from 'kysely'
import type { ClaimEvent, ClaimState } from '../domain/index.js'
import { fromFenJson, toFenJson } from './fen-json.js'
import type { ClaimsDb, ClaimsTables, ClaimsTx, GuaranteedLoansTable } from './tables.js'
import type { Selectable } from 'kysely'

export type GuaranteedLoanRow = Selectable<GuaranteedLoansTable>

export interface ClaimRecord {
  readonly claimId: string
  readonly loanId: string
  readonly agencyId: string
  readonly branchId: string
  readonly version: number
  readonly documents: readonly string[]
  readonly vintage: number
  readonly state: ClaimState
  readonly openedAt: Date
  readonly updatedAt: Date
}

type ClaimRow = Selectable<ClaimsTables['claims']>

function recordOf(row: ClaimRow): ClaimRecord {
  return {
    claimId: row.claim_id,
    loanId: row.loan_id,
    agencyId: row.agency_id,
    branchId: row.branch_id,
    version: row.version,
    documents: fromFenJson<string[]>(row.documents),
    vintage: row.vintage,
    state: fromFenJson<ClaimState>(row.state),
    openedAt: row.opened_at,
    updatedAt: row.updated_at,
  }
}

export async function guaranteedLoan(db: ClaimsDb | ClaimsTx, loanId: string): Promise<GuaranteedLoanRow | undefined> {
  return db.selectFrom('guaranteed_loans').selectAll().where('loan_id', '=', loanId).executeTakeFirst()
}

export async function claimOf(db: ClaimsDb | ClaimsTx, claimId: string): Promise<ClaimRecord | undefined> {
  const row = await db.selectFrom('claims').selectAll().where('claim_id', '=', claimId).executeTakeFirst()
  return row && recordOf(row)
}

/** The claim, locked for the rest of the transaction: commands on one claim run one at a time. */
export async function lockClaim(tx: ClaimsTx, claimId: string): Promise<ClaimRecord | undefined> {
  const row = await tx.selectFrom('claims').selectAll().where('claim_id', '=', claimId).forUpdate().executeTakeFirst()
  return row && recordOf(row)
}

/** The claim on the loan that has not ended, if any. */
export async function openClaimOfLoan(db: ClaimsDb | ClaimsTx, loanId: string): Promise<ClaimRecord | undefined> {
  const row = await db.selectFrom('claims').selectAll().where('loan_id', '=', loanId).where('status', 'not in', ['closed', 'rejected']).executeTakeFirst()
  return row && recordOf(row)
}

export interface ClaimFigures {
  readonly compensated: bigint
  readonly recoveredToPayers: bigint
}

/** Stores a new claim (its first events) or a claim's new events, with its fold, in the caller's transaction. */
export async function saveClaim(
  tx: ClaimsTx,
  claim: { claimId: string; loanId: string; agencyId: string; branchId: string; vintage: number; documents: readonly string[] },
  before: { version: number } | null,
  events: readonly ClaimEvent[],
  state: ClaimState,
  figures: ClaimFigures,
  now: Date,
  figuresBefore: ClaimFigures = { compensated: 0n, recoveredToPayers: 0n },
): Promise<number> {
  const version = (before?.version ?? 0) + events.length
  const values = {
    status: state.status,
    version,
    state: toFenJson(state),
    documents: JSON.stringify(claim.documents),
    compensated_fen: figures.compensated,
    recovered_to_payers_fen: figures.recoveredToPayers,
    updated_at: now,
  }
  if (before === null) {
    await tx.insertInto('claims').values({ claim_id: claim.claimId, loan_id: claim.loanId, agency_id: claim.agencyId, branch_id: claim.branchId, vintage: claim.vintage, opened_at: now, ...values }).execute()
  } else {
    await tx.updateTable('claims').set(values).where('claim_id', '=', claim.claimId).execute()
  }
  await addToCompensation(tx, claim.agencyId, claim.vintage, figures.compensated - figuresBefore.compensated, figures.recoveredToPayers - figuresBefore.recoveredToPayers)
  if (events.length > 0) {
    const from = before?.version ?? 0
    await tx
      .insertInto('claim_events')
      .values(events.map((e, i) => ({ claim_id: claim.claimId, seq: from + i + 1, type: e.type, on: e.on, by_kind: e.by.kind, by_id: e.by.id, body: toFenJson(e), recorded_at: now })))
      .execute()
  }
  return version
}

/** The claim's history, oldest first. */
export async function claimHistory(db: ClaimsDb, claimId: string): Promise<{ seq: number; event: ClaimEvent; recordedAt: Date }[]> {
  const rows = await db.selectFrom('claim_events').select(['seq', 'body', 'recorded_at']).where('claim_id', '=', claimId).orderBy('seq').execute()
  return rows.map((r) => ({ seq: r.seq, event: fromFenJson<ClaimEvent>(r.body), recordedAt: r.recorded_at }))
}

/** The agency's book and compensation for a vintage: the figures the portfolio cap is checked on. */
export async function vintageBook(db: ClaimsTx, agreementId: string, agencyId: string, vintage: number): Promise<{ guaranteed: bigint; compensated: bigint; recoveredToPayers: bigint }> {
  const book = await db.selectFrom('vintage_books').select('guaranteed_fen').where('agreement_id', '=', agreementId).where('vintage', '=', vintage).executeTakeFirst()
  const paid = await db.selectFrom('agency_compensation').select(['compensated_fen', 'recovered_to_payers_fen']).where('agency_id', '=', agencyId).where('vintage', '=', vintage).executeTakeFirst()
  return { guaranteed: book?.guaranteed_fen ?? 0n, compensated: paid?.compensated_fen ?? 0n, recoveredToPayers: paid?.recovered_to_payers_fen ?? 0n }
}

/** Moves a vintage's guaranteed book by `delta` (a loan registered, or its amount or vintage changed). */
export async function addToVintageBook(tx: ClaimsTx, agreementId: string, vintage: number, delta: bigint): Promise<void> {
  if (delta === 0n) return
  await tx
    .insertInto('vintage_books')
    .values({ agreement_id: agreementId, vintage, guaranteed_fen: delta })
    .onConflict((oc) => oc.columns(['agreement_id', 'vintage']).doUpdateSet({ guaranteed_fen: sql<bigint>`vintage_books.guaranteed_fen + excluded.guaranteed_fen` }))
    .execute()
}

/** Moves an agency's compensation for a vintage by what one claim's figures changed. */
async function addToCompensation(tx: ClaimsTx, agencyId: string, vintage: number, compensated: bigint, recovered: bigint): Promise<void> {
  if (compensated === 0n && recovered === 0n) return
  await tx
    .insertInto('agency_compensation')
    .values({ agency_id: agencyId, vintage, compensated_fen: compensated, recovered_to_payers_fen: recovered })
    .onConflict((oc) =>
      oc.columns(['agency_id', 'vintage']).doUpdateSet({
        compensated_fen: sql<bigint>`agency_compensation.compensated_fen + excluded.compensated_fen`,
        recovered_to_payers_fen: sql<bigint>`agency_compensation.recovered_to_payers_fen + excluded.recovered_to_payers_fen`,
      }),
    )
    .execute()
}

export async function audit(tx: ClaimsTx, entry: { at: Date; actor: string; action: string; subject: string; details: unknown }): Promise<void> {
  await tx.insertInto('audit_log').values({ ...entry, details: toFenJson(entry.details) }).execute()
}
