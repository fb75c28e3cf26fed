import Type from 'typebox'
import { problemResponse, type ServiceApp, type ServiceContext } from '@sme/kit'
import type { PricingRecord } from '../domain/index.js'
import { RecordId, RecordPost, RecordVersion, RecordVersionView } from '../record-schemas.js'
import { byKind, recordRows } from '../store/reference.js'
import type { PricingTables } from '../store/tables.js'
import { activateRecordVersion, addRecordVersion, recordView } from '../use-cases/records.js'

const READERS = ['officer', 'supervisor', 'risk', 'admin', 'core-banking'] as const

/** Rate cards, programmes and bridge funds: read by everyone, added as drafts and activated by admins (four eyes). */
export async function programmeRoutes(app: ServiceApp, ctx: ServiceContext<PricingTables>): Promise<void> {
  app.get(
    '/programmes',
    {
      config: { auth: { roles: [...READERS] } },
      schema: {
        tags: ['programmes'],
        summary: 'Rate cards, pricing programmes and emergency bridge funds: every active version as dated data, and the drafts awaiting activation',
        response: {
          200: Type.Object({ cards: Type.Array(Type.Unknown()), programmes: Type.Array(Type.Unknown()), bridgeFunds: Type.Array(Type.Unknown()), drafts: Type.Array(RecordVersionView) }),
        },
      },
    },
    async () => {
      const rows = await recordRows(ctx.db)
      return { ...byKind(rows.filter((r) => r.status === 'active').map((r) => r.definition as PricingRecord)), drafts: rows.filter((r) => r.status === 'draft').map(recordView) }
    },
  )

  app.post(
    '/programmes',
    {
      config: { auth: { roles: ['admin'] }, idempotency: 'optional' },
      schema: {
        tags: ['programmes'],
        summary: 'Add a version of the rate card, a programme or a bridge fund as a draft (what-if runs price with it; quotes only once another admin activates it)',
        description:
          'Versions of a record only increase, never change and keep their kind; the highest version in force on a date applies. The bank has one rate card: a new card is a version of it.',
        body: RecordPost,
        response: {
          201: RecordVersionView,
          409: problemResponse('The version exists, is not higher than the last, or changes the record’s kind'),
          422: problemResponse('The record is invalid (each field named): days out of order, a spread given twice, bridge tiers that do not cover the days allowed'),
        },
      },
    },
    async (request, reply) =>
      reply.idempotent<PricingTables>(async (tx) => {
        const row = await addRecordVersion(tx, request.body.record, request.principal.subject, ctx.now())
        return { statusCode: 201, body: recordView(row), headers: { location: `/programmes/${row.id}/versions/${row.version}` } }
      }),
  )

  app.post(
    '/programmes/:id/versions/:version/activate',
    {
      config: { auth: { roles: ['admin'] }, idempotency: 'optional' },
      schema: {
        tags: ['programmes'],
        summary: 'Activate a draft version: quotes priced on a day in its period use it from now on',
        description: 'Four eyes: the admin who activates a version is not the one who added it (403).',
        params: Type.Object({ id: RecordId, version: RecordVersion }),
        response: {
          200: RecordVersionView,
          403: problemResponse('Not an admin, or the author of the version'),
          404: problemResponse('No such version'),
          409: problemResponse('Already active'),
        },
      },
    },
    async (request, reply) =>
      reply.idempotent<PricingTables>(async (tx) => {
        const row = await activateRecordVersion(tx, request.params.id, request.params.version, request.principal.subject, ctx.now())
        return { statusCode: 200, body: recordView(row) }
      }),
  )
}
