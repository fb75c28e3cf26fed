// The firm's size figures as its feeds show them, reported beside a score for callers that decide
// on figures typed in by people (POLICY §1 size criteria: revenue and employees).
import t from 'tap'
import { DEFAULT_MODEL, observedFigures, type DataPoint } from '../../src/domain/index.js'
import { AS_OF, MONTHLY_SALES, d, headcount, healthyFirm, months, taxReturn } from './fixtures/enterprise.js'

const freshness = DEFAULT_MODEL.freshness
const withoutKinds = (...kinds: DataPoint['kind'][]) => healthyFirm().filter((p) => !kinds.includes(p.kind))

const cases: { given: string; points: DataPoint[]; then: { revenue: bigint | null; employees: number | null; month: string | null } }[] = [
  {
    given: 'monthly returns for the twelve complete months before June 2020 and insured staff every month',
    points: healthyFirm(),
    then: { revenue: 12n * MONTHLY_SALES, employees: 20, month: '2020-05' },
  },
  {
    given: 'a quarterly filer: returns for 2019-06, -09, -12 and 2020-03, one in every quarter of the window',
    points: [...withoutKinds('tax-return'), ...['2019-06', '2019-09', '2019-12', '2020-03'].map((m) => taxReturn(m, 3n * MONTHLY_SALES, 0n))],
    then: { revenue: 12n * MONTHLY_SALES, employees: 20, month: '2020-05' },
  },
  {
    given: 'returns missing for three consecutive months (a gap in the feed, not a small firm)',
    points: [...withoutKinds('tax-return'), ...months('2019-06', '2020-05').filter((m) => m < '2019-09' || m > '2019-11').map((m) => taxReturn(m, MONTHLY_SALES, 0n))],
    then: { revenue: null, employees: 20, month: '2020-05' },
  },
  {
    given: 'a return for June 2020, the month still open, and one from 2019-05, before the window',
    points: [...healthyFirm(), taxReturn('2019-05', 99n * MONTHLY_SALES, 0n), taxReturn('2020-06', 99n * MONTHLY_SALES, 0n, { asOf: d('2020-06-14') })],
    then: { revenue: 12n * MONTHLY_SALES, employees: 20, month: '2020-05' },
  },
  {
    given: 'no social insurance in the last three months, but the housing fund reports 7',
    points: [...withoutKinds('headcount-month'), ...months('2018-01', '2020-01').map((m) => headcount(m, 20)), ...months('2020-03', '2020-05').map((m) => headcount(m, 7, 'housing-fund'))],
    then: { revenue: 12n * MONTHLY_SALES, employees: 7, month: '2020-05' },
  },
  {
    given: 'both schemes report: social insurance wins, whatever the housing fund says',
    points: [...healthyFirm(), headcount('2020-06', 3, 'housing-fund', { asOf: d('2020-06-12') })],
    then: { revenue: 12n * MONTHLY_SALES, employees: 20, month: '2020-05' },
  },
  {
    given: 'the last insured headcount is older than a quarter',
    points: [...withoutKinds('headcount-month'), ...months('2018-01', '2020-02').map((m) => headcount(m, 20))],
    then: { revenue: 12n * MONTHLY_SALES, employees: null, month: null },
  },
  {
    given: 'neither returns nor headcounts',
    points: withoutKinds('tax-return', 'headcount-month'),
    then: { revenue: null, employees: null, month: null },
  },
]

for (const { given, points, then } of cases) {
  t.test(`given ${given}`, async (t) => {
    const figures = observedFigures(points, AS_OF, freshness)
    t.equal(figures.declaredRevenue12mFen, then.revenue, 'declared revenue of the last 12 months')
    t.equal(figures.employees, then.employees, 'insured employees')
    t.equal(figures.employeesMonth, then.month, 'month of the headcount')
    t.same(observedFigures([...points].reverse(), AS_OF, freshness), figures, 'the order of the points does not matter')
    for (const id of figures.dataPointIds) t.ok(points.some((p) => p.id === id), `lineage ${id} is one of the points`)
  })
}

t.test('a point confirmed after the scoring date is not read', async (t) => {
  const late = headcount('2020-06', 500, 'social-insurance', { asOf: d('2020-06-20') })
  const figures = observedFigures([...healthyFirm(), late], AS_OF, freshness)
  t.equal(figures.employees, 20)
  t.notOk(figures.dataPointIds.includes(late.id))
})
