// Claims and the agencies over a real Kafka broker, against the real PostgreSQL: the filed claim
// reaches an agency's consumer (a plain kafkajs consumer, nothing of ours), the agency's answers come
// back from a plain kafkajs producer as CloudEvents in binary mode — duplicated (the same envelope,
// and again under a new one), out of order, and one for another agency's claim — and an overdue
// payment raises its event once however often the timer looks.
import { randomUUID } from 'node:crypto'
import kafkajs from 'kafkajs'
import t from 'tap'
import { Compile } from 'typebox/compile'
import { ClaimFiled, ClaimPaymentOverdue, type ClaimFiledData } from '@sme/contracts'
import { KafkaTransport } from '@sme/events'
import { eventually, kafkaBrokers, testLogger, uniqueName } from '@sme/testing'
import { ALL_DOCUMENTS, AGENCY_4222, BRANCH, claimsUnderTest, clock, loanBody } from './helpers.js'

const { Kafka, logLevel } = kafkajs
const checkFiled = Compile(ClaimFiled.schema)
const checkOverdue = Compile(ClaimPaymentOverdue.schema)

function cloudEvent(type: string, key: string, data: unknown, id: string = randomUUID()) {
  return { key, value: JSON.stringify(data), headers: { ce_specversion: '1.0', ce_id: id, ce_source: '/agencies/zj', ce_type: type, ce_time: new Date().toISOString(), 'content-type': 'application/json' } }
}

t.test('a claim to an agency and its answers over Kafka', async (t) => {
  const namespace = uniqueName('claims').replace('_', '-')
  const transport = new KafkaTransport({ brokers: kafkaBrokers(), clientId: 'claims-kafka', logger: testLogger(), namespace })
  t.teardown(() => transport.close())
  const c = clock('2020-06-15T02:00:00Z')
  const s = await claimsUnderTest(t, { transport, now: c.now }, { deadlineIntervalMs: 100 })
  const core = await s.auth('core-banking', { branches: [BRANCH] })
  const officer = await s.auth('officer', { branches: [BRANCH] })

  const kafka = new Kafka({ clientId: 'agency-zj', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING })
  const producer = kafka.producer()
  await producer.connect()
  t.teardown(() => producer.disconnect())
  const answer = (...messages: ReturnType<typeof cloudEvent>[]) => producer.send({ topic: `${namespace}.guarantee.responses.v1`, messages })
  const received: { key: string; type: string; data: any }[] = []
  const consumer = kafka.consumer({ groupId: `${namespace}-agency-zj` })
  await consumer.connect()
  t.teardown(() => consumer.disconnect())
  await consumer.subscribe({ topic: `${namespace}.guarantee.claims.v1`, fromBeginning: true })
  await consumer.run({ eachMessage: async ({ message: m }) => void received.push({ key: m.key!.toString(), type: m.headers!['ce_type']!.toString(), data: JSON.parse(m.value!.toString()) }) })

  const send = async (method: 'POST' | 'PUT', url: string, payload: object, headers = officer) => {
    const res = await s.app.inject({ method, url, headers, payload })
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`)
    return res.json<any>()
  }
  await send('PUT', '/guaranteed-loans/CBS-K-1', loanBody(), core)
  const { claimId } = await send('POST', '/guaranteed-loans/CBS-K-1/demands', { amountFen: '101500000' })
  await send('POST', `/claims/${claimId}/demand-outcome`, { outcome: 'claim' })
  await send('PUT', `/claims/${claimId}/documents`, { documents: ALL_DOCUMENTS })
  await send('POST', `/claims/${claimId}/filing`, { unpaidInterestFen: '1500000' })

  const filed = await eventually('the claim at the agency', () => received.find((r) => r.type === ClaimFiled.type))
  t.equal(filed.key, 'CBS-K-1', 'keyed by the loan')
  t.ok(checkFiled.Check(filed.data), 'the payload meets the contract')
  const data = filed.data as ClaimFiledData
  t.equal(data.claimId, claimId)
  t.equal(data.amount.claimedFen, '80870000')
  t.equal(data.paymentDueOn, '2020-07-28')

  const ref = { claimId, loanId: 'CBS-K-1', agencyId: AGENCY_4222, answeredOn: '2020-06-16' }
  const claimRow = () => s.db.selectFrom('claims').select(['status', 'version']).where('claim_id', '=', claimId).executeTakeFirstOrThrow()
  const answerRows = () => s.db.selectFrom('agency_answers').select(['agency_id', 'response_id', 'outcome']).orderBy('received_at').orderBy('response_id').execute()
  const inbox = () => s.db.selectFrom('inbox').select('event_id').where('consumer', '=', 'claims.agency-responses').execute()

  c.set('2020-06-16T02:00:00Z')
  const ack = cloudEvent('agency.claim.acknowledged.v1', 'CBS-K-1', { ...ref, responseId: 'ZJ-A1' })
  const ackAgain = cloudEvent('agency.claim.acknowledged.v1', 'CBS-K-1', { ...ref, responseId: 'ZJ-A1' })
  await answer(ack, ack, ackAgain)
  await eventually('three deliveries seen', async () => ((await inbox()).length === 2 ? true : undefined))
  t.same(await claimRow(), { status: 'acknowledged', version: 4 }, 'acknowledged once: the same envelope and the same answer under a new one change nothing more')

  const paidEarly = cloudEvent('agency.claim.paid.v1', 'CBS-K-1', { ...ref, responseId: 'ZJ-P0', payerId: AGENCY_4222, amountFen: '80870000' })
  const otherAgency = cloudEvent('agency.claim.approved.v1', 'CBS-K-1', { ...ref, agencyId: 'HZ-AGENCY-02', responseId: 'HZ-9', amountFen: '1' })
  await answer(paidEarly, otherAgency)
  await eventually('both consumed', async () => ((await inbox()).length === 4 ? true : undefined))
  t.same(await claimRow(), { status: 'acknowledged', version: 4 }, 'neither changed the claim')
  t.same(
    (await answerRows()).map((r) => `${r.agency_id} ${r.response_id} ${r.outcome}`).sort(),
    ['HZ-AGENCY-02 HZ-9 refused:not_found', `${AGENCY_4222} ZJ-A1 acknowledged`, `${AGENCY_4222} ZJ-P0 refused:conflict`],
    'each kept with why it was refused',
  )
  const audited = await s.db.selectFrom('audit_log').select(['action', 'actor']).where('action', '=', 'claim.answer-refused').orderBy('id').execute()
  t.same(audited.map((a) => a.actor), [`agency:${AGENCY_4222}`, 'agency:HZ-AGENCY-02'], 'and audited, attributed')

  // Not paid by its deadline: the timer raises the event once, however many rounds it runs.
  c.set('2020-07-29T02:00:00Z')
  const overdue = await eventually('the overdue payment at the agency', () => received.find((r) => r.type === ClaimPaymentOverdue.type))
  t.ok(checkOverdue.Check(overdue.data), 'the payload meets the contract')
  t.same({ dueOn: overdue.data.dueOn, raisedOn: overdue.data.raisedOn }, { dueOn: '2020-07-28', raisedOn: '2020-07-29' })
  c.set('2020-07-30T02:00:00Z')
  await new Promise((r) => setTimeout(r, 600))
  const raised = await s.db.selectFrom('outbox').select('event_id').where('event_type', '=', ClaimPaymentOverdue.type).execute()
  t.equal(raised.length, 1, 'raised once, though the timer kept looking')

  const approve = cloudEvent('agency.claim.approved.v1', 'CBS-K-1', { ...ref, answeredOn: '2020-07-30', responseId: 'ZJ-A2', amountFen: '80870000' })
  await answer(approve)
  await eventually('approved', async () => ((await claimRow()).status === 'approved' ? true : undefined))
  t.pass('a later answer in order is applied')
})
