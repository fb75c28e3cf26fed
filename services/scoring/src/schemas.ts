import Type from 'typebox'
import { IsoDate, Localized, RECORD_KINDS, Uscc } from '@sme/contracts'

/**
 * The wire forms of the scoring service (HTTP bodies and event payloads). Money is integer fen as a
 * decimal string (JSON numbers lose precision beyond 2^53); ratios are basis points; dates are
 * Asia/Shanghai calendar dates (`YYYY-MM-DD`), months `YYYY-MM`.
 */

export { Fen, IsoDate, SignedFen, Uscc, YearMonth, DataPointRecordSchema, RECORD_KINDS, RECORD_SCHEMAS, type DataPointRecord, type RecordKind } from '@sme/contracts'

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
