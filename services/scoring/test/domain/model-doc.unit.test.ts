// MODEL.md is generated from the default model (its tables) and states reference profiles: both
// are checked here, so the document cannot drift from the code.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { DEFAULT_MODEL, FEATURE_IDS, FEATURE_SET_VERSION, compileModel, updateModelDoc, type FeatureId, type FeatureSet, type FeatureValue } from '../../src/domain/index.js'
import { AS_OF, USCC } from './fixtures/enterprise.js'

const MODEL_MD = fileURLToPath(new URL('../../MODEL.md', import.meta.url))

t.test('MODEL.md is up to date (regenerate: pnpm exec tsx services/scoring/scripts/generate-model-doc.ts)', async (t) => {
  const current = readFileSync(MODEL_MD, 'utf8')
  t.equal(updateModelDoc(current, DEFAULT_MODEL), current)
  for (const c of DEFAULT_MODEL.characteristics) t.match(current, `##### ${c.id}`)
})

const ESTABLISHED: Record<FeatureId, number | string> = {
  'firm-age-months': 62,
  'legal-status': 'active',
  'tax-rating': 'A',
  'tax-burden-bp-12m': 250,
  'revenue-trend-bp-3m-yoy': 0,
  'headcount-trend-bp-3m-yoy': 0,
  'utility-arrears-months-12m': 0,
  'customs-trend-bp-12m': 'no-data',
  'court-enforcements-24m': 0,
  'administrative-penalties-24m': 0,
  'bank-max-dpd-12m': 0,
  'receivables-overdue-bp': 200,
}

function profile(overrides: Partial<Record<FeatureId, number | string>>): FeatureSet {
  const values = {} as Record<FeatureId, FeatureValue>
  for (const id of FEATURE_IDS) {
    const value = id in overrides ? (overrides[id] as number | string) : ESTABLISHED[id]
    values[id] = value === 'no-data' ? { status: 'missing', missing: 'no-data', dataPointIds: [] } : { status: 'present', value, dataPointIds: [] }
  }
  return { featureSetVersion: FEATURE_SET_VERSION, uscc: USCC, asOf: AS_OF, values, excluded: [] }
}

t.test('the reference profiles of MODEL.md', async (t) => {
  const model = compileModel(DEFAULT_MODEL)
  const cases: [string, Partial<Record<FeatureId, number | string>>, number, string, number][] = [
    ['established, complete data', {}, 744, 'AAA', 7_099],
    ['rating B, no utilities or receivables', { 'tax-rating': 'B', 'utility-arrears-months-12m': 'no-data', 'receivables-overdue-bp': 'no-data' }, 708, 'A', 11_640],
    ['hit by the epidemic', { 'revenue-trend-bp-3m-yoy': -3500, 'headcount-trend-bp-3m-yoy': -1500, 'utility-arrears-months-12m': 2 }, 700, 'A', 12_987],
    [
      'hit hard',
      { 'revenue-trend-bp-3m-yoy': -6000, 'headcount-trend-bp-3m-yoy': -4000, 'utility-arrears-months-12m': 4, 'bank-max-dpd-12m': 15, 'receivables-overdue-bp': 2000 },
      604,
      'B',
      47_431,
    ],
    ['nothing known', Object.fromEntries(FEATURE_IDS.map((id) => [id, 'no-data'])), 530, 'CC', 121_956],
    ['cured default and enforcement', { 'court-enforcements-24m': 2, 'bank-max-dpd-12m': 95 }, 440, 'D', 325_992],
  ]
  const doc = readFileSync(MODEL_MD, 'utf8')
  for (const [name, overrides, score, grade, pdPpm] of cases) {
    const r = model.evaluate(profile(overrides))
    t.same([r.score, r.grade, r.pdPpm], [score, grade, pdPpm], name)
    const percent = `${Math.floor((pdPpm + 50) / 10_000)}.${String(Math.floor((pdPpm + 50) / 100) % 100).padStart(2, '0')}%`
    t.match(doc, `| ${score} | ${grade} | ${percent} |`, `${name} is in MODEL.md`)
  }
})
