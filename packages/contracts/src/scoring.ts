import Type, { type Static, type TSchema } from 'typebox'
import { defineEvent } from '@sme/events'
import { HARDSHIP_SIGNALS } from './vocabulary.js'
import { enumOf, Fen, IsoDate, LineText, Localized, SignedFen, Uscc, YearMonth } from './wire.js'

/**
 * The scoring context's published language: the enterprise data points data providers send
 * (`enterprise.data.v1`, one schema per POLICY §6 data category), the scoring requests other
 * services send (`scoring.requests.v1`) and the scores it answers with (`scoring.results.v1`).
 */

export const Period = Type.Union([YearMonth, IsoDate], { description: 'Month (YYYY-MM) of a flow, or date of a snapshot' })
const Count = (max = 10_000_000) => Type.Integer({ minimum: 0, maximum: max })
const Text = (max = 200) => LineText(max)
const Id = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}$' })

/** Where a record comes from: the feed, and the feed's own id for it (the idempotency key of ingestion). */
const Common = {
  uscc: Uscc,
  source: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,63}$', description: 'Feed the figure came from, e.g. tax-bureau, state-grid, bank-core' }),
  sourceRecordId: Id,
  asOf: IsoDate,
}

function record<K extends string, T extends TSchema, P extends Record<string, TSchema>>(kind: K, period: T, fields: P) {
  return Type.Object({ kind: Type.Literal(kind), ...Common, period, ...fields }, { additionalProperties: false, title: kind })
}

export const RECORD_SCHEMAS = {
  registration: record('registration', Period, {
    industry: Type.String({ pattern: '^[A-T]([0-9]{2,4})?$', description: 'GB/T 4754-2017 code, e.g. C3989' }),
    region: Type.String({ pattern: '^[0-9]{6}$' }),
    foundedOn: IsoDate,
    legalStatus: Type.Enum(['active', 'abnormal-operations', 'suspended', 'in-liquidation', 'revoked', 'deregistered']),
  }),
  'tax-return': record('tax-return', YearMonth, { declaredRevenue: Fen, taxPaid: SignedFen }),
  'tax-rating': record('tax-rating', Period, { ratingYear: Type.Integer({ minimum: 1990, maximum: 2100 }), rating: Type.Enum(['A', 'B', 'M', 'C', 'D']) }),
  'invoice-month': record('invoice-month', YearMonth, { salesAmount: SignedFen, invoiceCount: Count() }),
  'headcount-month': record('headcount-month', YearMonth, { scheme: Type.Union([Type.Literal('social-insurance'), Type.Literal('housing-fund')]), employees: Count(1_000_000) }),
  'utility-month': record('utility-month', YearMonth, {
    utility: Type.Union([Type.Literal('electricity'), Type.Literal('water'), Type.Literal('gas')]),
    consumption: Count(1_000_000_000),
    billed: Fen,
    arrears: Fen,
  }),
  'customs-month': record('customs-month', YearMonth, { exports: Fen, imports: Fen }),
  'court-records': record('court-records', Period, {
    records: Type.Array(
      Type.Object(
        {
          caseId: Id,
          type: Type.Union([Type.Literal('lawsuit-defendant'), Type.Literal('enforcement'), Type.Literal('dishonest-debtor')]),
          filedOn: IsoDate,
          amount: Type.Union([Fen, Type.Null()]),
        },
        { additionalProperties: false },
      ),
      { maxItems: 500 },
    ),
  }),
  'administrative-penalties': record('administrative-penalties', Period, {
    penalties: Type.Array(
      Type.Object({ decisionId: Id, decidedOn: IsoDate, authority: Text(100), fine: Type.Union([Fen, Type.Null()]) }, { additionalProperties: false }),
      { maxItems: 500 },
    ),
  }),
  'repayment-month': record('repayment-month', YearMonth, { loanId: Id, maxDaysPastDue: Count(100_000) }),
  'receivables-snapshot': record('receivables-snapshot', Period, { total: Fen, overdue: Fen }),
} as const

export type RecordKind = keyof typeof RECORD_SCHEMAS
export const RECORD_KINDS = Object.keys(RECORD_SCHEMAS) as RecordKind[]

const R = RECORD_SCHEMAS
/** Any data-point record (the event payload of enterprise.data.v1). */
export const DataPointRecordSchema = Type.Union([
  R.registration, R['tax-return'], R['tax-rating'], R['invoice-month'], R['headcount-month'], R['utility-month'],
  R['customs-month'], R['court-records'], R['administrative-penalties'], R['repayment-month'], R['receivables-snapshot'],
])
export type DataPointRecord = Static<typeof DataPointRecordSchema>

/** One enterprise data point from a data provider (tax bureau feed, utilities, core banking …). */
export const EnterpriseDataRecorded = defineEvent({
  type: 'sme.enterprise.data-point.v1',
  topic: 'enterprise.data.v1',
  summary: 'A data point about an enterprise from one of the POLICY §6 data categories; idempotent by (source, sourceRecordId), a changed figure supersedes the previous version',
  keyDescription: "the enterprise's USCC",
  schema: DataPointRecordSchema,
  keyOf: (d) => d.uscc,
})

export const ScoringRequested = defineEvent({
  type: 'sme.scoring.requested.v1',
  topic: 'scoring.requests.v1',
  summary: 'A service asks for a score; the answer comes on scoring.results.v1 with the same correlationId',
  keyDescription: "the enterprise's USCC",
  schema: Type.Object(
    {
      correlationId: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$' }),
      uscc: Uscc,
      asOf: Type.Optional(IsoDate),
      segment: Type.Optional(Type.String({ pattern: '^[a-z0-9-]{1,64}$' })),
      crisisStart: Type.Optional(Type.Union([IsoDate, Type.Null()])),
      requestedBy: Type.String({ minLength: 1, maxLength: 64, description: 'The requesting service, e.g. relief' }),
    },
    { additionalProperties: false },
  ),
  keyOf: (d) => d.uscc,
})

/**
 * The firm's size figures as the scored data shows them: reported beside the score, never scored,
 * so that a service deciding on figures people typed in can see when the feeds disagree (the SME
 * size, and with it eligibility, rests on revenue and staff, POLICY §1). Absent from events
 * published before scoring reported them.
 */
export const ObservedFigures = Type.Object(
  {
    declaredRevenue12mFen: Type.Union([Fen, Type.Null()], {
      description: 'Revenue declared to the tax bureau over the 12 complete months before asOf; null unless a return falls in every quarter of them',
    }),
    employees: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'Insured employees in the latest month reported within the last three; null when none' }),
    employeesMonth: Type.Union([YearMonth, Type.Null()], { description: 'The month of that headcount' }),
  },
  { additionalProperties: false },
)

export const ScoreCompleted = defineEvent({
  type: 'sme.scoring.completed.v1',
  topic: 'scoring.results.v1',
  summary: 'The score for a scoring request (or any score other services should learn of), with reasons and the hardship signal',
  keyDescription: "the enterprise's USCC",
  schema: Type.Object({
    correlationId: Type.Union([Type.String(), Type.Null()]),
    scoreId: Type.String({ format: 'uuid' }),
    uscc: Uscc,
    asOf: IsoDate,
    model: Type.Object({ id: Type.String(), version: Type.String(), segment: Type.String() }),
    score: Type.Integer(),
    probabilityOfDefaultPpm: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    grade: Type.String(),
    reasons: Type.Array(Type.Object({ code: Type.String(), text: Localized, pointsLost: Type.Integer() })),
    hardship: Type.Union([
      Type.Object({
        classification: enumOf(HARDSHIP_SIGNALS),
        crisisStart: IsoDate,
        reasons: Type.Array(Type.Object({ code: Type.String(), text: Localized })),
      }),
      Type.Null(),
    ]),
    figures: Type.Optional(ObservedFigures),
  }),
  keyOf: (d) => d.uscc,
})

export const ScoringFailed = defineEvent({
  type: 'sme.scoring.failed.v1',
  topic: 'scoring.results.v1',
  summary: 'A scoring request that cannot be answered with a score (invalid USCC, no model in force); callers refer the case instead of waiting',
  keyDescription: "the enterprise's USCC",
  schema: Type.Object({
    correlationId: Type.String(),
    uscc: Type.String(),
    code: Type.Union([Type.Literal('invalid-uscc'), Type.Literal('no-model'), Type.Literal('invalid-request')]),
    detail: Type.String(),
  }),
  keyOf: (d) => d.uscc,
})

/** Every event the scoring context publishes. */
export const scoringEvents = [EnterpriseDataRecorded, ScoringRequested, ScoreCompleted, ScoringFailed] as const

export type ScoringRequestedData = Static<(typeof ScoringRequested)['schema']>
export type ScoreCompletedData = Static<(typeof ScoreCompleted)['schema']>
export type ScoringFailedData = Static<(typeof ScoringFailed)['schema']>
