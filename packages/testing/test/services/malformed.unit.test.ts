import t from 'tap'
import { Type } from 'typebox'
import { createServiceApp, mintToken, PROBLEM_CONTENT_TYPE, type Role, type ServiceApp } from '@sme/kit'
import { testLogger } from '../../src/index.js'
import { injectOptionsFor, malformedPayloads, malformedRequests, routesOf, sampleOf, schemasOf, validRequestFor } from '../../src/services/index.js'

const AUTH = { secret: 'malformed-tests-secret-0123456789abcdef', issuer: 'https://idp.test.example', audience: 'sme-relief' }

async function bearer(roles: Role[], extra: { branches?: string[] } = {}): Promise<{ authorization: string }> {
  return { authorization: `Bearer ${await mintToken(AUTH.secret, { sub: 'tester', roles, ...extra }, { issuer: AUTH.issuer, audience: AUTH.audience })}` }
}

/** An app on the kit as services get it: HS256 auth, no process metrics. */
function testApp(options: { bodyLimit?: number } = {}): Promise<ServiceApp> {
  return createServiceApp({ name: 'malformed-test', version: '0.0.0', logger: testLogger(), auth: AUTH, defaultMetrics: false, ...options })
}

/** Money: integer fen as a decimal string (JSON numbers lose precision past 2^53). */
const Money = Type.String({ pattern: '^(0|[1-9][0-9]{0,17})$', description: 'amount in fen' })
const Uscc = Type.String({ pattern: '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$' })
const BranchId = Type.String({ pattern: '^BR-[0-9]{3}$' })
const LoanId = Type.String({ pattern: '^L-[0-9]{6}$' })
const IsoDate = Type.String({ format: 'date' })

const ReliefApplicationBody = Type.Object(
  {
    enterprise: Type.Object(
      {
        uscc: Uscc,
        name: Type.String({ minLength: 1, maxLength: 100 }),
        size: Type.Enum(['micro', 'small', 'medium']),
        employees: Type.Integer({ minimum: 0, maximum: 100000 }),
      },
      { additionalProperties: false },
    ),
    loan: Type.Object(
      {
        loanId: LoanId,
        principal: Money,
        outstanding: Money,
        maturityDate: IsoDate,
        rateBps: Type.Integer({ minimum: 0, maximum: 10000 }),
      },
      { additionalProperties: false },
    ),
    kind: Type.Enum(['extension', 'renewal', 'renewal_without_principal_repayment', 'deferral']),
    requestedTermMonths: Type.Integer({ minimum: 1, maximum: 36 }),
    reasons: Type.Array(Type.Enum(['epidemic_revenue_loss', 'supply_chain', 'receivables_delayed']), { minItems: 1, maxItems: 3, uniqueItems: true }),
    epidemicImpacted: Type.Boolean(),
    contact: Type.Optional(Type.Object({ phone: Type.String({ pattern: '^1[3-9][0-9]{9}$' }) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
)

const DeferralBody = Type.Object(
  {
    effectiveDate: IsoDate,
    schedule: Type.Array(
      Type.Object({ dueDate: IsoDate, principal: Money, interest: Money }, { additionalProperties: false }),
      { minItems: 1, maxItems: 12 },
    ),
    note: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
)

const validApplication = {
  enterprise: { uscc: '91350100M000100Y43', name: '福州某某制造有限公司', size: 'small', employees: 48 },
  loan: { loanId: 'L-000123', principal: '500000000', outstanding: '320000000', maturityDate: '2020-03-31', rateBps: 435 },
  kind: 'renewal_without_principal_repayment',
  requestedTermMonths: 12,
  reasons: ['epidemic_revenue_loss'],
  epidemicImpacted: true,
  contact: { phone: '13800000000' },
}

t.test('every malformed input is a 4xx problem naming the field; no handler runs', async (t) => {
  const bodyLimit = 64 * 1024
  const app = await testApp({ bodyLimit })
  const routes = routesOf(app)
  const written: unknown[] = []
  app.post(
    '/branches/:branchId/relief-applications',
    {
      config: { auth: { roles: ['officer', 'core-banking'] } },
      schema: {
        params: Type.Object({ branchId: BranchId }),
        body: ReliefApplicationBody,
        response: { 201: Type.Object({ id: Type.String() }) },
      },
    },
    async (request, reply) => {
      written.push(request.body)
      return reply.code(201).send({ id: 'RA-1' })
    },
  )
  app.post(
    '/loans/:loanId/deferrals',
    {
      config: { auth: { roles: ['officer', 'core-banking'] } },
      schema: {
        params: Type.Object({ loanId: LoanId }),
        querystring: Type.Object({ dryRun: Type.Optional(Type.Boolean()), version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
        body: DeferralBody,
        response: { 201: Type.Object({ id: Type.String() }) },
      },
    },
    async (request, reply) => {
      written.push(request.body)
      return reply.code(201).send({ id: 'DF-1' })
    },
  )
  t.teardown(() => app.close())
  await app.ready()

  const headers = await bearer(['core-banking'], { branches: ['*'] })
  const targets = routes.filter((r) => r.schema?.body !== undefined)
  t.equal(targets.length, 2, 'both routes collected with their schemas')

  const valid = {
    '/branches/:branchId/relief-applications': { body: validApplication, params: { branchId: 'BR-001' } },
    '/loans/:loanId/deferrals': { params: { loanId: 'L-000123' }, querystring: { version: '3' } },
  } as const

  let sent = 0
  for (const route of targets) {
    const options = { valid: valid[route.url as keyof typeof valid] }
    const cases = malformedRequests(schemasOf(route), options)
    t.ok(cases.length > 50, `${route.url}: ${cases.length} malformed requests`)
    t.ok(cases.some((c) => c.part === 'params'), 'params broken too')

    // The baseline request must succeed, or every refusal below would prove nothing.
    const baseline = validRequestFor(schemasOf(route), options)
    const ok = await app.inject(injectOptionsFor(route, baseline, headers))
    t.equal(ok.statusCode, 201, `${route.url}: valid request accepted`)
    written.length = 0

    for (const c of cases) {
      const res = await app.inject(injectOptionsFor(route, c, headers))
      sent++
      const label = `${route.url} ${c.name}`
      if (res.statusCode < 400 || res.statusCode >= 500) {
        t.fail(`${label}: status ${res.statusCode}`, { body: res.body })
        continue
      }
      if (res.headers['content-type'] !== PROBLEM_CONTENT_TYPE) {
        t.fail(`${label}: content-type ${res.headers['content-type']}`)
        continue
      }
      const problem = res.json() as { code: string; detail?: string; errors?: { field: string }[] }
      if (c.field !== undefined) {
        const field = c.field
        const named = problem.errors?.some((e) => e.field === field || e.field.startsWith(`${field}/`)) && problem.detail?.includes(field)
        if (!named) t.fail(`${label}: problem does not name ${field}`, { problem })
      } else if (problem.code === 'validation_failed') {
        if (!problem.errors?.[0]?.field.startsWith(`/${c.part}`)) t.fail(`${label}: no field named`, { problem })
      } else if (problem.code !== 'malformed_json') {
        t.fail(`${label}: unexpected code ${problem.code}`)
      }
    }

    for (const p of malformedPayloads({ bodyLimit })) {
      const res = await app.inject({
        method: 'POST',
        url: injectOptionsFor(route, baseline).url as string,
        ...(baseline.querystring ? { query: baseline.querystring } : {}),
        headers: { ...headers, ...p.headers },
        payload: p.payload,
      })
      sent++
      t.equal(res.statusCode, p.status, `${route.url} ${p.name}`)
      t.equal(res.json().code, p.code, `${route.url} ${p.name}`)
      t.equal(res.headers['content-type'], PROBLEM_CONTENT_TYPE, `${route.url} ${p.name}`)
    }
  }
  t.same(written, [], `no handler ran for any of ${sent} malformed requests`)
  t.ok(sent > 200)
})

t.test('generation is deterministic and only keeps what the schema refuses', async (t) => {
  const a = malformedRequests({ body: DeferralBody })
  const b = malformedRequests({ body: DeferralBody })
  t.same(a.map((c) => c.name), b.map((c) => c.name))
  t.ok(a.some((c) => c.field === '/body/schedule/0/principal' && c.name.includes('wrong type (integer 12345)')), 'a number where fen are expected')
  t.ok(a.some((c) => c.field === '/body/effectiveDate' && c.name.includes('2024-02-30')), 'impossible dates')
  t.ok(a.some((c) => c.field === '/body/schedule' && c.name.includes('maxItems')), 'oversize arrays')
  t.ok(a.some((c) => c.field === '/body/unexpectedProperty'), 'extra properties where forbidden')
  t.ok(a.some((c) => c.field === '/body' && c.name.includes('array instead of object')))
  t.ok(a.some((c) => c.name.startsWith('body: random document')), 'random documents')
  t.throws(() => malformedRequests({ body: DeferralBody }, { valid: { body: { effectiveDate: 'x' } } }), /does not satisfy/)
})

t.test('sampleOf synthesizes valid values, patterns included', async (t) => {
  const sample = sampleOf(ReliefApplicationBody) as typeof validApplication
  t.match(sample.enterprise.uscc, /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/)
  t.match(sample.loan.principal, /^(0|[1-9][0-9]{0,17})$/)
  t.equal(sample.loan.maturityDate, '2024-01-15')
  t.same(malformedRequests({ body: ReliefApplicationBody }).length > 0, true, 'synthesized sample validates')
})
