import Type, { type Static } from 'typebox'
import { ClaimAmountView, DEMAND_OUTCOMES, enumOf, IsoDate, LayerShareView, LoanId, PartyId, SignedFen, Fen, WRITE_OFF_BASES, Localized } from '@sme/contracts'
import { CLAIM_STATUSES, type ClaimAmount, type LayerShare } from './domain/index.js'
import type { ClaimRecord } from './store/claims.js'

export const ClaimView = Type.Object(
  {
    claimId: Type.String({ format: 'uuid' }),
    loanId: LoanId,
    agencyId: PartyId,
    branchId: Type.String(),
    status: enumOf(CLAIM_STATUSES),
    version: Type.Integer({ description: 'Events recorded so far; each command adds at least one' }),
    agreement: Type.Object({ id: Type.String(), version: Type.Integer() }, { description: 'The version in force on the day the loan was guaranteed' }),
    demand: Type.Object({ on: IsoDate, amountFen: Fen, outcome: Type.Union([enumOf(DEMAND_OUTCOMES), Type.Null()]) }),
    documents: Type.Array(Type.String()),
    filing: Type.Union([Type.Object({ on: IsoDate, paymentDueOn: IsoDate, overdueRaised: Type.Boolean(), amount: ClaimAmountView }), Type.Null()]),
    approved: Type.Union([Type.Object({ on: IsoDate, amountFen: Fen }), Type.Null()]),
    settlement: Type.Union([Type.Object({ on: IsoDate, amountFen: Fen, recourseUntil: IsoDate, borne: Type.Array(LayerShareView, { description: 'The loss each layer bore' }) }), Type.Null()]),
    reguarantorsPaid: Type.Array(Type.String()),
    recoveries: Type.Array(Type.Object({ id: Type.String(), amountFen: SignedFen })),
    recoveredByLayer: Type.Array(LayerShareView),
    writtenOff: Type.Union([Type.Object({ on: IsoDate, basis: enumOf(WRITE_OFF_BASES) }), Type.Null()]),
    reversions: Type.Integer(),
    openedAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
)
export type ClaimViewData = Static<typeof ClaimView>

export function sharesView(shares: readonly LayerShare[]) {
  return shares.map((s) => ({ party: s.party, partyId: s.partyId, amountFen: s.amount.toString() }))
}

export function amountView(a: ClaimAmount): Static<typeof ClaimAmountView> {
  return {
    principalFen: a.principal.toString(),
    unpaidInterestFen: a.unpaidInterest.toString(),
    interestCapFen: a.interestCap.toString(),
    interestFen: a.interest.toString(),
    baseFen: a.base.toString(),
    coveredShareBp: a.coveredShareBp,
    claimedFen: a.claimed.toString(),
    retainedByBankFen: a.retainedByBank.toString(),
    layers: sharesView(a.layers),
    rule: a.rule,
  }
}

export function claimView(c: ClaimRecord): ClaimViewData {
  const s = c.state
  return {
    claimId: c.claimId,
    loanId: c.loanId,
    agencyId: c.agencyId,
    branchId: c.branchId,
    status: s.status,
    version: c.version,
    agreement: { id: s.terms.agreementId, version: s.terms.agreementVersion },
    demand: { on: s.demand.on, amountFen: s.demand.amount.toString(), outcome: s.demand.outcome },
    documents: [...c.documents],
    filing: s.filing && { on: s.filing.on, paymentDueOn: s.filing.paymentDueOn, overdueRaised: s.filing.overdueRaised, amount: amountView(s.filing.amount) },
    approved: s.approved && { on: s.approved.on, amountFen: s.approved.amount.toString() },
    settlement: s.settlement && { on: s.settlement.on, amountFen: s.settlement.amount.toString(), recourseUntil: s.settlement.recourseUntil, borne: sharesView(s.settlement.borne) },
    reguarantorsPaid: [...s.reguarantorsPaid],
    recoveries: s.recoveries.map((r) => ({ id: r.id, amountFen: r.amount.toString() })),
    recoveredByLayer: sharesView(s.recoveredByLayer),
    writtenOff: s.writtenOff,
    reversions: s.reversions,
    openedAt: c.openedAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  }
}

/** An ineligibility reason on the wire. */
export const IneligibilityView = Type.Object({ code: Type.String(), text: Localized, missing: Type.Optional(Type.Array(Type.Object({ code: Type.String(), text: Localized }))) })
