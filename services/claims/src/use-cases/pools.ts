import { randomUUID } from 'node:crypto'
import { parseDate, todayIn } from '@sme/domain'
import { AppError, canAccessBranch, type Principal } from '@sme/kit'
import {
  applyPoolEntries,
  claimOnFinalLoss,
  claimOnNonPerformance,
  outstandingByPayer,
  POOL_CLAIM_REFUSALS,
  POOL_INELIGIBILITY,
  recordPoolPayment,
  type CompensationPool,
  type PoolClaimState,
  type PoolDecision,
  type PoolLoan,
} from '../domain/index.js'
import type { PoolBody, PoolClaimBodyData } from '../pool-schema.js'
import { audit, guaranteedLoan } from '../store/claims.js'
import { datedRows, insertDatedVersion, type DatedVersionRow } from '../store/dated-versions.js'
import { appendPoolEntries, insertPoolClaim, poolClaimOf, poolClaimOfLoan, poolOf, type PoolBook, type PoolClaimRecord } from '../store/pools.js'
import type { ClaimsDb, ClaimsTx } from '../store/tables.js'
import { activateDatedVersion, addDatedVersion, datedVersionHeader, SEED_AUTHOR } from './dated-versions.js'

export interface PoolDeps {
  readonly pools: PoolBook
  readonly now: () => Date
}

/** A posted pool in the domain's terms, or 422 naming every field that contradicts the rest. */
function postedPool(body: PoolBody, at: string): CompensationPool {
  const { pool, issues } = poolOf(body)
  if (issues.length > 0) throw new AppError('unprocessable', 'the pool contradicts itself', { extra: { errors: issues.map((i) => ({ field: `${at}${i.path}`, message: i.message })) } })
  return pool
}

export function addPoolVersion(tx: ClaimsTx, body: PoolBody, by: string, now: Date): Promise<DatedVersionRow> {
  return addDatedVersion(tx, 'pool', postedPool(body, '/body/pool'), null, by, now)
}

export function activatePoolVersion(tx: ClaimsTx, poolId: string, version: number, by: string, now: Date): Promise<DatedVersionRow> {
  return activateDatedVersion(tx, 'pool', poolId, version, by, now)
}

/** Seeds the shipped pools, active, where they are not stored yet. */
export async function seedPools(db: ClaimsDb, shipped: readonly CompensationPool[], now: Date): Promise<void> {
  for (const pool of shipped) await insertDatedVersion(db, 'pool', pool, null, SEED_AUTHOR, 'active', now)
}

export function poolVersionView(row: DatedVersionRow) {
  return { ...datedVersionHeader(row), pool: row.definition as PoolBody }
}

/** A refusal of the pool claim's rules as a problem document: the code, its texts, and the field or state it concerns. */
function refusalProblem(decision: Extract<PoolDecision, { ok: false }>, stage: PoolClaimState['stage'] | null): AppError {
  const text = POOL_CLAIM_REFUSALS[decision.refused]
  const base = { refusal: decision.refused, text }
  switch (decision.refused) {
    case 'PC_NOT_COVERED':
      return new AppError('unprocessable', text.en, { extra: { ...base, reasons: (decision.reasons ?? []).map((code) => ({ code, text: POOL_INELIGIBILITY[code] })) } })
    case 'PC_NOT_A_PAYER':
      return new AppError('unprocessable', text.en, { extra: { ...base, errors: [{ field: '/body/payer', message: 'is not a payer of the pool' }] } })
    case 'PC_MORE_THAN_OUTSTANDING':
      return new AppError('unprocessable', text.en, { extra: { ...base, errors: [{ field: '/body/amountFen', message: 'is more than is outstanding with the payer, or in the wrong direction' }] } })
    case 'PC_FINAL_LOSS_RECORDED':
    case 'PC_DATED_BEFORE':
      return new AppError('conflict', text.en, { extra: { ...base, currentStage: stage } })
  }
}

/**
 * A claim on a pool for a loan that became non-performing, under the pool version whose window
 * holds its issue day: each non-performing tier's share falls due. A loan registered here as
 * guaranteed is agency-guaranteed whatever the caller says (it is claimed from the agency).
 */
export async function claimOnPool(tx: ClaimsTx, deps: PoolDeps, body: PoolClaimBodyData, principal: Principal): Promise<PoolClaimRecord> {
  if (!canAccessBranch(principal, body.branchId)) throw new AppError('forbidden', 'no access to the loan’s branch')
  const issuedOn = parseDate(body.issuedOn)
  const pool = await deps.pools.inForce(tx, body.poolId, issuedOn)
  if (pool === null) {
    const known = (await datedRows(tx, 'pool', { recordId: body.poolId, activeOnly: true })).length > 0
    if (!known) throw new AppError('unprocessable', 'no active pool by that id', { extra: { errors: [{ field: '/body/poolId', message: 'is not an active pool' }] } })
    throw refusalProblem({ ok: false, refused: 'PC_NOT_COVERED', reasons: ['ISSUED_OUTSIDE_PERIOD'] }, null)
  }
  const registeredGuaranteed = (await guaranteedLoan(tx, body.loanId)) !== undefined
  const loan: PoolLoan = { issuedOn, borrowerSize: body.borrowerSize, agencyGuaranteed: body.agencyGuaranteed || registeredGuaranteed, principalAtDefault: BigInt(body.principalAtDefaultFen) }
  const now = deps.now()
  const decision = claimOnNonPerformance(pool, loan, todayIn(now))
  if (!decision.ok) throw refusalProblem(decision, null)
  const existing = await poolClaimOfLoan(tx, pool.id, body.loanId)
  if (existing !== undefined) throw new AppError('conflict', 'the loan has a claim on this pool already', { extra: { poolClaimId: existing } })
  const opened: PoolClaimState = { poolId: pool.id, poolVersion: pool.version, loan, stage: 'non-performing', loss: null, entries: [] }
  const poolClaimId = randomUUID()
  if (!(await insertPoolClaim(tx, { poolClaimId, branchId: body.branchId, loanId: body.loanId, state: opened }, now))) {
    throw new AppError('conflict', 'the loan has a claim on this pool already')
  }
  const state = applyPoolEntries(opened, decision.entries)
  await appendPoolEntries(tx, poolClaimId, 0, decision.entries, state, principal.subject, now)
  await audit(tx, { at: now, actor: principal.subject, action: 'pool-claim.non-performing', subject: `pool-claim:${poolClaimId}`, details: { poolId: pool.id, poolVersion: pool.version, loanId: body.loanId } })
  return (await poolClaimOf(tx, poolClaimId))!
}

type PoolCommand = (pool: CompensationPool, claim: PoolClaimRecord, today: ReturnType<typeof todayIn>) => { decision: PoolDecision; loss?: bigint; action: string; details: Record<string, unknown> }

/** One command on a pool claim: locked, judged under the version it pinned, its new entries appended, audited. */
export async function commandPoolClaim(tx: ClaimsTx, deps: PoolDeps, poolClaimId: string, principal: Principal, command: PoolCommand): Promise<{ claim: PoolClaimRecord; duplicate: boolean }> {
  const claim = await poolClaimOf(tx, poolClaimId, true)
  if (claim === undefined || !canAccessBranch(principal, claim.branchId)) throw new AppError('not_found', 'no such pool claim in the caller’s branches')
  const pool = await deps.pools.pinned(tx, claim.state.poolId, claim.state.poolVersion)
  const now = deps.now()
  const { decision, loss, action, details } = command(pool, claim, todayIn(now))
  if (!decision.ok) throw refusalProblem(decision, claim.state.stage)
  if (decision.entries.length === 0 && loss === undefined) return { claim, duplicate: true }
  const state = applyPoolEntries(claim.state, decision.entries, loss)
  await appendPoolEntries(tx, claim.poolClaimId, claim.entries.length, decision.entries, state, principal.subject, now)
  await audit(tx, { at: now, actor: principal.subject, action, subject: `pool-claim:${claim.poolClaimId}`, details })
  return { claim: (await poolClaimOf(tx, claim.poolClaimId))!, duplicate: false }
}

export function finalLossCommand(loss: bigint): PoolCommand {
  return (pool, claim, today) => ({ decision: claimOnFinalLoss(pool, claim.state, loss, today), loss, action: 'pool-claim.final-loss', details: { loss } })
}

export function paymentCommand(payment: { reference: string; payer: string; amount: bigint }): PoolCommand {
  return (pool, claim, today) => ({ decision: recordPoolPayment(pool, claim.state, { ...payment, on: today }), action: 'pool-claim.payment', details: { reference: payment.reference, payer: payment.payer, amount: payment.amount } })
}

/** A pool claim as the API shows it: what each payer owes or is owed back, and the account. */
export async function poolClaimView(db: ClaimsDb | ClaimsTx, deps: PoolDeps, claim: PoolClaimRecord) {
  const pool = await deps.pools.pinned(db, claim.state.poolId, claim.state.poolVersion)
  const payers = outstandingByPayer(pool, claim.state)
  const s = claim.state
  return {
    poolClaimId: claim.poolClaimId,
    pool: { id: s.poolId, version: s.poolVersion },
    loanId: claim.loanId,
    branchId: claim.branchId,
    stage: s.stage,
    lossFen: s.loss === null ? null : s.loss.toString(),
    loan: { issuedOn: s.loan.issuedOn, borrowerSize: s.loan.borrowerSize, agencyGuaranteed: s.loan.agencyGuaranteed, principalAtDefaultFen: s.loan.principalAtDefault.toString() },
    payers: payers.map((p) => ({ payer: p.payer, dueFen: p.due.toString(), paidFen: p.paid.toString(), outstandingFen: p.outstanding.toString() })),
    settled: payers.every((p) => p.outstanding === 0n),
    entries: claim.entries.map((e) => ({ seq: e.seq, kind: e.kind, payer: e.payer, stage: e.stage, amountFen: e.amount.toString(), on: e.on, by: e.by, reference: e.reference })),
    openedAt: claim.openedAt.toISOString(),
    updatedAt: claim.updatedAt.toISOString(),
  }
}
