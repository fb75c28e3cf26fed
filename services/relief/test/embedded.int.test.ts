// Relief in embedded mode (PGlite and the in-process transport), as `npm start` runs it: an
// application accepted, decided on its score, and its decision read by core banking from the
// decisions feed, the way an integrator without a Kafka client learns outcomes.
import t from 'tap'
import { createPgliteDatabase } from '@sme/data'
import { ReliefDecided } from '@sme/contracts'
import { uniqueName } from '@sme/testing'
import { GOOD, authHeader, decidedApplication, expectStatus, reliefUnderTest, uscc } from './helpers.js'

t.test('embedded: intake, decision and the decisions feed on PGlite', async (t) => {
  const database = await createPgliteDatabase<any>()
  t.teardown(() => database.close())
  const s = await reliefUnderTest(t, { database, schema: uniqueName('relief-emb'), now: () => new Date('2020-06-15T02:00:00Z') })
  const decided = await decidedApplication(s, 'extension', GOOD, { branchId: 'B1', uscc: uscc(801) })
  t.equal(decided.status, 'approved', 'decided by the rules on its score')
  const core = await authHeader('core-banking', { branches: ['B1'] })
  const feed = expectStatus(t, await s.app.inject({ method: 'GET', url: '/decisions/feed', headers: core }), 200, 'the feed')
  t.equal(feed.events.length, 1)
  t.match(feed.events[0], { type: ReliefDecided.type, data: { applicationId: decided.id, outcome: 'APPROVED', branchId: 'B1' } })
  const next = expectStatus(t, await s.app.inject({ method: 'GET', url: `/decisions/feed?cursor=${feed.nextCursor}`, headers: core }), 200, 'polled again')
  t.same(next.events, [], 'nothing newer yet')
  t.equal(next.nextCursor, feed.nextCursor, 'the same cursor to poll with')
  const listed = expectStatus(t, await s.app.inject({ method: 'GET', url: `/applications?uscc=${uscc(801)}`, headers: core }), 200, 'listed by USCC')
  t.same(listed.applications.map((a: { id: string }) => a.id), [decided.id])
})
