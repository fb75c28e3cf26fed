import Type from 'typebox'
import { parseDate } from '@sme/domain'
import { IsoDate } from '@sme/contracts'
import { AppError, CursorQuery, decodeCursor, NextCursor, pageOf, problemResponse, type ServiceApp, type ServiceContext } from '@sme/kit'
import { isReliefError, MAX_CALENDAR_DAYS, policyCalendar, policyCalendarCsv, type CalendarPeriod } from '../domain/index.js'
import { PolicyCalendarView, PolicyPost, PolicyVersionView } from '../schemas.js'
import { policyRowsPage } from '../store/policies.js'
import type { ReliefTables } from '../store/tables.js'
import type { ReliefDeps } from '../use-cases/decision.js'
import { activatePolicyVersion, addPolicyVersion } from '../use-cases/policies.js'
import { policyView } from '../views.js'

export async function policyRoutes(app: ServiceApp, ctx: ServiceContext<ReliefTables>, deps: ReliefDeps): Promise<void> {
  app.get(
    '/policies',
    {
      config: { auth: { roles: ['officer', 'supervisor', 'risk', 'admin'] } },
      schema: {
        tags: ['policies'],
        summary: 'Every policy version (programmes, extension and renewal rules, bank parameters, reference data) with its status and effective period',
        description: 'By record id, then version; one page at a time (`nextCursor`, null on the last page).',
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('active')])),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 200 })),
            cursor: Type.Optional(CursorQuery),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ policies: Type.Array(PolicyVersionView), nextCursor: NextCursor }) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 200
      const after = request.query.cursor === undefined ? undefined : decodeCursor(request.query.cursor, ['text', 'integer'])
      const page = pageOf(await policyRowsPage(ctx.db, { status: request.query.status, after, limit: limit + 1 }), limit, (r) => [r.record_id, r.version])
      return { policies: page.rows.map(policyView), nextCursor: page.nextCursor }
    },
  )

  const CalendarQuery = Type.Object(
    {
      from: { ...IsoDate, description: 'First day, included' },
      to: { ...IsoDate, description: `Last day, included; at most ${MAX_CALENDAR_DAYS} days after \`from\`` },
    },
    { additionalProperties: false },
  )
  // The active versions' calendar; a range the domain refuses (backwards, over a century) is the
  // caller's, named by its field.
  const calendarOf = async (query: { from: string; to: string }): Promise<CalendarPeriod[]> => {
    const versions = await deps.policies.versions(ctx.db)
    try {
      return policyCalendar(versions, parseDate(query.from), parseDate(query.to))
    } catch (err) {
      if (!isReliefError(err) || err.code !== 'invalid-argument') throw err
      throw new AppError('validation_failed', err.message, { extra: { errors: [{ field: '/querystring/to', message: err.message }] } })
    }
  }
  const calendarAuth = { auth: { roles: ['officer', 'supervisor', 'risk', 'admin'] as const } }

  app.get(
    '/policies/calendar',
    {
      config: calendarAuth,
      schema: {
        tags: ['policies'],
        summary: 'Which policy versions were in force, period by period, over a range of days (active versions)',
        description:
          'For officers and auditors: a decision dated on a day is made under exactly the versions of its period (the highest version of each record that no other version corrects). A period where no decision can be made names the problem.',
        querystring: CalendarQuery,
        response: { 200: PolicyCalendarView, 400: problemResponse('A date is malformed, or the range ends before it starts or spans more than a century') },
      },
    },
    async (request) => ({ from: request.query.from, to: request.query.to, periods: await calendarOf(request.query) }),
  )

  app.get(
    '/policies/calendar.csv',
    {
      config: calendarAuth,
      schema: {
        tags: ['policies'],
        summary: 'The policy calendar as CSV (RFC 4180): one row per version in force per period',
        description: 'Columns: from, to, kind, id, version, title_zh, title_en, source, corrects, problem.',
        querystring: CalendarQuery,
        produces: ['text/csv'],
        response: {
          200: { description: 'The calendar, CSV with a header row', content: { 'text/csv': { schema: Type.String() } } },
          400: problemResponse('A date is malformed, or the range ends before it starts or spans more than a century'),
        },
      },
    },
    async (request, reply) => {
      const csv = policyCalendarCsv(await calendarOf(request.query))
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="policy-calendar-${request.query.from}-${request.query.to}.csv"`)
        .serializer((payload: unknown) => String(payload))
        .send(csv)
    },
  )

  app.post(
    '/policies',
    {
      config: { auth: { roles: ['admin'] }, idempotency: 'optional' },
      schema: {
        tags: ['policies'],
        summary: 'Add a policy version as a draft (what-if runs only until another admin activates it)',
        description:
          'Versions of a record only increase and never change; the highest version in force on a date applies. Refused (409) when it would leave two records of a single kind (bank parameters, reference data, extension or renewal rules) in force on one date.',
        body: PolicyPost,
        response: {
          201: PolicyVersionView,
          409: problemResponse('The version exists, is not higher than the last, or would leave an unusable policy'),
          422: problemResponse('The version is invalid (each field named)'),
        },
      },
    },
    async (request, reply) => {
      try {
        return await reply.idempotent<ReliefTables>(async (tx) => {
          const row = await addPolicyVersion(tx, request.body.policy, request.principal.subject, deps.now())
          return { statusCode: 201, body: policyView(row), headers: { location: `/policies/${row.record_id}/versions/${row.version}` } }
        })
      } finally {
        // Committed or not: this instance's intake re-reads the registry on its next request.
        deps.policies.invalidate()
      }
    },
  )

  app.post(
    '/policies/:id/versions/:version/activate',
    {
      config: { auth: { roles: ['admin'] }, idempotency: 'optional' },
      schema: {
        tags: ['policies'],
        summary: 'Activate a draft version: live decisions dated in its period use it from now on',
        description: 'Four eyes: the admin who activates a version is not the one who added it (403).',
        params: Type.Object({ id: Type.String({ pattern: '^[a-z0-9][a-z0-9.-]{0,63}$' }), version: Type.Integer({ minimum: 1, maximum: 1_000_000 }) }),
        response: {
          200: PolicyVersionView,
          403: problemResponse('Not an admin, or the author of the version'),
          404: problemResponse('No such version'),
          409: problemResponse('Already active, or it would leave an unusable policy'),
        },
      },
    },
    async (request, reply) => {
      try {
        return await reply.idempotent<ReliefTables>(async (tx) => {
          const row = await activatePolicyVersion(tx, request.params.id, request.params.version, request.principal.subject, deps.now())
          return { statusCode: 200, body: policyView(row) }
        })
      } finally {
        deps.policies.invalidate()
      }
    },
  )
}
