import Type from 'typebox'
import { CursorQuery, decodeCursor, NextCursor, pageOf, problemResponse, type ServiceApp, type ServiceContext } from '@sme/kit'
import { PolicyPost, PolicyVersionView } from '../schemas.js'
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
