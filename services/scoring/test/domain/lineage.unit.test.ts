import t from 'tap'
import { compileModel, DEFAULT_MODEL, deriveFeatures, type ScorecardModel } from '../../src/domain/index.js'
import { AS_OF, healthyFirm, USCC } from './fixtures/enterprise.js'

// A model that reads every feature records the feature set's precomputed union of data-point ids;
// any other model (or a hand-built feature set without the union) collects its own. Both must agree.
const features = deriveFeatures({ uscc: USCC, asOf: AS_OF, points: healthyFirm(), freshness: DEFAULT_MODEL.freshness })

t.test('the precomputed lineage equals the one collected per evaluation', async (t) => {
  t.ok(features.dataPointIds && features.dataPointIds.length > 10, 'derivation computes the union once')
  const compiled = compileModel(DEFAULT_MODEL)
  const fast = compiled.evaluate(features)
  const { dataPointIds: _omit, ...handBuilt } = features
  const collected = compiled.evaluate(handBuilt)
  t.same(fast, collected, 'same result either way')
  t.same(fast.dataPointIds, [...new Set(fast.characteristics.flatMap((c) => c.dataPointIds))].sort(), 'exactly the ids behind the characteristics')
})

t.test('a model that leaves a feature out records only the ids it read', async (t) => {
  // A characteristic with data points no other characteristic reads.
  const idsOf = (feature: string) => features.values[feature as keyof typeof features.values].dataPointIds
  const dropped = DEFAULT_MODEL.characteristics.find((c) =>
    idsOf(c.feature).some((id) => !DEFAULT_MODEL.characteristics.some((o) => o.id !== c.id && idsOf(o.feature).includes(id))),
  )!
  const partial: ScorecardModel = { ...structuredClone(DEFAULT_MODEL), id: 'partial', characteristics: structuredClone(DEFAULT_MODEL.characteristics).filter((c) => c.id !== dropped.id) }
  const result = compileModel(partial).evaluate(features)
  const expected = [...new Set(result.characteristics.flatMap((c) => c.dataPointIds))].sort()
  t.same(result.dataPointIds, expected)
  t.ok(result.dataPointIds.length < features.dataPointIds!.length, `${dropped.feature}'s own ids are not claimed`)
})
