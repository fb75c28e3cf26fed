import { Readable } from 'node:stream'
import Type from 'typebox'
import { GUARD_OUTCOMES } from '@sme/contracts'
import { AppError, branchScopeOf, problemResponse, REPLAYED_HEADER, type Principal, type ServiceApp, type ServiceContext } from '@sme/kit'
import { SweepSummaryView } from '../schemas.js'
import { sweepById, sweepVerdictPage, type SweepSummary } from '../store/sweeps.js'
import type { GuardTables } from '../store/tables.js'
import { runSweep, SWEEP_MAX_LINES, type SweepDeps } from '../use-cases/sweep.js'

const NDJSON = 'application/x-ndjson'
const Params = Type.Object({ id: Type.String({ format: 'uuid' }) })
/** Verdict rows read per page while a sweep's verdicts stream out. */
const PAGE = 5_000

/** Who may read a sweep: the system that ran it, and the bank's risk, supervisory and admin staff (their branches' lines). */
function mayRead(principal: Principal, owner: string): boolean {
  if (principal.roles.includes('core-banking')) return principal.subject === owner
  return principal.roles.some((r) => r === 'risk' || r === 'supervisor' || r === 'admin')
}

export async function sweepRoutes(app: ServiceApp, ctx: ServiceContext<GuardTables>, deps: SweepDeps): Promise<void> {
  // The sweep's body is read as it arrives (millions of lines are never held whole): only these
  // routes take NDJSON, and take it as a stream.
  await app.register(async (scope) => {
    scope.addContentTypeParser(NDJSON, (_request, payload, done) => done(null, payload))
    scope.post(
      '/sweeps',
      {
        config: { auth: { roles: ['core-banking'] }, idempotency: 'required' },
        schema: {
          tags: ['checks'],
          summary: 'Core banking’s nightly sweep: many checks in one request, judged in bulk and stored before it is answered',
          description: `The body is NDJSON (\`${NDJSON}\`): one check per line, each exactly as \`POST /checks\` takes it, up to ${SWEEP_MAX_LINES.toLocaleString('en')} lines. Every line is judged by the same rules on one snapshot of the read model (its as-of is in the answer), and every verdict is stored with the line asked, in one transaction, before the answer. A line that cannot be judged (not JSON, a field refused, a branch not the caller's, a loan booked elsewhere) gets a REFUSED verdict naming the field, and the rest go on. The answer counts the outcomes and lists the first refusals; the verdicts stream from \`GET /sweeps/{id}/verdicts\`. A retry with the same Idempotency-Key and body answers the same sweep. Escalated lines open no escalation: core banking asks \`POST /checks\` before it acts on one.`,
          consumes: [NDJSON],
          response: {
            201: SweepSummaryView,
            400: problemResponse('No Idempotency-Key, or no line'),
            409: problemResponse('A sweep with this Idempotency-Key is under way'),
            413: problemResponse('More lines than a sweep holds'),
            415: problemResponse(`Not ${NDJSON}`),
            422: problemResponse('The Idempotency-Key was used for another body'),
          },
        },
      },
      async (request, reply) => {
        const key = request.idempotencyKey
        if (key === null) throw new AppError('idempotency_key_required')
        const body = request.body as unknown
        if (!(body instanceof Readable)) throw new AppError('unsupported_media_type', `A sweep is sent as ${NDJSON}`)
        const { sweep, replayed } = await runSweep(deps, { principal: request.principal, idempotencyKey: key, body })
        if (replayed) reply.header(REPLAYED_HEADER, 'true')
        return reply.code(201).header('location', `/sweeps/${sweep.sweepId}`).send(sweep)
      },
    )
  })

  app.get(
    '/sweeps/:id',
    {
      config: { auth: { roles: ['core-banking', 'risk', 'supervisor', 'admin'] } },
      schema: { tags: ['checks'], summary: 'A sweep’s summary: its outcomes, first refusals, policies and read-model as-of', params: Params, response: { 200: SweepSummaryView, 404: problemResponse('No such sweep for the caller') } },
    },
    async (request) => (await readable(ctx, request.principal, request.params.id)).summary,
  )

  app.get(
    '/sweeps/:id/verdicts',
    {
      config: { auth: { roles: ['core-banking', 'risk', 'supervisor', 'admin'] } },
      schema: {
        tags: ['checks'],
        summary: 'A sweep’s verdicts as NDJSON, one per line asked, in line order (staff see their branches’ lines)',
        params: Params,
        querystring: Type.Object({ outcome: Type.Optional(Type.Union([...GUARD_OUTCOMES, 'REFUSED'].map((o) => Type.Literal(o)))) }, { additionalProperties: false }),
        produces: [NDJSON],
        response: { 200: { description: 'One JSON document per line: line, loanId, branchId, outcome, the request as asked, and the verdict (rules, protections, policy, expiry) or the refusal', content: { [NDJSON]: { schema: Type.String() } } }, 404: problemResponse('No such sweep for the caller') },
      },
    },
    async (request, reply) => {
      const { summary } = await readable(ctx, request.principal, request.params.id)
      const branches = request.principal.roles.includes('core-banking') ? ('all' as const) : branchScopeOf(request.principal)
      const outcome = request.query.outcome
      async function* lines(): AsyncGenerator<string> {
        for (let after = 0; ; ) {
          const page = await sweepVerdictPage(ctx.db, summary.sweepId, after, PAGE, { outcome, branches })
          if (page.length === 0) return
          let text = ''
          for (const r of page) {
            text += `{"line":${r.line},"loanId":${JSON.stringify(r.loan_id)},"branchId":${JSON.stringify(r.branch_id)},"outcome":"${r.outcome}","request":${r.request},"verdict":${r.verdict ?? 'null'},"refusal":${r.refusal ?? 'null'}}\n`
          }
          yield text
          after = page.at(-1)!.line
        }
      }
      return reply.type(NDJSON).send(Readable.from(lines()))
    },
  )
}

async function readable(ctx: ServiceContext<GuardTables>, principal: Principal, id: string): Promise<{ summary: SweepSummary }> {
  const sweep = await sweepById(ctx.db, id)
  if (sweep === undefined || !mayRead(principal, sweep.caller)) throw new AppError('not_found', `no sweep ${id}`)
  return sweep
}
