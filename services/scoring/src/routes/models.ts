import Type from 'typebox'
import { AppError, type ServiceApp, type ServiceContext } from '@sme/kit'
import type { ScorecardModel } from '../domain/index.js'
import { IsoDate } from '../schemas.js'
import { allModels, modelVersion } from '../store/models.js'
import type { ScoringTables } from '../store/tables.js'
import { registerModel } from '../use-cases/models.js'

/** The envelope of a model; the scorecard itself is checked by the domain (bins, reasons, scaling). */
const ModelBody = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$' }),
    version: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,31}$' }),
    segment: Type.String({ pattern: '^[a-z0-9-]{1,64}$' }),
    role: Type.Enum(['champion', 'challenger']),
    effectiveFrom: IsoDate,
    effectiveTo: Type.Union([IsoDate, Type.Null()]),
    characteristics: Type.Array(Type.Object({}, { additionalProperties: true }), { minItems: 1, maxItems: 100 }),
  },
  { additionalProperties: true, description: 'A scorecard model (see services/scoring/MODEL.md); validated in full by the domain' },
)

const ModelSummary = Type.Object({
  id: Type.String(),
  version: Type.String(),
  segment: Type.String(),
  role: Type.String(),
  effectiveFrom: Type.String(),
  effectiveTo: Type.Union([Type.String(), Type.Null()]),
  description: Type.String(),
})

const summary = (m: ScorecardModel) => ({ id: m.id, version: m.version, segment: m.segment, role: m.role, effectiveFrom: m.effectiveFrom, effectiveTo: m.effectiveTo, description: m.description })

export async function modelRoutes(app: ServiceApp, ctx: ServiceContext<ScoringTables>): Promise<void> {
  app.get(
    '/models',
    {
      config: { auth: { roles: ['officer', 'supervisor', 'risk', 'admin'] } },
      schema: { tags: ['models'], summary: 'Every model version with its role and effective period', response: { 200: Type.Object({ models: Type.Array(ModelSummary) }) } },
    },
    async () => ({ models: (await allModels(ctx.db)).map(summary) }),
  )

  app.get(
    '/models/:id/versions/:version',
    {
      config: { auth: { roles: ['officer', 'supervisor', 'risk', 'admin'] } },
      schema: {
        tags: ['models'],
        summary: 'One model version in full (characteristics, bins, points, reason texts, scaling, grades)',
        params: Type.Object({ id: Type.String({ maxLength: 64 }), version: Type.String({ maxLength: 32 }) }),
        response: { 200: Type.Object({}, { additionalProperties: true }) },
      },
    },
    async (request) => {
      const model = await modelVersion(ctx.db, request.params.id, request.params.version)
      if (!model) throw new AppError('not_found', 'no such model version')
      return model
    },
  )

  app.post(
    '/models',
    {
      config: { auth: { roles: ['admin'] }, idempotency: 'optional' },
      schema: {
        tags: ['models'],
        summary: 'Register a model version (a champion takes over its segment from its effective date; challengers score in shadow)',
        body: ModelBody,
        response: { 201: Type.Object({ model: ModelSummary, closed: Type.Array(Type.Object({ id: Type.String(), version: Type.String(), effectiveTo: Type.String() })) }) },
      },
    },
    async (request, reply) =>
      reply.idempotent<ScoringTables>(async (tx) => {
        const model = request.body as unknown as ScorecardModel
        const { closed } = await registerModel(tx, model, request.principal.subject)
        return { statusCode: 201, body: { model: summary(model), closed } }
      }),
  )
}
