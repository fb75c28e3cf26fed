import Type from 'typebox'
import { csvDocument, daysBetween, parseDate } from '@sme/domain'
import { AppError, branchScopeOf, type ServiceApp, type ServiceContext, problemResponse } from '@sme/kit'
import { REPORT_COLUMNS, reportRows, verdictReport } from '../store/report.js'
import type { GuardTables } from '../store/tables.js'

const ReportQuery = Type.Object({
  from: Type.String({ format: 'date', description: 'First day (Asia/Shanghai), inclusive' }),
  to: Type.String({ format: 'date', description: 'Last day (Asia/Shanghai), inclusive; at most five years after from' }),
  period: Type.Optional(Type.Union([Type.Literal('month'), Type.Literal('day')], { default: 'month' })),
})

const ReportLineView = Type.Object({
  period: Type.String({ description: 'YYYY-MM, or YYYY-MM-DD by day (Asia/Shanghai)' }),
  branchId: Type.String(),
  action: Type.String(),
  checks: Type.Integer({ description: 'Checks answered' }),
  allowed: Type.Integer(),
  blocked: Type.Integer(),
  escalated: Type.Integer(),
  overridden: Type.Integer({ description: 'Escalated checks two risk officers allowed' }),
  upheld: Type.Integer({ description: 'Escalated checks a risk officer did not allow' }),
})

const MAX_DAYS = 5 * 366

export async function reportRoutes(app: ServiceApp, ctx: ServiceContext<GuardTables>): Promise<void> {
  const linesOf = async (request: { query: { from: string; to: string; period?: 'month' | 'day' }; principal: Parameters<typeof branchScopeOf>[0] }) => {
    const from = parseDate(request.query.from)
    const to = parseDate(request.query.to)
    const span = daysBetween(from, to)
    if (span < 0) throw new AppError('validation_failed', 'the report ends before it starts', { extra: { errors: [{ field: '/querystring/to', message: 'must not be before from' }] } })
    if (span > MAX_DAYS) throw new AppError('validation_failed', 'the report spans more than five years', { extra: { errors: [{ field: '/querystring/to', message: 'must be at most five years after from' }] } })
    return verdictReport(ctx.db, { from, to, period: request.query.period ?? 'month', branches: branchScopeOf(request.principal) })
  }
  const auth = { roles: ['supervisor', 'risk', 'admin'] as const }

  app.get(
    '/reports/verdicts',
    {
      config: { auth: { roles: [...auth.roles] } },
      schema: {
        tags: ['reports'],
        summary: 'The supervisor report: verdicts by branch, action and month (or day), blocked and escalated actions with their reviews',
        description: 'Supervisors see their branches; risk officers and admin see all. Periods are Asia/Shanghai months or days.',
        querystring: ReportQuery,
        response: { 200: Type.Object({ from: Type.String(), to: Type.String(), period: Type.String(), lines: Type.Array(ReportLineView) }), 400: problemResponse('A malformed date, a range that ends before it starts or spans more than five years') },
      },
    },
    async (request) => ({ from: request.query.from, to: request.query.to, period: request.query.period ?? 'month', lines: await linesOf(request) }),
  )

  app.get(
    '/reports/verdicts.csv',
    {
      config: { auth: { roles: [...auth.roles] } },
      schema: {
        tags: ['reports'],
        summary: 'The supervisor report as CSV (RFC 4180, a header row)',
        description: `Columns: ${REPORT_COLUMNS.join(', ')}.`,
        querystring: ReportQuery,
        produces: ['text/csv'],
        response: {
          200: { description: 'The report, CSV with a header row', content: { 'text/csv': { schema: Type.String() } } },
          400: problemResponse('A malformed date, a range that ends before it starts or spans more than five years'),
        },
      },
    },
    async (request, reply) => {
      const csv = csvDocument(REPORT_COLUMNS, reportRows(await linesOf(request)))
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="guard-verdicts-${request.query.from}-${request.query.to}.csv"`)
        .serializer((payload: unknown) => String(payload))
        .send(csv)
    },
  )
}
