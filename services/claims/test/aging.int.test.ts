// The aging view against the real PostgreSQL: claims whose agency has not paid by its deadline, and
// claims whose recourse period is over without a write-off, by age band; an agency sees its own
// claims only, an officer those of their branches.
import t from 'tap'
import { daysBetween, parseDate } from '@sme/domain'
import { ALL_DOCUMENTS, AGENCY_4222, BRANCH, claimsUnderTest, clock, loanBody, type ClaimsUnderTest } from './helpers.js'

async function call(s: ClaimsUnderTest, method: 'GET' | 'POST' | 'PUT', url: string, headers: Record<string, string>, payload?: object) {
  const res = await s.app.inject({ method, url, headers, ...(payload ? { payload } : {}) })
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`)
  return JSON.parse(res.body) as any
}

t.test('Given filed and paid claims, when their deadlines pass, then the aging view shows each once, in its band, to those who may see it', async (t) => {
  const c = clock('2020-06-15T02:00:00Z')
  const s = await claimsUnderTest(t, { now: c.now, startMessaging: false })
  const core = await s.auth('core-banking', { branches: [BRANCH, 'B002'] })
  const officer = await s.auth('officer', { branches: [BRANCH, 'B002'] })
  const agency = await s.auth('agency', { agency: AGENCY_4222 })

  const fileClaim = async (loanId: string, over: Record<string, unknown> = {}) => {
    await call(s, 'PUT', `/guaranteed-loans/${loanId}`, core, loanBody(over))
    const { claimId } = await call(s, 'POST', `/guaranteed-loans/${loanId}/demands`, officer, { amountFen: '1000' })
    await call(s, 'POST', `/claims/${claimId}/demand-outcome`, officer, { outcome: 'claim' })
    await call(s, 'PUT', `/claims/${claimId}/documents`, officer, { documents: ALL_DOCUMENTS })
    const filed = await call(s, 'POST', `/claims/${claimId}/filing`, officer, { unpaidInterestFen: '0' })
    return { claimId, dueOn: filed.filing.paymentDueOn as string, claimed: filed.filing.amount.claimedFen as string }
  }
  const unpaid = await fileClaim('CBS-G-1')
  const otherBranch = await fileClaim('CBS-G-2', { branchId: 'B002' })
  const paid = await fileClaim('CBS-G-3')
  await call(s, 'POST', `/claims/${paid.claimId}/answers`, agency, { kind: 'approved', responseId: 'G3-A', loanId: 'CBS-G-3', answeredOn: '2020-06-15', amountFen: '60000000' })
  const settled = await call(s, 'POST', `/claims/${paid.claimId}/answers`, agency, { kind: 'paid', responseId: 'G3-P', loanId: 'CBS-G-3', answeredOn: '2020-06-15', payerId: AGENCY_4222, amountFen: '60000000' })
  const recovered = await call(s, 'POST', `/claims/${paid.claimId}/recoveries`, officer, { recoveryId: 'R1', amountFen: '10000000', source: 'collateral sale' })
  const recourseUntil = settled.claim.settlement.recourseUntil as string

  let aging = await call(s, 'GET', '/claims/aging', officer)
  t.same([aging.total, aging.items], [{ count: 0, amountFen: '0' }, []], 'on the filing day nothing is overdue')

  const day = '2020-09-01'
  c.set(`${day}T02:00:00Z`)
  aging = await call(s, 'GET', '/claims/aging', officer)
  const days = daysBetween(parseDate(unpaid.dueOn), parseDate(day))
  t.ok(days >= 31 && days <= 60, `due on ${unpaid.dueOn}: ${days} days overdue`)
  t.same(
    aging.items.map((i: any) => [i.claimId, i.kind, i.daysOverdue, i.bucket, i.amountFen]).sort(),
    [
      [otherBranch.claimId, 'payment-overdue', days, '31-60', otherBranch.claimed],
      [unpaid.claimId, 'payment-overdue', days, '31-60', unpaid.claimed],
    ].sort(),
    'the two unpaid claims; the paid one is in recourse',
  )
  const band = aging.summary.find((l: any) => l.kind === 'payment-overdue' && l.bucket === '31-60')
  t.same([band.count, band.amountFen], [2, (BigInt(unpaid.claimed) + BigInt(otherBranch.claimed)).toString()], 'the summary counts them in their band')
  t.equal(band.text.zh, '担保机构逾期未代偿', 'with its text in both languages')

  const ownBranch = await call(s, 'GET', '/claims/aging', await s.auth('officer', { sub: 'officer-b001', branches: [BRANCH] }))
  t.same(ownBranch.items.map((i: any) => i.claimId), [unpaid.claimId], 'an officer of one branch sees its claims only')
  t.same((await call(s, 'GET', '/claims/aging?branchId=B002', officer)).items.map((i: any) => i.claimId), [otherBranch.claimId], 'filtered by branch')
  t.equal((await call(s, 'GET', '/claims/aging', agency)).total.count, 2, 'the agency sees what it owes')
  t.equal((await call(s, 'GET', '/claims/aging', await s.auth('agency', { agency: 'HZ-AGENCY-02' }))).total.count, 0, 'another agency sees none of it')

  const later = parseDate(recourseUntil)
  c.set(`${later.slice(0, 4)}-12-31T02:00:00Z`)
  aging = await call(s, 'GET', '/claims/aging', officer)
  const ended = aging.items.find((i: any) => i.claimId === paid.claimId)
  t.equal(ended.kind, 'recourse-ended', `recourse until ${recourseUntil} is over, the loss not written off`)
  t.equal(ended.amountFen, (60_000_000n - BigInt(recovered.recoveredByLayer.filter((l: any) => l.party !== 'bank').reduce((x: bigint, l: any) => x + BigInt(l.amountFen), 0n))).toString(), 'what the payers have not recovered')
  t.same(aging.items.map((i: any) => i.daysOverdue), [...aging.items.map((i: any) => i.daysOverdue)].sort((a, b) => b - a), 'the oldest first')

  await call(s, 'POST', `/claims/${paid.claimId}/write-off`, officer, { basis: 'recourse-exhausted' })
  aging = await call(s, 'GET', '/claims/aging?limit=1', officer)
  t.notOk(aging.items.some((i: any) => i.claimId === paid.claimId), 'written off: no longer overdue')
  t.equal(aging.total.count, 2, 'the total counts every item')
  t.equal(aging.items.length, 1, 'the list stops at the limit')
})
