import Type from 'typebox'
import { parseDate } from '@sme/domain'
import { BranchId, Fen, IsoDate, Localized } from '@sme/contracts'
import { assertBranchAccess, problemResponse, type ServiceApp, type ServiceContext } from '@sme/kit'
import { BRIDGE_CONVENTIONS, bridgeFee, bridgeFundOn } from '../domain/index.js'
import type { SourcesCache } from '../store/reference.js'
import type { PricingTables } from '../store/tables.js'

const BridgeBody = Type.Object(
  {
    branchId: BranchId,
    fundId: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$', description: 'The fund; absent: the one in force on `from`' })),
    amountFen: { ...Fen, description: 'Amount bridged, fen (> 0)' },
    committedRenewalFen: { ...Fen, description: 'The renewal the bank has committed to, fen: the bridge is capped at the fund’s share of it' },
    from: { ...IsoDate, description: 'The day the fund pays the maturing loan off (counted)' },
    until: { ...IsoDate, description: 'The day the renewal repays the fund (not counted)' },
  },
  { additionalProperties: false },
)

const BridgeView = Type.Object({
  fund: Type.Object({ id: Type.String(), version: Type.Integer(), title: Localized }),
  days: Type.Integer(),
  tiers: Type.Array(Type.Object({ days: Type.Integer(), dailyPpm: Type.Integer({ description: 'Daily fee, parts per million of the amount (0.2‰ = 200)' }), feeFen: Fen })),
  feeFen: Fen,
  capFen: { ...Fen, description: 'The most the fund bridges against this renewal' },
  conventions: Type.Record(Type.String(), Type.String()),
})

/** The fee of bridging a loan to its committed renewal through an emergency bridge fund (a calculation: nothing is stored). */
export async function bridgeRoutes(app: ServiceApp, ctx: ServiceContext<PricingTables>, sources: SourcesCache): Promise<void> {
  app.post(
    '/bridge-fees',
    {
      config: { auth: { roles: ['officer', 'core-banking'] } },
      schema: {
        tags: ['bridge funds'],
        summary: 'The fee of an emergency bridge (应急转贷) to a committed renewal: tier by tier, and the fund’s cap',
        description: 'Each day is charged at the daily rate of the tier it falls in (e.g. 0.2‰ for days 1–5, then 0.4‰); the amount may be at most the fund’s share of the committed renewal. A calculation: nothing is stored or published.',
        body: BridgeBody,
        response: {
          200: BridgeView,
          400: problemResponse('Invalid body (the field is named)'),
          403: problemResponse('Not a branch of the caller'),
          422: problemResponse('Cannot be bridged (the field is named): over the cap, no days, longer than the fund allows, no fund in force'),
        },
      },
    },
    async (request) => {
      const b = request.body
      assertBranchAccess(request.principal, b.branchId)
      const from = parseDate(b.from)
      const { sources: records } = await sources.get(ctx.db)
      const fund = bridgeFundOn(records.bridgeFunds, from, b.fundId)
      const fee = bridgeFee(fund, { amount: BigInt(b.amountFen), committedRenewal: BigInt(b.committedRenewalFen), from, until: parseDate(b.until) })
      return {
        fund: { id: fund.id, version: fund.version, title: fund.title },
        days: fee.days,
        tiers: fee.tiers.map((t) => ({ days: t.days, dailyPpm: t.dailyPpm, feeFen: t.feeFen.toString() })),
        feeFen: fee.feeFen.toString(),
        capFen: fee.capFen.toString(),
        conventions: BRIDGE_CONVENTIONS,
      }
    },
  )
}
