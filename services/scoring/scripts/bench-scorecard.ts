// Rough in-process throughput of the pure scoring functions on one core (issue 3 goal: > 100,000
// scorecard evaluations per second). Not a test: timings depend on the machine.
// Run: pnpm exec tsx services/scoring/scripts/bench-scorecard.ts
import {
  DEFAULT_MODEL,
  FEATURES,
  FEATURE_IDS,
  FEATURE_SET_VERSION,
  assessHardship,
  compileModel,
  deriveFeatures,
  type FeatureId,
  type FeatureSet,
  type FeatureValue,
} from '../src/domain/index.js'
import { AS_OF, CRISIS, USCC, healthyFirm } from '../test/domain/fixtures/enterprise.js'

const compiled = compileModel(DEFAULT_MODEL)

// 1,024 varied feature sets (deterministic pseudo-random), so the bins and PD cache are exercised.
let seed = 42
const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31)
const sets: FeatureSet[] = Array.from({ length: 1024 }, () => {
  const values = {} as Record<FeatureId, FeatureValue>
  for (const id of FEATURE_IDS) {
    const spec = FEATURES[id]
    const roll = next() % 20
    values[id] =
      roll === 0
        ? { status: 'missing', missing: roll % 2 === 0 ? 'no-data' : 'stale', dataPointIds: [] }
        : {
            status: 'present',
            value: spec.type === 'integer' ? (next() % 12_000) - 6_000 : ((spec as { categories: readonly string[] }).categories[next() % 5] ?? 'active'),
            dataPointIds: [`${id}-a`, `${id}-b`],
          }
  }
  return { featureSetVersion: FEATURE_SET_VERSION, uscc: USCC, asOf: AS_OF, values, excluded: [] }
})

function rate(name: string, iterations: number, run: (i: number) => unknown): void {
  for (let i = 0; i < Math.min(iterations, 20_000); i++) run(i) // warm-up
  const start = process.hrtime.bigint()
  let sink = 0
  for (let i = 0; i < iterations; i++) sink += run(i) === undefined ? 0 : 1
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  console.log(`${name}: ${Math.floor(iterations / seconds).toLocaleString('en')} /s (${iterations.toLocaleString('en')} in ${seconds.toFixed(2)} s, ${sink === iterations ? 'ok' : '?'})`)
}

rate('scorecard evaluate (compiled)', 1_000_000, (i) => compiled.evaluate(sets[i & 1023] as FeatureSet))
const points = healthyFirm()
rate('deriveFeatures (healthy firm, 150 data points)', 5_000, () => deriveFeatures({ uscc: USCC, asOf: AS_OF, points, freshness: DEFAULT_MODEL.freshness }))
rate('assessHardship (same points)', 5_000, () => assessHardship({ points, asOf: AS_OF, crisisStart: CRISIS }))
