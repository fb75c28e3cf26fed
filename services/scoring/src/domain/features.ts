import { addMonths, daysBetween, divideRound, isCalendarDate, validateUscc, type CalendarDate } from '@sme/domain'
import {
  DATA_POINT_KINDS,
  DIMENSIONS,
  LEGAL_STATUSES,
  TAX_RATINGS,
  supersessionKey,
  validateDataPoints,
  type DataPoint,
  type DataPointKind,
  type DataPointOf,
  type Dimension,
  type HeadcountScheme,
} from './data-points.js'
import { ScoringError, type ValidationIssue } from './errors.js'
import { isYearMonth, monthIndex, wholeMonthsBetween } from './periods.js'

/**
 * Version of the feature definitions below. A model names the version it was built for, and a score
 * records it: changing how a feature is derived changes scores, so it is a new version.
 */
export const FEATURE_SET_VERSION = 'features-2020.1'

/** How a feature's values are typed: an integer (with a unit) or one of a closed set of categories. */
export type FeatureType = 'integer' | 'category'

/** The definition of a feature: what the model's characteristics may bin. */
export interface FeatureSpec {
  readonly dimension: Dimension
  readonly type: FeatureType
  /** For `category` features: every value the feature can take. */
  readonly categories?: readonly string[]
  /** Unit of an integer feature: `months`, `bp` (basis points, 1/10,000), `count`, `days`. */
  readonly unit?: 'months' | 'bp' | 'count' | 'days'
  /** The data-point kinds the feature reads. */
  readonly kinds: readonly DataPointKind[]
  readonly description: string
}

/**
 * The feature catalogue: every characteristic value a model can use, derived by {@link deriveFeatures}.
 * Windows are counted in whole calendar months relative to the month of the as-of date M:
 * "last 12 months" is M−12 … M−1 (complete months; the current month is still open).
 */
export const FEATURES = {
  'firm-age-months': {
    dimension: 'registration',
    type: 'integer',
    unit: 'months',
    kinds: ['registration'],
    description: 'Whole months from the founding date to the as-of date (latest registration snapshot).',
  },
  'legal-status': {
    dimension: 'registration',
    type: 'category',
    categories: LEGAL_STATUSES,
    kinds: ['registration'],
    description: 'Registration status in the latest registration snapshot.',
  },
  'tax-rating': {
    dimension: 'tax',
    type: 'category',
    categories: TAX_RATINGS,
    kinds: ['tax-rating'],
    description: 'Latest tax credit rating (highest rating year).',
  },
  'tax-burden-bp-12m': {
    dimension: 'tax',
    type: 'integer',
    unit: 'bp',
    kinds: ['tax-return'],
    description:
      'Tax paid ÷ declared revenue over the returns whose period falls in the last 12 months, in bp (floor). ' +
      'No data when no return falls in the window or declared revenue sums to 0.',
  },
  'revenue-trend-bp-3m-yoy': {
    dimension: 'invoices',
    type: 'integer',
    unit: 'bp',
    kinds: ['invoice-month'],
    description:
      'Invoiced sales of the last 3 months vs the same 3 months a year earlier, change in bp (floor), ' +
      'bounded to −10,000 … 1,000,000. The 3 months end at M−1, or at M−2 when M−1 is not reported yet ' +
      '(one month of reporting lag). All 6 months must be reported and the earlier sum positive.',
  },
  'headcount-trend-bp-3m-yoy': {
    dimension: 'social-insurance',
    type: 'integer',
    unit: 'bp',
    kinds: ['headcount-month'],
    description:
      'Contributing employees, last 3 months vs the same months a year earlier (same windows and rules as ' +
      'the revenue trend), in bp. From social insurance; from the housing fund only when social insurance ' +
      'cannot give a value.',
  },
  'utility-arrears-months-12m': {
    dimension: 'utilities',
    type: 'integer',
    unit: 'count',
    kinds: ['utility-month'],
    description:
      'Months of the last 12 with arrears on any utility (water, electricity, gas) at month end. ' +
      'Needs at least 6 of the 12 months reported, otherwise no data.',
  },
  'customs-trend-bp-12m': {
    dimension: 'customs',
    type: 'integer',
    unit: 'bp',
    kinds: ['customs-month'],
    description:
      'Declared exports + imports of the last 12 months vs the 12 before, change in bp (floor), bounded to ' +
      '−10,000 … 1,000,000. Needs a reported month in each window and a positive earlier total; otherwise no ' +
      'data (most SMEs do not trade across borders, so the model scores no data neutrally).',
  },
  'court-enforcements-24m': {
    dimension: 'court-administrative',
    type: 'integer',
    unit: 'count',
    kinds: ['court-records'],
    description:
      'Enforcement (被执行) and dishonest-debtor (失信) records filed in the 24 months up to the as-of date, ' +
      'from the latest court search. Civil suits as defendant are not counted.',
  },
  'administrative-penalties-24m': {
    dimension: 'court-administrative',
    type: 'integer',
    unit: 'count',
    kinds: ['administrative-penalties'],
    description: 'Administrative penalties decided in the 24 months up to the as-of date, from the latest search.',
  },
  'bank-max-dpd-12m': {
    dimension: 'bank-repayment',
    type: 'integer',
    unit: 'days',
    kinds: ['repayment-month'],
    description:
      "Highest days past due on any of the bank's loans in the months M−11 … M (the current month counts: " +
      'an arrears today is news). Counted on the revised schedule for relief-deferred loans.',
  },
  'receivables-overdue-bp': {
    dimension: 'receivables',
    type: 'integer',
    unit: 'bp',
    kinds: ['receivables-snapshot'],
    description: 'Overdue ÷ total receivables in the latest snapshot, in bp (floor); 0 when nothing is receivable.',
  },
} as const satisfies Record<string, FeatureSpec>

/** A key of {@link FEATURES}. */
export type FeatureId = keyof typeof FEATURES

/** All feature ids, in catalogue order. */
export const FEATURE_IDS = Object.keys(FEATURES) as FeatureId[]

/** Is `id` a feature of the catalogue? */
export function isFeatureId(id: unknown): id is FeatureId {
  return typeof id === 'string' && Object.hasOwn(FEATURES, id)
}

/** Why a feature has no value: nothing usable was given, or what was given is too old. */
export type MissingReason = 'no-data' | 'stale'

export const MISSING_REASONS: readonly MissingReason[] = ['no-data', 'stale']

/**
 * A derived characteristic value with its lineage. `dataPointIds` (sorted) are:
 * - for a present value, the points it was computed from;
 * - for `stale`, the too-old points that would have been used;
 * - for `no-data`, the fresh points that were present but not enough (often none).
 */
export type FeatureValue =
  | { readonly status: 'present'; readonly value: number | string; readonly dataPointIds: readonly string[] }
  | { readonly status: 'missing'; readonly missing: MissingReason; readonly dataPointIds: readonly string[] }

/**
 * How old a feed may be before its data is stale, in days between the newest confirmation of the
 * feed (`asOf`) and the scoring date. A model parameter (it knows what its bins assume).
 */
export interface FreshnessPolicy {
  /** Maximum age per dimension, in days (integer ≥ 0). */
  readonly maxAgeDays: Readonly<Record<Dimension, number>>
  /** Overrides for particular kinds, e.g. annual tax ratings within the monthly tax dimension. */
  readonly maxAgeDaysByKind?: Readonly<Partial<Record<DataPointKind, number>>>
}

/** Why a given data point took no part in any feature. */
export type ExclusionReason =
  /** Confirmed after the scoring date, or describing a later period: unknown at that date. */
  | 'after-as-of'
  /** Its feed's newest confirmation is older than the freshness window. */
  | 'stale'
  /** Another point describes the same figure and wins (later `asOf`, then greater id). */
  | 'superseded'

export interface ExcludedDataPoint {
  readonly id: string
  readonly reason: ExclusionReason
}

/** The characteristic values of one enterprise at one date: the input of a scorecard. */
export interface FeatureSet {
  readonly featureSetVersion: string
  readonly uscc: string
  /** The scoring date (Asia/Shanghai); nothing confirmed later was used. */
  readonly asOf: CalendarDate
  readonly values: { readonly [F in FeatureId]: FeatureValue }
  /**
   * The sorted union of every feature's data-point ids, computed once per derivation: a model that
   * reads every feature records exactly this as its lineage, without re-collecting it per model.
   * Absent on hand-built feature sets; evaluation then collects the ids itself.
   */
  readonly dataPointIds?: readonly string[]
  /** Points given that no feature could use, with the reason; sorted by id. */
  readonly excluded: readonly ExcludedDataPoint[]
}

export interface FeatureInput {
  /** The enterprise scored; registration points must carry the same code. */
  readonly uscc: string
  /** The scoring date (Asia/Shanghai). Passed in: nothing here reads a clock. */
  readonly asOf: CalendarDate
  /** Current versions of the enterprise's data points, any order. */
  readonly points: readonly DataPoint[]
  /** The freshness windows of the model that will score the features. */
  readonly freshness: FreshnessPolicy
  /** Documented exceptions for genuine codes that fail the USCC check (POLICY §1). */
  readonly usccExceptions?: ReadonlyMap<string, string>
}

/** Trends are bounded so that an implausible base (sales of 1 fen) cannot make an unsafe integer. */
const MIN_TREND_BP = -10_000
const MAX_TREND_BP = 1_000_000
/** Utility arrears counted only over a reasonably observed year. */
const MIN_UTILITY_MONTHS = 6

/**
 * Derives every feature of {@link FEATURES} from an enterprise's data points at `asOf`. Pure and
 * deterministic: the order of `points` does not matter.
 *
 * Which points are used:
 * 1. Points confirmed after `asOf` (or describing a later period) are ignored (`after-as-of`), so a
 *    replay at a past date sees what was known then.
 * 2. **Freshness is judged per feed** (kind × source): when the newest `asOf` of a feed is more than
 *    the model's window before the scoring date, every point of that feed is `stale` and never used.
 *    Not per point: the invoiced sales of 2019-05, confirmed in 2019-06, are still the sales of
 *    2019-05 a year later (corrections supersede them in storage); what goes stale is our view of
 *    the enterprise, i.e. a feed that stopped updating.
 * 3. Two points describing the same figure (same month of the same series) should not both arrive;
 *    if they do, the later `asOf` wins, then the greater id (`superseded`).
 *
 * A feature that cannot be computed from fresh points is `{ missing: 'stale' }` when stale points of
 * its kinds exist, else `{ missing: 'no-data' }`: never a silent zero.
 *
 * @throws ScoringError `invalid-argument` for an invalid USCC, as-of date or freshness policy;
 *   `invalid-data-point` listing every malformed point.
 */
export function deriveFeatures(input: FeatureInput): FeatureSet {
  const { uscc, asOf, points, freshness } = input
  if (!isCalendarDate(asOf)) throw new ScoringError('invalid-argument', `as-of date must be YYYY-MM-DD: ${JSON.stringify(asOf)}`)
  const validation = validateUscc(uscc, input.usccExceptions === undefined ? {} : { exceptions: input.usccExceptions })
  if (!validation.valid) throw new ScoringError('invalid-argument', `invalid USCC: ${validation.detail}`)
  const policyIssues = freshnessIssues(freshness)
  if (policyIssues.length > 0) throw new ScoringError('invalid-argument', 'invalid freshness policy', policyIssues)
  const issues = validateDataPoints(points, uscc)
  if (issues.length > 0) throw new ScoringError('invalid-data-point', 'invalid data points', issues)

  const ctx = partition(points, asOf, freshness)
  const values: Record<FeatureId, FeatureValue> = {
    'firm-age-months': firmAge(ctx),
    'legal-status': legalStatus(ctx),
    'tax-rating': taxRating(ctx),
    'tax-burden-bp-12m': taxBurden(ctx),
    'revenue-trend-bp-3m-yoy': revenueTrend(ctx),
    'headcount-trend-bp-3m-yoy': headcountTrend(ctx),
    'utility-arrears-months-12m': utilityArrears(ctx),
    'customs-trend-bp-12m': customsTrend(ctx),
    'court-enforcements-24m': courtEnforcements(ctx),
    'administrative-penalties-24m': administrativePenalties(ctx),
    'bank-max-dpd-12m': bankMaxDpd(ctx),
    'receivables-overdue-bp': receivablesOverdue(ctx),
  }
  const dataPointIds = sortedUnique(FEATURE_IDS.flatMap((f) => values[f].dataPointIds))
  return { featureSetVersion: FEATURE_SET_VERSION, uscc, asOf, values, dataPointIds, excluded: ctx.excluded }
}

/** The maximum age in days a point of `kind` may have under `policy`. */
export function maxAgeDays(policy: FreshnessPolicy, kind: DataPointKind): number {
  const days = policy.maxAgeDaysByKind?.[kind] ?? policy.maxAgeDays[DATA_POINT_KINDS[kind].dimension]
  if (!Number.isSafeInteger(days) || days < 0) throw new ScoringError('invalid-argument', `no valid freshness window for ${kind}`)
  return days
}

/** Checks a freshness policy: a non-negative integer number of days for every dimension and override. */
export function freshnessIssues(policy: FreshnessPolicy, path = ''): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  if (typeof policy !== 'object' || policy === null) return [{ path, message: 'must be an object' }]
  for (const dimension of DIMENSIONS) {
    const days = policy.maxAgeDays?.[dimension]
    if (!Number.isSafeInteger(days) || (days as number) < 0) issues.push({ path: `${path}/maxAgeDays/${dimension}`, message: 'must be an integer number of days ≥ 0' })
  }
  for (const [kind, days] of Object.entries(policy.maxAgeDaysByKind ?? {})) {
    if (!Object.hasOwn(DATA_POINT_KINDS, kind)) issues.push({ path: `${path}/maxAgeDaysByKind/${kind}`, message: 'unknown data-point kind' })
    else if (!Number.isSafeInteger(days) || (days as number) < 0) issues.push({ path: `${path}/maxAgeDaysByKind/${kind}`, message: 'must be an integer number of days ≥ 0' })
  }
  return issues
}

// ---------------------------------------------------------------------------------------------
// Partitioning: future / stale / superseded / usable.

interface Context {
  readonly asOf: CalendarDate
  /** Month index of the as-of date (M). */
  readonly month: number
  readonly fresh: ReadonlyMap<DataPointKind, readonly DataPoint[]>
  readonly stale: ReadonlyMap<DataPointKind, readonly DataPoint[]>
  readonly excluded: ExcludedDataPoint[]
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** Later `asOf` first, then greater id: the winner among points describing the same figure. */
const newestFirst = (a: DataPoint, b: DataPoint) => (a.asOf !== b.asOf ? (a.asOf > b.asOf ? -1 : 1) : -byId(a, b))

function partition(points: readonly DataPoint[], asOf: CalendarDate, freshness: FreshnessPolicy): Context {
  const month = monthIndex(asOf)
  const excluded: ExcludedDataPoint[] = []
  const known: DataPoint[] = []
  for (const point of points) {
    const later = isYearMonth(point.period) ? monthIndex(point.period) > month : point.period > asOf
    if (point.asOf > asOf || later) excluded.push({ id: point.id, reason: 'after-as-of' })
    else known.push(point)
  }

  // Freshness per feed (kind × source): the newest confirmation decides for the whole feed.
  const newestByFeed = new Map<string, CalendarDate>()
  for (const point of known) {
    const feed = `${point.kind}|${point.source}`
    const newest = newestByFeed.get(feed)
    if (newest === undefined || point.asOf > newest) newestByFeed.set(feed, point.asOf)
  }
  const stale = new Map<DataPointKind, DataPoint[]>()
  const candidates: DataPoint[] = []
  for (const point of known) {
    const newest = newestByFeed.get(`${point.kind}|${point.source}`) as CalendarDate
    if (daysBetween(newest, asOf) > maxAgeDays(freshness, point.kind)) {
      excluded.push({ id: point.id, reason: 'stale' })
      pushTo(stale, point.kind, point)
    } else {
      candidates.push(point)
    }
  }

  // Supersession among fresh points: one point per figure.
  candidates.sort(newestFirst)
  const winners = new Set<string>()
  const fresh = new Map<DataPointKind, DataPoint[]>()
  for (const point of candidates) {
    const key = supersessionKey(point)
    if (winners.has(key)) {
      excluded.push({ id: point.id, reason: 'superseded' })
      continue
    }
    winners.add(key)
    pushTo(fresh, point.kind, point)
  }
  for (const list of fresh.values()) list.sort(byId)
  for (const list of stale.values()) list.sort(byId)
  excluded.sort(byId)
  return { asOf, month, fresh, stale, excluded }
}

/**
 * The points a derivation at `asOf` may use under `freshness`, by kind: neither confirmed later,
 * nor of a stale feed, nor superseded. What the features read, for figures reported beside them.
 */
export function usablePoints(points: readonly DataPoint[], asOf: CalendarDate, freshness: FreshnessPolicy): ReadonlyMap<DataPointKind, readonly DataPoint[]> {
  return partition(points, asOf, freshness).fresh
}

function pushTo(map: Map<DataPointKind, DataPoint[]>, kind: DataPointKind, point: DataPoint): void {
  const list = map.get(kind)
  if (list === undefined) map.set(kind, [point])
  else list.push(point)
}

function freshOf<K extends DataPointKind>(ctx: Context, kind: K): readonly DataPointOf<K>[] {
  return (ctx.fresh.get(kind) ?? []) as readonly DataPointOf<K>[]
}

// ---------------------------------------------------------------------------------------------
// Value constructors.

function present(value: number | string, ids: Iterable<string>): FeatureValue {
  return { status: 'present', value, dataPointIds: sortedUnique(ids) }
}

/** Missing: `stale` when the kinds have stale points (listed), else `no-data` listing `considered`. */
function missing(ctx: Context, kind: DataPointKind, considered: Iterable<string> = []): FeatureValue {
  const stale = ctx.stale.get(kind) ?? []
  if (stale.length > 0) return { status: 'missing', missing: 'stale', dataPointIds: sortedUnique(stale.map((p) => p.id)) }
  return { status: 'missing', missing: 'no-data', dataPointIds: sortedUnique(considered) }
}

function sortedUnique(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort()
}

/** The snapshot most recently confirmed: later `asOf`, then later period, then greater id. */
function latestSnapshot<P extends DataPoint>(points: readonly P[]): P | undefined {
  let best: P | undefined
  for (const point of points) {
    if (
      best === undefined ||
      point.asOf > best.asOf ||
      (point.asOf === best.asOf && (point.period > best.period || (point.period === best.period && point.id > best.id)))
    ) {
      best = point
    }
  }
  return best
}

/** `(numerator / denominator)` in bp, floor, bounded. `denominator` must be positive. */
function ratioBp(numerator: bigint, denominator: bigint, min = MIN_TREND_BP, max = MAX_TREND_BP): number {
  const bp = divideRound(numerator * 10_000n, denominator, 'floor')
  return Number(bp < BigInt(min) ? BigInt(min) : bp > BigInt(max) ? BigInt(max) : bp)
}

// ---------------------------------------------------------------------------------------------
// Features.

function firmAge(ctx: Context): FeatureValue {
  const registration = latestSnapshot(freshOf(ctx, 'registration'))
  if (registration === undefined) return missing(ctx, 'registration')
  // An age: a month counts once the founding day of month is reached.
  return present(wholeMonthsBetween(registration.foundedOn, ctx.asOf), [registration.id])
}

function legalStatus(ctx: Context): FeatureValue {
  const registration = latestSnapshot(freshOf(ctx, 'registration'))
  if (registration === undefined) return missing(ctx, 'registration')
  return present(registration.legalStatus, [registration.id])
}

function taxRating(ctx: Context): FeatureValue {
  let best: DataPointOf<'tax-rating'> | undefined
  for (const point of freshOf(ctx, 'tax-rating')) {
    // After supersession there is one point per rating year.
    if (best === undefined || point.ratingYear > best.ratingYear) best = point
  }
  if (best === undefined) return missing(ctx, 'tax-rating')
  return present(best.rating, [best.id])
}

function taxBurden(ctx: Context): FeatureValue {
  let revenue = 0n
  let tax = 0n
  const ids: string[] = []
  for (const point of freshOf(ctx, 'tax-return')) {
    const m = monthIndex(point.period)
    if (m < ctx.month - 12 || m > ctx.month - 1) continue
    revenue += point.declaredRevenue
    tax += point.taxPaid
    ids.push(point.id)
  }
  if (ids.length === 0 || revenue <= 0n) return missing(ctx, 'tax-return', ids)
  return present(ratioBp(tax, revenue), ids)
}

/** A monthly series: amount and point ids per month index. */
type Series = Map<number, { amount: bigint; ids: string[] }>

function addToSeries(series: Series, month: number, amount: bigint, id: string): void {
  const entry = series.get(month)
  if (entry === undefined) series.set(month, { amount, ids: [id] })
  else {
    entry.amount += amount
    entry.ids.push(id)
  }
}

/**
 * Last 3 reported months vs the same months a year earlier. The window ends at M−1, or at M−2 when
 * M−1 is not reported yet (reporting lag). Returns the change in bp, or the ids considered when the
 * comparison is impossible (a month missing, or a non-positive base).
 */
function yoyTrend(series: Series, month: number): { bp: number; ids: string[] } | { bp: null; ids: string[] } {
  const end = series.has(month - 1) ? month - 1 : month - 2
  let recent = 0n
  let prior = 0n
  const ids: string[] = []
  let complete = true
  for (let m = end - 2; m <= end; m++) {
    const now = series.get(m)
    const before = series.get(m - 12)
    if (now === undefined || before === undefined) complete = false
    if (now !== undefined) {
      recent += now.amount
      ids.push(...now.ids)
    }
    if (before !== undefined) {
      prior += before.amount
      ids.push(...before.ids)
    }
  }
  if (!complete || prior <= 0n) return { bp: null, ids }
  return { bp: ratioBp(recent - prior, prior), ids }
}

function revenueTrend(ctx: Context): FeatureValue {
  const series: Series = new Map()
  for (const point of freshOf(ctx, 'invoice-month')) addToSeries(series, monthIndex(point.period), point.salesAmount, point.id)
  const trend = yoyTrend(series, ctx.month)
  return trend.bp === null ? missing(ctx, 'invoice-month', trend.ids) : present(trend.bp, trend.ids)
}

function headcountTrend(ctx: Context): FeatureValue {
  const considered: string[] = []
  // Social insurance first: it covers every employee by law; the housing fund only when it must.
  for (const scheme of ['social-insurance', 'housing-fund'] as const satisfies readonly HeadcountScheme[]) {
    const series: Series = new Map()
    for (const point of freshOf(ctx, 'headcount-month')) {
      if (point.scheme === scheme) addToSeries(series, monthIndex(point.period), BigInt(point.employees), point.id)
    }
    const trend = yoyTrend(series, ctx.month)
    if (trend.bp !== null) return present(trend.bp, trend.ids)
    considered.push(...trend.ids)
  }
  return missing(ctx, 'headcount-month', considered)
}

function utilityArrears(ctx: Context): FeatureValue {
  const observed = new Set<number>()
  const inArrears = new Set<number>()
  const ids: string[] = []
  for (const point of freshOf(ctx, 'utility-month')) {
    const m = monthIndex(point.period)
    if (m < ctx.month - 12 || m > ctx.month - 1) continue
    observed.add(m)
    ids.push(point.id)
    if (point.arrears > 0n) inArrears.add(m)
  }
  if (observed.size < MIN_UTILITY_MONTHS) return missing(ctx, 'utility-month', ids)
  return present(inArrears.size, ids)
}

function customsTrend(ctx: Context): FeatureValue {
  let recent = 0n
  let prior = 0n
  let recentMonths = 0
  let priorMonths = 0
  const ids: string[] = []
  for (const point of freshOf(ctx, 'customs-month')) {
    const m = monthIndex(point.period)
    const trade = point.exports + point.imports
    if (m >= ctx.month - 12 && m <= ctx.month - 1) {
      recent += trade
      recentMonths += 1
    } else if (m >= ctx.month - 24 && m <= ctx.month - 13) {
      prior += trade
      priorMonths += 1
    } else continue
    ids.push(point.id)
  }
  if (recentMonths === 0 || priorMonths === 0 || prior <= 0n) return missing(ctx, 'customs-month', ids)
  return present(ratioBp(recent - prior, prior), ids)
}

/** Is `date` within the 24 months up to the as-of date: after as-of − 24 months, on or before as-of? */
function within24Months(ctx: Context, date: CalendarDate): boolean {
  return date > addMonths(ctx.asOf, -24) && date <= ctx.asOf
}

function courtEnforcements(ctx: Context): FeatureValue {
  const search = latestSnapshot(freshOf(ctx, 'court-records'))
  if (search === undefined) return missing(ctx, 'court-records')
  let count = 0
  for (const record of search.records) {
    if ((record.type === 'enforcement' || record.type === 'dishonest-debtor') && within24Months(ctx, record.filedOn)) count += 1
  }
  return present(count, [search.id])
}

function administrativePenalties(ctx: Context): FeatureValue {
  const search = latestSnapshot(freshOf(ctx, 'administrative-penalties'))
  if (search === undefined) return missing(ctx, 'administrative-penalties')
  let count = 0
  for (const penalty of search.penalties) if (within24Months(ctx, penalty.decidedOn)) count += 1
  return present(count, [search.id])
}

function bankMaxDpd(ctx: Context): FeatureValue {
  let max = -1
  const ids: string[] = []
  for (const point of freshOf(ctx, 'repayment-month')) {
    const m = monthIndex(point.period)
    if (m < ctx.month - 11 || m > ctx.month) continue
    ids.push(point.id)
    if (point.maxDaysPastDue > max) max = point.maxDaysPastDue
  }
  if (ids.length === 0) return missing(ctx, 'repayment-month')
  return present(max, ids)
}

function receivablesOverdue(ctx: Context): FeatureValue {
  const snapshot = latestSnapshot(freshOf(ctx, 'receivables-snapshot'))
  if (snapshot === undefined) return missing(ctx, 'receivables-snapshot')
  // Nothing receivable means nothing overdue: a genuine 0, not missing data.
  const bp = snapshot.total === 0n ? 0 : ratioBp(snapshot.overdue, snapshot.total, 0, 10_000)
  return present(bp, [snapshot.id])
}
