// The quote's JSON written by hand for speed (the schedule's columns in one pass, the view with the
// stored schedule spliced in) must be exactly what serializing the objects gives, and meet the schema.
import t from 'tap'
import { Compile } from 'typebox/compile'
import { LPR_TABLE_FIXTURE, parseDate } from '@sme/domain'
import { DEFAULT_PROGRAMMES, DEFAULT_RATE_CARD, priceAtRate, priceQuote, REPAYMENT_METHODS, type QuoteRequest } from '../src/domain/index.js'
import { prefersMinimal, QuoteBrief, QuoteView } from '../src/schemas.js'
import { issuedQuote, quoteBriefBody, quoteData, quoteDataOf, quoteViewBody, scheduleColumns, scheduleJson, type QuoteFacts } from '../src/use-cases/quotes.js'

const d = parseDate
const SOURCES = { lpr: LPR_TABLE_FIXTURE, cards: [DEFAULT_RATE_CARD], programmes: DEFAULT_PROGRAMMES }
const REQUEST: QuoteRequest = {
  borrower: { kind: 'enterprise', size: 'small', grade: 'BBB', affected: true, keyList: { list: 'national', listedOn: d('2020-02-01') }, inclusiveSmallMicro: false },
  product: 'working-capital',
  principal: 98_765_432_10n,
  termMonths: 36,
  method: 'equal-instalments',
  pricingDate: d('2020-02-10'),
  startDate: d('2020-02-10'),
  guaranteeFeeBp: 50,
}
const FACTS: QuoteFacts = {
  branchId: 'B001',
  borrower: { kind: 'enterprise', uscc: '91350100M000100Y43' },
  product: 'working-capital',
  method: 'equal-instalments',
  termMonths: 36,
  principalFen: '9876543210',
  pricingDate: '2020-02-10',
  startDate: '2020-02-10',
}
const checkView = Compile(QuoteView)

t.test('the schedule’s JSON written in one pass is the columns serialized, for every method, with subsidies, fees and deferred interest', async (t) => {
  for (const method of REPAYMENT_METHODS) {
    const q = priceQuote({ ...REQUEST, method }, SOURCES)
    t.ok(q.subsidy.totals.length > 0 && q.guaranteeFees.length > 0, 'subsidised and guaranteed')
    t.equal(scheduleJson(q), JSON.stringify(scheduleColumns(q)), method)
  }
  const rate = priceQuote(REQUEST, SOURCES).rate
  const deferred = priceAtRate({ ...REQUEST, method: 'interest-only', termMonths: 4, maturityDate: d('2020-06-01'), interestPaidFrom: d('2020-05-20') }, rate)
  t.equal(scheduleJson(deferred), JSON.stringify(scheduleColumns(deferred)), 'a short last period and interest paid late')
})

t.test('the view’s JSON parses to the quote as issued, with where it stands and its conventions, and meets QuoteView', async (t) => {
  const q = priceQuote(REQUEST, SOURCES)
  const issuedAt = new Date('2020-02-10T01:00:00Z')
  const issued = issuedQuote('6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f', FACTS, q, { kind: 'request' }, issuedAt)
  const stored = { ...issued, branchId: 'B001', expiresAt: new Date(issued.summary.expiresAt), acceptedAt: null }
  const view = JSON.parse(quoteViewBody(stored, issuedAt).toString('utf8')) as Record<string, unknown>
  t.ok(checkView.Check(view), JSON.stringify([...checkView.Errors(view)].slice(0, 2)))
  const { status, acceptedAt, conventions, ...quote } = view
  t.same([status, acceptedAt], ['open', null])
  t.same(quote, quoteData('6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f', FACTS, q, { kind: 'request' }, issuedAt), 'the quote as quoteData builds it')
  t.same(quoteDataOf(stored), quote, 'and as an event carries it')
  t.ok(conventions !== null && typeof conventions === 'object' && 'stubPeriod' in conventions)
  t.equal(JSON.parse(quoteViewBody({ ...stored, acceptedAt: issuedAt }, issuedAt).toString('utf8')).status, 'accepted')
  t.equal(JSON.parse(quoteViewBody(stored, new Date(stored.expiresAt.getTime() + 1)).toString('utf8')).status, 'expired')
})

t.test('the brief view (Prefer: return=minimal) is the whole view without its schedule and conventions, and meets QuoteBrief', async (t) => {
  const q = priceQuote({ ...REQUEST, termMonths: 360 }, SOURCES)
  const issuedAt = new Date('2020-02-10T01:00:00Z')
  const issued = issuedQuote('6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f', { ...FACTS, termMonths: 360 }, q, { kind: 'request' }, issuedAt)
  const stored = { ...issued, branchId: 'B001', expiresAt: new Date(issued.summary.expiresAt), acceptedAt: null }
  const whole = quoteViewBody(stored, issuedAt)
  const brief = quoteBriefBody(stored, issuedAt)
  const parsed = JSON.parse(brief.toString('utf8')) as Record<string, unknown>
  t.ok(Compile(QuoteBrief).Check(parsed), JSON.stringify([...Compile(QuoteBrief).Errors(parsed)].slice(0, 2)))
  const { schedule, conventions, ...rest } = JSON.parse(whole.toString('utf8')) as Record<string, unknown>
  t.same(parsed, rest)
  t.ok(brief.length * 10 < whole.length, `${brief.length} bytes instead of ${whole.length}`)
})

t.test('Given a Prefer header, when read, then only return=minimal asks for the brief view (RFC 7240)', async (t) => {
  const rows: [string | string[] | undefined, boolean][] = [
    [undefined, false],
    ['return=minimal', true],
    ['Return=minimal', true],
    ['respond-async, return=minimal', true],
    [['wait=10', 'return=minimal'], true],
    ['return="minimal"', true],
    ['return=minimal; foo=bar', true],
    ['return=representation', false],
    ['handling=lenient', false],
    ['', false],
  ]
  for (const [header, minimal] of rows) t.equal(prefersMinimal(header), minimal, JSON.stringify(header))
})
