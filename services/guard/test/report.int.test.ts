// The supervisor report on the real PostgreSQL: verdicts counted by branch, action and Asia/Shanghai
// month or day, reviews counted apart, branch scoping, and the CSV as a spreadsheet receives it.
import t from 'tap'
import { applyReliefDecision } from '../src/store/read-model.js'
import { checkBody, deferralDecision, firm, guardUnderTest } from './helpers.js'

t.test('the supervisor report', async (t) => {
  // The clock moves: checks on 2020-03-31 23:30 and 2020-04-01 00:30 Shanghai fall in two months.
  let now = new Date('2020-03-31T15:30:00Z')
  const s = await guardUnderTest(t, { now: () => now })
  const core = await s.auth('core-banking', { sub: 'cbs', branches: ['*'] })
  let n = 0
  const check = async (branchId: string, loanId: string, uscc: string, over: Record<string, unknown> = {}) => {
    const res = await s.app.inject({ method: 'POST', url: '/checks', headers: { ...core, 'idempotency-key': `rp-${n++}` }, payload: checkBody(loanId, uscc, { branchId, ...over }) })
    if (res.statusCode !== 201) throw new Error(res.body)
    return res.json()
  }
  const protectedFirm = async (loanId: string, uscc: string) => s.db.transaction().execute((tx) => applyReliefDecision(tx, deferralDecision(loanId, uscc)))
  await protectedFirm('L-P1', firm(9201))
  await check('B001', 'L-P1', firm(9201)) // BLOCK, March (Shanghai 23:30 on the 31st)
  await check('B001', 'L-U1', firm(9202)) // ALLOW, March
  now = new Date('2020-03-31T16:30:00Z') // 2020-04-01 00:30 in Shanghai
  await check('B001', 'L-P1', firm(9201), { action: 'freeze-line' }) // BLOCK, April
  const escalated = await check('B002', 'L-P1', firm(9201), { reasons: [{ code: 'non-epidemic-deterioration', evidence: [{ kind: 'financial-analysis', ref: 'FA-1' }] }] })
  const riskA = await s.auth('risk', { sub: 'risk-a' })
  const riskB = await s.auth('risk', { sub: 'risk-b' })
  for (const who of [riskA, riskB]) await s.app.inject({ method: 'POST', url: `/escalations/${escalated.checkId}/reviews`, headers: who, payload: { outcome: 'ALLOW', reason: 'a decline of its own' } })

  const risk = await s.auth('risk', { sub: 'risk-r' })
  const monthly = await s.app.inject({ method: 'GET', url: '/reports/verdicts?from=2020-03-01&to=2020-04-30', headers: risk })
  t.equal(monthly.statusCode, 200)
  t.same(monthly.json().lines, [
    { period: '2020-03', branchId: 'B001', action: 'call-early', checks: 2, allowed: 1, blocked: 1, escalated: 0, overridden: 0, upheld: 0 },
    { period: '2020-04', branchId: 'B001', action: 'freeze-line', checks: 1, allowed: 0, blocked: 1, escalated: 0, overridden: 0, upheld: 0 },
    { period: '2020-04', branchId: 'B002', action: 'call-early', checks: 1, allowed: 0, blocked: 0, escalated: 1, overridden: 1, upheld: 0 },
  ])
  const daily = await s.app.inject({ method: 'GET', url: '/reports/verdicts?from=2020-04-01&to=2020-04-01&period=day', headers: risk })
  t.same(daily.json().lines.map((l: { period: string; branchId: string }) => [l.period, l.branchId]), [['2020-04-01', 'B001'], ['2020-04-01', 'B002']], 'by Shanghai day: the March check is not in April 1')

  const supervisor = await s.auth('supervisor', { sub: 'sup-b002', branches: ['B002'] })
  const own = await s.app.inject({ method: 'GET', url: '/reports/verdicts?from=2020-03-01&to=2020-04-30', headers: supervisor })
  t.same(own.json().lines.map((l: { branchId: string }) => l.branchId), ['B002'], 'a supervisor sees their branches only')

  const csv = await s.app.inject({ method: 'GET', url: '/reports/verdicts.csv?from=2020-03-01&to=2020-04-30', headers: risk })
  t.equal(csv.headers['content-type'], 'text/csv; charset=utf-8')
  t.match(csv.headers['content-disposition'], /attachment; filename="guard-verdicts-2020-03-01-2020-04-30.csv"/)
  t.equal(
    csv.body,
    'period,branch_id,action,checks,allowed,blocked,escalated,overridden,upheld\r\n' +
      '2020-03,B001,call-early,2,1,1,0,0,0\r\n' +
      '2020-04,B001,freeze-line,1,0,1,0,0,0\r\n' +
      '2020-04,B002,call-early,1,0,0,1,1,0\r\n',
  )
  const backwards = await s.app.inject({ method: 'GET', url: '/reports/verdicts?from=2020-04-30&to=2020-03-01', headers: risk })
  t.equal(backwards.statusCode, 400)
  t.equal(backwards.json().errors[0].field, '/querystring/to')
  const tooLong = await s.app.inject({ method: 'GET', url: '/reports/verdicts.csv?from=2000-01-01&to=2020-01-01', headers: risk })
  t.equal(tooLong.statusCode, 400)
})
