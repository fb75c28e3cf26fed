import Type from 'typebox'
import { AppError, problemResponse, type ServiceApp, type ServiceContext } from '@sme/kit'
import { MAX_WHAT_IF, Outcome, PolicyRef, ScoringInput, WhatIfBody } from '../schemas.js'
import { applicationById } from '../store/applications.js'
import type { ReliefTables } from '../store/tables.js'
import { replayApplication, whatIf } from '../use-cases/analysis.js'
import type { PolicyCache } from '../use-cases/policies.js'

const RuleResultName = Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('not-applicable'), Type.Literal('absent')])
const RuleChange = Type.Object({ scope: Type.String(), rule: Type.String(), from: RuleResultName, to: RuleResultName })
const Counts = Type.Object({ APPROVED: Type.Integer(), DECLINED: Type.Integer(), REFERRED: Type.Integer() })

const WhatIfReport = Type.Object({
  evaluated: Type.Integer(),
  limited: Type.Boolean({ description: 'The limit cut the selection short' }),
  overlay: Type.Array(PolicyRef, { description: 'Versions laid over the active ones' }),
  report: Type.Object({
    total: Type.Integer(),
    outcomeChanged: Type.Integer(),
    before: Counts,
    after: Counts,
    transitions: Type.Array(Type.Object({ from: Outcome, to: Outcome, count: Type.Integer() })),
    ruleDifferences: Type.Array(Type.Object({ ...RuleChange.properties, count: Type.Integer() })),
    changes: Type.Array(
      Type.Object({
        index: Type.Integer(),
        applicationId: Type.String(),
        uscc: Type.Optional(Type.String({ description: 'An enterprise’s code' })),
        borrowerId: Type.Optional(Type.String({ description: 'A natural person’s pseudonymous id' })),
        loanId: Type.String(),
        from: Outcome,
        to: Outcome,
        programmeFrom: Type.Union([Type.String(), Type.Null()]),
        programmeTo: Type.Union([Type.String(), Type.Null()]),
        mandatoryFrom: Type.Boolean(),
        mandatoryTo: Type.Boolean(),
        rules: Type.Array(RuleChange),
      }),
    ),
  }),
})

export async function analysisRoutes(app: ServiceApp, ctx: ServiceContext<ReliefTables>, policies: PolicyCache): Promise<void> {
  app.post(
    '/applications/:id/replay',
    {
      config: { auth: { roles: ['risk', 'admin'] } },
      schema: {
        tags: ['analysis'],
        summary: 'Re-decide a stored application under the policy versions and scoring input its decision recorded; reports whether the result is identical',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: {
          200: Type.Object({
            applicationId: Type.String(),
            identical: Type.Boolean(),
            storedOutcome: Outcome,
            replayedOutcome: Outcome,
            policyVersions: Type.Array(PolicyRef),
            scoring: ScoringInput,
            differences: Type.Array(RuleChange),
          }),
          404: problemResponse('No such application'),
          409: problemResponse('Not decided yet'),
        },
      },
    },
    async (request) => {
      const row = await applicationById(ctx.db, request.params.id)
      if (!row) throw new AppError('not_found', `no application ${request.params.id}`)
      return replayApplication(ctx.db, row)
    },
  )

  app.post(
    '/what-if',
    {
      config: { auth: { roles: ['risk', 'admin'] } },
      schema: {
        tags: ['analysis'],
        summary: `How outcomes of stored applications would change under draft policy versions (at most ${MAX_WHAT_IF} applications per run)`,
        description:
          'Each selected (decided) application is decided twice with the scoring input it was decided with: under the active versions and under the active versions overlaid with the drafts. Reads only; live decisions are unaffected.',
        body: WhatIfBody,
        response: {
          200: WhatIfReport,
          404: problemResponse('A named draft does not exist'),
          422: problemResponse('An inline version is invalid, or the overlay leaves an unusable policy on some date'),
        },
      },
    },
    async (request) =>
      whatIf(ctx.db, policies, {
        drafts: request.body.drafts,
        versions: request.body.versions,
        applicationIds: request.body.applicationIds,
        from: request.body.from,
        to: request.body.to,
        limit: request.body.limit ?? 1000,
      }),
  )
}
