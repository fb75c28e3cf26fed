import Type from 'typebox'
import { VerdictData } from '@sme/contracts'
import { parseDate, todayIn } from '@sme/domain'
import { AppError, assertBranchAccess, canAccessBranch, ownIdempotency, problemResponse, REPLAYED_HEADER, type ServiceApp, type ServiceContext } from '@sme/kit'
import { policyOn } from '../domain/index.js'
import { CheckBody, ReasonsView } from '../schemas.js'
import type { GuardTables } from '../store/tables.js'
import { verdictsOfCheck } from '../store/verdicts.js'
import { runCheck, type CheckDeps } from '../use-cases/check.js'

const Params = Type.Object({ id: Type.String({ format: 'uuid' }) })

export async function checkRoutes(app: ServiceApp, ctx: ServiceContext<GuardTables>, deps: CheckDeps): Promise<void> {
  app.post(
    '/checks',
    {
      config: { auth: { roles: ['core-banking'] }, idempotency: 'required' },
      schema: {
        tags: ['checks'],
        summary: 'Ask before an adverse credit action: ALLOW, BLOCK or ESCALATE, with every rule that fired',
        description:
          'Judged on the protection read model (relief decisions, scores, key-enterprise lists, core banking’s loan events) under the guard policy in force on `actionDate`. The verdict is stored, with its event on guard.verdicts.v1, before it is answered; it carries an id, an expiry and the as-of of each source of the read model. A retry with the same Idempotency-Key answers the same verdict (header `idempotent-replayed: true`), whatever the read model learnt since; the key with another body is refused (422). When the database is unreachable the check fails closed: 503 with Retry-After.',
        body: CheckBody,
        response: {
          201: VerdictData,
          400: problemResponse('Invalid body (the field is named), or no Idempotency-Key'),
          403: problemResponse('Not a branch of the caller'),
          422: problemResponse('Cannot be judged as asked (the field is named): an unknown reason code, a reduction without its amount, a downgrade without its class, a loan booked to another borrower or branch, an action date before any guard policy'),
        },
      },
    },
    async (request, reply) => {
      assertBranchAccess(request.principal, request.body.branchId)
      const { key, fingerprint } = ownIdempotency(request)
      const { verdict, replayed } = await runCheck(ctx.db, deps, { body: request.body, caller: request.principal.subject, idempotency: { key, fingerprint }, traceparent: request.trace.traceparent })
      if (replayed) reply.header(REPLAYED_HEADER, 'true')
      return reply.code(201).header('location', `/checks/${verdict.checkId}`).send(verdict)
    },
  )

  app.get(
    '/checks/:id',
    {
      config: { auth: { roles: ['core-banking', 'risk', 'supervisor', 'admin'] } },
      schema: {
        tags: ['checks'],
        summary: 'A check’s verdicts: the check’s own, then a risk officer’s decision if it was escalated',
        params: Params,
        response: { 200: Type.Object({ checkId: Type.String({ format: 'uuid' }), verdicts: Type.Array(VerdictData) }), 404: problemResponse('No such check in the caller’s branches') },
      },
    },
    async (request) => {
      const verdicts = await verdictsOfCheck(ctx.db, request.params.id)
      const first = verdicts[0]
      if (first === undefined || !canAccessBranch(request.principal, first.branchId)) throw new AppError('not_found', `no check ${request.params.id}`)
      return { checkId: request.params.id, verdicts }
    },
  )

  app.get(
    '/reasons',
    {
      config: { auth: { roles: ['core-banking', 'officer', 'risk', 'supervisor', 'admin'] } },
      schema: {
        tags: ['checks'],
        summary: 'The reasons catalogue of the guard policy in force today (or on `on`): what each reason justifies and the evidence it needs',
        querystring: Type.Object({ on: Type.Optional(Type.String({ format: 'date' })) }),
        response: { 200: ReasonsView, 404: problemResponse('No guard policy in force on that day') },
      },
    },
    async (request) => {
      const day = request.query.on === undefined ? todayIn(ctx.now()) : parseDate(request.query.on)
      const policy = policyOn(deps.policies, day)
      if (policy === null) throw new AppError('not_found', `no guard policy in force on ${day}`)
      return {
        policy: { id: policy.id, version: policy.version, effectiveFrom: policy.effectiveFrom, effectiveTo: policy.effectiveTo, title: policy.title, clause: policy.clause },
        reasons: policy.reasons.map((r) => ({ ...r, justifies: [...r.justifies], evidence: [...r.evidence] })),
      }
    },
  )
}
