// Guaranteed loans from core banking's loan events over a real Kafka broker, against the real
// PostgreSQL: a booking guaranteed by an agency under an agreement registers the loan (no HTTP call
// needed); a booking without one, or naming a guarantor that is not the agreement's agency, registers
// nothing (the second is audited); the position follows later events by their sequence, a stale one
// changing nothing, a duplicate applied once.
import { randomUUID } from 'node:crypto'
import kafkajs from 'kafkajs'
import t from 'tap'
import { KafkaTransport } from '@sme/events'
import { eventually, kafkaBrokers, testLogger, uniqueName } from '@sme/testing'
import { AGENCY_4222, BRANCH, claimsUnderTest, clock } from './helpers.js'

const { Kafka, logLevel } = kafkajs

function cloudEvent(type: string, key: string, data: unknown, id: string = randomUUID()) {
  return { key, value: JSON.stringify(data), headers: { ce_specversion: '1.0', ce_id: id, ce_source: '/core-banking', ce_type: type, ce_time: new Date().toISOString(), 'content-type': 'application/json' } }
}

const position = (outstanding: string, daysPastDue: number) => ({ outstandingPrincipalFen: outstanding, daysPastDue, classification: daysPastDue > 90 ? 'substandard' : daysPastDue > 0 ? 'special-mention' : 'normal', status: 'active' })

function booking(loanId: string, guarantee: Record<string, unknown>) {
  return {
    eventId: `CBS-${loanId}-1`,
    loanId,
    sequence: 1,
    asOf: '2020-03-01T09:00:00+08:00',
    position: position('100000000', 0),
    borrower: { kind: 'enterprise', uscc: '91350100M000100Y43' },
    branchId: BRANCH,
    product: 'working-capital',
    principalFen: '100000000',
    startDate: '2020-03-01',
    maturityDate: '2021-03-01',
    rateBp: 435,
    guarantee,
  }
}

const overdue = (loanId: string, sequence: number, daysPastDue: number, outstanding = '90000000') => ({
  eventId: `CBS-${loanId}-${sequence}`,
  loanId,
  sequence,
  asOf: '2020-09-01T23:00:00+08:00',
  position: position(outstanding, daysPastDue),
  previousDaysPastDue: 0,
  overdueSince: '2020-06-01',
})

t.test('Given core banking’s loan events, when a guaranteed loan is booked and falls overdue, then claims registers it and follows its position', async (t) => {
  const namespace = uniqueName('claims-loans').replace('_', '-')
  const transport = new KafkaTransport({ brokers: kafkaBrokers(), clientId: 'claims-loans', logger: testLogger(), namespace })
  t.teardown(() => transport.close())
  const s = await claimsUnderTest(t, { transport, now: clock('2020-09-02T02:00:00Z').now })
  const core = await s.auth('core-banking', { branches: [BRANCH] })
  const kafka = new Kafka({ clientId: 'core-banking', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING })
  const producer = kafka.producer()
  await producer.connect()
  t.teardown(() => producer.disconnect())
  const send = (...messages: ReturnType<typeof cloudEvent>[]) => producer.send({ topic: `${namespace}.loans.events.v1`, messages })
  const loan = async (loanId: string) => {
    const res = await s.app.inject({ method: 'GET', url: `/guaranteed-loans/${loanId}`, headers: core })
    return res.statusCode === 200 ? res.json<any>() : undefined
  }

  const underAgreement = { kind: 'guarantee', guarantorId: AGENCY_4222, agreement: { agreementId: 'ZJ-GUARANTEE-4222', guaranteedFen: '80000000', borrowerSize: 'small', epidemicAffected: true } }
  await send(
    cloudEvent('core.loan.booked.v1', 'CBS-E-1', booking('CBS-E-1', underAgreement)),
    cloudEvent('core.loan.booked.v1', 'CBS-E-2', booking('CBS-E-2', { kind: 'collateral', guarantorId: null }), 'ce-CBS-E-2'),
    cloudEvent('core.loan.booked.v1', 'CBS-E-3', booking('CBS-E-3', { ...underAgreement, guarantorId: 'HZ-AGENCY-02' }), 'ce-CBS-E-3'),
  )
  const registered = await eventually('the guaranteed booking registered', () => loan('CBS-E-1'), 30_000)
  t.same(
    [registered.agreementId, registered.guaranteedOn, registered.guaranteedFen, registered.borrowerSize, registered.epidemicAffected, registered.outstandingPrincipalFen, registered.daysPastDue],
    ['ZJ-GUARANTEE-4222', '2020-03-01', '80000000', 'small', true, '100000000', 0],
    'under its agreement, guaranteed on its start date, with its position',
  )
  // Both bookings consumed (in the inbox) before their absence is asserted: keys on other partitions may come later.
  await eventually('the other bookings consumed', async () => ((await s.db.selectFrom('inbox').select('event_id').where('event_id', 'in', ['ce-CBS-E-2', 'ce-CBS-E-3']).execute()).length === 2 ? true : undefined), 30_000)
  t.ok(await s.db.selectFrom('audit_log').select('id').where('action', '=', 'loan.registration-refused').where('subject', '=', 'loan:CBS-E-3').executeTakeFirst(), 'the refused booking audited')
  t.equal(await loan('CBS-E-2'), undefined, 'a loan without an agency guarantee is none of claims’ business')
  t.equal(await loan('CBS-E-3'), undefined, 'a guarantor other than the agreement’s agency registers nothing')
  const book = await s.db.selectFrom('vintage_books').select('guaranteed_fen').where('agreement_id', '=', 'ZJ-GUARANTEE-4222').where('vintage', '=', 2020).executeTakeFirstOrThrow()
  t.equal(book.guaranteed_fen, 80_000_000n, 'the vintage’s book counts it once')

  const late = cloudEvent('core.loan.overdue-days-changed.v1', 'CBS-E-1', overdue('CBS-E-1', 3, 95))
  await send(late, late, cloudEvent('core.loan.overdue-days-changed.v1', 'CBS-E-1', overdue('CBS-E-1', 2, 30, '95000000')))
  const moved = await eventually('the position followed', async () => {
    const l = await loan('CBS-E-1')
    return l?.daysPastDue === 95 ? l : undefined
  }, 30_000)
  t.equal(moved.outstandingPrincipalFen, '90000000', 'the newest position')
  // The booking replayed, then a newer event behind it on the same partition: once that one shows, the replay was judged.
  await send(cloudEvent('core.loan.booked.v1', 'CBS-E-1', booking('CBS-E-1', underAgreement)), cloudEvent('core.loan.overdue-days-changed.v1', 'CBS-E-1', overdue('CBS-E-1', 4, 100)))
  await eventually('the newer event applied', async () => ((await loan('CBS-E-1'))?.daysPastDue === 100 ? true : undefined), 30_000)
  const after = await s.db.selectFrom('vintage_books').select('guaranteed_fen').where('agreement_id', '=', 'ZJ-GUARANTEE-4222').where('vintage', '=', 2020).executeTakeFirstOrThrow()
  t.equal(after.guaranteed_fen, 80_000_000n, 'the booking replayed late changes neither the registration nor the book')
})
