// What-if over a book (POLICY §3 "what-if"): each quote priced under the records in force and under
// the drafts laid over them; the firm's cost and the subsidy budget by payer and year, to the fen.
import t from 'tap'
import { LPR_TABLE_FIXTURE } from '@sme/domain'
import { bookImpact, DEFAULT_PROGRAMMES, DEFAULT_RATE_CARD, priceQuote, type QuoteRequest, type RateSources } from '../../src/index.js'
import { KEY_LIST_LOAN, LOCAL_SUBSIDY_2020 } from '../fixtures.js'

const LIVE: RateSources = { lpr: LPR_TABLE_FIXTURE, cards: [DEFAULT_RATE_CARD], programmes: DEFAULT_PROGRAMMES }
const WITH_LOCAL: RateSources = { ...LIVE, programmes: [...DEFAULT_PROGRAMMES, LOCAL_SUBSIDY_2020] }

// KEY_LIST_LOAN: ¥1,000,000 for a year from 2020-02-10 at 3.15% (the special re-lending cap): the
// central treasury pays half; a local 25% of the rate paid is 78.75 bp = 2,187.5 fen a day.
const KEY_LIST = KEY_LIST_LOAN
const NOT_LISTED: QuoteRequest = { ...KEY_LIST, borrower: { ...KEY_LIST.borrower, keyList: null } }

const twice = (id: string, request: QuoteRequest, after: RateSources) => ({ id, before: priceQuote(request, LIVE), after: priceQuote(request, after) })

t.test('Given a key-list loan and another, when a local subsidy is laid over, then only the first changes, by exactly the local budget', async (t) => {
  const impact = bookImpact([twice('listed', KEY_LIST, WITH_LOCAL), twice('other', NOT_LISTED, WITH_LOCAL)])
  t.equal(impact.compared, 2)
  t.same(
    impact.changes.map((c) => c.id),
    ['listed'],
    'the firm off the lists is not a change',
  )
  // Days of the periods due in 2020 (10 March … 10 December): 29, 31, 30, 31, 30, 31, 31, 30, 31, 30;
  // in 2021: 31, 31. At 2,187.5 fen a day, half-up per period: 63,438, 67,813 or 65,625.
  const local2020 = 63_438n + 5n * 67_813n + 4n * 65_625n
  const local2021 = 2n * 67_813n
  t.same(
    impact.budget.filter((l) => l.payer === 'local-treasury'),
    [
      { payer: 'local-treasury', year: 2020, beforeFen: 0n, afterFen: local2020 },
      { payer: 'local-treasury', year: 2021, beforeFen: 0n, afterFen: local2021 },
    ],
  )
  t.ok(
    impact.budget.filter((l) => l.payer === 'central-treasury').every((l) => l.beforeFen === l.afterFen && l.beforeFen > 0n),
    'the central subsidy is what it was',
  )
  t.equal(impact.before.firmCostFen - impact.after.firmCostFen, local2020 + local2021, 'the firms pay what the local treasury takes on')
  t.equal(impact.after.subsidyFen - impact.before.subsidyFen, local2020 + local2021)
  t.equal(impact.before.interestFen, impact.after.interestFen, 'the bank’s interest does not change')
  const change = impact.changes[0]!
  t.equal(change.before.firmRateCentiBp - change.after.firmRateCentiBp, 7_875, 'the firm’s rate falls by 78.75 bp')
  t.same(change.programmes, [{ id: 'local-subsidy-2020', before: null, after: { version: 1, status: 'applied', code: 'PR_SUBSIDY' } }])
})

t.test('Given a draft the book cannot be priced under, when compared, then the quote is reported unpriced and left out of the sums', async (t) => {
  const gradeD = { ...KEY_LIST, borrower: { ...KEY_LIST.borrower, grade: 'D' } }
  const card = { ...DEFAULT_RATE_CARD, version: 2, spreads: DEFAULT_RATE_CARD.spreads.filter((s) => s.grade !== 'D') }
  const after: RateSources = { ...LIVE, cards: [DEFAULT_RATE_CARD, card] }
  const impact = bookImpact([
    { id: 'graded-d', before: priceQuote(gradeD, LIVE), after: { id: 'graded-d', side: 'after', code: 'no-card-spread', message: 'no spread for grade D' } },
    twice('listed', KEY_LIST, after),
  ])
  t.equal(impact.compared, 1)
  t.same(impact.unpriced.map((u) => `${u.id}:${u.side}:${u.code}`), ['graded-d:after:no-card-spread'])
  t.same(impact.changes, [], 'the same card figures for grade BBB: no change')
  t.same(impact.before, impact.after)
})

t.test('Given an empty book, when compared, then every sum is zero', async (t) => {
  t.same(bookImpact([]), { compared: 0, before: { interestFen: 0n, subsidyFen: 0n, guaranteeFeeFen: 0n, firmCostFen: 0n }, after: { interestFen: 0n, subsidyFen: 0n, guaranteeFeeFen: 0n, firmCostFen: 0n }, budget: [], changes: [], unpriced: [] })
})
