import Type from 'typebox'
import { CursorQuery, decodeCursor, NextCursor, pageOf, type ServiceApp, type ServiceContext } from '@sme/kit'
import { assertFirmAccess } from '../access.js'
import { jsonValues } from '../convert.js'
import { BatchRequest, BatchResponse, StoredDataPoint, Uscc } from '../schemas.js'
import { LINEAGE_CURSOR_PARTS, lineageCursorKey, lineageOf, type DataPointRow } from '../store/data-points.js'
import type { ScoringTables } from '../store/tables.js'
import { ingestBatch } from '../use-cases/ingest.js'
import { DIMENSIONS } from '../domain/index.js'
import type { RecordKind } from '../schemas.js'

export function dataPointView(row: DataPointRow) {
  return {
    id: row.id,
    uscc: row.uscc,
    kind: row.kind,
    dimension: row.dimension,
    source: row.source,
    sourceRecordId: row.source_record_id,
    period: row.period,
    asOf: row.as_of,
    version: row.version,
    supersedes: row.supersedes,
    supersededBy: row.superseded_by,
    receivedAt: row.received_at.toISOString(),
    values: jsonValues(row.kind as RecordKind, row.payload),
  }
}

export async function dataPointRoutes(app: ServiceApp, ctx: ServiceContext<ScoringTables>): Promise<void> {
  app.post(
    '/data-points/batch',
    {
      config: { auth: { roles: ['core-banking', 'admin'] }, idempotency: 'required' },
      schema: {
        tags: ['enterprise data'],
        summary: 'Ingest a batch of enterprise data points (idempotent by source record id; corrections supersede)',
        body: BatchRequest,
        response: { 200: BatchResponse },
      },
    },
    async (request, reply) =>
      reply.idempotent<ScoringTables>(async (tx) => ({
        statusCode: 200,
        body: await ingestBatch(tx, request.body, request.principal.subject, ctx.now()),
      })),
  )

  app.get(
    '/enterprises/:uscc/data-points',
    {
      config: { auth: { roles: ['officer', 'supervisor', 'risk', 'admin'] } },
      schema: {
        tags: ['enterprise data'],
        summary: "An enterprise's data points with their lineage (source, period, as-of date, versions)",
        params: Type.Object({ uscc: Uscc }),
        querystring: Type.Object(
          {
            dimension: Type.Optional(Type.Enum([...DIMENSIONS])),
            includeSuperseded: Type.Optional(Type.Boolean({ default: false })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
            cursor: Type.Optional(CursorQuery),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ uscc: Type.String(), dataPoints: Type.Array(StoredDataPoint), nextCursor: NextCursor }) },
      },
    },
    async (request) => {
      await assertFirmAccess(ctx.db, request.principal, request.params.uscc)
      const limit = request.query.limit ?? 200
      const rows = await lineageOf(ctx.db, request.params.uscc, {
        dimension: request.query.dimension,
        includeSuperseded: request.query.includeSuperseded ?? false,
        limit: limit + 1,
        after: request.query.cursor === undefined ? undefined : decodeCursor(request.query.cursor, LINEAGE_CURSOR_PARTS),
      })
      const page = pageOf(rows, limit, lineageCursorKey)
      return { uscc: request.params.uscc, dataPoints: page.rows.map(dataPointView), nextCursor: page.nextCursor }
    },
  )
}
