// Documents to follow (容缺办理) through the API, on the real PostgreSQL: a relief granted without
// documents lists them on the application; the branch records them as they come; an unknown name or
// an application without documents to follow is refused and nothing is written; the day after they
// were due, the service itself raises a follow-up (once), shown on the application and in the list,
// and the relief stands; documents all in before their day raise nothing.
import t from 'tap'
import { eventually } from '@sme/testing'
import { GOOD, applicationBody, decidedApplication, expectProblem, expectStatus, newKey, reliefUnderTest, uscc } from './helpers.js'

let clock = new Date('2020-06-15T02:00:00Z')

t.test('documents to follow', async (t) => {
  const s = await reliefUnderTest(t, { now: () => clock, service: { documentsCheckIntervalMs: 100 } })
  const officer = await s.auth('officer', { sub: 'officer-b1', branches: ['B1'] })
  const view = async (id: string) => expectStatus(t, await s.app.inject({ method: 'GET', url: `/applications/${id}`, headers: officer }), 200)
  const receive = (id: string, received: string[]) => s.app.inject({ method: 'POST', url: `/applications/${id}/documents`, headers: officer, payload: { received } })
  const documents = { outstanding: ['稳岗承诺书', '2020年一季度财务报表'], dueBy: '2020-07-15' }

  const granted = await decidedApplication(s, 'mandatory-deferral', GOOD, { branchId: 'B1', uscc: uscc(501), documents })
  const early = await decidedApplication(s, 'mandatory-deferral', GOOD, { branchId: 'B1', uscc: uscc(502), documents })
  const referred = await decidedApplication(s, 'extension', GOOD, { branchId: 'B1', uscc: uscc(503), documents })
  t.same([granted.status, early.status, referred.status], ['approved', 'approved', 'referred'], 'the mandatory grants stand without the documents; an extension is referred (no 容缺办理)')
  t.match((await view(referred.id)).automatedDecision.reasons, [{ code: 'RL_DOCUMENTS_MISSING' }])

  t.test('intake refuses a due day that is not after the application date, or a name twice, naming the field', async (t) => {
    const core = await s.auth('core-banking', { branches: ['*'] })
    const post = (body: object) => s.app.inject({ method: 'POST', url: '/applications', headers: { ...core, 'idempotency-key': newKey('docs') }, payload: body })
    const sameDay = expectProblem(t, await post(applicationBody('mandatory-deferral', { uscc: uscc(504), documents: { outstanding: ['a'], dueBy: '2020-06-15' } })), 422, { what: 'due on the application date' })
    t.same(sameDay.errors.map((e: { field: string }) => e.field), ['/body/documents/dueBy'])
    const twice = expectProblem(t, await post(applicationBody('mandatory-deferral', { uscc: uscc(505), documents: { outstanding: ['a', 'a'], dueBy: '2020-07-15' } })), 400, { what: 'a name twice' })
    t.ok(twice.errors.some((e: { field: string }) => e.field.startsWith('/body/documents/outstanding')), 'names the list')
  })

  t.test('the application lists them; the branch records them as they come', async (t) => {
    t.match((await view(granted.id)).documentsToFollow, { outstanding: documents.outstanding, dueBy: '2020-07-15', basis: 'mandatory grant', received: [], remaining: documents.outstanding, status: 'outstanding' })
    const one = expectStatus(t, await receive(granted.id, ['2020年一季度财务报表']), 200, 'one received')
    t.match(one, { remaining: ['稳岗承诺书'], status: 'outstanding', received: [{ name: '2020年一季度财务报表', receivedBy: 'officer-b1' }] })
    expectStatus(t, await receive(granted.id, ['2020年一季度财务报表']), 200, 'the same again: kept as first recorded')
    const unknown = expectProblem(t, await receive(granted.id, ['稳岗承诺书', '营业执照']), 422, { what: 'a document not owed' })
    t.same(unknown.errors.map((e: { field: string }) => e.field), ['/body/received/1'])
    t.same((await view(granted.id)).documentsToFollow.remaining, ['稳岗承诺书'], 'the refused request recorded nothing')
    expectProblem(t, await receive(referred.id, ['稳岗承诺书']), 409, { what: 'nothing to follow on a referral' })
    expectStatus(t, await receive(early.id, documents.outstanding), 200, 'all in before the day')
    const audit = await s.db.selectFrom('audit_log').select('details').where('application_id', '=', granted.id).where('action', '=', 'documents.received').execute()
    t.equal(audit.length, 1, 'one audit entry: the repeat recorded nothing')
  })

  t.test('the day after they were due, a follow-up; the relief stands', async (t) => {
    clock = new Date('2020-07-15T15:00:00Z') // 23:00 on the due day in Shanghai: not yet late
    await new Promise((r) => setTimeout(r, 400))
    t.same((await view(granted.id)).followUps, [], 'not on the due day')
    clock = new Date('2020-07-15T16:30:00Z') // 00:30 on 16 July in Shanghai
    const followUps = await eventually('the follow-up', async () => {
      const v = await view(granted.id)
      return v.followUps.length > 0 ? v : undefined
    }, 10_000)
    t.match(followUps.followUps, [{ reason: 'documents-overdue', eventId: 'documents-due:2020-07-15', details: { dueBy: '2020-07-15', remaining: '稳岗承诺书', count: 1 } }])
    t.equal(followUps.documentsToFollow.status, 'overdue')
    t.equal(followUps.finalDecision.outcome, 'APPROVED', 'the relief stands')
    await new Promise((r) => setTimeout(r, 400))
    const raised = await s.db.selectFrom('follow_ups').select(['application_id', 'reason']).execute()
    t.same(raised.map((r) => r.application_id), [granted.id], 'raised once, and not for the application whose documents all came in')
    const audit = await s.db.selectFrom('audit_log').select(['actor', 'details']).where('application_id', '=', granted.id).where('action', '=', 'follow-up.raised').execute()
    t.match(audit, [{ actor: 'system:documents-deadline', details: { reason: 'documents-overdue' } }])
    const listed = expectStatus(t, await s.app.inject({ method: 'GET', url: '/applications?followUp=true', headers: officer }), 200)
    t.same(listed.applications.map((a: { id: string }) => a.id), [granted.id])
    const late = expectStatus(t, await receive(granted.id, ['稳岗承诺书']), 200, 'received late')
    t.equal(late.status, 'complete')
  })
})
