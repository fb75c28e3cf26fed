// The guard is on core banking's hot path: it must keep answering when Kafka is away (its read model
// is local) and say how stale that model is, and it must fail closed with a 503 the caller can act on
// while PostgreSQL is away, then serve again by itself. Both faults are real: a Kafka broker of this
// test's own is stopped and started, and a PostgreSQL cluster of this test's own is stopped and
// started (the machine's shared server is never touched). The events come from a plain kafkajs
// producer, as core banking and relief would publish them.
import kafkajs from 'kafkajs'
import t from 'tap'
import { createPostgresDatabase, sql } from '@sme/data'
import { InProcessTransport, KafkaTransport } from '@sme/events'
import type { VerdictData } from '@sme/contracts'
import { eventually, localKafkaUnavailable, postgresBinaries, startLocalKafka, startPostgresCluster, testLogger, uniqueName } from '@sme/testing'
import { booked, checkBody, deferralDecision, firm, guardUnderTest, kafkaMessage } from './helpers.js'

const { Kafka, logLevel } = kafkajs
const kafkaMissing = await localKafkaUnavailable()
const postgresMissing = postgresBinaries() === undefined ? 'no PostgreSQL server binaries to run a cluster of our own' : undefined

t.test('Kafka stopped: checks go on answering from the local read model, readiness says since when it is stale, and it catches up when the broker is back', { skip: kafkaMissing ?? false, timeout: 300_000 }, async (t) => {
  const kafka = await startLocalKafka()
  t.teardown(() => kafka.destroy())
  const namespace = uniqueName('gf').replace(/_/g, '-').toLowerCase()
  const transport = new KafkaTransport({ brokers: kafka.brokers, clientId: 'guard-faults', logger: testLogger(), namespace })
  t.teardown(() => transport.close())
  const s = await guardUnderTest(t, { transport })
  const core = await s.auth('core-banking', { sub: 'core-banking-1', branches: ['*'] })

  const outside = new Kafka({ clientId: 'outside', brokers: kafka.brokers, logLevel: logLevel.NOTHING })
  const producer = outside.producer()
  await producer.connect()
  t.teardown(() => producer.disconnect().catch(() => {}))
  const send = (topic: string, messages: ReturnType<typeof kafkaMessage>[]) => producer.send({ topic: `${namespace}.${topic}`, messages })

  let n = 0
  const ask = async (body: Record<string, unknown>) => {
    const res = await s.app.inject({ method: 'POST', url: '/checks', headers: { ...core, 'idempotency-key': `faults-${n++}` }, payload: body })
    t.equal(res.statusCode, 201, 'the check is answered') || t.comment(res.body)
    return res.json<VerdictData>()
  }
  const ready = async () => {
    const res = await s.app.inject({ method: 'GET', url: '/health/ready' })
    return { status: res.statusCode, body: res.json<{ degraded?: string[]; checks: Record<string, { status: string; reason?: string }> }>() }
  }
  const unpublished = async () => (await sql<{ n: number }>`select count(*)::int as n from ${sql.id(s.schema)}.outbox where published_at is null`.execute(s.database.db)).rows[0]!.n

  const uscc = firm(9100)
  const loanId = 'CBS-F-1'
  await send('loans.events.v1', [kafkaMessage('core.loan.booked.v1', loanId, booked(loanId, uscc))])
  await send('relief.decisions.v2', [kafkaMessage('sme.relief.decided.v2', loanId, deferralDecision(loanId, uscc))])
  await eventually('the read model holds the decision', async () => (await s.db.selectFrom('reliefs').select('application_id').where('borrower_key', '=', `uscc:${uscc}`).executeTakeFirst()) ?? undefined, 60_000)
  // The booking comes by another consumer: the as-of compared below must not move between the checks.
  await eventually('the read model holds the booking', async () => (await s.db.selectFrom('loans').select('loan_id').where('loan_id', '=', loanId).executeTakeFirst()) ?? undefined, 60_000)
  await eventually('the read model is current', async () => ((await ready()).body.degraded === undefined ? true : undefined), 60_000)
  const before = await ask(checkBody(loanId, uscc))
  t.equal(before.outcome, 'BLOCK', 'protected by its deferral: blocked')

  const stoppedAt = new Date()
  await kafka.stop()
  const stale = await eventually('readiness reports the read model stale', async () => {
    const r = await ready()
    return r.body.degraded?.includes('read-model') ? r : undefined
  }, 120_000, 250)
  t.equal(stale.status, 200, 'still ready: the API serves from its local model')
  const since = /stale since (\S+)/.exec(stale.body.checks['read-model']?.reason ?? '')?.[1]
  t.ok(since !== undefined, `the readiness says since when (${stale.body.checks['read-model']?.reason})`)
  t.ok(since !== undefined && new Date(since).getTime() >= stoppedAt.getTime() - 1_000, 'since about when the broker went away')

  const during = await ask(checkBody(loanId, uscc))
  t.equal(during.outcome, 'BLOCK', 'the same answer from the same model')
  t.same(during.readModelAsOf, before.readModelAsOf, 'judged on what it held, and the verdict says so')
  const allowed = await ask(checkBody(loanId, uscc, { reasons: [{ code: 'fraud', evidence: [{ kind: 'investigation-report', ref: 'INV-F-1' }] }] }))
  t.equal(allowed.outcome, 'ALLOW', 'a justified action is still allowed')
  const stored = await s.db.selectFrom('verdicts').select('id').where('id', 'in', [during.verdictId, allowed.verdictId]).execute()
  t.equal(stored.length, 2, 'both verdicts stored durably')
  t.ok((await unpublished()) >= 2, 'their events wait in the outbox')

  await kafka.start()
  await eventually('the read model is current again, in the same process', async () => ((await ready()).body.degraded === undefined ? true : undefined), 180_000, 500)
  await eventually('the verdicts that waited are published', async () => ((await unpublished()) === 0 ? true : undefined), 60_000)
  const lateDecision = deferralDecision('CBS-F-2', firm(9101))
  await send('loans.events.v1', [kafkaMessage('core.loan.booked.v1', 'CBS-F-2', booked('CBS-F-2', firm(9101)))])
  await send('relief.decisions.v2', [kafkaMessage('sme.relief.decided.v2', 'CBS-F-2', lateDecision)])
  await eventually('a decision published after the outage reaches the model', async () => (await s.db.selectFrom('reliefs').select('application_id').where('application_id', '=', lateDecision.applicationId).executeTakeFirst()) ?? undefined, 60_000)
  t.equal((await ask(checkBody('CBS-F-2', firm(9101)))).outcome, 'BLOCK', 'and checks reflect it')
})

t.test('PostgreSQL stopped: the check fails closed with 503 and Retry-After, nothing is answered unstored, and it serves again by itself', { skip: postgresMissing ?? false, timeout: 120_000 }, async (t) => {
  const cluster = await startPostgresCluster()
  t.teardown(() => cluster.destroy())
  const database = createPostgresDatabase<any>({ connectionString: cluster.url, maxConnections: 6 })
  t.teardown(() => database.close())
  const transport = new InProcessTransport()
  t.teardown(() => transport.close())
  const s = await guardUnderTest(t, { database, transport })
  const core = await s.auth('core-banking', { sub: 'core-banking-1', branches: ['*'] })
  const uscc = firm(9200)
  const loanId = 'CBS-F-3'
  const check = (key: string) => s.app.inject({ method: 'POST', url: '/checks', headers: { ...core, 'idempotency-key': key }, payload: checkBody(loanId, uscc) })

  t.equal((await check('pg-before')).statusCode, 201, 'answered before the fault')

  await cluster.stop('immediate')
  const during = await check('pg-during')
  t.equal(during.statusCode, 503, 'the database is down: 503, not an answer it could not store')
  t.equal(during.headers['retry-after'], '5', 'with Retry-After')
  t.equal(during.json().code, 'service_unavailable')
  t.equal((await s.app.inject({ method: 'GET', url: '/health/ready' })).statusCode, 503, 'readiness says so')
  t.equal((await s.app.inject({ method: 'GET', url: '/health/live' })).statusCode, 200, 'the process is alive: nothing to restart')

  await cluster.start()
  const after = await eventually('checks are answered again', async () => {
    const res = await check('pg-during')
    return res.statusCode === 201 ? res : undefined
  }, 30_000)
  const verdict = after.json<VerdictData>()
  t.equal(verdict.outcome, 'ALLOW', 'the retry of the refused check is judged now (a firm the guard knows nothing of)')
  t.ok(await s.db.selectFrom('verdicts').select('id').where('id', '=', verdict.verdictId).executeTakeFirst(), 'and stored')
  t.equal((await check('pg-during')).json<VerdictData>().verdictId, verdict.verdictId, 'a second retry answers the same verdict')
  t.equal((await s.app.inject({ method: 'GET', url: '/health/ready' })).statusCode, 200, 'ready again, same process')
})
