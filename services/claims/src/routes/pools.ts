import Type from 'typebox'
import { Fen } from '@sme/contracts'
import { AppError, branchScopeOf, canAccessBranch, problemResponse, type ServiceApp, type ServiceContext } from '@sme/kit'
import { PoolClaimBody, PoolClaimView, PoolId, PoolPaymentBody, PoolVersionNumber, PoolVersionView, PoolWire } from '../pool-schema.js'
import { datedRows } from '../store/dated-versions.js'
import { poolClaimOf, poolClaims } from '../store/pools.js'
import type { ClaimsTables } from '../store/tables.js'
import { activatePoolVersion, addPoolVersion, claimOnPool, commandPoolClaim, finalLossCommand, paymentCommand, poolClaimView, poolVersionView, type PoolDeps } from '../use-cases/pools.js'

const BANK = ['officer', 'supervisor', 'risk', 'admin', 'core-banking'] as const
const ACTORS = ['officer', 'core-banking'] as const
const PoolClaimParams = Type.Object({ poolClaimId: Type.String({ format: 'uuid' }) })
const Refusals = {
  404: problemResponse('No such pool claim in the caller’s branches'),
  409: problemResponse('The final loss is recorded already (`currentStage`)'),
  422: problemResponse('Refused by the rules: `refusal` gives the code, `errors` the field'),
}

/** Risk-compensation pools as dated data (admins, four eyes), and the bank's claims on them. */
export async function poolRoutes(app: ServiceApp, ctx: ServiceContext<ClaimsTables>, deps: PoolDeps): Promise<void> {
  app.get(
    '/pools',
    {
      config: { auth: { roles: [...BANK] } },
      schema: { tags: ['pools'], summary: 'Risk-compensation pool versions: the loans covered, who pays what share when; the drafts awaiting activation', response: { 200: Type.Object({ items: Type.Array(PoolVersionView) }) } },
    },
    async () => ({ items: (await datedRows(ctx.db, 'pool')).map(poolVersionView) }),
  )

  app.post(
    '/pools',
    {
      config: { auth: { roles: ['admin'] }, idempotency: 'optional' },
      schema: {
        tags: ['pools'],
        summary: 'Adds a version of a pool as a draft: it governs no claim until another admin activates it',
        description: 'Versions of a pool only increase and never change. A loan is claimed under the highest active version whose window holds its issue day; the claim pins it.',
        body: Type.Object({ pool: PoolWire }, { additionalProperties: false }),
        response: {
          201: PoolVersionView,
          409: problemResponse('The version exists, or is not higher than the last'),
          422: problemResponse('The pool contradicts itself (each field named): more than the principal, a payer twice at a stage, no tier on non-performance'),
        },
      },
    },
    async (request, reply) =>
      reply.idempotent<ClaimsTables>(async (tx) => {
        const row = await addPoolVersion(tx, request.body.pool, request.principal.subject, ctx.now())
        return { statusCode: 201, body: poolVersionView(row), headers: { location: `/pools/${row.record_id}/versions/${row.version}` } }
      }),
  )

  app.post(
    '/pools/:poolId/versions/:version/activate',
    {
      config: { auth: { roles: ['admin'] }, idempotency: 'optional' },
      schema: {
        tags: ['pools'],
        summary: 'Activates a draft pool version: claims on loans issued in its window are judged under it from now on',
        description: 'Four eyes: the admin who activates a version is not the one who added it (403, audited).',
        params: Type.Object({ poolId: PoolId, version: PoolVersionNumber }),
        response: { 200: PoolVersionView, 403: problemResponse('Not an admin, or the author of the version'), 404: problemResponse('No such version'), 409: problemResponse('Already active') },
      },
    },
    async (request, reply) =>
      reply.idempotent<ClaimsTables>(async (tx) => {
        const row = await activatePoolVersion(tx, request.params.poolId, request.params.version, request.principal.subject, ctx.now())
        return { statusCode: 200, body: poolVersionView(row) }
      }),
  )

  app.post(
    '/pool-claims',
    {
      config: { auth: { roles: ACTORS }, idempotency: 'optional' },
      schema: {
        tags: ['pools'],
        summary: 'Claims on a pool for a loan that became non-performing: each non-performing tier’s share of the principal falls due',
        body: PoolClaimBody,
        response: {
          201: PoolClaimView,
          403: problemResponse('Not the caller’s branch'),
          409: problemResponse('The loan has a claim on this pool already (`poolClaimId`)'),
          422: problemResponse('Not covered (`refusal` PC_NOT_COVERED with every reason in `reasons`: issued outside the period, a size not covered, agency-guaranteed), or no such pool (`errors`)'),
        },
      },
    },
    async (request, reply) =>
      reply.idempotent<ClaimsTables>(async (tx) => {
        const claim = await claimOnPool(tx, deps, request.body, request.principal)
        return { statusCode: 201, body: await poolClaimView(tx, deps, claim), headers: { location: `/pool-claims/${claim.poolClaimId}` } }
      }),
  )

  app.get(
    '/pool-claims',
    {
      config: { auth: { roles: [...BANK] } },
      schema: {
        tags: ['pools'],
        summary: 'Pool claims of the caller’s branches, most recently changed first',
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(PoolClaimView) }) },
      },
    },
    async (request) => {
      const scope = branchScopeOf(request.principal)
      if (scope !== 'all' && scope.length === 0) return { items: [] }
      const claims = await poolClaims(ctx.db, scope, request.query.limit ?? 50)
      return { items: await Promise.all(claims.map((c) => poolClaimView(ctx.db, deps, c))) }
    },
  )

  app.get(
    '/pool-claims/:poolClaimId',
    {
      config: { auth: { roles: [...BANK] } },
      schema: { tags: ['pools'], summary: 'A pool claim: what each payer owes or is owed back, and its account', params: PoolClaimParams, response: { 200: PoolClaimView, 404: Refusals[404] } },
    },
    async (request) => {
      const claim = await poolClaimOf(ctx.db, request.params.poolClaimId)
      if (claim === undefined || !canAccessBranch(request.principal, claim.branchId)) throw new AppError('not_found', 'no such pool claim in the caller’s branches')
      return poolClaimView(ctx.db, deps, claim)
    },
  )

  app.post(
    '/pool-claims/:poolClaimId/final-loss',
    {
      config: { auth: { roles: ACTORS }, idempotency: 'optional' },
      schema: {
        tags: ['pools'],
        summary: 'The final loss, once: the final-loss tiers’ shares fall due, never more than the loss in all; where the loss is smaller than what was claimed, the bank owes the excess back',
        params: PoolClaimParams,
        body: Type.Object({ lossFen: { ...Fen, description: 'The loss after recoveries and collateral' } }, { additionalProperties: false }),
        response: { 200: PoolClaimView, ...Refusals },
      },
    },
    async (request, reply) =>
      reply.idempotent<ClaimsTables>(async (tx) => {
        const { claim } = await commandPoolClaim(tx, deps, request.params.poolClaimId, request.principal, finalLossCommand(BigInt(request.body.lossFen)))
        return { statusCode: 200, body: await poolClaimView(tx, deps, claim) }
      }),
  )

  app.post(
    '/pool-claims/:poolClaimId/payments',
    {
      config: { auth: { roles: ACTORS } },
      schema: {
        tags: ['pools'],
        summary: 'Money that moved between a payer and the bank: at most what is outstanding with the payer, in its direction; a repeated reference changes nothing',
        params: PoolClaimParams,
        body: PoolPaymentBody,
        response: { 200: Type.Object({ claim: PoolClaimView, duplicate: Type.Boolean() }), ...Refusals },
      },
    },
    async (request) => {
      const b = request.body
      const { claim, duplicate } = await ctx.outbox.afterCommit(() =>
        ctx.db.transaction().execute((tx) => commandPoolClaim(tx, deps, request.params.poolClaimId, request.principal, paymentCommand({ reference: b.reference, payer: b.payer, amount: BigInt(b.amountFen) }))),
      )
      return { claim: await poolClaimView(ctx.db, deps, claim), duplicate }
    },
  )
}
