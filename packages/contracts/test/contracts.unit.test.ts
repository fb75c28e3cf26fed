import { EventValidationError } from '@sme/events'
import t from 'tap'
import { AgencyApprovedClaim, agencyResponseEvents, claimEvents, ClaimFiled, type ClaimFiledData, LoanBooked, type LoanBookedData, loanEvents, type LoanPositionData, OverdueDaysChanged, platformEvents, ReliefDecided, ScoreCompleted } from '../src/index.js'

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
  t.same(platformEvents.topics.sort(), ['enterprise.data.v1', 'guarantee.claims.v1', 'guarantee.responses.v1', 'guard.verdicts.v1', 'loans.events.v1', 'pricing.key-lists.v1', 'pricing.quotes.v1', 'relief.decisions.v1', 'relief.decisions.v2', 'scoring.requests.v1', 'scoring.results.v1'].sort())
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

const filed: ClaimFiledData = {
  claimId: '6f1c2d4e-8a9b-4c3d-9e2f-1a2b3c4d5e6f',
  loanId: 'L-2026-0001',
  agencyId: 'ZJ-AGENCY-01',
  branchId: 'BR-FZ-01',
  borrower: { kind: 'enterprise', uscc: '91350100M000100Y43' },
  agreement: { id: 'ZJ-GUARANTEE-4222', version: 1 },
  amount: {
    principalFen: '100000000',
    unpaidInterestFen: '1500000',
    interestCapFen: '1087500',
    interestFen: '1087500',
    baseFen: '101087500',
    coveredShareBp: 8000,
    claimedFen: '80870000',
    retainedByBankFen: '20217500',
    layers: [
      { party: 'originating-agency', partyId: 'ZJ-AGENCY-01', amountFen: '40435000' },
      { party: 'provincial-reguarantor', partyId: 'ZJ-REGUARANTEE', amountFen: '20217500' },
      { party: 'national-fund', partyId: 'NATIONAL-GUARANTEE-FUND', amountFen: '20217500' },
    ],
    rule: 'stated',
  },
  documents: ['claim-application'],
  filedOn: '2026-06-15',
  paymentDueOn: '2026-07-28',
  portfolioCapExceeded: false,
}

t.test('guarantee claims go to agencies keyed by loan; their answers come from outside the platform', async (t) => {
  for (const d of claimEvents) {
    t.equal(d.topic, 'guarantee.claims.v1', d.type)
    t.notOk(d.externalProducer, `${d.type} is ours`)
  }
  for (const d of agencyResponseEvents) {
    t.equal(d.topic, 'guarantee.responses.v1', d.type)
    t.ok(d.externalProducer, `${d.type} names its producer`)
  }
  t.equal(ClaimFiled.keyOf(filed), 'L-2026-0001')
  t.doesNotThrow(() => platformEvents.validate(ClaimFiled.type, filed))
  const answer = { responseId: 'ZJA-2026-77', claimId: filed.claimId, loanId: filed.loanId, agencyId: filed.agencyId, answeredOn: '2026-06-20', amountFen: '80870000' }
  t.doesNotThrow(() => platformEvents.validate(AgencyApprovedClaim.type, answer))
  const refused: [string, string, unknown][] = [
    ['a claimed amount as a JSON number', ClaimFiled.type, { ...filed, amount: { ...filed.amount, claimedFen: 80870000 } }],
    ['a negative claim', ClaimFiled.type, { ...filed, amount: { ...filed.amount, claimedFen: '-1' } }],
    ['an unknown layer', ClaimFiled.type, { ...filed, amount: { ...filed.amount, layers: [{ party: 'insurer', partyId: 'X', amountFen: '1' }] } }],
    ['an approval without its amount', AgencyApprovedClaim.type, { ...answer, amountFen: undefined }],
    ['an approval of a negative amount', AgencyApprovedClaim.type, { ...answer, amountFen: '-5' }],
    ['an answer without its own id', AgencyApprovedClaim.type, { ...answer, responseId: undefined }],
  ]
  for (const [why, type, data] of refused) t.throws(() => platformEvents.validate(type, data), EventValidationError, why)
})
