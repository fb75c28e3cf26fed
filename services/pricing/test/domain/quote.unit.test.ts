// A whole quote (POLICY §3): rate, schedule, subsidy, guarantee fee and the annualized rates a
// contract and the firm see, for the 2020 case the notices publish (3.15% → the firm pays 1.575%).
import t from 'tap'
import { LPR_TABLE_FIXTURE, parseDate } from '@sme/domain'
import { DEFAULT_PROGRAMMES, DEFAULT_RATE_CARD, priceQuote, QUOTE_CONVENTIONS, type QuoteRequest } from '../../src/index.js'
import { KEY_LIST_LOAN } from '../fixtures.js'

const d = parseDate
// The LPR series the service seeds itself with (the bundled fixture of @sme/domain).
const LPR = LPR_TABLE_FIXTURE
const SOURCES = { lpr: LPR, cards: [DEFAULT_RATE_CARD], programmes: DEFAULT_PROGRAMMES }

t.test('Given a key-list firm’s one-year loan in February 2020, when quoted, then the firm pays half the capped rate: 1.575% nominal, under the 1.6% target, yet 1.601% annualized over the leap year', async (t) => {
  const quote = priceQuote(KEY_LIST_LOAN, SOURCES)
  t.equal(quote.rate.nominalRateBp, 315)
  // Interest-only: 366 days of 2020-02-10…2021-02-10 at 3.15% on ¥1,000,000 (per period, half-up).
  t.equal(quote.schedule.totalInterest, quote.schedule.periods.reduce((a, p) => a + p.interest, 0n))
  t.ok(quote.firmCost.subsidyFen * 2n - quote.firmCost.interestFen <= 12n && quote.firmCost.interestFen - quote.firmCost.subsidyFen * 2n <= 12n, 'the treasury pays half of every period, to the fen per period')
  t.equal(quote.firmCost.netFen, quote.firmCost.interestFen - quote.firmCost.subsidyFen)
  t.ok(quote.contractAnnualized.centiBp > 31_500 && quote.contractAnnualized.centiBp < 32_100, `contract ${quote.contractAnnualized.centiBp / 10_000}% (ACT/360: a little over 3.15%)`)
  t.equal(quote.rate.firmRateCentiBp, 15_750, 'nominal 1.575%: under the 1.6% target')
  // 366 days of interest (2020-02-10…2021-02-10) at a 360-day rate: 1.575% × 366 ÷ 360 = 1.60125%.
  // The target is met on the nominal rate the notices quote, not on the annualized figure a
  // contract must state by the IRR method: the quote shows both.
  t.ok(Math.abs(quote.firmCost.annualized.centiBp - 16_012) <= 3, `annualized ${quote.firmCost.annualized.centiBp / 10_000}%`)
})

t.test('Given a guarantee fee, when quoted, then it accrues like interest and adds to the firm’s cost, not to the contract rate', async (t) => {
  const plain = priceQuote(KEY_LIST_LOAN, SOURCES)
  const guaranteed = priceQuote({ ...KEY_LIST_LOAN, guaranteeFeeBp: 50 }, SOURCES)
  t.equal(guaranteed.guaranteeFees.length, 12)
  t.equal(guaranteed.contractAnnualized.centiBp, plain.contractAnnualized.centiBp)
  t.ok(guaranteed.firmCost.guaranteeFeeFen > 500_00n * 10n, `${guaranteed.firmCost.guaranteeFeeFen} fen of fees on ¥1,000,000 at 0.5%`)
  const added = guaranteed.firmCost.annualized.centiBp - plain.firmCost.annualized.centiBp
  t.ok(added > 4_900 && added < 5_200, `adds about 0.5% a year: ${added / 10_000}%`)
})

t.test('a quote states its conventions', async (t) => {
  for (const key of ['dueDates', 'dayCount', 'interestRounding', 'principalRemainder', 'levelInstalment', 'interestAboveInstalment', 'grace', 'periods', 'rounding', 'order', 'guaranteeFee', 'annualized', 'subBasisPoint']) {
    t.ok(key in QUOTE_CONVENTIONS, key)
  }
})
