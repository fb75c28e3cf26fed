// Timers, the portfolio cap and risk-compensation pools (POLICY §5), as Given/When/Then rows.
import t from 'tap'
import { CN_WORKING_DAYS } from '@sme/domain'
import { AGREEMENT_4222, AGREEMENT_4321, addBusinessDays, businessDaysAfter, checkPortfolioCap, poolIneligibility, poolPayments, type PoolLoan } from '../../src/domain/index.js'
import { d, POOL } from './fixtures.js'

t.test('payment deadlines count official working days', async (t) => {
  const rows: readonly [string, number, string, string][] = [
    ['2020-03-02', 1, '2020-03-03', 'Monday + 1: Tuesday'],
    ['2020-03-06', 1, '2020-03-09', 'Friday + 1: Monday'],
    ['2020-01-17', 3, '2020-01-21', 'Friday + 3: Sunday 19 January 2020 was a make-up working day'],
    ['2020-01-22', 3, '2020-02-04', 'across the Spring Festival (extended to 2 February in 2020)'],
    ['2020-09-30', 2, '2020-10-10', 'the National Day week skipped, Saturday 10 October worked'],
    ['2020-03-02', 0, '2020-03-02', 'no days: the same day'],
  ]
  for (const [from, days, then, why] of rows) t.equal(addBusinessDays(d(from), days), then, why)
  t.throws(() => addBusinessDays(d('2026-12-01'), 60), { code: 'calendar-not-covered' }, 'past the calendar’s years: refused unless asked to estimate')
  t.same(businessDaysAfter(d('2026-12-30'), 3, CN_WORKING_DAYS, 'weekdays'), { date: d('2027-01-05'), estimated: true }, 'estimated: Thursday 31 December, then (1 January a holiday by date) Monday 4 and Tuesday 5 January 2027')
  t.same(businessDaysAfter(d('2026-12-01'), 3, CN_WORKING_DAYS, 'weekdays'), { date: d('2026-12-04'), estimated: false }, 'inside the calendar: exact')
})

t.test('the portfolio cap, net of recoveries', async (t) => {
  const book = { guaranteed: 1_000_000_000n, compensated: 40_000_000n, recoveredToPayers: 0n }
  const flagged = checkPortfolioCap(AGREEMENT_4222, book, 10_000_001n)
  t.same({ limit: flagged.limit, used: flagged.used, headroom: flagged.headroom, exceeded: flagged.exceeded, mode: flagged.mode }, { limit: 50_000_000n, used: 40_000_000n, headroom: 10_000_000n, exceeded: true, mode: 'flag' }, '5% of the book: one fen over')
  t.equal(checkPortfolioCap(AGREEMENT_4222, book, 10_000_000n).exceeded, false, 'exactly at the cap')
  t.equal(checkPortfolioCap(AGREEMENT_4222, { ...book, recoveredToPayers: 5_000_000n }, 15_000_000n).exceeded, false, 'recoveries top the headroom up')
  t.equal(checkPortfolioCap(AGREEMENT_4321, book, 1n).mode, 'enforce')
  t.equal(checkPortfolioCap(AGREEMENT_4321, book, 1n).exceeded, true, '3% of the book is already used')
})

const LOAN: PoolLoan = { issuedOn: d('2020-03-15'), borrowerSize: 'micro', agencyGuaranteed: false, principalAtDefault: 10_000_000n }

t.test('which loans a pool covers', async (t) => {
  t.same(poolIneligibility(POOL, LOAN), [])
  t.same(poolIneligibility(POOL, { ...LOAN, issuedOn: d('2020-01-31') }), ['ISSUED_OUTSIDE_PERIOD'])
  t.same(poolIneligibility(POOL, { ...LOAN, issuedOn: d('2020-12-31') }), [], 'the last day of the period')
  t.same(poolIneligibility(POOL, { ...LOAN, borrowerSize: 'medium' }), ['SIZE_NOT_COVERED'])
  t.same(poolIneligibility(POOL, { ...LOAN, agencyGuaranteed: true }), ['AGENCY_GUARANTEED'])
})

t.test('pool payments: 30% on non-performance, 10% more on final loss, never more than the loss', async (t) => {
  const none = new Map<string, bigint>()
  t.same(poolPayments(POOL, LOAN, { kind: 'non-performing' }, none), [{ payer: 'ZJ-PROVINCE', stage: 'non-performing', amount: 3_000_000n }])
  const afterProvince = new Map([['ZJ-PROVINCE', 3_000_000n]])
  t.same(poolPayments(POOL, LOAN, { kind: 'non-performing' }, afterProvince), [{ payer: 'ZJ-PROVINCE', stage: 'non-performing', amount: 0n }], 'asked twice: nothing more')
  t.same(poolPayments(POOL, LOAN, { kind: 'final-loss', loss: 8_000_000n }, afterProvince), [{ payer: 'HZ-CITY', stage: 'final-loss', amount: 1_000_000n }], 'a large loss: the city’s 10%')
  t.same(poolPayments(POOL, LOAN, { kind: 'final-loss', loss: 3_500_000n }, afterProvince), [{ payer: 'HZ-CITY', stage: 'final-loss', amount: 500_000n }], 'the loss caps the whole: the city pays the rest of it only')
  t.same(poolPayments(POOL, LOAN, { kind: 'final-loss', loss: 2_000_000n }, afterProvince), [{ payer: 'ZJ-PROVINCE', stage: 'non-performing', amount: -1_000_000n }], 'recoveries left a loss under what the province paid: the bank pays the excess back')
  t.same(poolPayments(POOL, LOAN, { kind: 'final-loss', loss: 0n }, new Map([['ZJ-PROVINCE', 3_000_000n], ['HZ-CITY', 1_000_000n]])), [
    { payer: 'ZJ-PROVINCE', stage: 'non-performing', amount: -3_000_000n },
    { payer: 'HZ-CITY', stage: 'final-loss', amount: -1_000_000n },
  ], 'no loss at all: everything back')
})
