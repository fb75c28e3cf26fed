// Officer review and authorization of every relief route, on the real PostgreSQL with the
// in-process transport (scoring answers are published on it as the scoring service would). The
// expected matrices are written out here from the issue, not derived from the route configuration
// under test; a route missing from the role matrix fails the test.
import t from 'tap'
import { authenticatedRoutes, routesOf, type CollectedRoute } from '@sme/testing/services'
import { mintToken, type Role } from '@sme/kit'
import { eventually } from '@sme/testing'
import { ReliefDecided } from '@sme/contracts'
import {
  AUTH,
  GOOD,
  POOR,
  SECRET,
  applicationBody,
  authHeader,
  decidedApplication,
  expectProblem,
  expectStatus,
  newKey,
  outboxEvents,
  reliefUnderTest,
  uscc,
  type Claims,
} from './helpers.js'

const ROLES: Role[] = ['officer', 'supervisor', 'risk', 'core-banking', 'agency', 'admin']
// Applications are received on 2020-06-15 (Asia/Shanghai); the clock stands still, so the timeout
// sweeper never fires here (it has its own test in e2e.int.test.ts) until the last subtest moves it.
let clock = new Date('2020-06-15T02:00:00Z')
const now = () => clock

/** Route → roles that may call it and the status an allowed caller gets for a valid request. */
const MATRIX: Record<string, { allowed: Role[]; ok: number }> = {
  'POST /applications': { allowed: ['core-banking', 'officer'], ok: 202 },
  'GET /applications': { allowed: ['officer', 'supervisor', 'risk', 'admin', 'core-banking'], ok: 200 },
  'GET /applications/:id': { allowed: ['officer', 'supervisor', 'risk', 'admin', 'core-banking'], ok: 200 },
  'GET /applications/:id/audit': { allowed: ['officer', 'supervisor', 'risk', 'admin'], ok: 200 },
  'GET /decisions/feed': { allowed: ['core-banking', 'officer', 'supervisor', 'risk', 'admin'], ok: 200 },
  'GET /decisions/feed/v2': { allowed: ['core-banking', 'officer', 'supervisor', 'risk', 'admin'], ok: 200 },
  'GET /review-queue': { allowed: ['officer', 'supervisor', 'risk', 'admin'], ok: 200 },
  'POST /applications/:id/proposals': { allowed: ['officer'], ok: 201 },
  'POST /applications/:id/proposals/:proposalId/confirm': { allowed: ['supervisor'], ok: 200 },
  'POST /applications/:id/proposals/:proposalId/reject': { allowed: ['supervisor'], ok: 200 },
  'POST /applications/:id/withdraw': { allowed: ['core-banking', 'officer'], ok: 200 },
  'POST /applications/:id/documents': { allowed: ['officer'], ok: 200 },
  'POST /applications/:id/replay': { allowed: ['risk', 'admin'], ok: 200 },
  'POST /what-if': { allowed: ['risk', 'admin'], ok: 200 },
  'GET /policies': { allowed: ['officer', 'supervisor', 'risk', 'admin'], ok: 200 },
  'GET /policies/calendar': { allowed: ['officer', 'supervisor', 'risk', 'admin'], ok: 200 },
  'GET /policies/calendar.csv': { allowed: ['officer', 'supervisor', 'risk', 'admin'], ok: 200 },
  'GET /register': { allowed: ['officer', 'supervisor', 'risk', 'admin'], ok: 200 },
  'GET /register.csv': { allowed: ['officer', 'supervisor', 'risk', 'admin'], ok: 200 },
  'POST /policies': { allowed: ['admin'], ok: 201 },
  'POST /policies/:id/versions/:version/activate': { allowed: ['admin'], ok: 200 },
}

/** Branch claims of each role in the matrix: everyone works for B1. */
const B1: Record<Role, Claims> = {
  officer: { branches: ['B1'] },
  supervisor: { branches: ['B1'] },
  risk: {},
  'core-banking': { branches: ['B1'] },
  agency: { agency: 'fujian-guarantee' },
  admin: {},
}

interface Call {
  method: 'GET' | 'POST'
  url: string
  payload?: object
  headers?: Record<string, string>
}

t.test('relief review and authorization', async (t) => {
  let routes: CollectedRoute[] = []
  const s = await reliefUnderTest(t, {
    now,
    beforeRoutes: (app) => {
      routes = routesOf(app)
    },
  })
  t.same(authenticatedRoutes(routes).sort(), Object.keys(MATRIX).sort(), 'the matrix lists every authenticated route of the service')
  const send = (call: Call, auth: Record<string, string>) =>
    s.app.inject({ method: call.method, url: call.url, headers: { ...auth, ...(call.headers ?? {}) }, ...(call.payload ? { payload: call.payload } : {}) })
  const as = (role: Role, claims: Claims = B1[role]) => authHeader(role, claims)

  // Applications of two branches, decided by the rules on the scores published for them.
  const referredB1 = await decidedApplication(s, 'extension', POOR, { branchId: 'B1', uscc: uscc(11) })
  const referredB2 = await decidedApplication(s, 'extension', POOR, { branchId: 'B2', uscc: uscc(12) })
  const mandatory = await decidedApplication(s, 'mandatory-deferral', POOR, { branchId: 'B1', uscc: uscc(13) })
  const declined = await decidedApplication(s, 'extension-beyond-cap', GOOD, { branchId: 'B1', uscc: uscc(14) })
  t.same([referredB1.status, referredB2.status, mandatory.status, declined.status], ['referred', 'referred', 'approved', 'declined'], 'the rules referred, granted (mandatory) and declined')

  t.test('intake: the key is required, money is a decimal string, the application must make sense', async (t) => {
    const core = await as('core-banking')
    const post = (payload: unknown, headers: Record<string, string> = { 'idempotency-key': newKey() }) => send({ method: 'POST', url: '/applications', headers, payload: payload as object }, core)
    const body = applicationBody('extension', { branchId: 'B1', uscc: uscc(90) })
    expectProblem(t, await post(body, {}), 400, { code: 'idempotency_key_required', what: 'no Idempotency-Key' })
    const asNumber = { ...body, loan: { ...body.loan, outstandingPrincipalFen: 300000000 } }
    const problem = expectProblem(t, await post(asNumber), 400, { code: 'validation_failed', what: 'fen as a JSON number' })
    t.ok(problem.errors.some((e: { field: string }) => e.field === '/body/loan/outstandingPrincipalFen'), 'names the field')
    expectProblem(t, await post({ ...body, loan: { ...body.loan, totalCreditFen: '12.50' } }), 400, { code: 'validation_failed', what: 'fen with a fraction' })
    expectProblem(t, await post({ ...body, enterprise: { ...body.enterprise, uscc: body.enterprise.uscc.toLowerCase() } }), 400, { code: 'validation_failed', what: 'a USCC outside the alphabet' })
    const late = expectProblem(t, await post({ ...body, loan: { ...body.loan, startDate: '2020-08-01' } }), 422, { code: 'unprocessable', what: 'maturity before the start' })
    t.ok(late.errors.some((e: { field: string }) => e.field === '/body/loan/maturityDate'), 'names the field')
    // Facts that cannot be true, and a code that identifies nobody, are refused at intake, naming the field.
    const mistyped = `${body.enterprise.uscc.slice(0, 17)}${body.enterprise.uscc.endsWith('0') ? '1' : '0'}`
    const wrongCode = await post({ ...body, enterprise: { ...body.enterprise, uscc: mistyped } })
    t.same(expectProblem(t, wrongCode, 422, { code: 'unprocessable', what: 'a USCC whose check character fails' }).errors.map((e: { field: string }) => e.field), ['/body/enterprise/uscc'])
    t.notOk(wrongCode.body.includes(mistyped), 'the problem does not repeat the code')
    const future = expectProblem(t, await post({ ...body, loan: { ...body.loan, startDate: '2021-01-04', maturityDate: '2022-01-04' }, request: { kind: 'extension', newMaturity: '2022-06-30' } }), 422, { code: 'unprocessable', what: 'a loan that starts next year' })
    t.same(future.errors.map((e: { field: string }) => e.field), ['/body/loan/startDate'])
    const key = newKey()
    expectStatus(t, await post(body, { 'idempotency-key': key }), 202, 'accepted')
    expectProblem(t, await post({ ...body, hardship: { declared: false, text: '' } }, { 'idempotency-key': key }), 422, { code: 'idempotency_key_reused', what: 'the key again with another body' })
    const n = await s.db.selectFrom('applications').select((eb) => eb.fn.countAll<string>().as('n')).where('loan_id', '=', body.loan.loanId).executeTakeFirstOrThrow()
    t.equal(Number(n.n), 1, 'one application stored; the refusals wrote nothing')
  })

  t.test('every route, every role', async (t) => {
    // The one proposal the supervisor may confirm, and a draft policy version the admin may activate.
    const forConfirm = await decidedApplication(s, 'extension', POOR, { branchId: 'B1', uscc: uscc(15) })
    const proposal = expectStatus(
      t,
      await send({ method: 'POST', url: `/applications/${forConfirm.id}/proposals`, payload: { outcome: 'APPROVED', reason: 'temporary shock, collateral sound' } }, await as('officer', { sub: 'maker', branches: ['B1'] })),
      201,
      'a proposal to confirm',
    )
    // One pending proposal the supervisor may reject; applications awaiting their score, one for each
    // withdrawal attempt (a withdrawn application cannot be withdrawn again).
    const forReject = await decidedApplication(s, 'extension', POOR, { branchId: 'B1', uscc: uscc(16) })
    const toReject = expectStatus(t, await send({ method: 'POST', url: `/applications/${forReject.id}/proposals`, payload: { outcome: 'DECLINED', reason: 'no' } }, await as('officer', { sub: 'maker', branches: ['B1'] })), 201, 'a proposal to reject')
    const awaiting: string[] = []
    for (let i = 0; i < 12; i++) {
      const res = await send({ method: 'POST', url: '/applications', headers: { 'idempotency-key': newKey('wd') }, payload: applicationBody('extension', { branchId: 'B1', uscc: uscc(700 + i) }) }, await as('core-banking'))
      awaiting.push(expectStatus(t, res, 202, 'an application to withdraw').id)
    }
    // A mandatory grant given without one document (容缺办理), which the branch then receives.
    const withDocuments = await decidedApplication(s, 'mandatory-deferral', GOOD, { branchId: 'B1', uscc: uscc(17), documents: { outstanding: ['稳岗承诺书'], dueBy: '2020-07-15' } })
    t.equal(withDocuments.status, 'approved', 'granted without the document')
    const bank = (await s.db.selectFrom('policy_versions').select('definition').where('record_id', '=', 'bank-parameters').where('version', '=', 1).executeTakeFirstOrThrow()).definition as Record<string, any>
    let policyVersion = 10
    // Added by another admin: its author may not activate it (four eyes).
    expectStatus(t, await send({ method: 'POST', url: '/policies', payload: { status: 'draft', policy: { ...bank, version: policyVersion } } }, await as('admin', { sub: 'policy-author' })), 201, 'a draft to activate')
    const request: Record<string, () => Call> = {
      'POST /applications': () => ({ method: 'POST', url: '/applications', headers: { 'idempotency-key': newKey('authz') }, payload: applicationBody('extension', { branchId: 'B1', uscc: uscc(20) }) }),
      'GET /applications': () => ({ method: 'GET', url: '/applications' }),
      'GET /applications/:id': () => ({ method: 'GET', url: `/applications/${referredB1.id}` }),
      'GET /applications/:id/audit': () => ({ method: 'GET', url: `/applications/${referredB1.id}/audit` }),
      'GET /review-queue': () => ({ method: 'GET', url: '/review-queue' }),
      'GET /decisions/feed': () => ({ method: 'GET', url: '/decisions/feed' }),
      'GET /decisions/feed/v2': () => ({ method: 'GET', url: '/decisions/feed/v2' }),
      'POST /applications/:id/proposals': () => ({ method: 'POST', url: `/applications/${referredB1.id}/proposals`, payload: { outcome: 'DECLINED', reason: 'structural decline confirmed' } }),
      'POST /applications/:id/proposals/:proposalId/confirm': () => ({ method: 'POST', url: `/applications/${forConfirm.id}/proposals/${proposal.proposal.id}/confirm` }),
      'POST /applications/:id/proposals/:proposalId/reject': () => ({ method: 'POST', url: `/applications/${forReject.id}/proposals/${toReject.proposal.id}/reject`, payload: { reason: 'the evidence does not support it' } }),
      'POST /applications/:id/withdraw': () => ({ method: 'POST', url: `/applications/${awaiting.pop()}/withdraw`, payload: { reason: 'the borrower repaid' } }),
      'POST /applications/:id/documents': () => ({ method: 'POST', url: `/applications/${withDocuments.id}/documents`, payload: { received: ['稳岗承诺书'] } }),
      'POST /applications/:id/replay': () => ({ method: 'POST', url: `/applications/${referredB1.id}/replay` }),
      'POST /what-if': () => ({ method: 'POST', url: '/what-if', payload: { drafts: [{ id: 'bank-parameters', version: 10 }], limit: 100 } }),
      'GET /policies': () => ({ method: 'GET', url: '/policies' }),
      'GET /policies/calendar': () => ({ method: 'GET', url: '/policies/calendar?from=2021-01-01&to=2021-12-31' }),
      'GET /policies/calendar.csv': () => ({ method: 'GET', url: '/policies/calendar.csv?from=2021-01-01&to=2021-12-31' }),
      'GET /register': () => ({ method: 'GET', url: '/register?from=2020-01&to=2021-12' }),
      'GET /register.csv': () => ({ method: 'GET', url: '/register.csv?from=2020-01&to=2021-12' }),
      'POST /policies': () => ({ method: 'POST', url: '/policies', payload: { status: 'draft', policy: { ...bank, version: ++policyVersion + 100 } } }),
      'POST /policies/:id/versions/:version/activate': () => ({ method: 'POST', url: '/policies/bank-parameters/versions/10/activate' }),
    }
    const issuer = { issuer: AUTH.issuer, audience: AUTH.audience }
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
    const badCredentials: [string, () => Promise<Record<string, string>>][] = [
      ['no token', async () => ({})],
      ['a token signed with another secret', async () => bearer(await mintToken('another-secret-0123456789abcdef-xyz', { sub: 'mallory', roles: ['admin'] }, issuer))],
      ['an expired token', async () => bearer(await mintToken(SECRET, { sub: 'late', roles: ['admin'] }, { ...issuer, now: new Date(Date.now() - 3_600_000), expiresInSec: 60 }))],
      ['a malformed bearer token', async () => ({ authorization: 'Bearer not-a-jwt' })],
    ]
    for (const [route, { allowed, ok }] of Object.entries(MATRIX)) {
      t.test(route, async (t) => {
        for (const role of ROLES) {
          const res = await send(request[route]!(), await as(role))
          if (allowed.includes(role)) expectStatus(t, res, ok, `${role} may`)
          else expectProblem(t, res, 403, { code: 'forbidden', what: `${role} may not` })
        }
        expectProblem(t, await send(request[route]!(), bearer(await mintToken(SECRET, { sub: 'teller', roles: ['teller' as Role] }, issuer))), 403, { code: 'forbidden', what: 'an unknown role' })
        for (const [what, credentials] of badCredentials) expectProblem(t, await send(request[route]!(), await credentials()), 401, { code: 'unauthenticated', what })
      })
    }
  })

  t.test('branch scoping: another branch’s application is out of reach on every route', async (t) => {
    const officerB1 = await as('officer', { sub: 'officer-b1', branches: ['B1'] })
    const officerB2 = await as('officer', { sub: 'officer-b2', branches: ['B2'] })
    const officerStar = await as('officer', { sub: 'officer-star', branches: ['*'] })
    const supervisorB2 = await as('supervisor', { sub: 'supervisor-b2', branches: ['B2'] })
    const coreB1 = await as('core-banking', { sub: 'core-b1', branches: ['B1'] })
    const coreB2 = await as('core-banking', { sub: 'core-b2', branches: ['B2'] })
    const coreAll = await as('core-banking', { sub: 'core-all', branches: ['*'] })
    const risk = await as('risk')
    const agency = await as('agency')
    const a = referredB1.id
    // A pending proposal by a B1 officer, for the confirmation attempts below.
    const pending = expectStatus(t, await send({ method: 'POST', url: `/applications/${a}/proposals`, payload: { outcome: 'APPROVED', reason: 'viable' } }, officerB1), 201, 'B1 officer proposes')
    const pid = pending.proposal.id
    const rows: [string, Call, Record<string, string>, number][] = [
      ['B2 officer reads it', { method: 'GET', url: `/applications/${a}` }, officerB2, 404],
      ['B2 officer records documents for it', { method: 'POST', url: `/applications/${a}/documents`, payload: { received: ['x'] } }, officerB2, 404],
      ['an officer claiming every branch reads it', { method: 'GET', url: `/applications/${a}` }, officerStar, 404],
      ['B2 supervisor reads it', { method: 'GET', url: `/applications/${a}` }, supervisorB2, 404],
      ['B2 core banking reads it', { method: 'GET', url: `/applications/${a}` }, coreB2, 404],
      ['an agency reads it', { method: 'GET', url: `/applications/${a}` }, agency, 403],
      ['B1 officer reads it', { method: 'GET', url: `/applications/${a}` }, officerB1, 200],
      ['B1 core banking reads it', { method: 'GET', url: `/applications/${a}` }, coreB1, 200],
      ['bank-wide core banking reads it', { method: 'GET', url: `/applications/${a}` }, coreAll, 200],
      ['risk reads it', { method: 'GET', url: `/applications/${a}` }, risk, 200],
      ['B2 officer reads its audit trail', { method: 'GET', url: `/applications/${a}/audit` }, officerB2, 404],
      ['B2 officer proposes on it', { method: 'POST', url: `/applications/${a}/proposals`, payload: { outcome: 'DECLINED', reason: 'x' } }, officerB2, 404],
      ['an officer claiming every branch proposes on it', { method: 'POST', url: `/applications/${a}/proposals`, payload: { outcome: 'DECLINED', reason: 'x' } }, officerStar, 404],
      ['B2 supervisor confirms on it', { method: 'POST', url: `/applications/${a}/proposals/${pid}/confirm` }, supervisorB2, 404],
      ['B2 officer submits for B1', { method: 'POST', url: '/applications', headers: { 'idempotency-key': newKey() }, payload: applicationBody('extension', { branchId: 'B1', uscc: uscc(30) }) }, officerB2, 403],
      ['B2 core banking submits for B1', { method: 'POST', url: '/applications', headers: { 'idempotency-key': newKey() }, payload: applicationBody('extension', { branchId: 'B1', uscc: uscc(31) }) }, coreB2, 403],
      ['B1 officer submits for B1', { method: 'POST', url: '/applications', headers: { 'idempotency-key': newKey() }, payload: applicationBody('extension', { branchId: 'B1', uscc: uscc(32) }) }, officerB1, 202],
    ]
    for (const [what, call, auth, status] of rows) {
      const res = await send(call, auth)
      if (status >= 400) {
        const problem = expectProblem(t, res, status, { what })
        t.notOk(JSON.stringify(problem).includes(uscc(11)), `${what}: the refusal names no customer`)
      } else expectStatus(t, res, status, what)
    }
    const still = await s.db.selectFrom('proposals').select(['status']).where('id', '=', pid).executeTakeFirstOrThrow()
    t.equal(still.status, 'pending', 'the refused attempts changed nothing')

    // Lists are filtered, never refused: each reader sees the branches of their token.
    const queue = async (auth: Record<string, string>, url = '/review-queue') => (expectStatus(t, await send({ method: 'GET', url }, auth), 200, `GET ${url}`).applications as { id: string; branchId: string }[])
    const ids = (list: { id: string }[]) => list.map((x) => x.id)
    t.ok(ids(await queue(officerB1)).includes(referredB1.id) && !ids(await queue(officerB1)).includes(referredB2.id), 'B1 officer’s queue: B1 only')
    t.ok(ids(await queue(officerB2)).includes(referredB2.id) && !ids(await queue(officerB2)).includes(referredB1.id), 'B2 officer’s queue: B2 only')
    t.same(await queue(officerStar), [], 'an officer claiming every branch sees nothing')
    t.ok((await queue(supervisorB2)).every((x) => x.branchId === 'B2'), 'B2 supervisor’s queue: B2 only')
    const riskQueue = ids(await queue(risk))
    t.ok(riskQueue.includes(referredB1.id) && riskQueue.includes(referredB2.id), 'risk sees every branch')
    t.ok((await queue(officerB2, '/applications')).every((x) => x.branchId === 'B2'), 'GET /applications: B2 only')
    t.ok((await queue(officerB1, '/review-queue?branchId=B2')).length === 0, 'asking for another branch by name yields nothing')
  })

  t.test('maker-checker: nobody confirms their own proposal; overturns need two people', async (t) => {
    const app = await decidedApplication(s, 'extension', POOR, { branchId: 'B1', uscc: uscc(40) })
    // One person holding both roles.
    const both = await authHeader('officer', { sub: 'chen', roles: ['officer', 'supervisor'], branches: ['B1'] })
    const p = expectStatus(t, await send({ method: 'POST', url: `/applications/${app.id}/proposals`, payload: { outcome: 'APPROVED', reason: 'viable' } }, both), 201, 'chen proposes')
    t.equal(expectProblem(t, await send({ method: 'POST', url: `/applications/${app.id}/proposals/${p.proposal.id}/confirm` }, both), 403, { code: 'forbidden', what: 'chen confirms his own proposal' }).reason, 'LC_OWN_PROPOSAL')
    const view = expectStatus(t, await send({ method: 'GET', url: `/applications/${app.id}` }, both), 200, 'still referred')
    t.equal(view.status, 'referred')
    t.equal(view.proposals[0].status, 'pending')
    const confirmTrace = '00-5c1f2b3a4d5e6f708192a3b4c5d6e7f8-1a2b3c4d5e6f7081-01'
    const done = expectStatus(t, await send({ method: 'POST', url: `/applications/${app.id}/proposals/${p.proposal.id}/confirm`, headers: { traceparent: confirmTrace } }, await as('supervisor', { sub: 'wang', branches: ['B1'] })), 200, 'wang confirms')
    t.equal(done.application.status, 'approved')
    t.equal(done.proposal.confirmedBy, 'wang')
    const events = (await outboxEvents(s, ReliefDecided.type)).filter((e) => e.applicationId === app.id)
    t.equal(events.length, 1, 'one decision published')
    t.match(events[0], { outcome: 'APPROVED', decidedBy: 'review', revision: 1, review: { proposalId: p.proposal.id, overturned: null }, terms: { kind: 'extension', newMaturity: '2020-12-31' } })
    t.equal(events[0].reasons[0].code, 'RV_APPROVED_ON_REVIEW')
    const published = await s.db.selectFrom('outbox').select(['headers', 'payload']).where('event_type', '=', ReliefDecided.type).execute()
    const mine = published.find((r) => (r.payload as { applicationId?: string }).applicationId === app.id)
    t.match(mine?.headers.traceparent, /^00-5c1f2b3a4d5e6f708192a3b4c5d6e7f8-[0-9a-f]{16}-01$/, 'the decision event continues the confirming request\'s trace')

    // The rules' decline rests on a hard rule (the extension's legal cap): review cannot approve it.
    const hard = expectProblem(t, await send({ method: 'POST', url: `/applications/${declined.id}/proposals`, payload: { outcome: 'APPROVED', reason: 'appeal: the guarantor consented to a longer term' } }, await as('officer', { sub: 'li', branches: ['B1'] })), 422, { code: 'unprocessable', what: 'li proposes to approve past the legal cap' })
    t.equal(hard.reason, 'LC_HARD_RULE')
    t.same(hard.rules, ['EXTENSION_CAP'], 'names the hard rule')
    t.equal((await s.db.selectFrom('proposals').select('id').where('application_id', '=', declined.id).execute()).length, 0, 'no proposal stored')

    // Overturning the rules' approval on judgement: proposed by one officer, confirmed by another person.
    const approved = await decidedApplication(s, 'extension', GOOD, { branchId: 'B1', uscc: uscc(41) })
    t.equal(approved.status, 'approved')
    const proposed = expectStatus(t, await send({ method: 'POST', url: `/applications/${approved.id}/proposals`, payload: { outcome: 'DECLINED', reason: 'the firm sold its premises last week' } }, await as('officer', { sub: 'li', branches: ['B1'] })), 201, 'li proposes an overturn')
    t.equal(proposed.proposal.overturns, 'APPROVED')
    const queue = expectStatus(t, await send({ method: 'GET', url: '/review-queue' }, await as('supervisor')), 200, 'the supervisor’s queue')
    t.match(queue.applications.find((a: any) => a.id === approved.id), { status: 'approved', pendingProposal: { id: proposed.proposal.id, outcome: 'DECLINED', proposedBy: 'li' } }, 'the overturn awaiting confirmation is in the queue')
    expectProblem(t, await send({ method: 'POST', url: `/applications/${approved.id}/proposals/${proposed.proposal.id}/confirm` }, await authHeader('supervisor', { sub: 'li', branches: ['B1'] })), 403, { code: 'forbidden', what: 'li confirms it himself (now as supervisor)' })
    expectStatus(t, await send({ method: 'POST', url: `/applications/${approved.id}/proposals/${proposed.proposal.id}/confirm` }, await as('supervisor', { sub: 'zhao', branches: ['B1'] })), 200, 'zhao confirms the overturn')
    const revisions = (await outboxEvents(s, ReliefDecided.type)).filter((e) => e.applicationId === approved.id)
    t.same(revisions.map((e) => [e.revision, e.outcome, e.decidedBy]), [[1, 'APPROVED', 'rules'], [2, 'DECLINED', 'review']], 'the rules’ approval, then the overturn')
    t.equal(revisions[1].review.overturned, 'APPROVED')
    t.equal(revisions[1].terms, null, 'a decline grants nothing')
    t.equal(expectProblem(t, await send({ method: 'POST', url: `/applications/${approved.id}/proposals`, payload: { outcome: 'APPROVED', reason: 'again' } }, await as('officer')), 409, { code: 'conflict', what: 'a decision on review is final' }).reason, 'LC_DECIDED_ON_REVIEW')

    // Refused attempts are recorded after their answer: read the trail once all six are in.
    const risk = await as('risk')
    const audit = await eventually('the audit trail complete', async () => {
      const trail = (await send({ method: 'GET', url: `/applications/${approved.id}/audit` }, risk)).json()
      return trail.entries.length >= 6 ? trail : undefined
    }, 5_000, 20)
    t.same(
      audit.entries.map((e: any) => [e.action, e.actor, e.action === 'attempt.refused' ? e.details.reason : null]),
      [
        ['application.submitted', 'test-core-banking', null],
        ['application.decided', 'system:relief-rules', null],
        ['proposal.created', 'li', null],
        ['attempt.refused', 'li', 'LC_OWN_PROPOSAL'],
        ['proposal.confirmed', 'zhao', null],
        ['attempt.refused', 'test-officer', 'LC_DECIDED_ON_REVIEW'],
      ],
      'who did what, and who tried what and was refused',
    )
    t.match(audit.entries[3].details, { status: 403, code: 'forbidden', route: '/applications/:id/proposals/:proposalId/confirm', roles: ['supervisor'] })
  })

  t.test('refused attempts are attributed: another branch, a forbidden role', async (t) => {
    const target = await decidedApplication(s, 'extension', POOR, { branchId: 'B1', uscc: uscc(42) })
    expectProblem(t, await send({ method: 'GET', url: `/applications/${target.id}` }, await as('officer', { sub: 'sun-b2', branches: ['B2'] })), 404, { code: 'not_found', what: 'an officer of B2 reads a B1 application' })
    expectProblem(t, await send({ method: 'POST', url: `/applications/${target.id}/proposals`, payload: { outcome: 'APPROVED', reason: 'x' } }, await as('risk', { sub: 'qian-risk' })), 403, { code: 'forbidden', what: 'risk proposes' })
    const trail = await eventually('both attempts recorded', async () => {
      const rows = await s.db.selectFrom('audit_log').selectAll().where('application_id', '=', target.id).where('action', '=', 'attempt.refused').orderBy('seq').execute()
      return rows.length >= 2 ? rows : undefined
    }, 5_000, 20)
    t.same(trail.map((r) => [r.actor, (r.details as { status: number }).status]), [['sun-b2', 404], ['qian-risk', 403]], 'who tried, and the answer they got')
  })

  t.test('a mandatory grant cannot be declined, by proposal or otherwise', async (t) => {
    const view = expectStatus(t, await send({ method: 'GET', url: `/applications/${mandatory.id}` }, await as('officer')), 200, 'the mandatory grant')
    t.equal(view.automatedDecision.mandatory, true)
    t.equal(view.automatedDecision.reasons[0].code, 'RL_MANDATORY_GRANT')
    t.equal(view.automatedDecision.terms.effects.penaltyInterestWaived, true, 'terms state the effects')
    t.equal(expectProblem(t, await send({ method: 'POST', url: `/applications/${mandatory.id}/proposals`, payload: { outcome: 'DECLINED', reason: 'weak score' } }, await as('officer')), 422, { code: 'unprocessable', what: 'proposing to decline it' }).reason, 'LC_MANDATORY_GRANT')
    expectProblem(t, await send({ method: 'POST', url: `/applications/${mandatory.id}/proposals`, payload: { outcome: 'APPROVED', reason: 'ok' } }, await as('officer')), 409, { code: 'conflict', what: 'proposing what it already is' })
    // Not even a proposal slipped into the table by hand gets through the confirmation.
    const forged = '00000000-0000-4000-8000-000000000001'
    await s.db.insertInto('proposals').values({ id: forged, application_id: mandatory.id, outcome: 'DECLINED', reason: 'forged', overturns: 'APPROVED', status: 'pending', application_version: (await s.db.selectFrom('applications').select('version').where('id', '=', mandatory.id).executeTakeFirstOrThrow()).version, proposed_by: 'x', proposed_at: now(), confirmed_by: null, confirmed_at: null }).execute()
    expectProblem(t, await send({ method: 'POST', url: `/applications/${mandatory.id}/proposals/${forged}/confirm` }, await as('supervisor')), 422, { code: 'unprocessable', what: 'confirming a decline' })
    const after = await s.db.selectFrom('applications').select(['status', 'final_outcome']).where('id', '=', mandatory.id).executeTakeFirstOrThrow()
    t.same(after, { status: 'approved', final_outcome: 'APPROVED' }, 'still granted')
  })

  t.test('two reviewers acting at once: exactly one wins', async (t) => {
    const officer = await as('officer', { sub: 'maker-2', branches: ['B1'] })
    const supA = await as('supervisor', { sub: 'checker-a', branches: ['B1'] })
    const supB = await as('supervisor', { sub: 'checker-b', branches: ['B1'] })
    for (let round = 0; round < 5; round++) {
      const app = await decidedApplication(s, 'extension', POOR, { branchId: 'B1', uscc: uscc(50 + round) })
      const p = expectStatus(t, await send({ method: 'POST', url: `/applications/${app.id}/proposals`, payload: { outcome: round % 2 ? 'DECLINED' : 'APPROVED', reason: 'r' } }, officer), 201, 'proposed')
      const url = `/applications/${app.id}/proposals/${p.proposal.id}/confirm`
      const results = await Promise.all([send({ method: 'POST', url }, supA), send({ method: 'POST', url }, supB)])
      t.same(results.map((r) => r.statusCode).sort(), [200, 409], `round ${round}: one confirmation wins, the other gets 409`)
      const events = (await outboxEvents(s, ReliefDecided.type)).filter((e) => e.applicationId === app.id)
      t.equal(events.length, 1, `round ${round}: one decision published`)
    }
    // A confirmation racing a new proposal: either the old proposal is confirmed (and the new one
    // refused) or superseded (and its confirmation refused); never both.
    const app = await decidedApplication(s, 'extension', POOR, { branchId: 'B1', uscc: uscc(60) })
    const first = expectStatus(t, await send({ method: 'POST', url: `/applications/${app.id}/proposals`, payload: { outcome: 'APPROVED', reason: 'r' } }, officer), 201, 'first proposal')
    const [confirmRes, proposeRes] = await Promise.all([
      send({ method: 'POST', url: `/applications/${app.id}/proposals/${first.proposal.id}/confirm` }, supA),
      send({ method: 'POST', url: `/applications/${app.id}/proposals`, payload: { outcome: 'DECLINED', reason: 'second thoughts' } }, await as('officer', { sub: 'maker-3', branches: ['B1'] })),
    ])
    t.ok((confirmRes.statusCode === 200) !== (proposeRes.statusCode === 201), `one of them won (confirm ${confirmRes.statusCode}, propose ${proposeRes.statusCode})`)
    // Acting on a stale view.
    const stale = await decidedApplication(s, 'extension', POOR, { branchId: 'B1', uscc: uscc(61) })
    const v = (await s.db.selectFrom('applications').select('version').where('id', '=', stale.id).executeTakeFirstOrThrow()).version
    t.equal(expectProblem(t, await send({ method: 'POST', url: `/applications/${stale.id}/proposals`, payload: { outcome: 'APPROVED', reason: 'r', applicationVersion: v - 1 } }, officer), 409, { code: 'conflict', what: 'a proposal on a stale version' }).reason, 'LC_STALE_VERSION')
  })

  let awaiting = ''
  t.test('nothing to review before the score', async (t) => {
    const res = await send({ method: 'POST', url: '/applications', headers: { 'idempotency-key': newKey() }, payload: applicationBody('extension', { branchId: 'B1', uscc: uscc(70) }) }, await as('core-banking'))
    const { id } = expectStatus(t, res, 202, 'submitted')
    awaiting = id
    expectProblem(t, await send({ method: 'POST', url: `/applications/${id}/proposals`, payload: { outcome: 'APPROVED', reason: 'r' } }, await as('officer')), 409, { code: 'conflict', what: 'a proposal while awaiting the score' })
    expectProblem(t, await send({ method: 'POST', url: `/applications/${id}/replay` }, await as('risk')), 409, { code: 'conflict', what: 'a replay before the decision' })
  })

  t.test('overdue applications are visible to the officers of their branch', async (t) => {
    const officerB1 = await as('officer', { sub: 'officer-b1', branches: ['B1'] })
    const officerB2 = await as('officer', { sub: 'officer-b2', branches: ['B2'] })
    const list = async (url: string, auth: Record<string, string>) => expectStatus(t, await send({ method: 'GET', url }, auth), 200, `GET ${url}`) as { asOf: string; applications: any[] }
    t.same((await list('/applications?overdue=true', officerB1)).applications, [], 'nothing is overdue on the day of receipt')
    // Twenty days on: every application still open is past its 10-day answer deadline (2020-06-25).
    clock = new Date('2020-07-05T02:00:00Z')
    const overdue = await list('/applications?overdue=true', officerB1)
    t.equal(overdue.asOf, '2020-07-05')
    t.ok(overdue.applications.length > 0 && overdue.applications.every((a) => a.overdue && a.branchId === 'B1' && ['awaiting-score', 'referred'].includes(a.status)), 'B1’s open applications, all overdue')
    t.ok(overdue.applications.some((a) => a.id === awaiting && a.status === 'awaiting-score'), 'including the one still waiting for its score')
    t.ok(overdue.applications.some((a) => a.status === 'referred'), 'and the referred ones')
    t.notOk(overdue.applications.some((a) => a.id === mandatory.id), 'never a final one')
    const b2 = await list('/applications?overdue=true', officerB2)
    t.ok(b2.applications.length > 0 && b2.applications.every((a) => a.branchId === 'B2'), 'B2 sees its own overdue applications only')
    t.ok((await list('/review-queue?overdue=true', officerB1)).applications.every((a) => a.status === 'referred' && a.overdue), 'the review queue, overdue only')
    t.ok((await list('/applications?overdue=false', officerB1)).applications.every((a) => !a.overdue), 'overdue=false: the others')
    t.ok((await list('/applications?status=approved', officerB1)).applications.every((a) => a.status === 'approved' && a.finalOutcome === 'APPROVED'), 'by status')

    // And to monitoring: the gauges agree with the lists (every branch).
    const admin = await as('admin')
    const all = (await list('/applications?overdue=true&limit=500', admin)).applications
    const metrics = (await s.app.inject({ method: 'GET', url: '/metrics' })).body
    const gauge = (name: string, status: string) => Number(new RegExp(`^${name}\\{status="${status}"[^}]*\\} (\\S+)$`, 'm').exec(metrics)?.[1])
    for (const status of ['awaiting-score', 'referred']) {
      t.equal(gauge('relief_applications_overdue', status), all.filter((a) => a.status === status).length, `relief_applications_overdue{status="${status}"}`)
      t.ok(gauge('relief_applications_open', status) >= gauge('relief_applications_overdue', status), `relief_applications_open{status="${status}"} counts them too`)
    }
    clock = new Date('2020-06-15T02:00:00Z')
    const today = (await s.app.inject({ method: 'GET', url: '/metrics' })).body
    t.match(today, /^relief_applications_overdue\{status="referred"[^}]*\} 0$/m, 'on the day of receipt nothing is overdue')
  })
})
