import Type from 'typebox'
import type { ServiceApp, ServiceContext } from '@sme/kit'
import { readModelHealth } from '../read-model-health.js'
import type { GuardTables } from '../store/tables.js'

const Mark = Type.Object({ lastEventAt: Type.String({ format: 'date-time' }), lastEventId: Type.String(), appliedAt: Type.String({ format: 'date-time' }) })
const Consumer = Type.Object({ state: Type.String(), since: Type.String(), lastError: Type.Optional(Type.String()) })

export async function readModelRoutes(app: ServiceApp, ctx: ServiceContext<GuardTables>): Promise<void> {
  app.get(
    '/read-model',
    {
      config: { auth: { roles: ['core-banking', 'risk', 'supervisor', 'admin'] } },
      schema: {
        tags: ['read model'],
        summary: 'How current the protection read model is: each source’s latest event applied, and whether its consumers run (stale since when)',
        response: {
          200: Type.Object({
            status: Type.Union([Type.Literal('current'), Type.Literal('stale')]),
            staleSince: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
            consumers: Type.Record(Type.String(), Consumer),
            sources: Type.Object({ relief: Type.Union([Mark, Type.Null()]), scoring: Type.Union([Mark, Type.Null()]), loans: Type.Union([Mark, Type.Null()]), keyLists: Type.Union([Mark, Type.Null()]) }),
          }),
        },
      },
    },
    async () => {
      const rows = await ctx.db.selectFrom('source_marks').select(['source', 'last_event_at', 'last_event_id', 'applied_at']).execute()
      const mark = (source: string) => {
        const r = rows.find((x) => x.source === source)
        return r === undefined ? null : { lastEventAt: r.last_event_at.toISOString(), lastEventId: r.last_event_id, appliedAt: r.applied_at.toISOString() }
      }
      return { ...readModelHealth(ctx.messaging()), sources: { relief: mark('relief'), scoring: mark('scoring'), loans: mark('loans'), keyLists: mark('keyLists') } }
    },
  )
}
