import type { CalendarDate } from '@sme/domain'
import { ScoringError } from './errors.js'
import { FEATURE_IDS, FEATURES, type FeatureId, type FeatureSet, type MissingReason } from './features.js'
import { deepFreeze, isRangeBin, maxPointsOf, validateModel, type LocalizedText, type ModelRole, type ScorecardModel } from './model.js'
import { probabilityOfDefault } from './scaling.js'

/** How one characteristic scored. */
export interface CharacteristicResult {
  readonly id: string
  readonly feature: FeatureId
  /** The feature value binned; `null` when missing (then `missing` says why). */
  readonly value: number | string | null
  readonly missing: MissingReason | null
  readonly binId: string
  readonly points: number
  /** Points below the characteristic's best bin (≥ 0): what ranks the reasons. */
  readonly pointsLost: number
  /** The bin's reason code; `null` for a best bin. */
  readonly reasonCode: string | null
  /** Lineage: the data points behind the value (see `FeatureValue`). */
  readonly dataPointIds: readonly string[]
}

/** One of the top reasons of a score: a characteristic that cost points. */
export interface ScoreReason {
  /** Stable reason code, e.g. `RC_TAX_RATING_LOW`. */
  readonly code: string
  readonly text: LocalizedText
  readonly characteristicId: string
  readonly pointsLost: number
}

/**
 * A score with everything needed to explain and replay it: model identity, inputs (feature values
 * and data-point ids), points per characteristic, reasons and the result. Plain data; evaluating
 * the same features with the same model gives a deep-equal result.
 */
export interface ScoreResult {
  readonly modelId: string
  readonly modelVersion: string
  readonly segment: string
  readonly role: ModelRole
  readonly featureSetVersion: string
  readonly uscc: string
  readonly asOf: CalendarDate
  /** The sum of the characteristics' points, an integer. */
  readonly score: number
  /** Probability of default in parts per million (integer); the stored form. */
  readonly pdPpm: number
  /** The same as a number, exactly `pdPpm / 1e6`. */
  readonly pd: number
  readonly grade: string
  /** In model order. */
  readonly characteristics: readonly CharacteristicResult[]
  /** The largest deductions, at most `reasonCount`, largest first; ties in model order; one per code. */
  readonly reasons: readonly ScoreReason[]
  /** Every data point used by any characteristic, sorted, without duplicates. */
  readonly dataPointIds: readonly string[]
}

/** A validated model with its bin lookups precomputed; evaluate as often as needed. */
export interface CompiledModel {
  /** A frozen copy of the model compiled. */
  readonly model: ScorecardModel
  /** The lowest and highest score any input can reach. */
  readonly minScore: number
  readonly maxScore: number
  evaluate(features: FeatureSet): ScoreResult
}

interface CompiledCharacteristic {
  readonly id: string
  readonly feature: FeatureId
  readonly integer: boolean
  /** For integer features: exclusive upper bounds of bins 0 … n − 2 (the last bin is open). */
  readonly upper: readonly number[]
  /** For category features: category → bin index. */
  readonly categoryBin: ReadonlyMap<string, number>
  readonly binIds: readonly string[]
  readonly binPoints: readonly number[]
  readonly binReasons: readonly (string | null)[]
  /** Index of the missing bins in the arrays above. */
  readonly noDataBin: number
  readonly staleBin: number
  readonly maxPoints: number
}

/**
 * Validates `model` and precomputes what evaluation needs: bin bounds as arrays, category maps,
 * each characteristic's maximum, a PD cache per score. Evaluation then does no validation, no
 * sorting and no floating point.
 *
 * @throws ScoringError `invalid-model` listing every problem found by {@link validateModel}.
 */
export function compileModel(model: ScorecardModel): CompiledModel {
  const issues = validateModel(model)
  if (issues.length > 0) throw new ScoringError('invalid-model', `model ${String(model?.id)} ${String(model?.version)} is invalid`, issues)
  return new CompiledScorecard(deepFreeze(structuredClone(model)))
}

const compiledCache = new WeakMap<ScorecardModel, CompiledModel>()

/**
 * Scores `features` with `model`: the characteristic values are binned, points summed into the
 * score, the score mapped to a PD (the model's scaling) and a grade, and the largest deductions
 * reported as reasons. A pure function. Given a plain model, compiles it once (cached per object);
 * prefer {@link compileModel} and `compiled.evaluate` in a loop.
 *
 * Does not check the model's effective dates: a replay or a back-test scores with whatever model it
 * is given; choosing the champion in force is `selectModels`'s job.
 *
 * @throws ScoringError `invalid-model` for an invalid model; `invalid-argument` when the features
 *   come from another feature-set version or a value has the wrong type.
 */
export function evaluate(model: ScorecardModel | CompiledModel, features: FeatureSet): ScoreResult {
  if (model instanceof CompiledScorecard) return model.evaluate(features)
  const plain = model as ScorecardModel
  let compiled = compiledCache.get(plain)
  if (compiled === undefined) {
    compiled = compileModel(plain)
    compiledCache.set(plain, compiled)
  }
  return compiled.evaluate(features)
}

class CompiledScorecard implements CompiledModel {
  readonly model: ScorecardModel
  readonly minScore: number
  readonly maxScore: number
  readonly #characteristics: readonly CompiledCharacteristic[]
  readonly #texts: Readonly<Record<string, LocalizedText>>
  readonly #reasonCount: number
  /** Whether the model reads every feature: its lineage is then the feature set's own union of ids. */
  readonly #readsEveryFeature: boolean
  /** PD in ppm per score − minScore; 0 = not computed yet (a PD is never below 1 ppm). */
  readonly #pdCache: Int32Array

  constructor(model: ScorecardModel) {
    this.model = model
    this.#texts = model.reasonCodes
    this.#reasonCount = model.reasonCount
    this.#characteristics = model.characteristics.map(compileCharacteristic)
    this.#readsEveryFeature = FEATURE_IDS.every((f) => this.#characteristics.some((c) => c.feature === f))
    let min = 0
    let max = 0
    for (const c of this.#characteristics) {
      min += Math.min(...c.binPoints)
      max += c.maxPoints
    }
    this.minScore = min
    this.maxScore = max
    this.#pdCache = new Int32Array(max - min + 1)
  }

  evaluate(features: FeatureSet): ScoreResult {
    if (features.featureSetVersion !== this.model.featureSetVersion) {
      throw new ScoringError('invalid-argument', `features ${features.featureSetVersion} cannot be scored by a model for ${this.model.featureSetVersion}`)
    }
    const compiled = this.#characteristics
    const count = compiled.length
    const results: CharacteristicResult[] = new Array(count)
    // The feature set's own union when the model reads every feature; otherwise collected here.
    const lineage = this.#readsEveryFeature ? features.dataPointIds : undefined
    const ids: string[] = []
    let score = 0
    for (let i = 0; i < count; i++) {
      const c = compiled[i] as CompiledCharacteristic
      const fv = features.values[c.feature]
      if (fv === undefined) throw new ScoringError('invalid-argument', `feature ${c.feature} is absent from the feature set`)
      let bin: number
      let value: number | string | null = null
      let missing: MissingReason | null = null
      if (fv.status === 'missing') {
        missing = fv.missing
        bin = missing === 'stale' ? c.staleBin : c.noDataBin
      } else {
        value = fv.value
        bin = c.integer ? rangeBin(c, value) : categoryBin(c, value)
      }
      const points = c.binPoints[bin] as number
      score += points
      if (!lineage) {
        const used = fv.dataPointIds
        for (let j = 0; j < used.length; j++) ids.push(used[j] as string)
      }
      results[i] = {
        id: c.id,
        feature: c.feature,
        value,
        missing,
        binId: c.binIds[bin] as string,
        points,
        pointsLost: c.maxPoints - points,
        reasonCode: c.binReasons[bin] ?? null,
        dataPointIds: fv.dataPointIds,
      }
    }
    const pdPpm = this.#pdPpm(score)
    return {
      modelId: this.model.id,
      modelVersion: this.model.version,
      segment: this.model.segment,
      role: this.model.role,
      featureSetVersion: features.featureSetVersion,
      uscc: features.uscc,
      asOf: features.asOf,
      score,
      pdPpm,
      pd: pdPpm / 1_000_000,
      grade: this.#grade(score),
      characteristics: results,
      reasons: this.#reasons(results),
      dataPointIds: lineage ?? sortedUnique(ids),
    }
  }

  #pdPpm(score: number): number {
    const slot = score - this.minScore
    let pdPpm = this.#pdCache[slot] as number
    if (pdPpm === 0) {
      pdPpm = probabilityOfDefault(this.model.scaling, score).pdPpm
      this.#pdCache[slot] = pdPpm
    }
    return pdPpm
  }

  #grade(score: number): string {
    for (const band of this.model.grades) if (band.minScore === null || score >= band.minScore) return band.grade
    // Unreachable: validation requires the last band to be open.
    throw new ScoringError('invalid-model', 'no grade band for the score')
  }

  /**
   * The `reasonCount` largest deductions: characteristics with points lost > 0 and a reason code,
   * by points lost descending, ties to the earlier characteristic in the model (a stable order the
   * model author controls), each code once. Selection by repeated scan: k × n with n ≈ 12, no sort.
   */
  #reasons(results: readonly CharacteristicResult[]): ScoreReason[] {
    const reasons: ScoreReason[] = []
    while (reasons.length < this.#reasonCount) {
      let best: CharacteristicResult | undefined
      for (const r of results) {
        if (r.pointsLost <= 0 || r.reasonCode === null || (best !== undefined && r.pointsLost <= best.pointsLost)) continue
        if (!isTaken(reasons, r.reasonCode)) best = r
      }
      if (best === undefined || best.reasonCode === null) break
      reasons.push({ code: best.reasonCode, text: this.#texts[best.reasonCode] as LocalizedText, characteristicId: best.id, pointsLost: best.pointsLost })
    }
    return reasons
  }
}

function isTaken(reasons: readonly ScoreReason[], code: string): boolean {
  for (let i = 0; i < reasons.length; i++) if ((reasons[i] as ScoreReason).code === code) return true
  return false
}

/** Sorts `ids` in place and drops repeats (a point can feed several characteristics). */
function sortedUnique(ids: string[]): string[] {
  ids.sort()
  let kept = 0
  for (let i = 0; i < ids.length; i++) {
    if (i === 0 || ids[i] !== ids[kept - 1]) ids[kept++] = ids[i] as string
  }
  ids.length = kept
  return ids
}

function rangeBin(c: CompiledCharacteristic, value: number | string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new ScoringError('invalid-argument', `feature ${c.feature} must be an integer, got ${JSON.stringify(value)}`)
  }
  const upper = c.upper
  const n = upper.length
  let i = 0
  while (i < n && value >= (upper[i] as number)) i++
  return i
}

function categoryBin(c: CompiledCharacteristic, value: number | string): number {
  const bin = typeof value === 'string' ? c.categoryBin.get(value) : undefined
  if (bin === undefined) throw new ScoringError('invalid-argument', `feature ${c.feature} has no category ${JSON.stringify(value)}`)
  return bin
}

function compileCharacteristic(characteristic: ScorecardModel['characteristics'][number]): CompiledCharacteristic {
  const bins = characteristic.bins
  const integer = FEATURES[characteristic.feature].type === 'integer'
  const categoryBin = new Map<string, number>()
  const upper: number[] = []
  bins.forEach((bin, index) => {
    if (isRangeBin(bin)) {
      if (bin.range.max !== undefined) upper.push(bin.range.max)
    } else for (const category of bin.categories) categoryBin.set(category, index)
  })
  const all = [...bins, characteristic.missing['no-data'], characteristic.missing.stale]
  return {
    id: characteristic.id,
    feature: characteristic.feature,
    integer,
    upper,
    categoryBin,
    binIds: all.map((bin) => bin.id),
    binPoints: all.map((bin) => bin.points),
    binReasons: all.map((bin) => bin.reasonCode ?? null),
    noDataBin: bins.length,
    staleBin: bins.length + 1,
    maxPoints: maxPointsOf(characteristic),
  }
}
