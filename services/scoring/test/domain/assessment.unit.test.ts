// End to end through the pure pipeline: data points → features → champion and challenger scores →
// hardship, as the service will call it.
import t from 'tap'
import { DEFAULT_MODEL, compileModel, scoreEnterprise, type DataPoint, type ScorecardModel } from '../../src/domain/index.js'
import { AS_OF, CRISIS, MONTHLY_SALES, USCC, d, headcount, healthyFirm, invoice, months, repayment, utility } from './fixtures/enterprise.js'

const champion = compileModel(DEFAULT_MODEL)
/** A challenger with a stricter invoice freshness window (30 days) and a different grade cut. */
const strict: ScorecardModel = {
  ...DEFAULT_MODEL,
  id: 'sme-general-strict',
  version: '0.1.0',
  role: 'challenger',
  freshness: { ...DEFAULT_MODEL.freshness, maxAgeDays: { ...DEFAULT_MODEL.freshness.maxAgeDays, invoices: 30 } },
}
const challenger = compileModel(strict)

/** The healthy firm in 2020: revenue down and recovering, staff kept, invoices last fetched 2020-05-10. */
function hitFirm(): DataPoint[] {
  const recent: Record<string, bigint> = { '2020-02': 3_000_000n, '2020-03': 5_000_000n, '2020-04': 6_500_000n }
  return [
    ...healthyFirm().filter((p) => p.kind !== 'invoice-month' && p.kind !== 'utility-month'),
    ...months('2018-01', '2020-04').map((m) => invoice(m, recent[m] ?? MONTHLY_SALES, { asOf: d('2020-05-10') })),
    ...months('2018-01', '2020-05').map((m) => utility(m, { consumption: m >= '2020-02' ? 3_000 : 5_000, arrears: m === '2020-03' ? 1n : 0n })),
  ]
}

t.test('scores the champion and challengers and assesses hardship in one pure call', async (t) => {
  const input = { uscc: USCC, asOf: AS_OF, points: hitFirm(), crisis: { start: CRISIS } }
  const result = scoreEnterprise({ champion, challengers: [challenger] }, input)

  // Champion: invoice feed confirmed 36 days ago is fresh (62-day window); May not reported, so the
  // window is Feb–Apr: (3 + 5 + 6.5) / 30 → −5,167 bp.
  t.same(result.features.values['revenue-trend-bp-3m-yoy'].status === 'present' && result.features.values['revenue-trend-bp-3m-yoy'].value, -5167)
  const revenue = result.champion.characteristics.find((c) => c.id === 'CH_REVENUE_TREND')
  t.match(revenue, { binId: 'REV_DOWN_50PCT_PLUS', points: 24, reasonCode: 'RC_REVENUE_DECLINE_SEVERE' })
  t.equal(result.champion.score, 744 - 36 - 10)
  t.equal(result.champion.reasons[0]?.code, 'RC_REVENUE_DECLINE_SEVERE')

  // Challenger: the same invoices are stale under its 30-day window; it says so explicitly.
  t.equal(result.challengers.length, 1)
  const stale = result.challengers[0]?.characteristics.find((c) => c.id === 'CH_REVENUE_TREND')
  t.match(stale, { missing: 'stale', binId: 'STALE', points: 44, reasonCode: 'RC_INVOICES_STALE' })
  t.equal(stale?.dataPointIds.length, 28)
  t.equal(result.challengers[0]?.modelId, 'sme-general-strict')
  t.equal(result.challengers[0]?.role, 'challenger')

  // Hardship: revenue and power shocked; revenue recovering, staff kept → temporary shock.
  t.equal(result.hardship?.classification, 'temporary-shock')
  t.same(result.hardship?.reasons.map((r) => r.code), ['HS_SHOCK_REVENUE', 'HS_SHOCK_UTILITIES', 'HS_RECOVERING_REVENUE', 'HS_STABILISING_UTILITIES', 'HS_HEADCOUNT_KEPT'])

  // Replay: the same input gives a deep-equal result.
  t.same(scoreEnterprise({ champion, challengers: [challenger] }, { ...input, points: [...input.points].reverse() }), result)
  // Without a crisis there is no hardship assessment.
  t.equal(scoreEnterprise({ champion }, { uscc: USCC, asOf: AS_OF, points: hitFirm() }).hardship, null)
})

t.test('lineage: every data point id behind the score is recorded', async (t) => {
  const points = [...healthyFirm(), repayment('2020-06', 3, 'L2'), headcount('2020-05', 20, 'housing-fund')]
  const { champion: score, features } = scoreEnterprise({ champion }, { uscc: USCC, asOf: AS_OF, points })
  t.ok(score.dataPointIds.includes('rep-L2-2020-06'))
  t.notOk(score.dataPointIds.includes('hc-housing-fund-2020-05'), 'the fallback was not needed, so not used')
  for (const c of score.characteristics) t.same(c.dataPointIds, features.values[c.feature].dataPointIds, c.id)
})
