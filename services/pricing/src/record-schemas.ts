import Type, { type Static } from 'typebox'
import { enumOf, IsoDate, LineText, OneOfKind } from '@sme/contracts'
import { PRICING_PRODUCTS, TERM_BANDS } from './domain/index.js'
import { Grade } from './schemas.js'

const SIZES = ['large', 'medium', 'small', 'micro'] as const
const Bp = (minimum: number, maximum: number, description?: string) => Type.Integer({ minimum, maximum, ...(description ? { description } : {}) })

export const RecordId = Type.String({ pattern: '^[a-z0-9][a-z0-9.-]{0,63}$', description: 'The record’s id: its versions share it' })
export const RecordVersion = Type.Integer({ minimum: 1, maximum: 1_000_000 })

/** What every dated record carries (`DatedRecord`). */
const dated = {
  id: RecordId,
  version: RecordVersion,
  effectiveFrom: { ...IsoDate, description: 'First day in force' },
  effectiveTo: Type.Union([IsoDate, Type.Null()], { description: 'Last day in force (included), or null while open-ended' }),
  title: Type.Object({ zh: LineText(200), en: LineText(200) }, { additionalProperties: false }),
  source: LineText(500, 'The text it rests on: title, number, issuer, date'),
}
const Precedence = Type.Integer({ minimum: 0, maximum: 1_000, description: 'Lower applies first' })
const Eligible = Type.Union([Type.Literal('key-list'), Type.Literal('inclusive-small-micro')], { description: 'Firms on the key lists, or inclusive small/micro loans' })

const RateCardRecord = Type.Object(
  {
    kind: Type.Literal('rate-card'),
    ...dated,
    spreads: Type.Array(
      Type.Object({ product: enumOf(PRICING_PRODUCTS), band: enumOf(TERM_BANDS), grade: Grade, spreadBp: Bp(-1_000, 3_000, 'Over the LPR of the term’s tenor') }, { additionalProperties: false }),
      { minItems: 1, maxItems: 2_000 },
    ),
  },
  { additionalProperties: false, title: 'RateCardRecord', description: 'The bank’s rate card: spreads by product, term band and grade' },
)

const RateCutRecord = Type.Object(
  {
    kind: Type.Literal('rate-cut'),
    ...dated,
    precedence: Precedence,
    requiresAffected: Type.Boolean(),
    segments: Type.Array(
      Type.Object(
        {
          sizes: Type.Union([Type.Array(enumOf(SIZES), { maxItems: 4 }), Type.Null()], { description: 'null: any size (natural persons match only null)' }),
          grades: Type.Union([Type.Array(Grade, { maxItems: 50 }), Type.Null()], { description: 'null: any grade' }),
          cutBp: Bp(0, 1_000),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 50, description: 'The first segment matching the borrower applies' },
    ),
  },
  { additionalProperties: false, title: 'RateCutRecord', description: 'A relief rate cut by segment and grade' },
)

const RateCapRecord = Type.Object(
  { kind: Type.Literal('rate-cap'), ...dated, precedence: Precedence, eligible: Eligible, overOneYearLprBp: Bp(-1_000, 1_000, 'The cap over the 1-year LPR of the pricing date') },
  { additionalProperties: false, title: 'RateCapRecord', description: 'A cap over the 1-year LPR (re-lending programmes)' },
)

const InterestSubsidyRecord = Type.Object(
  {
    kind: Type.Literal('interest-subsidy'),
    ...dated,
    precedence: Precedence,
    eligible: Eligible,
    payer: Type.Union([Type.Literal('central-treasury'), Type.Literal('local-treasury')]),
    shareBp: Bp(1, 10_000, 'Share of the basis, basis points'),
    basis: Type.Union([
      Type.Object({ kind: Type.Literal('rate-paid') }, { additionalProperties: false }),
      Type.Object({ kind: Type.Literal('relending-rate'), overPreviousMonthOneYearLprBp: Bp(-1_000, 1_000) }, { additionalProperties: false }),
    ]),
    maxMonths: Type.Integer({ minimum: 1, maximum: 360 }),
    contractsFrom: { ...IsoDate, description: 'Contracts effective on or after this day' },
  },
  { additionalProperties: false, title: 'InterestSubsidyRecord', description: 'An interest subsidy (central or local)' },
)

const BridgeFundRecord = Type.Object(
  {
    kind: Type.Literal('bridge-fund'),
    ...dated,
    tiers: Type.Array(
      Type.Object({ throughDay: Type.Union([Type.Integer({ minimum: 1, maximum: 3_650 }), Type.Null()]), dailyPpm: Type.Integer({ minimum: 0, maximum: 100_000, description: 'Daily fee, parts per million (0.2‰ = 200)' }) }, { additionalProperties: false }),
      { minItems: 1, maxItems: 10 },
    ),
    maxShareOfRenewalBp: Bp(1, 10_000),
    maxDays: Type.Union([Type.Integer({ minimum: 1, maximum: 3_650 }), Type.Null()]),
  },
  { additionalProperties: false, title: 'BridgeFundRecord', description: 'An emergency bridge fund’s fee tiers and cap' },
)

/** A pricing record as an admin posts it, one of the five kinds (told apart by `kind`). */
export const PricingRecordBody = OneOfKind([RateCardRecord, RateCutRecord, RateCapRecord, InterestSubsidyRecord, BridgeFundRecord], {
  description: 'A rate card, programme or bridge fund version; `kind` says which. Dates YYYY-MM-DD (Asia/Shanghai).',
})
export type PricingRecordBody = Static<typeof PricingRecordBody>

export const RecordPost = Type.Object({ record: PricingRecordBody }, { additionalProperties: false })

export const RecordVersionView = Type.Object(
  {
    id: RecordId,
    version: RecordVersion,
    kind: Type.String(),
    status: Type.Union([Type.Literal('draft'), Type.Literal('active')]),
    addedBy: Type.String(),
    addedAt: Type.String({ format: 'date-time' }),
    activatedBy: Type.Union([Type.String(), Type.Null()]),
    activatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    record: Type.Record(Type.String(), Type.Unknown(), { description: 'The record as posted (see RecordPost)' }),
  },
  { additionalProperties: false },
)
