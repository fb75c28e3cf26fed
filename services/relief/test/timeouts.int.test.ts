// No request left hanging, with several instances at once: sweepers of two instances and scoring
// answers racing them over the same applications decide each exactly once (FOR UPDATE SKIP LOCKED
// for the sweepers, FOR UPDATE for the consumer). Real PostgreSQL, in-process transport.
import t from 'tap'
import { eventually, testLogger } from '@sme/testing'
import { PolicyCache } from '../src/use-cases/policies.js'
import { TimeoutSweeper } from '../src/use-cases/timeouts.js'
import { GOOD, applicationBody, decidedApplication, newKey, reliefUnderTest, sendScore, uscc } from './helpers.js'
import { applicationStatements } from '../src/store/applications.js'

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
  const sweeper = () => new TimeoutSweeper({ db: s.db, deps: { outbox: s.context.outbox, policies: new PolicyCache(), now, statements: applicationStatements(s.context.schema) }, logger: testLogger(), timeoutMs: 30_000, intervalMs: 60_000, batchSize: 7 })
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
