// The protection read model follows relief, scoring and core banking's loan events, against the real
// PostgreSQL and a real Kafka broker, and checks reflect it. The producers are played by a plain
// kafkajs producer writing CloudEvents in binary mode as the AsyncAPI document describes them, and the
// verdicts are read back by a plain kafkajs consumer: nothing of ours on either side of the broker.
// Events come duplicated (the same envelope, and again under a new one) and out of order (a later
// revision before an earlier one, sequence 3 before sequence 2, an older score after a newer one).
import kafkajs from 'kafkajs'
import t from 'tap'
import { Compile } from 'typebox/compile'
import { GuardVerdictIssued, type VerdictData } from '@sme/contracts'
import { KafkaTransport } from '@sme/events'
import { eventually, kafkaBrokers, testLogger, uniqueName } from '@sme/testing'
import { booked, checkBody, deferralDecision, firm, guardUnderTest, kafkaMessage, overdue, scoreOf, type GuardUnderTest } from './helpers.js'

const { Kafka, logLevel } = kafkajs
const checkVerdict = Compile(GuardVerdictIssued.schema)

t.test('the read model follows the events core banking, relief and scoring publish, and checks reflect it', async (t) => {
  const namespace = uniqueName('guard').replace('_', '-')
  const transport = new KafkaTransport({ brokers: kafkaBrokers(), clientId: 'guard-read-model', logger: testLogger(), namespace })
  t.teardown(() => transport.close())
  const s = await guardUnderTest(t, { transport })
  const core = await s.auth('core-banking', { sub: 'core-banking-1', branches: ['*'] })

  const kafka = new Kafka({ clientId: 'outside', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING })
  const producer = kafka.producer()
  await producer.connect()
  t.teardown(() => producer.disconnect())
  const send = (topic: string, messages: ReturnType<typeof kafkaMessage>[]) => producer.send({ topic: `${namespace}.${topic}`, messages })

  const published: { key: string; type: string; data: VerdictData }[] = []
  const consumer = kafka.consumer({ groupId: `${namespace}-reader` })
  await consumer.connect()
  t.teardown(() => consumer.disconnect())
  await consumer.subscribe({ topic: `${namespace}.guard.verdicts.v1`, fromBeginning: true })
  await consumer.run({
    eachMessage: async ({ message: m }) => {
      published.push({ key: m.key!.toString(), type: m.headers!['ce_type']!.toString(), data: JSON.parse(m.value!.toString()) as VerdictData })
    },
  })

  let n = 0
  const ask = async (body: Record<string, unknown>) => {
    const res = await s.app.inject({ method: 'POST', url: '/checks', headers: { ...core, 'idempotency-key': `rm-${n++}` }, payload: body })
    if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`)
    return res.json<VerdictData>()
  }
  const inbox = (consumerName: string, ids: string[]) => s.db.selectFrom('inbox').select('event_id').where('consumer', '=', consumerName).where('event_id', 'in', ids).execute()

  await t.test('a firm the guard knows nothing of: allowed, and the as-of says nothing was seen', async (t) => {
    const v = await ask(checkBody('CBS-G-0', firm(8000)))
    t.equal(v.outcome, 'ALLOW')
    t.same(v.rules.map((r) => r.code), ['not-protected'])
    t.same(v.readModelAsOf, { relief: null, scoring: null, loans: null, keyLists: null })
    const out = await eventually('the verdict on Kafka', () => published.find((p) => p.data.verdictId === v.verdictId))
    t.equal(out.key, 'CBS-G-0', 'keyed by the loan')
    t.equal(out.type, 'sme.guard.verdict-issued.v1')
    t.ok(checkVerdict.Check(out.data), 'the payload meets the contract')
    t.same(out.data, v, 'the event is the verdict answered')
  })

  await t.test('an approved deferral, delivered twice and once more under a new envelope, protects the firm once', async (t) => {
    const uscc = firm(8001)
    const loanId = 'CBS-G-1'
    await send('loans.events.v1', [kafkaMessage('core.loan.booked.v1', loanId, booked(loanId, uscc))])
    const decision = deferralDecision(loanId, uscc)
    const envelope = kafkaMessage('sme.relief.decided.v2', loanId, decision)
    const again = kafkaMessage('sme.relief.decided.v2', loanId, decision)
    await send('relief.decisions.v2', [envelope, envelope, again])
    await eventually('both envelopes consumed', async () => (await inbox('guard.relief-decisions', [envelope.headers.ce_id, again.headers.ce_id])).length === 2 || undefined)
    const rows = await s.db.selectFrom('reliefs').select(['application_id', 'revision']).where('borrower_key', '=', `uscc:${uscc}`).execute()
    t.same(rows, [{ application_id: decision.applicationId, revision: 1 }], 'one decision held')
    const v = await ask(checkBody(loanId, uscc))
    t.equal(v.outcome, 'BLOCK', 'calling it early without a reason is blocked')
    t.same(v.protections, [{ basis: 'relief-decision', ref: `relief:${decision.applicationId}@1`, from: '2020-03-10', until: '2020-06-30', active: true }])
    t.equal(v.readModelAsOf.relief, '2020-03-10T02:00:00.000Z', 'the as-of names the decision seen')
    t.equal(v.readModelAsOf.loans, '2020-01-02T01:00:00.000Z', 'and the loan event seen')
    const fraud = await ask(checkBody(loanId, uscc, { reasons: [{ code: 'fraud', evidence: [{ kind: 'investigation-report', ref: 'INV-2020-17' }] }] }))
    t.equal(fraud.outcome, 'ALLOW', 'documented fraud justifies it')
  })

  await t.test('revisions out of order: a declined revision 2 ends the protection; revision 1 arriving after it changes nothing', async (t) => {
    const uscc = firm(8002)
    const loanId = 'CBS-G-2'
    const first = deferralDecision(loanId, uscc)
    const second = deferralDecision(loanId, uscc, { applicationId: first.applicationId, revision: 2, outcome: 'DECLINED' })
    const late = kafkaMessage('sme.relief.decided.v2', loanId, first)
    await send('relief.decisions.v2', [kafkaMessage('sme.relief.decided.v2', loanId, second), late])
    await eventually('revision 1 consumed after revision 2', async () => (await inbox('guard.relief-decisions', [late.headers.ce_id])).length === 1 || undefined)
    const v = await ask(checkBody(loanId, uscc))
    t.equal(v.outcome, 'ALLOW', 'the overturned approval protects nothing')
    t.same(v.rules.map((r) => r.code), ['not-protected'])
  })

  await t.test('loan events out of order: the position with the highest sequence holds, and a downgrade to its floor is allowed', async (t) => {
    const uscc = firm(8003)
    const loanId = 'CBS-G-3'
    await send('relief.decisions.v2', [kafkaMessage('sme.relief.decided.v2', loanId, deferralDecision(loanId, uscc))])
    const stale = kafkaMessage('core.loan.overdue-days-changed.v1', loanId, overdue(loanId, 2, 10))
    await send('loans.events.v1', [kafkaMessage('core.loan.overdue-days-changed.v1', loanId, overdue(loanId, 3, 95)), stale, kafkaMessage('core.loan.booked.v1', loanId, booked(loanId, uscc))])
    await eventually('the booking applied late', async () => (await s.db.selectFrom('loans').select('borrower_key').where('loan_id', '=', loanId).executeTakeFirst())?.borrower_key === `uscc:${uscc}` || undefined)
    const loan = await s.db.selectFrom('loans').select(['sequence', 'days_past_due', 'branch_id']).where('loan_id', '=', loanId).executeTakeFirstOrThrow()
    t.same([String(loan.sequence), loan.days_past_due, loan.branch_id], ['3', 95, 'B001'], 'sequence 3 holds; the late booking brought the branch')
    const reason = [{ code: 'overdue-classification-floor', evidence: [] }]
    const ok = await ask(checkBody(loanId, uscc, { action: 'downgrade-classification', targetClassification: 'substandard', reasons: reason }))
    t.equal(ok.outcome, 'ALLOW', '95 days past due impose substandard')
    const tooFar = await ask(checkBody(loanId, uscc, { action: 'downgrade-classification', targetClassification: 'doubtful', reasons: reason }))
    t.equal(tooFar.outcome, 'BLOCK', 'but not doubtful')
    t.ok(tooFar.rules.some((r) => r.code === 'not-shown-by-data'))
  })

  await t.test('scores: an affected viable firm is protected; an older score arriving later does not replace the newer', async (t) => {
    const uscc = firm(8004)
    const loanId = 'CBS-G-4'
    const newer = scoreOf(uscc, 'BBB', 'temporary-shock', '2020-04-01')
    const older = kafkaMessage('sme.scoring.completed.v1', uscc, scoreOf(uscc, 'CCC', 'structural-decline', '2020-02-01'))
    await send('scoring.results.v1', [kafkaMessage('sme.scoring.completed.v1', uscc, newer), older])
    await eventually('the older score consumed', async () => (await inbox('guard.scores', [older.headers.ce_id])).length === 1 || undefined)
    const v = await ask(checkBody(loanId, uscc, { action: 'reduce-line', amountFen: '5000000', reasons: [{ code: 'sector-exposure', evidence: [] }] }))
    t.equal(v.outcome, 'BLOCK', 'a hard-hit sector is no reason against an affected viable firm')
    t.same(v.protections.map((p) => [p.basis, p.ref]), [['affected-viable', `score:${newer.scoreId}`]])
    t.not(v.readModelAsOf.scoring, null)
  })

  await t.test('key-enterprise lists: listed, then delisted; an older entry arriving late changes nothing', async (t) => {
    const uscc = firm(8006)
    const loanId = 'CBS-G-6'
    const entry = (delistedOn: string | null, recordedAt: string) => ({ uscc, list: 'national', listedOn: '2020-02-07', delistedOn, recordedBy: 'admin-1', recordedAt })
    const listed = kafkaMessage('sme.pricing.key-list-entry-recorded.v1', uscc, entry(null, '2020-02-07T01:00:00.000Z'))
    await send('pricing.key-lists.v1', [listed])
    await eventually('the listing applied', async () => (await inbox('guard.key-lists', [listed.headers.ce_id])).length === 1 || undefined)
    const v = await ask(checkBody(loanId, uscc, { action: 'refuse-renewal' }))
    t.equal(v.outcome, 'BLOCK', 'a listed key enterprise is protected')
    t.same(v.protections.map((p) => [p.basis, p.ref, p.from, p.until]), [['key-enterprise', 'list:national', '2020-02-07', null]])
    t.equal(v.readModelAsOf.keyLists, '2020-02-07T01:00:00.000Z')
    const delisted = kafkaMessage('sme.pricing.key-list-entry-recorded.v1', uscc, entry('2020-04-01', '2020-04-01T01:00:00.000Z'))
    const stale = kafkaMessage('sme.pricing.key-list-entry-recorded.v1', uscc, entry(null, '2020-03-01T01:00:00.000Z'))
    await send('pricing.key-lists.v1', [delisted, stale])
    await eventually('both applied', async () => (await inbox('guard.key-lists', [delisted.headers.ce_id, stale.headers.ce_id])).length === 2 || undefined)
    const after = await ask(checkBody(loanId, uscc, { action: 'refuse-renewal' }))
    t.equal(after.outcome, 'ALLOW', 'delisted before the action day (2020-04-15): no longer protected')
    t.same(after.protections.map((p) => [p.basis, p.until, p.active]), [['key-enterprise', '2020-03-31', false]], 'reported as expired the day before its delisting')
  })

  await t.test('a retry answers the first verdict, whatever the read model learnt since', async (t) => {
    const uscc = firm(8005)
    const loanId = 'CBS-G-5'
    const body = checkBody(loanId, uscc, { action: 'freeze-line' })
    const headers = { ...core, 'idempotency-key': 'freeze-5' }
    const first = await s.app.inject({ method: 'POST', url: '/checks', headers, payload: body })
    t.equal(first.json().outcome, 'ALLOW')
    const decision = kafkaMessage('sme.relief.decided.v2', loanId, deferralDecision(loanId, uscc))
    await send('relief.decisions.v2', [decision])
    await eventually('the decision applied', async () => (await inbox('guard.relief-decisions', [decision.headers.ce_id])).length === 1 || undefined)
    const retry = await s.app.inject({ method: 'POST', url: '/checks', headers, payload: body })
    t.equal(retry.statusCode, 201)
    t.equal(retry.headers['idempotent-replayed'], 'true')
    t.same(retry.json(), first.json(), 'the same verdict')
    const fresh = await ask(body)
    t.equal(fresh.outcome, 'BLOCK', 'a new check sees the protection')
    const reused = await s.app.inject({ method: 'POST', url: '/checks', headers, payload: { ...body, action: 'call-early' } })
    t.equal(reused.statusCode, 422, 'the key with another body is refused')
    const stored = await s.db.selectFrom('verdicts').select('id').where('loan_id', '=', loanId).execute()
    t.equal(stored.length, 2, 'two verdicts stored: the first and the fresh one')
    await eventually('both on Kafka, once each', () => (published.filter((p) => p.key === loanId).length === 2 ? true : undefined))
  })

  await t.test('readiness: the read model is current while its consumers run', async (t) => {
    const res = await s.app.inject({ method: 'GET', url: '/health/ready' })
    t.equal(res.statusCode, 200)
    t.equal(res.json().checks['read-model'].status, 'up')
    const rm = await s.app.inject({ method: 'GET', url: '/read-model', headers: core })
    t.equal(rm.json().status, 'current')
    t.not(rm.json().sources.relief, null)
  })
})
