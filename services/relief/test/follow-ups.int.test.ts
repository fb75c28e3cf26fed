// Follow-up of granted relief (密切监测) from core banking's loan stream, against the real PostgreSQL
// and a real Kafka broker: core banking is a plain kafkajs producer (nothing of ours on its side).
// A deferral granted on 2020-06-15 runs to 2020-12-31; during it the books show the loan overdue and
// then worse classified: one follow-up each, audited, shown on the application and filterable in the
// list; a redelivered or stale event, a position after the relief ended and a loan without relief
// raise nothing.
import kafkajs from 'kafkajs'
import t from 'tap'
import { KafkaTransport } from '@sme/events'
import { eventually, kafkaBrokers, testLogger, uniqueName } from '@sme/testing'
import { GOOD, coreMessage, decidedApplication, expectStatus, newLoanId, reliefUnderTest, uscc, type LoanPosition } from './helpers.js'

const { Kafka, logLevel } = kafkajs

t.test('a granted deferral is followed up when the books show the loan worse', async (t) => {
  const namespace = uniqueName('follow').replace('_', '-')
  const transport = new KafkaTransport({ brokers: kafkaBrokers(), clientId: 'relief-follow-ups', logger: testLogger(), namespace })
  t.teardown(() => transport.close())
  const s = await reliefUnderTest(t, { transport, now: () => new Date('2020-06-15T02:00:00Z') })

  const kafka = new Kafka({ clientId: 'core-banking', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING })
  const producer = kafka.producer()
  await producer.connect()
  t.teardown(() => producer.disconnect())
  const send = (messages: ReturnType<typeof coreMessage>[]) => producer.send({ topic: `${namespace}.loans.events.v1`, messages })

  const loanId = newLoanId('FU')
  const granted = await decidedApplication(s, 'mandatory-deferral', GOOD, { branchId: 'B1', uscc: uscc(7701), loanId })
  t.equal(granted.status, 'approved', 'the 2020-06 programme’s mandatory grant: principal deferred to 2020-12-31')
  const otherLoan = newLoanId('FU')

  const position = (p: Partial<LoanPosition>): LoanPosition => ({ outstandingPrincipalFen: '300000000', daysPastDue: 0, classification: 'normal', status: 'active', ...p })
  const event = (loan: string, sequence: number, asOf: string, p: Partial<LoanPosition>) => ({ eventId: `CBS-${loan}-${sequence}`, loanId: loan, sequence, asOf, position: position(p) })
  const overdue = coreMessage('core.loan.overdue-days-changed.v1', { ...event(loanId, 11, '2020-08-02T08:00:00+08:00', { daysPastDue: 5 }), previousDaysPastDue: 0, overdueSince: '2020-07-28' })
  const worse = coreMessage('core.loan.classification-changed.v1', { ...event(loanId, 12, '2020-09-01T08:00:00+08:00', { daysPastDue: 35, classification: 'special-mention' }), previousClassification: 'normal', decidedOn: '2020-09-01', reason: '逾期35天' })
  const stale = coreMessage('core.loan.written-off.v1', { ...event(loanId, 10, '2020-07-20T08:00:00+08:00', { outstandingPrincipalFen: '0', status: 'written-off' }), writtenOffOn: '2020-07-20', amountFen: '300000000' })
  const afterRelief = coreMessage('core.loan.classification-changed.v1', { ...event(loanId, 13, '2021-01-05T08:00:00+08:00', { daysPastDue: 5, classification: 'doubtful' }), previousClassification: 'special-mention', decidedOn: '2021-01-05', reason: '展期后仍逾期' })
  const noRelief = coreMessage('core.loan.overdue-days-changed.v1', { ...event(otherLoan, 1, '2020-08-02T08:00:00+08:00', { daysPastDue: 40 }), previousDaysPastDue: 0, overdueSince: '2020-06-23' })
  // The overdue change twice (the same envelope redelivered), the classification, then an older
  // sequence (stale), a position after the relief ended, and a loan nobody granted relief on.
  await send([overdue, overdue, worse, stale, afterRelief, noRelief])

  await eventually('every loan event consumed', async () => {
    const row = await s.db.selectFrom('inbox').select((eb) => eb.fn.countAll<string>().as('n')).where('consumer', '=', 'relief.loan-book').executeTakeFirstOrThrow()
    return Number(row.n) >= 5 ? true : undefined
  }, 30_000)

  const officer = await s.auth('officer', { branches: ['B1'] })
  const view = expectStatus(t, await s.app.inject({ method: 'GET', url: `/applications/${granted.id}`, headers: officer }), 200)
  t.same(
    view.followUps.map((f: { reason: string; eventId: string; details: Record<string, unknown> }) => [f.reason, f.eventId, f.details]),
    [
      ['overdue-during-relief', `CBS-${loanId}-11`, { reliefEndsOn: '2020-12-31', sequence: 11, asOf: '2020-08-02T08:00:00+08:00', daysPastDue: 5 }],
      ['classification-worsened', `CBS-${loanId}-12`, { reliefEndsOn: '2020-12-31', sequence: 12, asOf: '2020-09-01T08:00:00+08:00', classificationAfterRelief: 'normal', classification: 'special-mention' }],
    ],
    'one follow-up per reason, from the first event that showed it; none from the stale write-off or after the relief ended',
  )
  t.equal(view.finalDecision.outcome, 'APPROVED', 'the decision stands')

  const audit = await s.db.selectFrom('audit_log').select(['actor', 'details']).where('application_id', '=', granted.id).where('action', '=', 'follow-up.raised').orderBy('seq').execute()
  t.same(audit.map((a) => [a.actor, (a.details as { reason: string }).reason]), [
    ['system:loans.events.v1', 'overdue-during-relief'],
    ['system:loans.events.v1', 'classification-worsened'],
  ], 'each audited once')

  const list = async (filter: string) =>
    expectStatus(t, await s.app.inject({ method: 'GET', url: `/applications?loanId=${loanId}&followUp=${filter}`, headers: officer }), 200).applications.map((a: { id: string }) => a.id)
  t.same(await list('true'), [granted.id], 'listed with followUp=true')
  t.same(await list('false'), [], 'not with followUp=false')
  const count = await s.db.selectFrom('follow_ups').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  t.equal(Number(count.n), 2, 'nothing for the loan without relief')
})
