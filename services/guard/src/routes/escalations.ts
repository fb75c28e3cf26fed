import Type from 'typebox'
import { ADVERSE_ACTIONS, enumOf, FreeText, VerdictData } from '@sme/contracts'
import { AppError, branchScopeOf, canAccessBranch, CursorQuery, decodeCursor, NextCursor, pageOf, problemResponse, type ServiceApp, type ServiceContext } from '@sme/kit'
import { escalationOf, escalationPage, type EscalationRow } from '../store/escalations.js'
import type { GuardTables } from '../store/tables.js'
import { reviewCheck, type ReviewDeps } from '../use-cases/review.js'

const Status = Type.Union([Type.Literal('open'), Type.Literal('awaiting-second'), Type.Literal('decided')])
const Approval = Type.Object({ by: Type.String(), outcome: Type.Union([Type.Literal('ALLOW'), Type.Literal('BLOCK')]), reason: Type.String(), at: Type.String({ format: 'date-time' }) })

const EscalationView = Type.Object({
  checkId: Type.String({ format: 'uuid' }),
  branchId: Type.String(),
  loanId: Type.String(),
  action: enumOf(ADVERSE_ACTIONS),
  requestedBy: Type.String({ description: 'Who in the bank requested the action: may not review it' }),
  status: Status,
  approvals: Type.Array(Approval, { description: 'Risk officers’ decisions so far, in order' }),
  outcome: Type.Union([Type.Literal('ALLOW'), Type.Literal('BLOCK'), Type.Null()]),
  openedAt: Type.String({ format: 'date-time' }),
  decidedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  mayReview: Type.Array(Type.String(), { description: 'Who may act next: "any risk officer but …" listed as the ones excluded' }),
})

function viewOf(row: EscalationRow) {
  const excluded = [row.requested_by, ...row.approvals.map((a) => a.by)]
  return {
    checkId: row.check_id,
    branchId: row.branch_id,
    loanId: row.loan_id,
    action: row.action,
    requestedBy: row.requested_by,
    status: row.status,
    approvals: row.approvals,
    outcome: row.outcome,
    openedAt: row.opened_at.toISOString(),
    decidedAt: row.decided_at?.toISOString() ?? null,
    mayReview: row.status === 'decided' ? [] : [`any risk officer but ${excluded.join(', ')}`],
  }
}

const Params = Type.Object({ checkId: Type.String({ format: 'uuid' }) })

export async function escalationRoutes(app: ServiceApp, ctx: ServiceContext<GuardTables>, deps: ReviewDeps): Promise<void> {
  app.get(
    '/escalations',
    {
      config: { auth: { roles: ['risk', 'supervisor', 'admin'] } },
      schema: {
        tags: ['escalations'],
        summary: 'Escalated checks, longest waiting first: the risk officers’ queue (supervisors see their branches)',
        querystring: Type.Object({
          status: Type.Optional(Type.Union([Status, Type.Literal('pending')], { description: 'pending (default): open or awaiting a second approver' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
          cursor: Type.Optional(CursorQuery),
        }),
        response: { 200: Type.Object({ items: Type.Array(EscalationView), nextCursor: NextCursor }) },
      },
    },
    async (request) => {
      const status = request.query.status ?? 'pending'
      const limit = request.query.limit ?? 50
      const rows = await escalationPage(ctx.db, {
        statuses: status === 'pending' ? ['open', 'awaiting-second'] : [status],
        branches: branchScopeOf(request.principal),
        after: request.query.cursor === undefined ? null : decodeCursor(request.query.cursor, ['instant', 'uuid']),
        limit,
      })
      const page = pageOf(rows, limit, (r) => [r.opened_at.toISOString(), r.check_id])
      return { items: page.rows.map(viewOf), nextCursor: page.nextCursor }
    },
  )

  app.get(
    '/escalations/:checkId',
    {
      config: { auth: { roles: ['risk', 'supervisor', 'admin', 'core-banking'] } },
      schema: { tags: ['escalations'], summary: 'An escalated check: where its review stands, who approved, who may act next', params: Params, response: { 200: EscalationView, 404: problemResponse('No such escalation in the caller’s branches') } },
    },
    async (request) => {
      const row = await escalationOf(ctx.db, request.params.checkId)
      if (row === undefined || !canAccessBranch(request.principal, row.branch_id)) throw new AppError('not_found', `no escalated check ${request.params.checkId}`)
      return viewOf(row)
    },
  )

  app.post(
    '/escalations/:checkId/reviews',
    {
      config: { auth: { roles: ['risk'] } },
      schema: {
        tags: ['escalations'],
        summary: 'A risk officer decides an escalated check: BLOCK upholds the protection; ALLOW overrides it and needs a second, different risk officer; neither may be the requester',
        params: Params,
        body: Type.Object({ outcome: Type.Union([Type.Literal('ALLOW'), Type.Literal('BLOCK')]), reason: FreeText({ minLength: 1, maxLength: 2000, description: 'The reviewer’s grounds, kept with the decision' }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({ escalation: EscalationView, verdict: Type.Union([VerdictData, Type.Null()], { description: 'The verdict once decided (published on guard.verdicts.v1); null while a second approver is awaited' }) }),
          403: problemResponse('Not a risk officer, the requester of the action, or the first approver again'),
          404: problemResponse('No such escalation in the caller’s branches'),
          409: problemResponse('Already decided'),
        },
      },
    },
    async (request) => {
      const { escalation, verdict } = await reviewCheck(ctx.db, deps, { checkId: request.params.checkId, principal: request.principal, outcome: request.body.outcome, reason: request.body.reason, traceparent: request.trace.traceparent })
      return { escalation: viewOf(escalation), verdict }
    },
  )
}
