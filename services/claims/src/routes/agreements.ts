import Type from 'typebox'
import { problemResponse, type ServiceApp, type ServiceContext } from '@sme/kit'
import { AgreementId, AgreementVersionNumber, AgreementVersionView, AgreementWire } from '../agreement-schema.js'
import type { ClaimsTables } from '../store/tables.js'
import { activateAgreementVersion, addAgreementVersion, agreementsFor, agreementVersionView } from '../use-cases/agreements.js'

const READERS = ['officer', 'supervisor', 'risk', 'admin', 'core-banking', 'agency'] as const

/** Guarantee agreements as dated data: read by everyone (an agency its own), added as drafts and activated by admins (four eyes). */
export async function agreementRoutes(app: ServiceApp, ctx: ServiceContext<ClaimsTables>): Promise<void> {
  app.get(
    '/agreements',
    {
      config: { auth: { roles: [...READERS] } },
      schema: {
        tags: ['agreements'],
        summary: 'Guarantee agreement versions: layers, covered share, thresholds, deadlines, caps; the bank sees every version and the drafts, an agency the active versions of its own agreements',
        response: { 200: Type.Object({ items: Type.Array(AgreementVersionView) }) },
      },
    },
    async (request) => ({ items: (await agreementsFor(ctx.db, request.principal)).map(agreementVersionView) }),
  )

  app.post(
    '/agreements',
    {
      config: { auth: { roles: ['admin'] }, idempotency: 'optional' },
      schema: {
        tags: ['agreements'],
        summary: 'Adds a version of a guarantee agreement as a draft: it governs no loan until another admin activates it',
        description:
          'Versions of an agreement only increase, never change and keep the originating agency. A loan is claimed under the highest active version whose window holds its guarantee day; the demand on the borrower pins that version for the claim’s whole life, so a later version changes new demands only.',
        body: Type.Object({ agreement: AgreementWire }, { additionalProperties: false }),
        response: {
          201: AgreementVersionView,
          409: problemResponse('The version exists, is not higher than the last, or changes the originating agency'),
          422: problemResponse('The agreement contradicts itself (each field named): shares not summing to the whole, a covered share other than the paying layers’, a bank below its minimum'),
        },
      },
    },
    async (request, reply) =>
      reply.idempotent<ClaimsTables>(async (tx) => {
        const row = await addAgreementVersion(tx, request.body.agreement, request.principal.subject, ctx.now())
        return { statusCode: 201, body: agreementVersionView(row), headers: { location: `/agreements/${row.record_id}/versions/${row.version}` } }
      }),
  )

  app.post(
    '/agreements/:agreementId/versions/:version/activate',
    {
      config: { auth: { roles: ['admin'] }, idempotency: 'optional' },
      schema: {
        tags: ['agreements'],
        summary: 'Activates a draft version: demands on loans guaranteed in its window are judged under it from now on',
        description: 'Four eyes: the admin who activates a version is not the one who added it (403, audited).',
        params: Type.Object({ agreementId: AgreementId, version: AgreementVersionNumber }),
        response: {
          200: AgreementVersionView,
          403: problemResponse('Not an admin, or the author of the version'),
          404: problemResponse('No such version'),
          409: problemResponse('Already active'),
        },
      },
    },
    async (request, reply) =>
      reply.idempotent<ClaimsTables>(async (tx) => {
        const row = await activateAgreementVersion(tx, request.params.agreementId, request.params.version, request.principal.subject, ctx.now())
        return { statusCode: 200, body: agreementVersionView(row) }
      }),
  )
}
