import Type, { type Static, type TSchema } from 'typebox'

/**
 * The wire forms of the scoring service (HTTP bodies and event payloads). Money is integer fen as a
 * decimal string (JSON numbers lose precision beyond 2^53); ratios are basis points; dates are
 * Asia/Shanghai calendar dates (`YYYY-MM-DD`), months `YYYY-MM`.
 */

/** 18 characters of the USCC alphabet (no I, O, Z, S, V); the check characters are verified in the use case. */
export const Uscc = Type.String({ pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$', description: 'Unified social credit code (GB 32100-2015)', examples: ['91350100M000100Y43'] })
export const Fen = Type.String({ pattern: '^(0|[1-9][0-9]{0,17})$', description: 'Amount in fen (integer, ≥ 0) as a decimal string' })
export const SignedFen = Type.String({ pattern: '^(0|-?[1-9][0-9]{0,17})$', description: 'Amount in fen (integer, may be negative) as a decimal string' })
export const IsoDate = Type.String({ format: 'date', description: 'Calendar date, Asia/Shanghai' })
export const YearMonth = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: 'Month YYYY-MM' })
export const Period = Type.Union([YearMonth, IsoDate], { description: 'Month (YYYY-MM) of a flow, or date of a snapshot' })
const Count = (max = 10_000_000) => Type.Integer({ minimum: 0, maximum: max })
const Text = (max = 200) => Type.String({ minLength: 1, maxLength: max })
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

/** A record in a batch, checked at the edge only for its envelope; its kind's schema is applied per record. */
export const BatchRecord = Type.Object(
  {
    kind: Type.Union(RECORD_KINDS.map((k) => Type.Literal(k))),
    uscc: Type.String({ maxLength: 64 }),
    sourceRecordId: Type.String({ maxLength: 128 }),
  },
  { additionalProperties: true, description: 'A data-point record; the fields beyond kind/uscc/sourceRecordId follow the schema of its kind (see DataPointRecord)' },
)

export const MAX_BATCH = 500

export const BatchRequest = Type.Object(
  {
    mode: Type.Union([Type.Literal('all-or-nothing'), Type.Literal('per-record')], {
      description: 'all-or-nothing: any invalid record rejects the batch (422) and nothing is written; per-record: valid records are written, each record gets its outcome',
    }),
    records: Type.Array(BatchRecord, { minItems: 1, maxItems: MAX_BATCH }),
  },
  { additionalProperties: false },
)

export const RecordOutcome = Type.Object({
  index: Type.Integer(),
  sourceRecordId: Type.String(),
  outcome: Type.Union([Type.Literal('created'), Type.Literal('unchanged'), Type.Literal('superseded'), Type.Literal('rejected')]),
  dataPointId: Type.Optional(Type.String()),
  supersedes: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
})

export const BatchResponse = Type.Object({
  mode: Type.String(),
  accepted: Type.Integer(),
  rejected: Type.Integer(),
  outcomes: Type.Array(RecordOutcome),
})

export const StoredDataPoint = Type.Object({
  id: Type.String(),
  uscc: Type.String(),
  kind: Type.String(),
  dimension: Type.String(),
  source: Type.String(),
  sourceRecordId: Type.String(),
  period: Type.String(),
  asOf: Type.String(),
  version: Type.Integer(),
  supersedes: Type.Union([Type.String(), Type.Null()]),
  supersededBy: Type.Union([Type.String(), Type.Null()]),
  receivedAt: Type.String(),
  values: Type.Record(Type.String(), Type.Unknown()),
})

const Localized = Type.Object({ zh: Type.String(), en: Type.String() })

export const ScoreView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  uscc: Type.String(),
  asOf: Type.String(),
  model: Type.Object({ id: Type.String(), version: Type.String(), segment: Type.String() }),
  score: Type.Integer(),
  probabilityOfDefaultPpm: Type.Integer({ description: 'Probability of default in parts per million' }),
  grade: Type.String(),
  reasons: Type.Array(Type.Object({ code: Type.String(), pointsLost: Type.Integer(), characteristic: Type.String(), text: Localized })),
  characteristics: Type.Array(
    Type.Object({
      id: Type.String(),
      binId: Type.String(),
      points: Type.Integer(),
      value: Type.Unknown(),
      reasonCode: Type.Union([Type.String(), Type.Null()]),
      dataPointIds: Type.Array(Type.String()),
    }),
  ),
  hardship: Type.Union([Type.Unknown(), Type.Null()]),
  dataPointIds: Type.Array(Type.String(), { description: 'Every data point the score used (lineage)' }),
  requestedBy: Type.String(),
  correlationId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
})

export const ScoreRequest = Type.Object(
  {
    uscc: Uscc,
    asOf: Type.Optional(IsoDate),
    segment: Type.Optional(Type.String({ pattern: '^[a-z0-9-]{1,64}$' })),
    crisisStart: Type.Optional(Type.Union([IsoDate, Type.Null()], { description: 'Start of the crisis whose hardship to assess against the pre-crisis baseline; null: no hardship signal; default: the service default' })),
  },
  { additionalProperties: false },
)
