// Feature derivation: values, windows, lineage, missing and stale data, supersession, refusals.
import fc from 'fast-check'
import t from 'tap'
import { DEFAULT_MODEL, deriveFeatures, type DataPoint, type FeatureSet, type FeatureValue } from '../../src/domain/index.js'
import {
  AS_OF,
  MONTHLY_SALES,
  OTHER_USCC,
  USCC,
  courtRecord,
  courtRecords,
  customs,
  d,
  headcount,
  healthyFirm,
  invoice,
  months,
  penalties,
  receivables,
  registration,
  repayment,
  taxRating,
  taxReturn,
  utility,
} from './fixtures/enterprise.js'

const freshness = DEFAULT_MODEL.freshness
const derive = (points: DataPoint[], asOf = AS_OF): FeatureSet => deriveFeatures({ uscc: USCC, asOf, points, freshness })
const present = (value: number | string, dataPointIds: string[]): FeatureValue => ({ status: 'present', value, dataPointIds })
const noData = (dataPointIds: string[] = []): FeatureValue => ({ status: 'missing', missing: 'no-data', dataPointIds })
const stale = (dataPointIds: string[]): FeatureValue => ({ status: 'missing', missing: 'stale', dataPointIds })

t.test('a healthy firm: every feature with its value and the points behind it', async (t) => {
  const fs = derive(healthyFirm())
  const v = fs.values
  t.same(v['firm-age-months'], present(62, ['reg-1']))
  t.same(v['legal-status'], present('active', ['reg-1']))
  t.same(v['tax-rating'], present('A', ['rating-2019']))
  t.same(v['tax-burden-bp-12m'], present(250, months('2019-06', '2020-05').map((m) => `tax-${m}`)))
  t.same(v['revenue-trend-bp-3m-yoy'], present(0, ['inv-2019-03', 'inv-2019-04', 'inv-2019-05', 'inv-2020-03', 'inv-2020-04', 'inv-2020-05']))
  t.same(v['headcount-trend-bp-3m-yoy'].status, 'present')
  t.same(v['utility-arrears-months-12m'], present(0, months('2019-06', '2020-05').map((m) => `util-electricity-${m}`)))
  t.same(v['customs-trend-bp-12m'], noData(), 'no customs data: explicit no-data')
  t.same(v['court-enforcements-24m'], present(0, ['court-2020-06-01']), 'a clean search is a value, not missing data')
  t.same(v['administrative-penalties-24m'], present(0, ['pen-2020-06-01']))
  t.same(v['bank-max-dpd-12m'], present(0, months('2019-07', '2020-06').map((m) => `rep-L1-${m}`)), 'M−11 … M')
  t.same(v['receivables-overdue-bp'], present(200, ['recv-2020-05-31']))
  t.same(fs.excluded, [])
  t.equal(fs.asOf, AS_OF)
  t.equal(fs.uscc, USCC)
})

t.test('firm age counts whole months, end of month included', async (t) => {
  // Confirmed on the scoring date, so the registration is fresh.
  const ageAt = (foundedOn: string, asOf: string) =>
    derive([registration({ foundedOn, period: asOf }, { asOf: d(asOf) })], d(asOf)).values['firm-age-months']
  t.same(ageAt('2019-06-15', '2020-06-14'), present(11, ['reg-1']))
  t.same(ageAt('2019-06-15', '2020-06-15'), present(12, ['reg-1']))
  t.same(ageAt('2019-01-31', '2019-02-27'), present(0, ['reg-1']))
  t.same(ageAt('2019-01-31', '2019-02-28'), present(1, ['reg-1']), 'the last day of a shorter month completes it')
  t.same(ageAt('2020-06-15', '2020-06-15'), present(0, ['reg-1']))
  const confirmedLongAgo = derive([registration({ foundedOn: '2000-01-01', period: '2010-01-01' }, { asOf: d('2010-01-01') })])
  t.same(confirmedLongAgo.values['firm-age-months'], stale(['reg-1']), 'a registration confirmed in 2010 is stale in 2020')
})

t.test('stale feeds: the newest confirmation decides, at the window edge inclusive', async (t) => {
  // Registration window: 365 days. Confirmed 2019-06-16 → 365 days before 2020-06-15.
  const at = (asOf: string) => derive([registration({ period: asOf }, { asOf: d(asOf) })])
  t.equal(at('2019-06-16').values['legal-status'].status, 'present', '365 days old: fresh')
  t.same(at('2019-06-15').values['legal-status'], stale(['reg-1']), '366 days old: stale')
  t.same(at('2019-06-15').excluded, [{ id: 'reg-1', reason: 'stale' }])

  // A stale feed does not block a fresh one of the same kind.
  const points = [
    ...months('2018-01', '2019-12').map((m) => invoice(m, MONTHLY_SALES, { id: `old-${m}`, source: 'old-platform', asOf: d('2020-01-05') })),
    ...months('2019-01', '2020-05').map((m) => invoice(m, MONTHLY_SALES / 2n, { source: 'new-platform' })),
  ]
  const fs = derive(points)
  t.same(fs.values['revenue-trend-bp-3m-yoy'], present(0, ['inv-2019-03', 'inv-2019-04', 'inv-2019-05', 'inv-2020-03', 'inv-2020-04', 'inv-2020-05']))
  t.equal(fs.excluded.filter((e) => e.reason === 'stale').length, 24)
  t.equal(fs.excluded.filter((e) => e.reason === 'superseded').length, 0, 'stale points never compete with fresh ones')

  // Only stale data: the feature is stale, listing the stale points.
  const onlyOld = derive(months('2018-01', '2019-12').map((m) => invoice(m, MONTHLY_SALES, { asOf: d('2020-01-05') })))
  t.same(onlyOld.values['revenue-trend-bp-3m-yoy'].status === 'missing' && onlyOld.values['revenue-trend-bp-3m-yoy'].missing, 'stale')
  t.equal(onlyOld.values['revenue-trend-bp-3m-yoy'].dataPointIds.length, 24)

  // Per-kind override: a tax rating published in April 2019 is still fresh in June 2020 (455 days).
  t.same(derive([taxRating(2018, 'B')]).values['tax-rating'], present('B', ['rating-2018']))
  t.same(derive([taxRating(2017, 'A')]).values['tax-rating'], stale(['rating-2017']))
})

t.test('nothing confirmed after the scoring date is used (replay sees what was known)', async (t) => {
  const later = [...healthyFirm(), taxRating(2019, 'D', { id: 'rating-2019-corrected', asOf: d('2020-07-01') }), invoice('2020-06', 0n, { asOf: d('2020-07-05') })]
  const fs = derive(later)
  t.same(fs.values['tax-rating'], present('A', ['rating-2019']))
  t.same(fs.excluded, [
    { id: 'inv-2020-06', reason: 'after-as-of' },
    { id: 'rating-2019-corrected', reason: 'after-as-of' },
  ])
  // Replayed a month later, the correction wins (same rating year: later confirmation).
  const july = derive(later, d('2020-07-15'))
  t.same(july.values['tax-rating'], present('D', ['rating-2019-corrected']))
  t.same(july.excluded.find((e) => e.id === 'rating-2019'), { id: 'rating-2019', reason: 'superseded' })
})

t.test('supersession is deterministic: later asOf wins, then the greater id, whatever the order', async (t) => {
  const base = months('2019-01', '2020-05').map((m) => invoice(m, MONTHLY_SALES))
  const a = invoice('2020-05', MONTHLY_SALES * 2n, { id: 'inv-2020-05-a', asOf: d('2020-06-12') })
  const b = invoice('2020-05', MONTHLY_SALES * 3n, { id: 'inv-2020-05-b', asOf: d('2020-06-12') })
  const points = [...base, a, b]
  const fs = derive(points)
  // b wins (same asOf, greater id): 2020-03..05 = 1 + 1 + 3 vs 3 → +6,666 bp.
  t.same(fs.values['revenue-trend-bp-3m-yoy'], present(6666, ['inv-2019-03', 'inv-2019-04', 'inv-2019-05', 'inv-2020-03', 'inv-2020-04', 'inv-2020-05-b']))
  t.same(fs.excluded, [
    { id: 'inv-2020-05', reason: 'superseded' },
    { id: 'inv-2020-05-a', reason: 'superseded' },
  ])
  fc.assert(
    fc.property(fc.shuffledSubarray(points, { minLength: points.length }), (shuffled) => {
      t.same(derive(shuffled), fs)
    }),
    { numRuns: 50 },
  )
})

t.test('revenue trend: windows, reporting lag, gaps, non-positive base, bounds', async (t) => {
  const series = (from: string, to: string, amount = MONTHLY_SALES) => months(from, to).map((m) => invoice(m, amount))
  const trend = (points: DataPoint[]) => derive(points).values['revenue-trend-bp-3m-yoy']
  // May not reported yet: the window ends in April (Feb–Apr vs Feb–Apr 2019).
  t.same(trend(series('2019-01', '2020-04')), present(0, ['inv-2019-02', 'inv-2019-03', 'inv-2019-04', 'inv-2020-02', 'inv-2020-03', 'inv-2020-04']))
  // Two months of lag is too much: the last 3 months would need May, which is missing → no-data.
  t.equal(trend(series('2019-01', '2020-03')).status, 'missing')
  // A hole in the comparison year: no-data, listing what was there.
  const holed = series('2019-01', '2020-05').filter((p) => p.period !== '2019-04')
  t.same(trend(holed), noData(['inv-2019-03', 'inv-2019-05', 'inv-2020-03', 'inv-2020-04', 'inv-2020-05']))
  // Half the sales: −5,000 bp exactly.
  const half = [...series('2019-01', '2019-12'), ...series('2020-01', '2020-05', MONTHLY_SALES / 2n)]
  t.same(trend(half), present(-5000, ['inv-2019-03', 'inv-2019-04', 'inv-2019-05', 'inv-2020-03', 'inv-2020-04', 'inv-2020-05']))
  // A third less: floor(−3,333.3) = −3,334.
  const third = trend([...series('2019-01', '2019-12', 3n), ...series('2020-01', '2020-05', 2n)])
  t.equal(third.status === 'present' && third.value, -3334)
  // Nothing sold a year earlier: no base to compare with.
  t.equal(trend([...series('2019-01', '2019-12', 0n), ...series('2020-01', '2020-05')]).status, 'missing')
  // Credit notes exceeding sales: bounded at −10,000.
  const negative = trend([...series('2019-01', '2019-12'), ...series('2020-01', '2020-05', -MONTHLY_SALES)])
  t.equal(negative.status === 'present' && negative.value, -10_000)
  // From 1 fen to CNY 100,000: bounded at +1,000,000.
  const huge = trend([...series('2019-01', '2019-12', 1n), ...series('2020-01', '2020-05')])
  t.equal(huge.status === 'present' && huge.value, 1_000_000)
})

t.test('headcount trend: social insurance first, the housing fund only as a fallback', async (t) => {
  const fund = months('2019-01', '2020-05').map((m) => headcount(m, m < '2020-01' ? 10 : 7, 'housing-fund'))
  t.same(derive(fund).values['headcount-trend-bp-3m-yoy'], present(-3000, ['hc-housing-fund-2019-03', 'hc-housing-fund-2019-04', 'hc-housing-fund-2019-05', 'hc-housing-fund-2020-03', 'hc-housing-fund-2020-04', 'hc-housing-fund-2020-05']))
  const social = months('2019-01', '2020-05').map((m) => headcount(m, m < '2020-01' ? 20 : 18))
  const both = derive([...fund, ...social]).values['headcount-trend-bp-3m-yoy']
  t.equal(both.status === 'present' && both.value, -1000)
  t.ok(both.dataPointIds.every((id) => id.startsWith('hc-social')))
})

t.test('tax burden: returns in the last 12 months; quarterly returns sum correctly; zero revenue is no data', async (t) => {
  const quarterly = ['2019-06', '2019-09', '2019-12', '2020-03'].map((m) => taxReturn(m, 30_000_000n, 300_000n))
  t.same(derive(quarterly).values['tax-burden-bp-12m'], present(100, ['tax-2019-06', 'tax-2019-09', 'tax-2019-12', 'tax-2020-03']))
  // 2019-05 is M−13: outside. 2020-06 would be the open month: outside (and after-as-of here anyway).
  t.same(derive([taxReturn('2019-05', 1n, 1n)]).values['tax-burden-bp-12m'], noData())
  t.same(derive([taxReturn('2019-07', 0n, 0n)]).values['tax-burden-bp-12m'], noData(['tax-2019-07']))
  const refund = derive([taxReturn('2019-07', 10_000n, -30n)]).values['tax-burden-bp-12m']
  t.equal(refund.status === 'present' && refund.value, -30, 'net refunds give a negative ratio (floor)')
})

t.test('utility arrears: distinct months in arrears, over at least 6 observed months', async (t) => {
  const year = months('2019-06', '2020-05')
  const points = year.flatMap((m, i) => [
    utility(m, { arrears: i === 2 || i === 7 ? 100n : 0n }),
    utility(m, { utility: 'water', arrears: i === 7 || i === 9 ? 100n : 0n }),
  ])
  const v = derive(points).values['utility-arrears-months-12m']
  t.equal(v.status === 'present' && v.value, 3, 'months 2, 7 and 9; month 7 counted once')
  t.equal(v.dataPointIds.length, 24)
  t.same(derive(year.slice(0, 5).map((m) => utility(m))).values['utility-arrears-months-12m'].status, 'missing', '5 months observed: too few')
  t.same(derive(year.slice(0, 6).map((m) => utility(m))).values['utility-arrears-months-12m'].status, 'present', '6 months: enough')
})

t.test('customs trend: last 12 vs previous 12 months, zero months reported as zero', async (t) => {
  const points = [
    ...months('2018-06', '2019-05').map((m) => customs(m, 1_000_000n, 1_000_000n)),
    ...months('2019-06', '2020-05').map((m) => customs(m, m < '2020-01' ? 1_000_000n : 0n, 0n)),
  ]
  const v = derive(points).values['customs-trend-bp-12m']
  t.equal(v.status === 'present' && v.value, -7084, '7 of 24 units: floor(−70.83%)')
  t.equal(v.dataPointIds.length, 24)
  t.same(derive(months('2019-06', '2020-05').map((m) => customs(m, 1n))).values['customs-trend-bp-12m'].status, 'missing', 'no earlier year')
})

t.test('court and penalty records: 24-month window, enforcement and dishonest-debtor only', async (t) => {
  const search = courtRecords([
    courtRecord('enforcement', '2018-06-15'), // exactly 24 months before: outside
    courtRecord('enforcement', '2018-06-16'), // inside
    courtRecord('dishonest-debtor', '2020-06-15'), // the as-of date: inside
    courtRecord('lawsuit-defendant', '2020-01-10'), // not counted
  ], { asOf: d('2020-06-15') })
  t.same(derive([search]).values['court-enforcements-24m'], present(2, ['court-2020-06-15']))
  const pens = penalties(['2018-06-15', '2018-06-16', '2020-05-01'])
  t.same(derive([pens]).values['administrative-penalties-24m'], present(2, ['pen-2020-06-01']))
  // The latest search wins.
  const older = courtRecords([courtRecord('enforcement', '2020-01-01')], { asOf: d('2020-05-01') })
  const newer = courtRecords([], { asOf: d('2020-06-01') })
  t.same(derive([older, newer]).values['court-enforcements-24m'], present(0, ['court-2020-06-01']))
  t.same(derive([]).values['court-enforcements-24m'], noData(), 'no search at all: missing, not zero')
})

t.test('bank repayment: the worst month of M−11 … M across loans', async (t) => {
  const points = [repayment('2019-06', 120), repayment('2019-07', 3), repayment('2020-06', 31, 'L2')]
  t.same(derive(points).values['bank-max-dpd-12m'], present(31, ['rep-L1-2019-07', 'rep-L2-2020-06']), '2019-06 is M−12: outside')
  t.same(derive([repayment('2019-06', 120)]).values['bank-max-dpd-12m'], noData(), 'new to bank in the window')
})

t.test('receivables: overdue share of the latest snapshot; nothing receivable is 0', async (t) => {
  t.same(derive([receivables(0n, 0n)]).values['receivables-overdue-bp'], present(0, ['recv-2020-05-31']))
  t.same(derive([receivables(3n, 1n)]).values['receivables-overdue-bp'], present(3333, ['recv-2020-05-31']))
  t.same(derive([receivables(3n, 3n, { asOf: d('2020-04-30') }), receivables(4n, 1n)]).values['receivables-overdue-bp'], present(2500, ['recv-2020-05-31']))
})

t.test('refuses invalid input instead of scoring it', async (t) => {
  t.throws(() => deriveFeatures({ uscc: '91350100M000100Y44', asOf: AS_OF, points: [], freshness }), { code: 'invalid-argument' })
  t.throws(() => deriveFeatures({ uscc: USCC, asOf: '2020-6-15' as never, points: [], freshness }), { code: 'invalid-argument' })
  const noCustomsWindow = { ...freshness, maxAgeDays: { ...freshness.maxAgeDays, customs: -1 } }
  t.throws(() => deriveFeatures({ uscc: USCC, asOf: AS_OF, points: [], freshness: noCustomsWindow }), { code: 'invalid-argument' })
  const cases: [string, DataPoint[], string][] = [
    ['registration of another firm', [registration({ uscc: OTHER_USCC })], '/0/uscc'],
    ['money as a number', [{ ...invoice('2020-01', 1n), salesAmount: 100 as unknown as bigint }], '/0/salesAmount'],
    ['fractional headcount', [headcount('2020-01', 2.5)], '/0/employees'],
    ['duplicate ids', [invoice('2020-01', 1n), invoice('2020-02', 1n, { id: 'inv-2020-01' })], '/1/id'],
    ['dimension not matching the kind', [{ ...invoice('2020-01', 1n), dimension: 'tax' } as unknown as DataPoint], '/0/dimension'],
    ['a date where a month is due', [{ ...invoice('2020-01', 1n), period: '2020-01-01' } as unknown as DataPoint], '/0/period'],
    ['period after its own confirmation', [invoice('2020-03', 1n, { asOf: d('2020-02-10') })], '/0/period'],
    ['overdue above total', [receivables(1n, 2n)], '/0/overdue'],
    ['unknown kind', [{ ...invoice('2020-01', 1n), kind: 'weather' } as unknown as DataPoint], '/0/kind'],
  ]
  for (const [name, points, path] of cases) {
    try {
      derive(points)
      t.fail(`${name}: accepted`)
    } catch (error) {
      t.match(error, { code: 'invalid-data-point' }, name)
      t.ok((error as { issues: { path: string }[] }).issues.some((issue) => issue.path === path), `${name} at ${path}`)
    }
  }
})
