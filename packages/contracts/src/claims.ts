import Type, { type Static } from 'typebox'
import { defineEvent } from '@sme/events'
import { Borrower } from './loans.js'
import { DEMAND_OUTCOMES, LAYER_PARTIES, WRITE_OFF_BASES } from './vocabulary.js'
import { BranchId, enumOf, Fen, FreeText, IsoDate, Localized, LoanId, SignedFen, Uuid } from './wire.js'

/**
 * Guarantee-fund claims (POLICY §5): what the bank sends guarantee agencies on `guarantee.claims.v1`
 * (claims filed and taken back, recoveries shared back, write-offs, payments overdue) and what the
 * agencies answer on `guarantee.responses.v1` (acknowledged, approved in whole or in part, rejected,
 * paid). Both keyed by the loan, so one loan's claim and its answers stay in order.
 */

/** An agency, fund, government or bank as the agreements name it. */
export const PartyId = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$', description: 'A party of the risk sharing (agency code, fund, government or bank) as the agreement names it' })

export const LayerShareView = Type.Object(
  {
    party: enumOf(LAYER_PARTIES),
    partyId: PartyId,
    amountFen: SignedFen,
  },
  { additionalProperties: false },
)

/** How the claimed amount was reached, to the fen, with the rule in words. */
export const ClaimAmountView = Type.Object(
  {
    principalFen: { ...Fen, description: 'Outstanding principal' },
    unpaidInterestFen: { ...Fen, description: 'Contractual interest due and unpaid' },
    interestCapFen: { ...Fen, description: 'The most interest the agreement lets the bank claim' },
    interestFen: { ...Fen, description: 'Interest claimed: the unpaid interest up to the cap' },
    baseFen: { ...Fen, description: 'Principal + interest claimed: the loss the layers share' },
    coveredShareBp: Type.Integer({ minimum: 0, maximum: 10_000 }),
    claimedFen: { ...Fen, description: 'base × covered share, rounded as the agreement says' },
    retainedByBankFen: Fen,
    layers: Type.Array(LayerShareView, { description: 'The claim split across the paying layers; sums to claimedFen' }),
    rule: Type.String(),
  },
  { additionalProperties: false },
)

const claimRef = {
  claimId: Uuid,
  loanId: LoanId,
  agencyId: { ...PartyId, description: 'The originating agency the claim is made to' },
}

export const ClaimFiledData = Type.Object(
  {
    ...claimRef,
    branchId: BranchId,
    borrower: Borrower,
    agreement: Type.Object({ id: Type.String(), version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false, description: 'The version in force on the day the loan was guaranteed' }),
    amount: ClaimAmountView,
    documents: Type.Array(Type.String(), { description: 'Codes of the documents attached (the agreement’s list)' }),
    filedOn: IsoDate,
    paymentDueOn: { ...IsoDate, description: 'The agency pays by this day (the agreement’s business days from filing)' },
    portfolioCapExceeded: Type.Boolean({ description: 'The agency’s compensation on this vintage would pass the agreement’s cap (filed because the agreement flags rather than enforces it)' }),
  },
  { additionalProperties: false },
)
export type ClaimFiledData = Static<typeof ClaimFiledData>

export const ClaimFiled = defineEvent({
  type: 'sme.claims.claim-filed.v1',
  topic: 'guarantee.claims.v1',
  summary: 'The bank filed a claim with the originating agency: the amount, how it was reached and its split across the layers, the documents and the payment deadline',
  keyDescription: "the loan id (core banking's)",
  schema: ClaimFiledData,
  keyOf: (d) => d.loanId,
})

export const ClaimRevertedData = Type.Object({ ...claimRef, reason: FreeText({ maxLength: 2000 }), revertedOn: IsoDate }, { additionalProperties: false })
export const ClaimReverted = defineEvent({
  type: 'sme.claims.claim-reverted.v1',
  topic: 'guarantee.claims.v1',
  summary: 'The bank took a filed claim back (to correct it, or because the borrower paid): the agency stops handling it',
  keyDescription: "the loan id (core banking's)",
  schema: ClaimRevertedData,
  keyOf: (d) => d.loanId,
})

export const PaymentOverdueData = Type.Object({ ...claimRef, dueOn: IsoDate, raisedOn: IsoDate }, { additionalProperties: false })
export const ClaimPaymentOverdue = defineEvent({
  type: 'sme.claims.payment-overdue.v1',
  topic: 'guarantee.claims.v1',
  summary: 'The agency has not paid a claim by its deadline (raised once per claim)',
  keyDescription: "the loan id (core banking's)",
  schema: PaymentOverdueData,
  keyOf: (d) => d.loanId,
})

export const RecoverySharedData = Type.Object(
  {
    ...claimRef,
    recoveryId: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$' }),
    correction: Type.Boolean({ description: 'A correction of an earlier recovery (amountFen is the change, possibly negative)' }),
    amountFen: SignedFen,
    shares: Type.Array(LayerShareView, { description: 'Each layer’s part; sums to amountFen' }),
    recordedOn: IsoDate,
  },
  { additionalProperties: false },
)
export const RecoveryShared = defineEvent({
  type: 'sme.claims.recovery-shared.v1',
  topic: 'guarantee.claims.v1',
  summary: 'Money recovered from the borrower after payment (or a correction of it), shared back to every layer pro rata to the loss it bore',
  keyDescription: "the loan id (core banking's)",
  schema: RecoverySharedData,
  keyOf: (d) => d.loanId,
})

export const ClaimWrittenOffData = Type.Object({ ...claimRef, basis: enumOf(WRITE_OFF_BASES), writtenOffOn: IsoDate }, { additionalProperties: false })
export const ClaimWrittenOff = defineEvent({
  type: 'sme.claims.claim-written-off.v1',
  topic: 'guarantee.claims.v1',
  summary: 'The claim’s loss was written off; the file stays open and later recoveries are still shared (账销案存)',
  keyDescription: "the loan id (core banking's)",
  schema: ClaimWrittenOffData,
  keyOf: (d) => d.loanId,
})

/** Every event the claims service publishes. */
export const claimEvents = [ClaimFiled, ClaimReverted, ClaimPaymentOverdue, RecoveryShared, ClaimWrittenOff] as const

// Agencies' answers.

const AGENCIES = 'the guarantee agencies'
const responseRef = {
  responseId: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$', description: 'The agency’s own id for this answer (answers are deduplicated on it)' }),
  ...claimRef,
  answeredOn: IsoDate,
}

export const ClaimAcknowledgedData = Type.Object({ ...responseRef }, { additionalProperties: false })
export const AgencyAcknowledgedClaim = defineEvent({
  type: 'agency.claim.acknowledged.v1',
  topic: 'guarantee.responses.v1',
  summary: 'The agency received a filed claim and is handling it',
  keyDescription: "the loan id (core banking's)",
  keyOf: (d) => d.loanId,
  externalProducer: AGENCIES,
  schema: ClaimAcknowledgedData,
})

export const ClaimApprovedData = Type.Object({ ...responseRef, amountFen: { ...Fen, description: 'What the agency will pay: the claim, or less (a partial settlement)' } }, { additionalProperties: false })
export const AgencyApprovedClaim = defineEvent({
  type: 'agency.claim.approved.v1',
  topic: 'guarantee.responses.v1',
  summary: 'The agency approved a claim, whole or in part',
  keyDescription: "the loan id (core banking's)",
  keyOf: (d) => d.loanId,
  externalProducer: AGENCIES,
  schema: ClaimApprovedData,
})

export const ClaimRejectedData = Type.Object({ ...responseRef, reason: FreeText({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false })
export const AgencyRejectedClaim = defineEvent({
  type: 'agency.claim.rejected.v1',
  topic: 'guarantee.responses.v1',
  summary: 'The agency rejected a claim, with its grounds',
  keyDescription: "the loan id (core banking's)",
  keyOf: (d) => d.loanId,
  externalProducer: AGENCIES,
  schema: ClaimRejectedData,
})

export const ClaimPaidData = Type.Object(
  {
    ...responseRef,
    payerId: { ...PartyId, description: 'Who paid: the originating agency (to the bank), then each re-guarantor its share (to the agency)' },
    amountFen: Fen,
  },
  { additionalProperties: false },
)
export const AgencyPaidClaim = defineEvent({
  type: 'agency.claim.paid.v1',
  topic: 'guarantee.responses.v1',
  summary: 'A payment on a claim: the originating agency paying the approved amount, or a re-guarantor its share after it',
  keyDescription: "the loan id (core banking's)",
  keyOf: (d) => d.loanId,
  externalProducer: AGENCIES,
  schema: ClaimPaidData,
})

/** Every answer the agencies send. */
export const agencyResponseEvents = [AgencyAcknowledgedClaim, AgencyApprovedClaim, AgencyRejectedClaim, AgencyPaidClaim] as const

/** Texts of the demand outcomes, for documents and the console. */
export const DEMAND_OUTCOME_TEXTS: Record<(typeof DEMAND_OUTCOMES)[number], Static<typeof Localized>> = {
  repaid: { zh: '借款人已清偿', en: 'The borrower repaid' },
  cured: { zh: '逾期已化解，贷款恢复正常', en: 'The arrears were cured; the loan is performing again' },
  'no-claim': { zh: '不申请代偿', en: 'No claim will be made' },
  claim: { zh: '申请代偿', en: 'A claim will be made' },
}
