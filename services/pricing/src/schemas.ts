import Type, { type Static } from 'typebox'
import { BorrowerId, BranchId, enumOf, Fen, IsoDate, LoanId, QuoteIssued, Uscc } from '@sme/contracts'
import { PRICING_PRODUCTS, REPAYMENT_METHODS } from './domain/index.js'

const SIZES = ['medium', 'small', 'micro', 'large'] as const

export const Grade = Type.String({ pattern: '^[A-Z]{1,4}[+-]?$', description: 'Risk grade from scoring (AAA…D on the default scorecard)' })

export const QuoteBody = Type.Object(
  {
    branchId: BranchId,
    loanId: Type.Optional(Type.Union([LoanId, Type.Null()], { description: 'The loan, when re-pricing one already booked' })),
    borrower: Type.Union([
      Type.Object(
        { kind: Type.Literal('enterprise'), uscc: Uscc, size: enumOf(SIZES), inclusiveSmallMicro: Type.Boolean({ description: '普惠小微: total credit within the cap, a small or micro borrower' }) },
        { additionalProperties: false, title: 'enterprise' },
      ),
      Type.Object(
        { kind: Type.Literal('person'), borrowerId: BorrowerId, inclusiveSmallMicro: Type.Boolean() },
        { additionalProperties: false, title: 'natural person (a business borrower: an individual business, a small-business owner)' },
      ),
    ]),
    grade: Grade,
    affected: Type.Boolean({ description: 'Hit by the crisis and viable, as the officer judges under the bank’s relief policy' }),
    product: enumOf(PRICING_PRODUCTS),
    principalFen: { ...Fen, description: 'Amount lent, fen (> 0, at most 10^15)' },
    termMonths: Type.Integer({ minimum: 1, maximum: 360 }),
    method: enumOf(REPAYMENT_METHODS, 'equal-instalments 等额本息, equal-principal 等额本金, interest-only 按期付息到期还本'),
    graceMonths: Type.Optional(Type.Integer({ minimum: 0, maximum: 359, description: 'Principal grace: interest only for the first months (below termMonths)' })),
    pricingDate: { ...IsoDate, description: 'The day priced: the LPR and the programmes of that day' },
    startDate: { ...IsoDate, description: 'Value date: the contract takes effect and interest runs from this day' },
    guaranteeFeeBp: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000, description: 'Government-backed guarantee fee, bp a year on the outstanding principal' })),
  },
  { additionalProperties: false },
)
export type QuoteBody = Static<typeof QuoteBody>

const { schedule: _schedule, ...issuedButSchedule } = QuoteIssued.schema.properties
const standing = {
  status: Type.Union([Type.Literal('open'), Type.Literal('accepted'), Type.Literal('expired')]),
  acceptedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
}

export const QuoteView = Type.Object(
  {
    ...QuoteIssued.schema.properties,
    ...standing,
    conventions: Type.Record(Type.String(), Type.String(), { description: 'The conventions the schedule, subsidies and rates follow' }),
  },
  { additionalProperties: false, title: 'QuoteView' },
)

/** A quote without its schedule and conventions: the answer to `Prefer: return=minimal`. */
export const QuoteBrief = Type.Object({ ...issuedButSchedule, ...standing }, { additionalProperties: false, title: 'QuoteBrief', description: 'The quote as issued and where it stands, without its schedule and conventions (GET /quotes/{id} has them)' })

/**
 * Does the caller prefer a minimal answer (RFC 7240 `Prefer: return=minimal`)? Preferences are a
 * comma-separated list; names are case-insensitive.
 */
export function prefersMinimal(prefer: string | string[] | undefined): boolean {
  if (prefer === undefined) return false
  for (const header of Array.isArray(prefer) ? prefer : [prefer]) {
    for (const item of header.split(',')) {
      const [name, value] = item.split(';')[0]!.split('=').map((p) => p.trim().replace(/^"|"$/g, ''))
      if (name?.toLowerCase() === 'return' && value === 'minimal') return true
    }
  }
  return false
}

export const LprBody = Type.Object(
  {
    effectiveDate: { ...IsoDate, description: 'Publication day; the rates apply from it' },
    oneYearBp: Type.Integer({ minimum: 1, maximum: 10_000 }),
    fiveYearBp: Type.Integer({ minimum: 1, maximum: 10_000 }),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'Required to correct a publication already recorded' })),
  },
  { additionalProperties: false },
)

export const LprEntryView = Type.Object({ effectiveDate: IsoDate, oneYearBp: Type.Integer(), fiveYearBp: Type.Integer() })

export const KeyListBody = Type.Object(
  {
    uscc: Uscc,
    list: Type.Union([Type.Literal('national'), Type.Literal('local')]),
    listedOn: IsoDate,
    delistedOn: Type.Optional(Type.Union([IsoDate, Type.Null()])),
  },
  { additionalProperties: false, description: 'An entry of a key epidemic-protection enterprise list (national or local), with its dates' },
)
