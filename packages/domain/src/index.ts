/**
 * `@sme/domain`: pure domain primitives of the SME credit-relief platform. No I/O, no clock, no
 * floats for money. Units: money in integer fen (`bigint`), rates in basis points (integer
 * `number`), dates as Asia/Shanghai calendar dates (`YYYY-MM-DD`).
 */
export { DomainError, domainErrorGuard, isDomainError, type DomainErrorCode, type LocalizedText, type ValidationIssue } from './errors.js'

export {
  FEN_PER_YUAN,
  FEN_PER_WAN_YUAN,
  ROUNDING_MODES,
  allocate,
  applyRate,
  divideRound,
  fenFromWanYuan,
  formatFen,
  formatYuan,
  isRoundingMode,
  maxFen,
  minFen,
  parseFen,
  parseYuan,
  sumFen,
  type AllocateOptions,
  type Fen,
  type RoundingMode,
} from './money.js'

export {
  assertBasisPoints,
  clampBp,
  formatPercent,
  isBasisPoints,
  isWithinCap,
  lprMinus,
  lprPlus,
  parsePercent,
  shareOfRate,
  type BasisPoints,
} from './rates.js'

export {
  DAY_COUNT_BASES,
  DEFAULT_DAY_COUNT_BASIS,
  accruedInterest,
  basisYearDays,
  interestForPeriod,
  type AccruedInterestInput,
  type DayCountBasis,
  type InterestForPeriodInput,
} from './interest.js'

export {
  SHANGHAI_UTC_OFFSET_MINUTES,
  addDays,
  addMonths,
  addYears,
  compareDates,
  dateParts,
  daysBetween,
  daysInMonth,
  fromEpochDay,
  isAfter,
  isBefore,
  isCalendarDate,
  isLeapYear,
  isOnOrAfter,
  isOnOrBefore,
  isWithin,
  makeDate,
  maxDate,
  minDate,
  parseDate,
  toEpochDay,
  todayIn,
  type CalendarDate,
  type DateParts,
} from './dates.js'

export {
  addTermFraction,
  daysPastDue,
  maxCumulativeExtension,
  termClass,
  termInMonths,
  termMonths,
  type ExtensionLimit,
  type MonthTerm,
  type TermClass,
} from './loan-term.js'

export {
  USCC_CHARSET,
  computeOrgCodeCheck,
  computeUsccCheck,
  makeUscc,
  normalizeUsccInput,
  usccRegistrantKind,
  validateUscc,
  type UsccCheckError,
  type UsccError,
  type UsccParts,
  type UsccValidation,
  type UsccValidationOptions,
} from './uscc.js'

export {
  SIZE_METRICS,
  SME_INDUSTRIES,
  classifySmeSize,
  metricsUsed,
  parseSmeSizeCsv,
  smeSizeRule,
  validateSmeSizeTable,
  type CeilingCondition,
  type SizeMetric,
  type SizeReason,
  type SmeIndustry,
  type SmeSize,
  type SmeSizeInput,
  type SmeSizeResult,
  type SmeSizeRule,
  type SmeSizeTable,
  type TierFloors,
} from './sme-size.js'
export { csvDocument, type CsvValue } from './csv.js'
export type { Citation } from './citation.js'
export { SME_SIZE_TABLE_2011 } from './sme-size-table.js'

export {
  DEFAULT_INCLUSIVE_LOAN_RULES,
  isInclusiveSmallMicroLoan,
  type InclusiveLoanBorrower,
  type InclusiveLoanRules,
} from './inclusive-loan.js'

export {
  lprAsOf,
  lprTenorForTerm,
  parseLprCsv,
  validateLprTable,
  type LprEntry,
  type LprQuote,
  type LprTable,
  type LprTenor,
} from './lpr.js'
export { LPR_TABLE_FIXTURE } from './lpr-table.js'

export { CN_OFFICIAL_YEARS, CN_WORKING_DAYS, lprPublicationDay, nextWorkingDay, workingDayCalendar, type OfficialYear, type WorkingDayCalendar } from './working-days.js'

export { holdsResidentIdNumber, residentIdCheckCharacter } from './resident-id.js'
