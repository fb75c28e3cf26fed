// What-if over the stored book on the real PostgreSQL: the quotes firms accepted, priced again from
// the requests they were priced from under a draft local subsidy or an inline card, before
// activation: the firms' cost and the subsidy budget by payer and year, each changed quote; reads only.
import t from 'tap'
import { DEFAULT_RATE_CARD } from '../src/index.js'
import { LOCAL_SUBSIDY_2020 } from './fixtures.js'
import { pricingUnderTest, quoteBody } from './helpers.js'

const LISTED = '91350100M000100Y43'
const OTHER = '91350100M000200Y38'

// The JSON an admin posts: the record as it is (its dates are strings).
const LOCAL_SUBSIDY = LOCAL_SUBSIDY_2020

t.test('Given an accepted book, when a draft local subsidy is tried, then the report shows its budget by year and the firms’ saving, to the fen', async (t) => {
  const s = await pricingUnderTest(t, { now: () => new Date('2020-02-10T02:00:00Z') })
  const admin = await s.auth('admin', { sub: 'admin-a' })
  const risk = await s.auth('risk', { sub: 'risk-1' })
  const officer = await s.auth('officer', { branches: ['B001', 'B002'] })
  t.equal((await s.app.inject({ method: 'PUT', url: `/key-lists/${LISTED}`, headers: admin, payload: { uscc: LISTED, list: 'national', listedOn: '2020-02-01' } })).statusCode, 204)
  const borrower = (uscc: string) => ({ kind: 'enterprise', uscc, size: 'small', inclusiveSmallMicro: false })
  let n = 0
  const quote = async (overrides: Record<string, unknown>, accept: boolean) => {
    const res = await s.app.inject({ method: 'POST', url: '/quotes', headers: { ...officer, 'idempotency-key': `w-${n++}` }, payload: quoteBody({ method: 'interest-only', ...overrides }) })
    t.equal(res.statusCode, 201, res.body.slice(0, 300))
    if (accept) t.equal((await s.app.inject({ method: 'POST', url: `/quotes/${res.json().quoteId}/accept`, headers: officer })).statusCode, 200)
    return res.json()
  }
  const listed = await quote({ borrower: borrower(LISTED) }, true)
  const other = await quote({ borrower: borrower(OTHER), branchId: 'B002' }, true)
  await quote({ borrower: borrower(LISTED) }, false)
  t.equal((await s.app.inject({ method: 'POST', url: '/programmes', headers: admin, payload: { record: LOCAL_SUBSIDY } })).statusCode, 201)

  const whatIf = (body: object) => s.app.inject({ method: 'POST', url: '/what-if', headers: risk, payload: body })
  const res = await whatIf({ drafts: [{ id: 'local-subsidy-2020', version: 1 }] })
  t.equal(res.statusCode, 200, res.body.slice(0, 500))
  const report = res.json()
  t.match(report, { evaluated: 2, limited: false, skipped: 0, compared: 2, changed: 1, overlay: [{ id: 'local-subsidy-2020', version: 1, kind: 'interest-subsidy' }] })
  // ¥1,000,000 for a year from 2020-02-10 at 3.15%: the local 25% of the rate paid is 2,187.5 fen a
  // day, half-up per period (63,438 for 29 days, 67,813 for 31, 65,625 for 30).
  const local2020 = 63_438 + 5 * 67_813 + 4 * 65_625
  const local2021 = 2 * 67_813
  t.same(
    report.budget.filter((l: any) => l.payer === 'local-treasury'),
    [
      { payer: 'local-treasury', year: 2020, beforeFen: '0', afterFen: String(local2020), changeFen: String(local2020) },
      { payer: 'local-treasury', year: 2021, beforeFen: '0', afterFen: String(local2021), changeFen: String(local2021) },
    ],
  )
  t.equal(report.totals.change.firmCostFen, String(-(local2020 + local2021)), 'the firms save what the local treasury pays')
  t.equal(report.totals.change.interestFen, '0', 'the bank’s interest does not change')
  const stored = BigInt(listed.totals.firmCostFen) + BigInt(other.totals.firmCostFen)
  t.equal(report.totals.before.firmCostFen, stored.toString(), 'before: what the accepted quotes state')
  t.match(report.changes, [{ quoteId: listed.quoteId, branchId: 'B001', pricingDate: '2020-02-10', programmes: [{ id: 'local-subsidy-2020', before: null, after: { status: 'applied' } }] }])

  t.match((await whatIf({ drafts: [{ id: 'local-subsidy-2020', version: 1 }], book: 'issued' })).json(), { evaluated: 3, changed: 2 }, 'every quote issued')
  t.match((await whatIf({ drafts: [{ id: 'local-subsidy-2020', version: 1 }], branchIds: ['B002'] })).json(), { evaluated: 1, changed: 0 }, 'one branch')
  t.match((await whatIf({ drafts: [{ id: 'local-subsidy-2020', version: 1 }], from: '2020-02-11' })).json(), { evaluated: 0 }, 'priced after the day')
  t.match((await whatIf({ drafts: [{ id: 'local-subsidy-2020', version: 1 }], book: 'issued', limit: 2 })).json(), { evaluated: 2, limited: true })

  // An inline card 30 bp lower than the bundled one, from before the book: the firm off the lists
  // pays less; the listed firm's rate is capped (LPR − 100 bp) below either card, so it does not.
  const card = { ...DEFAULT_RATE_CARD, version: 2, spreads: DEFAULT_RATE_CARD.spreads.map((c) => ({ ...c, spreadBp: c.spreadBp - 30 })) }
  const lower = (await whatIf({ records: [card] })).json()
  t.match(lower, { evaluated: 2, changed: 1, changes: [{ quoteId: other.quoteId, before: { nominalRateBp: other.rate.nominalRateBp }, after: { nominalRateBp: other.rate.nominalRateBp - 30 } }] })
  t.ok(BigInt(lower.totals.change.interestFen) < 0n, `the bank earns less: ${lower.totals.change.interestFen}`)

  // A quote issued without its request kept (as relief's re-pricings are) is counted, not priced.
  await s.db.updateTable('quotes').set({ inputs: null }).where('id', '=', other.quoteId).execute()
  t.match((await whatIf({ drafts: [{ id: 'local-subsidy-2020', version: 1 }] })).json(), { evaluated: 1, skipped: 1 })

  const refusals: [object, number, string?][] = [
    [{}, 400, '/body/drafts'],
    [{ drafts: [{ id: 'no-such', version: 1 }] }, 404],
    [{ records: [{ ...card, effectiveTo: '2019-01-01' }] }, 422, '/body/records/0/effectiveTo'],
    [{ records: [{ ...card, version: 1 }] }, 409],
    [{ drafts: [{ id: 'local-subsidy-2020', version: 1 }], limit: 0 }, 400, '/body/limit'],
  ]
  for (const [body, status, field] of refusals) {
    const r = await whatIf(body)
    t.equal(r.statusCode, status, `${JSON.stringify(body).slice(0, 80)}: ${r.body.slice(0, 200)}`)
    if (field !== undefined) t.ok(r.json().errors?.some((e: { field: string }) => e.field === field), `names ${field}`)
  }
  t.equal((await s.db.selectFrom('quotes').select('id').execute()).length, 3, 'a what-if writes nothing')
})
