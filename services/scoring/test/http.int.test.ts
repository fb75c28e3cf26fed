import t from 'tap'
import { makeUscc } from '@sme/domain'
import { expectStatus, healthyFirmRecords, scoringUnderTest } from './helpers.js'

// Smoke test of the whole path; the detailed suites are ingest, bad-input, scores, models and authz.
t.test('ingest a firm, score it, read history and lineage', async (t) => {
  const s = await scoringUnderTest(t)
  const uscc = makeUscc('9135010015000001')
  const records = healthyFirmRecords(uscc)
  const ingest = await s.app.inject({ method: 'POST', url: '/data-points/batch', headers: { ...(await s.auth('core-banking')), 'idempotency-key': 'b1' }, payload: { mode: 'all-or-nothing', records } })
  t.equal(expectStatus(t, ingest, 200, 'ingest')?.accepted, records.length)
  const score = await s.app.inject({ method: 'POST', url: '/scores', headers: await s.auth('risk'), payload: { uscc, asOf: '2020-06-30' } })
  const body = expectStatus(t, score, 201, 'score')
  t.ok(body.score > 600, `a healthy firm scores well (${body.score})`)
  t.ok(body.dataPointIds.length > 0, 'lineage recorded')
  t.equal(body.hardship.classification === undefined, false)
  const history = expectStatus(t, await s.app.inject({ method: 'GET', url: `/enterprises/${uscc}/scores`, headers: await s.auth('risk') }), 200, 'history')
  t.same(history.scores.map((x: { id: string }) => x.id), [body.id])
  const lineage = expectStatus(t, await s.app.inject({ method: 'GET', url: `/enterprises/${uscc}/data-points?limit=1000`, headers: await s.auth('risk') }), 200, 'lineage')
  t.equal(lineage.dataPoints.length, records.length)
})
