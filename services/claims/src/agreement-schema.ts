import Type, { type Static } from 'typebox'
import { enumOf, IsoDate, LAYER_PARTIES, LineText, PartyId } from '@sme/contracts'
import { ROUNDING_MODES } from '@sme/domain'

const Closed = { additionalProperties: false } as const
const Bp = (description: string) => Type.Integer({ minimum: 0, maximum: 10_000, description })
const Count = (maximum: number, description: string) => Type.Integer({ minimum: 0, maximum, description })
const Rounding = enumOf(ROUNDING_MODES as readonly ('half-up' | 'half-even' | 'down' | 'up' | 'floor' | 'ceiling')[])

export const AgreementId = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$', description: 'The agreement’s id: its versions share it' })
export const AgreementVersionNumber = Type.Integer({ minimum: 1, maximum: 1_000_000 })

/** An official text an agreement rests on. */
export const CitationWire = Type.Object(
  {
    title: LineText(200, 'The official title, in Chinese as published'),
    number: Type.Union([LineText(100), Type.Null()], { description: 'Document number; null when it has none' }),
    issuers: Type.Array(LineText(100), { minItems: 1, maxItems: 20 }),
    date: { ...IsoDate, description: 'Date of issue or publication' },
    article: LineText(100, 'The article or section applied'),
    quote: LineText(4_000, 'The clause, quoted in Chinese'),
  },
  Closed,
)

/**
 * One version of a guarantee agreement on the wire, as an admin adds it and everyone reads it
 * (domain `GuaranteeAgreement`; what the shape cannot judge, `agreementIssues` does).
 */
export const AgreementWire = Type.Object(
  {
    id: AgreementId,
    version: AgreementVersionNumber,
    effectiveFrom: { ...IsoDate, description: 'Loans guaranteed from this day fall under this version' },
    effectiveTo: Type.Union([IsoDate, Type.Null()], { description: 'Last guarantee day covered (included), or null while open-ended' }),
    title: Type.Object({ zh: LineText(200), en: LineText(200) }, Closed),
    programme: Type.String({ pattern: '^[a-z0-9][a-z0-9.-]{0,63}$', description: 'The guarantee programme the loans belong to' }),
    agencyId: { ...PartyId, description: 'The originating agency: the partyId of the originating-agency layer; fixed across versions' },
    citations: Type.Array(CitationWire, { maxItems: 20 }),
    coveredSizes: Type.Array(enumOf(['micro', 'small', 'medium'] as const), { minItems: 1, maxItems: 3, uniqueItems: true }),
    coveredShareBp: Bp('Share of the claimable amount the guarantee covers: the paying layers’ shares together'),
    layers: Type.Array(Type.Object({ party: enumOf(LAYER_PARTIES), partyId: PartyId, shareBp: Bp('Its share of the loss') }, Closed), { minItems: 2, maxItems: 10 }),
    bankMinimumShareBp: Bp('The least the bank keeps'),
    rounding: Type.Object({ amount: Rounding, remainderTo: enumOf(LAYER_PARTIES, 'The paying layer that takes the fen a split leaves over') }, Closed),
    claimAfterDaysPastDue: Count(3_650, 'Days past due from which a claim may be filed'),
    paymentDeadlineBusinessDays: Count(365, 'Business days the agency has to pay a filed claim'),
    interestCap: Type.Object({ maxDays: Count(3_650, 'Unpaid interest is claimable for at most this many days (ACT/360)'), rounding: Rounding }, Closed),
    recourse: Type.Object({ months: Count(600, 'Recourse period after payment'), epidemicExtensionMonths: Count(120, 'Added for a borrower hit by the epidemic') }, Closed),
    requiredDocuments: Type.Array(Type.Object({ code: Type.String({ pattern: '^[a-z][a-z0-9-]{0,63}$' }), text: Type.Object({ zh: LineText(200), en: LineText(200) }, Closed) }, Closed), { maxItems: 50 }),
    fees: Type.Object({ guaranteeBp: Bp('Annual guarantee fee'), reguaranteeBp: Bp('Annual re-guarantee fee') }, Closed),
    portfolioCap: Type.Object({ capBp: Bp('Compensation per bank and vintage, net of recoveries, as a share of the book guaranteed that year'), mode: enumOf(['enforce', 'flag'] as const) }, Closed),
  },
  { ...Closed, title: 'GuaranteeAgreement' },
)
export type AgreementBody = Static<typeof AgreementWire>

/** A stored version with who added and activated it. */
export const AgreementVersionView = Type.Object(
  {
    id: AgreementId,
    version: AgreementVersionNumber,
    status: enumOf(['draft', 'active'] as const, 'A draft governs nothing until another admin activates it'),
    addedBy: Type.String(),
    addedAt: Type.String({ format: 'date-time' }),
    activatedBy: Type.Union([Type.String(), Type.Null()]),
    activatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    agreement: AgreementWire,
  },
  { title: 'AgreementVersion' },
)
