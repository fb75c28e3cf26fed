import { EventValidationError } from '@sme/events'
import t from 'tap'
import { LoanBooked, type LoanBookedData, loanEvents, type LoanPositionData, OverdueDaysChanged, platformEvents, ReliefDecided, ScoreCompleted } from '../src/index.js'

const position: LoanPositionData = { outstandingPrincipalFen: '50000000', daysPastDue: 0, classification: 'normal', status: 'active' }
const booked: LoanBookedData = {
  eventId: 'CBS-2026-000001',
  loanId: 'L-2026-0001',
  sequence: 1,
  asOf: '2026-03-01T09:30:00+08:00',
  position,
  borrower: { kind: 'enterprise', uscc: '91350100M000100Y43' },
  branchId: 'BR-FZ-01',
  product: 'working-capital',
  principalFen: '50000000',
  startDate: '2026-03-01',
  maturityDate: '2027-02-28',
  rateBp: 385,
  guarantee: { kind: 'guarantee', guarantorId: '91350100MA2XXXXX1K' },
}

t.test('every event type is defined once and every topic follows <context>.<name>.v<major>', async (t) => {
  const types = platformEvents.definitions.map((d) => d.type)
  t.equal(new Set(types).size, types.length, 'no type defined twice')
  for (const topic of platformEvents.topics) t.match(topic, /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.v[1-9][0-9]*$/, topic)
  t.same(platformEvents.topics.sort(), ['enterprise.data.v1', 'guard.verdicts.v1', 'loans.events.v1', 'pricing.key-lists.v1', 'pricing.quotes.v1', 'relief.decisions.v1', 'relief.decisions.v2', 'scoring.requests.v1', 'scoring.results.v1'].sort())
  t.ok(platformEvents.has(ScoreCompleted.type) && platformEvents.has(ReliefDecided.type), 'our own events are in the catalogue')
})

t.test('core banking loan events: one topic, keyed by loan id, published from outside the platform', async (t) => {
  t.equal(loanEvents.length, 7, 'booked, repayment, overdue days, classification, matured, settled, written off')
  for (const d of loanEvents) {
    t.equal(d.topic, 'loans.events.v1', d.type)
    t.ok(d.externalProducer, `${d.type} names its producer`)
  }
  t.equal(LoanBooked.keyOf(booked), 'L-2026-0001')
})

t.test('a loan booked event validates, and what it must not carry is refused', async (t) => {
  t.doesNotThrow(() => platformEvents.validate(LoanBooked.type, booked))
  t.doesNotThrow(
    () => platformEvents.validate(LoanBooked.type, { ...booked, borrower: { kind: 'individual', borrowerId: 'P-7f3a9c21e0' }, guarantee: { kind: 'none', guarantorId: null } }),
    'an individual borrower under a pseudonymous id',
  )
  const refused: [string, unknown][] = [
    ['principal as a JSON number (money travels as fen strings)', { ...booked, principalFen: 50000000 }],
    ['negative principal', { ...booked, principalFen: '-1' }],
    ['an unknown classification', { ...booked, position: { ...position, classification: 'bad' } }],
    ['sequence 0', { ...booked, sequence: 0 }],
    ['an invalid USCC pattern', { ...booked, borrower: { kind: 'enterprise', uscc: 'not-a-uscc' } }],
    ['a person named in the clear', { ...booked, borrower: { kind: 'individual', borrowerId: 'P-1', name: '张三' } }],
    ['a field the contract does not have', { ...booked, extra: true }],
    ['no position', { ...booked, position: undefined }],
  ]
  for (const [why, data] of refused) t.throws(() => platformEvents.validate(LoanBooked.type, data), EventValidationError, why)
})

t.test('every loan event carries the common fields', async (t) => {
  const common = { eventId: 'CBS-2', loanId: 'L-2026-0001', sequence: 2, asOf: '2026-04-01T00:00:00Z', position: { ...position, daysPastDue: 31 } }
  t.doesNotThrow(() => platformEvents.validate(OverdueDaysChanged.type, { ...common, previousDaysPastDue: 0, overdueSince: '2026-03-01' }))
  for (const field of Object.keys(common)) {
    const data: Record<string, unknown> = { ...common, previousDaysPastDue: 0, overdueSince: '2026-03-01' }
    delete data[field]
    t.throws(() => platformEvents.validate(OverdueDaysChanged.type, data), EventValidationError, `without ${field}`)
  }
})
