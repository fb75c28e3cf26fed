/**
 * Scoring domain: pure functions from an enterprise's data points to an explainable,
 * replayable score and a hardship signal. No I/O, no clock: the as-of date is always a parameter.
 * Units: money in integer fen (`bigint`), ratios and changes in basis points, dates as
 * Asia/Shanghai calendar dates, PD in parts per million.
 *
 * Typical use (the service layer owns storage, HTTP and events):
 *
 *     const compiled = compileModel(DEFAULT_MODEL)             // once per model version
 *     const { champion, challengers } = selectModels(registry, segment, asOf)
 *     const result = scoreEnterprise({ champion, challengers }, { uscc, asOf, points, crisis })
 *     // store result.champion (inputs, points, reasons, PD) and result.hardship
 */
export { ScoringError, isScoringError, type ScoringErrorCode, type ValidationIssue } from './errors.js'

export {
  isPeriod,
  isYearMonth,
  monthFromIndex,
  monthIndex,
  monthOf,
  parseYearMonth,
  wholeMonthsBetween,
  type Period,
  type YearMonth,
} from './periods.js'

export {
  DATA_POINT_KINDS,
  DIMENSIONS,
  LEGAL_STATUSES,
  TAX_RATINGS,
  isDataPointKind,
  supersessionKey,
  validateDataPoints,
  type AdministrativePenaltiesPoint,
  type AdministrativePenalty,
  type CourtRecord,
  type CourtRecordType,
  type CourtRecordsPoint,
  type CustomsMonthPoint,
  type DataPoint,
  type DataPointKind,
  type DataPointOf,
  type Dimension,
  type HeadcountMonthPoint,
  type HeadcountScheme,
  type InvoiceMonthPoint,
  type LegalStatus,
  type ReceivablesSnapshotPoint,
  type RegistrationPoint,
  type RepaymentMonthPoint,
  type TaxRating,
  type TaxRatingPoint,
  type TaxReturnPoint,
  type Utility,
  type UtilityMonthPoint,
} from './data-points.js'

export {
  FEATURES,
  FEATURE_IDS,
  FEATURE_SET_VERSION,
  MISSING_REASONS,
  deriveFeatures,
  freshnessIssues,
  isFeatureId,
  maxAgeDays,
  type ExcludedDataPoint,
  type ExclusionReason,
  type FeatureId,
  type FeatureInput,
  type FeatureSet,
  type FeatureSpec,
  type FeatureType,
  type FeatureValue,
  type FreshnessPolicy,
  type MissingReason,
} from './features.js'

export { observedFigures, type ObservedFigures } from './figures.js'

export {
  PD_PPM_MAX,
  PD_PPM_MIN,
  probabilityOfDefault,
  scalingFactor,
  scalingOffset,
  type ProbabilityOfDefault,
  type Scaling,
} from './scaling.js'

export {
  allBins,
  deepFreeze,
  isRangeBin,
  maxPointsOf,
  validateModel,
  type Bin,
  type CategoryBin,
  type Characteristic,
  type GradeBand,
  type IntegerRange,
  type LocalizedText,
  type MissingBin,
  type ModelRole,
  type RangeBin,
  type ScorecardModel,
} from './model.js'

export {
  compileModel,
  evaluate,
  type CharacteristicResult,
  type CompiledModel,
  type ScoreReason,
  type ScoreResult,
} from './scorecard.js'

export { isInForce, selectModels, validateModelSet, type ModelSelection } from './registry.js'

export {
  DEFAULT_HARDSHIP_POLICY,
  HARDSHIP_REASONS,
  assessHardship,
  validateHardshipPolicy,
  type HardshipAssessment,
  type HardshipClassification,
  type HardshipDimension,
  type HardshipDimensionId,
  type HardshipInput,
  type HardshipMonth,
  type HardshipPolicy,
  type HardshipReason,
  type HardshipSource,
  type Trajectory,
} from './hardship.js'

export { scoreEnterprise, type EnterpriseScore, type EnterpriseScoringInput } from './assessment.js'

export { DEFAULT_MODEL } from './default-model.js'

export { MODEL_DOC_BEGIN, MODEL_DOC_END, renderModelMarkdown, updateModelDoc } from './model-doc.js'
