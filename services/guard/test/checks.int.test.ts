// The check at the edge, on the real PostgreSQL: what core banking may not ask (each refusal names the
// field, and writes nothing), who may call what (every route × every role, branch scoping), and the
// refused attempts recorded with who tried.
import t from 'tap'
import type { Role, ServiceApp } from '@sme/kit'
import { eventually } from '@sme/testing'
import { authenticatedRoutes, authorizationOutcomes, routesOf, type CollectedRoute, type MatrixCall } from '@sme/testing/services'
import { applyLoanEvent, applyReliefDecision } from '../src/store/read-model.js'
import { booked, checkBody, deferralDecision, firm, guardUnderTest } from './helpers.js'

const USCC = firm(9001)

t.test('refusals at the edge name the field and write nothing', async (t) => {
  const s = await guardUnderTest(t)
  const core = await s.auth('core-banking', { sub: 'cbs', branches: ['*'] })
  // Core banking booked CBS-E-1 to USCC at B001.
  await s.db.transaction().execute((tx) => applyLoanEvent(tx, booked('CBS-E-1', USCC), booked('CBS-E-1', USCC)))
  const cases: { name: string; body: Record<string, unknown>; status: number; field?: string }[] = [
    { name: 'an unknown reason code', body: checkBody('CBS-E-1', USCC, { reasons: [{ code: 'looks-risky', evidence: [] }] }), status: 422, field: '/body/reasons/0/code' },
    { name: 'a reason given twice', body: checkBody('CBS-E-1', USCC, { reasons: [{ code: 'fraud', evidence: [] }, { code: 'fraud', evidence: [] }] }), status: 422, field: '/body/reasons/1/code' },
    { name: 'an unknown kind of evidence', body: checkBody('CBS-E-1', USCC, { reasons: [{ code: 'fraud', evidence: [{ kind: 'rumour', ref: 'X1' }] }] }), status: 422, field: '/body/reasons/0/evidence/0/kind' },
    { name: 'a line reduced by no amount', body: checkBody('CBS-E-1', USCC, { action: 'reduce-line' }), status: 422, field: '/body/amountFen' },
    { name: 'a downgrade to no class', body: checkBody('CBS-E-1', USCC, { action: 'downgrade-classification' }), status: 422, field: '/body/targetClassification' },
    { name: 'a downgrade to normal', body: checkBody('CBS-E-1', USCC, { action: 'downgrade-classification', targetClassification: 'normal' }), status: 422, field: '/body/targetClassification' },
    { name: 'a class for another action', body: checkBody('CBS-E-1', USCC, { targetClassification: 'loss' }), status: 422, field: '/body/targetClassification' },
    { name: 'an action before any guard policy', body: checkBody('CBS-E-1', USCC, { actionDate: '2019-12-31' }), status: 422, field: '/body/actionDate' },
    { name: 'the loan of another borrower', body: checkBody('CBS-E-1', firm(9002)), status: 422, field: '/body/borrower' },
    { name: 'the loan at another branch', body: checkBody('CBS-E-1', USCC, { branchId: 'B002' }), status: 422, field: '/body/branchId' },
    { name: 'an unknown action', body: checkBody('CBS-E-1', USCC, { action: 'sell-the-loan' }), status: 400, field: '/body/action' },
    { name: 'a negative amount', body: checkBody('CBS-E-1', USCC, { action: 'reduce-line', amountFen: '-5' }), status: 400, field: '/body/amountFen' },
    { name: 'a date that does not exist', body: checkBody('CBS-E-1', USCC, { actionDate: '2021-02-29' }), status: 400, field: '/body/actionDate' },
    { name: 'a name in the requester', body: checkBody('CBS-E-1', USCC, { requestedBy: '张 三' }), status: 400, field: '/body/requestedBy' },
  ]
  let n = 0
  for (const c of cases) {
    const res = await s.app.inject({ method: 'POST', url: '/checks', headers: { ...core, 'idempotency-key': `edge-${n++}` }, payload: c.body })
    t.equal(res.statusCode, c.status, `${c.name}: ${res.statusCode}`)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
    if (c.field) t.ok(res.json().errors?.some((e: { field: string }) => e.field === c.field), `${c.name} names ${c.field}: ${res.body.slice(0, 300)}`)
  }
  const noKey = await s.app.inject({ method: 'POST', url: '/checks', headers: core, payload: checkBody('CBS-E-1', USCC) })
  t.equal(noKey.statusCode, 400, 'no Idempotency-Key')
  t.same(await s.db.selectFrom('verdicts').select('id').execute(), [], 'no verdict stored')
  t.same(await s.db.selectFrom('outbox').select('event_id').execute(), [], 'no event queued')
  const ok = await s.app.inject({ method: 'POST', url: '/checks', headers: { ...core, 'idempotency-key': 'edge-ok' }, payload: checkBody('CBS-E-1', USCC) })
  t.equal(ok.statusCode, 201, 'the same check, well asked, is answered')
  t.equal(ok.headers.location, `/checks/${ok.json().checkId}`)
  const read = await s.app.inject({ method: 'GET', url: ok.headers.location as string, headers: core })
  t.same(read.json().verdicts, [ok.json()], 'and reads back as answered')
})

const READERS: Role[] = ['core-banking', 'risk', 'supervisor', 'admin']
const MATRIX: Record<string, { allowed: Role[]; ok: number }> = {
  'POST /checks': { allowed: ['core-banking'], ok: 201 },
  'GET /checks/:id': { allowed: READERS, ok: 200 },
  'GET /reasons': { allowed: ['core-banking', 'officer', 'risk', 'supervisor', 'admin'], ok: 200 },
  'GET /read-model': { allowed: READERS, ok: 200 },
  'GET /escalations': { allowed: ['risk', 'supervisor', 'admin'], ok: 200 },
  'GET /escalations/:checkId': { allowed: ['risk', 'supervisor', 'admin', 'core-banking'], ok: 200 },
  'POST /escalations/:checkId/reviews': { allowed: ['risk'], ok: 200 },
  'GET /reports/verdicts': { allowed: ['supervisor', 'risk', 'admin'], ok: 200 },
  'GET /reports/verdicts.csv': { allowed: ['supervisor', 'risk', 'admin'], ok: 200 },
  'POST /sweeps': { allowed: ['core-banking'], ok: 201 },
  'GET /sweeps/:id': { allowed: READERS, ok: 200 },
  'GET /sweeps/:id/verdicts': { allowed: READERS, ok: 200 },
}

t.test('Given each role, when it calls each route, then only the roles the matrix names may; other branches are refused and recorded', async (t) => {
  let routes: CollectedRoute[] = []
  const s = await guardUnderTest(t, {
    beforeRoutes: (app: ServiceApp) => {
      routes = routesOf(app)
    },
  })
  t.same(authenticatedRoutes(routes).sort(), Object.keys(MATRIX).sort(), 'the matrix lists every authenticated route of the service')
  const claims = (role: Role) => (role === 'officer' || role === 'core-banking' || role === 'supervisor' ? { branches: ['B001'] } : role === 'agency' ? { agency: 'AG-1' } : {})
  const core = await s.auth('core-banking', { branches: ['B001'] })
  let n = 0
  const newCheck = async () => (await s.app.inject({ method: 'POST', url: '/checks', headers: { ...core, 'idempotency-key': `authz-${n++}` }, payload: checkBody('CBS-A-1', USCC) })).json().checkId as string
  // An escalated check per review: a relieved firm, a reason a risk officer must judge.
  let firms = 0
  const newEscalation = async () => {
    const uscc = firm(9500 + ++firms)
    const loanId = `CBS-A-E${firms}`
    await s.db.transaction().execute((tx) => applyReliefDecision(tx, deferralDecision(loanId, uscc)))
    const res = await s.app.inject({ method: 'POST', url: '/checks', headers: { ...core, 'idempotency-key': `authz-${n++}` }, payload: checkBody(loanId, uscc, { reasons: [{ code: 'non-epidemic-deterioration', evidence: [{ kind: 'financial-analysis', ref: 'FA-1' }] }] }) })
    return res.json().checkId as string
  }
  // A sweep of the system the matrix calls core banking as: its own sweeps are the ones it may read.
  const sweeper = await s.auth('core-banking', { sub: 'authz-core-banking', branches: ['B001'] })
  const sweepBody = `${JSON.stringify(checkBody('CBS-A-1', USCC))}\n`
  const newSweep = async () => (await s.app.inject({ method: 'POST', url: '/sweeps', headers: { ...sweeper, 'idempotency-key': `authz-${n++}`, 'content-type': 'application/x-ndjson' }, payload: sweepBody })).json().sweepId as string
  const call: Record<string, () => Promise<MatrixCall>> = {
    'POST /sweeps': async () => ({ method: 'POST', url: '/sweeps', payload: sweepBody, headers: { 'idempotency-key': `authz-${n++}`, 'content-type': 'application/x-ndjson' } }),
    'GET /sweeps/:id': async () => ({ method: 'GET', url: `/sweeps/${await newSweep()}` }),
    'GET /sweeps/:id/verdicts': async () => ({ method: 'GET', url: `/sweeps/${await newSweep()}/verdicts` }),
    'POST /checks': async () => ({ method: 'POST', url: '/checks', payload: checkBody('CBS-A-1', USCC), headers: { 'idempotency-key': `authz-${n++}` } }),
    'GET /checks/:id': async () => ({ method: 'GET', url: `/checks/${await newCheck()}` }),
    'GET /reasons': async () => ({ method: 'GET', url: '/reasons?on=2020-04-01' }),
    'GET /read-model': async () => ({ method: 'GET', url: '/read-model' }),
    'GET /escalations': async () => ({ method: 'GET', url: '/escalations' }),
    'GET /reports/verdicts': async () => ({ method: 'GET', url: '/reports/verdicts?from=2020-01-01&to=2020-12-31' }),
    'GET /reports/verdicts.csv': async () => ({ method: 'GET', url: '/reports/verdicts.csv?from=2020-01-01&to=2020-12-31' }),
    'GET /escalations/:checkId': async () => ({ method: 'GET', url: `/escalations/${await newEscalation()}` }),
    'POST /escalations/:checkId/reviews': async () => ({ method: 'POST', url: `/escalations/${await newEscalation()}/reviews`, payload: { outcome: 'BLOCK', reason: 'upheld' } }),
  }
  const outcomes = await authorizationOutcomes(s, MATRIX, call, claims)
  for (const o of outcomes) t.equal(o.status, o.expected, `${o.route}, ${o.caller}: ${o.body}`)
  const refusedByRole = outcomes.filter((o) => o.expected === 403).length
  // Branch scoping: core banking of B002 may not ask about B001's loan, a supervisor of B002 may not read its check.
  const otherCore = await s.auth('core-banking', { sub: 'cbs-b002', branches: ['B002'] })
  const foreign = await s.app.inject({ method: 'POST', url: '/checks', headers: { ...otherCore, 'idempotency-key': 'foreign-1' }, payload: checkBody('CBS-A-1', USCC) })
  t.equal(foreign.statusCode, 403, 'core banking of another branch may not ask')
  const id = await newCheck()
  const otherSupervisor = await s.auth('supervisor', { sub: 'sup-b002', branches: ['B002'] })
  t.equal((await s.app.inject({ method: 'GET', url: `/checks/${id}`, headers: otherSupervisor })).statusCode, 404, 'a supervisor of another branch does not see it')
  const ownSupervisor = await s.auth('supervisor', { sub: 'sup-b001', branches: ['B001'] })
  t.equal((await s.app.inject({ method: 'GET', url: `/checks/${id}`, headers: ownSupervisor })).statusCode, 200, 'its own branch’s supervisor does')
  // Every refusal recorded, with who tried (written after the answer: wait for the last).
  const forbidden = refusedByRole + 2
  const refusedRows = () => s.db.selectFrom('audit_log').select(['actor', 'subject', 'details']).where('action', '=', 'attempt.refused').execute()
  await eventually('every refusal recorded', async () => (await refusedRows()).length >= forbidden || undefined, 10_000).catch(() => undefined)
  const refused = await refusedRows()
  t.equal(refused.length, forbidden, `each refused call is in the audit log: ${JSON.stringify(refused.map((r) => r.details)).slice(0, 600)}`)
  t.ok(refused.some((r) => r.actor === 'sup-b002' && r.subject === `check:${id}`), 'the other branch’s supervisor, with the check')
  t.ok(refused.some((r) => r.actor === 'cbs-b002'), 'the other branch’s core banking')
})
