import Type from 'typebox'
import { sql } from 'kysely'
import { ReliefDecided, ReliefDecidedV2, type ReliefDecidedData, type ReliefDecidedV2Data } from '@sme/contracts'
import { branchScopeOf, CursorQuery, decodeCursor, encodeCursor, pageOf, type ServiceApp, type ServiceContext } from '@sme/kit'
import type { ReliefTables } from '../store/tables.js'

/**
 * The final decisions as published on relief.decisions.v1 and v2, read back over HTTP from the outbox the
 * events leave from: how core banking learns outcomes where it cannot subscribe to the broker
 * (embedded mode, a first integration), and how anyone catches up after a gap. Oldest first, in the
 * order they were committed; each entry is the event's id, type, time and payload, exactly as sent,
 * so a consumer of either channel deduplicates by the same event id. Branch-scoped by the decision's
 * branch.
 */
export async function decisionFeedRoutes(app: ServiceApp, ctx: ServiceContext<ReliefTables>): Promise<void> {
  feedRoute(app, ctx, '/decisions/feed', ReliefDecided, 'The relief.decisions.v1 stream over HTTP: final decisions on enterprises’ loans of the caller’s branches, oldest first, one page at a time')
  feedRoute(
    app,
    ctx,
    '/decisions/feed/v2',
    ReliefDecidedV2,
    'The relief.decisions.v2 stream over HTTP: every final decision (enterprises and natural persons) of the caller’s branches, oldest first, one page at a time',
  )
}

/** One version of the feed: the outbox rows of its event type, as published. */
function feedRoute(app: ServiceApp, ctx: ServiceContext<ReliefTables>, url: string, event: typeof ReliefDecided | typeof ReliefDecidedV2, summary: string): void {
  app.get(
    url,
    {
      config: { auth: { roles: ['core-banking', 'officer', 'supervisor', 'risk', 'admin'] } },
      schema: {
        tags: ['applications'],
        summary,
        description: 'Send back `nextCursor` as `cursor` to read on; an empty page with a cursor means nothing newer yet (poll again with it). Entries carry the event id: the same event read here and from Kafka is one event.',
        querystring: Type.Object(
          { cursor: Type.Optional(CursorQuery), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            events: Type.Array(Type.Object({ id: Type.String(), type: Type.String(), time: Type.String({ format: 'date-time' }), data: event.schema })),
            nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Where to read on (also after the last page: poll with it); null only when nothing was ever read' }),
          }),
        },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 100
      const after = request.query.cursor === undefined ? 0 : Number(decodeCursor(request.query.cursor, ['integer'])[0])
      const scope = branchScopeOf(request.principal)
      if (scope !== 'all' && scope.length === 0) return { events: [], nextCursor: null }
      let q = ctx.db
        .selectFrom('outbox')
        .select(['seq', 'event_id', 'event_type', 'created_at', 'payload'])
        .where('event_type', '=', event.type)
        .where('seq', '>', BigInt(after))
      if (scope !== 'all') q = q.where(sql<string>`payload->>'branchId'`, 'in', [...scope])
      const rows = await q.orderBy('seq').limit(limit + 1).execute()
      const page = pageOf(rows, limit, (r) => [Number(r.seq)])
      const last = page.rows.at(-1)
      return {
        events: page.rows.map((r) => ({ id: r.event_id, type: r.event_type, time: r.created_at.toISOString(), data: decidedPayload(r.payload) })),
        // Always a cursor to poll on from the last entry seen (or where the caller was).
        nextCursor: page.nextCursor ?? (last ? encodeCursor([Number(last.seq)]) : request.query.cursor ?? null),
      }
    },
  )
}

/** The outbox holds exactly the payload the outbox validated against the event's schema when it was enqueued. */
function decidedPayload(payload: unknown): ReliefDecidedData | ReliefDecidedV2Data {
  return (typeof payload === 'string' ? JSON.parse(payload) : payload) as ReliefDecidedData | ReliefDecidedV2Data
}
