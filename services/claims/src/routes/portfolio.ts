import Type from 'typebox'
import { enumOf, Fen, PartyId, SignedFen } from '@sme/contracts'
import { makeDate } from '@sme/domain'
import type { ServiceApp, ServiceContext } from '@sme/kit'
import { agreementInForce, checkPortfolioCap } from '../domain/index.js'
import type { AgreementBook } from '../store/agreements.js'
import type { ClaimsTables } from '../store/tables.js'

const PortfolioLine = Type.Object({
  agreementId: Type.String(),
  agencyId: PartyId,
  vintage: Type.Integer({ description: 'The year the loans were guaranteed' }),
  guaranteedFen: { ...Fen, description: 'The book the agency guaranteed under the agreement that year' },
  compensatedFen: { ...Fen, description: 'What the agency approved or paid on that vintage (all its agreements with the bank)' },
  recoveredToPayersFen: { ...Fen, description: 'What recoveries gave back to the paying layers' },
  cap: Type.Union([
    Type.Object({
      agreementVersion: Type.Integer({ description: 'The version in force at the vintage’s end' }),
      capBp: Type.Integer(),
      mode: enumOf(['enforce', 'flag'] as const),
      limitFen: { ...Fen, description: 'guaranteed × cap, rounded down' },
      usedFen: { ...SignedFen, description: 'compensated − recovered' },
      headroomFen: { ...SignedFen, description: 'Negative once past the cap' },
      exceeded: Type.Boolean(),
    }),
    Type.Null(),
  ]),
})

/**
 * The portfolio caps' usage (POLICY §5: the agency's compensation per bank and vintage, as a share
 * of the guaranteed book, topped up by recoveries): the running totals the filings are checked on.
 */
export async function portfolioRoutes(app: ServiceApp, ctx: ServiceContext<ClaimsTables>, agreements: AgreementBook): Promise<void> {
  app.get(
    '/portfolio',
    {
      config: { auth: { roles: ['officer', 'supervisor', 'risk', 'admin', 'core-banking', 'agency'] } },
      schema: {
        tags: ['claims'],
        summary: 'The portfolio caps: per agreement and vintage, the book guaranteed, the compensation net of recoveries, the cap and its headroom; an agency sees its own',
        querystring: Type.Object({ vintage: Type.Optional(Type.Integer({ minimum: 1990, maximum: 2200 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(PortfolioLine) }) },
      },
    },
    async (request) => {
      const p = request.principal
      const agencyOnly = p.roles.includes('agency') ? (p.agency ?? null) : undefined
      if (agencyOnly === null) return { items: [] }
      let q = ctx.db
        .selectFrom('vintage_books as vb')
        .innerJoin(
          // The agreement's originating agency: the same in every version.
          (eb) => eb.selectFrom('dated_versions').select(['record_id', 'scope_id']).where('kind', '=', 'agreement').distinct().as('v'),
          (j) => j.onRef('v.record_id', '=', 'vb.agreement_id'),
        )
        .leftJoin('agency_compensation as ac', (j) => j.onRef('ac.agency_id', '=', 'v.scope_id').onRef('ac.vintage', '=', 'vb.vintage'))
        .select(['vb.agreement_id', 'vb.vintage', 'vb.guaranteed_fen', 'v.scope_id as agency_id', 'ac.compensated_fen', 'ac.recovered_to_payers_fen'])
        .orderBy('vb.vintage', 'desc')
        .orderBy('vb.agreement_id')
      if (agencyOnly !== undefined) q = q.where('v.scope_id', '=', agencyOnly)
      if (request.query.vintage !== undefined) q = q.where('vb.vintage', '=', request.query.vintage)
      const [rows, versions] = await Promise.all([q.execute(), agreements.active(ctx.db)])
      const items = []
      for (const r of rows) {
        const book = { guaranteed: r.guaranteed_fen, compensated: r.compensated_fen ?? 0n, recoveredToPayers: r.recovered_to_payers_fen ?? 0n }
        const agreement = agreementInForce(versions, r.agreement_id, makeDate(r.vintage, 12, 31))
        const check = agreement && checkPortfolioCap(agreement, book, 0n)
        items.push({
          agreementId: r.agreement_id,
          agencyId: r.agency_id ?? '',
          vintage: r.vintage,
          guaranteedFen: book.guaranteed.toString(),
          compensatedFen: book.compensated.toString(),
          recoveredToPayersFen: book.recoveredToPayers.toString(),
          cap:
            agreement && check
              ? { agreementVersion: agreement.version, capBp: check.capBp, mode: check.mode, limitFen: check.limit.toString(), usedFen: check.used.toString(), headroomFen: check.headroom.toString(), exceeded: check.headroom < 0n }
              : null,
        })
      }
      return { items }
    },
  )
}
