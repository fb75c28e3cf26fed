// Core banking's loan stream (loans.events.v1) into relief, against the real PostgreSQL and a real
// Kafka broker. Core banking is played by a plain kafkajs producer writing CloudEvents in binary
// mode as the AsyncAPI document describes them (nothing of ours on the producing side), out of
// order, with a redelivered envelope, a journal replay under new envelopes, and stale events.
import { randomUUID } from 'node:crypto'
import kafkajs from 'kafkajs'
import t from 'tap'
import { KafkaTransport } from '@sme/events'
import { eventually, kafkaBrokers, testLogger, uniqueName } from '@sme/testing'
import { applicationBody, clockFrom, coreMessage, newKey, newLoanId, reliefUnderTest, uscc, type LoanPosition } from './helpers.js'

const { Kafka, logLevel } = kafkajs

t.test('relief keeps each loan’s latest position from core banking, and a decision shows the check against it', async (t) => {
  const namespace = uniqueName('loans').replace('_', '-')
  const transport = new KafkaTransport({ brokers: kafkaBrokers(), clientId: 'relief-loan-book', logger: testLogger(), namespace })
  t.teardown(() => transport.close())
  // No scoring service: applications are decided at the scoring timeout (referred), which is enough
  // to see the loan-book check recorded on the decision.
  const s = await reliefUnderTest(t, { transport, now: clockFrom('2020-06-15T02:00:00Z'), service: { scoringTimeoutMs: 300, sweepIntervalMs: 250 } })

  const kafka = new Kafka({ clientId: 'core-banking', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING })
  const producer = kafka.producer()
  await producer.connect()
  t.teardown(() => producer.disconnect())
  const send = (messages: ReturnType<typeof coreMessage>[]) => producer.send({ topic: `${namespace}.loans.events.v1`, messages })

  const loanId = newLoanId('CBS')
  const firm = uscc(8800)
  const position = (p: Partial<LoanPosition>): LoanPosition => ({ outstandingPrincipalFen: '300000000', daysPastDue: 0, classification: 'normal', status: 'active', ...p })
  const common = (sequence: number, p: Partial<LoanPosition>) => ({ eventId: `CBS-${loanId}-${sequence}`, loanId, sequence, asOf: `2020-06-0${sequence}T08:00:00+08:00`, position: position(p) })
  const booked = coreMessage('core.loan.booked.v1', {
    ...common(1, {}),
    borrower: { kind: 'enterprise', uscc: firm },
    branchId: 'B1',
    product: 'working-capital',
    principalFen: '300000000',
    startDate: '2019-12-01',
    maturityDate: '2020-07-01',
    rateBp: 435,
    guarantee: { kind: 'guarantee', guarantorId: '91350100MA2XXXXX1K' },
  })
  const repaid = coreMessage('core.loan.repayment-received.v1', { ...common(2, { outstandingPrincipalFen: '250000000' }), receivedOn: '2020-06-02', principalFen: '50000000', interestFen: '1087500', penaltyFen: '0' })
  const overdue = coreMessage('core.loan.overdue-days-changed.v1', { ...common(3, { outstandingPrincipalFen: '250000000', daysPastDue: 15 }), previousDaysPastDue: 0, overdueSince: '2020-05-21' })
  const classified = coreMessage('core.loan.classification-changed.v1', {
    ...common(4, { outstandingPrincipalFen: '250000000', daysPastDue: 15, classification: 'special-mention' }),
    previousClassification: 'normal',
    decidedOn: '2020-06-04',
    reason: '逾期15天，列入关注类',
  })

  // Out of order: the overdue change first, the booking after it, the classification, then the
  // repayment (stale by then); the classification again from a journal replay (new envelope, same
  // core event), and the overdue change redelivered as the very same envelope.
  await send([overdue, booked, classified, repaid, coreMessage('core.loan.classification-changed.v1', JSON.parse(classified.value), randomUUID()), overdue])

  // A second loan, known only from its settlement.
  const settledLoan = newLoanId('CBS')
  await send([coreMessage('core.loan.settled.v1', { eventId: `CBS-${settledLoan}-9`, loanId: settledLoan, sequence: 9, asOf: '2020-06-10T09:00:00+08:00', position: position({ outstandingPrincipalFen: '0', status: 'settled' }), settledOn: '2020-06-10' })])

  const held = await eventually('both loans on the books, the first with its booking', async () => {
    const rows = await s.db.selectFrom('loan_book').selectAll().orderBy('sequence').execute()
    return rows.length === 2 && rows.some((r) => r.loan_id === loanId && r.booking !== null) && (await consumed(s)) >= 6 ? rows : undefined
  }, 30_000)
  const first = held.find((r) => r.loan_id === loanId)!
  t.equal(first.sequence, 4n, 'the highest sequence holds, whatever the order of arrival')
  t.equal(first.event_type, 'core.loan.classification-changed.v1')
  t.match(first, { outstanding_principal_fen: 250000000n, days_past_due: 15, classification: 'special-mention', status: 'active' }, 'the position of sequence 4')
  t.match(first.booking, { branchId: 'B1', borrower: { kind: 'enterprise', uscc: firm }, principalFen: '300000000', maturityDate: '2020-07-01' }, 'the booking arrived after newer events and was still kept')
  t.match(held.find((r) => r.loan_id === settledLoan), { sequence: 9n, status: 'settled', outstanding_principal_fen: 0n, booking: null })
  const inbox = await s.db.selectFrom('inbox').select('consumer').where('consumer', '=', 'relief.loan-book').execute()
  t.equal(inbox.length, 6, 'six envelopes, each processed once: the redelivered seventh was dropped by the inbox')

  // An application on the first loan, stating what it stated before core banking's news.
  const core = await s.auth('core-banking', { branches: ['*'] })
  const submit = async (body: ReturnType<typeof applicationBody>) => {
    const res = await s.app.inject({ method: 'POST', url: '/applications', headers: { ...core, 'idempotency-key': newKey('lb') }, payload: body })
    t.equal(res.statusCode, 202, res.body)
    const { id } = res.json() as { id: string }
    return eventually(`application ${id} decided`, async () => {
      const view = (await s.app.inject({ method: 'GET', url: `/applications/${id}`, headers: core })).json()
      return view.automatedDecision ? view : undefined
    }, 15_000)
  }
  const known = await submit(applicationBody('extension', { uscc: firm, loanId }))
  t.same(
    known.automatedDecision.loanBook,
    {
      known: true,
      sequence: 4,
      asOf: '2020-06-04T00:00:00.000Z',
      matches: false,
      differences: [
        { field: 'outstandingPrincipalFen', application: '300000000', loanBook: '250000000' },
        { field: 'daysPastDue', application: 0, loanBook: 15 },
        { field: 'classification', application: 'normal', loanBook: 'special-mention' },
      ],
    },
    'the decision shows where the application and the books disagree',
  )
  const settled = await submit(applicationBody('extension', { uscc: uscc(8801), loanId: settledLoan }))
  t.match(settled.automatedDecision.loanBook, { known: true, sequence: 9, matches: false, differences: [{ field: 'outstandingPrincipalFen' }, { field: 'status', application: 'active', loanBook: 'settled' }] })
  const unknown = await submit(applicationBody('extension', { uscc: uscc(8802) }))
  t.same(unknown.automatedDecision.loanBook, { known: false }, 'a loan core banking never published: nothing to compare')

  const audit = await s.db.selectFrom('audit_log').select('details').where('application_id', '=', known.id).where('action', '=', 'application.decided').executeTakeFirstOrThrow()
  t.match(audit.details, { loanBook: { sequence: 4, differences: ['outstandingPrincipalFen', 'daysPastDue', 'classification'] } }, 'the audit entry names the differences')
})

/** Loan events the relief consumer has processed (inbox entries, one per envelope). */
async function consumed(s: Awaited<ReturnType<typeof reliefUnderTest>>): Promise<number> {
  const row = await s.db.selectFrom('inbox').select((eb) => eb.fn.countAll<string>().as('n')).where('consumer', '=', 'relief.loan-book').executeTakeFirstOrThrow()
  return Number(row.n)
}
