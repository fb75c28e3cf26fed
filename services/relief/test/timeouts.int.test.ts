// No request left hanging, with several instances at once: sweepers of two instances and scoring
// answers racing them over the same applications decide each exactly once (FOR UPDATE SKIP LOCKED
// for the sweepers, FOR UPDATE for the consumer). Real PostgreSQL, in-process transport.
import t from 'tap'
import { ReliefDecided } from '@sme/contracts'
import { sql } from '@sme/data'
import { eventually, testLogger } from '@sme/testing'
import { PolicyCache } from '../src/use-cases/policies.js'
import { TimeoutSweeper } from '../src/use-cases/timeouts.js'
import { GOOD, applicationBody, decidedApplication, newKey, reliefUnderTest, sendScore, uscc, type ReliefUnderTest } from './helpers.js'
import { applicationStatements } from '../src/store/applications.js'

/** A sweeper as another instance runs one: 30 s timeout, swept only when the test says so. */
function sweeperOf(s: ReliefUnderTest, now: () => Date, batchSize?: number): TimeoutSweeper {
  const deps = { outbox: s.context.outbox, policies: new PolicyCache(), now, statements: applicationStatements(s.context.schema) }
  return new TimeoutSweeper({ db: s.db, deps, logger: testLogger(), timeoutMs: 30_000, intervalMs: 60_000, ...(batchSize ? { batchSize } : {}) })
}

t.test('two instances sweeping and the consumer deciding at once: each application decided exactly once', async (t) => {
  let clock = new Date('2020-06-15T02:00:00Z')
  const now = () => clock
  const s = await reliefUnderTest(t, { now })
  const core = await s.auth('core-banking', { branches: ['*'] })
  const ids: { id: string; firm: string }[] = []
  for (let i = 0; i < 60; i++) {
    const firm = uscc(7000 + i)
    const res = await s.app.inject({ method: 'POST', url: '/applications', headers: { ...core, 'idempotency-key': newKey() }, payload: applicationBody('extension', { uscc: firm, branchId: 'B1' }) })
    t.equal(res.statusCode, 202)
    ids.push({ id: res.json().id, firm })
  }
  // 31 s later: all of them are past the 30 s default timeout. Two sweepers (as two instances
  // would run them) in small batches, and scores arriving for every third application meanwhile.
  clock = new Date(clock.getTime() + 31_000)
  const sweeper = () => sweeperOf(s, now, 7)
  const [a, b] = [sweeper(), sweeper()]
  const scores = ids.filter((_, i) => i % 3 === 0).map(({ id, firm }) => sendScore(s.transport, id, firm, GOOD))
  const [byA, byB] = await Promise.all([a.sweep(), b.sweep(), ...scores])
  await Promise.all([a.stop(), b.stop()])
  await eventually('every scoring answer consumed', async () => {
    const n = await s.db.selectFrom('inbox').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
    return Number(n.n) === 20
  })
  const decisions = await s.db.selectFrom('decisions').select(['application_id', 'trigger']).execute()
  t.equal(decisions.length, 60, 'sixty decisions, one per application')
  t.equal(new Set(decisions.map((d) => d.application_id)).size, 60, 'no application decided twice')
  const byTimeout = decisions.filter((d) => d.trigger === 'timeout').length
  t.equal((byA as number) + (byB as number), byTimeout, `the sweepers decided ${byTimeout} (${byA} + ${byB}), the scores the rest`)
  t.ok((byA as number) > 0 && (byB as number) > 0, 'both instances took a share')
  const audit = await s.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).where('action', '=', 'application.decided').executeTakeFirstOrThrow()
  t.equal(Number(audit.n), 60, 'one decision entry each in the audit trail')
  const late = await s.db.selectFrom('score_receipts').select(['applied']).execute()
  t.equal(late.length, 20, 'every answer recorded, applied or late')
  t.equal(late.filter((r) => r.applied).length, 60 - byTimeout, 'the applied ones are exactly those the sweepers did not take')
  const still = await s.db.selectFrom('applications').select('id').where('status', '=', 'awaiting-score').execute()
  t.same(still, [], 'none left waiting')
})

t.test('a scoring failure refers the application at once, with the reason', async (t) => {
  const s = await reliefUnderTest(t, { now: () => new Date('2020-06-15T02:00:00Z') })
  const app = await decidedApplication(s, 'extension', 'failed', { uscc: uscc(7100) })
  t.equal(app.status, 'referred')
  const view = (await s.app.inject({ method: 'GET', url: `/applications/${app.id}`, headers: await s.auth('risk') })).json()
  t.equal(view.scoringStatus, 'failed')
  t.equal(view.automatedDecision.trigger, 'scoring-failed')
  t.same(view.automatedDecision.reasons.map((r: { code: string }) => r.code), ['RL_SCORING_UNAVAILABLE'])
  t.match(view.automatedDecision.scoring, { available: false, reason: 'scoring-failed', detail: /no-model/ })
  // The mandatory grant needs no score: decided (and published) even when scoring fails.
  const granted = await decidedApplication(s, 'mandatory-deferral', 'failed', { uscc: uscc(7101) })
  t.equal(granted.status, 'approved')
})

t.test('the scoring timeout counts from the request’s publication: an application whose request waited out a broker outage is not decided without a score', async (t) => {
  let clock = new Date('2020-06-15T02:00:00Z')
  const now = () => clock
  // Messaging not started: the broker is away, and the scoring request waits in the outbox.
  const s = await reliefUnderTest(t, { now, startMessaging: false })
  const core = await s.auth('core-banking', { branches: ['*'] })
  const res = await s.app.inject({ method: 'POST', url: '/applications', headers: { ...core, 'idempotency-key': newKey() }, payload: applicationBody('extension', { uscc: uscc(7200), branchId: 'B1' }) })
  t.equal(res.statusCode, 202)
  const id: string = res.json().id
  const sweeper = sweeperOf(s, now)
  t.teardown(() => sweeper.stop())
  const status = async () => (await s.db.selectFrom('applications').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status

  clock = new Date(clock.getTime() + 45_000)
  t.equal(await sweeper.sweep(), 0, '45 s after intake, the request still unpublished: scoring cannot have answered')
  t.equal(await status(), 'awaiting-score')

  // The outage lasted 40 s as the database saw it; then the broker came back and the request went out.
  await s.db.updateTable('outbox').set({ created_at: sql<Date>`created_at - interval '40 seconds'` }).execute()
  await s.startMessaging({ consumers: false })
  await eventually('the request published', async () => (await s.db.selectFrom('outbox').select('published_at').executeTakeFirstOrThrow()).published_at !== null || undefined)
  t.equal(await sweeper.sweep(), 0, '45 s after intake but only about 5 s after publication: still waiting')
  t.equal(await status(), 'awaiting-score')

  clock = new Date(clock.getTime() + 30_000)
  // This sweeper or the service's own (same rule, same clock) takes it: either way, once.
  await sweeper.sweep()
  t.equal(await eventually('decided', async () => ((await status()) === 'awaiting-score' ? undefined : status())), 'referred', 'more than 30 s after publication: decided without a score')
  const view = (await s.app.inject({ method: 'GET', url: `/applications/${id}`, headers: await s.auth('risk') })).json()
  t.match(view.automatedDecision, { trigger: 'timeout', scoring: { available: false, reason: 'timeout', detail: /within 30000 ms of the request's publication/ } })
})

t.test('a scoring request the broker refused (dead) never goes out: its application times out from intake', async (t) => {
  let clock = new Date('2020-06-15T02:00:00Z')
  const now = () => clock
  const s = await reliefUnderTest(t, { now, startMessaging: false })
  const core = await s.auth('core-banking', { branches: ['*'] })
  const res = await s.app.inject({ method: 'POST', url: '/applications', headers: { ...core, 'idempotency-key': newKey() }, payload: applicationBody('extension', { uscc: uscc(7201), branchId: 'B1' }) })
  t.equal(res.statusCode, 202)
  await s.db.updateTable('outbox').set({ dead_at: sql<Date>`now()`, last_error: 'the broker refused the messages: MESSAGE_TOO_LARGE' }).execute()
  const sweeper = sweeperOf(s, now)
  t.teardown(() => sweeper.stop())
  const id: string = res.json().id
  clock = new Date(clock.getTime() + 31_000)
  await sweeper.sweep()
  const status = async () => (await s.db.selectFrom('applications').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status
  t.equal(await eventually('decided', async () => ((await status()) === 'awaiting-score' ? undefined : status())), 'referred', 'referred to an officer rather than left waiting for a request that will never be sent')
})

t.test('a decision by the timeout sweeper continues the trace of the request that submitted the application', async (t) => {
  let clock = new Date('2020-06-15T02:00:00Z')
  const now = () => clock
  const s = await reliefUnderTest(t, { now, startMessaging: false })
  const core = await s.auth('core-banking', { branches: ['*'] })
  const traceId = '0af7651916cd43dd8448eb211c80319c'
  const submitted = `00-${traceId}-b7ad6b7169203331-01`
  // A mandatory deferral is final without a score, so the sweeper's decision is published.
  const res = await s.app.inject({ method: 'POST', url: '/applications', headers: { ...core, 'idempotency-key': newKey(), traceparent: submitted }, payload: applicationBody('mandatory-deferral', { uscc: uscc(7300), branchId: 'B1' }) })
  t.equal(res.statusCode, 202)
  const sweeper = sweeperOf(s, now)
  t.teardown(() => sweeper.stop())
  // Published at once: the timeout runs from here.
  await s.db.updateTable('outbox').set({ published_at: sql<Date>`created_at` }).execute()
  clock = new Date(clock.getTime() + 31_000)
  await sweeper.sweep()
  const decided = await eventually('the decision event', async () => s.db.selectFrom('outbox').select(['headers']).where('event_type', '=', ReliefDecided.type).executeTakeFirst())
  const traceparent = decided.headers.traceparent ?? ''
  t.match(traceparent, new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`), 'the same trace')
  t.not(traceparent, submitted, 'a span of its own')
  t.equal(decided.headers.ce_traceparent, traceparent, 'and in the CloudEvents attribute')
})
