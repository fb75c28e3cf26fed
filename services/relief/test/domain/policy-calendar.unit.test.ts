// The policy calendar (which versions were in force, period by period) as Given/When/Then: the
// shipped records for 2020–2025 period by period, periods agreeing with policyAsOf on every day,
// corrected versions never in it, a range without bank parameters named as such, the CSV form
// (RFC 4180) and the README's table generated from the same data.
import { readFileSync } from 'node:fs'
import { addDays } from '@sme/domain'
import t from 'tap'
import {
  DEFAULT_POLICY_VERSIONS,
  MAX_CALENDAR_DAYS,
  policyAsOf,
  policyCalendar,
  policyCalendarCsv,
  policyCalendarMarkdown,
} from '../../src/domain/index.js'
import { d } from './fixtures.js'

const relief = (records: readonly { kind: string; id: string; version: number }[]) =>
  records.filter((r) => r.kind === 'deferral-programme' || r.kind === 'extension-rules' || r.kind === 'renewal-rules').map((r) => `${r.id}@${r.version}`)

t.test('2020-01-01…2025-12-31 under the shipped records, period by period (POLICY §2)', async (t) => {
  const periods = policyCalendar(DEFAULT_POLICY_VERSIONS, d('2020-01-01'), d('2025-12-31'))
  t.same(
    periods.map((p) => [p.from, p.to, relief(p.records).join(' ')]),
    [
      ['2020-01-01', '2020-02-29', 'extension-art12@3 renewal@1'],
      ['2020-03-01', '2020-05-31', 'deferral-2020-03@3 extension-art12@3 renewal@1'],
      ['2020-06-01', '2020-06-30', 'deferral-2020-03@3 deferral-2020-06@4 extension-art12@3 renewal@1'],
      ['2020-07-01', '2020-12-31', 'deferral-2020-06@4 extension-art12@3 renewal@1'],
      ['2021-01-01', '2021-03-31', 'deferral-2021-q1@2 extension-art12@3 renewal@1'],
      ['2021-04-01', '2021-12-31', 'deferral-2021-81@2 extension-art12@3 renewal@1'],
      ['2022-01-01', '2022-04-14', 'extension-art12@3 renewal@1'],
      // 银保监办发〔2022〕40号 from its publication, with no end: truck drivers' deferral and renewal.
      ['2022-04-15', '2022-05-30', 'deferral-2022-40@1 extension-art12@3 renewal@5'],
      ['2022-05-31', '2022-11-13', 'deferral-2022@2 deferral-2022-40@1 extension-art12@3 renewal@5'],
      ['2022-11-14', '2022-12-31', 'deferral-2022@2 deferral-2022-40@1 deferral-2022-q4@3 extension-art12@3 renewal@5'],
      ['2023-01-01', '2023-06-30', 'deferral-2022-40@1 deferral-2022-q4@3 extension-art12@3 renewal@5'],
      ['2023-07-01', '2024-09-23', 'deferral-2022-40@1 extension-art12@3 renewal@5'],
      ['2024-09-24', '2025-12-31', 'deferral-2022-40@1 extension-art12@3 renewal@6'],
    ],
  )
  t.ok(
    periods.every((p) => p.problem === null),
    'a decision can be made on every day',
  )
})

t.test('every day of a period is decided under the period’s versions, and no corrected version appears', async (t) => {
  const periods = policyCalendar(DEFAULT_POLICY_VERSIONS, d('2019-06-01'), d('2026-06-30'))
  const mismatches: string[] = []
  for (const p of periods) {
    for (let day = p.from; day <= p.to; day = addDays(day, 1)) {
      const refs = policyAsOf(DEFAULT_POLICY_VERSIONS, day).versions.map((v) => `${v.id}@${v.version}`)
      if (refs.join() !== p.records.map((r) => `${r.id}@${r.version}`).join()) mismatches.push(day)
    }
  }
  t.same(mismatches, [])
  const corrected = new Set(DEFAULT_POLICY_VERSIONS.flatMap((v) => (v.corrects?.versions ?? []).map((n) => `${v.id}@${n}`)))
  t.same(
    periods.flatMap((p) => p.records.map((r) => `${r.id}@${r.version}`)).filter((ref) => corrected.has(ref)),
    [],
  )
  t.ok(periods.every((p, i) => i === 0 || addDays(periods[i - 1]!.to, 1) === p.from), 'periods follow each other without gaps')
})

t.test('days without bank parameters are a period with the problem named', async (t) => {
  const periods = policyCalendar(DEFAULT_POLICY_VERSIONS, d('2013-12-30'), d('2014-01-02'))
  t.same(
    periods.map((p) => [p.from, p.to, p.records.length, p.problem !== null]),
    [
      ['2013-12-30', '2013-12-31', 0, true],
      ['2014-01-01', '2014-01-02', 3, false],
    ],
  )
  t.match(periods[0]!.problem, /bank parameters/)
})

t.test('a range that ends before it starts, or longer than a century, is refused', async (t) => {
  t.throws(() => policyCalendar(DEFAULT_POLICY_VERSIONS, d('2021-01-02'), d('2021-01-01')), { name: 'ReliefError', code: 'invalid-argument' })
  t.throws(() => policyCalendar(DEFAULT_POLICY_VERSIONS, d('1900-01-01'), addDays(d('1900-01-01'), MAX_CALENDAR_DAYS + 1)), { code: 'invalid-argument' })
  t.equal(policyCalendar(DEFAULT_POLICY_VERSIONS, d('2021-02-10'), d('2021-02-10')).length, 1, 'a single day')
})

t.test('CSV: a header, one row per version per period, fields quoted where RFC 4180 asks', async (t) => {
  const csv = policyCalendarCsv(policyCalendar(DEFAULT_POLICY_VERSIONS, d('2021-02-10'), d('2021-02-10')))
  const lines = csv.split('\r\n')
  t.equal(lines[0], 'from,to,kind,id,version,title_zh,title_en,source,corrects,problem')
  t.equal(lines.at(-1), '', 'ends with CRLF')
  t.equal(lines.length, 2 + 5, 'reference data, bank parameters, one programme, extension and renewal rules')
  t.ok(lines.some((l) => l.startsWith('2021-02-10,2021-02-10,deferral-programme,deferral-2021-q1,2,')), 'the programme of the day')
  t.ok(lines.some((l) => l.includes(',extension-art12,3,') && l.endsWith(',,')), 'the extension rules of version 3, which adds to version 2 and corrects nothing')
  const quoted = policyCalendarCsv([{ from: d('2021-01-01'), to: d('2021-01-01'), records: [], problem: 'no "bank", parameters' }])
  t.equal(quoted.split('\r\n')[1], '2021-01-01,2021-01-01,,,,,,,,"no ""bank"", parameters"')
})

t.test('the README’s policy calendar is the one the data gives', async (t) => {
  const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8')
  const table = policyCalendarMarkdown(policyCalendar(DEFAULT_POLICY_VERSIONS, d('2020-01-01'), d('2025-12-31')))
  t.ok(readme.includes(table), 'README holds the table `npm run policy-calendar` prints; regenerate it after changing the records')
})
