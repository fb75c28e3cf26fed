import Type, { type Static } from 'typebox'
import { BranchId, enumOf, Fen, IsoDate, LineText, LoanId, PartyId, SignedFen } from '@sme/contracts'
import { ROUNDING_MODES } from '@sme/domain'
import { AgreementId, AgreementVersionNumber, CitationWire } from './agreement-schema.js'

const Closed = { additionalProperties: false } as const
const Rounding = enumOf(ROUNDING_MODES as readonly ('half-up' | 'half-even' | 'down' | 'up' | 'floor' | 'ceiling')[])
const STAGES = ['non-performing', 'final-loss'] as const

export const PoolId = { ...AgreementId, description: 'The pool’s id: its versions share it' }
export const PoolVersionNumber = AgreementVersionNumber

/** One version of a risk-compensation pool on the wire (domain `CompensationPool`; what the shape cannot judge, `poolIssues` does). */
export const PoolWire = Type.Object(
  {
    id: PoolId,
    version: PoolVersionNumber,
    title: Type.Object({ zh: LineText(200), en: LineText(200) }, Closed),
    citations: Type.Array(CitationWire, { maxItems: 20 }),
    loansIssuedFrom: { ...IsoDate, description: 'Loans issued from this day…' },
    loansIssuedTo: { ...IsoDate, description: '…to this day (included) are covered' },
    coveredSizes: Type.Array(enumOf(['micro', 'small', 'medium'] as const), { minItems: 1, maxItems: 3, uniqueItems: true }),
    excludesAgencyGuaranteed: Type.Boolean({ description: 'Loans an agency guarantees are claimed from the agency, not the pool' }),
    tiers: Type.Array(
      Type.Object({ payer: PartyId, stage: enumOf(STAGES, 'When the payer’s share falls due'), shareBp: Type.Integer({ minimum: 1, maximum: 10_000, description: 'Of the principal outstanding at default' }) }, Closed),
      { minItems: 1, maxItems: 10 },
    ),
    rounding: Rounding,
  },
  { ...Closed, title: 'CompensationPool' },
)
export type PoolBody = Static<typeof PoolWire>

export const PoolVersionView = Type.Object(
  {
    id: PoolId,
    version: PoolVersionNumber,
    status: enumOf(['draft', 'active'] as const, 'A draft governs nothing until another admin activates it'),
    addedBy: Type.String(),
    addedAt: Type.String({ format: 'date-time' }),
    activatedBy: Type.Union([Type.String(), Type.Null()]),
    activatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    pool: PoolWire,
  },
  { title: 'PoolVersion' },
)

/** Core banking's claim on a pool for a loan that became non-performing. */
export const PoolClaimBody = Type.Object(
  {
    poolId: PoolId,
    loanId: LoanId,
    branchId: BranchId,
    issuedOn: { ...IsoDate, description: 'The day the loan was issued: the pool version whose window holds it applies' },
    borrowerSize: enumOf(['micro', 'small', 'medium', 'large'] as const),
    agencyGuaranteed: Type.Boolean({ description: 'An agency guarantees the loan (a loan registered here as guaranteed counts as such whatever this says)' }),
    principalAtDefaultFen: { ...Fen, description: 'Principal outstanding when the loan was classified non-performing' },
  },
  Closed,
)
export type PoolClaimBodyData = Static<typeof PoolClaimBody>

export const PoolPaymentBody = Type.Object(
  {
    reference: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$', description: 'The payment’s own id: a repeated one changes nothing' }),
    payer: PartyId,
    amountFen: { ...SignedFen, description: 'Positive: the payer paid the bank; negative: the bank paid back what exceeded the loss' },
  },
  Closed,
)

const EntryView = Type.Object({
  seq: Type.Integer(),
  kind: enumOf(['due', 'paid'] as const),
  payer: PartyId,
  stage: enumOf(STAGES),
  amountFen: SignedFen,
  on: IsoDate,
  by: Type.String(),
  reference: Type.Union([Type.String(), Type.Null()]),
})

export const PoolClaimView = Type.Object(
  {
    poolClaimId: Type.String({ format: 'uuid' }),
    pool: Type.Object({ id: PoolId, version: PoolVersionNumber }, { description: 'The version whose window holds the issue day' }),
    loanId: LoanId,
    branchId: Type.String(),
    stage: enumOf(STAGES),
    lossFen: Type.Union([Fen, Type.Null()]),
    loan: Type.Object({ issuedOn: IsoDate, borrowerSize: Type.String(), agencyGuaranteed: Type.Boolean(), principalAtDefaultFen: Fen }),
    payers: Type.Array(Type.Object({ payer: PartyId, dueFen: SignedFen, paidFen: SignedFen, outstandingFen: { ...SignedFen, description: 'Positive: the payer owes the bank; negative: the bank owes it back' } })),
    settled: Type.Boolean({ description: 'Nothing outstanding either way' }),
    entries: Type.Array(EntryView, { description: 'The account, never edited: what fell due and what moved' }),
    openedAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false, title: 'PoolClaim' },
)
