// Authorization of every scoring route, table-driven: each role, no token and bad tokens. The
// expected matrix is written out here from the issue (services and officers score; only admin
// manages models; data providers ingest; agencies never read scores or data), not derived from the
// route configuration under test; a route missing from the table fails the test.
import t from 'tap'
import { mintToken, type Role } from '@sme/kit'
import { LoanBooked } from '@sme/contracts'
import { newEvent, toTransportMessage } from '@sme/events'
import { eventually } from '@sme/testing'
import { authenticatedRoutes, routesOf, type CollectedRoute } from '@sme/testing/services'
import { SECRET, expectProblem, expectStatus, healthyFirmRecords, invoiceRecord, newKey, postBatch, scoringUnderTest, uscc } from './helpers.js'

const now = () => new Date('2020-07-01T04:00:00Z')
const ROLES: Role[] = ['officer', 'supervisor', 'risk', 'core-banking', 'agency', 'admin']

interface Call {
  method: 'GET' | 'POST'
  url: string
  payload?: object
  headers?: Record<string, string>
}

/** Route → the roles that may call it, and the status an allowed caller gets for a valid request. */
const MATRIX: Record<string, { allowed: Role[]; ok: number }> = {
  'POST /data-points/batch': { allowed: ['core-banking', 'admin'], ok: 200 },
  'GET /enterprises/:uscc/data-points': { allowed: ['officer', 'supervisor', 'risk', 'admin'], ok: 200 },
  'POST /scores': { allowed: ['officer', 'supervisor', 'risk', 'core-banking', 'admin'], ok: 201 },
  'GET /scores/:id': { allowed: ['officer', 'supervisor', 'risk', 'core-banking', 'admin'], ok: 200 },
  'GET /enterprises/:uscc/scores': { allowed: ['officer', 'supervisor', 'risk', 'admin'], ok: 200 },
  'POST /scores/:id/replay': { allowed: ['risk', 'admin'], ok: 200 },
  'GET /models': { allowed: ['officer', 'supervisor', 'risk', 'admin'], ok: 200 },
  'GET /models/:id/versions/:version': { allowed: ['officer', 'supervisor', 'risk', 'admin'], ok: 200 },
  'POST /models': { allowed: ['admin'], ok: 201 },
}

t.test('authorization', async (t) => {
  // Every route the service registers (the kit's public probes, docs and metrics come before).
  let routes: CollectedRoute[] = []
  const s = await scoringUnderTest(t, {
    now,
    beforeRoutes: (app) => {
      routes = routesOf(app)
    },
  })

  t.same(authenticatedRoutes(routes).sort(), Object.keys(MATRIX).sort(), 'the matrix lists every authenticated route of the service')

  const firm = uscc(5001)
  expectStatus(t, await postBatch(s, healthyFirmRecords(firm)), 200, 'data for the firm')
  // The firm banks with branch B1 (as core banking's loan booking would have told; see the test below).
  await s.db.insertInto('firm_branches').values({ uscc: firm, branch_id: 'B1', since: now() }).execute()
  const scored = expectStatus(t, await s.app.inject({ method: 'POST', url: '/scores', headers: await s.auth('officer', { branches: ['B1'] }), payload: { uscc: firm, asOf: '2020-06-30' } }), 201, 'a score to read')
  const model = expectStatus(t, await s.app.inject({ method: 'GET', url: '/models/sme-general-default/versions/2020.1.0', headers: await s.auth('admin') }), 200, 'the default model')
  let seq = 0

  /** A valid request to each route, fresh for each call (idempotency keys, model versions). */
  const request: Record<string, () => Call> = {
    'POST /data-points/batch': () => ({ method: 'POST', url: '/data-points/batch', headers: { 'idempotency-key': newKey('authz') }, payload: { mode: 'all-or-nothing', records: [invoiceRecord(firm, '2020-06', String(++seq))] } }),
    'GET /enterprises/:uscc/data-points': () => ({ method: 'GET', url: `/enterprises/${firm}/data-points` }),
    'POST /scores': () => ({ method: 'POST', url: '/scores', payload: { uscc: firm, asOf: '2020-06-30' } }),
    'GET /scores/:id': () => ({ method: 'GET', url: `/scores/${scored.id}` }),
    'GET /enterprises/:uscc/scores': () => ({ method: 'GET', url: `/enterprises/${firm}/scores` }),
    'POST /scores/:id/replay': () => ({ method: 'POST', url: `/scores/${scored.id}/replay` }),
    'GET /models': () => ({ method: 'GET', url: '/models' }),
    'GET /models/:id/versions/:version': () => ({ method: 'GET', url: '/models/sme-general-default/versions/2020.1.0' }),
    'POST /models': () => ({ method: 'POST', url: '/models', payload: { ...model, id: 'authz-challenger', version: `v${++seq}`, role: 'challenger', effectiveTo: null } }),
  }
  const send = (call: Call, auth: Record<string, string>) =>
    s.app.inject({ method: call.method, url: call.url, headers: { ...auth, ...(call.headers ?? {}) }, ...(call.payload ? { payload: call.payload } : {}) })

  const issuer = { issuer: 'tests', audience: 'sme-relief' }
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
  const badCredentials: [string, () => Promise<Record<string, string>>][] = [
    ['no token', async () => ({})],
    ['a token signed with another secret', async () => bearer(await mintToken('another-secret-0123456789abcdef-xyz', { sub: 'mallory', roles: ['admin'] }, issuer))],
    ['an expired token', async () => bearer(await mintToken(SECRET, { sub: 'late', roles: ['admin'] }, { ...issuer, now: new Date(Date.now() - 3_600_000), expiresInSec: 60 }))],
    ['a token for another audience', async () => bearer(await mintToken(SECRET, { sub: 'elsewhere', roles: ['admin'] }, { ...issuer, audience: 'another-app' }))],
    ['a token from another issuer', async () => bearer(await mintToken(SECRET, { sub: 'elsewhere', roles: ['admin'] }, { ...issuer, issuer: 'someone-else' }))],
    ['a malformed bearer token', async () => ({ authorization: 'Bearer not-a-jwt' })],
    ['basic authentication', async () => ({ authorization: 'Basic YWRtaW46YWRtaW4=' })],
  ]

  for (const [route, { allowed, ok }] of Object.entries(MATRIX)) {
    t.test(route, async (t) => {
      for (const role of ROLES) {
        const res = await send(request[route]!(), await s.auth(role, { branches: ['B1'] }))
        if (allowed.includes(role)) {
          expectStatus(t, res, ok, `${role} may`)
        } else {
          const problem = expectProblem(t, res, 403, { code: 'forbidden', what: `${role} may not` })
          t.same(Object.keys(problem ?? {}).filter((k) => !['type', 'title', 'status', 'detail', 'instance', 'code', 'traceId'].includes(k)), [], `${role}: the refusal carries no data`)
        }
      }
      const unknownRole = await send(request[route]!(), bearer(await mintToken(SECRET, { sub: 'teller', roles: ['teller' as Role] }, issuer)))
      expectProblem(t, unknownRole, 403, { code: 'forbidden', what: 'a token with only an unknown role' })
      for (const [what, credentials] of badCredentials) {
        const res = await send(request[route]!(), await credentials())
        expectProblem(t, res, 401, { code: 'unauthenticated', what })
        t.match(String(res.headers['www-authenticate']), /^Bearer/, `${what}: WWW-Authenticate names the scheme`)
      }
    })
  }

  t.test('an agency never reads scores or enterprise data', async (t) => {
    const agency = await s.auth('agency', { agency: 'fujian-guarantee' })
    const calls: Call[] = [
      { method: 'GET', url: `/scores/${scored.id}` },
      { method: 'GET', url: `/enterprises/${firm}/scores` },
      { method: 'GET', url: `/enterprises/${firm}/scores?limit=1` },
      { method: 'GET', url: `/enterprises/${firm}/data-points` },
      { method: 'GET', url: `/enterprises/${firm}/data-points?includeSuperseded=true` },
      { method: 'POST', url: `/scores/${scored.id}/replay` },
      { method: 'POST', url: '/scores', payload: { uscc: firm, asOf: '2020-06-30' } },
      { method: 'GET', url: '/models/sme-general-default/versions/2020.1.0' },
    ]
    for (const call of calls) {
      const res = await send(call, agency)
      const problem = expectProblem(t, res, 403, { code: 'forbidden', what: `agency ${call.method} ${call.url}` })
      // Only the standard members; `instance` echoes the caller's own path, nothing else names the firm.
      t.same(Object.keys(problem ?? {}).sort(), ['code', 'detail', 'instance', 'status', 'title', 'traceId', 'type'], 'no extension members')
      t.notOk(String(problem?.detail).includes(firm) || String(problem?.detail).includes('dp_'), 'nothing about the firm in the detail')
    }
    // Not even combined with a role that ingests: data providers write, they do not read.
    const provider = bearer(await mintToken(SECRET, { sub: 'agency-feed', roles: ['agency', 'core-banking'], agency: 'fujian-guarantee' }, issuer))
    expectProblem(t, await send({ method: 'GET', url: `/enterprises/${firm}/data-points` }, provider), 403, { code: 'forbidden', what: 'agency + core-banking reading data points' })
    expectProblem(t, await send({ method: 'GET', url: `/enterprises/${firm}/scores` }, provider), 403, { code: 'forbidden', what: 'agency + core-banking reading score history' })
  })

  t.test('officers read the firms their branches serve, learnt from core banking’s loan bookings', async (t) => {
    const served = uscc(5002)
    expectStatus(t, await postBatch(s, healthyFirmRecords(served)), 200, 'data for a firm of B7')
    const officerB7 = await s.auth('officer', { sub: 'officer-b7', branches: ['B7'] })
    const officerB8 = await s.auth('officer', { sub: 'officer-b8', branches: ['B8'] })
    const coreB7 = await s.auth('core-banking', { sub: 'core-b7', branches: ['B7'] })
    expectProblem(t, await send({ method: 'GET', url: `/enterprises/${served}/data-points` }, officerB7), 404, { code: 'not_found', what: 'before any loan is booked, B7 does not serve it' })
    const booking = newEvent({
      source: '/core-banking/fz',
      type: LoanBooked.type,
      data: {
        eventId: 'CBS-LN-5002-1',
        loanId: 'LN-5002',
        sequence: 1,
        asOf: '2020-06-01T09:00:00+08:00',
        position: { outstandingPrincipalFen: '300000000', daysPastDue: 0, classification: 'normal', status: 'active' },
        borrower: { kind: 'enterprise', uscc: served },
        branchId: 'B7',
        product: 'working-capital',
        principalFen: '300000000',
        startDate: '2020-06-01',
        maturityDate: '2021-06-01',
        rateBp: 435,
        guarantee: { kind: 'none', guarantorId: null },
      },
    })
    await s.transport.publish([toTransportMessage(LoanBooked.topic, 'LN-5002', booking)])
    await eventually('the booking consumed', async () => ((await send({ method: 'GET', url: `/enterprises/${served}/data-points` }, officerB7)).statusCode === 200 ? true : undefined), 5_000, 20)
    const score = expectStatus(t, await send({ method: 'POST', url: '/scores', payload: { uscc: served, asOf: '2020-06-30' } }, officerB7), 201, 'an officer of B7 scores it')
    expectStatus(t, await send({ method: 'GET', url: `/scores/${score.id}` }, coreB7), 200, 'core banking for B7 reads the score')
    for (const call of [
      { method: 'GET' as const, url: `/enterprises/${served}/data-points` },
      { method: 'GET' as const, url: `/enterprises/${served}/scores` },
      { method: 'GET' as const, url: `/scores/${score.id}` },
      { method: 'POST' as const, url: '/scores', payload: { uscc: served, asOf: '2020-06-30' } },
    ]) {
      expectProblem(t, await send(call, officerB8), 404, { code: 'not_found', what: `an officer of B8: ${call.method} ${call.url}` })
    }
    expectStatus(t, await send({ method: 'GET', url: `/scores/${score.id}` }, await s.auth('risk')), 200, 'risk reads every firm')
  })

  t.test('the public probes need no token', async (t) => {
    expectStatus(t, await s.app.inject({ method: 'GET', url: '/health/live' }), 200, '/health/live')
  })
})
