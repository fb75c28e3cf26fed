import { accruedInterest, allocate, divideRound, minFen, sumFen, type BasisPoints, type Fen } from '@sme/domain'
import { payingLayers, type GuaranteeAgreement, type LayerParty, type RiskLayer } from './agreement.js'

/** One layer's part of an amount. */
export interface LayerShare {
  readonly party: LayerParty
  readonly partyId: string
  readonly amount: Fen
}

/** What the loan owes when the claim is made (core banking's figures). */
export interface OutstandingDebt {
  readonly principal: Fen
  /** Contractual interest due and unpaid (penalty and compound interest are never claimable). */
  readonly unpaidInterest: Fen
  readonly contractRateBp: BasisPoints
}

/** The claim's amount and how it was reached, stored with the claim so it can be shown and replayed. */
export interface ClaimAmount {
  readonly principal: Fen
  readonly unpaidInterest: Fen
  /** The most interest the agreement lets the bank claim on this principal. */
  readonly interestCap: Fen
  readonly interest: Fen
  /** principal + interest: the loss the layers share. */
  readonly base: Fen
  readonly coveredShareBp: number
  /** base × covered share, rounded as the agreement says: what the agency is asked to pay. */
  readonly claimed: Fen
  /** base − claimed: the bank's own share, never claimed. */
  readonly retainedByBank: Fen
  /** `claimed` split across the paying layers; the parts sum to it exactly. */
  readonly layers: readonly LayerShare[]
  readonly rule: string
}

type SplitTerms = Pick<GuaranteeAgreement, 'layers' | 'rounding'>

/**
 * Splits an amount the paying layers bear (a claim, a settlement) pro rata to their shares; every
 * layer but the one the agreement names gets its exact share rounded toward zero, and that one the
 * fen left over (POLICY §5: the originating agency's 40% "is the remainder"). The parts always sum
 * to `amount`.
 */
export function splitAcrossPayingLayers(terms: SplitTerms, amount: Fen): LayerShare[] {
  const paying = payingLayers(terms)
  const remainderTo = paying.findIndex((l) => l.party === terms.rounding.remainderTo)
  const parts = allocate(amount, paying.map((l) => l.shareBp), { remainderTo })
  return paying.map((l, i) => ({ party: l.party, partyId: l.partyId, amount: parts[i]! }))
}

/**
 * The amount claimed under an agreement (POLICY §5): outstanding principal plus the unpaid
 * contractual interest up to the agreement's cap, times the covered share, rounded once, then split
 * across the paying layers to the fen.
 */
export function claimAmount(agreement: GuaranteeAgreement, debt: OutstandingDebt): ClaimAmount {
  const interestCap = accruedInterest({ principal: debt.principal, rateBp: debt.contractRateBp, days: agreement.interestCap.maxDays, rounding: agreement.interestCap.rounding })
  const interest = minFen(debt.unpaidInterest, interestCap)
  const base = debt.principal + interest
  const claimed = divideRound(base * BigInt(agreement.coveredShareBp), 10_000n, agreement.rounding.amount)
  return {
    principal: debt.principal,
    unpaidInterest: debt.unpaidInterest,
    interestCap,
    interest,
    base,
    coveredShareBp: agreement.coveredShareBp,
    claimed,
    retainedByBank: base - claimed,
    layers: splitAcrossPayingLayers(agreement, claimed),
    rule:
      `interest claimed: the unpaid contractual interest, at most ${agreement.interestCap.maxDays} days at the contract rate on the principal (ACT/360, ${agreement.interestCap.rounding}); ` +
      `claimed: (principal + interest) × ${agreement.coveredShareBp} bp, rounded ${agreement.rounding.amount}; ` +
      `split across the paying layers by share, each rounded toward zero, the fen left over to the ${agreement.rounding.remainderTo}`,
  }
}

/** What each layer bore of a paid claim: the settled amount by the paying layers, the rest of the loss by the bank. */
export function lossBorne(terms: SplitTerms, base: Fen, settled: Fen): LayerShare[] {
  const paid = splitAcrossPayingLayers(terms, settled)
  const bank = terms.layers.find((l): l is RiskLayer => l.party === 'bank')!
  return [...paid, { party: 'bank', partyId: bank.partyId, amount: base - settled }]
}

/**
 * A recovery shared back to every layer (POLICY §5: pro rata to each layer's share), here pro rata
 * to the loss each actually bore — the same as the agreement's shares when the claim was paid whole,
 * and fair to the bank when the agency settled only part of it. What is recovered beyond the whole
 * loss (the borrower paying penalty interest, say) is the bank's alone: no layer gets back more than
 * it bore.
 *
 * Exact over the claim's whole history, not only each time: every recovery is split so that each
 * layer's running total moves toward its exact share of everything recovered so far — the fen go to
 * the layers furthest behind it (largest remainders), so rounding never accumulates on one layer
 * over many recoveries, no layer ever passes what it bore, and no recovery gives a layer a negative
 * part. A correction that takes money back (negative `amount`) takes it from the layers ahead of
 * their share the same way.
 *
 * @param borne each layer's loss, as {@link lossBorne} gives it
 * @param before what each layer has had back so far (net of corrections); layers absent have had nothing
 * @param amount this recovery, or the change a correction makes
 * @returns each layer's part, in the order of `borne`; the parts sum to `amount` exactly
 */
export function shareRecovery(borne: readonly LayerShare[], before: readonly LayerShare[], amount: Fen): LayerShare[] {
  const whole = sumFen(borne.map((b) => b.amount))
  const totalBefore = sumFen(before.map((b) => b.amount))
  const sharedBefore = clamp(totalBefore, whole)
  const sharedAfter = clamp(totalBefore + amount, whole)
  const shared = sharedAfter - sharedBefore
  const beyond = amount - shared
  // What each layer had of the shared part (the bank's excess beyond the loss set aside).
  const had = borne.map((b) => (before.find((x) => sameLayer(x, b))?.amount ?? 0n) - (b.party === 'bank' ? totalBefore - sharedBefore : 0n))
  // How far each layer is from its exact share of what will have been shared, × whole (integers):
  // toward it is the direction of this change (behind for a recovery, ahead for a correction back).
  const sign = shared < 0n ? -1n : 1n
  const toward = borne.map((b, i) => {
    const gap = (sharedAfter * b.amount - had[i]! * whole) * sign
    return gap > 0n ? gap : 0n
  })
  const parts = shared === 0n ? borne.map(() => 0n) : closeGaps(shared * sign, toward, whole).map((p) => p * sign)
  return borne.map((b, i) => ({ party: b.party, partyId: b.partyId, amount: parts[i]! + (b.party === 'bank' ? beyond : 0n) }))
}

/**
 * Splits `amount` (> 0) over gaps (in units of 1/`unit` fen, Σ gaps ≥ amount × unit): each gets its
 * gap's whole fen, then the fen left go one each to the largest fractions (ties to the first),
 * so no part passes its gap rounded up and every gap ends within a fen of closed.
 */
function closeGaps(amount: Fen, gaps: readonly bigint[], unit: bigint): Fen[] {
  const parts = gaps.map((g) => g / unit)
  let left = amount - sumFen(parts)
  if (left < 0n) return allocate(amount, gaps) // only when rounding put several layers ahead at once
  const order = gaps
    .map((g, i) => ({ i, fraction: g % unit }))
    .filter((x) => x.fraction > 0n)
    .sort((a, b) => (a.fraction === b.fraction ? a.i - b.i : a.fraction > b.fraction ? -1 : 1))
  for (const { i } of order) {
    if (left === 0n) break
    parts[i] = parts[i]! + 1n
    left -= 1n
  }
  // Left only when the gaps were whole fen and summed past the amount: impossible, since then Σ parts ≥ amount.
  if (left !== 0n) return allocate(amount, gaps)
  return parts
}

/** Adds parts to running totals by layer. */
export function addShares(totals: readonly LayerShare[], parts: readonly LayerShare[]): LayerShare[] {
  const out = totals.map((t) => ({ ...t }))
  for (const p of parts) {
    const i = out.findIndex((t) => sameLayer(t, p))
    if (i < 0) out.push({ ...p })
    else out[i] = { ...out[i]!, amount: out[i]!.amount + p.amount }
  }
  return out
}

function sameLayer(a: Pick<LayerShare, 'party' | 'partyId'>, b: Pick<LayerShare, 'party' | 'partyId'>): boolean {
  return a.party === b.party && a.partyId === b.partyId
}

function clamp(value: Fen, max: Fen): Fen {
  return value < 0n ? 0n : value > max ? max : value
}
