// Emergency bridge funds (应急转贷): the tiered daily fee and the cap, as Given/When/Then rows.
import t from 'tap'
import { parseDate } from '@sme/domain'
import { BRIDGE_CONVENTIONS, bridgeFee, bridgeFundOn, DEFAULT_BRIDGE_FUND, type BridgeFund, type BridgeRequest } from '../../src/index.js'

const d = parseDate
const FUND = DEFAULT_BRIDGE_FUND
const ONE_MILLION: BridgeRequest = { amount: 1_000_000_00n, committedRenewal: 1_000_000_00n, from: d('2020-03-20'), until: d('2020-03-23') }

const ROWS: { name: string; given: { fund?: BridgeFund; request: BridgeRequest }; then: { days: number; tiers: [number, number, bigint][]; feeFen: bigint } }[] = [
  {
    name: '¥1,000,000 for 3 days at 0.2‰ a day: ¥600',
    given: { request: ONE_MILLION },
    then: { days: 3, tiers: [[3, 200, 60_000n]], feeFen: 60_000n },
  },
  {
    name: 'five days, all in the first tier: ¥1,000',
    given: { request: { ...ONE_MILLION, until: d('2020-03-25') } },
    then: { days: 5, tiers: [[5, 200, 100_000n]], feeFen: 100_000n },
  },
  {
    name: 'eight days: five at 0.2‰, then three at 0.4‰ — ¥1,000 + ¥1,200',
    given: { request: { ...ONE_MILLION, until: d('2020-03-28') } },
    then: { days: 8, tiers: [[5, 200, 100_000n], [3, 400, 120_000n]], feeFen: 220_000n },
  },
  {
    name: 'an amount that leaves half a fen: ¥12,345.67 for 1 day at 0.2‰ = 246.9134 fen → 247 (half-up, once per tier)',
    given: { request: { ...ONE_MILLION, amount: 1_234_567n, until: d('2020-03-21') } },
    then: { days: 1, tiers: [[1, 200, 247n]], feeFen: 247n },
  },
  {
    name: 'across a month end, counted in calendar days (28 Feb → 2 Mar 2020 is 3 days: a leap year)',
    given: { request: { ...ONE_MILLION, from: d('2020-02-28'), until: d('2020-03-02') } },
    then: { days: 3, tiers: [[3, 200, 60_000n]], feeFen: 60_000n },
  },
]

t.test('Given a bridge to a committed renewal, when its fee is computed, then each day is charged at its tier', async (t) => {
  for (const row of ROWS) {
    t.test(row.name, async (t) => {
      const fee = bridgeFee(row.given.fund ?? FUND, row.given.request)
      t.equal(fee.days, row.then.days)
      t.same(fee.tiers.map((x) => [x.days, x.dailyPpm, x.feeFen]), row.then.tiers)
      t.equal(fee.feeFen, row.then.feeFen)
    })
  }
})

t.test('Given a bridge outside the fund’s terms, when computed, then it is refused naming the field', async (t) => {
  const capped: BridgeFund = { ...FUND, id: 'capped', maxShareOfRenewalBp: 8_000, maxDays: 10 }
  t.throws(() => bridgeFee(capped, { ...ONE_MILLION, amount: 800_000_01n }), { name: 'PricingError', code: 'invalid-argument', field: '/body/amountFen' }, 'above 80% of the renewal')
  t.equal(bridgeFee(capped, { ...ONE_MILLION, amount: 800_000_00n }).capFen, 800_000_00n, '80% exactly is allowed')
  t.throws(() => bridgeFee(capped, { ...ONE_MILLION, until: d('2020-03-31') }), { name: 'PricingError', field: '/body/until' }, '11 days for a 10-day fund')
  t.throws(() => bridgeFee(FUND, { ...ONE_MILLION, until: ONE_MILLION.from }), { name: 'PricingError', field: '/body/until' }, 'no days')
  t.throws(() => bridgeFee(FUND, { ...ONE_MILLION, amount: 0n }), { name: 'PricingError', field: '/body/amountFen' }, 'nothing bridged')
  const tiered: BridgeFund = { ...FUND, tiers: [{ throughDay: 5, dailyPpm: 200 }] }
  t.throws(() => bridgeFee(tiered, { ...ONE_MILLION, until: d('2020-03-26') }), { name: 'PricingError', field: '/body/until' }, 'a day no tier prices')
})

t.test('Given dated funds, when one is looked up, then the highest version in force that day, or the one named', async (t) => {
  const v2: BridgeFund = { ...FUND, version: 2, effectiveFrom: d('2022-01-01'), tiers: [{ throughDay: null, dailyPpm: 100 }] }
  t.equal(bridgeFundOn([FUND, v2], d('2021-12-31')).version, 1)
  t.equal(bridgeFundOn([FUND, v2], d('2022-01-01')).version, 2)
  t.throws(() => bridgeFundOn([FUND], d('2018-12-31')), { code: 'no-bridge-fund' })
  t.throws(() => bridgeFundOn([FUND], d('2020-03-20'), 'elsewhere'), { name: 'PricingError', code: 'no-bridge-fund', field: '/body/fundId' })
  t.ok(Object.keys(BRIDGE_CONVENTIONS).length === 3)
})
