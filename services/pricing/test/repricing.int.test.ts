// Relief decision → quote, against the real PostgreSQL and a real Kafka broker. Core banking, relief
// and scoring are played by a plain kafkajs producer writing CloudEvents in binary mode as the
// AsyncAPI document describes them, and the quotes are read back by a plain kafkajs consumer: nothing
// of ours on either side of the broker. Events arrive in the orders a bank's topics give them:
// the decision before the loan, the grade last, a decision twice (the same envelope, and again
// under a new one), revisions out of order.
import { randomUUID } from 'node:crypto'
import kafkajs from 'kafkajs'
import t from 'tap'
import { Compile } from 'typebox/compile'
import { QuoteIssued, ReliefDecidedV2, ScoreCompleted, type QuoteIssuedData, type ReliefDecidedV2Data } from '@sme/contracts'
import { makeUscc } from '@sme/domain'
import { KafkaTransport } from '@sme/events'
import { eventually, kafkaBrokers, testLogger, uniqueName } from '@sme/testing'
import { pricingUnderTest, type PricingUnderTest } from './helpers.js'

const { Kafka, logLevel } = kafkajs

const firm = (n: number) => makeUscc(`91350100${String(n).padStart(8, '0')}`)
const checkDecision = Compile(ReliefDecidedV2.schema)
const checkScore = Compile(ScoreCompleted.schema)
const checkQuote = Compile(QuoteIssued.schema)

/** A CloudEvent in Kafka's binary mode, as a producer outside the platform writes it. */
function message(type: string, key: string, data: unknown, id: string = randomUUID()) {
  return {
    key,
    value: JSON.stringify(data),
    headers: { ce_specversion: '1.0', ce_id: id, ce_source: '/tests/outside', ce_type: type, ce_time: new Date().toISOString(), 'content-type': 'application/json' },
  }
}

function booking(loanId: string, uscc: string, seq: number, over: Record<string, unknown> = {}) {
  return {
    eventId: `CBS-${loanId}-${seq}`,
    loanId,
    sequence: seq,
    asOf: '2020-03-01T08:00:00+08:00',
    position: { outstandingPrincipalFen: '100000000', daysPastDue: 0, classification: 'normal', status: 'active' },
    borrower: { kind: 'enterprise', uscc },
    branchId: 'B001',
    product: 'working-capital',
    principalFen: '100000000',
    startDate: '2019-03-20',
    maturityDate: '2020-03-20',
    rateBp: 435,
    guarantee: { kind: 'none', guarantorId: null },
    ...over,
  }
}

const deferralTerms = {
  kind: 'deferral',
  principal: { dueDate: '2020-03-20', deferredTo: '2020-06-30' },
  interest: { dueDate: '2020-03-20', deferredTo: '2020-06-30' },
  effects: { penaltyInterestWaived: true, noDowngradeForEpidemicAlone: true, creditReportOnAdjustedSchedule: true, overdueDaysOnRevisedSchedule: true, interestAccrual: 'per-contract', documentsMayFollow: false },
}

function decision(over: { applicationId: string; revision: number; loanId: string; uscc: string; relief: 'deferral' | 'renewal'; outcome?: 'APPROVED' | 'DECLINED' }): ReliefDecidedV2Data {
  const approved = (over.outcome ?? 'APPROVED') === 'APPROVED'
  const terms =
    over.relief === 'deferral'
      ? deferralTerms
      : { kind: 'renewal', withoutPrincipalRepayment: true, newMaturity: '2021-03-20', signContractBy: '2020-03-19', renewedClassification: 'normal' }
  const request =
    over.relief === 'deferral'
      ? { kind: 'deferral', principal: true, interest: true, deferTo: '2020-06-30' }
      : { kind: 'renewal', withoutPrincipalRepayment: true, newMaturity: '2021-03-20', standing: { lawfulAndStable: true, fundsDiverted: false, interestUnpaid: false, debtEvasion: false } }
  const data = {
    applicationId: over.applicationId,
    revision: over.revision,
    borrower: { kind: 'enterprise', uscc: over.uscc },
    loanId: over.loanId,
    branchId: 'B001',
    relief: over.relief,
    outcome: approved ? 'APPROVED' : 'DECLINED',
    mandatory: false,
    decidedBy: 'rules',
    decidedAt: '2020-03-10T02:00:00.000Z',
    applicationDate: '2020-03-09',
    answerBy: '2020-03-16',
    programme: { kind: over.relief, id: 'deferral-2020-6', version: 1, title: { zh: '延期还本付息', en: 'Deferral' } },
    request,
    terms: approved ? terms : null,
    reasons: [{ code: approved ? 'RL_APPROVED' : 'RL_DECLINED', text: { zh: '…', en: '…' } }],
    policyVersions: [{ kind: over.relief, id: 'deferral-2020-6', version: 1 }],
    review: null,
  }
  // The contract's own check types it: no cast.
  if (!checkDecision.Check(data)) throw new Error(`the test's decision does not meet the v2 schema: ${JSON.stringify([...checkDecision.Errors(data)].slice(0, 3))}`)
  return data
}

function score(uscc: string, grade: string) {
  const data = {
    correlationId: null,
    scoreId: randomUUID(),
    uscc,
    asOf: '2020-03-01',
    model: { id: 'sme-general', version: '1', segment: 'sme-general' },
    score: 640,
    probabilityOfDefaultPpm: 12_000,
    grade,
    reasons: [],
    hardship: null,
  }
  if (!checkScore.Check(data)) throw new Error("the test's score does not meet the schema")
  return data
}

async function stateOf(s: PricingUnderTest, applicationId: string, revision: number) {
  return s.db.selectFrom('relief_decisions').select(['state', 'code', 'quote_id']).where('application_id', '=', applicationId).where('revision', '=', revision).executeTakeFirst()
}

t.test('pricing re-prices approved relief decisions once each, whatever order the loan, the grade and the decision arrive in', async (t) => {
  const namespace = uniqueName('reprice').replace('_', '-')
  const transport = new KafkaTransport({ brokers: kafkaBrokers(), clientId: 'pricing-repricing', logger: testLogger(), namespace })
  t.teardown(() => transport.close())
  const s = await pricingUnderTest(t, { transport })

  const kafka = new Kafka({ clientId: 'outside', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING })
  const producer = kafka.producer()
  await producer.connect()
  t.teardown(() => producer.disconnect())
  const send = (topic: string, messages: ReturnType<typeof message>[]) => producer.send({ topic: `${namespace}.${topic}`, messages })

  // An outsider reading the quotes topic from its start.
  const quotes: { key: string; type: string; data: QuoteIssuedData }[] = []
  const consumer = kafka.consumer({ groupId: `${namespace}-reader` })
  await consumer.connect()
  t.teardown(() => consumer.disconnect())
  await consumer.subscribe({ topic: `${namespace}.pricing.quotes.v1`, fromBeginning: true })
  await consumer.run({
    eachMessage: async ({ message: m }) => {
      quotes.push({ key: m.key!.toString(), type: m.headers!['ce_type']!.toString(), data: JSON.parse(m.value!.toString()) as QuoteIssuedData })
    },
  })

  await t.test('a renewal decided before core banking’s booking and scoring’s grade arrive waits for both, then is priced once', async (t) => {
    const loanId = `CBS-R-${Date.now()}`
    const uscc = firm(7001)
    const renewal = decision({ applicationId: randomUUID(), revision: 1, loanId, uscc, relief: 'renewal' })
    await send('relief.decisions.v2', [message('sme.relief.decided.v2', loanId, renewal)])
    await eventually('waiting for the loan', async () => (await stateOf(s, renewal.applicationId, 1))?.state === 'waiting-loan')
    await send('loans.events.v1', [message('core.loan.booked.v1', loanId, booking(loanId, uscc, 1))])
    await eventually('waiting for the grade', async () => (await stateOf(s, renewal.applicationId, 1))?.state === 'waiting-grade')
    await send('scoring.results.v1', [message('sme.scoring.completed.v1', uscc, score(uscc, 'BBB'))])
    const priced = await eventually('priced', async () => {
      const row = await stateOf(s, renewal.applicationId, 1)
      return row?.state === 'priced' ? row : undefined
    })
    const published = await eventually('the quote on Kafka', () => quotes.find((q) => q.data.quoteId === priced.quote_id))
    t.equal(published.type, 'sme.pricing.quote-issued.v1')
    t.equal(published.key, loanId, 'keyed by the loan')
    t.ok(checkQuote.Check(published.data), 'the payload meets the contract')
    const q = published.data
    t.same(q.origin, { kind: 'relief-decision', applicationId: renewal.applicationId, revision: 1 })
    t.same([q.startDate, q.schedule.dueDate.at(-1), q.termMonths, q.rate.basis], ['2020-03-20', '2021-03-20', 12, 'card'], 'a new contract from the old maturity')
    // The 1-year LPR in force on 2020-03-10 was 4.05%; BBB's card spread 125 bp.
    t.equal(q.rate.nominalRateBp, 405 + 125)
    t.equal(q.schedule.principalFen.reduce((a, b) => a + BigInt(b), 0n), 100_000_000n, 'principal sums to the amount renewed')
  })

  await t.test('a deferral delivered twice, once under a new envelope, is priced once at the contract rate', async (t) => {
    const loanId = `CBS-D-${Date.now()}`
    const uscc = firm(7002)
    await send('loans.events.v1', [message('core.loan.booked.v1', loanId, booking(loanId, uscc, 1))])
    await eventually('the loan is held', async () => (await s.db.selectFrom('loans').select('loan_id').where('loan_id', '=', loanId).executeTakeFirst()) !== undefined)
    const deferral = decision({ applicationId: randomUUID(), revision: 1, loanId, uscc, relief: 'deferral' })
    const envelope = message('sme.relief.decided.v2', loanId, deferral)
    const again = message('sme.relief.decided.v2', loanId, deferral)
    await send('relief.decisions.v2', [envelope, envelope, again])
    const priced = await eventually('priced', async () => {
      const row = await stateOf(s, deferral.applicationId, 1)
      return row?.state === 'priced' ? row : undefined
    })
    await eventually('both envelopes consumed (the repeated one dropped by the inbox)', async () => {
      const ids = [envelope.headers.ce_id, again.headers.ce_id]
      const rows = await s.db.selectFrom('inbox').select('event_id').where('consumer', '=', 'pricing.relief-decisions').where('event_id', 'in', ids).execute()
      return rows.length === 2 || undefined
    })
    const stored = await s.db.selectFrom('quotes').select(['id']).where('relief_application_id', '=', deferral.applicationId).execute()
    t.same(stored.map((r) => r.id), [priced.quote_id], 'one quote for the decision revision')
    const q = (await eventually('the quote on Kafka', () => quotes.find((x) => x.data.quoteId === priced.quote_id))).data
    t.same([q.rate.basis, q.rate.nominalRateBp, q.schedule.days], ['contract', 435, [31, 30, 31, 10]])
    t.same(q.schedule.paymentFen, ['0', '0', '0', '101232499'], 'the principal and all the deferred interest on 30 June, no penalty')
    await new Promise((r) => setTimeout(r, 500))
    t.equal(quotes.filter((x) => x.data.origin.kind === 'relief-decision' && x.data.origin.applicationId === deferral.applicationId).length, 1, 'one QuoteIssued on the topic')
  })

  await t.test('revisions: a later declined revision is not priced; an earlier one arriving after it is superseded', async (t) => {
    const loanId = `CBS-V-${Date.now()}`
    const uscc = firm(7003)
    const applicationId = randomUUID()
    await send('loans.events.v1', [message('core.loan.booked.v1', loanId, booking(loanId, uscc, 1))])
    await send('relief.decisions.v2', [
      message('sme.relief.decided.v2', loanId, decision({ applicationId, revision: 2, loanId, uscc, relief: 'deferral', outcome: 'DECLINED' })),
      message('sme.relief.decided.v2', loanId, decision({ applicationId, revision: 1, loanId, uscc, relief: 'deferral' })),
    ])
    await eventually('both revisions settled', async () => {
      const [two, one] = [await stateOf(s, applicationId, 2), await stateOf(s, applicationId, 1)]
      return two?.state === 'not-priced' && one?.state === 'superseded' ? true : undefined
    })
    t.match(await stateOf(s, applicationId, 2), { state: 'not-priced', code: 'RP_DECLINED', quote_id: null })
    t.match(await stateOf(s, applicationId, 1), { state: 'superseded', code: 'RP_LATER_REVISION', quote_id: null })
    t.equal((await s.db.selectFrom('quotes').select('id').where('relief_application_id', '=', applicationId).execute()).length, 0, 'no quote for either')
  })
})
