// Who may call what (every route × every role, written out from the issue, never derived from the
// routes), and per object: an officer only their branches, an agency only its own claims. Refused
// attempts are audited with who tried.
import t from 'tap'
import type { Role, ServiceApp } from '@sme/kit'
import { eventually } from '@sme/testing'
import { authenticatedRoutes, authorizationOutcomes, routesOf, type CollectedRoute, type MatrixCall } from '@sme/testing/services'
import { agreementBody, ALL_DOCUMENTS, AGENCY_4222, BRANCH, claimsUnderTest, clock, loanBody, poolBody, poolClaimBody } from './helpers.js'

const BANK_PEOPLE: Role[] = ['officer', 'supervisor', 'risk', 'admin']
const MATRIX = {
  'GET /agreements': { allowed: ['officer', 'supervisor', 'risk', 'core-banking', 'agency', 'admin'] as Role[], ok: 200 },
  'POST /agreements': { allowed: ['admin'] as Role[], ok: 201 },
  'POST /agreements/:agreementId/versions/:version/activate': { allowed: ['admin'] as Role[], ok: 200 },
  'PUT /guaranteed-loans/:loanId': { allowed: ['core-banking'] as Role[], ok: 201 },
  'GET /guaranteed-loans/:loanId': { allowed: [...BANK_PEOPLE, 'core-banking'] as Role[], ok: 200 },
  'POST /guaranteed-loans/:loanId/demands': { allowed: ['officer', 'core-banking'] as Role[], ok: 201 },
  'GET /claims': { allowed: [...BANK_PEOPLE, 'core-banking', 'agency'] as Role[], ok: 200 },
  'GET /claims/aging': { allowed: [...BANK_PEOPLE, 'core-banking', 'agency'] as Role[], ok: 200 },
  'GET /portfolio': { allowed: [...BANK_PEOPLE, 'core-banking', 'agency'] as Role[], ok: 200 },
  'GET /claims/:claimId': { allowed: [...BANK_PEOPLE, 'core-banking', 'agency'] as Role[], ok: 200 },
  'POST /claims/:claimId/demand-outcome': { allowed: ['officer', 'core-banking'] as Role[], ok: 200 },
  'PUT /claims/:claimId/documents': { allowed: ['officer', 'core-banking'] as Role[], ok: 200 },
  'GET /claims/:claimId/eligibility': { allowed: [...BANK_PEOPLE, 'core-banking'] as Role[], ok: 200 },
  'POST /claims/:claimId/filing': { allowed: ['officer', 'core-banking'] as Role[], ok: 200 },
  'POST /claims/:claimId/reversion': { allowed: ['officer', 'core-banking'] as Role[], ok: 200 },
  'POST /claims/:claimId/answers': { allowed: ['agency'] as Role[], ok: 200 },
  'POST /claims/:claimId/recoveries': { allowed: ['officer', 'core-banking'] as Role[], ok: 200 },
  'POST /claims/:claimId/recoveries/:recoveryId/corrections': { allowed: ['officer', 'core-banking'] as Role[], ok: 200 },
  'POST /claims/:claimId/write-off': { allowed: ['officer'] as Role[], ok: 200 },
  'GET /pools': { allowed: [...BANK_PEOPLE, 'core-banking'] as Role[], ok: 200 },
  'POST /pools': { allowed: ['admin'] as Role[], ok: 201 },
  'POST /pools/:poolId/versions/:version/activate': { allowed: ['admin'] as Role[], ok: 200 },
  'POST /pool-claims': { allowed: ['officer', 'core-banking'] as Role[], ok: 201 },
  'GET /pool-claims': { allowed: [...BANK_PEOPLE, 'core-banking'] as Role[], ok: 200 },
  'GET /pool-claims/:poolClaimId': { allowed: [...BANK_PEOPLE, 'core-banking'] as Role[], ok: 200 },
  'POST /pool-claims/:poolClaimId/final-loss': { allowed: ['officer', 'core-banking'] as Role[], ok: 200 },
  'POST /pool-claims/:poolClaimId/payments': { allowed: ['officer', 'core-banking'] as Role[], ok: 200 },
}

t.test('Given each role, when it calls each route, then only the roles the matrix names may; other branches and agencies find nothing, and are recorded', async (t) => {
  let routes: CollectedRoute[] = []
  const c = clock('2020-06-15T02:00:00Z')
  const s = await claimsUnderTest(t, { now: c.now, startMessaging: false, beforeRoutes: (app: ServiceApp) => void (routes = routesOf(app)) })
  t.same(authenticatedRoutes(routes).sort(), Object.keys(MATRIX).sort(), 'the matrix lists every authenticated route of the service')
  const claims = (role: Role) => (role === 'officer' || role === 'core-banking' || role === 'supervisor' ? { branches: [BRANCH] } : role === 'agency' ? { agency: AGENCY_4222 } : {})
  const core = await s.auth('core-banking', { branches: [BRANCH] })
  const officer = await s.auth('officer', { branches: [BRANCH] })
  const agency = await s.auth('agency', { agency: AGENCY_4222 })

  let n = 0
  let version = 1
  // Another admin adds the drafts the callers activate (four eyes).
  const author = await s.auth('admin', { sub: 'admin-author' })
  const send = async (method: 'POST' | 'PUT', url: string, payload: object, headers: Record<string, string>) => {
    const res = await s.app.inject({ method, url, headers, payload })
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`)
    return res.json<any>()
  }
  const newLoan = async () => {
    const loanId = `CBS-Z-${++n}`
    await send('PUT', `/guaranteed-loans/${loanId}`, loanBody(), core)
    return loanId
  }
  type Stage = 'demanded' | 'draft' | 'documented' | 'filed' | 'paid' | 'recovered'
  const STAGES: Stage[] = ['demanded', 'draft', 'documented', 'filed', 'paid', 'recovered']
  const newClaim = async (stage: Stage): Promise<string> => {
    const loanId = await newLoan()
    const { claimId } = await send('POST', `/guaranteed-loans/${loanId}/demands`, { amountFen: '1000' }, officer)
    const steps: Record<Stage, () => Promise<unknown>> = {
      demanded: async () => undefined,
      draft: () => send('POST', `/claims/${claimId}/demand-outcome`, { outcome: 'claim' }, officer),
      documented: () => send('PUT', `/claims/${claimId}/documents`, { documents: ALL_DOCUMENTS }, officer),
      filed: () => send('POST', `/claims/${claimId}/filing`, { unpaidInterestFen: '0' }, officer),
      paid: async () => {
        await send('POST', `/claims/${claimId}/answers`, { kind: 'approved', responseId: `A-${claimId}`, loanId, answeredOn: '2020-06-15', amountFen: '80000000' }, agency)
        await send('POST', `/claims/${claimId}/answers`, { kind: 'paid', responseId: `P-${claimId}`, loanId, answeredOn: '2020-06-15', payerId: AGENCY_4222, amountFen: '80000000' }, agency)
      },
      recovered: () => send('POST', `/claims/${claimId}/recoveries`, { recoveryId: 'R1', amountFen: '100', source: 'the borrower' }, officer),
    }
    for (const st of STAGES.slice(0, STAGES.indexOf(stage) + 1)) await steps[st]()
    return claimId
  }
  const loanOf = async (claimId: string) => (await s.app.inject({ method: 'GET', url: `/claims/${claimId}`, headers: officer })).json<any>().claim.loanId as string

  const call: Record<string, () => Promise<MatrixCall>> = {
    'GET /agreements': async () => ({ method: 'GET', url: '/agreements' }),
    'POST /agreements': async () => ({ method: 'POST', url: '/agreements', payload: { agreement: agreementBody({ version: ++version, effectiveFrom: '2030-01-01' }) } }),
    'POST /agreements/:agreementId/versions/:version/activate': async () => {
      const v = ++version
      await send('POST', '/agreements', { agreement: agreementBody({ version: v, effectiveFrom: '2030-01-01' }) }, author)
      return { method: 'POST', url: `/agreements/ZJ-GUARANTEE-4222/versions/${v}/activate` }
    },
    'PUT /guaranteed-loans/:loanId': async () => ({ method: 'PUT', url: `/guaranteed-loans/CBS-N-${++n}`, payload: loanBody() }),
    'GET /guaranteed-loans/:loanId': async () => ({ method: 'GET', url: `/guaranteed-loans/${await newLoan()}` }),
    'POST /guaranteed-loans/:loanId/demands': async () => ({ method: 'POST', url: `/guaranteed-loans/${await newLoan()}/demands`, payload: { amountFen: '1000' } }),
    'GET /claims': async () => ({ method: 'GET', url: '/claims' }),
    'GET /claims/aging': async () => ({ method: 'GET', url: '/claims/aging' }),
    'GET /portfolio': async () => ({ method: 'GET', url: '/portfolio' }),
    'GET /claims/:claimId': async () => ({ method: 'GET', url: `/claims/${await newClaim('demanded')}` }),
    'POST /claims/:claimId/demand-outcome': async () => ({ method: 'POST', url: `/claims/${await newClaim('demanded')}/demand-outcome`, payload: { outcome: 'claim' } }),
    'PUT /claims/:claimId/documents': async () => ({ method: 'PUT', url: `/claims/${await newClaim('draft')}/documents`, payload: { documents: ALL_DOCUMENTS } }),
    'GET /claims/:claimId/eligibility': async () => ({ method: 'GET', url: `/claims/${await newClaim('draft')}/eligibility` }),
    'POST /claims/:claimId/filing': async () => ({ method: 'POST', url: `/claims/${await newClaim('documented')}/filing`, payload: { unpaidInterestFen: '0' } }),
    'POST /claims/:claimId/reversion': async () => ({ method: 'POST', url: `/claims/${await newClaim('filed')}/reversion`, payload: { reason: 'the borrower paid' } }),
    'POST /claims/:claimId/answers': async () => {
      const id = await newClaim('filed')
      return { method: 'POST', url: `/claims/${id}/answers`, payload: { kind: 'acknowledged', responseId: `K-${id}`, loanId: await loanOf(id), answeredOn: '2020-06-15' } }
    },
    'POST /claims/:claimId/recoveries': async () => ({ method: 'POST', url: `/claims/${await newClaim('paid')}/recoveries`, payload: { recoveryId: 'R1', amountFen: '100', source: 'the borrower' } }),
    'POST /claims/:claimId/recoveries/:recoveryId/corrections': async () => ({ method: 'POST', url: `/claims/${await newClaim('recovered')}/recoveries/R1/corrections`, payload: { amountFen: '90', reason: 'costs' } }),
    'POST /claims/:claimId/write-off': async () => ({ method: 'POST', url: `/claims/${await newClaim('paid')}/write-off`, payload: { basis: 'write-off-conditions-met' } }),
  }
  let poolVersion = 1
  const newPoolClaim = async () => (await send('POST', '/pool-claims', poolClaimBody({ loanId: `CBS-PC-${++n}` }), officer)).poolClaimId as string
  Object.assign(call, {
    'GET /pools': async () => ({ method: 'GET', url: '/pools' }),
    'POST /pools': async () => ({ method: 'POST', url: '/pools', payload: { pool: poolBody({ version: ++poolVersion }) } }),
    'POST /pools/:poolId/versions/:version/activate': async () => {
      const v = ++poolVersion
      await send('POST', '/pools', { pool: poolBody({ version: v }) }, author)
      return { method: 'POST', url: `/pools/ZJ-RISK-POOL-2020/versions/${v}/activate` }
    },
    'POST /pool-claims': async () => ({ method: 'POST', url: '/pool-claims', payload: poolClaimBody({ loanId: `CBS-PN-${++n}` }) }),
    'GET /pool-claims': async () => ({ method: 'GET', url: '/pool-claims' }),
    'GET /pool-claims/:poolClaimId': async () => ({ method: 'GET', url: `/pool-claims/${await newPoolClaim()}` }),
    'POST /pool-claims/:poolClaimId/final-loss': async () => ({ method: 'POST', url: `/pool-claims/${await newPoolClaim()}/final-loss`, payload: { lossFen: '5000000' } }),
    'POST /pool-claims/:poolClaimId/payments': async () => ({ method: 'POST', url: `/pool-claims/${await newPoolClaim()}/payments`, payload: { reference: 'P1', payer: 'ZJ-PROVINCE-FINANCE', amountFen: '100' } }),
  })
  const outcomes = await authorizationOutcomes(s, MATRIX, call, claims)
  for (const o of outcomes) t.equal(o.status, o.expected, `${o.route}, ${o.caller}: ${o.body}`)
  const refusedByRole = outcomes.filter((o) => o.expected === 403).length

  // Per object: another branch's officer, another agency.
  const id = await newClaim('filed')
  const otherOfficer = await s.auth('officer', { sub: 'officer-b002', branches: ['B002'] })
  const otherAgency = await s.auth('agency', { sub: 'agency-hz', agency: 'HZ-AGENCY-02' })
  const other = async (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: object) => (await s.app.inject({ method, url, headers, ...(payload ? { payload } : {}) })).statusCode
  t.equal(await other('GET', `/claims/${id}`, otherOfficer), 404, 'an officer of another branch does not see the claim')
  t.equal(await other('POST', `/claims/${id}/reversion`, otherOfficer, { reason: 'x' }), 404, 'nor revert it')
  t.equal(await other('GET', `/claims/${id}`, otherAgency), 404, 'another agency does not see it')
  t.equal(await other('POST', `/claims/${id}/answers`, otherAgency, { kind: 'acknowledged', responseId: 'HZ-X', loanId: await loanOf(id), answeredOn: '2020-06-15' }), 404, 'nor answer it')
  t.equal(await other('GET', `/claims/${id}`, await s.auth('supervisor', { branches: [BRANCH] })), 200, 'its branch’s supervisor sees it')
  const poolClaim = await newPoolClaim()
  t.equal(await other('GET', `/pool-claims/${poolClaim}`, otherOfficer), 404, 'another branch’s pool claim is not found')
  t.equal(await other('POST', `/pool-claims/${poolClaim}/final-loss`, otherOfficer, { lossFen: '1' }), 404, 'nor its loss recorded')
  t.equal(await other('POST', '/guaranteed-loans/CBS-Z-1/demands', otherOfficer, { amountFen: '1' }), 404, 'another branch’s loan is not found')
  const foreignCore = await s.auth('core-banking', { sub: 'cbs-b002', branches: ['B002'] })
  t.equal((await s.app.inject({ method: 'PUT', url: '/guaranteed-loans/CBS-Z-1', headers: foreignCore, payload: loanBody() })).statusCode, 403, 'core banking of another branch may not re-register it')

  const refusedRows = () => s.db.selectFrom('audit_log').select(['actor', 'subject']).where('action', '=', 'attempt.refused').execute()
  const expected = refusedByRole + 8
  await eventually('every refusal recorded', async () => (await refusedRows()).length >= expected || undefined, 10_000).catch(() => undefined)
  const refused = await refusedRows()
  t.equal(refused.length, expected, 'each refused call is in the audit log')
  t.ok(refused.some((r) => r.actor === 'agency-hz' && r.subject === `claim:${id}`), 'the other agency, with the claim')
  t.ok(refused.some((r) => r.actor === 'officer-b002' && r.subject === `claim:${id}`), 'the other branch’s officer, with the claim')
})
