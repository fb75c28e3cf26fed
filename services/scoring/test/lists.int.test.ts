// Scoring's lists page by cursor like every list: an enterprise's data points and its score history,
// each row once under a total order, however small the page; a forged cursor refused naming the
// field. Real PostgreSQL.
import t from 'tap'
import { postBatch, healthyFirmRecords, scoringUnderTest, uscc } from './helpers.js'

t.test('data points and scores page by cursor', async (t) => {
  const s = await scoringUnderTest(t, { now: () => new Date('2020-06-15T02:00:00Z') })
  const firm = uscc(7100)
  const batch = await postBatch(s, healthyFirmRecords(firm, { through: '2020-05' }))
  t.ok(batch.statusCode < 300, `recorded (${batch.statusCode})`)
  const risk = await s.auth('risk')
  const get = async (url: string) => {
    const res = await s.app.inject({ method: 'GET', url, headers: risk })
    t.equal(res.statusCode, 200, url)
    return res.json()
  }
  async function pages(base: string, field: string, limit: number): Promise<string[]> {
    const ids: string[] = []
    let url = `${base}${base.includes('?') ? '&' : '?'}limit=${limit}`
    for (let n = 0; n < 1_000; n++) {
      const page = await get(url)
      t.ok(page[field].length <= limit, 'no page longer than the limit')
      ids.push(...page[field].map((r: { id: string }) => r.id))
      if (page.nextCursor === null) return ids
      url = `${base}${base.includes('?') ? '&' : '?'}limit=${limit}&cursor=${page.nextCursor}`
    }
    throw new Error('the pages never ended')
  }

  const all = (await get(`/enterprises/${firm}/data-points?limit=1000`)).dataPoints.map((r: { id: string }) => r.id)
  t.ok(all.length > 100, `${all.length} data points`)
  t.same(await pages(`/enterprises/${firm}/data-points`, 'dataPoints', 7), all, 'pages of 7 list every data point once, in the same order')
  t.same(await pages(`/enterprises/${firm}/data-points?dimension=tax`, 'dataPoints', 5), (await get(`/enterprises/${firm}/data-points?dimension=tax&limit=1000`)).dataPoints.map((r: { id: string }) => r.id), 'and within a dimension')

  for (const asOf of ['2020-06-01', '2020-06-05', '2020-06-10', '2020-06-12', '2020-06-15']) {
    const res = await s.app.inject({ method: 'POST', url: '/scores', headers: risk, payload: { uscc: firm, asOf } })
    t.ok(res.statusCode < 300, `scored as of ${asOf} (${res.statusCode})`)
  }
  const scores = (await get(`/enterprises/${firm}/scores?limit=200`)).scores.map((r: { id: string }) => r.id)
  t.equal(scores.length, 5)
  t.same(await pages(`/enterprises/${firm}/scores`, 'scores', 2), scores, 'pages of 2 list every score once, newest first')

  for (const cursor of ['bm9wZQ', Buffer.from(JSON.stringify(['2020-06-15 02:00:00+00', '00000000-0000-4000-8000-000000000000'])).toString('base64url')]) {
    const res = await s.app.inject({ method: 'GET', url: `/enterprises/${firm}/scores?cursor=${cursor}`, headers: risk })
    t.equal(res.statusCode, 400, `a forged cursor → 400`)
    t.same(res.json().errors.map((e: { field: string }) => e.field), ['/querystring/cursor'])
  }
})
