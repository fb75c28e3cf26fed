import type { Selectable } from 'kysely'
import { parseDate, type ValidationIssue } from '@sme/domain'
import { poolInForce, poolIssues, type CompensationPool, type PoolClaimState, type PoolEntry, type PoolLoan } from '../domain/index.js'
import type { PoolBody } from '../pool-schema.js'
import { DatedBook, wireDates } from './dated-versions.js'
import { fromFenJson, toFenJson } from './fen-json.js'
import type { ClaimsDb, ClaimsTx, PoolClaimsTable } from './tables.js'

/** A pool in the domain's terms from its wire (or stored) form, with every issue the shape could not judge, each naming its field. */
export function poolOf(body: PoolBody): { pool: CompensationPool; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = []
  const date = wireDates(issues)
  const pool: CompensationPool = {
    ...body,
    loansIssuedFrom: date(body.loansIssuedFrom, '/loansIssuedFrom'),
    loansIssuedTo: date(body.loansIssuedTo, '/loansIssuedTo'),
    citations: body.citations.map((c, i) => ({ ...c, date: date(c.date, `/citations/${i}/date`) })),
  }
  if (issues.length > 0) return { pool, issues }
  return { pool, issues: poolIssues(pool) }
}

/** The pool versions claims are judged under: the one whose window holds an issue day, the one a claim pinned. */
export type PoolBook = DatedBook<CompensationPool>

export function poolBook(): PoolBook {
  return new DatedBook<CompensationPool>('pool', (definition) => poolOf(definition as PoolBody).pool, poolInForce)
}

export interface PoolClaimRecord {
  readonly poolClaimId: string
  readonly branchId: string
  readonly loanId: string
  readonly state: PoolClaimState
  readonly entries: readonly (PoolEntry & { readonly seq: number; readonly by: string })[]
  readonly openedAt: Date
  readonly updatedAt: Date
}

function recordOf(row: Selectable<PoolClaimsTable>, entries: PoolClaimRecord['entries']): PoolClaimRecord {
  return {
    poolClaimId: row.pool_claim_id,
    branchId: row.branch_id,
    loanId: row.loan_id,
    state: { poolId: row.pool_id, poolVersion: row.pool_version, loan: fromFenJson<PoolLoan>(row.loan), stage: row.stage, loss: row.loss_fen, entries },
    entries,
    openedAt: row.opened_at,
    updatedAt: row.updated_at,
  }
}

async function entriesOf(db: ClaimsDb | ClaimsTx, poolClaimIds: readonly string[]): Promise<Map<string, PoolClaimRecord['entries'][number][]>> {
  const out = new Map<string, PoolClaimRecord['entries'][number][]>()
  if (poolClaimIds.length === 0) return out
  const rows = await db.selectFrom('pool_claim_entries').selectAll().where('pool_claim_id', 'in', poolClaimIds).orderBy('pool_claim_id').orderBy('seq').execute()
  for (const r of rows) {
    const list = out.get(r.pool_claim_id) ?? []
    list.push({ seq: r.seq, kind: r.kind, payer: r.payer, stage: r.stage, amount: r.amount_fen, on: parseDate(r.on), by: r.by, reference: r.reference })
    out.set(r.pool_claim_id, list)
  }
  return out
}

/** A pool claim with its account; `lock` holds it until the transaction ends. */
export async function poolClaimOf(db: ClaimsDb | ClaimsTx, poolClaimId: string, lock = false): Promise<PoolClaimRecord | undefined> {
  let q = db.selectFrom('pool_claims').selectAll().where('pool_claim_id', '=', poolClaimId)
  if (lock) q = q.forUpdate()
  const row = await q.executeTakeFirst()
  if (row === undefined) return undefined
  return recordOf(row, (await entriesOf(db, [row.pool_claim_id])).get(row.pool_claim_id) ?? [])
}

export async function poolClaimOfLoan(db: ClaimsDb | ClaimsTx, poolId: string, loanId: string): Promise<string | undefined> {
  return (await db.selectFrom('pool_claims').select('pool_claim_id').where('pool_id', '=', poolId).where('loan_id', '=', loanId).executeTakeFirst())?.pool_claim_id
}

/** Pool claims, most recently changed first, in the given branches (or all), each with its account. */
export async function poolClaims(db: ClaimsDb, branches: readonly string[] | 'all', limit: number): Promise<PoolClaimRecord[]> {
  let q = db.selectFrom('pool_claims').selectAll().orderBy('updated_at', 'desc').orderBy('pool_claim_id').limit(limit)
  if (branches !== 'all') q = q.where('branch_id', 'in', branches)
  const rows = await q.execute()
  const entries = await entriesOf(
    db,
    rows.map((r) => r.pool_claim_id),
  )
  return rows.map((r) => recordOf(r, entries.get(r.pool_claim_id) ?? []))
}

/** Opens the claim's record; false when the loan has one on the pool already (one per pool and loan). */
export async function insertPoolClaim(tx: ClaimsTx, claim: { poolClaimId: string; branchId: string; loanId: string; state: PoolClaimState }, now: Date): Promise<boolean> {
  const result = await tx
    .insertInto('pool_claims')
    .values({
      pool_claim_id: claim.poolClaimId,
      pool_id: claim.state.poolId,
      pool_version: claim.state.poolVersion,
      loan_id: claim.loanId,
      branch_id: claim.branchId,
      stage: claim.state.stage,
      loss_fen: claim.state.loss,
      loan: toFenJson(claim.state.loan),
      entry_count: 0,
      opened_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['pool_id', 'loan_id']).doNothing())
    .executeTakeFirst()
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n
}

/** Appends entries to the claim's account and records its stage and loss. */
export async function appendPoolEntries(tx: ClaimsTx, poolClaimId: string, from: number, entries: readonly PoolEntry[], state: PoolClaimState, by: string, now: Date): Promise<void> {
  if (entries.length > 0) {
    await tx
      .insertInto('pool_claim_entries')
      .values(entries.map((e, i) => ({ pool_claim_id: poolClaimId, seq: from + i + 1, kind: e.kind, payer: e.payer, stage: e.stage, amount_fen: e.amount, on: e.on, by, reference: e.reference, recorded_at: now })))
      .execute()
  }
  await tx.updateTable('pool_claims').set({ stage: state.stage, loss_fen: state.loss, entry_count: from + entries.length, updated_at: now }).where('pool_claim_id', '=', poolClaimId).execute()
}
