// Claims in embedded mode (PGlite and the in-process transport), as `npm start` runs it: a claim
// demanded, filed (its event in the outbox and handed to the in-process transport), answered by its
// agency, paid and recovered — the same statements as on PostgreSQL.
import t from 'tap'
import { createPgliteDatabase } from '@sme/data'
import { eventually, uniqueName } from '@sme/testing'
import { ALL_DOCUMENTS, AGENCY_4222, BRANCH, claimsUnderTest, clock, loanBody, poolClaimBody } from './helpers.js'

t.test('embedded: a claim from the demand to a recovery on PGlite', async (t) => {
  const database = await createPgliteDatabase<any>()
  t.teardown(() => database.close())
  const c = clock('2020-06-15T02:00:00Z')
  const s = await claimsUnderTest(t, { database, schema: uniqueName('claims-emb'), now: c.now })
  const core = await s.auth('core-banking', { branches: [BRANCH] })
  const officer = await s.auth('officer', { branches: [BRANCH] })
  const agency = await s.auth('agency', { agency: AGENCY_4222 })
  const send = async (method: 'POST' | 'PUT', url: string, payload: object, headers: Record<string, string>) => {
    const res = await s.app.inject({ method, url, headers, payload })
    t.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode}`)
    return res.json<any>()
  }
  await send('PUT', '/guaranteed-loans/EMB-1', loanBody(), core)
  const { claimId } = await send('POST', '/guaranteed-loans/EMB-1/demands', { amountFen: '101500000' }, officer)
  await send('POST', `/claims/${claimId}/demand-outcome`, { outcome: 'claim' }, officer)
  await send('PUT', `/claims/${claimId}/documents`, { documents: ALL_DOCUMENTS }, officer)
  const filed = await send('POST', `/claims/${claimId}/filing`, { unpaidInterestFen: '1500000' }, officer)
  t.equal(filed.filing.amount.claimedFen, '80870000')
  await send('POST', `/claims/${claimId}/answers`, { kind: 'approved', responseId: 'E-1', loanId: 'EMB-1', answeredOn: '2020-06-15', amountFen: '80870000' }, agency)
  await send('POST', `/claims/${claimId}/answers`, { kind: 'paid', responseId: 'E-2', loanId: 'EMB-1', answeredOn: '2020-06-15', payerId: AGENCY_4222, amountFen: '80870000' }, agency)
  const recovered = await send('POST', `/claims/${claimId}/recoveries`, { recoveryId: 'R1', amountFen: '1000000', source: 'the borrower' }, officer)
  t.same(recovered.recoveredByLayer.map((l: { amountFen: string }) => l.amountFen), ['400000', '200000', '200000', '200000'])
  const published = await eventually('the events published on the in-process transport', async () => {
    const rows = await s.db.selectFrom('outbox').select(['event_type', 'published_at']).orderBy('seq').execute()
    return rows.length === 2 && rows.every((r) => r.published_at !== null) ? rows : undefined
  })
  t.same(published.map((r) => r.event_type), ['sme.claims.claim-filed.v1', 'sme.claims.recovery-shared.v1'])
  const comp = await s.db.selectFrom('agency_compensation').select(['compensated_fen', 'recovered_to_payers_fen']).executeTakeFirstOrThrow()
  t.same(comp, { compensated_fen: 80_870_000n, recovered_to_payers_fen: 800_000n }, 'the running totals on PGlite too')

  // Past the recourse period, the aging view (its JSON paths) reads the same on PGlite.
  c.set(`${Number(recovered.settlement.recourseUntil.slice(0, 4)) + 1}-01-15T02:00:00Z`)
  const aging = (await s.app.inject({ method: 'GET', url: '/claims/aging', headers: officer })).json<any>()
  t.same(aging.items.map((i: any) => [i.claimId, i.kind, i.amountFen]), [[claimId, 'recourse-ended', '80070000']], 'the loss the payers have not recovered, overdue for write-off')

  // A claim on the shipped pool (seeded at start on PGlite too) and a payment into it.
  const pooled = await send('POST', '/pool-claims', poolClaimBody({ loanId: 'EMB-POOL-1' }), officer)
  const paid = await send('POST', `/pool-claims/${pooled.poolClaimId}/payments`, { reference: 'EMB-PAY-1', payer: 'ZJ-PROVINCE-FINANCE', amountFen: '3000000' }, officer)
  t.same([paid.claim.settled, paid.claim.entries.length], [true, 2], 'the pool claim settled on PGlite')
})
