import { isCalendarDate, type CalendarDate, type Fen } from '@sme/domain'
import type { ValidationIssue } from './errors.js'
import { isPeriod, isYearMonth, monthIndex, type Period, type YearMonth } from './periods.js'

/**
 * The data categories of POLICY §6 the scorecard reads, one per upstream feed family. (Intellectual
 * property, also listed in §6, is not used by the default model and has no data-point type yet.)
 */
export const DIMENSIONS = [
  'registration',
  'tax',
  'invoices',
  'social-insurance',
  'utilities',
  'customs',
  'court-administrative',
  'bank-repayment',
  'receivables',
] as const

/** One of {@link DIMENSIONS}. */
export type Dimension = (typeof DIMENSIONS)[number]

/**
 * What a data point is, and the dimension each kind belongs to. "Monthly" kinds are flows with a
 * `YYYY-MM` period; the others are snapshots whose period is the date (or month) they describe.
 */
export const DATA_POINT_KINDS = {
  registration: { dimension: 'registration', monthly: false },
  'tax-return': { dimension: 'tax', monthly: true },
  'tax-rating': { dimension: 'tax', monthly: false },
  'invoice-month': { dimension: 'invoices', monthly: true },
  'headcount-month': { dimension: 'social-insurance', monthly: true },
  'utility-month': { dimension: 'utilities', monthly: true },
  'customs-month': { dimension: 'customs', monthly: true },
  'court-records': { dimension: 'court-administrative', monthly: false },
  'administrative-penalties': { dimension: 'court-administrative', monthly: false },
  'repayment-month': { dimension: 'bank-repayment', monthly: true },
  'receivables-snapshot': { dimension: 'receivables', monthly: false },
} as const satisfies Record<string, { dimension: Dimension; monthly: boolean }>

/** A key of {@link DATA_POINT_KINDS}. */
export type DataPointKind = keyof typeof DATA_POINT_KINDS

/**
 * What every data point carries: identity, provenance and time (its lineage). Money is integer
 * fen (`bigint`), counts are integers, all dates are Asia/Shanghai calendar dates.
 */
interface DataPointBase<K extends DataPointKind> {
  /**
   * Stable id of this version of the figure, unique within one input; recorded with every score
   * that uses it. Storage gives a corrected figure a new id and passes only the current version.
   */
  readonly id: string
  readonly kind: K
  /** The dimension of `kind` (redundant, checked): lets storage and lineage group without a table. */
  readonly dimension: (typeof DATA_POINT_KINDS)[K]['dimension']
  /**
   * The feed the figure came from, e.g. `tax-bureau`, `state-grid`, `bank-core`. Freshness is judged
   * per feed (kind and source), see `deriveFeatures`.
   */
  readonly source: string
  /** The period the figure describes: the month of a flow, the date of a snapshot. Never after `asOf`. */
  readonly period: (typeof DATA_POINT_KINDS)[K]['monthly'] extends true ? YearMonth : Period
  /** The date the source last confirmed the figure (extraction date). Points later than the scoring date are ignored. */
  readonly asOf: CalendarDate
}

/** Registration status in the market-regulation register (登记状态). */
export const LEGAL_STATUSES = ['active', 'abnormal-operations', 'suspended', 'in-liquidation', 'revoked', 'deregistered'] as const
/**
 * `active` 存续/在营; `abnormal-operations` 列入经营异常名录 (still registered but flagged, e.g. for
 * missing annual reports); `suspended` 停业; `in-liquidation` 清算; `revoked` 吊销; `deregistered` 注销.
 */
export type LegalStatus = (typeof LEGAL_STATUSES)[number]

/** Registration snapshot (market regulation, 国家企业信用信息公示系统). */
export interface RegistrationPoint extends DataPointBase<'registration'> {
  /** Unified social credit code; must be the enterprise being scored. */
  readonly uscc: string
  /** Industry code, GB/T 4754-2017, e.g. `C3989`; used for segmentation, not scored. */
  readonly industry: string
  /** Six-digit administrative region code (GB/T 2260); used for segmentation, not scored. */
  readonly region: string
  /** Date of establishment (成立日期), on or before `asOf`. */
  readonly foundedOn: CalendarDate
  readonly legalStatus: LegalStatus
}

/**
 * A tax return. `period` is the **last month the return covers** (a quarterly filer's Q1 return has
 * period `YYYY-03`), so sums over a 12-month window are right for monthly and quarterly filers.
 */
export interface TaxReturnPoint extends DataPointBase<'tax-return'> {
  /** Revenue declared for the period (fen, ≥ 0). */
  readonly declaredRevenue: Fen
  /** Tax actually paid for the period, all taxes (fen; negative for a net refund). */
  readonly taxPaid: Fen
}

/** Tax credit rating (纳税信用等级): A best; M new or without a full rating year; D worst. */
export const TAX_RATINGS = ['A', 'B', 'M', 'C', 'D'] as const
export type TaxRating = (typeof TAX_RATINGS)[number]

/** An annual tax credit rating; `period` is its publication date or month. */
export interface TaxRatingPoint extends DataPointBase<'tax-rating'> {
  /** The year evaluated (ratings for year N are published in year N + 1). */
  readonly ratingYear: number
  readonly rating: TaxRating
}

/** Monthly invoiced sales (增值税发票), net of red-letter (credit) invoices. */
export interface InvoiceMonthPoint extends DataPointBase<'invoice-month'> {
  /** Net invoiced sales of the month, fen (may be negative when credit notes exceed sales). */
  readonly salesAmount: Fen
  /** Number of invoices issued, ≥ 0. */
  readonly invoiceCount: number
}

/** The scheme a headcount comes from: social insurance (社保) or housing fund (公积金). */
export type HeadcountScheme = 'social-insurance' | 'housing-fund'

/** Employees for whom contributions were paid in the month. */
export interface HeadcountMonthPoint extends DataPointBase<'headcount-month'> {
  readonly scheme: HeadcountScheme
  /** Contributing employees, an integer ≥ 0. */
  readonly employees: number
}

export type Utility = 'electricity' | 'water' | 'gas'

/** A month of one utility account, summed over the enterprise's meters. */
export interface UtilityMonthPoint extends DataPointBase<'utility-month'> {
  readonly utility: Utility
  /** Consumption, an integer ≥ 0: kWh for electricity, m³ for water and gas. */
  readonly consumption: number
  /** Amount billed for the month, fen ≥ 0. */
  readonly billed: Fen
  /** Overdue amount outstanding at month end, fen ≥ 0 (0 = paid up). */
  readonly arrears: Fen
}

/**
 * Customs declarations of a month, CNY value. Months without declarations must be sent as zero-valued
 * points when the source reports them: an absent month is unknown, never assumed zero.
 */
export interface CustomsMonthPoint extends DataPointBase<'customs-month'> {
  /** Declared export value, fen ≥ 0. */
  readonly exports: Fen
  /** Declared import value, fen ≥ 0. */
  readonly imports: Fen
}

/** Court record types: civil suit as defendant, enforcement (被执行人), dishonest judgment debtor (失信被执行人). */
export type CourtRecordType = 'lawsuit-defendant' | 'enforcement' | 'dishonest-debtor'

export interface CourtRecord {
  /** Case number, e.g. `(2019)闽0102执123号`. */
  readonly caseId: string
  readonly type: CourtRecordType
  readonly filedOn: CalendarDate
  /** Amount at stake, fen ≥ 0, when published. */
  readonly amount: Fen | null
}

/**
 * The result of one search of the court databases as of `period`: **all** records found, so an empty
 * list is a clean record (a fact), while no snapshot at all is missing data.
 */
export interface CourtRecordsPoint extends DataPointBase<'court-records'> {
  readonly records: readonly CourtRecord[]
}

export interface AdministrativePenalty {
  /** Decision number (行政处罚决定书文号). */
  readonly decisionId: string
  readonly decidedOn: CalendarDate
  /** Deciding authority, e.g. `market-regulation`, `environment`, `tax`. */
  readonly authority: string
  /** Fine, fen ≥ 0, when there is one. */
  readonly fine: Fen | null
}

/** One search of published administrative penalties (信用中国) as of `period`; empty list = none found. */
export interface AdministrativePenaltiesPoint extends DataPointBase<'administrative-penalties'> {
  readonly penalties: readonly AdministrativePenalty[]
}

/**
 * The bank's own repayment record of one loan for one month. `maxDaysPastDue` is counted on the
 * **revised schedule** for loans under relief (POLICY §2: deferral does not create an overdue
 * entry), so an approved deferral never counts as delinquency here.
 */
export interface RepaymentMonthPoint extends DataPointBase<'repayment-month'> {
  readonly loanId: string
  /** Highest days past due reached in the month, an integer ≥ 0. */
  readonly maxDaysPastDue: number
}

/** Supply-chain receivables (e.g. from the bank's supply-chain platform or 中征应收账款融资服务平台). */
export interface ReceivablesSnapshotPoint extends DataPointBase<'receivables-snapshot'> {
  /** Trade receivables outstanding, fen ≥ 0. */
  readonly total: Fen
  /** Of which past their due date, fen, 0 ≤ overdue ≤ total. */
  readonly overdue: Fen
}

/** Any data point, discriminated by `kind`. */
export type DataPoint =
  | RegistrationPoint
  | TaxReturnPoint
  | TaxRatingPoint
  | InvoiceMonthPoint
  | HeadcountMonthPoint
  | UtilityMonthPoint
  | CustomsMonthPoint
  | CourtRecordsPoint
  | AdministrativePenaltiesPoint
  | RepaymentMonthPoint
  | ReceivablesSnapshotPoint

/** The data point of a given kind. */
export type DataPointOf<K extends DataPointKind> = Extract<DataPoint, { kind: K }>

/** Is `kind` one of {@link DATA_POINT_KINDS}? */
export function isDataPointKind(kind: unknown): kind is DataPointKind {
  return typeof kind === 'string' && Object.hasOwn(DATA_POINT_KINDS, kind)
}

/**
 * The identity of the figure a point gives, apart from its version: two points with the same key
 * describe the same thing (e.g. invoiced sales of 2020-03), so only one may be used.
 */
export function supersessionKey(point: DataPoint): string {
  switch (point.kind) {
    case 'headcount-month':
      return `${point.kind}|${point.scheme}|${point.period}`
    case 'utility-month':
      return `${point.kind}|${point.utility}|${point.period}`
    case 'repayment-month':
      return `${point.kind}|${point.loanId}|${point.period}`
    case 'tax-rating':
      return `${point.kind}|${point.ratingYear}`
    default:
      return `${point.kind}|${point.period}`
  }
}

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.length > 0
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
const isFen = (value: unknown): value is bigint => typeof value === 'bigint'
const isNonNegativeFen = (value: unknown): value is bigint => typeof value === 'bigint' && value >= 0n

/**
 * Checks data points as they arrive from storage or an API: shape, units (fen as `bigint`, counts as
 * integers), dates, kind/dimension agreement, unique ids, and that registration data is about
 * `uscc`. Returns every problem; empty when all is well.
 */
export function validateDataPoints(points: readonly DataPoint[], uscc?: string): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  if (!Array.isArray(points)) return [{ path: '', message: 'data points must be an array' }]
  const seen = new Set<string>()
  points.forEach((point: DataPoint, index) => {
    const at = `/${index}`
    const fail = (field: string, message: string) => issues.push({ path: `${at}${field}`, message })
    if (typeof point !== 'object' || point === null) return fail('', 'not an object')
    if (!nonEmpty(point.id)) fail('/id', 'must be a non-empty string')
    else if (seen.has(point.id)) fail('/id', `duplicate id ${point.id}`)
    else seen.add(point.id)
    if (!isDataPointKind(point.kind)) return fail('/kind', `unknown kind ${JSON.stringify(point.kind)}`)
    const spec = DATA_POINT_KINDS[point.kind]
    if (point.dimension !== spec.dimension) fail('/dimension', `kind ${point.kind} belongs to dimension ${spec.dimension}`)
    if (!nonEmpty(point.source)) fail('/source', 'must be a non-empty string')
    if (!isCalendarDate(point.asOf)) fail('/asOf', 'must be a YYYY-MM-DD date')
    if (spec.monthly ? !isYearMonth(point.period) : !isPeriod(point.period)) {
      fail('/period', spec.monthly ? 'must be a YYYY-MM month' : 'must be a YYYY-MM month or YYYY-MM-DD date')
    } else if (isCalendarDate(point.asOf)) {
      const after = isYearMonth(point.period) ? monthIndex(point.period) > monthIndex(point.asOf) : point.period > point.asOf
      if (after) fail('/period', `period ${point.period} is after the as-of date ${point.asOf}`)
    }
    validateFields(point, fail, uscc)
  })
  return issues
}

function validateFields(point: DataPoint, fail: (field: string, message: string) => void, uscc: string | undefined): void {
  switch (point.kind) {
    case 'registration':
      if (!nonEmpty(point.uscc)) fail('/uscc', 'must be a non-empty string')
      else if (uscc !== undefined && point.uscc !== uscc) fail('/uscc', `registration of ${point.uscc}, not of ${uscc}`)
      if (typeof point.industry !== 'string') fail('/industry', 'must be a string')
      if (typeof point.region !== 'string' || !/^[0-9]{6}$/.test(point.region)) fail('/region', 'must be six digits')
      if (!isCalendarDate(point.foundedOn)) fail('/foundedOn', 'must be a YYYY-MM-DD date')
      else if (isCalendarDate(point.asOf) && point.foundedOn > point.asOf) fail('/foundedOn', 'is after the as-of date')
      if (!(LEGAL_STATUSES as readonly unknown[]).includes(point.legalStatus)) fail('/legalStatus', `unknown status ${JSON.stringify(point.legalStatus)}`)
      return
    case 'tax-return':
      if (!isNonNegativeFen(point.declaredRevenue)) fail('/declaredRevenue', 'must be fen (bigint) ≥ 0')
      if (!isFen(point.taxPaid)) fail('/taxPaid', 'must be fen (bigint)')
      return
    case 'tax-rating':
      if (!Number.isSafeInteger(point.ratingYear) || point.ratingYear < 1 || point.ratingYear > 9999) fail('/ratingYear', 'must be a year')
      if (!(TAX_RATINGS as readonly unknown[]).includes(point.rating)) fail('/rating', `unknown rating ${JSON.stringify(point.rating)}`)
      return
    case 'invoice-month':
      if (!isFen(point.salesAmount)) fail('/salesAmount', 'must be fen (bigint)')
      if (!isCount(point.invoiceCount)) fail('/invoiceCount', 'must be an integer ≥ 0')
      return
    case 'headcount-month':
      if (point.scheme !== 'social-insurance' && point.scheme !== 'housing-fund') fail('/scheme', 'must be social-insurance or housing-fund')
      if (!isCount(point.employees)) fail('/employees', 'must be an integer ≥ 0')
      return
    case 'utility-month':
      if (point.utility !== 'electricity' && point.utility !== 'water' && point.utility !== 'gas') fail('/utility', 'must be electricity, water or gas')
      if (!isCount(point.consumption)) fail('/consumption', 'must be an integer ≥ 0')
      if (!isNonNegativeFen(point.billed)) fail('/billed', 'must be fen (bigint) ≥ 0')
      if (!isNonNegativeFen(point.arrears)) fail('/arrears', 'must be fen (bigint) ≥ 0')
      return
    case 'customs-month':
      if (!isNonNegativeFen(point.exports)) fail('/exports', 'must be fen (bigint) ≥ 0')
      if (!isNonNegativeFen(point.imports)) fail('/imports', 'must be fen (bigint) ≥ 0')
      return
    case 'court-records':
      if (!Array.isArray(point.records)) return fail('/records', 'must be an array')
      point.records.forEach((record, i) => {
        if (!nonEmpty(record?.caseId)) fail(`/records/${i}/caseId`, 'must be a non-empty string')
        if (!['lawsuit-defendant', 'enforcement', 'dishonest-debtor'].includes(record?.type)) fail(`/records/${i}/type`, 'unknown record type')
        if (!isCalendarDate(record?.filedOn)) fail(`/records/${i}/filedOn`, 'must be a YYYY-MM-DD date')
        if (record?.amount !== null && !isNonNegativeFen(record?.amount)) fail(`/records/${i}/amount`, 'must be fen (bigint) ≥ 0 or null')
      })
      return
    case 'administrative-penalties':
      if (!Array.isArray(point.penalties)) return fail('/penalties', 'must be an array')
      point.penalties.forEach((penalty, i) => {
        if (!nonEmpty(penalty?.decisionId)) fail(`/penalties/${i}/decisionId`, 'must be a non-empty string')
        if (!isCalendarDate(penalty?.decidedOn)) fail(`/penalties/${i}/decidedOn`, 'must be a YYYY-MM-DD date')
        if (typeof penalty?.authority !== 'string') fail(`/penalties/${i}/authority`, 'must be a string')
        if (penalty?.fine !== null && !isNonNegativeFen(penalty?.fine)) fail(`/penalties/${i}/fine`, 'must be fen (bigint) ≥ 0 or null')
      })
      return
    case 'repayment-month':
      if (!nonEmpty(point.loanId)) fail('/loanId', 'must be a non-empty string')
      if (!isCount(point.maxDaysPastDue)) fail('/maxDaysPastDue', 'must be an integer ≥ 0')
      return
    case 'receivables-snapshot':
      if (!isNonNegativeFen(point.total)) fail('/total', 'must be fen (bigint) ≥ 0')
      if (!isNonNegativeFen(point.overdue)) fail('/overdue', 'must be fen (bigint) ≥ 0')
      else if (isNonNegativeFen(point.total) && point.overdue > point.total) fail('/overdue', 'exceeds total')
      return
    default:
      return
  }
}
