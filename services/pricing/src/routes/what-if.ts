import Type from 'typebox'
import { BranchId, IsoDate, SignedFen, Fen } from '@sme/contracts'
import { problemResponse, type ServiceApp, type ServiceContext } from '@sme/kit'
import { PricingRecordBody, RecordId, RecordVersion } from '../record-schemas.js'
import type { SourcesCache } from '../store/reference.js'
import type { PricingTables } from '../store/tables.js'
import { MAX_LISTED_CHANGES, MAX_WHAT_IF_QUOTES, whatIf } from '../use-cases/what-if.js'

const Totals = Type.Object({ interestFen: Fen, subsidyFen: Fen, guaranteeFeeFen: Fen, firmCostFen: Fen })
const Figures = Type.Object({ nominalRateBp: Type.Integer(), firmRateCentiBp: Type.Integer(), interestFen: Fen, subsidyFen: Fen, guaranteeFeeFen: Fen, firmCostFen: Fen })
const Outcome = Type.Union([Type.Object({ version: Type.Integer(), status: Type.String(), code: Type.String() }), Type.Null()])

const WhatIfBody = Type.Object(
  {
    drafts: Type.Optional(Type.Array(Type.Object({ id: RecordId, version: RecordVersion }, { additionalProperties: false }), { maxItems: 50, description: 'Draft versions to lay over the active ones' })),
    records: Type.Optional(Type.Array(PricingRecordBody, { maxItems: 20, description: 'Versions given inline (not stored), laid over with the drafts' })),
    book: Type.Optional(Type.Union([Type.Literal('accepted'), Type.Literal('issued')], { default: 'accepted', description: 'accepted: the quotes firms took (default); issued: every quote' })),
    from: Type.Optional({ ...IsoDate, description: 'Quotes priced on or after this day' }),
    to: Type.Optional({ ...IsoDate, description: 'Quotes priced on or before this day' }),
    branchIds: Type.Optional(Type.Array(BranchId, { maxItems: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_WHAT_IF_QUOTES, default: 1_000 })),
  },
  { additionalProperties: false },
)

const WhatIfReport = Type.Object(
  {
    evaluated: Type.Integer({ description: 'Quotes priced twice' }),
    limited: Type.Boolean({ description: 'The limit cut the book short' }),
    skipped: Type.Integer({ description: 'Quotes not priced from a request of their own (relief re-pricings at a contract’s rate), left out' }),
    overlay: Type.Array(Type.Object({ id: Type.String(), version: Type.Integer(), kind: Type.String() })),
    compared: Type.Integer({ description: 'Quotes both sides priced (the sums are over these)' }),
    totals: Type.Object({ before: Totals, after: Totals, change: Type.Object({ interestFen: SignedFen, subsidyFen: SignedFen, guaranteeFeeFen: SignedFen, firmCostFen: SignedFen }) }),
    budget: Type.Array(Type.Object({ payer: Type.String(), year: Type.Integer(), beforeFen: Fen, afterFen: Fen, changeFen: SignedFen }), { description: 'Subsidies by payer and the calendar year their periods fall due' }),
    changed: Type.Integer({ description: 'Quotes whose rate or cost differ' }),
    changes: Type.Array(
      Type.Object({
        quoteId: Type.String({ format: 'uuid' }),
        branchId: Type.String(),
        pricingDate: IsoDate,
        before: Figures,
        after: Figures,
        programmes: Type.Array(Type.Object({ id: Type.String(), before: Outcome, after: Outcome }), { description: 'Programmes whose outcome differs' }),
      }),
      { description: `The first ${MAX_LISTED_CHANGES} changed quotes` },
    ),
    unpriced: Type.Array(Type.Object({ quoteId: Type.String({ format: 'uuid' }), side: Type.String(), code: Type.String(), message: Type.String() }), { description: 'Quotes a side cannot price (left out of the sums)' }),
  },
  { additionalProperties: false },
)

/** What-if over the stored book under draft records, for risk and admin. */
export async function whatIfRoutes(app: ServiceApp, ctx: ServiceContext<PricingTables>, sources: SourcesCache): Promise<void> {
  app.post(
    '/what-if',
    {
      config: { auth: { roles: ['risk', 'admin'] } },
      schema: {
        tags: ['programmes'],
        summary: `How the book’s cost and the subsidy budget would change under draft cards or programmes, before activation (at most ${MAX_WHAT_IF_QUOTES} quotes a run)`,
        description:
          'Each selected quote is priced again from the request it was priced from, at its own pricing date: under the active records, and under them with the drafts (and any records given inline) laid over. Reports the firms’ cost and the bank’s interest before and after, the subsidies by payer and year, and each quote whose rate or cost differs with the programmes behind it. Reads only.',
        body: WhatIfBody,
        response: {
          200: WhatIfReport,
          404: problemResponse('A draft named does not exist'),
          409: problemResponse('A record given inline exists already'),
          422: problemResponse('A record given inline is invalid (the field is named)'),
        },
      },
    },
    async (request) => whatIf(ctx.db, sources, { ...request.body, book: request.body.book ?? 'accepted', limit: request.body.limit ?? 1_000 }),
  )
}
