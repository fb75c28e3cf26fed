import Type from 'typebox'
import { BranchId, enumOf, Fen, IsoDate, Localized, LoanId, PartyId } from '@sme/contracts'
import { parseDate, todayIn } from '@sme/domain'
import { branchScopeOf, type ServiceApp, type ServiceContext } from '@sme/kit'
import { sql } from 'kysely'
import { AGING_BUCKETS, agingSummary, CLAIM_STATUSES, OVERDUE_KINDS, overdueOf, type OverdueItem } from '../domain/index.js'
import type { ClaimsTables } from '../store/tables.js'

const KINDS = Object.keys(OVERDUE_KINDS) as (keyof typeof OVERDUE_KINDS)[]
const BANDS = AGING_BUCKETS.map((b) => b.label)

const AgingView = Type.Object({
  asOf: IsoDate,
  summary: Type.Array(Type.Object({ kind: enumOf(KINDS), text: Localized, bucket: enumOf(BANDS, 'Calendar days past the due day'), count: Type.Integer(), amountFen: Fen })),
  total: Type.Object({ count: Type.Integer(), amountFen: Fen }),
  items: Type.Array(
    Type.Object({
      claimId: Type.String({ format: 'uuid' }),
      loanId: LoanId,
      agencyId: PartyId,
      branchId: Type.String(),
      status: enumOf(CLAIM_STATUSES),
      kind: enumOf(KINDS),
      dueOn: IsoDate,
      daysOverdue: Type.Integer({ minimum: 1 }),
      bucket: enumOf(BANDS),
      amountFen: { ...Fen, description: 'The payment owed, or the loss not recovered' },
    }),
    { description: 'The oldest first, at most `limit`' },
  ),
})

/** The aging view: what is overdue on the claims in the caller's reach, by kind and age band. */
export async function agingRoutes(app: ServiceApp, ctx: ServiceContext<ClaimsTables>): Promise<void> {
  app.get(
    '/claims/aging',
    {
      config: { auth: { roles: ['officer', 'supervisor', 'risk', 'admin', 'core-banking', 'agency'] } },
      schema: {
        tags: ['claims'],
        summary: 'Overdue items by kind and age band: payments the agencies owe past their deadline, recourse periods over without write-off; an agency sees its own claims, officers their branches',
        querystring: Type.Object(
          { agencyId: Type.Optional(PartyId), branchId: Type.Optional(BranchId), limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000, default: 100 })) },
          { additionalProperties: false },
        ),
        response: { 200: AgingView },
      },
    },
    async (request) => {
      const p = request.principal
      const today = todayIn(ctx.now())
      const scope = branchScopeOf(p)
      const empty = { asOf: today, summary: lines([]), total: { count: 0, amountFen: '0' }, items: [] }
      let q = ctx.db
        .selectFrom('claims')
        .select([
          'claim_id',
          'loan_id',
          'agency_id',
          'branch_id',
          'status',
          'recovered_to_payers_fen',
          sql<string | null>`state->'filing'->>'paymentDueOn'`.as('payment_due_on'),
          sql<string | null>`state->'filing'->'amount'->'claimed'->>'fen'`.as('claimed'),
          sql<string | null>`state->'approved'->'amount'->>'fen'`.as('approved'),
          sql<string | null>`state->'settlement'->>'recourseUntil'`.as('recourse_until'),
          sql<string | null>`state->'settlement'->'amount'->>'fen'`.as('settled'),
        ])
        .where((eb) =>
          eb.or([
            eb.and([eb('status', 'in', ['filed', 'acknowledged', 'approved']), eb(sql<string>`state->'filing'->>'paymentDueOn'`, '<', today)]),
            eb.and([eb('status', 'in', ['paid', 'in-recourse']), eb(sql<string>`state->'settlement'->>'recourseUntil'`, '<', today)]),
          ]),
        )
      if (p.roles.includes('agency') && scope !== 'all') {
        if (p.agency === undefined) return empty
        q = q.where('agency_id', '=', p.agency)
      } else if (scope !== 'all') {
        if (scope.length === 0) return empty
        q = q.where('branch_id', 'in', scope)
      }
      if (request.query.agencyId !== undefined) q = q.where('agency_id', '=', request.query.agencyId)
      if (request.query.branchId !== undefined) q = q.where('branch_id', '=', request.query.branchId)
      const fen = (text: string | null) => (text === null ? null : BigInt(text))
      const found: { row: (typeof rows)[number]; item: OverdueItem }[] = []
      const rows = await q.execute()
      for (const row of rows) {
        const item = overdueOf(
          {
            status: row.status,
            paymentDueOn: row.payment_due_on === null ? null : parseDate(row.payment_due_on),
            claimed: fen(row.claimed),
            approved: fen(row.approved),
            recourseUntil: row.recourse_until === null ? null : parseDate(row.recourse_until),
            settled: fen(row.settled),
            recoveredToPayers: row.recovered_to_payers_fen,
          },
          today,
        )
        if (item !== null) found.push({ row, item })
      }
      found.sort((a, b) => b.item.daysOverdue - a.item.daysOverdue || a.row.claim_id.localeCompare(b.row.claim_id))
      const items = found.map((f) => f.item)
      return {
        asOf: today,
        summary: lines(items),
        total: { count: items.length, amountFen: items.reduce((s, i) => s + i.amount, 0n).toString() },
        items: found.slice(0, request.query.limit ?? 100).map(({ row, item }) => ({
          claimId: row.claim_id,
          loanId: row.loan_id,
          agencyId: row.agency_id,
          branchId: row.branch_id,
          status: row.status,
          kind: item.kind,
          dueOn: item.dueOn,
          daysOverdue: item.daysOverdue,
          bucket: item.bucket,
          amountFen: item.amount.toString(),
        })),
      }
    },
  )
}

function lines(items: readonly OverdueItem[]) {
  return agingSummary(items).map((l) => ({ kind: l.kind, text: OVERDUE_KINDS[l.kind], bucket: l.bucket, count: l.count, amountFen: l.amount.toString() }))
}
