// Bad input gets a 4xx problem document naming the field, never a 5xx: USCC format and check
// characters, units (fen strings), dates relative to the service clock, batch size, unknown kinds.
import t from 'tap'
import { countDataPoints, expectProblem, expectStatus, invoiceRecord, postBatch, scoringUnderTest, uscc, withWrongCheck } from './helpers.js'

// The service clock: 2020-07-01 12:00 Asia/Shanghai. "Today" for the as-of checks is 2020-07-01.
const now = () => new Date('2020-07-01T04:00:00Z')

t.test('bad input', async (t) => {
  const s = await scoringUnderTest(t, { now })
  const firm = uscc(2001)
  const reader = await s.auth('risk')

  // Each case: one record in an all-or-nothing batch → 422 naming the field, nothing written.
  const refusedRecords: [string, Record<string, unknown>, string][] = [
    ['USCC with a wrong check character', invoiceRecord(withWrongCheck(firm), '2020-01'), '/uscc'],
    ['USCC of 17 characters', invoiceRecord(firm.slice(0, 17), '2020-01'), '/uscc'],
    ['USCC with a letter outside the alphabet (O)', invoiceRecord(`${firm.slice(0, 10)}O${firm.slice(11)}`, '2020-01'), '/uscc'],
    ['lowercase USCC', invoiceRecord(firm.toLowerCase(), '2020-01'), '/uscc'],
    ['fen as a JSON number', invoiceRecord(firm, '2020-01', 150000000), '/salesAmount'],
    ['yuan with decimals where fen are expected', invoiceRecord(firm, '2020-01', '1234.56'), '/salesAmount'],
    ['fen with a leading zero', invoiceRecord(firm, '2020-01', '0100'), '/salesAmount'],
    ['negative fen where ≥ 0 is required (declared revenue)', { kind: 'tax-return', uscc: firm, source: 'tax-bureau', sourceRecordId: 'tax-1', period: '2020-01', asOf: '2020-02-15', declaredRevenue: '-100', taxPaid: '0' }, '/declaredRevenue'],
    ['negative fen where ≥ 0 is required (utility arrears)', { kind: 'utility-month', uscc: firm, source: 'state-grid', sourceRecordId: 'el-1', period: '2020-01', asOf: '2020-02-15', utility: 'electricity', consumption: 1, billed: '10', arrears: '-1' }, '/arrears'],
    ['overdue receivables above the total', { kind: 'receivables-snapshot', uscc: firm, source: 'scf', sourceRecordId: 'ar-1', period: '2020-06-01', asOf: '2020-06-02', total: '100', overdue: '101' }, '/overdue'],
    ['as-of date in the future (tomorrow)', invoiceRecord(firm, '2020-06', '1', { asOf: '2020-07-02' }), '/asOf'],
    ['period in the future (next month, as of today)', invoiceRecord(firm, '2020-08', '1', { asOf: '2020-07-01' }), '/period'],
    ['month period after its as-of date', invoiceRecord(firm, '2020-05', '1', { asOf: '2020-04-28' }), '/period'],
    ['snapshot period after its as-of date', { kind: 'receivables-snapshot', uscc: firm, source: 'scf', sourceRecordId: 'ar-2', period: '2020-06-30', asOf: '2020-06-02', total: '100', overdue: '1' }, '/period'],
    ['founding date after the as-of date', { kind: 'registration', uscc: firm, source: 'samr', sourceRecordId: 'reg-1', period: '2020-06-01', asOf: '2020-06-02', industry: 'C3989', region: '350100', foundedOn: '2020-06-30', legalStatus: 'active' }, '/foundedOn'],
    ['month 13', invoiceRecord(firm, '2020-13', '1', { asOf: '2020-06-28' }), '/period'],
    ['impossible as-of date (30 February)', invoiceRecord(firm, '2020-02', '1', { asOf: '2020-02-30' }), '/asOf'],
    ['an unknown field', invoiceRecord(firm, '2020-01', '1', { currency: 'CNY' }), '/currency'],
  ]
  for (const [what, record, field] of refusedRecords) {
    t.test(what, async (t) => {
      const records = [invoiceRecord(firm, '2019-11'), invoiceRecord(firm, '2019-12'), record]
      const before = await countDataPoints(s)
      expectProblem(t, await postBatch(s, records), 422, { code: 'unprocessable', field: `/body/records/2${field}`, what })
      t.equal(await countDataPoints(s), before, 'nothing written')
    })
  }

  t.test('a required field missing', async (t) => {
    const before = await countDataPoints(s)
    const record = { kind: 'invoice-month', uscc: firm, source: 'test-feed', sourceRecordId: 'inv-x', period: '2020-01', asOf: '2020-01-28', invoiceCount: 1 }
    const problem = expectProblem(t, await postBatch(s, [record]), 422, { code: 'unprocessable', what: 'no salesAmount' })
    // The per-kind check reports a missing property on the record itself, naming it in the message.
    t.ok(problem?.errors.some((e: any) => e.field.startsWith('/body/records/0') && /salesAmount/.test(e.message)), `names salesAmount (${JSON.stringify(problem?.errors)})`)
    t.equal(await countDataPoints(s), before, 'nothing written')
  })

  // Refused at the edge (request schema) before any record is looked at: 400.
  const edgeRefusals: [string, unknown, string][] = [
    ['an unknown kind', { mode: 'all-or-nothing', records: [{ ...invoiceRecord(firm, '2020-01'), kind: 'crypto-wallet' }] }, '/body/records/0/kind'],
    ['a record without a kind', { mode: 'per-record', records: [{ uscc: firm, sourceRecordId: 'x' }] }, '/body/records/0/kind'],
    ['a record that is not an object', { mode: 'per-record', records: [null] }, '/body/records/0'],
    ['an unknown mode', { mode: 'best-effort', records: [invoiceRecord(firm, '2020-01')] }, '/body/mode'],
    ['an empty batch', { mode: 'all-or-nothing', records: [] }, '/body/records'],
    ['501 records', { mode: 'per-record', records: Array.from({ length: 501 }, (_, i) => invoiceRecord(firm, '2020-01', '1', { sourceRecordId: `inv-${i}` })) }, '/body/records'],
  ]
  for (const [what, payload, field] of edgeRefusals) {
    t.test(`batch with ${what} → 400`, async (t) => {
      const before = await countDataPoints(s)
      const res = await s.app.inject({ method: 'POST', url: '/data-points/batch', headers: { ...(await s.auth('core-banking')), 'idempotency-key': `edge-${what.replaceAll(' ', '-')}` }, payload: payload as object })
      expectProblem(t, res, 400, { code: 'validation_failed', field, what })
      t.equal(await countDataPoints(s), before, 'nothing written')
    })
  }

  t.test('a batch of exactly 500 records is accepted', async (t) => {
    const records = Array.from({ length: 500 }, (_, i) => invoiceRecord(uscc(2002), '2020-01', String(i), { sourceRecordId: `inv-500-${i}` }))
    const body = expectStatus(t, await postBatch(s, records), 200, '500 records')
    t.equal(body?.accepted, 500)
    t.equal(await countDataPoints(s, uscc(2002)), 500)
  })

  t.test('per-record mode reports a wrong check character per record', async (t) => {
    const body = expectStatus(t, await postBatch(s, [invoiceRecord(uscc(2003), '2020-01'), invoiceRecord(withWrongCheck(uscc(2003)), '2020-02')], { mode: 'per-record' }), 200)
    t.equal(body?.outcomes[1].outcome, 'rejected')
    t.ok(body?.outcomes[1].errors.some((e: any) => e.field === '/body/records/1/uscc' && /check/.test(e.message)), 'names /body/records/1/uscc, check character')
    t.equal(await countDataPoints(s, uscc(2003)), 1)
  })

  t.test('malformed JSON and a wrong media type', async (t) => {
    const headers = { ...(await s.auth('core-banking')), 'idempotency-key': 'malformed-1' }
    expectProblem(t, await s.app.inject({ method: 'POST', url: '/data-points/batch', headers: { ...headers, 'content-type': 'application/json' }, payload: '{"mode": "per-record", "records": [' }), 400, { code: 'malformed_json', what: 'truncated JSON' })
    expectProblem(t, await s.app.inject({ method: 'POST', url: '/data-points/batch', headers: { ...headers, 'content-type': 'text/csv' }, payload: 'a,b\n1,2' }), 415, { code: 'unsupported_media_type', what: 'CSV' })
  })

  t.test('scores: bad USCC, dates that cannot be scored', async (t) => {
    const score = (payload: unknown) => s.app.inject({ method: 'POST', url: '/scores', headers: reader, payload: payload as object })
    expectProblem(t, await score({ uscc: firm.slice(0, 17) }), 400, { code: 'validation_failed', field: '/body/uscc', what: '17 characters' })
    expectProblem(t, await score({ uscc: `${firm}0` }), 400, { code: 'validation_failed', field: '/body/uscc', what: '19 characters' })
    expectProblem(t, await score({ uscc: firm.toLowerCase() }), 400, { code: 'validation_failed', field: '/body/uscc', what: 'lowercase' })
    expectProblem(t, await score({ uscc: `${firm.slice(0, 17)}I` }), 400, { code: 'validation_failed', field: '/body/uscc', what: 'letter I' })
    expectProblem(t, await score({ uscc: withWrongCheck(firm) }), 422, { code: 'unprocessable', field: '/body/uscc', what: 'wrong check character' })
    expectProblem(t, await score({ uscc: firm, asOf: '2020-02-30' }), 400, { code: 'validation_failed', field: '/body/asOf', what: 'impossible date' })
    expectProblem(t, await score({ uscc: firm, asOf: '20200630' }), 400, { code: 'validation_failed', field: '/body/asOf', what: 'date without dashes' })
    expectProblem(t, await score({ uscc: firm, extra: 1 }), 400, { code: 'validation_failed', field: '/body/extra', what: 'unknown field' })
    expectProblem(t, await score({ uscc: firm, segment: 'no-such-segment' }), 422, { code: 'unprocessable', what: 'a segment without a champion model' })
    // The service clock says 2020-07-01: a score of a day to come, or of a crisis not yet begun, describes nothing.
    expectProblem(t, await score({ uscc: firm, asOf: '2020-07-02' }), 422, { code: 'unprocessable', field: '/body/asOf', what: 'as of tomorrow' })
    expectProblem(t, await score({ uscc: firm, asOf: '2099-06-30' }), 422, { code: 'unprocessable', field: '/body/asOf', what: 'as of 2099' })
    expectProblem(t, await score({ uscc: firm, asOf: '2020-06-30', crisisStart: '2020-07-01' }), 422, { code: 'unprocessable', field: '/body/crisisStart', what: 'a crisis starting after asOf' })
    t.equal(Number((await s.db.selectFrom('scores').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n), 0, 'no score stored')
  })

  t.test('reads: bad path parameters and queries', async (t) => {
    const get = (url: string, headers = reader) => s.app.inject({ method: 'GET', url, headers })
    expectProblem(t, await get(`/enterprises/${firm.slice(0, 17)}/data-points`), 400, { code: 'validation_failed', field: '/params/uscc', what: 'short USCC in the path' })
    expectProblem(t, await get(`/enterprises/${firm.slice(0, 17)}/scores`), 400, { code: 'validation_failed', field: '/params/uscc', what: 'short USCC in the path' })
    expectProblem(t, await get(`/enterprises/${firm}/data-points?dimension=astrology`), 400, { code: 'validation_failed', field: '/querystring/dimension', what: 'unknown dimension' })
    expectProblem(t, await get(`/enterprises/${firm}/data-points?limit=0`), 400, { code: 'validation_failed', field: '/querystring/limit', what: 'limit 0' })
    expectProblem(t, await get('/scores/not-a-uuid'), 400, { code: 'validation_failed', field: '/params/id', what: 'score id not a uuid' })
    expectProblem(t, await get('/scores/00000000-0000-4000-8000-000000000000'), 404, { code: 'not_found', what: 'unknown score' })
    expectProblem(t, await s.app.inject({ method: 'POST', url: '/scores/00000000-0000-4000-8000-000000000000/replay', headers: await s.auth('risk') }), 404, { code: 'not_found', what: 'replay of an unknown score' })
    expectProblem(t, await get('/models/sme-general-default/versions/9.9.9'), 404, { code: 'not_found', what: 'unknown model version' })
    expectProblem(t, await get('/no-such-route'), 404, { code: 'not_found', what: 'unknown route' })
  })
})
