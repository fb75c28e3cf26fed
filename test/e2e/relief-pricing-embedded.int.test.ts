// End to end in embedded mode, as `npm start` runs the platform: scoring, relief and pricing in one
// process on PGlite with the in-process transport. Core banking books a loan; relief decides an
// extension on it (scored by the scoring service); pricing re-prices the approved terms from the
// loan and the grade it read off the streams and publishes the quote, once.
import t from 'tap'
import { Compile } from 'typebox/compile'
import { LoanBooked, QuoteIssued, ScoreCompleted, type QuoteIssuedData } from '@sme/contracts'
import { createPgliteDatabase } from '@sme/data'
import { fromTransportMessage, InProcessTransport, newEvent, toTransportMessage } from '@sme/events'
import { buildService, migrateService, type BuiltService, type ServiceDefinition } from '@sme/kit'
import { eventually, testLogger } from '@sme/testing'
import { pricingService } from '@sme/pricing'
import { reliefService } from '@sme/relief'
import { scoringService } from '@sme/scoring'
// Fixtures of the services' own tests: an end-to-end test sits above every service and may use them.
import { AUTH, applicationBody, authHeader, clockFrom, healthyFirmRecords, newKey, uscc } from '../../services/relief/test/helpers.js'

t.test('embedded: a loan booked, an extension approved, the new terms re-priced and published once', async (t) => {
  const database = await createPgliteDatabase<any>()
  const transport = new InProcessTransport({ redeliveryDelayMs: 20 })
  const started: BuiltService[] = []
  t.teardown(async () => {
    for (const s of started.reverse()) await s.app.close()
    await transport.close()
    await database.close()
  })
  const now = clockFrom('2020-06-15T02:00:00Z')
  const start = async <DB>(definition: ServiceDefinition<DB>) => {
    await migrateService(database, definition)
    const built = await buildService(definition, { database, transport, logger: testLogger(), auth: AUTH, now, relay: { pollIntervalMs: 50 } })
    started.push(built)
    await built.startMessaging()
    return built
  }
  const scoring = await start(scoringService())
  const relief = await start(reliefService())
  const pricing = await start(pricingService())

  // What a consumer of pricing.quotes.v1 sees: each quote checked against the contract's schema.
  const checkQuote = Compile(QuoteIssued.schema)
  const quotes: { type: string; subject: string | undefined; data: QuoteIssuedData }[] = []
  let nonConforming = 0
  await transport.subscribe({
    groupId: 'watch',
    topics: [QuoteIssued.topic],
    handle: async (m) => {
      const e = fromTransportMessage(m)
      if (e.type !== QuoteIssued.type) return
      if (checkQuote.Check(e.data)) quotes.push({ type: e.type, subject: e.subject, data: e.data })
      else nonConforming += 1
    },
  })

  const firm = uscc(9101)
  const feed = await authHeader('core-banking', { sub: 'data-feed' })
  const seeded = await scoring.app.inject({ method: 'POST', url: '/data-points/batch', headers: { ...feed, 'idempotency-key': 'seed' }, payload: { mode: 'all-or-nothing', records: healthyFirmRecords(firm) } })
  t.equal(seeded.statusCode, 200, 'the firm’s data is with the scoring service')

  // Core banking books the loan the application is about (a 7-month working-capital loan at 4.35%).
  const body = applicationBody('extension', { branchId: 'FZ01', uscc: firm })
  const loan = body.loan
  const booked = newEvent({
    source: '/core-banking/fz',
    type: LoanBooked.type,
    data: {
      eventId: `CBS-${loan.loanId}-1`,
      loanId: loan.loanId,
      sequence: 1,
      asOf: '2019-12-01T09:00:00+08:00',
      position: { outstandingPrincipalFen: loan.outstandingPrincipalFen, daysPastDue: 0, classification: 'normal', status: 'active' },
      borrower: { kind: 'enterprise', uscc: firm },
      branchId: 'FZ01',
      product: loan.product,
      principalFen: loan.outstandingPrincipalFen,
      startDate: loan.startDate,
      maturityDate: loan.maturityDate,
      rateBp: loan.rateBp,
      guarantee: { kind: 'guarantee', guarantorId: '91350100MA2XXXXX1K' },
    },
  })
  await transport.publish([toTransportMessage(LoanBooked.topic, loan.loanId, booked)])

  const core = await authHeader('core-banking', { sub: 'core-fz', branches: ['*'] })
  const submitted = await relief.app.inject({ method: 'POST', url: '/applications', headers: { ...core, 'idempotency-key': newKey('emb') }, payload: body })
  t.equal(submitted.statusCode, 202, submitted.body)
  const applicationId = submitted.json().id as string

  const quote = await eventually('the re-priced terms on pricing.quotes.v1', () => quotes.find((e) => e.data.origin.kind === 'relief-decision' && e.data.origin.applicationId === applicationId), 45_000)
  t.equal(quote.type, QuoteIssued.type)
  t.equal(quote.subject, loan.loanId, 'about the loan')
  const q = quote.data
  // 2019-12-01 → 2020-07-01 is 7 months; extended to 2020-12-31, 13: the 1–3-year tier from the old maturity.
  t.same([q.startDate, q.schedule.dueDate.at(-1), q.rate.basis, q.loanId, q.branchId], ['2020-07-01', '2020-12-31', 'extension-tier', loan.loanId, 'FZ01'])
  t.equal(q.rate.nominalRateBp, 435 + 20, 'the contract rate plus the card’s 20 bp between the bands, the 1-year LPR on both sides')
  t.equal(q.schedule.principalFen.reduce((a, p) => a + BigInt(p), 0n), 300_000_000n, 'the outstanding principal, repaid by the new maturity')
  const score = await eventually('the grade it priced by', async () => {
    const row = await pricing.context.db.selectFrom('grades').select(['grade']).where('uscc', '=', firm).executeTakeFirst()
    return row?.grade
  })
  t.ok(score.length > 0, `grade ${score} from ${ScoreCompleted.type}`)

  await new Promise((r) => setTimeout(r, 500))
  t.equal(quotes.filter((e) => e.data.origin.kind === 'relief-decision' && e.data.origin.applicationId === applicationId).length, 1, 'published once')
  t.equal(nonConforming, 0, 'every quote event meets the contract')
  const view = await pricing.app.inject({ method: 'GET', url: `/quotes/${q.quoteId}`, headers: await authHeader('officer', { branches: ['FZ01'] }) })
  t.equal(view.statusCode, 200, 'the quote reads back from pricing')
  t.equal(view.json().status, 'open')
})
