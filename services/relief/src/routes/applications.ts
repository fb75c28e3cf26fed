import Type from 'typebox'
import { todayIn } from '@sme/domain'
import { AppError, assertBranchAccess, canAccessBranch, ownIdempotency, problemResponse, REPLAYED_HEADER, type ServiceApp, type ServiceContext } from '@sme/kit'
import { LineText } from '@sme/contracts'
import { Accepted, ApplicationBody, ApplicationPage, ApplicationView, AuditEntry, DocumentsView, ListQuery } from '../schemas.js'
import { applicationById } from '../store/applications.js'
import { auditOf } from '../store/audit.js'
import { decisionOf } from '../store/decisions.js'
import { documentsReceived } from '../store/documents.js'
import { followUpsOf } from '../store/follow-ups.js'
import { proposalsOf } from '../store/proposals.js'
import type { ReliefDb, ReliefTables } from '../store/tables.js'
import type { ReliefDeps } from '../use-cases/decision.js'
import { receiveDocuments } from '../use-cases/documents.js'
import { submitApplication } from '../use-cases/intake.js'
import { applicationView, auditView, documentsView } from '../views.js'
import { listPage } from './list-page.js'

const Params = Type.Object({ id: Type.String({ format: 'uuid' }) })

export async function applicationRoutes(app: ServiceApp, ctx: ServiceContext<ReliefTables>, deps: ReliefDeps): Promise<void> {
  app.post(
    '/applications',
    {
      // Core banking submits (its `branches` claim, or '*' for a bank-wide system); officers may
      // submit for the branches of their token.
      config: { auth: { roles: ['core-banking', 'officer'] }, idempotency: 'required' },
      schema: {
        tags: ['applications'],
        summary: 'Submit a relief application (deferral, extension or renewal); decided when the score arrives, or at once for a natural person',
        description:
          'Stores the application and asks the scoring service for the score and hardship signal. Answers 202 with status `awaiting-score`; the decision follows on relief.decisions.v2 (and v1 for enterprises: final outcomes) or in the review queue (referred). The borrower is an `enterprise` or a natural `person` (core banking’s pseudonymous id; an id holding a resident identity number is refused, 422): a person is not scored, so the rules decide at once and the answer carries the status they left (`approved`, `declined` or `referred`). A retry with the same Idempotency-Key, at any time and however many at once, answers what the first call answered (header `idempotent-replayed: true`) and creates nothing; the key is kept with the application. A second application for a loan with one undecided is refused (409).',
        body: ApplicationBody,
        response: {
          202: Accepted,
          400: problemResponse('Invalid body (the field is named), or no Idempotency-Key'),
          403: problemResponse('Not a branch of the caller'),
          409: problemResponse('The loan has an undecided application (its id in `applicationId`)'),
          422: problemResponse('The application cannot be decided (each field named), the key was used for another body, or no policy is in force'),
        },
      },
    },
    async (request, reply) => {
      assertBranchAccess(request.principal, request.body.branchId)
      // Idempotent by the application itself (see submitApplication): the kit validated the key.
      const { key, fingerprint } = ownIdempotency(request)
      const { row, status, replayed } = await submitApplication(ctx.db as ReliefDb, deps, {
        input: request.body,
        submittedBy: request.principal.subject,
        idempotency: { key, fingerprint },
        traceparent: request.trace.traceparent,
      })
      if (replayed) reply.header(REPLAYED_HEADER, 'true')
      // The answer at acceptance, whatever happened since: a retry answers what the first call did.
      return reply
        .code(202)
        .header('location', `/applications/${row.id}`)
        .send({ id: row.id, status, applicationDate: row.application_date, answerBy: row.answer_by })
    },
  )

  app.get(
    '/applications',
    {
      // Core banking lists the applications of the branches of its claim, like an officer.
      config: { auth: { roles: ['officer', 'supervisor', 'risk', 'admin', 'core-banking'] } },
      schema: {
        tags: ['applications'],
        summary: 'Applications of the branches the caller works for, newest first (`overdue=true`: past the answer deadline and not final, most urgent first); filtered, one page at a time',
        description: 'A page holds at most `limit` applications; `nextCursor` (null on the last page) fetches the next one with the same filters. The order is total (ties by id), so no application is listed twice or skipped while others arrive.',
        querystring: ListQuery,
        response: { 200: ApplicationPage },
      },
    },
    async (request) => {
      const today = todayIn(ctx.now())
      const { status, overdue } = request.query
      const order = overdue ? 'urgency' : 'received'
      return listPage(ctx.db, request.principal, request.query, today, { statuses: status ? [status] : undefined, overdue: overdue === undefined ? undefined : { on: today, value: overdue }, order })
    },
  )

  app.get(
    '/applications/:id',
    {
      config: { auth: { roles: ['officer', 'supervisor', 'risk', 'admin', 'core-banking'] } },
      schema: {
        tags: ['applications'],
        summary: 'An application with its decision (every rule, reasons zh/en, terms, policy versions, scoring input) and its review',
        description: 'Officers and supervisors see their branches; core banking the branches of its claim. Another branch’s application answers 404.',
        params: Params,
        response: { 200: ApplicationView, 404: problemResponse('No such application in the caller’s branches') },
      },
    },
    async (request) => {
      const row = await applicationById(ctx.db, request.params.id)
      if (!row || !canAccessBranch(request.principal, row.branch_id)) throw new AppError('not_found', `no application ${request.params.id}`)
      const [decision, proposals, followUps, documents] = await Promise.all([decisionOf(ctx.db, row.id), proposalsOf(ctx.db, row.id), followUpsOf(ctx.db, row.id), documentsReceived(ctx.db, row.id)])
      return applicationView(row, decision, proposals, followUps, documents, todayIn(ctx.now()))
    },
  )

  app.post(
    '/applications/:id/documents',
    {
      config: { auth: { roles: ['officer'] }, idempotency: 'optional' },
      schema: {
        tags: ['applications'],
        summary: 'Record documents received that a granted relief was given without (容缺办理)',
        description:
          'Officers of the loan’s branch. Each name must be one of the documents to follow; one recorded before keeps its first record. Answers where the documents stand: complete, outstanding, or overdue (past their day, with a follow-up raised).',
        params: Params,
        body: Type.Object(
          { received: Type.Array(LineText(100), { minItems: 1, maxItems: 50, uniqueItems: true, description: 'Names of the documents received, as the terms list them' }) },
          { additionalProperties: false },
        ),
        response: {
          200: DocumentsView,
          404: problemResponse('No such application in the caller’s branches'),
          409: problemResponse('The application is not a granted relief with documents to follow'),
          422: problemResponse('A document is not one of those to follow (each named)'),
        },
      },
    },
    async (request, reply) =>
      reply.idempotent<ReliefTables>(async (tx) => {
        const { toFollow, received } = await receiveDocuments(tx, deps, { applicationId: request.params.id, principal: request.principal, names: request.body.received })
        return { statusCode: 200, body: documentsView(toFollow, received, todayIn(ctx.now())) }
      }),
  )

  app.get(
    '/applications/:id/audit',
    {
      config: { auth: { roles: ['officer', 'supervisor', 'risk', 'admin'] } },
      schema: {
        tags: ['applications'],
        summary: 'Who did what to an application (append-only audit trail)',
        params: Params,
        response: { 200: Type.Object({ applicationId: Type.String(), entries: Type.Array(AuditEntry) }) },
      },
    },
    async (request) => {
      const row = await applicationById(ctx.db, request.params.id)
      if (!row || !canAccessBranch(request.principal, row.branch_id)) throw new AppError('not_found', `no application ${request.params.id}`)
      return { applicationId: row.id, entries: (await auditOf(ctx.db, row.id)).map(auditView) }
    },
  )
}
