// The relief register (专门统计) over HTTP, as a branch supervisor and the risk office read it: final
// approvals by month (Asia/Shanghai), branch, kind and programme, the PBoC incentive counted once per
// loan across its grants and across report ranges, declines and referrals absent, a branch's
// supervisor seeing only that branch, the CSV the regulatory report takes, and bad ranges refused
// naming the field. Real PostgreSQL; applications go through intake and are decided on their scores.
import t from 'tap'
import { BANK_PARAMETERS_DEFAULT, reliefRegisterCsv } from '../src/domain/index.js'
import type { ApplicationInput } from '../src/schemas.js'
import { GOOD, applicationBody, authHeader, expectProblem, expectStatus, newKey, newLoanId, reliefUnderTest, sendScore, uscc, type EnterpriseBody } from './helpers.js'
import { eventually } from '@sme/testing'

let clock = new Date('2020-06-15T02:00:00Z')

t.test('relief register', async (t) => {
  const s = await reliefUnderTest(t, { now: () => clock })
  const admin = (sub: string) => authHeader('admin', { sub })
  // This bank is a local legal-person bank: its deferrals earn the PBoC incentive (银发〔2020〕122号).
  const bank = { ...JSON.parse(JSON.stringify(BANK_PARAMETERS_DEFAULT)), version: 2, effectiveFrom: '2020-01-01', localLegalPersonBank: true }
  expectStatus(t, await s.app.inject({ method: 'POST', url: '/policies', headers: await admin('register-author'), payload: { status: 'draft', policy: bank } }), 201, 'bank parameters, draft')
  expectStatus(t, await s.app.inject({ method: 'POST', url: '/policies/bank-parameters/versions/2/activate', headers: await admin('second-admin') }), 200, 'activated by another admin')

  const decide = async (body: EnterpriseBody): Promise<string> => {
    const res = await s.app.inject({ method: 'POST', url: '/applications', headers: { ...(await s.auth('core-banking', { branches: ['*'] })), 'idempotency-key': newKey('reg') }, payload: body })
    const { id } = expectStatus(t, res, 202, 'accepted')
    await sendScore(s.transport, id, body.enterprise.uscc, GOOD)
    const row = await eventually(`application ${id} final`, async () => {
      const r = await s.db.selectFrom('applications').select(['status', 'final_outcome']).where('id', '=', id).executeTakeFirst()
      return r && r.status !== 'awaiting-score' ? r : undefined
    }, 10_000, 20)
    t.ok(row, `${body.request.kind} decided: ${row.status}`)
    return row.status
  }
  // A 122号 deferral of the whole principal (CNY 3 million) by 9 months: mandatory, and ≥ 6 months, so 1% earns the incentive.
  const longDeferral = (loanId: string, branchId: string, firm: number): EnterpriseBody => ({
    ...applicationBody('mandatory-deferral', { branchId, uscc: uscc(firm), loanId }),
    request: { kind: 'deferral', principal: true, interest: false, deferTo: '2021-03-31' },
  })
  const loanA = newLoanId('REG-A')
  const june = await Promise.all([
    decide(longDeferral(loanA, 'B1', 301)),
    decide(applicationBody('mandatory-deferral', { branchId: 'B2', uscc: uscc(302) })), // 6 months less a day: no incentive
    decide(applicationBody('extension', { branchId: 'B1', uscc: uscc(303) })),
    decide(applicationBody('extension-beyond-cap', { branchId: 'B1', uscc: uscc(304) })), // declined: not in the register
  ])
  t.same(june, ['approved', 'approved', 'approved', 'declined'])
  // 00:30 on 1 July in Shanghai is still 30 June in UTC: the register counts it in July.
  clock = new Date('2020-06-30T16:30:00Z')
  const july = await decide({ ...longDeferral(loanA, 'B1', 301), request: { kind: 'deferral', principal: true, interest: true, interestDueDate: '2020-06-21', deferTo: '2021-03-31' } })
  t.equal(july, 'approved', 'the same loan deferred again (interest too), eligible again')

  const risk = await authHeader('risk')
  const get = async (url: string, headers = risk) => s.app.inject({ method: 'GET', url, headers })

  t.test('by month, branch, kind and programme; the incentive once per loan', async (t) => {
    const { lines } = expectStatus(t, await get('/register?from=2020-06&to=2020-07'), 200)
    t.same(lines, [
      { month: '2020-06', branchId: 'B1', relief: 'deferral', programme: 'deferral-2020-06@4', grants: 1, loans: 1, principalFen: '300000000', deferredPrincipalFen: '300000000', interestDeferrals: 0, incentiveFen: '3000000', incentiveLoans: 1, incentiveAlreadyClaimed: 0 },
      { month: '2020-06', branchId: 'B1', relief: 'extension', programme: 'extension-art12@3', grants: 1, loans: 1, principalFen: '300000000', deferredPrincipalFen: '0', interestDeferrals: 0, incentiveFen: '0', incentiveLoans: 0, incentiveAlreadyClaimed: 0 },
      { month: '2020-06', branchId: 'B2', relief: 'deferral', programme: 'deferral-2020-06@4', grants: 1, loans: 1, principalFen: '300000000', deferredPrincipalFen: '300000000', interestDeferrals: 0, incentiveFen: '0', incentiveLoans: 0, incentiveAlreadyClaimed: 0 },
      { month: '2020-07', branchId: 'B1', relief: 'deferral', programme: 'deferral-2020-06@4', grants: 1, loans: 1, principalFen: '300000000', deferredPrincipalFen: '300000000', interestDeferrals: 1, incentiveFen: '0', incentiveLoans: 0, incentiveAlreadyClaimed: 1 },
    ])
  })

  t.test('a range after the first grant still counts the loan’s incentive as claimed', async (t) => {
    const { lines } = expectStatus(t, await get('/register?from=2020-07&to=2020-07'), 200)
    t.match(lines, [{ month: '2020-07', incentiveFen: '0', incentiveAlreadyClaimed: 1 }])
    t.same(expectStatus(t, await get('/register?from=2020-08&to=2021-12'), 200).lines, [], 'nothing granted later')
  })

  t.test('a supervisor sees the branches of the token only', async (t) => {
    const { lines } = expectStatus(t, await get('/register?from=2020-06&to=2020-07', await authHeader('supervisor', { branches: ['B2'] })), 200)
    t.same(lines.map((l: { branchId: string }) => l.branchId), ['B2'])
  })

  t.test('CSV: text/csv, the header the report takes, the same lines', async (t) => {
    const json = expectStatus(t, await get('/register?from=2020-06&to=2020-07'), 200)
    const res = await get('/register.csv?from=2020-06&to=2020-07')
    t.equal(res.statusCode, 200)
    t.match(String(res.headers['content-type']), /^text\/csv/)
    t.match(String(res.headers['content-disposition']), /filename="relief-register-2020-06-2020-07\.csv"/)
    t.equal(res.body, reliefRegisterCsv(json.lines))
    t.ok(res.body.startsWith('month,branch_id,relief,programme,grants,loans,principal_fen,deferred_principal_fen,interest_deferrals,incentive_fen,incentive_loans,incentive_already_claimed\r\n'))
    t.equal(res.body.split('\r\n').length, 1 + 4 + 1, 'header, four lines, final CRLF')
  })

  t.test('bad ranges are refused naming the field', async (t) => {
    t.same(expectProblem(t, await get('/register?from=2020-13&to=2021-01'), 400, { code: 'validation_failed' }).errors.map((e: { field: string }) => e.field), ['/querystring/from'])
    t.same(expectProblem(t, await get('/register?from=2021-01&to=2020-12'), 400, { code: 'validation_failed' }).errors.map((e: { field: string }) => e.field), ['/querystring/to'])
    t.same(expectProblem(t, await get('/register?from=2000-01&to=2010-01'), 400, { code: 'validation_failed' }).errors.map((e: { field: string }) => e.field), ['/querystring/to'])
    expectStatus(t, await get('/register?from=2000-01&to=2009-12'), 200, 'ten years exactly')
  })
})
