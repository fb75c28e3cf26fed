import Type from 'typebox'
import { Fen } from '@sme/contracts'
import { AppError, branchScopeOf, problemResponse, type Principal, type ServiceApp, type ServiceContext } from '@sme/kit'
import { reliefRegister, reliefRegisterCsv, type RegisterLine } from '../domain/index.js'
import { grantedReliefs, monthRange } from '../store/register.js'
import type { ReliefTables } from '../store/tables.js'

/** The longest range one report covers: ten years of months. */
const MAX_MONTHS = 120

const Month = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: 'A month, `YYYY-MM` (Asia/Shanghai)' })
const RegisterQuery = Type.Object(
  { from: { ...Month, description: 'First month, included' }, to: { ...Month, description: `Last month, included; at most ${MAX_MONTHS} months from \`from\`` } },
  { additionalProperties: false },
)

const RegisterLineView = Type.Object(
  {
    month: Month,
    branchId: Type.String(),
    relief: Type.String({ description: 'deferral, extension or renewal' }),
    programme: Type.String({ description: 'The programme or rule set granted under, `id@version`' }),
    grants: Type.Integer({ description: 'Final approvals' }),
    loans: Type.Integer({ description: 'Distinct loans' }),
    principalFen: { ...Fen, description: 'Outstanding principal of those loans when relief was asked for' },
    deferredPrincipalFen: { ...Fen, description: 'Principal deferred' },
    interestDeferrals: Type.Integer({ description: 'Grants deferring interest' }),
    incentiveFen: { ...Fen, description: 'PBoC incentive earned (local legal-person banks), each loan counted once across all its grants' },
    incentiveLoans: Type.Integer(),
    incentiveAlreadyClaimed: Type.Integer({ description: 'Eligible grants on loans whose incentive was counted before (not counted again)' }),
  },
  { additionalProperties: false },
)

/**
 * The relief register (专门统计): final approvals by month, branch, kind and programme, as JSON and as
 * the CSV a regulatory report takes. Branch-scoped like every list: an officer or supervisor sees
 * the branches of the token, risk and admin the bank.
 */
export async function registerRoutes(app: ServiceApp, ctx: ServiceContext<ReliefTables>): Promise<void> {
  const auth = { auth: { roles: ['officer', 'supervisor', 'risk', 'admin'] as const } }
  const problems = { 400: problemResponse('A month is malformed, or the range ends before it starts or spans more than ten years') }

  const registerOf = async (query: { from: string; to: string }, principal: Principal): Promise<RegisterLine[]> => {
    const span = monthsBetween(query.from, query.to)
    if (span < 0 || span >= MAX_MONTHS) {
      const message = span < 0 ? 'the range ends before it starts' : `the range spans more than ${MAX_MONTHS} months`
      throw new AppError('validation_failed', message, { extra: { errors: [{ field: '/querystring/to', message }] } })
    }
    return reliefRegister(await grantedReliefs(ctx.db, monthRange(query.from, query.to), branchScopeOf(principal)))
  }

  app.get(
    '/register',
    {
      config: auth,
      schema: {
        tags: ['register'],
        summary: 'Relief granted, by month, branch, kind and programme (专门统计), over a range of months',
        description:
          'Final approvals (by the rules, or confirmed on review) in the month they became final, Asia/Shanghai. A loan counts once per line; its PBoC incentive counts once across all its grants, whatever the range asked for.',
        querystring: RegisterQuery,
        response: { 200: Type.Object({ from: Month, to: Month, lines: Type.Array(RegisterLineView) }), ...problems },
      },
    },
    async (request) => ({ from: request.query.from, to: request.query.to, lines: await registerOf(request.query, request.principal) }),
  )

  app.get(
    '/register.csv',
    {
      config: auth,
      schema: {
        tags: ['register'],
        summary: 'The relief register as CSV (RFC 4180), the regulatory report’s form',
        description:
          'Columns: month, branch_id, relief, programme, grants, loans, principal_fen, deferred_principal_fen, interest_deferrals, incentive_fen, incentive_loans, incentive_already_claimed.',
        querystring: RegisterQuery,
        produces: ['text/csv'],
        response: { 200: { description: 'The register, CSV with a header row', content: { 'text/csv': { schema: Type.String() } } }, ...problems },
      },
    },
    async (request, reply) => {
      const csv = reliefRegisterCsv(await registerOf(request.query, request.principal))
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="relief-register-${request.query.from}-${request.query.to}.csv"`)
        .serializer((payload: unknown) => String(payload))
        .send(csv)
    },
  )
}

/** Months from `from` to `to` (`YYYY-MM`): 0 for the same month, negative when `to` is earlier. */
function monthsBetween(from: string, to: string): number {
  const index = (month: string): number => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7))
  return index(to) - index(from)
}
