// The scorecard as a pure function: bins and their edges, missing and stale bins, score = Σ points,
// grades, reason ranking and tie-breaking, determinism.
import fc from 'fast-check'
import t from 'tap'
import {
  DEFAULT_MODEL,
  FEATURES,
  FEATURE_IDS,
  FEATURE_SET_VERSION,
  compileModel,
  evaluate,
  isRangeBin,
  probabilityOfDefault,
  type FeatureId,
  type FeatureSet,
  type FeatureValue,
  type ScorecardModel,
} from '../../src/domain/index.js'
import { AS_OF, USCC, d } from './fixtures/enterprise.js'

const compiled = compileModel(DEFAULT_MODEL)

/** The best value of each feature under the default model: scores the maximum, 754. */
const BEST: Record<FeatureId, number | string> = {
  'firm-age-months': 200,
  'legal-status': 'active',
  'tax-rating': 'A',
  'tax-burden-bp-12m': 400,
  'revenue-trend-bp-3m-yoy': 0,
  'headcount-trend-bp-3m-yoy': 0,
  'utility-arrears-months-12m': 0,
  'customs-trend-bp-12m': 0,
  'court-enforcements-24m': 0,
  'administrative-penalties-24m': 0,
  'bank-max-dpd-12m': 0,
  'receivables-overdue-bp': 0,
}

function features(overrides: Partial<Record<FeatureId, number | string | 'no-data' | 'stale'>> = {}): FeatureSet {
  const values = {} as Record<FeatureId, FeatureValue>
  for (const id of FEATURE_IDS) {
    const value = id in overrides ? (overrides[id] as number | string) : BEST[id]
    values[id] =
      value === 'no-data' || value === 'stale'
        ? { status: 'missing', missing: value, dataPointIds: value === 'stale' ? [`${id}-old`] : [] }
        : { status: 'present', value, dataPointIds: [`${id}-1`] }
  }
  return { featureSetVersion: FEATURE_SET_VERSION, uscc: USCC, asOf: AS_OF, values, excluded: [] }
}

const result = (overrides: Parameters<typeof features>[0] = {}) => compiled.evaluate(features(overrides))
const characteristic = (r: ReturnType<typeof result>, id: string) => r.characteristics.find((c) => c.id === id)

t.test('the best value of every characteristic scores the maximum, with no reasons', async (t) => {
  const r = result()
  t.equal(r.score, 754)
  t.equal(r.score, compiled.maxScore)
  t.equal(r.grade, 'AAA')
  t.same(r.reasons, [])
  t.same(r.characteristics.map((c) => c.pointsLost), new Array(12).fill(0))
  t.same(r.characteristics.map((c) => c.reasonCode), new Array(12).fill(null))
})

t.test('every edge of every integer bin: min goes to the bin, min − 1 to the one before', async (t) => {
  for (const c of DEFAULT_MODEL.characteristics) {
    if (FEATURES[c.feature].type !== 'integer') continue
    c.bins.forEach((bin, i) => {
      if (i === 0 || !isRangeBin(bin)) return
      const previous = c.bins[i - 1] as (typeof c.bins)[number]
      const min = bin.range.min as number
      const at = characteristic(result({ [c.feature]: min }), c.id)
      const below = characteristic(result({ [c.feature]: min - 1 }), c.id)
      t.equal(at?.binId, bin.id, `${c.id} ${min} → ${bin.id}`)
      t.equal(at?.points, bin.points)
      t.equal(below?.binId, previous.id, `${c.id} ${min - 1} → ${previous.id}`)
      t.equal(below?.points, previous.points)
    })
    // The open ends take anything.
    const first = c.bins[0]
    const last = c.bins[c.bins.length - 1]
    t.equal(characteristic(result({ [c.feature]: Number.MIN_SAFE_INTEGER }), c.id)?.binId, first?.id)
    t.equal(characteristic(result({ [c.feature]: Number.MAX_SAFE_INTEGER }), c.id)?.binId, last?.id)
  }
})

t.test('category bins: each category lands in its bin', async (t) => {
  for (const c of DEFAULT_MODEL.characteristics) {
    if (FEATURES[c.feature].type !== 'category') continue
    for (const bin of c.bins) {
      if (isRangeBin(bin)) continue
      for (const category of bin.categories) t.equal(characteristic(result({ [c.feature]: category }), c.id)?.binId, bin.id, `${c.id} ${category}`)
    }
  }
  const r = result({ 'legal-status': 'revoked' })
  t.equal(r.score, 754 - 124)
  t.equal(r.reasons[0]?.code, 'RC_LEGAL_STATUS_TERMINATED')
})

t.test('missing data takes its own bin: no-data and stale, never a silent zero', async (t) => {
  for (const c of DEFAULT_MODEL.characteristics) {
    for (const reason of ['no-data', 'stale'] as const) {
      const r = result({ [c.feature]: reason })
      const got = characteristic(r, c.id)
      const bin = c.missing[reason]
      t.equal(got?.binId, bin.id, `${c.id} ${reason}`)
      t.equal(got?.points, bin.points)
      t.equal(got?.value, null)
      t.equal(got?.missing, reason)
      t.equal(got?.reasonCode, bin.reasonCode ?? null)
      t.equal(r.score, 754 - (got?.pointsLost ?? NaN))
      t.same(got?.dataPointIds, reason === 'stale' ? [`${c.feature}-old`] : [], 'stale values keep the ids of the stale points')
    }
  }
  // Customs absence is neutral by design (most SMEs do not trade), stale customs is not.
  t.equal(characteristic(result({ 'customs-trend-bp-12m': 'no-data' }), 'CH_CUSTOMS_TREND')?.pointsLost, 0)
  t.equal(characteristic(result({ 'customs-trend-bp-12m': 'stale' }), 'CH_CUSTOMS_TREND')?.reasonCode, 'RC_CUSTOMS_STALE')
  // Nothing known at all.
  const nothing = result(Object.fromEntries(FEATURE_IDS.map((id) => [id, 'no-data'])))
  t.equal(nothing.score, 530)
  t.equal(nothing.grade, 'CC')
})

t.test('reasons: largest deductions first, ties in model order, one per code, at most reasonCount', async (t) => {
  const r = result({
    'court-enforcements-24m': 1, // loses 40
    'firm-age-months': 6, // loses 34, and is before the bank characteristic in the model
    'bank-max-dpd-12m': 5, // loses 34
    'revenue-trend-bp-3m-yoy': -3000, // loses 20
    'tax-rating': 'B', // loses 14: fifth, not reported
  })
  t.same(
    r.reasons.map((reason) => [reason.code, reason.characteristicId, reason.pointsLost]),
    [
      ['RC_COURT_ENFORCEMENT', 'CH_COURT_ENFORCEMENT', 40],
      ['RC_FIRM_AGE_UNDER_1Y', 'CH_FIRM_AGE', 34],
      ['RC_DPD_1_29', 'CH_BANK_MAX_DPD', 34],
      ['RC_REVENUE_DECLINE', 'CH_REVENUE_TREND', 20],
    ],
  )
  t.same(r.reasons[0]?.text, { zh: '近24个月有1条被执行记录', en: 'One court enforcement record in the last 24 months' })
  t.equal(r.score, 754 - 40 - 34 - 34 - 20 - 14)

  // A shared code is reported once, for the characteristic that lost most (ties: model order).
  const shared = result({ 'firm-age-months': 'no-data', 'legal-status': 'no-data' })
  t.same(shared.reasons.map((reason) => [reason.code, reason.characteristicId]), [['RC_REGISTRATION_NO_DATA', 'CH_FIRM_AGE']])
  t.equal(shared.score, 754 - 24 - 24)

  // Fewer deductions than reasonCount: only those.
  t.same(result({ 'tax-rating': 'M' }).reasons.map((reason) => reason.code), ['RC_TAX_RATING_NEW'])
})

/** A one-characteristic model whose scores straddle its grade boundaries. */
const tiny: ScorecardModel = {
  ...DEFAULT_MODEL,
  id: 'tiny',
  version: '1',
  characteristics: [
    {
      id: 'CH_AGE',
      feature: 'firm-age-months',
      name: { zh: '年限', en: 'Age' },
      rationale: 'Test.',
      bins: [
        { id: 'B49', range: { max: 10 }, points: 49, reasonCode: 'RC_FIRM_AGE_UNDER_1Y' },
        { id: 'B50', range: { min: 10, max: 20 }, points: 50, reasonCode: 'RC_FIRM_AGE_UNDER_1Y' },
        { id: 'B99', range: { min: 20, max: 30 }, points: 99, reasonCode: 'RC_FIRM_AGE_UNDER_3Y' },
        { id: 'B100', range: { min: 30 }, points: 100 },
      ],
      missing: { 'no-data': { id: 'NO_DATA', points: 0, reasonCode: 'RC_REGISTRATION_NO_DATA' }, stale: { id: 'STALE', points: 0, reasonCode: 'RC_REGISTRATION_STALE' } },
    },
  ],
  grades: [
    { grade: 'A', minScore: 100 },
    { grade: 'B', minScore: 50 },
    { grade: 'C', minScore: null },
  ],
  reasonCount: 2,
}

t.test('grade bands: minScore is inclusive; the last band takes everything below', async (t) => {
  const m = compileModel(tiny)
  const grade = (age: number | 'no-data') => m.evaluate(features({ 'firm-age-months': age }))
  t.same([grade(35).score, grade(35).grade], [100, 'A'])
  t.same([grade(25).score, grade(25).grade], [99, 'B'])
  t.same([grade(15).score, grade(15).grade], [50, 'B'])
  t.same([grade(5).score, grade(5).grade], [49, 'C'])
  t.same([grade('no-data').score, grade('no-data').grade], [0, 'C'])
  t.equal(grade(15).pdPpm, probabilityOfDefault(tiny.scaling, 50).pdPpm)
  t.same(grade(25).dataPointIds, ['firm-age-months-1'], 'only the ids of features the model uses')
})

t.test('the result records model, inputs and lineage', async (t) => {
  const r = result({ 'tax-rating': 'stale' })
  t.match(r, { modelId: 'sme-general-default', modelVersion: '2020.1.0', segment: 'sme-general', role: 'champion', featureSetVersion: FEATURE_SET_VERSION, uscc: USCC, asOf: AS_OF })
  t.same(r.characteristics.map((c) => c.id), DEFAULT_MODEL.characteristics.map((c) => c.id))
  t.equal(r.dataPointIds.length, 12)
  t.same(r.dataPointIds, [...r.dataPointIds].sort())
  t.ok(r.dataPointIds.includes('tax-rating-old'))
})

t.test('refuses features it cannot score', async (t) => {
  t.throws(() => compiled.evaluate({ ...features(), featureSetVersion: 'features-1999.1' }), { code: 'invalid-argument' })
  t.throws(() => result({ 'firm-age-months': 'twelve' }), { code: 'invalid-argument' })
  t.throws(() => result({ 'firm-age-months': 12.5 }), { code: 'invalid-argument' })
  t.throws(() => result({ 'tax-rating': 'AAA' }), { code: 'invalid-argument' })
  t.throws(() => result({ 'tax-rating': 1 }), { code: 'invalid-argument' })
  const partial = features()
  const { 'tax-rating': _, ...rest } = partial.values
  t.throws(() => compiled.evaluate({ ...partial, values: rest as FeatureSet['values'] }), { code: 'invalid-argument' })
})

// ---------------------------------------------------------------------------------------------
// Properties over arbitrary feature sets.

const anyValue = (id: FeatureId): fc.Arbitrary<FeatureValue> => {
  const spec = FEATURES[id]
  const ids = fc.uniqueArray(fc.stringMatching(/^[a-z0-9-]{1,8}$/), { maxLength: 4 }).map((list) => list.sort())
  const present =
    spec.type === 'integer'
      ? fc.oneof(fc.integer({ min: -12_000, max: 12_000 }), fc.integer({ min: -2, max: 130 }))
      : fc.constantFrom(...((spec as { categories: readonly string[] }).categories ?? []))
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ status: fc.constant('present' as const), value: present, dataPointIds: ids }) },
    { weight: 1, arbitrary: fc.record({ status: fc.constant('missing' as const), missing: fc.constantFrom('no-data' as const, 'stale' as const), dataPointIds: ids }) },
  )
}

const anyFeatureSet: fc.Arbitrary<FeatureSet> = fc
  .record(Object.fromEntries(FEATURE_IDS.map((id) => [id, anyValue(id)])) as { [K in FeatureId]: fc.Arbitrary<FeatureValue> })
  .map((values) => ({ featureSetVersion: FEATURE_SET_VERSION, uscc: USCC, asOf: d('2020-06-15'), values, excluded: [] }))

/** Reference binning, written independently of the compiled lookup. */
function referenceBin(model: ScorecardModel, index: number, value: FeatureValue) {
  const c = model.characteristics[index]!
  if (value.status === 'missing') return c.missing[value.missing]
  return c.bins.find((bin) =>
    isRangeBin(bin)
      ? (bin.range.min === undefined || (value.value as number) >= bin.range.min) && (bin.range.max === undefined || (value.value as number) < bin.range.max)
      : bin.categories.includes(value.value as string),
  )!
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

t.test('property: evaluation is a pure function and the score is the sum of the points', async (t) => {
  fc.assert(
    fc.property(anyFeatureSet, (fs) => {
      deepFreeze(fs) // evaluation must not write to its input
      const a = compiled.evaluate(fs)
      const b = evaluate(DEFAULT_MODEL, structuredClone(fs)) // plain model, a copy of the input
      t.same(b, a)
      let sum = 0
      a.characteristics.forEach((c, i) => {
        const bin = referenceBin(DEFAULT_MODEL, i, fs.values[c.feature])
        if (c.binId !== bin.id || c.points !== bin.points) throw new Error(`${c.id}: ${c.binId} vs reference ${bin.id}`)
        sum += c.points
      })
      if (a.score !== sum) throw new Error(`score ${a.score} ≠ Σ points ${sum}`)
      if (a.score < compiled.minScore || a.score > compiled.maxScore) throw new Error('score out of range')
      if (a.pdPpm !== probabilityOfDefault(DEFAULT_MODEL.scaling, a.score).pdPpm) throw new Error('pd')
      const band = DEFAULT_MODEL.grades.find((g) => g.minScore === null || a.score >= g.minScore)
      if (a.grade !== band?.grade) throw new Error('grade')
      // Reasons: ≤ reasonCount, distinct, positive, non-increasing.
      if (a.reasons.length > DEFAULT_MODEL.reasonCount) throw new Error('too many reasons')
      if (new Set(a.reasons.map((r) => r.code)).size !== a.reasons.length) throw new Error('duplicate reason')
      a.reasons.forEach((r, i) => {
        if (r.pointsLost <= 0) throw new Error('reason without a deduction')
        if (i > 0 && r.pointsLost > (a.reasons[i - 1]?.pointsLost ?? Infinity)) throw new Error('reasons out of order')
      })
      const ids = [...new Set(Object.values(fs.values).flatMap((v) => v.dataPointIds))].sort()
      if (JSON.stringify(a.dataPointIds) !== JSON.stringify(ids)) throw new Error('lineage')
    }),
    { numRuns: 400 },
  )
})
