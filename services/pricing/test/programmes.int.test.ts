// Rate cards, programmes and bridge funds maintained by admins on the real PostgreSQL: a version is
// added as a draft that quotes ignore, activated by a second admin (four eyes), then priced with;
// versions only increase and keep their kind; faults are problems naming the field; all audited.
import t from 'tap'
import { DEFAULT_RATE_CARD } from '../src/index.js'
import { LOCAL_SUBSIDY_2020 } from './fixtures.js'
import { pricingUnderTest, quoteBody } from './helpers.js'

const CARD_V2 = {
  ...DEFAULT_RATE_CARD,
  version: 2,
  effectiveFrom: '2021-01-01',
  title: { zh: '贷款定价表（2021年）', en: 'Rate card (2021)' },
  spreads: DEFAULT_RATE_CARD.spreads.map((s) => ({ ...s, spreadBp: s.spreadBp - 30 })),
}

t.test('Given a new rate card version, when one admin adds it and another activates it, then quotes use it only from activation', async (t) => {
  const s = await pricingUnderTest(t)
  const adminA = await s.auth('admin', { sub: 'admin-a' })
  const adminB = await s.auth('admin', { sub: 'admin-b' })
  const officer = await s.auth('officer', { branches: ['B001'] })
  let n = 0
  const quoteRate = async () => {
    const res = await s.app.inject({ method: 'POST', url: '/quotes', headers: { ...officer, 'idempotency-key': `p-${n++}` }, payload: quoteBody({ pricingDate: '2021-06-01', startDate: '2021-06-01' }) })
    t.equal(res.statusCode, 201, res.body.slice(0, 300))
    return res.json().rate.nominalRateBp as number
  }
  t.equal(await quoteRate(), 385 + 125, 'before: the bundled card (1-year LPR 3.85% + 125 bp for BBB)')

  const added = await s.app.inject({ method: 'POST', url: '/programmes', headers: adminA, payload: { record: CARD_V2 } })
  t.equal(added.statusCode, 201, added.body)
  t.match(added.json(), { id: 'rate-card', version: 2, kind: 'rate-card', status: 'draft', addedBy: 'admin-a', activatedBy: null })
  t.equal(added.headers.location, '/programmes/rate-card/versions/2')
  const listed = (await s.app.inject({ method: 'GET', url: '/programmes', headers: officer })).json()
  t.same(listed.cards.map((c: any) => c.version), [1], 'the draft is not among the active cards')
  t.same(listed.drafts.map((d: any) => `${d.id}@${d.version}`), ['rate-card@2'], 'it is listed as a draft')
  t.equal(await quoteRate(), 510, 'a draft prices nothing')

  const own = await s.app.inject({ method: 'POST', url: '/programmes/rate-card/versions/2/activate', headers: adminA })
  t.equal(own.statusCode, 403, 'its author cannot activate it')
  t.match(own.json().detail, /four eyes/)
  const activated = await s.app.inject({ method: 'POST', url: '/programmes/rate-card/versions/2/activate', headers: adminB })
  t.equal(activated.statusCode, 200, activated.body)
  t.match(activated.json(), { status: 'active', addedBy: 'admin-a', activatedBy: 'admin-b' })
  t.equal(await quoteRate(), 480, 'after activation: 30 bp lower, the next quote of the same instance')
  t.equal((await s.app.inject({ method: 'POST', url: '/programmes/rate-card/versions/2/activate', headers: adminB })).statusCode, 409, 'active already')
  t.equal((await s.app.inject({ method: 'POST', url: '/programmes/rate-card/versions/9/activate', headers: adminB })).statusCode, 404)

  const audit = await s.db.selectFrom('audit_log').select(['actor', 'action', 'subject']).where('action', 'like', 'record.%').orderBy('id').execute()
  t.same(audit, [
    { actor: 'admin-a', action: 'record.added', subject: 'record:rate-card@2' },
    { actor: 'admin-b', action: 'record.activated', subject: 'record:rate-card@2' },
  ])
})

t.test('Given records that cannot be added, when posted, then 409 or a problem naming the field, and nothing is written', async (t) => {
  const s = await pricingUnderTest(t)
  const admin = await s.auth('admin', { sub: 'admin-a' })
  const post = (record: unknown) => s.app.inject({ method: 'POST', url: '/programmes', headers: admin, payload: { record } })
  const cases: { name: string; record: unknown; status: number; field?: string }[] = [
    { name: 'a version that exists', record: { ...CARD_V2, version: 1 }, status: 409 },
    { name: 'another rate card beside the bank’s', record: { ...CARD_V2, id: 'second-card' }, status: 409 },
    { name: 'the card’s id for another kind', record: { kind: 'rate-cap', ...pick(CARD_V2), version: 3, precedence: 5, eligible: 'key-list', overOneYearLprBp: -50 }, status: 409 },
    { name: 'ends before it starts', record: { ...CARD_V2, effectiveTo: '2020-12-31' }, status: 422, field: '/body/record/effectiveTo' },
    { name: 'a spread given twice', record: { ...CARD_V2, spreads: [CARD_V2.spreads[0], CARD_V2.spreads[0]] }, status: 422, field: '/body/record/spreads/1' },
    { name: 'a spread as text', record: { ...CARD_V2, spreads: [{ ...CARD_V2.spreads[0], spreadBp: '30' }] }, status: 400, field: '/body/record/spreads/0/spreadBp' },
    { name: 'an unknown kind', record: { ...CARD_V2, kind: 'lottery' }, status: 400, field: '/body/record/kind' },
    { name: 'a subsidy of more than all of it', record: subsidy({ shareBp: 10_001 }), status: 400, field: '/body/record/shareBp' },
    { name: 'an impossible date', record: { ...CARD_V2, effectiveFrom: '2021-02-30' }, status: 400, field: '/body/record/effectiveFrom' },
  ]
  for (const c of cases) {
    const res = await post(c.record)
    t.equal(res.statusCode, c.status, `${c.name}: ${res.body.slice(0, 300)}`)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', c.name)
    if (c.field !== undefined) t.ok(res.json().errors.some((e: { field: string }) => e.field === c.field), `${c.name}: names ${c.field} in ${JSON.stringify(res.json().errors)}`)
  }
  t.equal((await s.db.selectFrom('records').select('id').where('status', '=', 'draft').execute()).length, 0, 'nothing written')
  const local = await post(subsidy({}))
  t.equal(local.statusCode, 201, `a local subsidy stacked on the central one: ${local.body}`)
  t.equal((await post(subsidy({ version: 1 }))).statusCode, 409, 'versions only increase')
})

function pick({ id, effectiveFrom, effectiveTo, title, source }: typeof CARD_V2) {
  return { id, effectiveFrom, effectiveTo, title, source }
}

/** A local subsidy as an admin posts it: version 2 of another record than the fixture's. */
function subsidy(overrides: Record<string, unknown>) {
  return { ...LOCAL_SUBSIDY_2020, id: 'fuzhou-local-subsidy-2020', version: 2, title: { zh: '福州市财政贴息', en: 'Fuzhou local interest subsidy' }, ...overrides }
}
