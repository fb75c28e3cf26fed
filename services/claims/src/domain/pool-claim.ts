import { isCalendarDate, isOnOrAfter, isOnOrBefore, isRoundingMode, type CalendarDate, type Fen, type LocalizedText, type ValidationIssue } from '@sme/domain'
import { poolIneligibility, poolPayments, type CompensationPool, type PoolIneligibilityCode, type PoolLoan, type PoolTier } from './pools.js'

function integerIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max
}

/**
 * Everything wrong with a pool version, each naming its field: a pool paying more than the
 * principal, a tier given twice, a window that ends before it starts, no tier paying on
 * non-performance, is refused before it can price a single claim.
 */
export function poolIssues(p: CompensationPool): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const at = (path: string, message: string) => issues.push({ path, message })
  if (!integerIn(p.version, 1, 1_000_000)) at('/version', 'must be an integer from 1')
  if (!isCalendarDate(p.loansIssuedFrom)) at('/loansIssuedFrom', 'must be a date')
  if (!isCalendarDate(p.loansIssuedTo) || (isCalendarDate(p.loansIssuedFrom) && !isOnOrAfter(p.loansIssuedTo, p.loansIssuedFrom))) at('/loansIssuedTo', 'must be a date on or after loansIssuedFrom')
  if (p.coveredSizes.length === 0) at('/coveredSizes', 'must name at least one size')
  if (!p.tiers.some((t) => t.stage === 'non-performing')) at('/tiers', 'must have a tier paying on non-performance')
  const seen = new Set<string>()
  p.tiers.forEach((t, i) => {
    if (!integerIn(t.shareBp, 1, 10_000)) at(`/tiers/${i}/shareBp`, 'must be an integer from 1 to 10000')
    const key = `${t.payer}:${t.stage}`
    if (seen.has(key)) at(`/tiers/${i}`, 'repeats a payer at a stage')
    seen.add(key)
  })
  const total = p.tiers.reduce((s, t) => s + t.shareBp, 0)
  if (total > 10_000) at('/tiers', `shares sum to ${total} bp: a pool never pays more than the principal`)
  if (!isRoundingMode(p.rounding)) at('/rounding', 'is not a rounding mode')
  return issues
}

/** The version of pool `id` covering a loan issued on `issuedOn`: the highest whose window holds it, or null. */
export function poolInForce(versions: readonly CompensationPool[], id: string, issuedOn: CalendarDate): CompensationPool | null {
  let found: CompensationPool | null = null
  for (const p of versions) {
    if (p.id !== id || !isOnOrBefore(p.loansIssuedFrom, issuedOn) || !isOnOrBefore(issuedOn, p.loansIssuedTo)) continue
    if (found === null || p.version > found.version) found = p
  }
  return found
}

/**
 * One line of a pool claim's account, never edited: what a payer owes the bank at a stage (`due`,
 * negative when the bank owes back what exceeded the loss), and what moved (`paid`: positive from
 * the payer, negative back to it).
 */
export interface PoolEntry {
  readonly kind: 'due' | 'paid'
  readonly payer: string
  readonly stage: PoolTier['stage']
  readonly amount: Fen
  readonly on: CalendarDate
  /** The payment's own id, for a `paid` line: a repeated one changes nothing. */
  readonly reference: string | null
}

export interface PoolClaimState {
  readonly poolId: string
  readonly poolVersion: number
  readonly loan: PoolLoan
  readonly stage: 'non-performing' | 'final-loss'
  readonly loss: Fen | null
  readonly entries: readonly PoolEntry[]
}

export const POOL_CLAIM_REFUSALS = {
  PC_NOT_COVERED: { zh: '该笔贷款不在风险补偿资金覆盖范围内', en: 'The loan is not covered by the pool' },
  PC_FINAL_LOSS_RECORDED: { zh: '最终损失已经确认', en: 'The final loss is recorded already' },
  PC_NOT_A_PAYER: { zh: '该付款方不是该风险补偿资金的出资方', en: 'Not a payer of the pool' },
  PC_MORE_THAN_OUTSTANDING: { zh: '金额超过该出资方尚未结清的金额', en: 'More than is outstanding with that payer, or in the wrong direction' },
  PC_DATED_BEFORE: { zh: '日期早于该补偿申请的上一笔记录', en: 'Dated before the claim’s last entry' },
} as const satisfies Record<string, LocalizedText>
export type PoolClaimRefusal = keyof typeof POOL_CLAIM_REFUSALS

export type PoolDecision = { readonly ok: true; readonly entries: readonly PoolEntry[] } | { readonly ok: false; readonly refused: PoolClaimRefusal; readonly reasons?: readonly PoolIneligibilityCode[] }

function sumBy(entries: readonly PoolEntry[], kind: PoolEntry['kind']): Map<string, Fen> {
  const out = new Map<string, Fen>()
  for (const e of entries) if (e.kind === kind) out.set(e.payer, (out.get(e.payer) ?? 0n) + e.amount)
  return out
}

/** What each payer owes (positive) or is owed back (negative) after what has moved, in the pool's order. */
export function outstandingByPayer(pool: Pick<CompensationPool, 'tiers'>, state: Pick<PoolClaimState, 'entries'>): { payer: string; due: Fen; paid: Fen; outstanding: Fen }[] {
  const due = sumBy(state.entries, 'due')
  const paid = sumBy(state.entries, 'paid')
  const payers = [...new Set(pool.tiers.map((t) => t.payer))]
  return payers.map((payer) => ({ payer, due: due.get(payer) ?? 0n, paid: paid.get(payer) ?? 0n, outstanding: (due.get(payer) ?? 0n) - (paid.get(payer) ?? 0n) }))
}

const lastOn = (state: PoolClaimState | null): CalendarDate | null => (state === null || state.entries.length === 0 ? null : state.entries[state.entries.length - 1]!.on)

/**
 * Claims from the pool when a covered loan becomes non-performing (POLICY §5; 工信明电〔2020〕14号
 * item 9): each non-performing tier's share of the principal outstanding at default falls due.
 */
export function claimOnNonPerformance(pool: CompensationPool, loan: PoolLoan, on: CalendarDate): PoolDecision {
  const reasons = poolIneligibility(pool, loan)
  if (reasons.length > 0) return { ok: false, refused: 'PC_NOT_COVERED', reasons }
  const entries = poolPayments(pool, loan, { kind: 'non-performing' }, new Map()).map((p) => ({ kind: 'due' as const, payer: p.payer, stage: p.stage, amount: p.amount, on, reference: null }))
  return { ok: true, entries }
}

/**
 * The final loss, once: the pool's due becomes its tiers' shares of the principal, never more than
 * the loss; what falls due to the final-loss tiers, or what the bank owes back where the loss turned
 * out smaller than what was claimed on non-performance.
 */
export function claimOnFinalLoss(pool: CompensationPool, state: PoolClaimState, loss: Fen, on: CalendarDate): PoolDecision {
  if (state.stage === 'final-loss') return { ok: false, refused: 'PC_FINAL_LOSS_RECORDED' }
  const last = lastOn(state)
  if (last !== null && !isOnOrAfter(on, last)) return { ok: false, refused: 'PC_DATED_BEFORE' }
  const claimed = sumBy(state.entries, 'due')
  const entries = poolPayments(pool, state.loan, { kind: 'final-loss', loss }, claimed)
    .filter((p) => p.amount !== 0n)
    .map((p) => ({ kind: 'due' as const, payer: p.payer, stage: p.stage, amount: p.amount, on, reference: null }))
  return { ok: true, entries }
}

/**
 * Money that moved between a payer and the bank: at most what is outstanding with that payer, in
 * its direction (from the payer while it owes, back to it while the bank owes). A payment already
 * recorded under the same reference changes nothing.
 */
export function recordPoolPayment(pool: CompensationPool, state: PoolClaimState, payment: { payer: string; amount: Fen; reference: string; on: CalendarDate }): PoolDecision {
  if (state.entries.some((e) => e.kind === 'paid' && e.reference === payment.reference)) return { ok: true, entries: [] }
  const line = outstandingByPayer(pool, state).find((l) => l.payer === payment.payer)
  if (line === undefined) return { ok: false, refused: 'PC_NOT_A_PAYER' }
  const last = lastOn(state)
  if (last !== null && !isOnOrAfter(payment.on, last)) return { ok: false, refused: 'PC_DATED_BEFORE' }
  const within = line.outstanding > 0n ? payment.amount > 0n && payment.amount <= line.outstanding : line.outstanding < 0n && payment.amount < 0n && payment.amount >= line.outstanding
  if (!within) return { ok: false, refused: 'PC_MORE_THAN_OUTSTANDING' }
  return { ok: true, entries: [{ kind: 'paid', payer: payment.payer, stage: pool.tiers.find((t) => t.payer === payment.payer)!.stage, amount: payment.amount, on: payment.on, reference: payment.reference }] }
}

/** The state after new entries (the stage moves to final-loss with its first due line, or with the loss recorded). */
export function applyPoolEntries(state: PoolClaimState, entries: readonly PoolEntry[], loss?: Fen): PoolClaimState {
  return { ...state, entries: [...state.entries, ...entries], ...(loss !== undefined ? { stage: 'final-loss' as const, loss } : {}) }
}

