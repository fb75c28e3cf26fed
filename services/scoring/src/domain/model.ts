import { isCalendarDate, type CalendarDate, type LocalizedText } from '@sme/domain'
import type { ValidationIssue } from './errors.js'
import { FEATURE_SET_VERSION, FEATURES, freshnessIssues, isFeatureId, MISSING_REASONS, type FeatureId, type FreshnessPolicy, type MissingReason } from './features.js'
import type { Scaling } from './scaling.js'

export type { LocalizedText }

/** A half-open integer range `[min, max)`; an absent end is unbounded. */
export interface IntegerRange {
  /** Inclusive lower bound; absent for −∞. */
  readonly min?: number
  /** Exclusive upper bound; absent for +∞. */
  readonly max?: number
}

interface BinBase {
  /** Stable id within the characteristic, recorded with every score (e.g. `AGE_12_36`). */
  readonly id: string
  /** Points added to the score, an integer (may be negative). */
  readonly points: number
  /**
   * The reason reported when this bin costs points against the characteristic's best bin. Required
   * unless the bin has the characteristic's maximum points.
   */
  readonly reasonCode?: string
}

/** A bin of an integer feature. */
export interface RangeBin extends BinBase {
  readonly range: IntegerRange
}

/** A bin of a category feature. */
export interface CategoryBin extends BinBase {
  readonly categories: readonly string[]
}

export type Bin = RangeBin | CategoryBin

/** The bin a characteristic falls in when its feature is missing: data is never silently zero. */
export interface MissingBin extends BinBase {}

/**
 * One characteristic of a scorecard: a feature, its bins and points.
 *
 * Integer features: `range` bins listed in ascending order, contiguous (each bin's `max` is the next
 * bin's `min`), the first unbounded below and the last unbounded above, so every integer falls in
 * exactly one bin. Category features: `categories` bins that partition the feature's categories.
 */
export interface Characteristic {
  /** Stable id, e.g. `CH_TAX_RATING`. */
  readonly id: string
  readonly feature: FeatureId
  readonly name: LocalizedText
  /** Why the characteristic is in the model and why the bins are ordered as they are. */
  readonly rationale: string
  readonly bins: readonly Bin[]
  /** Bins for a missing feature value, one per {@link MissingReason}. */
  readonly missing: { readonly [R in MissingReason]: MissingBin }
}

/** A score band; bands are listed from best (highest `minScore`) to worst. */
export interface GradeBand {
  readonly grade: string
  /** Lowest score of the band (inclusive); `null` for the last band, which takes everything below. */
  readonly minScore: number | null
}

/** Whether a model decides (`champion`) or only scores in shadow for comparison (`challenger`). */
export type ModelRole = 'champion' | 'challenger'

/**
 * A scorecard model as plain, JSON-serialisable data. Versioned: a change of any field is a new
 * `version`, and a score records `id` and `version`, so it can be replayed.
 */
export interface ScorecardModel {
  readonly id: string
  readonly version: string
  /** The population the model is built for, e.g. `sme-general`; one champion per segment at a time. */
  readonly segment: string
  readonly role: ModelRole
  /** First day in force (Asia/Shanghai), inclusive. */
  readonly effectiveFrom: CalendarDate
  /** Last day in force, inclusive; `null` while open-ended. */
  readonly effectiveTo: CalendarDate | null
  /** The {@link FEATURE_SET_VERSION} whose features the characteristics bin. */
  readonly featureSetVersion: string
  readonly description: string
  readonly scaling: Scaling
  readonly freshness: FreshnessPolicy
  readonly characteristics: readonly Characteristic[]
  readonly grades: readonly GradeBand[]
  /** Reason-code catalogue: stable id (`RC_…`) → texts. */
  readonly reasonCodes: Readonly<Record<string, LocalizedText>>
  /** How many reasons a score reports (the largest deductions), 1–10. */
  readonly reasonCount: number
}

const REASON_CODE_PATTERN = /^RC_[A-Z0-9_]+$/
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/

const isInt = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value)
const isText = (value: unknown): boolean => {
  const text = value as LocalizedText | undefined
  return typeof text === 'object' && text !== null && typeof text.zh === 'string' && text.zh.trim() !== '' && typeof text.en === 'string' && text.en.trim() !== ''
}

/** Freezes `value` and everything reachable from it; returns it. For model data shared by reference. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

/** Is `bin` a range bin (of an integer feature)? */
export function isRangeBin(bin: Bin): bin is RangeBin {
  return 'range' in bin
}

/** The highest points a characteristic can give, over its bins and missing bins. */
export function maxPointsOf(characteristic: Characteristic): number {
  let max = -Infinity
  for (const bin of allBins(characteristic)) if (bin.points > max) max = bin.points
  return max
}

/** The bins of a characteristic followed by its missing bins. */
export function allBins(characteristic: Characteristic): BinBase[] {
  return [...characteristic.bins, ...MISSING_REASONS.map((reason) => characteristic.missing[reason])]
}

/**
 * Checks a model for everything that would make a score wrong or unexplainable, returning every
 * problem (empty when valid):
 * - identity, dates (`effectiveFrom` ≤ `effectiveTo`), role, feature-set version;
 * - scaling: integers, `baseOdds` and `pdo` ≥ 1; freshness windows for every dimension;
 * - characteristics: unique ids, known features used at most once, texts in both languages;
 * - bins: integer points, unique ids; range bins ascending, contiguous, covering every integer with
 *   no gap or overlap; category bins partitioning the feature's categories exactly;
 * - reason codes: every bin below the characteristic's maximum has one, every code used is in the
 *   catalogue, every catalogue entry has Chinese and English text;
 * - grades: unique names, `minScore` strictly descending integers, the last band open (`null`).
 */
export function validateModel(model: ScorecardModel): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const fail = (path: string, message: string) => issues.push({ path, message })
  if (typeof model !== 'object' || model === null) return [{ path: '', message: 'model must be an object' }]

  for (const field of ['id', 'version', 'segment'] as const) {
    if (typeof model[field] !== 'string' || !ID_PATTERN.test(model[field])) fail(`/${field}`, 'must be a non-empty identifier')
  }
  if (typeof model.description !== 'string') fail('/description', 'must be a string')
  if (model.role !== 'champion' && model.role !== 'challenger') fail('/role', 'must be champion or challenger')
  if (!isCalendarDate(model.effectiveFrom)) fail('/effectiveFrom', 'must be a YYYY-MM-DD date')
  if (model.effectiveTo !== null && !isCalendarDate(model.effectiveTo)) fail('/effectiveTo', 'must be a YYYY-MM-DD date or null')
  else if (model.effectiveTo !== null && isCalendarDate(model.effectiveFrom) && model.effectiveTo < model.effectiveFrom) {
    fail('/effectiveTo', 'is before effectiveFrom')
  }
  if (model.featureSetVersion !== FEATURE_SET_VERSION) {
    fail('/featureSetVersion', `must be ${FEATURE_SET_VERSION} (the features this code derives), got ${JSON.stringify(model.featureSetVersion)}`)
  }

  const scaling = model.scaling
  if (typeof scaling !== 'object' || scaling === null) fail('/scaling', 'must be an object')
  else {
    if (!isInt(scaling.basePoints)) fail('/scaling/basePoints', 'must be an integer')
    if (!isInt(scaling.baseOdds) || scaling.baseOdds < 1) fail('/scaling/baseOdds', 'must be an integer ≥ 1')
    if (!isInt(scaling.pdo) || scaling.pdo < 1) fail('/scaling/pdo', 'must be an integer ≥ 1')
  }
  issues.push(...freshnessIssues(model.freshness, '/freshness'))

  const catalogue = model.reasonCodes
  if (typeof catalogue !== 'object' || catalogue === null) fail('/reasonCodes', 'must be an object')
  else {
    for (const [code, text] of Object.entries(catalogue)) {
      if (!REASON_CODE_PATTERN.test(code)) fail(`/reasonCodes/${code}`, 'code must match RC_[A-Z0-9_]+')
      if (!isText(text)) fail(`/reasonCodes/${code}`, 'needs non-empty zh and en texts')
    }
  }
  if (!isInt(model.reasonCount) || model.reasonCount < 1 || model.reasonCount > 10) fail('/reasonCount', 'must be an integer 1–10')

  if (!Array.isArray(model.characteristics) || model.characteristics.length === 0) fail('/characteristics', 'must be a non-empty array')
  else {
    const ids = new Set<string>()
    const features = new Set<string>()
    model.characteristics.forEach((characteristic, index) => {
      const at = `/characteristics/${index}`
      if (typeof characteristic?.id !== 'string' || !ID_PATTERN.test(characteristic.id)) fail(`${at}/id`, 'must be a non-empty identifier')
      else if (ids.has(characteristic.id)) fail(`${at}/id`, `duplicate characteristic ${characteristic.id}`)
      else ids.add(characteristic.id)
      if (!isFeatureId(characteristic?.feature)) return fail(`${at}/feature`, `unknown feature ${JSON.stringify(characteristic?.feature)}`)
      if (features.has(characteristic.feature)) fail(`${at}/feature`, `feature ${characteristic.feature} is already used by another characteristic`)
      features.add(characteristic.feature)
      if (!isText(characteristic.name)) fail(`${at}/name`, 'needs non-empty zh and en texts')
      if (typeof characteristic.rationale !== 'string' || characteristic.rationale.trim() === '') fail(`${at}/rationale`, 'must explain the characteristic')
      validateBins(characteristic, at, catalogue ?? {}, fail)
    })
  }

  if (!Array.isArray(model.grades) || model.grades.length === 0) fail('/grades', 'must be a non-empty array')
  else {
    const names = new Set<string>()
    let previous = Infinity
    model.grades.forEach((band, index) => {
      const at = `/grades/${index}`
      if (typeof band?.grade !== 'string' || band.grade === '') fail(`${at}/grade`, 'must be a non-empty string')
      else if (names.has(band.grade)) fail(`${at}/grade`, `duplicate grade ${band.grade}`)
      else names.add(band.grade)
      const last = index === model.grades.length - 1
      if (last) {
        if (band?.minScore !== null) fail(`${at}/minScore`, 'the last band must be open (null) so every score has a grade')
      } else if (!isInt(band?.minScore)) fail(`${at}/minScore`, 'must be an integer')
      else if (band.minScore >= previous) fail(`${at}/minScore`, 'must be below the previous band (bands run best to worst)')
      else previous = band.minScore
    })
  }
  return issues
}

function validateBins(
  characteristic: Characteristic,
  at: string,
  catalogue: Readonly<Record<string, LocalizedText>>,
  fail: (path: string, message: string) => void,
): void {
  const spec = FEATURES[characteristic.feature]
  if (!Array.isArray(characteristic.bins) || characteristic.bins.length === 0) return fail(`${at}/bins`, 'must be a non-empty array')
  if (typeof characteristic.missing !== 'object' || characteristic.missing === null) return fail(`${at}/missing`, 'must have no-data and stale bins')
  for (const reason of MISSING_REASONS) {
    if (typeof characteristic.missing[reason] !== 'object' || characteristic.missing[reason] === null) return fail(`${at}/missing/${reason}`, 'is required')
  }

  const located: [BinBase, string][] = [
    ...characteristic.bins.map((bin, i): [BinBase, string] => [bin, `${at}/bins/${i}`]),
    ...MISSING_REASONS.map((reason): [BinBase, string] => [characteristic.missing[reason], `${at}/missing/${reason}`]),
  ]
  const binIds = new Set<string>()
  for (const [bin, path] of located) {
    if (typeof bin.id !== 'string' || !ID_PATTERN.test(bin.id)) fail(`${path}/id`, 'must be a non-empty identifier')
    else if (binIds.has(bin.id)) fail(`${path}/id`, `duplicate bin id ${bin.id}`)
    else binIds.add(bin.id)
    if (!isInt(bin.points)) fail(`${path}/points`, 'must be an integer')
  }
  if (located.some(([bin]) => !isInt(bin.points))) return
  const max = maxPointsOf(characteristic)
  for (const [bin, path] of located) {
    if (bin.reasonCode === undefined) {
      if (bin.points < max) fail(`${path}/reasonCode`, `required: the bin costs ${max - bin.points} points against the best bin`)
    } else if (!Object.hasOwn(catalogue, bin.reasonCode)) fail(`${path}/reasonCode`, `${bin.reasonCode} is not in the reason-code catalogue`)
  }

  if (spec.type === 'integer') {
    characteristic.bins.forEach((bin, i) => {
      const path = `${at}/bins/${i}`
      if (!isRangeBin(bin)) return fail(path, `feature ${characteristic.feature} is an integer: bins need a range`)
      const { min, max: upper } = bin.range ?? {}
      const first = i === 0
      const last = i === characteristic.bins.length - 1
      if (first ? min !== undefined : !isInt(min)) fail(`${path}/range/min`, first ? 'the first bin must be open below' : 'must be an integer')
      if (last ? upper !== undefined : !isInt(upper)) fail(`${path}/range/max`, last ? 'the last bin must be open above' : 'must be an integer')
      if (isInt(min) && isInt(upper) && min >= upper) fail(`${path}/range`, 'is empty (min ≥ max)')
      const previous = characteristic.bins[i - 1]
      if (!first && previous !== undefined && isRangeBin(previous) && isInt(min) && previous.range?.max !== min) {
        fail(`${path}/range/min`, `must equal the previous bin's max (${String(previous.range?.max)}): no gap, no overlap`)
      }
    })
  } else {
    const expected = new Set<string>(spec.categories)
    const covered = new Set<string>()
    characteristic.bins.forEach((bin, i) => {
      const path = `${at}/bins/${i}`
      if (!('categories' in bin) || !Array.isArray(bin.categories) || bin.categories.length === 0) {
        return fail(path, `feature ${characteristic.feature} is a category: bins need non-empty categories`)
      }
      for (const category of bin.categories) {
        if (!expected.has(category)) fail(`${path}/categories`, `${JSON.stringify(category)} is not a category of ${characteristic.feature}`)
        else if (covered.has(category)) fail(`${path}/categories`, `${category} is already in another bin`)
        else covered.add(category)
      }
    })
    for (const category of expected) if (!covered.has(category)) fail(`${at}/bins`, `category ${category} is in no bin`)
  }
}
