// Ingestion over HTTP against the real PostgreSQL: all-or-nothing and per-record batches, request
// idempotency (Idempotency-Key), record idempotency (source + sourceRecordId), corrections that
// supersede and keep history, and concurrent corrections.
import t from 'tap'
import { countDataPoints, expectProblem, expectStatus, healthyFirmRecords, invoiceRecord, newKey, postBatch, scoringUnderTest, uscc } from './helpers.js'

// The service clock: 2020-07-01 12:00 in Asia/Shanghai, so every record below is in the past.
const now = () => new Date('2020-07-01T04:00:00Z')

t.test('ingestion', async (t) => {
  const s = await scoringUnderTest(t, { now })

  t.test('all-or-nothing batch: every record is written, each with its outcome', async (t) => {
    const firm = uscc(1001)
    const records = healthyFirmRecords(firm)
    const body = expectStatus(t, await postBatch(s, records), 200, 'valid batch')
    t.equal(body.mode, 'all-or-nothing')
    t.equal(body.accepted, records.length)
    t.equal(body.rejected, 0)
    t.equal(body.outcomes.length, records.length)
    t.ok(body.outcomes.every((o: any, i: number) => o.index === i && o.outcome === 'created' && /^dp_/.test(o.dataPointId)), 'every record created, in order')
    t.equal(new Set(body.outcomes.map((o: any) => o.dataPointId)).size, records.length, 'one data point per record')
    t.equal(await countDataPoints(s, firm), records.length, 'rows written')
  })

  t.test('all-or-nothing batch with one bad record: 422 naming the field, nothing written', async (t) => {
    const firm = uscc(1002)
    const records = ['2020-01', '2020-02', '2020-03', '2020-04', '2020-05'].map((m) => invoiceRecord(firm, m))
    records[3] = invoiceRecord(firm, '2020-04', '1234.56') // yuan with a decimal point where fen are expected
    const key = newKey('aon')
    const problem = expectProblem(t, await postBatch(s, records, { key }), 422, { code: 'unprocessable', field: '/body/records/3/salesAmount', what: 'batch with a bad record' })
    t.same(problem?.rejectedRecords, [3], 'the refused record is listed')
    t.equal(problem?.errors.length, 1, 'only the bad record has errors')
    t.equal(await countDataPoints(s, firm), 0, 'nothing written')

    // The refused attempt did not consume the key: the corrected batch goes through under it.
    records[3] = invoiceRecord(firm, '2020-04')
    const body = expectStatus(t, await postBatch(s, records, { key }), 200, 'corrected batch under the same key')
    t.equal(body?.accepted, 5)
    t.equal(await countDataPoints(s, firm), 5)
  })

  t.test('per-record batch: 200 with each record’s outcome; valid records written', async (t) => {
    const firm = uscc(1003)
    const records: unknown[] = [
      invoiceRecord(firm, '2020-01'),
      invoiceRecord(firm, '2020-02', 150000000), // a number instead of a fen string
      invoiceRecord(firm, '2020-03'),
      invoiceRecord(firm, '2020-04', '100', { asOf: '2020-07-02' }), // as-of date after the service's today
      invoiceRecord(firm, '2020-05'),
    ]
    const body = expectStatus(t, await postBatch(s, records, { mode: 'per-record' }), 200, 'per-record batch')
    t.equal(body.mode, 'per-record')
    t.equal(body.accepted, 3)
    t.equal(body.rejected, 2)
    t.same(
      body.outcomes.map((o: any) => [o.index, o.outcome]),
      [[0, 'created'], [1, 'rejected'], [2, 'created'], [3, 'rejected'], [4, 'created']],
    )
    t.ok(body.outcomes[1].errors.some((e: any) => e.field === '/body/records/1/salesAmount'), 'record 1: salesAmount named')
    t.ok(body.outcomes[3].errors.some((e: any) => e.field === '/body/records/3/asOf'), 'record 3: asOf named')
    t.equal(body.outcomes[1].dataPointId, undefined, 'a rejected record has no data point')
    t.equal(body.outcomes[1].sourceRecordId, `inv-${firm}-2020-02`)
    t.equal(await countDataPoints(s, firm), 3, 'only the valid records are written')
  })

  t.test('replaying a batch under its Idempotency-Key', async (t) => {
    const firm = uscc(1004)
    const records = ['2020-01', '2020-02'].map((m) => invoiceRecord(firm, m))
    const key = newKey('replay')
    const first = await postBatch(s, records, { key })
    expectStatus(t, first, 200, 'first')
    t.equal(await countDataPoints(s, firm), 2)

    const again = await postBatch(s, records, { key })
    expectStatus(t, again, 200, 'replay')
    t.equal(again.body, first.body, 'identical response body')
    t.equal(again.headers['idempotent-replayed'], 'true', 'marked as a replay')
    t.equal(await countDataPoints(s, firm), 2, 'no new rows')

    const changed = [invoiceRecord(firm, '2020-01', '1'), records[1]]
    expectProblem(t, await postBatch(s, changed, { key }), 422, { code: 'idempotency_key_reused', what: 'same key, different body' })
    t.equal(await countDataPoints(s, firm), 2, 'no new rows')

    expectProblem(t, await postBatch(s, records, { key: null }), 400, { code: 'idempotency_key_required', what: 'no Idempotency-Key' })
    expectProblem(t, await postBatch(s, records, { key: 'has spaces in it' }), 400, { code: 'validation_failed', field: '/headers/idempotency-key', what: 'malformed Idempotency-Key' })

    // The same records under a new key: the request is new, the figures are not.
    const resent = expectStatus(t, await postBatch(s, records), 200, 'same records, new key')
    t.same(resent.outcomes.map((o: any) => o.outcome), ['unchanged', 'unchanged'])
    t.same(resent.outcomes.map((o: any) => o.dataPointId), first.json().outcomes.map((o: any) => o.dataPointId), 'the stored versions are named')
    t.equal(resent.accepted, 2)
    t.equal(await countDataPoints(s, firm), 2, 'no new rows')
  })

  t.test('a corrected figure supersedes the stored one; history is kept', async (t) => {
    const firm = uscc(1005)
    const original = expectStatus(t, await postBatch(s, [invoiceRecord(firm, '2020-03', '100000'), invoiceRecord(firm, '2020-04')]), 200, 'original')
    const oldId: string = original.outcomes[0].dataPointId

    const corrected = expectStatus(t, await postBatch(s, [invoiceRecord(firm, '2020-03', '120000')]), 200, 'correction')
    const outcome = corrected.outcomes[0]
    t.equal(outcome.outcome, 'superseded')
    t.equal(outcome.supersedes, oldId)
    t.not(outcome.dataPointId, oldId, 'a new version, not an overwrite')
    const newId: string = outcome.dataPointId
    t.equal(await countDataPoints(s, firm), 3, 'the old version stays')

    const reader = await s.auth('risk')
    const all = expectStatus(t, await s.app.inject({ method: 'GET', url: `/enterprises/${firm}/data-points?includeSuperseded=true&dimension=invoices`, headers: reader }), 200, 'lineage with history')
    const march = all.dataPoints.filter((p: any) => p.period === '2020-03')
    t.equal(march.length, 2, 'both versions listed')
    const v1 = march.find((p: any) => p.id === oldId)
    const v2 = march.find((p: any) => p.id === newId)
    t.match(v1, { version: 1, supersedes: null, supersededBy: newId, values: { salesAmount: '100000' }, source: 'test-feed', sourceRecordId: `inv-${firm}-2020-03`, asOf: '2020-03-28', dimension: 'invoices' })
    t.match(v2, { version: 2, supersedes: oldId, supersededBy: null, values: { salesAmount: '120000' } })

    const current = expectStatus(t, await s.app.inject({ method: 'GET', url: `/enterprises/${firm}/data-points?dimension=invoices`, headers: reader }), 200, 'current only')
    t.same(current.dataPoints.map((p: any) => p.id).sort(), [newId, original.outcomes[1].dataPointId].sort(), 'only current versions')

    // The correction sent again is unchanged; the superseded figure sent again is a new correction.
    const again = expectStatus(t, await postBatch(s, [invoiceRecord(firm, '2020-03', '120000')]), 200)
    t.equal(again.outcomes[0].outcome, 'unchanged')
    const back = expectStatus(t, await postBatch(s, [invoiceRecord(firm, '2020-03', '100000')]), 200)
    t.match(back.outcomes[0], { outcome: 'superseded', supersedes: newId })
    t.equal(await countDataPoints(s, firm), 4)
  })

  t.test('20 concurrent posts of the same correction: exactly one new version', async (t) => {
    const firm = uscc(1006)
    const original = expectStatus(t, await postBatch(s, [invoiceRecord(firm, '2020-05', '500000')]), 200, 'original')
    const oldId = original.outcomes[0].dataPointId
    const headers = await s.auth('core-banking')
    const replies = await Promise.all(Array.from({ length: 20 }, () => postBatch(s, [invoiceRecord(firm, '2020-05', '550000')], { headers })))
    t.same(replies.map((r) => r.statusCode), Array(20).fill(200), `all 200 (${replies.filter((r) => r.statusCode !== 200).map((r) => r.body).join(' | ').slice(0, 1000)})`)
    const outcomes = replies.filter((r) => r.statusCode === 200).map((r) => r.json().outcomes[0])
    const superseded = outcomes.filter((o) => o.outcome === 'superseded')
    t.equal(superseded.length, 1, 'one request made the correction')
    t.equal(outcomes.filter((o) => o.outcome === 'unchanged').length, 19, 'the others found it already made')
    t.equal(superseded[0]?.supersedes, oldId)
    t.equal(new Set(outcomes.map((o) => o.dataPointId)).size, 1, 'all name the same new version')

    const rows = await s.db.selectFrom('data_points').select(['id', 'version', 'superseded_by']).where('source_record_id', '=', `inv-${firm}-2020-05`).orderBy('version').execute()
    t.equal(rows.length, 2, 'two versions in all')
    t.same(rows.map((r) => [r.version, r.superseded_by]), [[1, superseded[0]?.dataPointId], [2, null]])

    // And a record never seen before, sent 20 times at once: one created.
    const fresh = await Promise.all(Array.from({ length: 20 }, () => postBatch(s, [invoiceRecord(firm, '2020-06', '1')], { headers })))
    t.same(fresh.map((r) => r.statusCode), Array(20).fill(200), 'all 200')
    t.equal(fresh.filter((r) => r.json().outcomes[0].outcome === 'created').length, 1, 'one created, the rest unchanged')
    t.equal(await countDataPoints(s, firm), 3)
  })
})
