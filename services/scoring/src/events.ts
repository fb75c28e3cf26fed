import Type from 'typebox'
import { defineEvent, EventCatalogue } from '@sme/events'
import { DataPointRecordSchema, IsoDate, Uscc } from './schemas.js'

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

const Localized = Type.Object({ zh: Type.String(), en: Type.String() })

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
        classification: Type.Enum(['none', 'temporary-shock', 'structural-decline', 'insufficient-data']),
        crisisStart: IsoDate,
        reasons: Type.Array(Type.Object({ code: Type.String(), text: Localized })),
      }),
      Type.Null(),
    ]),
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

export const scoringCatalogue = new EventCatalogue([EnterpriseDataRecorded, ScoringRequested, ScoreCompleted, ScoringFailed])
