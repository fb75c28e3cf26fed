// The aging view of overdue items (POLICY §5: the agency pays promptly; a loss past recourse is
// written off), as Given/When/Then rows: what is overdue on a claim, for how long, in which band.
import t from 'tap'
import { agingSummary, bucketOf, overdueOf, type AgingFacts } from '../../src/domain/index.js'
import { d } from './fixtures.js'

const FILED: AgingFacts = { status: 'filed', paymentDueOn: d('2020-07-14'), claimed: 80_000_000n, approved: null, recourseUntil: null, settled: null, recoveredToPayers: 0n }
const PAID: AgingFacts = { ...FILED, status: 'paid', approved: 60_000_000n, recourseUntil: d('2022-07-20'), settled: 60_000_000n, recoveredToPayers: 15_000_000n }

t.test('Given a claim, when the aging is read on a day, then what is overdue, since when and how much', async (t) => {
  const rows: readonly [string, AgingFacts, string, ReturnType<typeof overdueOf>][] = [
    ['filed, on its due day', FILED, '2020-07-14', null],
    ['filed, the day after', FILED, '2020-07-15', { kind: 'payment-overdue', dueOn: d('2020-07-14'), daysOverdue: 1, bucket: '1-30', amount: 80_000_000n }],
    ['acknowledged, 30 days after', { ...FILED, status: 'acknowledged' }, '2020-08-13', { kind: 'payment-overdue', dueOn: d('2020-07-14'), daysOverdue: 30, bucket: '1-30', amount: 80_000_000n }],
    ['approved in part, 31 days after: the approved amount is owed', { ...FILED, status: 'approved', approved: 60_000_000n }, '2020-08-14', { kind: 'payment-overdue', dueOn: d('2020-07-14'), daysOverdue: 31, bucket: '31-60', amount: 60_000_000n }],
    ['rejected: nothing is owed', { ...FILED, status: 'rejected' }, '2021-01-01', null],
    ['draft after a reversion: nothing is owed', { ...FILED, status: 'draft' }, '2021-01-01', null],
    ['paid, recourse running', PAID, '2022-07-20', null],
    ['paid, recourse over 181 days ago: the loss not recovered', PAID, '2023-01-17', { kind: 'recourse-ended', dueOn: d('2022-07-20'), daysOverdue: 181, bucket: '181+', amount: 45_000_000n }],
    ['in recourse, recovered beyond the loss: nothing outstanding but still to write off', { ...PAID, status: 'in-recourse', recoveredToPayers: 70_000_000n }, '2022-09-01', { kind: 'recourse-ended', dueOn: d('2022-07-20'), daysOverdue: 43, bucket: '31-60', amount: 0n }],
    ['written off: the file is open but nothing is overdue', { ...PAID, status: 'written-off' }, '2023-01-17', null],
  ]
  for (const [why, facts, today, expected] of rows) t.same(overdueOf(facts, d(today)), expected, why)
})

t.test('age bands: their edges', async (t) => {
  const rows: readonly [number, string][] = [
    [1, '1-30'],
    [30, '1-30'],
    [31, '31-60'],
    [60, '31-60'],
    [61, '61-90'],
    [90, '61-90'],
    [91, '91-180'],
    [180, '91-180'],
    [181, '181+'],
    [10_000, '181+'],
  ]
  for (const [days, band] of rows) t.equal(bucketOf(days), band, `${days} days`)
  t.throws(() => bucketOf(0), RangeError, 'the due day itself is not overdue')
})

t.test('the summary: every band of every kind, counts and amounts', async (t) => {
  const items = [overdueOf(FILED, d('2020-07-20'))!, overdueOf(FILED, d('2020-07-30'))!, overdueOf(PAID, d('2023-01-17'))!]
  const lines = agingSummary(items)
  t.equal(lines.length, 10, 'two kinds × five bands')
  t.same(lines.find((l) => l.kind === 'payment-overdue' && l.bucket === '1-30'), { kind: 'payment-overdue', bucket: '1-30', count: 2, amount: 160_000_000n })
  t.same(lines.find((l) => l.kind === 'recourse-ended' && l.bucket === '181+'), { kind: 'recourse-ended', bucket: '181+', count: 1, amount: 45_000_000n })
  t.equal(lines.filter((l) => l.count === 0).length, 8, 'the rest are zero, not missing')
})
