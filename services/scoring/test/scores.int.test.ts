// Scores over HTTP against the real PostgreSQL: a healthy firm, a firm without data, stale data,
// reading a score back, history, replay (also after a correction), and invalid USCCs.
import t from 'tap'
import { expectProblem, expectStatus, healthyFirmRecords, invoiceRecord, postBatch, scoringUnderTest, uscc, withWrongCheck } from './helpers.js'

const now = () => new Date('2020-07-01T04:00:00Z')
const CHARACTERISTICS = [
  'CH_FIRM_AGE', 'CH_LEGAL_STATUS', 'CH_TAX_RATING', 'CH_TAX_BURDEN', 'CH_REVENUE_TREND', 'CH_HEADCOUNT_TREND',
  'CH_UTILITY_ARREARS', 'CH_CUSTOMS_TREND', 'CH_COURT_ENFORCEMENT', 'CH_ADMIN_PENALTY', 'CH_BANK_MAX_DPD', 'CH_RECEIVABLES_OVERDUE',
]
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

t.test('scores', async (t) => {
  const s = await scoringUnderTest(t, { now })
  const reader = await s.auth('risk')
  const risk = await s.auth('risk')
  const score = async (payload: Record<string, unknown>, headers = reader) => s.app.inject({ method: 'POST', url: '/scores', headers, payload })
  const model = expectStatus(t, await s.app.inject({ method: 'GET', url: '/models/sme-general-default/versions/2020.1.0', headers: reader }), 200, 'the default model')
  const characteristicOf = (id: string) => model.characteristics.find((c: any) => c.id === id)

  const healthy = uscc(3001)
  expectStatus(t, await postBatch(s, healthyFirmRecords(healthy)), 200, 'healthy firm ingested')

  t.test('a healthy firm: good score, reasons in zh and en, lineage per characteristic, hardship', async (t) => {
    const res = await score({ uscc: healthy, asOf: '2020-06-30' })
    const body = expectStatus(t, res, 201, 'POST /scores')
    t.equal(res.headers.location, `/scores/${body.id}`, 'Location names the score')
    t.match(body, { uscc: healthy, asOf: '2020-06-30', model: { id: 'sme-general-default', version: '2020.1.0', segment: 'sme-general' }, requestedBy: 'test-risk', correlationId: null })
    t.ok(body.score >= 700, `a healthy firm scores well (${body.score})`)
    t.ok(['AAA', 'AA', 'A'].includes(body.grade), `a top grade (${body.grade})`)
    t.ok(body.probabilityOfDefaultPpm > 0 && body.probabilityOfDefaultPpm < 20_000, `PD under 2% (${body.probabilityOfDefaultPpm} ppm)`)
    t.same(body.characteristics.map((c: any) => c.id), CHARACTERISTICS, 'every characteristic, in model order')
    t.equal(body.score, sum(body.characteristics.map((c: any) => c.points)), 'score = Σ points')
    for (const c of body.characteristics) {
      t.equal(c.missing, null, `${c.id} has data`)
      t.ok(c.dataPointIds.length > 0 && c.dataPointIds.every((id: string) => body.dataPointIds.includes(id)), `${c.id} names the data points it read`)
    }
    t.ok(body.reasons.length > 0 && body.reasons.length <= model.reasonCount, `reasons reported (${body.reasons.map((r: any) => r.code).join(', ')})`)
    for (const r of body.reasons) {
      t.ok(/^RC_/.test(r.code) && r.text.zh.length > 0 && r.text.en.length > 0, `${r.code} has zh and en texts`)
      t.same(r.text, model.reasonCodes[r.code], `${r.code} texts come from the model`)
      t.ok(r.pointsLost > 0, `${r.code} costs points`)
    }
    t.same([...body.reasons].sort((a: any, b: any) => b.pointsLost - a.pointsLost).map((r: any) => r.code), body.reasons.map((r: any) => r.code), 'largest deduction first')
    t.equal(body.characteristics.find((c: any) => c.id === 'CH_FIRM_AGE').binId, 'AGE_60_120M', 'founded 2015-03: 5 to 10 years')
    t.ok(body.reasons.some((r: any) => r.code === 'RC_FIRM_AGE_UNDER_10Y'), 'firm age is a reason')
    t.ok(['none', 'temporary-shock', 'structural-decline', 'insufficient-data'].includes(body.hardship?.classification), `hardship present (${body.hardship?.classification})`)
    t.equal(body.hardship.classification, 'none', 'flat figures: no shock')
    t.equal(body.hardship.crisisStart, '2020-01-25', 'the default crisis')
    t.equal(new Set(body.dataPointIds).size, body.dataPointIds.length, 'lineage without duplicates')

    const stored = expectStatus(t, await s.app.inject({ method: 'GET', url: `/scores/${body.id}`, headers: reader }), 200, 'GET /scores/:id')
    t.same(stored, body, 'GET returns the score as POST answered it')

    const replay = expectStatus(t, await s.app.inject({ method: 'POST', url: `/scores/${body.id}/replay`, headers: risk }), 200, 'replay')
    t.match(replay, { scoreId: body.id, identical: true, hardshipIdentical: true, model: { id: 'sme-general-default', version: '2020.1.0' }, storedScore: body.score, replayedScore: body.score, shadowScores: [] })
  })

  t.test('a firm without data: explicit no-data bins and reasons, never a silent zero', async (t) => {
    const nobody = uscc(3002)
    const body = expectStatus(t, await score({ uscc: nobody, asOf: '2020-06-30' }), 201, 'POST /scores')
    t.same(body.characteristics.map((c: any) => c.id), CHARACTERISTICS)
    for (const c of body.characteristics) {
      const bin = characteristicOf(c.id).missing['no-data']
      t.match(c, { missing: 'no-data', value: null, binId: bin.id, points: bin.points }, `${c.id}: the model's no-data bin`)
    }
    t.equal(body.score, sum(body.characteristics.map((c: any) => c.points)))
    t.equal(body.score, 530, 'the documented no-data score')
    t.ok(body.reasons.length > 0, 'reasons say why')
    const noDataCodes = new Set(model.characteristics.map((c: any) => c.missing['no-data'].reasonCode))
    t.ok(body.reasons.every((r: any) => noDataCodes.has(r.code) && r.text.zh && r.text.en), `the no-data bins' reason codes (${body.reasons.map((r: any) => r.code).join(', ')})`)
    t.ok(body.reasons.some((r: any) => r.code === 'RC_REGISTRATION_NO_DATA'), 'e.g. no registration data')
    t.same(body.dataPointIds, [], 'nothing read')
    t.equal(body.hardship?.classification, 'insufficient-data')
  })

  t.test('stale data: stale bins, the stale points listed, never used', async (t) => {
    const old = uscc(3003)
    // Two years of data ending 2019-06, scored a year later.
    expectStatus(t, await postBatch(s, healthyFirmRecords(old, { through: '2019-06' })), 200, 'old data ingested')
    const body = expectStatus(t, await score({ uscc: old, asOf: '2020-06-30' }), 201, 'POST /scores')
    const by = Object.fromEntries(body.characteristics.map((c: any) => [c.id, c]))
    for (const id of ['CH_FIRM_AGE', 'CH_REVENUE_TREND', 'CH_HEADCOUNT_TREND', 'CH_UTILITY_ARREARS', 'CH_BANK_MAX_DPD', 'CH_RECEIVABLES_OVERDUE', 'CH_COURT_ENFORCEMENT']) {
      const bin = characteristicOf(id).missing.stale
      t.match(by[id], { missing: 'stale', value: null, binId: bin.id, points: bin.points, reasonCode: bin.reasonCode }, `${id}: stale bin`)
      t.ok(by[id].dataPointIds.length > 0, `${id} lists the stale points`)
    }
    t.equal(by.CH_TAX_RATING.missing, null, 'a rating stays fresh for 455 days')
    t.ok(body.reasons.some((r: any) => /STALE/.test(r.code)), 'stale data is a reason')
    t.equal(body.score, sum(body.characteristics.map((c: any) => c.points)))
  })

  t.test('history: newest first, one entry per score, no shadows', async (t) => {
    const ids: string[] = []
    for (const asOf of ['2020-04-30', '2020-05-31', '2020-06-30']) {
      ids.push(expectStatus(t, await score({ uscc: healthy, asOf }), 201, `score as of ${asOf}`).id)
    }
    const history = expectStatus(t, await s.app.inject({ method: 'GET', url: `/enterprises/${healthy}/scores`, headers: reader }), 200, 'history')
    t.equal(history.uscc, healthy)
    const listed = history.scores.map((x: any) => x.id)
    t.same(listed.slice(0, 3), [...ids].reverse(), 'newest first')
    t.equal(listed.length, 4, 'with the score of the first test')
    t.ok(history.scores.every((x: any) => x.uscc === healthy), 'only this firm')
    const times = history.scores.map((x: any) => Date.parse(x.createdAt))
    t.same(times, [...times].sort((a: number, b: number) => b - a), 'createdAt descending')
    const limited = expectStatus(t, await s.app.inject({ method: 'GET', url: `/enterprises/${healthy}/scores?limit=2`, headers: reader }), 200)
    t.same(limited.scores.map((x: any) => x.id), listed.slice(0, 2), 'limit')
  })

  t.test('a score replays identically after its data were corrected', async (t) => {
    const firm = uscc(3004)
    expectStatus(t, await postBatch(s, healthyFirmRecords(firm)), 200)
    const before = expectStatus(t, await score({ uscc: firm, asOf: '2020-06-30' }), 201, 'score')
    // Sales of 2020-05 corrected down by 90%: a new score sees it, the old one replays as it was.
    const correction = expectStatus(t, await postBatch(s, [invoiceRecord(firm, '2020-05', '15000000')]), 200, 'correction')
    t.equal(correction.outcomes[0].outcome, 'superseded')
    const after = expectStatus(t, await score({ uscc: firm, asOf: '2020-06-30' }), 201, 'score after the correction')
    t.ok(after.dataPointIds.includes(correction.outcomes[0].dataPointId), 'the new score reads the correction')
    t.notOk(before.dataPointIds.includes(correction.outcomes[0].dataPointId))
    t.not(after.characteristics.find((c: any) => c.id === 'CH_REVENUE_TREND').value, before.characteristics.find((c: any) => c.id === 'CH_REVENUE_TREND').value, 'the revenue trend changed')
    const replay = expectStatus(t, await s.app.inject({ method: 'POST', url: `/scores/${before.id}/replay`, headers: risk }), 200, 'replay of the earlier score')
    t.match(replay, { identical: true, hardshipIdentical: true, storedScore: before.score, replayedScore: before.score })
  })

  t.test('the same request under one Idempotency-Key: one score', async (t) => {
    const headers = { ...reader, 'idempotency-key': 'score-once' }
    const first = await score({ uscc: healthy, asOf: '2020-06-30' }, headers)
    const again = await score({ uscc: healthy, asOf: '2020-06-30' }, headers)
    expectStatus(t, first, 201)
    t.equal(again.statusCode, 201)
    t.equal(again.body, first.body, 'the stored answer')
    t.equal(again.headers.location, first.headers.location)
    const rows = await s.db.selectFrom('scores').select('id').where('id', '=', first.json().id).execute()
    t.equal(rows.length, 1)
  })

  t.test('an invalid check character: 422 naming /body/uscc, nothing stored', async (t) => {
    const before = await s.db.selectFrom('scores').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
    expectProblem(t, await score({ uscc: withWrongCheck(healthy) }), 422, { code: 'unprocessable', field: '/body/uscc' })
    const after = await s.db.selectFrom('scores').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
    t.equal(after.n, before.n)
  })

  t.test('without asOf, the score is as of the service clock’s date', async (t) => {
    const body = expectStatus(t, await score({ uscc: healthy }), 201)
    t.equal(body?.asOf, '2020-07-01')
  })
})
