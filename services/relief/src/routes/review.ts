import Type from 'typebox'
import { todayIn } from '@sme/domain'
import { problemResponse, type ServiceApp, type ServiceContext } from '@sme/kit'
import { ApplicationPage, ApplicationSummary, ListQuery, ProposalBody, ProposalView, ReasonBody } from '../schemas.js'
import { applicationSummaryRow } from '../store/applications.js'
import { listPage } from './list-page.js'
import type { ReliefTx } from '../store/tables.js'
import type { ReliefTables } from '../store/tables.js'
import type { ReliefDeps } from '../use-cases/decision.js'
import { confirm, propose, reject, withdraw } from '../use-cases/review.js'
import { applicationSummary, proposalView } from '../views.js'

/** The application as the lists show it, read in the transaction that just changed it. */
async function summaryAfter(tx: ReliefTx, id: string, today: string) {
  const row = await applicationSummaryRow(tx, id)
  if (!row) throw new Error(`application ${id} vanished inside its own transaction`)
  return applicationSummary(row, today)
}

export async function reviewRoutes(app: ServiceApp, ctx: ServiceContext<ReliefTables>, deps: ReliefDeps): Promise<void> {
  app.get(
    '/review-queue',
    {
      config: { auth: { roles: ['officer', 'supervisor', 'risk', 'admin'] } },
      schema: {
        tags: ['review'],
        summary: 'Applications awaiting review, most urgent answer deadline first: referred ones, and final ones with an overturn proposal awaiting confirmation; officers and supervisors see their branches only',
        description: 'Paged like GET /applications: `nextCursor` fetches the next page with the same filters.',
        querystring: Type.Omit(ListQuery, ['status']),
        response: { 200: ApplicationPage },
      },
    },
    async (request) => {
      const today = todayIn(ctx.now())
      const { overdue } = request.query
      return listPage(ctx.db, request.principal, request.query, today, { reviewQueue: true, overdue: overdue === undefined ? undefined : { on: today, value: overdue }, order: 'urgency' })
    },
  )

  app.post(
    '/applications/:id/proposals',
    {
      config: { auth: { roles: ['officer'] }, idempotency: 'optional' },
      schema: {
        tags: ['review'],
        summary: 'Propose the final outcome of a referred application, or an overturn of the rules’ outcome (maker); a supervisor confirms',
        description:
          'Officers of the loan’s branch only (another branch’s application answers 404). A new proposal supersedes one still pending. A mandatory grant cannot be declined (422).',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: ProposalBody,
        response: {
          201: Type.Object({ proposal: ProposalView, superseded: Type.Union([Type.String(), Type.Null()]), application: ApplicationSummary }),
          404: problemResponse('No such application in the caller’s branches'),
          409: problemResponse('Nothing to propose: awaiting its score, already decided on review, already this outcome, or a stale applicationVersion'),
          422: problemResponse('Beyond review: a mandatory grant cannot be declined (LC_MANDATORY_GRANT); a decline of the rules rests on hard rules and cannot be approved (LC_HARD_RULE, the rules named in `rules`)'),
        },
      },
    },
    async (request, reply) =>
      reply.idempotent<ReliefTables>(async (tx) => {
        const { proposal, superseded } = await propose(tx, deps, {
          applicationId: request.params.id,
          principal: request.principal,
          outcome: request.body.outcome,
          reason: request.body.reason,
          applicationVersion: request.body.applicationVersion,
        })
        const application = await summaryAfter(tx, request.params.id, todayIn(ctx.now()))
        return {
          statusCode: 201,
          body: { proposal: proposalView(proposal), superseded, application },
          headers: { location: `/applications/${request.params.id}/proposals/${proposal.id}` },
        }
      }),
  )

  app.post(
    '/applications/:id/proposals/:proposalId/confirm',
    {
      config: { auth: { roles: ['supervisor'] }, idempotency: 'optional' },
      schema: {
        tags: ['review'],
        summary: 'Confirm a proposal (checker): the decision becomes final and is published on relief.decisions.v1',
        description:
          'Supervisors of the loan’s branch only. Nobody confirms their own proposal (403). Of two confirmations at once, one wins; the other gets 409, as does a superseded proposal or an application that changed since the proposal.',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), proposalId: Type.String({ format: 'uuid' }) }),
        response: {
          200: Type.Object({ application: ApplicationSummary, proposal: ProposalView }),
          403: problemResponse('The caller made the proposal: a second person must confirm it'),
          404: problemResponse('No such application in the caller’s branches, or no such proposal'),
          409: problemResponse('The proposal is no longer pending (confirmed, superseded) or the application changed since'),
          422: problemResponse('Beyond review: a mandatory grant cannot be declined; a decline of the rules cannot be approved (LC_HARD_RULE)'),
        },
      },
    },
    async (request, reply) =>
      reply.idempotent<ReliefTables>(async (tx) => {
        const { application, proposal } = await confirm(tx, deps, {
          applicationId: request.params.id,
          proposalId: request.params.proposalId,
          principal: request.principal,
          traceparent: request.trace.traceparent,
        })
        return { statusCode: 200, body: { application: await summaryAfter(tx, application.id, todayIn(ctx.now())), proposal: proposalView(proposal) } }
      }),
  )
  app.post(
    '/applications/:id/proposals/:proposalId/reject',
    {
      config: { auth: { roles: ['supervisor'] }, idempotency: 'optional' },
      schema: {
        tags: ['review'],
        summary: 'Reject a pending proposal (checker): it closes with the reason; the application stays as it was, open to a new proposal',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), proposalId: Type.String({ format: 'uuid' }) }),
        body: ReasonBody,
        response: {
          200: Type.Object({ application: ApplicationSummary, proposal: ProposalView }),
          404: problemResponse('No such application in the caller’s branches, or no such proposal'),
          409: problemResponse('The proposal is no longer pending'),
        },
      },
    },
    async (request, reply) =>
      reply.idempotent<ReliefTables>(async (tx) => {
        const { proposal } = await reject(tx, deps, { applicationId: request.params.id, proposalId: request.params.proposalId, principal: request.principal, reason: request.body.reason })
        return { statusCode: 200, body: { application: await summaryAfter(tx, request.params.id, todayIn(ctx.now())), proposal: proposalView(proposal) } }
      }),
  )

  app.post(
    '/applications/:id/withdraw',
    {
      config: { auth: { roles: ['core-banking', 'officer'] }, idempotency: 'optional' },
      schema: {
        tags: ['applications'],
        summary: 'Withdraw an application before it is final (core banking for its branches, or an officer of the loan’s branch)',
        description: 'Any pending proposal is superseded; a score arriving later changes nothing; the loan is free for a new application. A final application cannot be withdrawn (409).',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: ReasonBody,
        response: {
          200: Type.Object({ application: ApplicationSummary }),
          404: problemResponse('No such application in the caller’s branches'),
          409: problemResponse('Already final (LC_FINAL) or already withdrawn (LC_WITHDRAWN)'),
        },
      },
    },
    async (request, reply) =>
      reply.idempotent<ReliefTables>(async (tx) => {
        const row = await withdraw(tx, deps, { applicationId: request.params.id, principal: request.principal, reason: request.body.reason })
        return { statusCode: 200, body: { application: await summaryAfter(tx, row.id, todayIn(ctx.now())) } }
      }),
  )
}
