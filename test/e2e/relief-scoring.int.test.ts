// End to end against the real PostgreSQL and Kafka: the relief service and the scoring
// service, each on its own schema of one database and sharing one Kafka namespace of this test's own.
import { randomUUID } from 'node:crypto'
import t from 'tap'
import { createPostgresDatabase, sql, type Database } from '@sme/data'
import { fromTransportMessage, KafkaTransport, newEvent, toTransportMessage, type CloudEvent, type ReceivedMessage } from '@sme/events'
import { buildService, migrateService, type BuiltService, type ServiceDefinition } from '@sme/kit'
import { ReliefDecided, ReliefDecidedV2, ScoreCompleted } from '@sme/contracts'
import { eventually, kafkaBrokers, requireEnv, testLogger, uniqueName, type Teardown } from '@sme/testing'
import { reliefService, type ReliefServiceOptions } from '@sme/relief'
import { scoringService } from '@sme/scoring'
// The relief test fixtures (tokens, application bodies, firm records) are reused as they are: an
// end-to-end test sits above every service and may use their fixtures, never the reverse.
import { AUTH, applicationBody, authHeader, clockFrom, healthyFirmRecords, newKey, scoreData, uscc } from '../../services/relief/test/helpers.js'

/** A namespace of the test's own on the shared cluster: topics and groups `<ns>.<name>`. */
const namespaceOf = (prefix: string) => uniqueName(prefix).replace('_', '-')

interface Platform {
  database: Database<any>
  relief: BuiltService
  reliefSchema: string
  scoring: BuiltService | undefined
  client: KafkaTransport
  /** Every event seen on relief.decisions.v1, relief.decisions.v2 and scoring.results.v1. */
  seen: CloudEvent<any>[]
}

/**
 * Starts relief (clock at 2020-06-15, Asia/Shanghai, moving with real time so timeouts elapse) and,
 * unless told otherwise, the scoring service, each with its own Kafka client; a watcher records the
 * decisions and scoring answers. Torn down in one place, in order.
 */
async function platform(t: Teardown, options: { scoring: boolean; relief?: ReliefServiceOptions }): Promise<Platform> {
  const namespace = namespaceOf('e2e')
  const database = createPostgresDatabase<any>({ connectionString: requireEnv('DATABASE_URL'), maxConnections: 20 })
  const kafka = () => new KafkaTransport({ brokers: kafkaBrokers(), clientId: 'relief-e2e', logger: testLogger(), namespace })
  const closers: (() => Promise<unknown>)[] = []
  t.teardown(async () => {
    for (const close of closers.reverse()) await close().catch(() => {})
    await database.close()
  })
  const start = async <DB>(definition: ServiceDefinition<DB>, now?: () => Date) => {
    await migrateService(database, definition)
    closers.push(() => sql`drop schema if exists ${sql.id(definition.schema)} cascade`.execute(database.db))
    const transport = kafka()
    closers.push(() => transport.close())
    const built = await buildService(definition, { database, transport, logger: testLogger(), auth: AUTH, relay: { pollIntervalMs: 100 }, ...(now ? { now } : {}) })
    closers.push(() => built.app.close())
    await built.startMessaging()
    return built
  }
  const reliefSchema = uniqueName('relief')
  const scoring = options.scoring ? await start({ ...scoringService(), schema: uniqueName('scoring') }) : undefined
  const relief = await start({ ...reliefService(options.relief), schema: reliefSchema }, clockFrom('2020-06-15T02:00:00Z'))
  const client = kafka()
  closers.push(() => client.close())
  const seen: CloudEvent<any>[] = []
  await client.ensureTopics([ReliefDecided.topic, ReliefDecidedV2.topic, ScoreCompleted.topic])
  const watcher = await client.subscribe({ groupId: uniqueName('watch'), topics: [ReliefDecided.topic, ReliefDecidedV2.topic, ScoreCompleted.topic], handle: async (m: ReceivedMessage) => void seen.push(fromTransportMessage(m)) })
  closers.push(() => watcher.stop())
  return { database, relief, reliefSchema, scoring, client, seen }
}

const count = async (database: Database<any>, schema: string, table: string, where: ReturnType<typeof sql>) =>
  Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(`${schema}.${table}`)} where ${where}`.execute(database.db)).rows[0]!.n)

t.test('submit → score → decision on relief.decisions.v1; replays and redeliveries double nothing', async (t) => {
  const p = await platform(t, { scoring: true })
  const firm = uscc(9001)
  const feed = await authHeader('core-banking', { sub: 'data-feed' })
  const ingest = await p.scoring!.app.inject({ method: 'POST', url: '/data-points/batch', headers: { ...feed, 'idempotency-key': 'seed' }, payload: { mode: 'all-or-nothing', records: healthyFirmRecords(firm) } })
  t.equal(ingest.statusCode, 200, 'the firm’s data is with the scoring service')

  const core = await authHeader('core-banking', { sub: 'core-fz', branches: ['*'] })
  const body = applicationBody('extension', { branchId: 'FZ01', uscc: firm })
  const key = newKey('e2e')
  const submit = () => p.relief.app.inject({ method: 'POST', url: '/applications', headers: { ...core, 'idempotency-key': key }, payload: body })
  const first = await submit()
  t.equal(first.statusCode, 202, 'accepted')
  const accepted = first.json()
  t.equal(accepted.status, 'awaiting-score')
  t.equal(accepted.applicationDate, '2020-06-15', 'dated on the Asia/Shanghai day of receipt')
  t.equal(accepted.answerBy, '2020-06-25', 'answer deadline from the bank parameters (10 days)')
  t.equal(first.headers.location, `/applications/${accepted.id}`)

  const decided = await eventually('the decision on relief.decisions.v1', () => p.seen.find((e) => e.type === ReliefDecided.type && e.data.applicationId === accepted.id), 45_000)
  t.equal(decided.subject, firm, 'keyed and subject by the USCC')
  t.match(decided.data, { outcome: 'APPROVED', decidedBy: 'rules', revision: 1, uscc: firm, branchId: 'FZ01', terms: { kind: 'extension', newMaturity: '2020-12-31' } })
  const v2 = await eventually('the same decision on relief.decisions.v2', () => p.seen.find((e) => e.type === ReliefDecidedV2.type && e.data.applicationId === accepted.id), 45_000)
  t.equal(v2.subject, body.loan.loanId, 'v2: keyed and subject by the loan')
  t.match(v2.data, { outcome: 'APPROVED', revision: 1, borrower: { kind: 'enterprise', uscc: firm } })
  const score = p.seen.find((e) => e.type === ScoreCompleted.type && e.data.correlationId === accepted.id)!
  t.ok(score, 'the scoring service answered the request')

  const view = (await p.relief.app.inject({ method: 'GET', url: `/applications/${accepted.id}`, headers: core })).json()
  t.equal(view.status, 'approved')
  t.equal(view.automatedDecision.scoring.scoreId, score.data.scoreId, 'the decision records the score it used')
  t.equal(view.automatedDecision.scoring.score, score.data.score)
  t.ok(view.automatedDecision.rules.length >= 8 && view.automatedDecision.rules.every((r: any) => r.text.zh && r.text.en && r.code), 'every rule with its reason code, zh and en')
  t.same(view.automatedDecision.policyVersions.map((v: any) => `${v.id}@${v.version}`), ['reference-data@1', 'bank-parameters@1', 'extension-art12@3'])
  // The score carries the size figures of the firm's feeds (12 monthly returns of CNY 1.5 million,
  // 48 insured); the application's (CNY 3 million, 20 staff) are within an order of magnitude.
  t.same(score.data.figures, { declaredRevenue12mFen: '1800000000', employees: 48, employeesMonth: '2020-05' }, 'the size figures the scored data shows')
  t.match(view.automatedDecision.rules.find((r: any) => r.rule === 'FIGURES_CONSISTENT'), { result: 'pass', code: 'RL_FIGURES_CONSISTENT', details: { revenueFenObserved: '1800000000', employeesObserved: '48' } })

  // Core banking retries with the same key: the same answer, nothing new.
  const replay = await submit()
  t.equal(replay.statusCode, 202)
  t.equal(replay.headers['idempotent-replayed'], 'true')
  t.same(replay.json(), accepted, 'the replay answers what the first call answered')

  // The scoring request is delivered again (same event), and re-sent under a new event id.
  const outboxRow = await p.database.db.withSchema(p.reliefSchema).selectFrom('outbox').selectAll().where('event_type', '=', 'sme.scoring.requested.v1').executeTakeFirstOrThrow()
  const request = { topic: outboxRow.topic, key: outboxRow.message_key, value: Buffer.from(JSON.stringify(outboxRow.payload)), headers: outboxRow.headers as Record<string, string> }
  await p.client.publish([request, request, { ...request, headers: { ...request.headers, ce_id: randomUUID() } }])
  // And the scoring answer arrives twice more: the same event again, and a copy under a new id.
  const copyId = randomUUID()
  await p.client.publish([toTransportMessage(ScoreCompleted.topic, firm, score), toTransportMessage(ScoreCompleted.topic, firm, { ...score, id: copyId })])

  await eventually('the copy under a new id is recorded as late', async () => (await count(p.database, p.reliefSchema, 'score_receipts', sql`application_id = ${accepted.id} and applied = false`)) === 1, 30_000)
  await new Promise((r) => setTimeout(r, 2_000))
  t.equal(await count(p.database, p.reliefSchema, 'applications', sql`loan_id = ${body.loan.loanId}`), 1, 'one application')
  t.equal(await count(p.database, p.reliefSchema, 'decisions', sql`application_id = ${accepted.id}`), 1, 'one decision')
  t.equal(await count(p.database, p.reliefSchema, 'outbox', sql`event_type = ${ReliefDecided.type}`), 1, 'one decision event in the outbox')
  t.equal(p.seen.filter((e) => e.type === ReliefDecided.type && e.data.applicationId === accepted.id).length, 1, 'one decision event on the topic')
  t.equal(p.seen.filter((e) => e.type === ScoreCompleted.type && e.data.correlationId === accepted.id && e.id !== score.id && e.id !== copyId).length, 0, 'the scoring service answered the redelivered requests with nothing new')
  t.equal(await count(p.database, p.scoring!.context.schema, 'scores', sql`correlation_id = ${accepted.id} and shadow = false`), 1, 'one score')
  t.equal(await count(p.database, p.relief.context.schema, 'score_receipts', sql`application_id = ${accepted.id}`), 2, 'two answers received: one applied, one late (the redelivered event itself was skipped by the inbox)')

  // A second application for a loan while one is undecided is refused, whatever the key.
  const other = applicationBody('extension', { branchId: 'FZ01', uscc: uscc(9002) })
  const a = await p.relief.app.inject({ method: 'POST', url: '/applications', headers: { ...core, 'idempotency-key': newKey() }, payload: other })
  const b = await p.relief.app.inject({ method: 'POST', url: '/applications', headers: { ...core, 'idempotency-key': newKey() }, payload: other })
  t.same([a.statusCode, b.statusCode], [202, 409], 'the same request under a new key while undecided: 409')

  // A firm whose tax returns show sixty times the revenue the application states: the size the
  // application implies is in doubt, and an officer looks at the statements.
  const big = uscc(9003)
  await p.scoring!.app.inject({ method: 'POST', url: '/data-points/batch', headers: { ...feed, 'idempotency-key': 'seed-big' }, payload: { mode: 'all-or-nothing', records: healthyFirmRecords(big) } })
  const understated = applicationBody('extension', { branchId: 'FZ01', uscc: big })
  const sent = await p.relief.app.inject({
    method: 'POST',
    url: '/applications',
    headers: { ...core, 'idempotency-key': newKey() },
    payload: { ...understated, enterprise: { ...understated.enterprise, revenueFen: '30000000' } },
  })
  t.equal(sent.statusCode, 202)
  const referred = await eventually('the understated firm is referred', async () => {
    const view = (await p.relief.app.inject({ method: 'GET', url: `/applications/${sent.json().id}`, headers: core })).json()
    return view.status === 'referred' ? view : undefined
  }, 45_000)
  t.same(referred.automatedDecision.reasons.map((r: any) => r.code), ['RL_FIGURES_IMPLAUSIBLE'], 'referred for the figures alone')
  t.match(referred.automatedDecision.scoring.figures, { revenue12mFen: '1800000000', employees: 48 }, 'the figures compared are kept with the decision')
})

t.test('the scoring service is not running: referred after the timeout, not stuck', async (t) => {
  const p = await platform(t, { scoring: false, relief: { scoringTimeoutMs: 1_000, sweepIntervalMs: 200 } })
  const core = await authHeader('core-banking', { sub: 'core-fz', branches: ['*'] })
  const firm = uscc(9101)
  const res = await p.relief.app.inject({ method: 'POST', url: '/applications', headers: { ...core, 'idempotency-key': newKey() }, payload: applicationBody('extension', { branchId: 'FZ01', uscc: firm }) })
  t.equal(res.statusCode, 202)
  const { id } = res.json()
  const started = Date.now()
  const view = await eventually('referred', async () => {
    const v = (await p.relief.app.inject({ method: 'GET', url: `/applications/${id}`, headers: core })).json()
    return v.status !== 'awaiting-score' ? v : undefined
  }, 15_000)
  t.equal(view.status, 'referred', `referred ${Date.now() - started} ms after submission`)
  t.equal(view.scoringStatus, 'timed-out')
  t.equal(view.automatedDecision.trigger, 'timeout')
  t.same(view.automatedDecision.reasons.map((r: any) => r.code), ['RL_SCORING_UNAVAILABLE'], 'with the reason: scoring unavailable')
  t.equal(view.automatedDecision.scoring.available, false)
  const queue = (await p.relief.app.inject({ method: 'GET', url: '/review-queue', headers: await authHeader('officer', { branches: ['FZ01'] }) })).json()
  t.ok(queue.applications.some((a: any) => a.id === id), 'in the branch’s review queue')
  t.equal(await count(p.database, p.reliefSchema, 'outbox', sql`event_type = ${ReliefDecided.type}`), 0, 'a referral is not published')

  // The score turns up late: recorded, the outcome stays.
  const late = newEvent({ source: '/sme-relief/scoring', type: ScoreCompleted.type, data: scoreData(id, firm, { score: 720, grade: 'A', pdPpm: 10_000, hardship: 'none' }) })
  await p.client.publish([toTransportMessage(ScoreCompleted.topic, firm, late)])
  await eventually('the late score recorded', async () => (await count(p.database, p.reliefSchema, 'score_receipts', sql`application_id = ${id}`)) === 1, 30_000)
  const after = (await p.relief.app.inject({ method: 'GET', url: `/applications/${id}`, headers: core })).json()
  t.equal(after.status, 'referred', 'still referred')
  t.equal(after.automatedDecision.trigger, 'timeout', 'the decision is the one made at the timeout')
  const audit = (await p.relief.app.inject({ method: 'GET', url: `/applications/${id}/audit`, headers: await authHeader('risk') })).json()
  t.same(audit.entries.map((e: any) => e.action), ['application.submitted', 'application.decided', 'score.late'])
})

t.test('a natural person’s application: decided at intake, on relief.decisions.v2 through Kafka, nothing asked of scoring', async (t) => {
  const p = await platform(t, { scoring: false })
  const core = await authHeader('core-banking', { sub: 'core-fz', branches: ['*'] })
  const { enterprise: _enterprise, ...loanAndRequest } = applicationBody('mandatory-deferral', { branchId: 'FZ01' })
  const body = { ...loanAndRequest, person: { borrowerId: `CB-E2E-${randomUUID().slice(0, 8)}`, role: 'individual-business', regionCode: '350100', businessLoan: true } }
  const res = await p.relief.app.inject({ method: 'POST', url: '/applications', headers: { ...core, 'idempotency-key': newKey('e2e-person') }, payload: body })
  t.equal(res.statusCode, 202, 'accepted')
  const accepted = res.json()
  t.equal(accepted.status, 'approved', '122号’s mandatory grant, decided at intake')
  const decided = await eventually('the decision on relief.decisions.v2', () => p.seen.find((e) => e.type === ReliefDecidedV2.type && e.data.applicationId === accepted.id), 45_000)
  t.equal(decided.subject, body.loan.loanId, 'subject: the loan, not the person')
  t.match(decided.data, { outcome: 'APPROVED', mandatory: true, borrower: { kind: 'person', borrowerId: body.person.borrowerId, role: 'individual-business' } })
  t.equal(await count(p.database, p.reliefSchema, 'outbox', sql`event_type = ${ReliefDecided.type} and payload->>'applicationId' = ${accepted.id}`), 0, 'nothing for v1, which requires a USCC')
  t.equal(await count(p.database, p.reliefSchema, 'outbox', sql`payload->>'correlationId' = ${accepted.id}`), 0, 'no scoring request')
})
