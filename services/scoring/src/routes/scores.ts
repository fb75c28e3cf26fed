import Type from 'typebox'
import { AppError, CursorQuery, decodeCursor, NextCursor, pageOf, type ServiceApp, type ServiceContext } from '@sme/kit'
import { assertFirmAccess } from '../access.js'
import { ScoreRequest, Uscc } from '../schemas.js'
import { SCORES_CURSOR_PARTS, scoreById, scoresOf, shadowScoresOf } from '../store/scores.js'
import type { ScoringTables } from '../store/tables.js'
import { refusalToProblem, replayScore, scoreInTransaction, scoreView, type ModelCache } from '../use-cases/score.js'

const Localized = Type.Object({ zh: Type.String(), en: Type.String() })

export const ScoreViewSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  uscc: Type.String(),
  asOf: Type.String({ format: 'date' }),
  model: Type.Object({ id: Type.String(), version: Type.String(), segment: Type.String() }),
  score: Type.Integer(),
  probabilityOfDefaultPpm: Type.Integer({ description: 'Probability of default, parts per million' }),
  grade: Type.String(),
  reasons: Type.Array(Type.Object({ code: Type.String(), text: Localized, characteristic: Type.String(), pointsLost: Type.Integer() }), {
    description: 'The largest deductions against each characteristic’s best bin, largest first',
  }),
  characteristics: Type.Array(
    Type.Object({
      id: Type.String(),
      feature: Type.String(),
      value: Type.Union([Type.Number(), Type.String(), Type.Null()]),
      missing: Type.Union([Type.String(), Type.Null()], { description: 'no-data or stale: missing data has its own bin, never a silent zero' }),
      binId: Type.String(),
      points: Type.Integer(),
      pointsLost: Type.Integer(),
      reasonCode: Type.Union([Type.String(), Type.Null()]),
      dataPointIds: Type.Array(Type.String()),
    }),
  ),
  hardship: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()], { description: 'Hardship signal against the firm’s own pre-crisis baseline' }),
  dataPointIds: Type.Array(Type.String(), { description: 'Every data-point version the score read (lineage)' }),
  requestedBy: Type.String(),
  correlationId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
})

const READERS = ['officer', 'supervisor', 'risk', 'admin'] as const

export async function scoreRoutes(app: ServiceApp, ctx: ServiceContext<ScoringTables>, models: ModelCache): Promise<void> {
  app.post(
    '/scores',
    {
      config: { auth: { roles: ['officer', 'supervisor', 'risk', 'core-banking', 'admin'] }, idempotency: 'optional' },
      schema: {
        tags: ['scores'],
        summary: "Score an enterprise on its current data with the segment's champion model",
        description: 'Officers, supervisors and core banking score the firms their branches serve (learnt from loans.events.v1); another firm answers 404.',
        body: ScoreRequest,
        response: { 201: ScoreViewSchema },
      },
    },
    async (request, reply) =>
      reply.idempotent<ScoringTables>(async (tx) => {
        await assertFirmAccess(tx, request.principal, request.body.uscc)
        const row = await scoreInTransaction(tx, { outbox: ctx.outbox, models, now: ctx.now }, {
          ...request.body,
          requestedBy: request.principal.subject,
          traceparent: request.trace.traceparent,
        }).catch(refusalToProblem)
        return { statusCode: 201, body: scoreView(row), headers: { location: `/scores/${row.id}` } }
      }),
  )

  app.get(
    '/scores/:id',
    {
      config: { auth: { roles: [...READERS, 'core-banking'] } },
      schema: { tags: ['scores'], summary: 'A stored score with its inputs, points and reasons', params: Type.Object({ id: Type.String({ format: 'uuid' }) }), response: { 200: ScoreViewSchema } },
    },
    async (request) => {
      const row = await scoreById(ctx.db, request.params.id)
      if (!row) throw new AppError('not_found', `no score ${request.params.id}`)
      await assertFirmAccess(ctx.db, request.principal, row.uscc)
      return scoreView(row)
    },
  )

  app.get(
    '/enterprises/:uscc/scores',
    {
      config: { auth: { roles: [...READERS] } },
      schema: {
        tags: ['scores'],
        summary: "An enterprise's score history, newest first",
        params: Type.Object({ uscc: Uscc }),
        description: 'A page holds at most `limit` scores; `nextCursor` (null on the last page) fetches the next one.',
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })), cursor: Type.Optional(CursorQuery) }, { additionalProperties: false }),
        response: { 200: Type.Object({ uscc: Type.String(), scores: Type.Array(ScoreViewSchema), nextCursor: NextCursor }) },
      },
    },
    async (request) => {
      await assertFirmAccess(ctx.db, request.principal, request.params.uscc)
      const limit = request.query.limit ?? 50
      const after = request.query.cursor === undefined ? undefined : decodeCursor(request.query.cursor, SCORES_CURSOR_PARTS)
      const page = pageOf(await scoresOf(ctx.db, request.params.uscc, limit + 1, after), limit, (r) => r.key)
      return { uscc: request.params.uscc, scores: page.rows.map((r) => scoreView(r.row)), nextCursor: page.nextCursor }
    },
  )

  app.post(
    '/scores/:id/replay',
    {
      config: { auth: { roles: ['risk', 'admin'] } },
      schema: {
        tags: ['scores'],
        summary: 'Re-score a stored score from the data-point versions it read, under its own model version; reports whether the result is identical',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: {
          200: Type.Object({
            scoreId: Type.String(),
            identical: Type.Boolean(),
            hardshipIdentical: Type.Boolean(),
            model: Type.Object({ id: Type.String(), version: Type.String() }),
            storedScore: Type.Integer(),
            replayedScore: Type.Integer(),
            shadowScores: Type.Array(Type.Object({ model: Type.Object({ id: Type.String(), version: Type.String() }), score: Type.Integer(), grade: Type.String() })),
          }),
        },
      },
    },
    async (request) => {
      const row = await scoreById(ctx.db, request.params.id)
      if (!row) throw new AppError('not_found', `no score ${request.params.id}`)
      await assertFirmAccess(ctx.db, request.principal, row.uscc)
      const report = await replayScore(ctx.db, models, row)
      const shadows = await shadowScoresOf(ctx.db, row.id)
      return {
        scoreId: row.id,
        identical: report.identical,
        hardshipIdentical: report.hardshipIdentical,
        model: { id: row.model_id, version: row.model_version },
        storedScore: report.stored.score,
        replayedScore: report.replayed.score,
        shadowScores: shadows.map((s) => ({ model: { id: s.model_id, version: s.model_version }, score: s.score, grade: s.grade })),
      }
    },
  )
}
