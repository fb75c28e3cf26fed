// The application lists as an integrator pages through them: every application once, in a total
// order, however small the page and whatever arrives meanwhile; filters by USCC, loan, status and
// date range; a forged cursor refused naming the field; core banking sees its own branches only.
// Real PostgreSQL.
import t from 'tap'
import { ReliefDecided } from '@sme/contracts'
import { GOOD, POOR, applicationBody, authHeader, decidedApplication, expectProblem, expectStatus, newKey, outboxEvents, reliefUnderTest, uscc } from './helpers.js'

t.test('application lists: cursor pages, filters, branch scope', async (t) => {
  let clock = new Date('2020-06-15T02:00:00Z')
  const s = await reliefUnderTest(t, { now: () => clock })
  const risk = await authHeader('risk')
  const get = async (url: string, headers = risk) => expectStatus(t, await s.app.inject({ method: 'GET', url, headers }), 200, url)

  // Seven applications over three days in two branches; one more arrives while paging.
  const ids: string[] = []
  for (let i = 0; i < 7; i++) {
    clock = new Date(Date.parse('2020-06-15T02:00:00Z') + Math.floor(i / 3) * 86_400_000 + i * 1_000)
    const { id } = await decidedApplication(s, 'extension', i % 2 === 0 ? POOR : GOOD, { branchId: i < 5 ? 'B1' : 'B2', uscc: uscc(500 + i) })
    ids.push(id)
  }

  t.test('newest first, every application exactly once, pages of two', async (t) => {
    const seen: string[] = []
    let url = '/applications?limit=2'
    let pages = 0
    for (;;) {
      const page = await get(url)
      pages++
      t.ok(page.applications.length <= 2, 'no page longer than the limit')
      seen.push(...page.applications.map((a: { id: string }) => a.id))
      if (pages === 1) {
        // Arrives after the first page: newer than everything listed, so never on a later page.
        clock = new Date('2020-06-20T02:00:00Z')
        await decidedApplication(s, 'extension', GOOD, { branchId: 'B1', uscc: uscc(599) })
      }
      if (page.nextCursor === null) break
      url = `/applications?limit=2&cursor=${page.nextCursor}`
    }
    t.same(seen, [...ids].reverse(), 'all seven, newest first, none twice, none skipped')
    t.equal(pages, 4)
  })

  t.test('filters: USCC, loan, status, date range, overdue', async (t) => {
    t.same((await get(`/applications?uscc=${uscc(503)}`)).applications.map((a: { id: string }) => a.id), [ids[3]], 'by USCC')
    const one = (await get(`/applications/${ids[4]}`)).loanId
    t.same((await get(`/applications?loanId=${one}`)).applications.map((a: { id: string }) => a.id), [ids[4]], 'by loan id')
    const dated = (await get('/applications?from=2020-06-16&to=2020-06-16')).applications
    t.same(dated.map((a: { id: string }) => a.id), [ids[5], ids[4], ids[3]], 'by application date range (inclusive)')
    const referred = (await get('/applications?status=referred&limit=500')).applications
    t.ok(referred.length > 0 && referred.every((a: { status: string }) => a.status === 'referred'), 'by status')
    const queue = await get('/review-queue?limit=1')
    t.equal(queue.applications.length, 1)
    t.type(queue.nextCursor, 'string', 'the review queue pages too')
    const next = await get(`/review-queue?limit=500&cursor=${queue.nextCursor}`)
    t.notOk(next.applications.some((a: { id: string }) => a.id === queue.applications[0].id), 'the next page of the queue starts after the first')
  })

  t.test('a cursor this list did not issue is refused, naming the field', async (t) => {
    for (const cursor of ['bm90LWEtY3Vyc29y', Buffer.from(JSON.stringify(['2020-02-31T00:00:00.000Z', ids[0]])).toString('base64url'), Buffer.from(JSON.stringify(['x', 1])).toString('base64url')]) {
      const problem = expectProblem(t, await s.app.inject({ method: 'GET', url: `/applications?cursor=${cursor}`, headers: risk }), 400, { code: 'validation_failed', what: `cursor ${cursor}` })
      t.same(problem.errors.map((e: { field: string }) => e.field), ['/querystring/cursor'])
    }
    const urgency = (await get('/review-queue?limit=1')).nextCursor
    expectProblem(t, await s.app.inject({ method: 'GET', url: `/applications?cursor=${urgency}`, headers: risk }), 400, { code: 'validation_failed', what: 'a review-queue cursor on the newest-first list' })
  })

  t.test('core banking lists the applications of its branches, nobody else’s', async (t) => {
    const coreB2 = await authHeader('core-banking', { branches: ['B2'] })
    const listed = (await get('/applications?limit=500', coreB2)).applications
    t.same(listed.map((a: { id: string }) => a.id), [ids[6], ids[5]], 'B2 only')
    const submitted = await s.app.inject({ method: 'POST', url: '/applications', headers: { ...coreB2, 'idempotency-key': newKey() }, payload: applicationBody('extension', { branchId: 'B2', uscc: uscc(598) }) })
    expectStatus(t, submitted, 202, 'core banking submits for B2')
    t.ok((await get('/applications?limit=500', coreB2)).applications.some((a: { id: string }) => a.id === submitted.json().id), 'and finds it listed')
  })

  t.test('the decisions feed: relief.decisions.v1 over HTTP, branch by branch, oldest first', async (t) => {
    const published = (await outboxEvents(s, ReliefDecided.type))
    const coreB1 = await authHeader('core-banking', { branches: ['B1'] })
    const read: any[] = []
    let url = '/decisions/feed?limit=1'
    for (let n = 0; n < 100; n++) {
      const page = await get(url, coreB1)
      read.push(...page.events)
      t.type(page.nextCursor, 'string', 'always a cursor to read on')
      if (page.events.length === 0) break
      url = `/decisions/feed?limit=1&cursor=${page.nextCursor}`
    }
    const ofB1 = published.filter((e) => e.branchId === 'B1')
    t.ok(ofB1.length > 0, `${ofB1.length} decisions of B1 published`)
    t.same(read.map((e) => e.data), ofB1, 'exactly what was published for B1, in order')
    t.ok(read.every((e) => e.type === ReliefDecided.type && typeof e.id === 'string'), 'with the event id and type')
    const coreB2 = await authHeader('core-banking', { branches: ['B2'] })
    t.ok((await get('/decisions/feed?limit=500', coreB2)).events.every((e: any) => e.data.branchId === 'B2'), 'B2 reads B2 only')
  })

  t.test('policy versions page by cursor', async (t) => {
    const all = (await get('/policies?limit=500')).policies.map((p: { id: string; version: number }) => `${p.id}@${p.version}`)
    t.ok(all.length >= 5, `${all.length} policy versions`)
    const seen: string[] = []
    let url = '/policies?limit=2'
    for (let n = 0; n < 100; n++) {
      const page = await get(url)
      seen.push(...page.policies.map((p: { id: string; version: number }) => `${p.id}@${p.version}`))
      if (page.nextCursor === null) break
      url = `/policies?limit=2&cursor=${page.nextCursor}`
    }
    t.same(seen, all, 'every version once, in the same order')
  })
})
