// The portfolio caps' usage against the real PostgreSQL: the book guaranteed per agreement and
// vintage, the agency's compensation net of recoveries, the cap of the version in force and its
// headroom — the running totals the filings are checked on; an agency sees its own.
import t from 'tap'
import { ALL_DOCUMENTS, AGENCY_4222, BRANCH, claimsUnderTest, clock, loanBody } from './helpers.js'

t.test('Given a vintage with a paid claim and a recovery, when the portfolio is read, then its figures and headroom are those the filings are checked on', async (t) => {
  const s = await claimsUnderTest(t, { now: clock('2020-06-15T02:00:00Z').now, startMessaging: false })
  const core = await s.auth('core-banking', { branches: [BRANCH] })
  const officer = await s.auth('officer', { branches: [BRANCH] })
  const agency = await s.auth('agency', { agency: AGENCY_4222 })
  const ok = async (method: 'GET' | 'POST' | 'PUT', url: string, headers: Record<string, string>, payload?: object) => {
    const res = await s.app.inject({ method, url, headers, ...(payload ? { payload } : {}) })
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`)
    return res.json<any>()
  }
  await ok('PUT', '/guaranteed-loans/CBS-F-1', core, loanBody())
  await ok('PUT', '/guaranteed-loans/CBS-F-2', core, loanBody())
  await ok('PUT', '/guaranteed-loans/CBS-F-3', core, loanBody({ agreementId: 'HZ-GUARANTEE-4321', guaranteedOn: '2021-05-01' }))
  const { claimId } = await ok('POST', '/guaranteed-loans/CBS-F-1/demands', officer, { amountFen: '1000' })
  await ok('POST', `/claims/${claimId}/demand-outcome`, officer, { outcome: 'claim' })
  await ok('PUT', `/claims/${claimId}/documents`, officer, { documents: ALL_DOCUMENTS })
  await ok('POST', `/claims/${claimId}/filing`, officer, { unpaidInterestFen: '0' })
  await ok('POST', `/claims/${claimId}/answers`, agency, { kind: 'approved', responseId: 'F-A', loanId: 'CBS-F-1', answeredOn: '2020-06-15', amountFen: '80000000' })
  await ok('POST', `/claims/${claimId}/answers`, agency, { kind: 'paid', responseId: 'F-P', loanId: 'CBS-F-1', answeredOn: '2020-06-15', payerId: AGENCY_4222, amountFen: '80000000' })
  await ok('POST', `/claims/${claimId}/recoveries`, officer, { recoveryId: 'R1', amountFen: '1000000', source: 'collateral sale' })

  const report = await ok('GET', '/portfolio', await s.auth('risk'))
  t.same(
    report.items.map((i: any) => [i.agreementId, i.agencyId, i.vintage, i.guaranteedFen]),
    [
      ['HZ-GUARANTEE-4321', 'HZ-AGENCY-02', 2021, '100000000'],
      ['ZJ-GUARANTEE-4222', AGENCY_4222, 2020, '200000000'],
    ],
    'one line per agreement and vintage, the newest vintage first',
  )
  const zj = report.items[1]
  t.same([zj.compensatedFen, zj.recoveredToPayersFen], ['80000000', '800000'], 'compensated, and the 80 % of the recovery the payers got back')
  t.same(zj.cap, { agreementVersion: 1, capBp: 500, mode: 'flag', limitFen: '10000000', usedFen: '79200000', headroomFen: '-69200000', exceeded: true }, '5 % of the book, used net of recoveries, past it (the 4:2:2:2 agreement flags)')
  t.same(report.items[0].cap.exceeded, false, 'the 2021 vintage of the other agreement: nothing compensated')

  t.same((await ok('GET', '/portfolio?vintage=2021', officer)).items.map((i: any) => i.vintage), [2021], 'by vintage')
  t.same((await ok('GET', '/portfolio', agency)).items.map((i: any) => i.agreementId), ['ZJ-GUARANTEE-4222'], 'an agency sees its own agreements')
  t.same((await ok('GET', '/portfolio', await s.auth('agency', { agency: 'SOMEONE-ELSE' }))).items, [], 'an agency with none sees nothing')
})
