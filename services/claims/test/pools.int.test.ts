// Risk-compensation pools over HTTP against the real PostgreSQL: the shipped pool seeded active; a
// claim for a covered non-performing loan (30 % of the principal from the province), what is refused
// (not covered, with every reason; a loan registered as agency-guaranteed; another branch), payments
// (at most what is outstanding, a repeated reference changing nothing), the final loss (the city's
// 10 %, never more than the loss, the excess owed back), and a new pool version with four eyes that
// governs new claims only.
import t from 'tap'
import { BRANCH, claimsUnderTest, clock, loanBody, poolClaimBody, type ClaimsUnderTest } from './helpers.js'

async function call(s: ClaimsUnderTest, method: 'GET' | 'POST' | 'PUT', url: string, headers: Record<string, string>, payload?: object) {
  const res = await s.app.inject({ method, url, headers, ...(payload ? { payload } : {}) })
  return { status: res.statusCode, body: res.body.length > 0 ? (JSON.parse(res.body) as any) : null }
}

const POOL = 'ZJ-RISK-POOL-2020'
const claimBody = poolClaimBody
const payers = (view: any) => view.payers.map((p: any) => [p.payer, p.dueFen, p.paidFen, p.outstandingFen])

t.test('Given the shipped pool, when a covered loan becomes non-performing and then a loss, then each payer’s share falls due and is settled to the fen', async (t) => {
  const c = clock('2021-03-01T02:00:00Z')
  const s = await claimsUnderTest(t, { now: c.now, startMessaging: false })
  const officer = await s.auth('officer', { sub: 'officer-li', branches: [BRANCH] })
  const core = await s.auth('core-banking', { branches: [BRANCH] })

  let r = await call(s, 'GET', '/pools', officer)
  t.same(r.body.items.map((i: any) => [i.id, i.version, i.status]), [[POOL, 1, 'active']], 'the shipped pool, seeded active')

  r = await call(s, 'POST', '/pool-claims', officer, claimBody())
  t.equal(r.status, 201, 'claimed on non-performance')
  const id = r.body.poolClaimId as string
  t.same(r.body.pool, { id: POOL, version: 1 })
  t.same(payers(r.body), [
    ['ZJ-PROVINCE-FINANCE', '3000000', '0', '3000000'],
    ['HZ-CITY-FINANCE', '0', '0', '0'],
  ], '30 % of 10,000,001 fen from the province, rounded half-up')
  r = await call(s, 'POST', '/pool-claims', officer, claimBody())
  t.equal(r.status, 409, 'one claim per pool and loan')
  t.equal(r.body.poolClaimId, id)

  const before = await s.db.selectFrom('pool_claims').select('pool_claim_id').execute()
  r = await call(s, 'POST', '/pool-claims', officer, claimBody({ loanId: 'CBS-P-2', borrowerSize: 'large', issuedOn: '2020-01-15' }))
  t.equal(r.status, 422, 'not covered')
  t.same(r.body.reasons.map((x: any) => x.code), ['ISSUED_OUTSIDE_PERIOD'], 'issued before the window: no version applies')
  r = await call(s, 'POST', '/pool-claims', officer, claimBody({ loanId: 'CBS-P-2', borrowerSize: 'large' }))
  t.same([r.status, r.body.reasons.map((x: any) => x.code), r.body.reasons[0].text.zh], [422, ['SIZE_NOT_COVERED'], '借款企业不是风险补偿资金覆盖的企业规模'], 'a size not covered, with its texts')
  await call(s, 'PUT', '/guaranteed-loans/CBS-P-3', core, loanBody())
  r = await call(s, 'POST', '/pool-claims', officer, claimBody({ loanId: 'CBS-P-3' }))
  t.same([r.status, r.body.reasons?.map((x: any) => x.code)], [422, ['AGENCY_GUARANTEED']], 'a loan registered here as guaranteed is claimed from the agency, whatever the caller says')
  r = await call(s, 'POST', '/pool-claims', officer, claimBody({ loanId: 'CBS-P-2', poolId: 'NO-SUCH-POOL' }))
  t.same([r.status, r.body.errors?.[0]?.field], [422, '/body/poolId'], 'no such pool')
  r = await call(s, 'POST', '/pool-claims', officer, claimBody({ loanId: 'CBS-P-2', branchId: 'B999' }))
  t.equal(r.status, 403, 'another branch’s loan')
  t.same(await s.db.selectFrom('pool_claims').select('pool_claim_id').execute(), before, 'nothing written by a refusal')

  const pay = (reference: string, payer: string, amountFen: string) => call(s, 'POST', `/pool-claims/${id}/payments`, officer, { reference, payer, amountFen })
  r = await pay('PAY-1', 'ZJ-PROVINCE-FINANCE', '1000000')
  t.same([r.status, r.body.duplicate, payers(r.body.claim)[0]], [200, false, ['ZJ-PROVINCE-FINANCE', '3000000', '1000000', '2000000']], 'part paid')
  r = await pay('PAY-1', 'ZJ-PROVINCE-FINANCE', '1000000')
  t.same([r.status, r.body.duplicate, r.body.claim.entries.length], [200, true, 2], 'the same payment again: nothing added')
  r = await pay('PAY-2', 'ZJ-PROVINCE-FINANCE', '2000001')
  t.same([r.status, r.body.refusal, r.body.errors?.[0]?.field], [422, 'PC_MORE_THAN_OUTSTANDING', '/body/amountFen'], 'a fen more than is outstanding')
  r = await pay('PAY-2', 'SOMEONE', '1')
  t.same([r.status, r.body.errors?.[0]?.field], [422, '/body/payer'], 'not a payer of the pool')
  r = await pay('PAY-2', 'ZJ-PROVINCE-FINANCE', '2000000')
  t.equal(r.body.claim.settled, true, 'the province paid its 30 %')

  c.set('2022-03-01T02:00:00Z')
  r = await call(s, 'POST', `/pool-claims/${id}/final-loss`, officer, { lossFen: '2000000' })
  t.equal(r.status, 200, 'the final loss: 2,000,000 fen, less than the 3,000,000 paid')
  t.same([r.body.stage, r.body.lossFen, payers(r.body)], ['final-loss', '2000000', [['ZJ-PROVINCE-FINANCE', '2000000', '3000000', '-1000000'], ['HZ-CITY-FINANCE', '0', '0', '0']]], 'the bank owes the province 1,000,000 back; nothing from the city')
  r = await call(s, 'POST', `/pool-claims/${id}/final-loss`, officer, { lossFen: '5000000' })
  t.same([r.status, r.body.refusal, r.body.currentStage], [409, 'PC_FINAL_LOSS_RECORDED', 'final-loss'], 'the final loss is recorded once')
  r = await pay('BACK-1', 'ZJ-PROVINCE-FINANCE', '-1000000')
  t.same([r.status, r.body.claim.settled], [200, true], 'paid back: settled')

  const other = await s.auth('officer', { sub: 'officer-b002', branches: ['B002'] })
  t.equal((await call(s, 'GET', `/pool-claims/${id}`, other)).status, 404, 'another branch does not see it')
  t.equal((await call(s, 'POST', `/pool-claims/${id}/payments`, other, { reference: 'X', payer: 'ZJ-PROVINCE-FINANCE', amountFen: '1' })).status, 404, 'nor pay into it')
  t.same((await call(s, 'GET', '/pool-claims', other)).body.items, [], 'nor list it')
  t.same((await call(s, 'GET', '/pool-claims', officer)).body.items.map((i: any) => i.poolClaimId), [id])

  const entries = await s.db.selectFrom('pool_claim_entries').select(['seq', 'kind', 'payer', 'amount_fen', 'by']).where('pool_claim_id', '=', id).orderBy('seq').execute()
  t.same(
    entries.map((e) => [e.seq, e.kind, e.amount_fen]),
    [
      [1, 'due', 3_000_000n],
      [2, 'paid', 1_000_000n],
      [3, 'paid', 2_000_000n],
      [4, 'due', -1_000_000n],
      [5, 'paid', -1_000_000n],
    ],
    'the account: what fell due and what moved, never edited',
  )
  t.ok(entries.every((e) => e.by === 'officer-li'), 'each line attributed')
  const audited = await s.db.selectFrom('audit_log').select('action').where('subject', '=', `pool-claim:${id}`).execute()
  t.equal(audited.length, 5, 'every command audited (the duplicate payment wrote nothing)')
})

t.test('Given a new pool version, when admins add and activate it, then it governs claims on loans issued in its window, with four eyes', async (t) => {
  const s = await claimsUnderTest(t, { now: () => new Date('2021-03-01T02:00:00Z'), startMessaging: false })
  const alice = await s.auth('admin', { sub: 'admin-alice' })
  const bob = await s.auth('admin', { sub: 'admin-bob' })
  const officer = await s.auth('officer', { branches: [BRANCH] })
  const shipped = (await call(s, 'GET', '/pools', alice)).body.items[0].pool
  const v2 = { ...shipped, version: 2, loansIssuedFrom: '2020-07-01', tiers: [{ payer: 'ZJ-PROVINCE-FINANCE', stage: 'non-performing', shareBp: 4_000 }] }

  let r = await call(s, 'POST', '/pools', alice, { pool: { ...v2, tiers: [...v2.tiers, { payer: 'HZ-CITY-FINANCE', stage: 'final-loss', shareBp: 6_500 }] } })
  t.same([r.status, r.body.errors?.[0]?.field], [422, '/body/pool/tiers'], 'a pool paying more than the principal, named')
  r = await call(s, 'POST', '/pools', alice, { pool: v2 })
  t.same([r.status, r.body.status], [201, 'draft'])
  r = await call(s, 'POST', '/pool-claims', officer, claimBody({ loanId: 'CBS-V-1', issuedOn: '2020-08-01' }))
  t.same([r.body.pool.version, r.body.payers[0].dueFen], [1, '3000000'], 'a draft governs nothing')
  t.equal((await call(s, 'POST', `/pools/${POOL}/versions/2/activate`, alice)).status, 403, 'the author may not activate it')
  t.equal((await call(s, 'POST', `/pools/${POOL}/versions/2/activate`, bob)).status, 200, 'a second admin does')
  r = await call(s, 'POST', '/pool-claims', officer, claimBody({ loanId: 'CBS-V-2', issuedOn: '2020-08-01' }))
  t.same([r.body.pool.version, r.body.payers[0].dueFen], [2, '4000000'], 'a loan issued in its window: 40 %')
  r = await call(s, 'POST', '/pool-claims', officer, claimBody({ loanId: 'CBS-V-3', issuedOn: '2020-03-15' }))
  t.equal(r.body.pool.version, 1, 'a loan issued before it: version 1')
  r = await call(s, 'GET', `/pool-claims/${(await s.db.selectFrom('pool_claims').select('pool_claim_id').where('loan_id', '=', 'CBS-V-1').executeTakeFirstOrThrow()).pool_claim_id}`, officer)
  t.same(r.body.pool, { id: POOL, version: 1 }, 'the claim made before activation stays under the version it pinned')
})
