// The claim life cycle over HTTP against the real PostgreSQL: a guaranteed loan registered, a demand
// on the borrower, the claim filed with its amount split to the fen and published through the outbox,
// the agency's answers (a duplicate, another agency's, one out of order), payment by the agency then
// the re-guarantors, recoveries shared back, a correction, write-off with the file open. Illegal
// transitions answer 409 with the state; bad input a 4xx naming the field; nothing is written.
import t from 'tap'
import { ALL_DOCUMENTS, AGENCY_4222, BRANCH, claimsUnderTest, clock, loanBody, type ClaimsUnderTest } from './helpers.js'

async function call(s: ClaimsUnderTest, method: 'GET' | 'POST' | 'PUT', url: string, headers: Record<string, string>, payload?: object) {
  const res = await s.app.inject({ method, url, headers, ...(payload ? { payload } : {}) })
  return { status: res.statusCode, body: res.body.length > 0 ? (JSON.parse(res.body) as any) : null }
}

async function outboxTypes(s: ClaimsUnderTest): Promise<string[]> {
  const rows = await s.db.selectFrom('outbox').select(['event_type', 'seq']).orderBy('seq').execute()
  return rows.map((r) => r.event_type)
}

t.test('a claim from the demand to write-off, and what is refused on the way', async (t) => {
  const c = clock('2020-06-01T02:00:00Z')
  const s = await claimsUnderTest(t, { now: c.now, startMessaging: false })
  const core = await s.auth('core-banking', { branches: [BRANCH] })
  const officer = await s.auth('officer', { sub: 'officer-li', branches: [BRANCH] })
  const agency = await s.auth('agency', { agency: AGENCY_4222 })
  const otherAgency = await s.auth('agency', { agency: 'HZ-AGENCY-02' })
  const reguarantor = agency

  let r = await call(s, 'PUT', '/guaranteed-loans/CBS-L-1', core, loanBody())
  t.equal(r.status, 201, 'the guaranteed loan registered')
  r = await call(s, 'PUT', '/guaranteed-loans/CBS-L-1', core, loanBody())
  t.equal(r.status, 200, 'registered again with the same body: unchanged')

  r = await call(s, 'POST', '/guaranteed-loans/CBS-L-1/demands', officer, { amountFen: '101500000' })
  t.equal(r.status, 201, 'a demand on the borrower')
  const id = r.body.claimId as string
  t.equal(r.body.status, 'demanded')
  t.same(r.body.agreement, { id: 'ZJ-GUARANTEE-4222', version: 1 })
  r = await call(s, 'POST', '/guaranteed-loans/CBS-L-1/demands', officer, { amountFen: '1' })
  t.equal(r.status, 409, 'a second demand while the first is open')

  r = await call(s, 'POST', `/claims/${id}/filing`, officer, { unpaidInterestFen: '1500000' })
  t.equal(r.status, 409, 'filed before the demand ended: 409')
  t.equal(r.body.currentStatus, 'demanded', 'with the state it met')
  t.same(r.body.allowedIn, ['draft'])

  r = await call(s, 'POST', `/claims/${id}/demand-outcome`, officer, { outcome: 'claim' })
  t.equal(r.body.status, 'draft')

  r = await call(s, 'GET', `/claims/${id}/eligibility`, officer)
  t.equal(r.body.eligible, false)
  t.same(r.body.missing.map((m: { code: string }) => m.code), ALL_DOCUMENTS, 'the completeness check lists every document')
  r = await call(s, 'POST', `/claims/${id}/filing`, officer, { unpaidInterestFen: '1500000' })
  t.equal(r.status, 422, 'filed with documents missing')
  t.equal(r.body.refusal, 'CL_NOT_ELIGIBLE')
  t.same(r.body.reasons.map((x: { code: string }) => x.code), ['DOCUMENTS_MISSING'])

  r = await call(s, 'PUT', `/claims/${id}/documents`, officer, { documents: ['claim-application', 'no-such-document'] })
  t.equal(r.status, 422, 'a document the agreement does not ask for')
  t.equal(r.body.errors[0].field, '/body/documents/1')
  r = await call(s, 'PUT', `/claims/${id}/documents`, officer, { documents: ALL_DOCUMENTS })
  t.same(r.body.documents, ALL_DOCUMENTS)
  r = await call(s, 'GET', `/claims/${id}/eligibility`, officer)
  t.equal(r.body.eligible, true)

  c.set('2020-06-15T02:00:00Z')
  r = await call(s, 'POST', `/claims/${id}/filing`, officer, { unpaidInterestFen: '1500000' })
  t.equal(r.status, 200, 'filed')
  t.equal(r.body.status, 'filed')
  t.equal(r.body.filing.amount.claimedFen, '80870000', '80% of principal + 90 days of interest')
  t.same(r.body.filing.amount.layers.map((l: { amountFen: string }) => l.amountFen), ['40435000', '20217500', '20217500'])
  t.equal(r.body.filing.paymentDueOn, '2020-07-28', '30 working days after 15 June 2020 (the Dragon Boat holiday 25–27 June skipped, Sunday 28 June worked)')
  t.same(await outboxTypes(s), ['sme.claims.claim-filed.v1'], 'the claim is in the outbox')

  r = await call(s, 'POST', `/claims/${id}/answers`, otherAgency, { kind: 'acknowledged', responseId: 'HZ-1', loanId: 'CBS-L-1', answeredOn: '2020-06-16' })
  t.equal(r.status, 404, 'another agency answering: no such claim for it')
  c.set('2020-06-16T02:00:00Z')
  r = await call(s, 'POST', `/claims/${id}/answers`, agency, { kind: 'approved', responseId: 'ZJ-2', loanId: 'CBS-L-1', answeredOn: '2020-06-16', amountFen: '80870001' })
  t.equal(r.status, 422, 'an approval above the claim')
  t.equal(r.body.refusal, 'CL_AMOUNT')
  r = await call(s, 'POST', `/claims/${id}/answers`, agency, { kind: 'acknowledged', responseId: 'ZJ-1', loanId: 'CBS-L-1', answeredOn: '2020-06-16' })
  t.equal(r.body.claim.status, 'acknowledged')
  t.equal(r.body.duplicate, false)
  r = await call(s, 'POST', `/claims/${id}/answers`, agency, { kind: 'acknowledged', responseId: 'ZJ-1', loanId: 'CBS-L-1', answeredOn: '2020-06-16' })
  t.equal(r.status, 200, 'the same answer again')
  t.equal(r.body.duplicate, true, 'changes nothing')
  t.equal(r.body.claim.version, 4, 'no event added')
  r = await call(s, 'POST', `/claims/${id}/answers`, agency, { kind: 'paid', responseId: 'ZJ-3', loanId: 'CBS-L-1', answeredOn: '2020-06-16', payerId: AGENCY_4222, amountFen: '40000000' })
  t.equal(r.status, 409, 'paid before approval: out of order')
  t.equal(r.body.currentStatus, 'acknowledged')
  r = await call(s, 'POST', `/claims/${id}/answers`, agency, { kind: 'approved', responseId: 'ZJ-4', loanId: 'CBS-L-1', answeredOn: '2020-06-16', amountFen: '40000000' })
  t.equal(r.body.claim.status, 'approved', 'settled in part')
  c.set('2020-06-20T02:00:00Z')
  r = await call(s, 'POST', `/claims/${id}/answers`, reguarantor, { kind: 'paid', responseId: 'ZJ-5', loanId: 'CBS-L-1', answeredOn: '2020-06-20', payerId: 'ZJ-REGUARANTEE', amountFen: '10000000' })
  t.equal(r.status, 409, 'the re-guarantor before the agency')
  t.equal(r.body.refusal, 'CL_ORIGINATING_FIRST')
  r = await call(s, 'POST', `/claims/${id}/answers`, agency, { kind: 'paid', responseId: 'ZJ-6', loanId: 'CBS-L-1', answeredOn: '2020-06-20', payerId: AGENCY_4222, amountFen: '40000000' })
  t.equal(r.body.claim.status, 'paid')
  t.equal(r.body.claim.settlement.recourseUntil, '2023-06-20', '24 months + 12 for the epidemic')
  t.same(r.body.claim.settlement.borne.map((b: { amountFen: string }) => b.amountFen), ['20000000', '10000000', '10000000', '61087500'], 'the bank bore the rest of the loss')
  r = await call(s, 'POST', `/claims/${id}/answers`, reguarantor, { kind: 'paid', responseId: 'ZJ-7', loanId: 'CBS-L-1', answeredOn: '2020-06-20', payerId: 'ZJ-REGUARANTEE', amountFen: '10000000' })
  t.same(r.body.claim.reguarantorsPaid, ['ZJ-REGUARANTEE'])

  c.set('2021-03-01T02:00:00Z')
  r = await call(s, 'POST', `/claims/${id}/recoveries`, officer, { recoveryId: 'R1', amountFen: '10108750', source: 'collateral sale' })
  t.equal(r.body.status, 'in-recourse')
  t.same(r.body.recoveredByLayer.map((l: { amountFen: string }) => l.amountFen), ['2000000', '1000000', '1000000', '6108750'], 'a tenth of the loss back, a tenth of what each bore')
  r = await call(s, 'POST', `/claims/${id}/recoveries/R1/corrections`, officer, { amountFen: '10000000', reason: 'sale costs deducted' })
  t.equal(r.status, 200, 'a correction')
  t.equal(r.body.recoveries[0].amountFen, '10000000')
  r = await call(s, 'POST', `/claims/${id}/write-off`, officer, { basis: 'recourse-exhausted' })
  t.equal(r.status, 409, 'recourse not exhausted before its end')
  t.equal(r.body.refusal, 'CL_RECOURSE_OPEN')
  r = await call(s, 'POST', `/claims/${id}/write-off`, officer, { basis: 'write-off-conditions-met' })
  t.equal(r.body.status, 'written-off')
  c.set('2022-01-05T02:00:00Z')
  r = await call(s, 'POST', `/claims/${id}/recoveries`, officer, { recoveryId: 'R2', amountFen: '5000', source: 'court enforcement' })
  t.equal(r.body.status, 'written-off', 'a recovery after write-off: the file stays open')
  t.equal(r.body.recoveries.length, 2)

  t.same(await outboxTypes(s), ['sme.claims.claim-filed.v1', 'sme.claims.recovery-shared.v1', 'sme.claims.recovery-shared.v1', 'sme.claims.claim-written-off.v1', 'sme.claims.recovery-shared.v1'], 'what the agencies hear of')
  r = await call(s, 'GET', `/claims/${id}`, agency)
  t.equal(r.status, 200, 'the agency sees its claim')
  t.same(
    r.body.history.map((h: { type: string }) => h.type),
    ['demand-issued', 'demand-resolved', 'claim-filed', 'claim-acknowledged', 'claim-approved', 'claim-paid', 'reguarantor-paid', 'recovery-recorded', 'recovery-corrected', 'claim-written-off', 'recovery-recorded'],
    'the history, every record dated and attributed',
  )
  r = await call(s, 'GET', `/claims/${id}`, otherAgency)
  t.equal(r.status, 404, 'another agency does not')
  r = await call(s, 'GET', `/claims/${id}`, await s.auth('officer', { branches: ['B999'] }))
  t.equal(r.status, 404, 'nor an officer of another branch')
  r = await call(s, 'GET', '/claims', otherAgency)
  t.same(r.body.items, [], 'another agency lists none')
  r = await call(s, 'GET', '/claims', agency)
  t.equal(r.body.items.length, 1)
})

t.test('bad input: a 4xx naming the field, nothing written', async (t) => {
  const s = await claimsUnderTest(t, { startMessaging: false })
  const core = await s.auth('core-banking', { branches: [BRANCH] })
  const rows: [string, 'GET' | 'POST' | 'PUT', string, object, string][] = [
    ['a negative principal', 'PUT', '/guaranteed-loans/L-1', loanBody({ outstandingPrincipalFen: '-1' }), '/body/outstandingPrincipalFen'],
    ['an amount as a number', 'PUT', '/guaranteed-loans/L-1', loanBody({ guaranteedFen: 100 }), '/body/guaranteedFen'],
    ['an unknown size', 'PUT', '/guaranteed-loans/L-1', loanBody({ borrowerSize: 'tiny' }), '/body/borrowerSize'],
    ['a loan id with a space', 'PUT', '/guaranteed-loans/L%201', loanBody(), '/params/loanId'],
    ['a claim id that is not a uuid', 'GET', '/claims/42', {}, '/params/claimId'],
  ]
  for (const [why, method, url, payload, field] of rows) {
    const r = await call(s, method, url, core, method === 'GET' ? undefined : payload)
    t.equal(r.status, 400, why)
    t.ok(JSON.stringify(r.body).includes(field), `${why}: names ${field}`)
  }
  const r = await call(s, 'PUT', '/guaranteed-loans/L-2', core, loanBody({ guaranteedOn: '2019-06-01' }))
  t.equal(r.status, 422, 'guaranteed before any agreement version')
  t.equal((await s.db.selectFrom('guaranteed_loans').select('loan_id').execute()).length, 0, 'nothing written')
})

t.test('the portfolio cap counts the vintage’s book and the agency’s compensation, net of recoveries, as running totals', async (t) => {
  const c = clock('2020-06-15T02:00:00Z')
  const s = await claimsUnderTest(t, { now: c.now, startMessaging: false }, {})
  const core = await s.auth('core-banking', { branches: [BRANCH] })
  const officer = await s.auth('officer', { branches: [BRANCH] })
  const agency = await s.auth('agency', { agency: AGENCY_4222 })
  // Four loans of 10 million yuan each guaranteed in 2020: a book of 40 million, a 5 % cap of 2 million.
  for (const n of [1, 2, 3, 4]) t.equal((await call(s, 'PUT', `/guaranteed-loans/CBS-P-${n}`, core, loanBody({ guaranteedFen: '1000000000' }))).status, 201)
  await call(s, 'PUT', '/guaranteed-loans/CBS-P-4', core, loanBody({ guaranteedFen: '1000000000', guaranteedOn: '2021-01-04' }))
  const books = await s.db.selectFrom('vintage_books').select(['vintage', 'guaranteed_fen']).orderBy('vintage').execute()
  t.same(books, [{ vintage: 2020, guaranteed_fen: 3_000_000_000n }, { vintage: 2021, guaranteed_fen: 1_000_000_000n }], 'a loan moved to another vintage moves its amount with it')
  const fileFor = async (loanId: string) => {
    const { body } = await call(s, 'POST', `/guaranteed-loans/${loanId}/demands`, officer, { amountFen: '1000' })
    await call(s, 'POST', `/claims/${body.claimId}/demand-outcome`, officer, { outcome: 'claim' })
    await call(s, 'PUT', `/claims/${body.claimId}/documents`, officer, { documents: ALL_DOCUMENTS })
    return (await call(s, 'POST', `/claims/${body.claimId}/filing`, officer, { unpaidInterestFen: '0' })).body
  }
  const first = await fileFor('CBS-P-1')
  t.equal(first.filing.amount.claimedFen, '80000000', '800,000 yuan claimed on a million outstanding')
  // Approved and paid: 800,000 of the 2020 vintage's 1.5 million cap (5 % of 30 million) used.
  await call(s, 'POST', `/claims/${first.claimId}/answers`, agency, { kind: 'approved', responseId: 'P-A1', loanId: 'CBS-P-1', answeredOn: '2020-06-15', amountFen: '80000000' })
  const comp = await s.db.selectFrom('agency_compensation').select(['vintage', 'compensated_fen', 'recovered_to_payers_fen']).execute()
  t.same(comp, [{ vintage: 2020, compensated_fen: 80_000_000n, recovered_to_payers_fen: 0n }], 'an approval counts')
  await call(s, 'POST', `/claims/${first.claimId}/answers`, agency, { kind: 'paid', responseId: 'P-P1', loanId: 'CBS-P-1', answeredOn: '2020-06-15', payerId: AGENCY_4222, amountFen: '80000000' })
  const second = await fileFor('CBS-P-2')
  t.equal(second.status, 'filed')
  const flagged = await s.db.selectFrom('claim_events').select('body').where('claim_id', '=', second.claimId).where('type', '=', 'claim-filed').executeTakeFirstOrThrow()
  t.equal((flagged.body as { portfolioCapExceeded: boolean }).portfolioCapExceeded, true, '800,000 more would pass the 1.5 million cap: flagged (the agreement flags, not enforces)')
  await call(s, 'POST', `/claims/${first.claimId}/recoveries`, officer, { recoveryId: 'R1', amountFen: '50000000', source: 'collateral sale' })
  const after = await s.db.selectFrom('agency_compensation').select(['compensated_fen', 'recovered_to_payers_fen']).executeTakeFirstOrThrow()
  t.same(after, { compensated_fen: 80_000_000n, recovered_to_payers_fen: 40_000_000n }, 'a recovery tops the headroom up by what the paying layers got back')
  await call(s, 'POST', `/claims/${second.claimId}/reversion`, officer, { reason: 'refiled' })
  const refiled = (await call(s, 'POST', `/claims/${second.claimId}/filing`, officer, { unpaidInterestFen: '0' })).body
  const refiledEvent = await s.db.selectFrom('claim_events').select('body').where('claim_id', '=', refiled.claimId).where('type', '=', 'claim-filed').orderBy('seq', 'desc').executeTakeFirstOrThrow()
  t.equal((refiledEvent.body as { portfolioCapExceeded: boolean }).portfolioCapExceeded, false, 'with 400,000 back, 800,000 fits under the cap again')
})
