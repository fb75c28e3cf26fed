// Guarantee agreements as dated data an admin maintains, against the real PostgreSQL: the shipped
// versions seeded active; a new version added as a draft governs nothing until a second admin
// activates it (four eyes, refusals audited); a demand pins the version in force on the guarantee
// day, so a later version changes new demands only; a version that contradicts itself is refused
// naming each field, and nothing is written.
import t from 'tap'
import { agreementBody, AGENCY_4222, BRANCH, claimsUnderTest, clock, loanBody, type ClaimsUnderTest } from './helpers.js'

async function call(s: ClaimsUnderTest, method: 'GET' | 'POST' | 'PUT', url: string, headers: Record<string, string>, payload?: object) {
  const res = await s.app.inject({ method, url, headers, ...(payload ? { payload } : {}) })
  return { status: res.statusCode, body: res.body.length > 0 ? (JSON.parse(res.body) as any) : null }
}

const versions = (s: ClaimsUnderTest) => s.db.selectFrom('dated_versions').select(['kind', 'record_id', 'version', 'status']).orderBy('kind').orderBy('record_id').orderBy('version').execute()

t.test('Given the shipped agreements, when admins add and activate a version, then it governs new demands only, with four eyes', async (t) => {
  const c = clock('2021-06-01T02:00:00Z')
  const s = await claimsUnderTest(t, { now: c.now, startMessaging: false })
  const alice = await s.auth('admin', { sub: 'admin-alice' })
  const bob = await s.auth('admin', { sub: 'admin-bob' })
  const core = await s.auth('core-banking', { branches: [BRANCH] })
  const officer = await s.auth('officer', { branches: [BRANCH] })

  let r = await call(s, 'GET', '/agreements', officer)
  t.equal(r.status, 200)
  t.same(
    r.body.items.map((i: any) => [i.id, i.version, i.status, i.addedBy]),
    [
      ['HZ-GUARANTEE-4321', 1, 'active', 'system:seed'],
      ['ZJ-GUARANTEE-4222', 1, 'active', 'system:seed'],
    ],
    'the shipped versions, seeded active',
  )
  t.same(r.body.items[1].agreement.layers.map((l: any) => l.shareBp), [4_000, 2_000, 2_000, 2_000], 'with their terms on the wire')

  // A loan guaranteed in 2021 is demanded while version 2 (from 2021-01-01, claimable after 60 days) is a draft.
  await call(s, 'PUT', '/guaranteed-loans/CBS-A-1', core, loanBody({ guaranteedOn: '2021-03-01', daysPastDue: 70 }))
  const v2 = agreementBody({ version: 2, effectiveFrom: '2021-01-01', claimAfterDaysPastDue: 60 })
  r = await call(s, 'POST', '/agreements', alice, { agreement: v2 })
  t.equal(r.status, 201, 'version 2 added')
  t.equal(r.body.status, 'draft')
  t.equal(r.body.addedBy, 'admin-alice')
  r = await call(s, 'POST', '/guaranteed-loans/CBS-A-1/demands', officer, { amountFen: '1000' })
  t.same(r.body.agreement, { id: 'ZJ-GUARANTEE-4222', version: 1 }, 'a draft governs nothing: the demand is under version 1')
  const pinnedToV1 = r.body.claimId as string

  r = await call(s, 'POST', '/agreements/ZJ-GUARANTEE-4222/versions/2/activate', alice)
  t.equal(r.status, 403, 'the author may not activate her own version')
  r = await call(s, 'POST', '/agreements/ZJ-GUARANTEE-4222/versions/2/activate', bob)
  t.equal(r.status, 200, 'a second admin activates it')
  t.same([r.body.status, r.body.activatedBy], ['active', 'admin-bob'])
  r = await call(s, 'POST', '/agreements/ZJ-GUARANTEE-4222/versions/2/activate', bob)
  t.equal(r.status, 409, 'activated twice')
  r = await call(s, 'POST', '/agreements/ZJ-GUARANTEE-4222/versions/9/activate', bob)
  t.equal(r.status, 404, 'no such version')

  await call(s, 'PUT', '/guaranteed-loans/CBS-A-2', core, loanBody({ guaranteedOn: '2021-03-01', daysPastDue: 70 }))
  r = await call(s, 'POST', '/guaranteed-loans/CBS-A-2/demands', officer, { amountFen: '1000' })
  t.same(r.body.agreement, { id: 'ZJ-GUARANTEE-4222', version: 2 }, 'a new demand on a loan guaranteed in its window is under version 2')
  const underV2 = r.body.claimId as string
  await call(s, 'POST', `/claims/${underV2}/demand-outcome`, officer, { outcome: 'claim' })
  r = await call(s, 'GET', `/claims/${underV2}/eligibility`, officer)
  t.notOk(r.body.reasons.some((x: any) => x.code === 'DAYS_PAST_DUE_NOT_REACHED'), '70 days past due is enough under version 2')

  await call(s, 'POST', `/claims/${pinnedToV1}/demand-outcome`, officer, { outcome: 'claim' })
  r = await call(s, 'GET', `/claims/${pinnedToV1}/eligibility`, officer)
  t.same(r.body.agreement, { id: 'ZJ-GUARANTEE-4222', version: 1 }, 'the earlier demand stays under the version it pinned')
  t.ok(r.body.reasons.some((x: any) => x.code === 'DAYS_PAST_DUE_NOT_REACHED'), 'and version 1 asks for 90 days')

  await call(s, 'PUT', '/guaranteed-loans/CBS-A-0', core, loanBody({ guaranteedOn: '2020-03-01' }))
  r = await call(s, 'POST', '/guaranteed-loans/CBS-A-0/demands', officer, { amountFen: '1000' })
  t.same(r.body.agreement, { id: 'ZJ-GUARANTEE-4222', version: 1 }, 'a loan guaranteed before version 2’s window stays under version 1')

  const audit = await s.db.selectFrom('audit_log').select(['actor', 'action', 'subject']).where('subject', '=', 'agreement:ZJ-GUARANTEE-4222@2').orderBy('id').execute()
  t.same(
    audit.map((a) => [a.actor, a.action]),
    [
      ['admin-alice', 'agreement.added'],
      ['admin-bob', 'agreement.activated'],
    ],
    'adding and activating are audited',
  )
  const refused = await s.db.selectFrom('audit_log').select(['actor']).where('action', '=', 'attempt.refused').execute()
  t.ok(refused.some((a) => a.actor === 'admin-alice'), 'the refused self-activation is recorded with who tried')
})

t.test('Given a version that contradicts itself or the agreement’s history, when it is posted, then it is refused naming the field, and nothing is written', async (t) => {
  const s = await claimsUnderTest(t, { now: () => new Date('2021-06-01T02:00:00Z'), startMessaging: false })
  const admin = await s.auth('admin', { sub: 'admin-alice' })
  const before = await versions(s)

  const layers = [
    { party: 'originating-agency', partyId: AGENCY_4222, shareBp: 4_000 },
    { party: 'provincial-reguarantor', partyId: 'ZJ-REGUARANTEE', shareBp: 3_000 },
    { party: 'national-fund', partyId: 'NATIONAL-GUARANTEE-FUND', shareBp: 2_000 },
    { party: 'bank', partyId: 'BANK', shareBp: 2_000 },
  ]
  const refusals: [string, Record<string, unknown>, number, string][] = [
    ['shares summing to 110%', { version: 2, layers }, 422, '/body/agreement/layers'],
    ['a covered share other than the paying layers’', { version: 2, coveredShareBp: 7_000 }, 422, '/body/agreement/coveredShareBp'],
    ['a day that does not exist', { version: 2, effectiveFrom: '2021-02-30' }, 400, '/body/agreement/effectiveFrom'],
    ['the window ending before it starts', { version: 2, effectiveFrom: '2022-01-01', effectiveTo: '2021-01-01' }, 422, '/body/agreement/effectiveTo'],
    ['a bank keeping less than its minimum', { version: 2, bankMinimumShareBp: 2_500 }, 422, '/body/agreement/layers'],
    ['an unknown field', { version: 2, discount: 1 }, 400, ''],
    ['the version stored already', { version: 1 }, 409, ''],
    ['another originating agency', { version: 2, agencyId: 'HZ-AGENCY-02', layers: layers.map((l, i) => (i === 0 ? { ...l, partyId: 'HZ-AGENCY-02', shareBp: 4_000 } : i === 1 ? { ...l, shareBp: 2_000 } : l)) }, 409, ''],
  ]
  for (const [what, over, status, field] of refusals) {
    const r = await call(s, 'POST', '/agreements', admin, { agreement: agreementBody(over) })
    t.equal(r.status, status, what)
    t.equal(r.body.status, status, `${what}: a problem document`)
    if (field !== '') t.ok(r.body.errors.some((e: any) => e.field === field), `${what}: names ${field}`)
  }
  t.same(await versions(s), before, 'nothing written')

  let r = await call(s, 'POST', '/agreements', admin, { agreement: agreementBody({ version: 5 }) })
  t.equal(r.status, 201, 'a higher version')
  r = await call(s, 'POST', '/agreements', admin, { agreement: agreementBody({ version: 3 }) })
  t.equal(r.status, 409, 'a version lower than the last')
  t.equal(r.body.highestVersion, 5)

  const core = await s.auth('core-banking', { branches: [BRANCH] })
  r = await call(s, 'PUT', '/guaranteed-loans/CBS-D-1', core, loanBody({ agreementId: 'NEW-AGREEMENT' }))
  t.equal(r.status, 422, 'a loan under an agreement with no active version is refused')
  const draftOnly = agreementBody({ id: 'NEW-AGREEMENT', version: 1 })
  r = await call(s, 'POST', '/agreements', admin, { agreement: draftOnly })
  t.equal(r.status, 201)
  r = await call(s, 'PUT', '/guaranteed-loans/CBS-D-1', core, loanBody({ agreementId: 'NEW-AGREEMENT' }))
  t.equal(r.status, 422, 'and while its only version is a draft')
})

t.test('Given agencies, when they read the agreements, then each sees the active versions of its own only', async (t) => {
  const s = await claimsUnderTest(t, { now: () => new Date('2021-06-01T02:00:00Z'), startMessaging: false })
  const admin = await s.auth('admin', { sub: 'admin-alice' })
  await call(s, 'POST', '/agreements', admin, { agreement: agreementBody({ version: 2 }) })
  const zj = await call(s, 'GET', '/agreements', await s.auth('agency', { agency: AGENCY_4222 }))
  t.same(zj.body.items.map((i: any) => [i.id, i.version]), [['ZJ-GUARANTEE-4222', 1]], 'its own agreement, not the draft')
  const hz = await call(s, 'GET', '/agreements', await s.auth('agency', { agency: 'HZ-AGENCY-02' }))
  t.same(hz.body.items.map((i: any) => i.id), ['HZ-GUARANTEE-4321'])
  const bank = await call(s, 'GET', '/agreements', await s.auth('risk'))
  t.equal(bank.body.items.length, 3, 'the bank sees every version and the draft')
})
