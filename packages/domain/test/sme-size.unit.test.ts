import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import {
  SIZE_METRICS,
  SME_SIZE_TABLE_2011,
  classifySmeSize,
  fenFromWanYuan,
  metricsUsed,
  parseSmeSizeCsv,
  parseYuan,
  validateSmeSizeTable,
  type SizeMetric,
  type SmeSizeInput,
  type SmeSizeResult,
  type SmeSizeRule,
  type SmeSizeTable,
  type TierFloors,
} from '../src/index.js'

/** A firm's figures in base units: persons, or fen for money. */
type Figures = Partial<Record<SizeMetric, bigint>>

const toBase = (metric: SizeMetric, tableValue: number): bigint => (metric === 'employees' ? BigInt(tableValue) : fenFromWanYuan(tableValue))
const unitName = (metric: SizeMetric): string => (metric === 'employees' ? 'person' : 'fen')

function input(rule: SmeSizeRule, figures: Figures): SmeSizeInput {
  return {
    industry: rule.industry,
    ...(figures.employees !== undefined ? { employees: Number(figures.employees) } : {}),
    ...(figures.revenue !== undefined ? { revenueFen: figures.revenue } : {}),
    ...(figures.assets !== undefined ? { assetsFen: figures.assets } : {}),
  }
}

/** Every metric of the tier exactly at its floor. */
function atFloors(floors: TierFloors): Figures {
  const out: Figures = {}
  for (const metric of SIZE_METRICS) {
    const floor = floors[metric]
    if (floor !== undefined) out[metric] = toBase(metric, floor)
  }
  return out
}

const size = (result: SmeSizeResult): string => result.size

t.test('the table is shaped the way the generated cases assume', async (t) => {
  t.equal(SME_SIZE_TABLE_2011.length, 16, '16 industries')
  for (const rule of SME_SIZE_TABLE_2011) {
    const floorMetrics = SIZE_METRICS.filter((m) => rule.small[m] !== undefined)
    t.strictSame(metricsUsed(rule), floorMetrics, `${rule.industry}: ceiling metrics are floor metrics`)
    for (const c of rule.smeCeiling) {
      t.ok(c.below > (rule.medium[c.metric] ?? 0), `${rule.industry}: ${c.metric} ceiling above the medium floor`)
    }
  }
})

// Table-driven boundaries, generated from the table: each floor and each ceiling condition of each
// industry at, one unit below and one unit above its threshold.
for (const rule of SME_SIZE_TABLE_2011) {
  t.test(`${rule.industry}: every threshold at, just below and just above`, async (t) => {
    const classify = (figures: Figures): SmeSizeResult => classifySmeSize(input(rule, figures))

    const mediumBase = atFloors(rule.medium)
    t.equal(size(classify(mediumBase)), 'medium', 'all medium floors met exactly')
    for (const metric of SIZE_METRICS) {
      const floor = mediumBase[metric]
      if (floor === undefined) continue
      const label = `medium floor ${metric} ${floor} ${unitName(metric)}`
      t.equal(size(classify({ ...mediumBase, [metric]: floor })), 'medium', `${label}: at`)
      t.equal(size(classify({ ...mediumBase, [metric]: floor + 1n })), 'medium', `${label}: above`)
      const below = classify({ ...mediumBase, [metric]: floor - 1n })
      t.equal(size(below), 'small', `${label}: below drops one tier`)
      t.match(below.reasons, [{ rule: 'sme-ceiling', holds: true }], 'reasons start with the ceiling condition that held')
      t.ok(
        below.reasons.some((r) => r.rule === 'medium-floor' && r.metric === metric && !r.holds && r.threshold === floor && r.actual === floor - 1n),
        `${label}: the failed medium floor is a reason`,
      )
    }

    const smallBase = atFloors(rule.small)
    t.equal(size(classify(smallBase)), 'small', 'all small floors met exactly')
    for (const metric of SIZE_METRICS) {
      const floor = smallBase[metric]
      if (floor === undefined) continue
      const label = `small floor ${metric} ${floor} ${unitName(metric)}`
      t.equal(size(classify({ ...smallBase, [metric]: floor })), 'small', `${label}: at`)
      t.equal(size(classify({ ...smallBase, [metric]: floor + 1n })), 'small', `${label}: above`)
      const below = classify({ ...smallBase, [metric]: floor - 1n })
      t.equal(size(below), 'micro', `${label}: below is micro`)
      t.ok(
        below.reasons.some((r) => r.rule === 'small-floor' && r.metric === metric && !r.holds),
        `${label}: the micro condition is a reason`,
      )
      // ANY micro condition suffices: every other metric at the medium floor.
      t.equal(size(classify({ ...mediumBase, [metric]: floor - 1n })), 'micro', `${label}: below with other metrics medium-sized is micro`)
    }

    // At every ceiling limit, no ceiling condition holds → large.
    const atCeiling: Figures = { ...mediumBase }
    for (const c of rule.smeCeiling) atCeiling[c.metric] = toBase(c.metric, c.below)
    const large = classify(atCeiling)
    t.equal(size(large), 'large', 'at every ceiling limit')
    t.equal(large.reasons.length, rule.smeCeiling.length, 'large: one reason per ceiling condition')
    t.ok(large.reasons.every((r) => r.rule === 'sme-ceiling' && r.operator === '<' && !r.holds), 'large: all ceiling conditions failed')
    for (const c of rule.smeCeiling) {
      const limit = toBase(c.metric, c.below)
      const label = `SME ceiling ${c.metric} < ${limit} ${unitName(c.metric)}`
      t.equal(size(classify({ ...atCeiling, [c.metric]: limit })), 'large', `${label}: at`)
      t.equal(size(classify({ ...atCeiling, [c.metric]: limit + 1n })), 'large', `${label}: above`)
      const below = classify({ ...atCeiling, [c.metric]: limit - 1n })
      t.equal(size(below), 'medium', `${label}: below makes it an SME (medium-sized otherwise)`)
      t.match(below.reasons, [{ rule: 'sme-ceiling', metric: c.metric, holds: true, threshold: limit, actual: limit - 1n }])
    }

    for (const metric of metricsUsed(rule)) {
      const withoutMetric: Figures = { ...mediumBase }
      delete withoutMetric[metric]
      t.strictSame(classify(withoutMetric), { size: 'unknown', industry: rule.industry, missing: [metric], reasons: [] }, `missing ${metric} → unknown`)
    }
    t.strictSame(classify({}), { size: 'unknown', industry: rule.industry, missing: metricsUsed(rule), reasons: [] }, 'nothing known')
  })
}

t.test('worked examples', async (t) => {
  const industry = (employees: number, revenue: string): string =>
    classifySmeSize({ industry: 'industry', employees, revenueFen: parseYuan(revenue) }).size
  t.equal(industry(25, '3000000.00'), 'small', '25 people, CNY 3m: small')
  t.equal(industry(25, '2999999.99'), 'micro', 'one fen under CNY 3m: micro')
  t.equal(industry(19, '100000000.00'), 'micro', '19 people is a micro condition whatever the revenue')
  t.equal(industry(300, '20000000.00'), 'medium')
  t.equal(industry(5000, '399999999.99'), 'medium', 'any ceiling condition makes an SME: 5000 people but revenue under CNY 400m')
  t.equal(industry(999, '5000000000.00'), 'medium', 'under 1000 people with CNY 5bn revenue is still an SME')
  t.equal(industry(1000, '400000000.00'), 'large')

  const retail = classifySmeSize({ industry: 'retail', employees: 8, revenueFen: parseYuan('5000000.00') })
  t.equal(retail.size, 'micro', 'retail, 8 people, CNY 5m: micro (fewer than 10 people)')
  t.match(retail.reasons, [
    { rule: 'sme-ceiling', metric: 'employees', holds: true },
    { rule: 'sme-ceiling', metric: 'revenue', holds: true },
    { rule: 'small-floor', metric: 'employees', operator: '>=', threshold: 10n, actual: 8n, unit: 'persons', holds: false },
  ])
  t.equal(retail.reasons.length, 3)

  const construction = classifySmeSize({ industry: 'construction', revenueFen: fenFromWanYuan(7000), assetsFen: fenFromWanYuan(4999) })
  t.equal(construction.size, 'small', 'construction: revenue medium-sized but assets CNY 49.99m < 50m → small')

  const leasing = classifySmeSize({ industry: 'leasing_business_services', employees: 120, assetsFen: fenFromWanYuan(130000) })
  t.equal(leasing.size, 'medium', 'leasing: 120 people (< 300) is an SME even with CNY 1.3bn assets')

  const realEstate = classifySmeSize({ industry: 'real_estate_development', revenueFen: fenFromWanYuan(300000), assetsFen: fenFromWanYuan(9999) })
  t.equal(realEstate.size, 'medium', 'real estate: assets under CNY 100m make an SME whatever the revenue')
})

t.test("'other' industry: employees only", async (t) => {
  const other = (employees: number): string => classifySmeSize({ industry: 'other', employees }).size
  t.equal(other(0), 'micro')
  t.equal(other(9), 'micro')
  t.equal(other(10), 'small')
  t.equal(other(99), 'small')
  t.equal(other(100), 'medium')
  t.equal(other(299), 'medium')
  t.equal(other(300), 'large')
  t.equal(
    classifySmeSize({ industry: 'other', employees: 50, revenueFen: fenFromWanYuan(10 ** 9), assetsFen: 0n }).size,
    'small',
    'metrics the industry does not use are ignored',
  )
  t.strictSame(classifySmeSize({ industry: 'other', revenueFen: 1n }), { size: 'unknown', industry: 'other', missing: ['employees'], reasons: [] })
})

t.test('never guesses from partial data', async (t) => {
  // 5 people would already be micro, but revenue is unknown: the size is not recorded without it.
  t.strictSame(classifySmeSize({ industry: 'industry', employees: 5 }), {
    size: 'unknown',
    industry: 'industry',
    missing: ['revenue'],
    reasons: [],
  })
})

t.test('refuses impossible figures', async (t) => {
  t.throws(() => classifySmeSize({ industry: 'other', employees: -1 }), { code: 'invalid-argument' })
  t.throws(() => classifySmeSize({ industry: 'other', employees: 10.5 }), { code: 'invalid-argument' })
  t.throws(() => classifySmeSize({ industry: 'retail', employees: 10, revenueFen: -1n }), { code: 'invalid-argument' })
  t.throws(() => classifySmeSize({ industry: 'construction', revenueFen: 1n, assetsFen: -1n }), { code: 'invalid-argument' })
})

t.test('the table is a parameter', async (t) => {
  const custom: SmeSizeTable = [
    { industry: 'other', gb4754Sections: ['other'], medium: { employees: 50 }, small: { employees: 5 }, smeCeiling: [{ metric: 'employees', below: 100 }] },
  ]
  t.equal(classifySmeSize({ industry: 'other', employees: 60 }, custom).size, 'medium')
  t.equal(classifySmeSize({ industry: 'other', employees: 60 }).size, 'small', 'default table unaffected')
  t.throws(() => classifySmeSize({ industry: 'retail', employees: 1, revenueFen: 1n }, custom), { code: 'invalid-table' })
})

// The embedded TS table must equal the CSV it was transcribed from, and the package's copy of the
// CSV must equal the shared reference when the reference is present (generated-artefact check,
// STYLE §11).
const packageCopy = fileURLToPath(new URL('../data/sme-size-2011.csv', import.meta.url))
// The repository root is three levels up from this file; the reference lives beside it.
const reference = fileURLToPath(new URL('../../../../shared/reference/sme-size-2011.csv', import.meta.url))

t.test('TS table equals packages/domain/data/sme-size-2011.csv', async (t) => {
  const parsed = parseSmeSizeCsv(readFileSync(packageCopy, 'utf8'))
  t.strictSame(parsed, SME_SIZE_TABLE_2011)
  t.doesNotThrow(() => validateSmeSizeTable(SME_SIZE_TABLE_2011))
})

t.test(
  'package copy equals the shared reference',
  { skip: existsSync(reference) ? false : `shared reference not found at ${reference}; only the package copy was checked` },
  async (t) => {
    t.equal(readFileSync(packageCopy, 'utf8'), readFileSync(reference, 'utf8'))
  },
)

const HEADER = 'industry,gb4754_sections,medium_min_employees,medium_min_revenue,medium_min_assets,small_min_employees,small_min_revenue,small_min_assets,sme_ceiling'
const OTHER = 'other,other,100,,,10,,,employees<300'

t.test('parseSmeSizeCsv refuses malformed tables', async (t) => {
  const bad: [string, string][] = [
    ['', 'no header'],
    ['# only a comment\n', 'no header'],
    [`industry,sections\n${OTHER}`, 'wrong header'],
    [`${HEADER}\n"other",other,100,,,10,,,employees<300`, 'quoted field'],
    [`${HEADER}\nother,other,100,,,10,,employees<300`, 'missing field'],
    [`${HEADER}\nmining,B,100,,,10,,,employees<300\n${OTHER}`, 'unknown industry'],
    [`${HEADER}\nother,other,100,,,10,,,employees<=300`, 'bad ceiling operator'],
    [`${HEADER}\nother,other,100,,,10,,,headcount<300`, 'bad ceiling metric'],
    [`${HEADER}\nother,other,100.5,,,10,,,employees<300`, 'fractional threshold'],
    [`${HEADER}\nother,other,-100,,,10,,,employees<300`, 'negative threshold'],
    [`${HEADER}\nother,other,10,,,100,,,employees<300`, 'medium floor below small floor'],
    [`${HEADER}\nother,other,100,,,,,10,employees<300`, 'metric in only one tier'],
    [`${HEADER}\nretail,F52,50,500,,10,100,,employees<300 or revenue<20000`, 'no other row'],
    [`${HEADER}\n${OTHER}\n${OTHER}`, 'duplicate industry'],
  ]
  for (const [text, why] of bad) t.throws(() => parseSmeSizeCsv(text), { code: 'invalid-table' }, why)
  t.strictSame(parseSmeSizeCsv(`# comment\r\n${HEADER}\r\n\r\n${OTHER}\r\n`), [
    { industry: 'other', gb4754Sections: ['other'], medium: { employees: 100 }, small: { employees: 10 }, smeCeiling: [{ metric: 'employees', below: 300 }] },
  ], 'CRLF, comments and blank lines are fine')
})
