// Model validation: the default model is valid, and each kind of defect is reported at its path.
import t from 'tap'
import {
  DEFAULT_MODEL,
  DIMENSIONS,
  FEATURES,
  ScoringError,
  compileModel,
  selectModels,
  validateModel,
  validateModelSet,
  type ScorecardModel,
} from '../../src/domain/index.js'
import { d } from './fixtures/enterprise.js'

/** A deep, mutable copy of the default model to break. */
function copy(): any {
  return structuredClone(DEFAULT_MODEL)
}

const index = (id: string) => DEFAULT_MODEL.characteristics.findIndex((c) => c.id === id)
const AGE = index('CH_FIRM_AGE')
const STATUS = index('CH_LEGAL_STATUS')

t.test('the default model is valid and covers every dimension of POLICY §6', async (t) => {
  t.same(validateModel(DEFAULT_MODEL), [])
  const dimensions = new Set(DEFAULT_MODEL.characteristics.map((c) => FEATURES[c.feature].dimension))
  t.same([...dimensions].sort(), [...DIMENSIONS].sort())
  t.same(DEFAULT_MODEL.scaling, { basePoints: 600, baseOdds: 19, pdo: 50 })
  // Every reason code of the catalogue is used by some bin, and has both texts.
  const used = new Set(DEFAULT_MODEL.characteristics.flatMap((c) => [...c.bins, c.missing['no-data'], c.missing.stale].map((b) => b.reasonCode)))
  for (const [code, text] of Object.entries(DEFAULT_MODEL.reasonCodes)) {
    t.ok(used.has(code), `${code} is used`)
    t.ok(text.zh.length > 0 && text.en.length > 0, `${code} has zh and en`)
  }
})

const defects: [string, (m: any) => void, string, RegExp][] = [
  ['gap between bins', (m) => (m.characteristics[AGE].bins[1].range.min = 13), `/characteristics/${AGE}/bins/1/range/min`, /no gap/],
  ['overlapping bins', (m) => (m.characteristics[AGE].bins[1].range.min = 11), `/characteristics/${AGE}/bins/1/range/min`, /no gap, no overlap/],
  ['first bin bounded below', (m) => (m.characteristics[AGE].bins[0].range.min = 0), `/characteristics/${AGE}/bins/0/range/min`, /open below/],
  ['last bin bounded above', (m) => (m.characteristics[AGE].bins[4].range.max = 1000), `/characteristics/${AGE}/bins/4/range/max`, /open above/],
  ['empty range', (m) => { m.characteristics[AGE].bins[1].range.max = 12; m.characteristics[AGE].bins[2].range.min = 12 }, `/characteristics/${AGE}/bins/1/range`, /empty/],
  ['non-integer bound', (m) => { m.characteristics[AGE].bins[1].range.max = 36.5; m.characteristics[AGE].bins[2].range.min = 36.5 }, `/characteristics/${AGE}/bins/1/range/max`, /integer/],
  ['category bins on an integer feature', (m) => (m.characteristics[AGE].bins[0] = { id: 'X', categories: ['a'], points: 1, reasonCode: 'RC_FIRM_AGE_UNDER_1Y' }), `/characteristics/${AGE}/bins/0`, /need a range/],
  ['category in no bin', (m) => m.characteristics[STATUS].bins.pop(), `/characteristics/${STATUS}/bins`, /category revoked is in no bin/],
  ['category in two bins', (m) => m.characteristics[STATUS].bins[1].categories.push('active'), `/characteristics/${STATUS}/bins/1/categories`, /already in another bin/],
  ['unknown category', (m) => m.characteristics[STATUS].bins[1].categories.push('bankrupt'), `/characteristics/${STATUS}/bins/1/categories`, /not a category/],
  ['range bin on a category feature', (m) => (m.characteristics[STATUS].bins[0] = { id: 'X', range: {}, points: 64 }), `/characteristics/${STATUS}/bins/0`, /need non-empty categories/],
  ['bin below the maximum without a reason code', (m) => delete m.characteristics[AGE].bins[0].reasonCode, `/characteristics/${AGE}/bins/0/reasonCode`, /required: the bin costs 34 points/],
  ['missing bin below the maximum without a reason code', (m) => delete m.characteristics[AGE].missing['no-data'].reasonCode, `/characteristics/${AGE}/missing/no-data/reasonCode`, /required/],
  ['reason code not in the catalogue', (m) => (m.characteristics[AGE].bins[0].reasonCode = 'RC_NOPE'), `/characteristics/${AGE}/bins/0/reasonCode`, /not in the reason-code catalogue/],
  ['catalogue text missing Chinese', (m) => (m.reasonCodes.RC_FIRM_AGE_UNDER_1Y = { zh: '', en: 'Young' }), '/reasonCodes/RC_FIRM_AGE_UNDER_1Y', /zh and en/],
  ['catalogue code badly named', (m) => (m.reasonCodes['young-firm'] = { zh: '新', en: 'new' }), '/reasonCodes/young-firm', /RC_/],
  ['missing stale bin', (m) => delete m.characteristics[AGE].missing.stale, `/characteristics/${AGE}/missing/stale`, /required/],
  ['duplicate bin id', (m) => (m.characteristics[AGE].bins[1].id = 'AGE_UNDER_12M'), `/characteristics/${AGE}/bins/1/id`, /duplicate bin id/],
  ['non-integer points', (m) => (m.characteristics[AGE].bins[1].points = 40.5), `/characteristics/${AGE}/bins/1/points`, /integer/],
  ['duplicate characteristic id', (m) => (m.characteristics[1].id = m.characteristics[0].id), '/characteristics/1/id', /duplicate characteristic/],
  ['unknown feature', (m) => (m.characteristics[0].feature = 'shoe-size'), '/characteristics/0/feature', /unknown feature/],
  ['feature used twice', (m) => m.characteristics.push({ ...m.characteristics[AGE], id: 'CH_AGE_AGAIN' }), `/characteristics/${DEFAULT_MODEL.characteristics.length}/feature`, /already used/],
  ['no characteristics', (m) => (m.characteristics = []), '/characteristics', /non-empty/],
  ['missing rationale', (m) => (m.characteristics[0].rationale = ' '), '/characteristics/0/rationale', /explain/],
  ['grades not descending', (m) => (m.grades[2].minScore = 720), '/grades/2/minScore', /below the previous band/],
  ['last grade bounded', (m) => (m.grades[m.grades.length - 1].minScore = 0), `/grades/${DEFAULT_MODEL.grades.length - 1}/minScore`, /open/],
  ['duplicate grade', (m) => (m.grades[1].grade = 'AAA'), '/grades/1/grade', /duplicate grade/],
  ['pdo of zero', (m) => (m.scaling.pdo = 0), '/scaling/pdo', /≥ 1/],
  ['fractional base odds', (m) => (m.scaling.baseOdds = 19.5), '/scaling/baseOdds', /integer/],
  ['effective period reversed', (m) => (m.effectiveTo = '2019-12-31'), '/effectiveTo', /before effectiveFrom/],
  ['impossible date', (m) => (m.effectiveFrom = '2021-02-29'), '/effectiveFrom', /date/],
  ['unknown role', (m) => (m.role = 'king'), '/role', /champion or challenger/],
  ['features of another version', (m) => (m.featureSetVersion = 'features-1999.1'), '/featureSetVersion', /must be features-/],
  ['freshness window missing', (m) => delete m.freshness.maxAgeDays.customs, '/freshness/maxAgeDays/customs', /days/],
  ['freshness override for an unknown kind', (m) => (m.freshness.maxAgeDaysByKind.weather = 3), '/freshness/maxAgeDaysByKind/weather', /unknown/],
  ['reason count out of range', (m) => (m.reasonCount = 0), '/reasonCount', /1–10/],
  ['empty version', (m) => (m.version = ''), '/version', /identifier/],
]

t.test('each defect is reported at its JSON pointer', async (t) => {
  for (const [name, breakIt, path, message] of defects) {
    const model = copy()
    breakIt(model)
    const issues = validateModel(model)
    const hit = issues.find((issue) => issue.path === path)
    t.ok(hit, `${name}: reported at ${path} (got ${JSON.stringify(issues)})`)
    if (hit !== undefined) t.match(hit.message, message, name)
  }
})

t.test('compileModel refuses an invalid model with every issue listed', async (t) => {
  const model = copy()
  model.scaling.pdo = 0
  model.grades[1].grade = 'AAA'
  try {
    compileModel(model)
    t.fail('compiled an invalid model')
  } catch (error) {
    t.ok(error instanceof ScoringError)
    t.equal((error as ScoringError).code, 'invalid-model')
    t.same((error as ScoringError).issues.map((i) => i.path), ['/scaling/pdo', '/grades/1/grade'])
  }
})

t.test('a compiled model is a frozen copy: later edits of the source do not change scores', async (t) => {
  const model = copy()
  const compiled = compileModel(model)
  model.characteristics[0].bins[0].points = 1000
  t.equal(compiled.model.characteristics[0]?.bins[0]?.points, 28)
  t.ok(Object.isFrozen(compiled.model.characteristics[0]?.bins[0]))
  t.equal(compiled.minScore, 10)
  t.equal(compiled.maxScore, 754)
})

function variant(fields: Partial<ScorecardModel>): ScorecardModel {
  return { ...DEFAULT_MODEL, ...fields }
}

t.test('a model set allows one champion per segment at a time', async (t) => {
  const v1 = variant({ version: '1', effectiveFrom: d('2020-01-01'), effectiveTo: d('2020-06-30') })
  const v2 = variant({ version: '2', effectiveFrom: d('2020-07-01'), effectiveTo: null })
  const shadow = variant({ id: 'fitted', version: '1', role: 'challenger', effectiveFrom: d('2020-03-01'), effectiveTo: null })
  const otherSegment = variant({ id: 'micro', segment: 'micro', version: '1', effectiveFrom: d('2020-01-01'), effectiveTo: null })
  t.same(validateModelSet([v1, v2, shadow, otherSegment]), [])

  const overlapping = variant({ version: '3', effectiveFrom: d('2020-06-30'), effectiveTo: null })
  const issues = validateModelSet([v1, v2, overlapping])
  t.equal(issues.length, 2, 'v3 overlaps v1 on 2020-06-30 and v2 from 2020-07-01')
  t.match(issues[0]?.message, /overlaps champion sme-general-default@1/)
  t.match(validateModelSet([v1, v1])[0]?.message, /appears twice/)
  t.equal(validateModelSet([variant({ version: '4', reasonCount: 0 })])[0]?.path, '/0/reasonCount')
})

t.test('selectModels picks the champion in force and the challengers, effective dates inclusive', async (t) => {
  const v1 = variant({ version: '1', effectiveFrom: d('2020-01-01'), effectiveTo: d('2020-06-30') })
  const v2 = variant({ version: '2', effectiveFrom: d('2020-07-01'), effectiveTo: null })
  const b = variant({ id: 'b-fitted', version: '1', role: 'challenger', effectiveFrom: d('2020-03-01'), effectiveTo: null })
  const a = variant({ id: 'a-fitted', version: '1', role: 'challenger', effectiveFrom: d('2020-03-01'), effectiveTo: d('2020-06-30') })
  const models = [v2, b, v1, a]
  t.equal(selectModels(models, 'sme-general', d('2020-06-30')).champion.version, '1')
  t.equal(selectModels(models, 'sme-general', d('2020-07-01')).champion.version, '2')
  t.same(selectModels(models, 'sme-general', d('2020-06-30')).challengers.map((m) => m.id), ['a-fitted', 'b-fitted'])
  t.same(selectModels(models, 'sme-general', d('2020-07-01')).challengers.map((m) => m.id), ['b-fitted'])
  t.same(selectModels(models, 'sme-general', d('2020-02-01')).challengers, [])
  t.throws(() => selectModels(models, 'sme-general', d('2019-12-31')), { code: 'no-champion' })
  t.throws(() => selectModels(models, 'micro', d('2020-07-01')), { code: 'no-champion' })
  t.throws(() => selectModels([v1, variant({ version: 'x' })], 'sme-general', d('2020-03-01')), { code: 'invalid-model' })
  // Compiled models can be selected too.
  const compiled = [compileModel(v1), compileModel(b)]
  t.equal(selectModels(compiled, 'sme-general', d('2020-04-01')).champion, compiled[0])
})
