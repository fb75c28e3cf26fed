import t from 'tap'
import { makeUscc } from '@sme/domain'
import { scoringUnderTest, healthyFirmRecords } from './helpers.js'

t.test('ingest a firm, score it, read history and lineage', async (t) => {
  const s = await scoringUnderTest(t)
  const uscc = makeUscc('9135010015000001')
  const records = healthyFirmRecords(uscc)
  const ingest = await s.app.inject({ method: 'POST', url: '/data-points/batch', headers: { ...(await s.auth('core-banking')), 'idempotency-key': 'b1' }, payload: { mode: 'all-or-nothing', records } })
  t.equal(ingest.statusCode, 200, ingest.body)
  t.equal(ingest.json().accepted, records.length)
  const score = await s.app.inject({ method: 'POST', url: '/scores', headers: await s.auth('officer'), payload: { uscc, asOf: '2020-06-30' } })
  t.equal(score.statusCode, 201, score.body)
  const body = score.json()
  t.ok(body.score > 600, `a healthy firm scores well (${body.score})`)
  t.ok(body.dataPointIds.length > 0, 'lineage recorded')
  t.equal(body.hardship.classification === undefined, false)
})
