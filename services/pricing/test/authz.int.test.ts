// Authorization of every pricing route for every role (officers and core banking quote; admin keeps
// the reference data; readers read), branch scoping of quotes, and refused attempts recorded with
// who tried what.
import t from 'tap'
import type { Role, ServiceApp } from '@sme/kit'
import { eventually } from '@sme/testing'
import { authenticatedRoutes, authorizationOutcomes, routesOf, type CollectedRoute, type MatrixCall } from '@sme/testing/services'
import { pricingUnderTest, quoteBody } from './helpers.js'

const USCC = '91350100M000100Y43'
const READERS: Role[] = ['officer', 'supervisor', 'risk', 'admin', 'core-banking']

const MATRIX: Record<string, { allowed: Role[]; ok: number }> = {
  'POST /quotes': { allowed: ['officer', 'core-banking'], ok: 201 },
  'GET /quotes/:id': { allowed: READERS, ok: 200 },
  'POST /quotes/:id/accept': { allowed: ['officer', 'core-banking'], ok: 200 },
  'GET /reference-rates/lpr': { allowed: READERS, ok: 200 },
  'PUT /reference-rates/lpr/:effectiveDate': { allowed: ['admin'], ok: 200 },
  'GET /reference-rates/lpr/:effectiveDate/changes': { allowed: ['risk', 'admin'], ok: 200 },
  'GET /programmes': { allowed: READERS, ok: 200 },
  'POST /programmes': { allowed: ['admin'], ok: 201 },
  'POST /what-if': { allowed: ['risk', 'admin'], ok: 200 },
  'POST /programmes/:id/versions/:version/activate': { allowed: ['admin'], ok: 200 },
  'PUT /key-lists/:uscc': { allowed: ['admin'], ok: 204 },
  'GET /key-lists/:uscc': { allowed: READERS, ok: 200 },
  'POST /bridge-fees': { allowed: ['officer', 'core-banking'], ok: 200 },
}

t.test('Given each role, when it calls each route, then only the roles the matrix names may', async (t) => {
  let routes: CollectedRoute[] = []
  const s = await pricingUnderTest(t, {
    beforeRoutes: (app: ServiceApp) => {
      routes = routesOf(app)
    },
  })
  t.same(authenticatedRoutes(routes).sort(), Object.keys(MATRIX).sort(), 'the matrix lists every authenticated route of the service')
  const claims = (role: Role) => (role === 'officer' || role === 'core-banking' || role === 'supervisor' ? { branches: ['B001'] } : role === 'agency' ? { agency: 'AG-1' } : {})
  // A quote per call that needs one, made by core banking of the branch.
  const core = await s.auth('core-banking', { branches: ['B001'] })
  const author = await s.auth('admin', { sub: 'matrix-author' })
  let n = 0
  const newQuote = async () => (await s.app.inject({ method: 'POST', url: '/quotes', headers: { ...core, 'idempotency-key': `authz-${n++}` }, payload: quoteBody({ pricingDate: '2021-06-01', startDate: '2021-06-01' }) })).json().quoteId as string
  const call: Record<string, () => Promise<MatrixCall>> = {
    'POST /quotes': async () => ({ method: 'POST', url: '/quotes', payload: quoteBody({ pricingDate: '2021-06-01', startDate: '2021-06-01' }), headers: { 'idempotency-key': `authz-${n++}` } }),
    'GET /quotes/:id': async () => ({ method: 'GET', url: `/quotes/${await newQuote()}` }),
    'POST /quotes/:id/accept': async () => ({ method: 'POST', url: `/quotes/${await newQuote()}/accept` }),
    'GET /reference-rates/lpr': async () => ({ method: 'GET', url: '/reference-rates/lpr' }),
    'PUT /reference-rates/lpr/:effectiveDate': async () => ({ method: 'PUT', url: '/reference-rates/lpr/2019-08-20', payload: { effectiveDate: '2019-08-20', oneYearBp: 425, fiveYearBp: 485 } }),
    'GET /reference-rates/lpr/:effectiveDate/changes': async () => ({ method: 'GET', url: '/reference-rates/lpr/2019-08-20/changes' }),
    'GET /programmes': async () => ({ method: 'GET', url: '/programmes' }),
    'POST /what-if': async () => ({ method: 'POST', url: '/what-if', payload: { records: [bridgeFund(10_000 + ++n)] } }),
    'POST /programmes': async () => ({ method: 'POST', url: '/programmes', payload: { record: bridgeFund(++n) } }),
    // A draft added by another admin (its author may not activate it).
    'POST /programmes/:id/versions/:version/activate': async () => {
      const version = ++n
      const added = await s.app.inject({ method: 'POST', url: '/programmes', headers: author, payload: { record: bridgeFund(version) } })
      if (added.statusCode !== 201) throw new Error(added.body)
      return { method: 'POST', url: `/programmes/matrix-fund/versions/${version}/activate` }
    },
    'PUT /key-lists/:uscc': async () => ({ method: 'PUT', url: `/key-lists/${USCC}`, payload: { uscc: USCC, list: 'local', listedOn: '2020-02-03' } }),
    'GET /key-lists/:uscc': async () => ({ method: 'GET', url: `/key-lists/${USCC}?on=2020-03-01` }),
    'POST /bridge-fees': async () => ({ method: 'POST', url: '/bridge-fees', payload: { branchId: 'B001', amountFen: '100000000', committedRenewalFen: '100000000', from: '2020-03-20', until: '2020-03-28' } }),
  }
  const outcomes = await authorizationOutcomes(s, MATRIX, call, claims)
  for (const o of outcomes) t.equal(o.status, o.expected, `${o.route}, ${o.caller}: ${o.body}`)
  // Every refusal above was recorded, with who tried (written after the answer: wait for the last).
  const forbidden = outcomes.filter((o) => o.expected === 403).length
  const refusedRows = () => s.db.selectFrom('audit_log').select(['actor', 'details']).where('action', '=', 'attempt.refused').execute()
  await eventually('every refusal recorded', async () => (await refusedRows()).length >= forbidden || undefined, 10_000).catch(() => undefined)
  const refused = await refusedRows()
  t.equal(refused.length, forbidden, `each forbidden call is in the audit log: ${JSON.stringify(refused.map((r) => r.details)).slice(0, 600)}`)
  t.ok(refused.every((r) => r.actor.startsWith('authz-')), 'attributed to the caller')
})

t.test('Given another branch’s quote, when read or accepted, then 404 and the attempt is recorded', async (t) => {
  const s = await pricingUnderTest(t)
  const b1 = await s.auth('officer', { sub: 'officer-b1', branches: ['B001'] })
  const b2 = await s.auth('officer', { sub: 'officer-b2', branches: ['B002'] })
  const id = (await s.app.inject({ method: 'POST', url: '/quotes', headers: { ...b1, 'idempotency-key': 'b1' }, payload: quoteBody({ pricingDate: '2021-06-01', startDate: '2021-06-01' }) })).json().quoteId
  t.equal((await s.app.inject({ method: 'GET', url: `/quotes/${id}`, headers: b2 })).statusCode, 404)
  t.equal((await s.app.inject({ method: 'POST', url: `/quotes/${id}/accept`, headers: b2 })).statusCode, 404)
  t.equal((await s.app.inject({ method: 'GET', url: `/quotes/${id}`, headers: b1 })).json().status, 'open', 'not accepted by the other branch')
  // Recorded after each answer: wait for both.
  const refusedRows = () => s.db.selectFrom('audit_log').select(['actor', 'subject']).where('action', '=', 'attempt.refused').orderBy('id').execute()
  await eventually('both refusals recorded', async () => (await refusedRows()).length >= 2 || undefined, 10_000).catch(() => undefined)
  const refused = await refusedRows()
  t.same(refused, [
    { actor: 'officer-b2', subject: `quote:${id}` },
    { actor: 'officer-b2', subject: `quote:${id}` },
  ])
})

/** A bridge fund version (the smallest record) for the matrix's writes. */
function bridgeFund(version: number) {
  return {
    kind: 'bridge-fund',
    id: 'matrix-fund',
    version,
    effectiveFrom: '2020-01-01',
    effectiveTo: null,
    title: { zh: '过桥资金', en: 'Bridge fund' },
    source: 'tests',
    tiers: [{ throughDay: null, dailyPpm: 300 }],
    maxShareOfRenewalBp: 10_000,
    maxDays: null,
  }
}
