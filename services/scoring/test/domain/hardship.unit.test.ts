// Hardship signal on crafted series: crisis 2020-01-23, baseline 2019-01 … 2019-12, pre-crisis trend
// 2019-07 … 12 vs 2018-07 … 12, assessed 2020-06-15 (recent window 2020-03 … 05).
import fc from 'fast-check'
import t from 'tap'
import {
  DEFAULT_HARDSHIP_POLICY,
  HARDSHIP_REASONS,
  assessHardship,
  type DataPoint,
  type HardshipAssessment,
  type HardshipDimensionId,
} from '../../src/domain/index.js'
import { AS_OF, CRISIS, d, headcount, invoice, months, taxReturn, utility } from './fixtures/enterprise.js'

/** A figure per month; `undefined` = not reported. */
type Series = (month: string) => number | undefined

/** Pre-crisis value `base` (2018–2019), then the listed 2020 months (others = base). */
const shape =
  (base: number, in2020: Record<string, number> = {}, in2019?: number): Series =>
  (m) =>
    m >= '2020-01' ? (in2020[m] ?? base) : m >= '2019-01' && in2019 !== undefined ? in2019 : base

function build(
  { revenue, staff, power }: { revenue?: Series; staff?: Series; power?: Series },
  options: { to?: string; fetched?: string } = {},
): DataPoint[] {
  const asOf = d(options.fetched ?? '2020-06-10')
  const list = months('2018-01', options.to ?? '2020-05')
  const each = (series: Series | undefined, make: (m: string, v: number) => DataPoint) =>
    series === undefined ? [] : list.flatMap((m) => (series(m) === undefined ? [] : [make(m, series(m) as number)]))
  return [
    ...each(revenue, (m, v) => invoice(m, BigInt(v), { asOf })),
    ...each(staff, (m, v) => headcount(m, v, 'social-insurance', { asOf })),
    ...each(power, (m, v) => utility(m, { consumption: v }, { asOf })),
  ]
}

const assess = (points: DataPoint[], asOf = AS_OF) => assessHardship({ points, asOf, crisisStart: CRISIS })
const dim = (a: HardshipAssessment, id: HardshipDimensionId) => a.dimensions.find((x) => x.dimension === id)!
const codes = (a: HardshipAssessment) => a.reasons.map((r) => r.code)
const FLAT = shape(10_000)

t.test('flat activity: no hardship', async (t) => {
  const a = assess(build({ revenue: FLAT, staff: shape(20), power: FLAT }))
  t.equal(a.classification, 'none')
  t.same(codes(a), ['HS_NO_SHOCK'])
  t.same(a.baseline, { from: '2019-01', to: '2019-12' })
  t.same(dim(a, 'revenue'), {
    dimension: 'revenue',
    source: 'invoices',
    unit: 'fen',
    status: 'assessed',
    baselineMonthsReported: 12,
    months: [
      { month: '2020-03', amount: 10_000n, baseline: 10_000n, changeBp: 0 },
      { month: '2020-04', amount: 10_000n, baseline: 10_000n, changeBp: 0 },
      { month: '2020-05', amount: 10_000n, baseline: 10_000n, changeBp: 0 },
    ],
    changeBp: 0,
    trajectoryBp: 0,
    trajectory: 'stable',
    preCrisisTrendBp: 0,
    shocked: false,
    declinedBeforeCrisis: false,
    dataPointIds: [...months('2018-07', '2019-12'), ...months('2020-03', '2020-05')].map((m) => `inv-${m}`),
  })
  t.same(a.policy, DEFAULT_HARDSHIP_POLICY)
})

t.test('temporary shock: healthy baseline, sharp drop, recovering, jobs kept', async (t) => {
  const a = assess(
    build({
      revenue: shape(10_000, { '2020-01': 9_000, '2020-02': 3_000, '2020-03': 5_000, '2020-04': 6_500, '2020-05': 8_000 }),
      staff: shape(100, { '2020-02': 97, '2020-03': 97, '2020-04': 97, '2020-05': 97 }),
      power: shape(10_000, { '2020-02': 5_000, '2020-03': 6_000, '2020-04': 7_000, '2020-05': 8_000 }),
    }),
  )
  t.equal(a.classification, 'temporary-shock')
  t.same(codes(a), ['HS_SHOCK_REVENUE', 'HS_SHOCK_UTILITIES', 'HS_RECOVERING_REVENUE', 'HS_RECOVERING_UTILITIES', 'HS_HEADCOUNT_KEPT'])
  t.match(dim(a, 'revenue'), { changeBp: -3500, trajectoryBp: 3000, trajectory: 'recovering', shocked: true, preCrisisTrendBp: 0 })
  t.match(dim(a, 'headcount'), { changeBp: -300, shocked: false })
  t.match(dim(a, 'utilities'), { source: 'electricity', unit: 'kWh', changeBp: -3000, trajectory: 'recovering' })
  t.same(a.reasons[0]?.text, HARDSHIP_REASONS.HS_SHOCK_REVENUE)
  t.equal(a.reasons[0]?.text.zh, '营业收入较危机前基线大幅下降')
})

t.test('structural decline: the decline was under way before the crisis', async (t) => {
  // 2018: 10,000; 2019 H1: 9,500; 2019 H2: 8,500 (−15% year on year); 2020: 5,000.
  const revenue: Series = (m) => (m >= '2020-01' ? 5_000 : m >= '2019-07' ? 8_500 : m >= '2019-01' ? 9_500 : 10_000)
  const a = assess(build({ revenue, staff: shape(20), power: shape(10_000, { '2020-03': 7_000, '2020-04': 7_000, '2020-05': 7_000 }) }))
  t.equal(a.classification, 'structural-decline')
  t.same(codes(a), ['HS_PRE_CRISIS_DECLINE_REVENUE', 'HS_SHOCK_REVENUE', 'HS_SHOCK_UTILITIES'])
  t.match(dim(a, 'revenue'), { preCrisisTrendBp: -1500, declinedBeforeCrisis: true, changeBp: -4737 })
})

t.test('structural decline: several dimensions keep falling and staff are let go', async (t) => {
  const a = assess(
    build({
      revenue: shape(10_000, { '2020-03': 7_000, '2020-04': 6_000, '2020-05': 5_000 }),
      staff: shape(100, { '2020-03': 85, '2020-04': 78, '2020-05': 70 }),
      power: shape(10_000, { '2020-03': 7_500, '2020-04': 6_500, '2020-05': 5_500 }),
    }),
  )
  t.equal(a.classification, 'structural-decline')
  t.same(codes(a), ['HS_SHOCK_REVENUE', 'HS_SHOCK_HEADCOUNT', 'HS_SHOCK_UTILITIES', 'HS_NO_RECOVERY'])
  t.same(a.dimensions.map((x) => x.trajectory), ['falling', 'falling', 'falling'])
  t.same(a.dimensions.map((x) => x.changeBp), [-4000, -2234, -3500])
})

t.test('insufficient data: too few dimensions, or too soon after the crisis', async (t) => {
  const only = assess(build({ revenue: shape(10_000, { '2020-03': 1_000 }) }))
  t.equal(only.classification, 'insufficient-data', 'one dimension, even a shocked one, is not enough')
  t.same(codes(only), ['HS_INSUFFICIENT_DATA', 'HS_NO_DATA_HEADCOUNT', 'HS_NO_DATA_UTILITIES'])
  t.match(dim(only, 'headcount'), { status: 'insufficient-data', source: null, changeBp: null, shocked: false, dataPointIds: [] })

  const early = assess(build({ revenue: FLAT, staff: FLAT, power: FLAT }, { to: '2020-02', fetched: '2020-03-05' }), d('2020-03-10'))
  t.equal(early.classification, 'insufficient-data')
  t.same(codes(early), ['HS_TOO_EARLY'])
  // 2020-04-01: the window 2020-01 … 03 is entirely after the crisis start.
  const justInTime = assess(build({ revenue: FLAT, staff: FLAT, power: FLAT }, { to: '2020-03', fetched: '2020-04-01' }), d('2020-04-01'))
  t.equal(justInTime.classification, 'none')
  t.same(dim(justInTime, 'revenue').months.map((m) => m.month), ['2020-01', '2020-02', '2020-03'])
})

t.test('same calendar months: a seasonal dip is not a shock', async (t) => {
  // Every February is at half; assessed in May 2020 (window Feb … Apr).
  const seasonal: Series = (m) => (m.endsWith('-02') ? 5_000 : 10_000)
  const a = assess(build({ revenue: seasonal, staff: FLAT, power: seasonal }, { to: '2020-04', fetched: '2020-05-10' }), d('2020-05-15'))
  t.equal(a.classification, 'none')
  t.same(dim(a, 'revenue').months.map((m) => [m.month, m.changeBp]), [['2020-02', 0], ['2020-03', 0], ['2020-04', 0]])
})

t.test('reporting lag: the window ends at M−2 when M−1 is not reported', async (t) => {
  const a = assess(build({ revenue: FLAT, staff: FLAT, power: FLAT }, { to: '2020-04' }))
  t.same(dim(a, 'revenue').months.map((m) => m.month), ['2020-02', '2020-03', '2020-04'])
})

t.test('fallback sources: tax returns, housing fund, gas', async (t) => {
  const list = months('2018-01', '2020-05')
  const points = [
    ...list.map((m) => taxReturn(m, m >= '2020-03' ? 5_000n : 10_000n, 100n)),
    ...list.map((m) => headcount(m, 10, 'housing-fund')),
    ...list.map((m) => utility(m, { utility: 'gas', consumption: 300 })),
    utility('2020-05', { consumption: 999 }), // one month of electricity is not enough: gas is used
  ]
  const a = assess(points)
  t.same(a.dimensions.map((x) => [x.source, x.unit]), [['tax-returns', 'fen'], ['housing-fund', 'persons'], ['gas', 'm3']])
  t.equal(a.classification, 'temporary-shock', 'revenue halved, headcount kept')
})

t.test('threshold edges', async (t) => {
  const classify = (points: DataPoint[]) => assess(points).classification
  const flat = { staff: FLAT, power: FLAT }
  const recent = (v: number) => ({ '2020-03': v, '2020-04': v, '2020-05': v })

  // Shock: −2,000 bp is a shock, −1,999 is not.
  t.equal(dim(assess(build({ revenue: shape(10_000, recent(8_000)), ...flat })), 'revenue').changeBp, -2000)
  t.equal(classify(build({ revenue: shape(10_000, recent(8_000)), ...flat })), 'temporary-shock')
  t.equal(dim(assess(build({ revenue: shape(10_000, recent(8_001)), ...flat })), 'revenue').changeBp, -1999)
  t.equal(classify(build({ revenue: shape(10_000, recent(8_001)), ...flat })), 'none')

  // Pre-crisis decline: −1,000 bp year on year is a decline, −999 is not.
  const declining = (in2019: number) => build({ revenue: shape(10_000, recent(5_000), in2019), ...flat })
  t.equal(dim(assess(declining(9_000)), 'revenue').preCrisisTrendBp, -1000)
  t.equal(classify(declining(9_000)), 'structural-decline')
  t.equal(dim(assess(declining(9_001)), 'revenue').preCrisisTrendBp, -999)
  t.equal(classify(declining(9_001)), 'temporary-shock')

  // Trajectory: +500 recovering, +499 stable, −500 falling (with staff and power shocked and falling,
  // revenue's trajectory decides between temporary and structural).
  const falling = {
    staff: shape(100, { '2020-03': 80, '2020-04': 78, '2020-05': 75 }),
    power: shape(10_000, { '2020-03': 6_000, '2020-04': 5_500, '2020-05': 5_000 }),
  }
  const withLast = (last: number) => assess(build({ revenue: shape(10_000, { '2020-03': 5_000, '2020-04': 5_000, '2020-05': last }), ...falling }))
  t.match(dim(withLast(5_500), 'revenue'), { trajectoryBp: 500, trajectory: 'recovering' })
  t.equal(withLast(5_500).classification, 'temporary-shock')
  t.ok(codes(withLast(5_500)).includes('HS_RECOVERING_REVENUE'))
  t.match(dim(withLast(5_499), 'revenue'), { trajectoryBp: 499, trajectory: 'stable' })
  t.ok(codes(withLast(5_499)).includes('HS_STABILISING_REVENUE'))
  t.equal(withLast(5_499).classification, 'temporary-shock')
  t.match(dim(withLast(4_501), 'revenue'), { trajectoryBp: -499, trajectory: 'stable' })
  t.match(dim(withLast(4_500), 'revenue'), { trajectoryBp: -500, trajectory: 'falling' })
  t.equal(withLast(4_500).classification, 'structural-decline')

  // Headcount kept: a change above −1,000 bp keeps it (temporary); exactly −1,000 does not.
  const shockedFalling = {
    revenue: shape(10_000, { '2020-03': 6_000, '2020-04': 5_500, '2020-05': 5_000 }),
    power: shape(10_000, { '2020-03': 6_000, '2020-04': 5_500, '2020-05': 5_000 }),
  }
  const kept = assess(build({ ...shockedFalling, staff: shape(10_000, recent(9_001)) }))
  t.equal(dim(kept, 'headcount').changeBp, -999)
  t.equal(kept.classification, 'temporary-shock')
  t.same(codes(kept), ['HS_SHOCK_REVENUE', 'HS_SHOCK_UTILITIES', 'HS_HEADCOUNT_KEPT'])
  const notKept = assess(build({ ...shockedFalling, staff: shape(10_000, recent(9_000)) }))
  t.equal(dim(notKept, 'headcount').changeBp, -1000)
  t.equal(notKept.classification, 'structural-decline')

  // Baseline coverage: 9 of 12 months is enough, 8 is not; and each recent month needs its counterpart.
  const without = (...missing: string[]): Series => (m) => (missing.includes(m) ? undefined : 10_000)
  const nine = dim(assess(build({ revenue: without('2019-01', '2019-02', '2019-06'), ...flat })), 'revenue')
  t.match(nine, { status: 'assessed', baselineMonthsReported: 9, preCrisisTrendBp: 0 })
  const eight = dim(assess(build({ revenue: without('2019-01', '2019-02', '2019-06', '2019-07'), ...flat })), 'revenue')
  t.match(eight, { status: 'insufficient-data', baselineMonthsReported: 8, changeBp: null })
  t.match(dim(assess(build({ revenue: without('2019-07'), ...flat })), 'revenue'), { status: 'assessed', preCrisisTrendBp: null }, 'pre-crisis trend unknown')
  t.match(dim(assess(build({ revenue: without('2019-04'), ...flat })), 'revenue'), { status: 'insufficient-data', baselineMonthsReported: 11 }, 'April has no counterpart')
})

t.test('the policy is data: thresholds move the verdict, invalid policies are refused', async (t) => {
  const points = build({ revenue: shape(10_000, { '2020-03': 8_500, '2020-04': 8_500, '2020-05': 8_500 }), staff: FLAT, power: FLAT })
  t.equal(assess(points).classification, 'none', '−15% is not a shock at 2,000 bp')
  t.equal(assessHardship({ points, asOf: AS_OF, crisisStart: CRISIS, policy: { ...DEFAULT_HARDSHIP_POLICY, shockBp: 1_500 } }).classification, 'temporary-shock')
  t.throws(() => assessHardship({ points, asOf: AS_OF, crisisStart: CRISIS, policy: { ...DEFAULT_HARDSHIP_POLICY, baselineMonths: 18 } }), { code: 'invalid-argument' })
  t.throws(() => assessHardship({ points, asOf: AS_OF, crisisStart: CRISIS, policy: { ...DEFAULT_HARDSHIP_POLICY, recentMonths: 1 } }), { code: 'invalid-argument' })
  t.throws(() => assessHardship({ points, asOf: d('2019-12-31'), crisisStart: CRISIS }), { code: 'invalid-argument' })
  // Two baseline years: each recent month is compared with the average of its two counterparts.
  const twoYears = assessHardship({ points, asOf: AS_OF, crisisStart: CRISIS, policy: { ...DEFAULT_HARDSHIP_POLICY, baselineMonths: 24 } })
  t.match(dim(twoYears, 'revenue'), { baselineMonthsReported: 24, changeBp: -1500 })
})

t.test('deterministic: any order of the points, the same assessment; integers only', async (t) => {
  const points = build({
    revenue: shape(10_000, { '2020-03': 5_123, '2020-04': 6_457, '2020-05': 7_001 }),
    staff: shape(37, { '2020-04': 35 }),
    power: shape(9_999, { '2020-05': 4_000 }),
  })
  const reference = assess(points)
  fc.assert(
    fc.property(fc.shuffledSubarray(points, { minLength: points.length }), (shuffled) => {
      t.same(assess(shuffled), reference)
    }),
    { numRuns: 30 },
  )
  for (const x of reference.dimensions) {
    for (const value of [x.changeBp, x.trajectoryBp, x.preCrisisTrendBp, ...x.months.map((m) => m.changeBp)]) {
      t.ok(value === null || Number.isSafeInteger(value), `${x.dimension}: integer bp`)
    }
  }
  t.same(reference.dataPointIds, [...new Set(reference.dimensions.flatMap((x) => x.dataPointIds))].sort())
})
