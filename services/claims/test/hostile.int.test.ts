// Hostile input to the claim routes that need a claim in a given state, which a fuzzer sending random
// ids never reaches: for a claim at each stage, every write route gets any JSON, and its valid body
// with one field replaced by any value. No answer is a 5xx; a refusal is a problem document and
// changes neither the claim nor the outbox.
import fc from 'fast-check'
import t from 'tap'
import { PROBLEM_CONTENT_TYPE } from '@sme/kit'
import { ALL_DOCUMENTS, AGENCY_4222, BRANCH, claimsUnderTest, clock, loanBody } from './helpers.js'

t.test('claims at every stage: any body to every write route, never a 5xx, a refusal writes nothing', async (t) => {
  const c = clock('2020-06-15T02:00:00Z')
  const s = await claimsUnderTest(t, { now: c.now, startMessaging: false })
  const core = await s.auth('core-banking', { branches: [BRANCH] })
  const officer = await s.auth('officer', { branches: [BRANCH] })
  const agency = await s.auth('agency', { agency: AGENCY_4222 })
  const ok = async (method: 'POST' | 'PUT', url: string, payload: object, headers: Record<string, string>) => {
    const res = await s.app.inject({ method, url, headers, payload })
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`)
    return res.json<any>()
  }
  // One claim per stage, on loans of their own.
  const stages: Record<string, { id: string; loanId: string }> = {}
  let n = 0
  for (const stage of ['demanded', 'draft', 'filed', 'approved', 'paid', 'written-off'] as const) {
    const loanId = `CBS-H-${++n}`
    await ok('PUT', `/guaranteed-loans/${loanId}`, loanBody(), core)
    const { claimId: id } = await ok('POST', `/guaranteed-loans/${loanId}/demands`, { amountFen: '1000' }, officer)
    stages[stage] = { id, loanId }
    if (stage === 'demanded') continue
    await ok('POST', `/claims/${id}/demand-outcome`, { outcome: 'claim' }, officer)
    if (stage === 'draft') continue
    await ok('PUT', `/claims/${id}/documents`, { documents: ALL_DOCUMENTS }, officer)
    await ok('POST', `/claims/${id}/filing`, { unpaidInterestFen: '100' }, officer)
    if (stage === 'filed') continue
    await ok('POST', `/claims/${id}/answers`, { kind: 'approved', responseId: `A-${id}`, loanId, answeredOn: '2020-06-15', amountFen: '1000000' }, agency)
    if (stage === 'approved') continue
    await ok('POST', `/claims/${id}/answers`, { kind: 'paid', responseId: `P-${id}`, loanId, answeredOn: '2020-06-15', payerId: AGENCY_4222, amountFen: '1000000' }, agency)
    if (stage === 'paid') continue
    await ok('POST', `/claims/${id}/write-off`, { basis: 'write-off-conditions-met' }, officer)
  }

  const routes: { url: (id: string) => string; method: 'POST' | 'PUT'; headers: Record<string, string>; valid: (c: { id: string; loanId: string }) => Record<string, unknown> }[] = [
    { url: (id) => `/claims/${id}/demand-outcome`, method: 'POST', headers: officer, valid: () => ({ outcome: 'claim' }) },
    { url: (id) => `/claims/${id}/documents`, method: 'PUT', headers: officer, valid: () => ({ documents: ALL_DOCUMENTS }) },
    { url: (id) => `/claims/${id}/filing`, method: 'POST', headers: officer, valid: () => ({ unpaidInterestFen: '100' }) },
    { url: (id) => `/claims/${id}/reversion`, method: 'POST', headers: officer, valid: () => ({ reason: 'a correction' }) },
    { url: (id) => `/claims/${id}/answers`, method: 'POST', headers: agency, valid: (cl) => ({ kind: 'paid', responseId: 'X-1', loanId: cl.loanId, answeredOn: '2020-06-15', payerId: 'ZJ-REGUARANTEE', amountFen: '250000' }) },
    { url: (id) => `/claims/${id}/recoveries`, method: 'POST', headers: officer, valid: () => ({ recoveryId: 'R-1', amountFen: '10', source: 'the borrower' }) },
    { url: (id) => `/claims/${id}/recoveries/R-1/corrections`, method: 'POST', headers: officer, valid: () => ({ amountFen: '5', reason: 'costs' }) },
    { url: (id) => `/claims/${id}/write-off`, method: 'POST', headers: officer, valid: () => ({ basis: 'recourse-exhausted' }) },
  ]
  const snapshot = async (id: string) => JSON.stringify([await s.db.selectFrom('claims').select(['version', 'status', 'documents']).where('claim_id', '=', id).executeTakeFirst(), (await s.db.selectFrom('outbox').select('event_id').execute()).length, (await s.db.selectFrom('agency_answers').select('response_id').execute()).length])

  // The valid bodies themselves are accepted where the state allows: the fuzz starts from real requests.
  const probe = await s.app.inject({ method: 'POST', url: `/claims/${stages.paid!.id}/recoveries`, headers: { ...officer, 'content-type': 'application/json' }, payload: JSON.stringify(routes[5]!.valid(stages.paid!)) })
  t.equal(probe.statusCode, 200, `a valid recovery on the paid claim: ${probe.body.slice(0, 200)}`)

  const body = fc.oneof(
    // The valid body as it is, and with its amounts, dates and ids replaced by values of the right
    // form: these pass the schema and reach the life cycle's and the store's refusals.
    fc.constant({ replace: { field: 'none', value: undefined } }),
    fc.bigInt({ min: 0n, max: 10n ** 18n - 1n }).map((v) => ({ replace: { field: 'amountFen', value: v.toString() } })),
    fc.bigInt({ min: 0n, max: 10n ** 18n - 1n }).map((v) => ({ replace: { field: 'unpaidInterestFen', value: v.toString() } })),
    fc.date({ min: new Date('1900-01-01'), max: new Date('2999-12-31'), noInvalidDate: true }).map((v) => ({ replace: { field: 'answeredOn', value: v.toISOString().slice(0, 10) } })),
    fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,20}$/).map((v) => ({ replace: { field: 'payerId', value: v } })),
    fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,20}$/).map((v) => ({ replace: { field: 'loanId', value: v } })),
    fc.constantFrom('acknowledged', 'approved', 'rejected', 'paid', 'repaid', 'cured', 'no-claim', 'claim').map((v) => ({ replace: { field: v.length > 6 && v !== 'no-claim' ? 'kind' : 'outcome', value: v } })),
    fc.anything(),
    fc.record({ field: fc.string({ maxLength: 20 }), value: fc.jsonValue() }).map((r) => ({ replace: r })),
    fc.constantFrom('amountFen', 'unpaidInterestFen', 'outcome', 'documents', 'kind', 'payerId', 'answeredOn', 'loanId', 'responseId', 'basis', 'reason', 'recoveryId').chain((field) => fc.jsonValue().map((value) => ({ replace: { field, value } }))),
  )
  let sent = 0
  const statuses = new Map<number, number>()
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...Object.keys(stages)), fc.nat(routes.length - 1), body, async (stage, r, b) => {
      const claim = stages[stage]!
      const route = routes[r]!
      const replace = b !== null && typeof b === 'object' && 'replace' in (b as object) ? (b as { replace: { field: string; value: unknown } }).replace : undefined
      const valid = route.valid(claim)
      // A replacement names a field the route has (or none): the rest of the body stays valid.
      const payload = replace === undefined ? b : replace.field in valid ? { ...valid, [replace.field]: replace.value } : valid
      const before = await snapshot(claim.id)
      const res = await s.app.inject({ method: route.method, url: route.url(claim.id), headers: { ...route.headers, 'content-type': 'application/json' }, payload: JSON.stringify(payload) ?? 'null' })
      sent++
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
      if (res.statusCode >= 500) throw new Error(`${route.method} ${route.url('…')} at ${stage}: ${res.statusCode} ${res.body.slice(0, 300)} for ${JSON.stringify(payload)?.slice(0, 200)}`)
      if (res.statusCode >= 400) {
        if (!String(res.headers['content-type']).startsWith(PROBLEM_CONTENT_TYPE)) throw new Error(`${res.statusCode} without a problem document`)
        if ((await snapshot(claim.id)) !== before) throw new Error(`${route.method} ${route.url('…')} at ${stage}: refused ${res.statusCode} but something was written`)
      }
    }),
    { numRuns: 800 },
  )
  t.ok(sent >= 800, `${sent} requests; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`)
})
