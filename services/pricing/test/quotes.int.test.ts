// The pricing service on the real PostgreSQL: quotes priced from the stored LPR, card, programmes and
// key lists; stored immutable, published through the outbox, accepted once; refusals as problems
// naming the field; LPR corrections kept with who and why; branch scoping.
import t from 'tap'
import { fromTransportMessage, type CloudEvent } from '@sme/events'
import { QuoteAccepted } from '@sme/contracts'
import { sql } from '@sme/data'
import { eventually } from '@sme/testing'
import { pricingUnderTest, quoteBody } from './helpers.js'

const USCC = '91350100M000100Y43'

t.test('Given a firm on the key list, when quoted over HTTP, then the 2020 arithmetic holds, the quote is stored, and published once accepted', async (t) => {
  let now = new Date('2020-02-10T02:00:00Z')
  const s = await pricingUnderTest(t, { now: () => now })
  const published: CloudEvent<any>[] = []
  await s.transport.subscribe({ groupId: 'test', topics: ['pricing.quotes.v1'], handle: async (m) => void published.push(fromTransportMessage(m)) })
  const lists: CloudEvent<any>[] = []
  await s.transport.subscribe({ groupId: 'test-lists', topics: ['pricing.key-lists.v1'], handle: async (m) => void lists.push(fromTransportMessage(m)) })
  const admin = await s.auth('admin', { sub: 'admin-lists' })
  const put = await s.app.inject({ method: 'PUT', url: `/key-lists/${USCC}`, headers: admin, payload: { uscc: USCC, list: 'national', listedOn: '2020-02-01' } })
  t.equal(put.statusCode, 204, put.body)
  const entry = await eventually('the list entry published', () => lists[0])
  t.same(entry.data, { uscc: USCC, list: 'national', listedOn: '2020-02-01', delistedOn: null, recordedBy: 'admin-lists', recordedAt: '2020-02-10T02:00:00.000Z' }, 'the entry is published for other services’ copies')

  const officer = await s.auth('officer', { branches: ['B001'] })
  const key = { ...officer, 'idempotency-key': 'q-1' }
  const res = await s.app.inject({ method: 'POST', url: '/quotes', headers: key, payload: quoteBody() })
  t.equal(res.statusCode, 201, res.body)
  const quote = res.json()
  t.match(quote, { status: 'open', rate: { lpr: { tenor: '1y', rateBp: 415, publishedOn: '2019-11-20' }, nominalRateBp: 315, firmRateCentiBp: 15_750 } })
  t.same(quote.rate.considered.map((c: any) => `${c.id}:${c.status}:${c.code}`), ['special-relending-cap-2020:applied:PR_RATE_CAPPED', 'central-subsidy-2020:applied:PR_SUBSIDY'])
  t.equal(quote.schedule.dueDate.length, 12)
  t.equal(quote.schedule.principalFen.reduce((a: bigint, p: string) => a + BigInt(p), 0n), 100_000_000n, 'principal sums exactly')
  t.same(quote.schedule.subsidyFen.map((s: string, k: number) => Math.abs(2 * Number(s) - Number(quote.schedule.interestFen[k])) <= 1), Array(12).fill(true), 'the treasury pays half of every period’s interest')
  t.ok(quote.conventions.interestRounding.includes('half-up'))

  const replay = await s.app.inject({ method: 'POST', url: '/quotes', headers: key, payload: quoteBody() })
  t.equal(replay.statusCode, 201)
  t.equal(replay.headers['idempotent-replayed'], 'true')
  t.same(replay.json(), quote, 'a retry with the key answers the same quote')
  const reused = await s.app.inject({ method: 'POST', url: '/quotes', headers: key, payload: quoteBody({ termMonths: 24 }) })
  t.equal(reused.statusCode, 422, 'the key with another body is refused')
  const stored = await s.db.selectFrom('quotes').select('id').execute()
  t.equal(stored.length, 1, 'one quote stored')
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')

  const got = await s.app.inject({ method: 'GET', url: `/quotes/${quote.quoteId}`, headers: officer })
  t.same(got.json(), quote, 'read back as issued')

  // RFC 7240: the caller who prefers a minimal answer gets the quote without schedule and conventions.
  const brief = await s.app.inject({ method: 'POST', url: '/quotes', headers: { ...officer, 'idempotency-key': 'q-brief', prefer: 'return=minimal' }, payload: quoteBody({ termMonths: 360, method: 'equal-principal' }) })
  t.equal(brief.statusCode, 201, brief.body.slice(0, 300))
  t.equal(brief.headers['preference-applied'], 'return=minimal')
  t.equal(brief.headers.vary, 'Prefer')
  const briefQuote = brief.json()
  t.notOk('schedule' in briefQuote || 'conventions' in briefQuote, 'no schedule, no conventions')
  t.ok(brief.body.length < 2_000, `${brief.body.length} bytes`)
  const whole = await s.app.inject({ method: 'GET', url: brief.headers.location as string, headers: officer })
  t.equal(whole.json().schedule.dueDate.length, 360, 'the schedule was stored: read it at the Location')
  t.same((({ schedule, conventions, ...rest }) => rest)(whole.json()), briefQuote, 'the same quote')
  const replayWhole = await s.app.inject({ method: 'POST', url: '/quotes', headers: { ...officer, 'idempotency-key': 'q-brief' }, payload: quoteBody({ termMonths: 360, method: 'equal-principal' }) })
  t.equal(replayWhole.headers['idempotent-replayed'], 'true')
  t.same(replayWhole.json(), whole.json(), 'a retry without the preference answers the same quote whole')
  t.equal(replayWhole.headers['preference-applied'], undefined)
  const otherBranch = await s.auth('officer', { branches: ['B002'] })
  t.equal((await s.app.inject({ method: 'GET', url: `/quotes/${quote.quoteId}`, headers: otherBranch })).statusCode, 404, 'another branch’s quote is not found')

  const accept = await s.app.inject({ method: 'POST', url: `/quotes/${quote.quoteId}/accept`, headers: officer })
  t.equal(accept.statusCode, 200, accept.body)
  t.equal(accept.json().status, 'accepted')
  now = new Date('2020-03-10T02:00:00Z')
  const again = await s.app.inject({ method: 'POST', url: `/quotes/${quote.quoteId}/accept`, headers: officer })
  t.equal(again.statusCode, 200, 'accepting again, even after expiry, answers the acceptance')
  t.equal(again.json().acceptedAt, accept.json().acceptedAt)

  await waitFor(() => published.length >= 1)
  await new Promise((r) => setTimeout(r, 300))
  t.same(published.map((e) => e.type), [QuoteAccepted.type], 'published once, when accepted (a quote asked for over HTTP is the caller’s answer until then)')
  t.equal(published[0]!.data.quoteId, quote.quoteId)
  t.same(published[0]!.data.quote, (({ status, acceptedAt, conventions, ...issued }) => issued)(quote), 'with the terms accepted')
})

t.test('Given a 360-month quote, when stored, then its schedule is compressed with lz4 and kept in the row where the server offers lz4', async (t) => {
  const s = await pricingUnderTest(t, { now: () => new Date('2020-02-10T02:00:00Z') })
  const officer = await s.auth('officer', { branches: ['B001'] })
  const res = await s.app.inject({ method: 'POST', url: '/quotes', headers: { ...officer, 'idempotency-key': 'q-360' }, payload: quoteBody({ termMonths: 360 }) })
  t.equal(res.statusCode, 201, res.body)
  t.equal(res.json().schedule.dueDate.length, 360)
  const { rows } = await sql<{ lz4: boolean }>`select coalesce('lz4' = any(enumvals), false) as lz4 from pg_settings where name = 'default_toast_compression'`.execute(s.db)
  const row = await s.db
    .selectFrom('quotes')
    .select([sql<string | null>`pg_column_compression(schedule)`.as('compression'), sql<number>`pg_column_size(schedule)`.as('size'), sql<number>`octet_length(schedule)`.as('length')])
    .executeTakeFirstOrThrow()
  if (rows[0]!.lz4) {
    t.equal(row.compression, 'lz4')
    t.ok(row.size < 8_000 && row.size < row.length / 2, `${row.length} bytes of schedule kept in ${row.size}`)
  } else t.equal(row.compression, null, 'no lz4 on this server: stored uncompressed')
})

t.test('Given an expired quote, when accepted, then 409 and nothing changes', async (t) => {
  let now = new Date('2021-06-01T02:00:00Z')
  const s = await pricingUnderTest(t, { now: () => now })
  const officer = await s.auth('officer', { branches: ['B001'] })
  const res = await s.app.inject({ method: 'POST', url: '/quotes', headers: { ...officer, 'idempotency-key': 'q-exp' }, payload: quoteBody({ pricingDate: '2021-06-01', startDate: '2021-06-01' }) })
  t.equal(res.statusCode, 201, res.body)
  now = new Date('2021-06-08T02:00:01Z')
  const late = await s.app.inject({ method: 'POST', url: `/quotes/${res.json().quoteId}/accept`, headers: officer })
  t.equal(late.statusCode, 409)
  t.equal((await s.app.inject({ method: 'GET', url: `/quotes/${res.json().quoteId}`, headers: officer })).json().status, 'expired')
})

t.test('Given input no rule prices, when quoted, then a problem naming the field and nothing written', async (t) => {
  const s = await pricingUnderTest(t)
  const officer = await s.auth('officer', { branches: ['B001'] })
  const rows: [string, Record<string, unknown>, number, string][] = [
    ['a negative amount', { principalFen: '-1' }, 400, '/body/principalFen'],
    ['a zero amount', { principalFen: '0' }, 422, '/body/principalFen'],
    ['term 0', { termMonths: 0 }, 400, '/body/termMonths'],
    ['an unknown product', { product: 'balloon' }, 400, '/body/product'],
    ['a date before any LPR', { pricingDate: '2019-08-19' }, 422, '/body/pricingDate'],
    ['a grade the card does not price', { grade: 'ZZ' }, 422, '/body/grade'],
    ['a grace as long as the term', { graceMonths: 12 }, 422, '/body/graceMonths'],
    ['a date that does not exist', { startDate: '2021-02-29' }, 400, '/body/startDate'],
  ]
  for (const [i, [name, change, status, field]] of rows.entries()) {
    const res = await s.app.inject({ method: 'POST', url: '/quotes', headers: { ...officer, 'idempotency-key': `bad-${i}` }, payload: quoteBody(change) })
    t.equal(res.statusCode, status, `${name}: ${res.body}`)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', name)
    t.ok((res.json().errors ?? []).some((e: any) => e.field === field), `${name} names ${field}: ${res.body}`)
  }
  t.equal((await s.db.selectFrom('quotes').select('id').execute()).length, 0, 'nothing written')
  t.equal((await s.app.inject({ method: 'POST', url: '/quotes', headers: { ...officer, 'idempotency-key': 'other-branch' }, payload: quoteBody({ branchId: 'B009' }) })).statusCode, 403)
  t.equal((await s.app.inject({ method: 'POST', url: '/quotes', headers: officer, payload: quoteBody() })).statusCode, 400, 'no Idempotency-Key')
})

t.test('Given an LPR publication, when admin corrects it, then quotes use the correction and the change is kept with its reason', async (t) => {
  const s = await pricingUnderTest(t)
  const admin = await s.auth('admin')
  const url = '/reference-rates/lpr/2020-02-20'
  const noReason = await s.app.inject({ method: 'PUT', url, headers: admin, payload: { effectiveDate: '2020-02-20', oneYearBp: 400, fiveYearBp: 475 } })
  t.equal(noReason.statusCode, 422, 'a correction needs a reason')
  const corrected = await s.app.inject({ method: 'PUT', url, headers: admin, payload: { effectiveDate: '2020-02-20', oneYearBp: 400, fiveYearBp: 475, reason: 'test correction' } })
  t.same(corrected.json(), { publication: { effectiveDate: '2020-02-20', oneYearBp: 400, fiveYearBp: 475 }, action: 'corrected' })
  const changes = await s.app.inject({ method: 'GET', url: `${url}/changes`, headers: admin })
  t.match(changes.json().changes.at(-1), { action: 'corrected', before: { oneYearBp: 405 }, after: { oneYearBp: 400 }, reason: 'test correction', changedBy: 'test-admin' })
  const officer = await s.auth('officer', { branches: ['B001'] })
  const q = await s.app.inject({ method: 'POST', url: '/quotes', headers: { ...officer, 'idempotency-key': 'after-correction' }, payload: quoteBody({ pricingDate: '2020-03-02', startDate: '2020-03-02' }) })
  t.equal(q.json().rate.lpr.rateBp, 400)
  t.equal((await s.app.inject({ method: 'PUT', url, headers: officer, payload: { effectiveDate: '2020-02-20', oneYearBp: 1, fiveYearBp: 1, reason: 'x' } })).statusCode, 403, 'officers do not maintain rates')
})

t.test('Given a publication on a day that is not its month’s publication day, when recorded, then refused unless a reason says why', async (t) => {
  const s = await pricingUnderTest(t)
  const admin = await s.auth('admin')
  const put = (day: string, extra: object = {}) => s.app.inject({ method: 'PUT', url: `/reference-rates/lpr/${day}`, headers: admin, payload: { effectiveDate: day, oneYearBp: 365, fiveYearBp: 430, ...extra } })
  // 20 August 2022 was a Saturday: the LPR came on Monday the 22nd.
  const saturday = await put('2022-08-20')
  t.equal(saturday.statusCode, 422, saturday.body)
  t.match(saturday.json(), { errors: [{ field: '/body/effectiveDate', message: /2022-08-22/ }] })
  t.equal((await s.db.selectFrom('lpr_publications').select('effective_date').where('effective_date', '=', '2022-08-20').execute()).length, 0, 'nothing written')
  t.equal((await put('2022-08-22')).statusCode, 200, 'the Monday: as the series has it')
  const withReason = await put('2022-08-20', { reason: 'published on a Saturday by a notice of the centre' })
  t.equal(withReason.statusCode, 200, 'another day with a reason')
  t.match((await s.app.inject({ method: 'GET', url: '/reference-rates/lpr/2022-08-20/changes', headers: admin })).json(), { changes: [{ action: 'published', reason: 'published on a Saturday by a notice of the centre' }] })
  t.equal((await put('2027-03-22')).statusCode, 200, 'a year the working-day calendar does not hold yet: recorded as given')
})

async function waitFor(condition: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 20))
  }
}

t.test('Given a bridge to a committed renewal, when its fee is asked for, then tier by tier; over the fund’s cap, a problem naming the field', async (t) => {
  const s = await pricingUnderTest(t)
  const officer = await s.auth('officer', { branches: ['B001'] })
  const body = { branchId: 'B001', amountFen: '100000000', committedRenewalFen: '100000000', from: '2020-03-20', until: '2020-03-28' }
  const res = await s.app.inject({ method: 'POST', url: '/bridge-fees', headers: officer, payload: body })
  t.equal(res.statusCode, 200, res.body)
  t.match(res.json(), { fund: { id: 'bridge-fund', version: 1 }, days: 8, tiers: [{ days: 5, dailyPpm: 200, feeFen: '100000' }, { days: 3, dailyPpm: 400, feeFen: '120000' }], feeFen: '220000', capFen: '100000000' })
  const over = await s.app.inject({ method: 'POST', url: '/bridge-fees', headers: officer, payload: { ...body, amountFen: '100000001' } })
  t.equal(over.statusCode, 422)
  t.match(over.json(), { errors: [{ field: '/body/amountFen' }] })
  const otherBranch = await s.app.inject({ method: 'POST', url: '/bridge-fees', headers: officer, payload: { ...body, branchId: 'B002' } })
  t.equal(otherBranch.statusCode, 403)
  const programmes = await s.app.inject({ method: 'GET', url: '/programmes', headers: officer })
  t.match(programmes.json(), { bridgeFunds: [{ id: 'bridge-fund', tiers: [{ throughDay: 5, dailyPpm: 200 }, { throughDay: null, dailyPpm: 400 }] }] })
})
