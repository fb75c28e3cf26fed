import t from 'tap'
import { DEFAULT_INCLUSIVE_LOAN_RULES, isInclusiveSmallMicroLoan, parseYuan, type SmeSize } from '../src/index.js'

const TEN_MILLION = parseYuan('10000000.00')

t.test('the cap is CNY 10 million total credit, inclusive (POLICY §1)', async (t) => {
  t.equal(DEFAULT_INCLUSIVE_LOAN_RULES.maxTotalCreditFen, 1_000_000_000n)
  t.equal(TEN_MILLION, 1_000_000_000n)
  t.ok(isInclusiveSmallMicroLoan({ borrowerKind: 'enterprise', size: 'small', totalCreditFen: TEN_MILLION }), 'exactly CNY 10m')
  t.notOk(isInclusiveSmallMicroLoan({ borrowerKind: 'enterprise', size: 'small', totalCreditFen: TEN_MILLION + 1n }), 'one fen over')
  t.ok(isInclusiveSmallMicroLoan({ borrowerKind: 'enterprise', size: 'micro', totalCreditFen: TEN_MILLION - 1n }))
  t.ok(isInclusiveSmallMicroLoan({ borrowerKind: 'enterprise', size: 'micro', totalCreditFen: 0n }))
})

t.test('only small and micro enterprises qualify', async (t) => {
  const expected: Record<SmeSize, boolean> = { micro: true, small: true, medium: false, large: false }
  for (const [size, ok] of Object.entries(expected) as [SmeSize, boolean][]) {
    t.equal(isInclusiveSmallMicroLoan({ borrowerKind: 'enterprise', size, totalCreditFen: parseYuan('500000.00') }), ok, size)
  }
})

t.test('individual businesses and small-business owners are included', async (t) => {
  for (const borrowerKind of ['individual-business', 'small-business-owner'] as const) {
    t.ok(isInclusiveSmallMicroLoan({ borrowerKind, totalCreditFen: TEN_MILLION }), `${borrowerKind} at the cap`)
    t.notOk(isInclusiveSmallMicroLoan({ borrowerKind, totalCreditFen: TEN_MILLION + 1n }), `${borrowerKind} over the cap`)
  }
})

t.test('the cap is a parameter; nonsense is refused', async (t) => {
  const rules = { maxTotalCreditFen: parseYuan('5000000.00') }
  t.notOk(isInclusiveSmallMicroLoan({ borrowerKind: 'enterprise', size: 'micro', totalCreditFen: TEN_MILLION }, rules))
  t.ok(isInclusiveSmallMicroLoan({ borrowerKind: 'enterprise', size: 'micro', totalCreditFen: parseYuan('5000000.00') }, rules))
  t.throws(() => isInclusiveSmallMicroLoan({ borrowerKind: 'individual-business', totalCreditFen: -1n }), { code: 'invalid-argument' })
})
