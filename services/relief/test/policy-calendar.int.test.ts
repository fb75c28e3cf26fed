// The policy calendar over HTTP, as an officer or an auditor reads it: the active versions period by
// period (what the shipped records give), the same as CSV, a draft absent until another admin
// activates it, and bad ranges refused naming the field. Real PostgreSQL.
import t from 'tap'
import { DEFAULT_POLICY_VERSIONS, policyCalendar, policyCalendarCsv } from '../src/domain/index.js'
import { d } from './domain/fixtures.js'
import { authHeader, expectProblem, expectStatus, reliefUnderTest } from './helpers.js'

t.test('policy calendar', async (t) => {
  const s = await reliefUnderTest(t)
  const officer = await authHeader('officer', { branches: ['B1'] })
  const get = (url: string) => s.app.inject({ method: 'GET', url, headers: officer })

  t.test('2020–2025: the periods the shipped records give', async (t) => {
    const body = expectStatus(t, await get('/policies/calendar?from=2020-01-01&to=2025-12-31'), 200, 'the calendar')
    t.same(body, { from: '2020-01-01', to: '2025-12-31', periods: JSON.parse(JSON.stringify(policyCalendar(DEFAULT_POLICY_VERSIONS, d('2020-01-01'), d('2025-12-31')))) })
    t.same(
      body.periods.filter((p: { from: string }) => p.from.startsWith('2021')).map((p: { records: { id: string; version: number; kind: string }[] }) => p.records.filter((r) => r.kind === 'deferral-programme').map((r) => `${r.id}@${r.version}`)),
      [['deferral-2021-q1@2'], ['deferral-2021-81@2']],
      '2021: the two notices, each its own record',
    )
  })

  t.test('CSV: text/csv, a header row, the same periods', async (t) => {
    const res = await get('/policies/calendar.csv?from=2020-01-01&to=2025-12-31')
    t.equal(res.statusCode, 200)
    t.match(String(res.headers['content-type']), /^text\/csv/)
    t.match(String(res.headers['content-disposition']), /attachment; filename="policy-calendar-2020-01-01-2025-12-31\.csv"/)
    t.equal(res.body, policyCalendarCsv(policyCalendar(DEFAULT_POLICY_VERSIONS, d('2020-01-01'), d('2025-12-31'))))
    t.ok(res.body.startsWith('from,to,kind,id,version,title_zh,title_en,source,corrects,problem\r\n'))
  })

  t.test('a draft is not in force until another admin activates it', async (t) => {
    const programme = DEFAULT_POLICY_VERSIONS.find((v) => v.id === 'deferral-2022-q4' && v.version === 2)!
    const draft = { ...JSON.parse(JSON.stringify(programme)), id: 'deferral-test-2024', version: 1, effectiveFrom: '2024-03-01', effectiveTo: '2024-03-31' }
    delete draft.corrects
    const admin = await authHeader('admin', { sub: 'calendar-author' })
    expectStatus(t, await s.app.inject({ method: 'POST', url: '/policies', headers: admin, payload: { status: 'draft', policy: draft } }), 201, 'a draft programme for March 2024')
    const before = expectStatus(t, await get('/policies/calendar?from=2024-01-01&to=2024-12-31'), 200)
    t.notOk(JSON.stringify(before).includes('deferral-test-2024'), 'a draft is not in the calendar')
    expectStatus(t, await s.app.inject({ method: 'POST', url: '/policies/deferral-test-2024/versions/1/activate', headers: await authHeader('admin', { sub: 'second-admin' }) }), 200, 'activated')
    const after = expectStatus(t, await get('/policies/calendar?from=2024-01-01&to=2024-12-31'), 200)
    t.same(
      after.periods.map((p: { from: string; to: string; records: { id: string }[] }) => [p.from, p.to, p.records.some((r) => r.id === 'deferral-test-2024')]),
      [
        ['2024-01-01', '2024-02-29', false],
        ['2024-03-01', '2024-03-31', true],
        ['2024-04-01', '2024-09-23', false],
        ['2024-09-24', '2024-12-31', false],
      ],
    )
  })

  t.test('bad ranges are refused naming the field', async (t) => {
    const backwards = expectProblem(t, await get('/policies/calendar?from=2021-12-31&to=2021-01-01'), 400, { code: 'validation_failed', what: 'a range that ends before it starts' })
    t.same(backwards.errors.map((e: { field: string }) => e.field), ['/querystring/to'])
    expectProblem(t, await get('/policies/calendar.csv?from=1900-01-01&to=2100-01-01'), 400, { code: 'validation_failed', what: 'more than a century' })
    const malformed = expectProblem(t, await get('/policies/calendar?from=2021-02-30&to=2021-12-31'), 400, { what: 'a day that does not exist' })
    t.ok(malformed.errors.some((e: { field: string }) => e.field.startsWith('/querystring/from')), 'names from')
    expectProblem(t, await get('/policies/calendar?from=2021-01-01'), 400, { what: 'no end' })
  })
})
