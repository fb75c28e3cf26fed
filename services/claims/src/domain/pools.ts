import { applyRate, isOnOrAfter, isOnOrBefore, minFen, sumFen, type CalendarDate, type Citation, type Fen, type LocalizedText, type RoundingMode } from '@sme/domain'
import type { CoveredSize } from './agreement.js'

/**
 * A local risk-compensation pool as dated data (POLICY §5; 工信明电〔2020〕14号 item 9: 鼓励有条件的
 * 地方建立贷款风险补偿资金): it pays a share of the principal of small and micro loans issued in a
 * period once they become non-performing, and a further share on the final loss, never more in
 * all than the loss, and nothing on loans an agency guarantees (those are claimed from the agency).
 */
export interface CompensationPool {
  readonly id: string
  readonly version: number
  readonly title: LocalizedText
  readonly citations: readonly Citation[]
  /** Loans issued from this day to `loansIssuedTo` (inclusive) are covered. */
  readonly loansIssuedFrom: CalendarDate
  readonly loansIssuedTo: CalendarDate
  readonly coveredSizes: readonly CoveredSize[]
  readonly excludesAgencyGuaranteed: boolean
  /** Who pays what, when: e.g. the province 30% of the principal on non-performance, the city 10% more on final loss. */
  readonly tiers: readonly PoolTier[]
  readonly rounding: RoundingMode
}

export interface PoolTier {
  readonly payer: string
  readonly stage: 'non-performing' | 'final-loss'
  /** Basis points of the principal outstanding when the loan became non-performing. */
  readonly shareBp: number
}

export interface PoolLoan {
  readonly issuedOn: CalendarDate
  readonly borrowerSize: CoveredSize | 'large'
  readonly agencyGuaranteed: boolean
  /** Principal outstanding when the loan was classified non-performing. */
  readonly principalAtDefault: Fen
}

export const POOL_INELIGIBILITY = {
  ISSUED_OUTSIDE_PERIOD: { zh: '贷款发放日不在风险补偿资金覆盖期间内', en: 'The loan was not issued in the period the pool covers' },
  SIZE_NOT_COVERED: { zh: '借款企业不是风险补偿资金覆盖的企业规模', en: 'The borrower is not of a size the pool covers' },
  AGENCY_GUARANTEED: { zh: '已由政府性融资担保机构担保的贷款不纳入风险补偿', en: 'Loans an agency guarantees are claimed from the agency, not the pool' },
} as const satisfies Record<string, LocalizedText>
export type PoolIneligibilityCode = keyof typeof POOL_INELIGIBILITY

/** Every reason a loan is outside the pool; empty when it is covered. */
export function poolIneligibility(pool: CompensationPool, loan: PoolLoan): PoolIneligibilityCode[] {
  const reasons: PoolIneligibilityCode[] = []
  if (!isOnOrAfter(loan.issuedOn, pool.loansIssuedFrom) || !isOnOrBefore(loan.issuedOn, pool.loansIssuedTo)) reasons.push('ISSUED_OUTSIDE_PERIOD')
  if (loan.borrowerSize === 'large' || !pool.coveredSizes.includes(loan.borrowerSize)) reasons.push('SIZE_NOT_COVERED')
  if (pool.excludesAgencyGuaranteed && loan.agencyGuaranteed) reasons.push('AGENCY_GUARANTEED')
  return reasons
}

export interface PoolPayment {
  readonly payer: string
  readonly stage: PoolTier['stage']
  /** Positive: the payer pays the bank; negative: the bank pays back what exceeded the loss. */
  readonly amount: Fen
}

/**
 * What each payer owes at a stage. On non-performance: each non-performing tier's share of the
 * principal. On the final loss: the pool's whole due is its tiers' shares of the principal, never more
 * than the loss; the final-loss tiers pay what the non-performing tiers have not (in their order, each
 * at most its share), and when the loss turned out smaller than what was paid on non-performance,
 * the bank pays the excess back, to the last payer first.
 *
 * @param paid what each payer has paid so far, by payer
 */
export function poolPayments(pool: CompensationPool, loan: PoolLoan, stage: { readonly kind: 'non-performing' } | { readonly kind: 'final-loss'; readonly loss: Fen }, paid: ReadonlyMap<string, Fen>): PoolPayment[] {
  const shareOf = (tier: PoolTier) => applyRate(loan.principalAtDefault, tier.shareBp, pool.rounding)
  if (stage.kind === 'non-performing') {
    return pool.tiers.filter((t) => t.stage === 'non-performing').map((t) => ({ payer: t.payer, stage: t.stage, amount: shareOf(t) - (paid.get(t.payer) ?? 0n) }))
  }
  const due = minFen(sumFen(pool.tiers.map(shareOf)), stage.loss < 0n ? 0n : stage.loss)
  const paidSoFar = sumFen(pool.tiers.map((t) => paid.get(t.payer) ?? 0n))
  const payments: PoolPayment[] = []
  if (paidSoFar > due) {
    let excess = paidSoFar - due
    for (const t of [...pool.tiers].reverse()) {
      const back = minFen(excess, paid.get(t.payer) ?? 0n)
      if (back > 0n) payments.unshift({ payer: t.payer, stage: t.stage, amount: -back })
      excess -= back
    }
    return payments
  }
  let left = due - paidSoFar
  for (const t of pool.tiers.filter((t) => t.stage === 'final-loss')) {
    const pay = minFen(left, shareOf(t) - (paid.get(t.payer) ?? 0n))
    payments.push({ payer: t.payer, stage: t.stage, amount: pay > 0n ? pay : 0n })
    left -= pay > 0n ? pay : 0n
  }
  return payments
}
