import { divideRound, isCalendarDate, type CalendarDate } from '@sme/domain'
import { supersessionKey, validateDataPoints, type DataPoint, type DataPointKind, type DataPointOf } from './data-points.js'
import { ScoringError, type ValidationIssue } from './errors.js'
import type { LocalizedText } from './model.js'
import { isYearMonth, monthFromIndex, monthIndex, type YearMonth } from './periods.js'

/**
 * Hardship signal (POLICY §6): is a drop in activity the epidemic's temporary shock, or a decline of
 * the business that was there anyway? Answered against **the enterprise's own pre-crisis
 * baseline**, never against its industry, so a restaurant is compared with itself.
 *
 * The rule, in order (all figures integer basis points, floor):
 *
 * 1. Three activity dimensions, each from the best source with enough data:
 *    revenue (invoiced sales, else monthly tax returns), headcount (social insurance, else housing
 *    fund), utilities (electricity kWh, else gas, else water m³: consumption, not money, so tariff
 *    cuts do not read as a drop).
 * 2. Baseline: the `baselineMonths` (12) full months before the month of the crisis start; at least
 *    `minBaselineMonths` (9) reported. Recent window: the last `recentMonths` (3) complete months
 *    (ending M−1, or M−2 when M−1 is not reported yet), entirely after the crisis start.
 * 3. Each recent month is compared with **the same calendar month** of the baseline (seasonality:
 *    February is compared with February, so the Spring Festival dip is not a shock).
 *    `changeBp` = recent total vs baseline total of those months; a dimension is **shocked** when
 *    `changeBp ≤ −shockBp` (−2,000: 20% below its own baseline).
 * 4. Trajectory inside the recent window: the last month's change vs baseline minus the first
 *    month's; ≥ +`trajectoryBp` (500) recovering, ≤ −500 falling, else stable.
 * 5. Pre-crisis trend: the `preTrendMonths` (6) months before the crisis vs the same months a year
 *    earlier; a dimension was **declining before the crisis** when that is ≤ −`preDeclineBp` (−1,000).
 *
 * Classification:
 * - `insufficient-data`: the recent window would reach back before the crisis, or fewer than
 *   `minDimensions` (2) dimensions could be assessed. An unknown is never read as "no hardship".
 * - `none`: no dimension shocked.
 * - `structural-decline` when (a) the decline was under way before the crisis: revenue, or at least
 *   two dimensions, declining before it; or (b) sustained decline without recovery: two or more
 *   dimensions shocked, none of them recovering or stable, and headcount not kept.
 * - `temporary-shock` otherwise: a shock against a healthy pre-crisis baseline, with some
 *   shocked dimension recovering or stabilising, or headcount kept (change > −`headcountKeptBp`,
 *   −1,000), or only one dimension shocked.
 */
export interface HardshipPolicy {
  /** Baseline length in months before the crisis month; a multiple of 12 (default 12). */
  readonly baselineMonths: number
  /** Months of the baseline that must be reported (default 9). */
  readonly minBaselineMonths: number
  /** Recent window in complete months, ≥ 2 so there is a trajectory (default 3). */
  readonly recentMonths: number
  /** Months before the crisis compared year on year for the pre-crisis trend (default 6). */
  readonly preTrendMonths: number
  /** Shock threshold, bp below baseline (default 2,000). */
  readonly shockBp: number
  /** Pre-crisis decline threshold, bp year on year (default 1,000). */
  readonly preDeclineBp: number
  /** Trajectory threshold, bp of baseline between first and last recent month (default 500). */
  readonly trajectoryBp: number
  /** Headcount is "kept" when its change is above −this (default 1,000). */
  readonly headcountKeptBp: number
  /** Dimensions that must be assessable for a verdict, 1–3 (default 2). */
  readonly minDimensions: number
}

/** The default policy; in production a dated policy record supplies it. */
export const DEFAULT_HARDSHIP_POLICY: HardshipPolicy = Object.freeze({
  baselineMonths: 12,
  minBaselineMonths: 9,
  recentMonths: 3,
  preTrendMonths: 6,
  shockBp: 2_000,
  preDeclineBp: 1_000,
  trajectoryBp: 500,
  headcountKeptBp: 1_000,
  minDimensions: 2,
})

export type HardshipClassification = 'none' | 'temporary-shock' | 'structural-decline' | 'insufficient-data'
export type HardshipDimensionId = 'revenue' | 'headcount' | 'utilities'
export type HardshipSource = 'invoices' | 'tax-returns' | 'social-insurance' | 'housing-fund' | 'electricity' | 'gas' | 'water'
export type Trajectory = 'recovering' | 'stable' | 'falling'

/** One recent month against its baseline counterpart(s). */
export interface HardshipMonth {
  readonly month: YearMonth
  /** The month's figure, in the dimension's unit. */
  readonly amount: bigint
  /** Average of the same calendar month over the baseline, floor. */
  readonly baseline: bigint
  /** Change vs that baseline month, bp (floor, bounded −10,000 … 1,000,000). */
  readonly changeBp: number
}

export interface HardshipDimension {
  readonly dimension: HardshipDimensionId
  readonly status: 'assessed' | 'insufficient-data'
  /** The source used; `null` when none had enough data. */
  readonly source: HardshipSource | null
  /** Unit of amounts: fen (revenue), persons (headcount), kWh (electricity), m3 (gas, water). */
  readonly unit: 'fen' | 'persons' | 'kWh' | 'm3' | null
  readonly baselineMonthsReported: number
  readonly months: readonly HardshipMonth[]
  /** Recent window vs baseline, bp; `null` when not assessed. */
  readonly changeBp: number | null
  readonly trajectoryBp: number | null
  readonly trajectory: Trajectory | null
  /** Pre-crisis year-on-year trend, bp; `null` when the history is too short. */
  readonly preCrisisTrendBp: number | null
  readonly shocked: boolean
  readonly declinedBeforeCrisis: boolean
  /** Lineage: the points read (assessed) or considered (insufficient), sorted. */
  readonly dataPointIds: readonly string[]
}

export interface HardshipReason {
  readonly code: string
  readonly text: LocalizedText
}

export interface HardshipAssessment {
  readonly classification: HardshipClassification
  readonly asOf: CalendarDate
  readonly crisisStart: CalendarDate
  readonly baseline: { readonly from: YearMonth; readonly to: YearMonth }
  /** The policy applied, recorded for replay. */
  readonly policy: HardshipPolicy
  /** Always revenue, headcount, utilities, in that order. */
  readonly dimensions: readonly HardshipDimension[]
  readonly reasons: readonly HardshipReason[]
  readonly dataPointIds: readonly string[]
}

export interface HardshipInput {
  /** The enterprise's data points (any kinds; those not needed are ignored). */
  readonly points: readonly DataPoint[]
  /** Assessment date (Asia/Shanghai); points confirmed later are ignored. */
  readonly asOf: CalendarDate
  /** First day of the crisis, e.g. 2020-01-23; its month is the first crisis month. */
  readonly crisisStart: CalendarDate
  readonly policy?: HardshipPolicy
}

const DIMENSION_TEXT: Record<HardshipDimensionId, LocalizedText> = {
  revenue: { zh: '营业收入', en: 'revenue' },
  headcount: { zh: '参保人数', en: 'headcount' },
  utilities: { zh: '水电气用量', en: 'utility consumption' },
}

/** Hardship reason catalogue: stable codes with Chinese and English texts. */
export const HARDSHIP_REASONS: Readonly<Record<string, LocalizedText>> = Object.freeze({
  HS_TOO_EARLY: { zh: '危机开始时间过短，尚无足够的危机后数据', en: 'Too soon after the crisis start for a recent window' },
  HS_INSUFFICIENT_DATA: { zh: '可评估的经营维度不足', en: 'Too few dimensions with enough data to judge' },
  HS_NO_SHOCK: { zh: '近期经营指标未明显低于危机前基线', en: 'Recent activity is not materially below the pre-crisis baseline' },
  HS_NO_RECOVERY: { zh: '多个维度持续下滑且无企稳迹象，员工未稳定', en: 'Several dimensions keep falling with no sign of recovery, and headcount was not kept' },
  HS_HEADCOUNT_KEPT: { zh: '参保人数基本稳定（稳岗）', en: 'Headcount was kept stable' },
  ...Object.fromEntries(
    (Object.keys(DIMENSION_TEXT) as HardshipDimensionId[]).flatMap((d) => {
      const t = DIMENSION_TEXT[d]
      const key = d.toUpperCase()
      return [
        [`HS_NO_DATA_${key}`, { zh: `${t.zh}数据不足`, en: `Not enough ${t.en} data` }],
        [`HS_SHOCK_${key}`, { zh: `${t.zh}较危机前基线大幅下降`, en: `${capitalise(t.en)} sharply below the pre-crisis baseline` }],
        [`HS_PRE_CRISIS_DECLINE_${key}`, { zh: `${t.zh}在危机前已同比下降`, en: `${capitalise(t.en)} was already declining before the crisis` }],
        [`HS_RECOVERING_${key}`, { zh: `${t.zh}近期回升`, en: `${capitalise(t.en)} recovering in recent months` }],
        [`HS_STABILISING_${key}`, { zh: `${t.zh}近期企稳`, en: `${capitalise(t.en)} stabilising in recent months` }],
      ]
    }),
  ),
})

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** Checks a hardship policy; returns every problem. */
export function validateHardshipPolicy(policy: HardshipPolicy): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const int = (key: keyof HardshipPolicy, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const value = policy[key]
    if (!Number.isSafeInteger(value) || value < min || value > max) issues.push({ path: `/${key}`, message: `must be an integer in ${min}…${max}` })
  }
  int('baselineMonths', 12, 120)
  if (Number.isSafeInteger(policy.baselineMonths) && policy.baselineMonths % 12 !== 0) issues.push({ path: '/baselineMonths', message: 'must be a multiple of 12 (same-month comparison)' })
  int('minBaselineMonths', 1, policy.baselineMonths)
  int('recentMonths', 2, 12)
  int('preTrendMonths', 1, 12)
  int('shockBp', 0, 10_000)
  int('preDeclineBp', 0, 10_000)
  int('trajectoryBp', 0, 10_000)
  int('headcountKeptBp', 0, 10_000)
  int('minDimensions', 1, 3)
  return issues
}

/**
 * Classifies an enterprise's hardship at `asOf` against its own baseline before `crisisStart`
 * (rule in {@link HardshipPolicy}). Pure; the order of points does not matter.
 *
 * Points confirmed after `asOf` are ignored and one point per figure is kept (later `asOf`, then
 * greater id). No freshness window applies: the recent window itself demands the last complete
 * months, so a feed that stopped updating gives `insufficient-data`, never an old verdict. Revenue
 * from tax returns works for monthly filers only (a quarterly filer leaves months unreported).
 *
 * @throws ScoringError `invalid-argument` for bad dates or policy, `invalid-data-point` for
 *   malformed points.
 */
export function assessHardship(input: HardshipInput): HardshipAssessment {
  const { asOf, crisisStart } = input
  const policy = input.policy ?? DEFAULT_HARDSHIP_POLICY
  if (!isCalendarDate(asOf) || !isCalendarDate(crisisStart)) throw new ScoringError('invalid-argument', 'asOf and crisisStart must be YYYY-MM-DD dates')
  if (crisisStart > asOf) throw new ScoringError('invalid-argument', `crisis start ${crisisStart} is after the as-of date ${asOf}`)
  const policyIssues = validateHardshipPolicy(policy)
  if (policyIssues.length > 0) throw new ScoringError('invalid-argument', 'invalid hardship policy', policyIssues)
  const issues = validateDataPoints(input.points)
  if (issues.length > 0) throw new ScoringError('invalid-data-point', 'invalid data points', issues)

  const crisis = monthIndex(crisisStart)
  const month = monthIndex(asOf)
  const points = currentPoints(input.points, asOf)
  const baseline = { from: monthFromIndex(crisis - policy.baselineMonths), to: monthFromIndex(crisis - 1) }
  const frame = { crisis, month, policy }

  const dimensions: HardshipDimension[] = [
    assessDimension('revenue', frame, [
      ['invoices', 'fen', series(points, 'invoice-month', () => true, (p) => p.salesAmount)],
      ['tax-returns', 'fen', series(points, 'tax-return', () => true, (p) => p.declaredRevenue)],
    ]),
    assessDimension('headcount', frame, [
      ['social-insurance', 'persons', series(points, 'headcount-month', (p) => p.scheme === 'social-insurance', (p) => BigInt(p.employees))],
      ['housing-fund', 'persons', series(points, 'headcount-month', (p) => p.scheme === 'housing-fund', (p) => BigInt(p.employees))],
    ]),
    assessDimension('utilities', frame, [
      ['electricity', 'kWh', series(points, 'utility-month', (p) => p.utility === 'electricity', (p) => BigInt(p.consumption))],
      ['gas', 'm3', series(points, 'utility-month', (p) => p.utility === 'gas', (p) => BigInt(p.consumption))],
      ['water', 'm3', series(points, 'utility-month', (p) => p.utility === 'water', (p) => BigInt(p.consumption))],
    ]),
  ]
  const { classification, codes } = classify(dimensions, frame)
  return {
    classification,
    asOf,
    crisisStart,
    baseline,
    policy: { ...policy },
    dimensions,
    reasons: codes.map((code) => ({ code, text: HARDSHIP_REASONS[code] as LocalizedText })),
    dataPointIds: [...new Set(dimensions.flatMap((d) => d.dataPointIds))].sort(),
  }
}

interface Frame {
  readonly crisis: number
  readonly month: number
  readonly policy: HardshipPolicy
}

function classify(dimensions: readonly HardshipDimension[], { crisis, month, policy }: Frame): { classification: HardshipClassification; codes: string[] } {
  // The earliest recent window (M−1 reported) must start in or after the crisis month.
  if (month - policy.recentMonths < crisis) return { classification: 'insufficient-data', codes: ['HS_TOO_EARLY'] }
  const assessed = dimensions.filter((d) => d.status === 'assessed')
  const noData = dimensions.filter((d) => d.status !== 'assessed').map((d) => `HS_NO_DATA_${d.dimension.toUpperCase()}`)
  if (assessed.length < policy.minDimensions) return { classification: 'insufficient-data', codes: ['HS_INSUFFICIENT_DATA', ...noData] }

  const shocked = assessed.filter((d) => d.shocked)
  if (shocked.length === 0) return { classification: 'none', codes: ['HS_NO_SHOCK', ...noData] }
  const shockCodes = shocked.map((d) => `HS_SHOCK_${d.dimension.toUpperCase()}`)

  // (a) Decline already under way before the crisis: revenue, or two dimensions.
  const declined = assessed.filter((d) => d.declinedBeforeCrisis)
  if (declined.some((d) => d.dimension === 'revenue') || declined.length >= 2) {
    return {
      classification: 'structural-decline',
      codes: [...declined.map((d) => `HS_PRE_CRISIS_DECLINE_${d.dimension.toUpperCase()}`), ...shockCodes, ...noData],
    }
  }

  const headcount = assessed.find((d) => d.dimension === 'headcount')
  const headcountKept = headcount !== undefined && (headcount.changeBp as number) > -policy.headcountKeptBp
  const steadying = shocked.filter((d) => d.trajectory !== 'falling')
  // (b) Sustained multi-dimension decline without recovery.
  if (shocked.length >= 2 && steadying.length === 0 && !headcountKept) {
    return { classification: 'structural-decline', codes: [...shockCodes, 'HS_NO_RECOVERY', ...noData] }
  }
  const supportCodes = [
    ...steadying.map((d) => `HS_${d.trajectory === 'recovering' ? 'RECOVERING' : 'STABILISING'}_${d.dimension.toUpperCase()}`),
    ...(headcountKept ? ['HS_HEADCOUNT_KEPT'] : []),
  ]
  return { classification: 'temporary-shock', codes: [...shockCodes, ...supportCodes, ...noData] }
}

/** Points known at `asOf`, one per figure (later `asOf`, then greater id, wins). */
function currentPoints(points: readonly DataPoint[], asOf: CalendarDate): DataPoint[] {
  const month = monthIndex(asOf)
  const best = new Map<string, DataPoint>()
  for (const point of points) {
    const later = isYearMonth(point.period) ? monthIndex(point.period) > month : point.period > asOf
    if (point.asOf > asOf || later) continue
    const key = supersessionKey(point)
    const current = best.get(key)
    if (current === undefined || point.asOf > current.asOf || (point.asOf === current.asOf && point.id > current.id)) best.set(key, point)
  }
  return [...best.values()]
}

type Series = ReadonlyMap<number, { readonly amount: bigint; readonly ids: readonly string[] }>

function series<K extends DataPointKind>(
  points: readonly DataPoint[],
  kind: K,
  accept: (point: DataPointOf<K>) => boolean,
  amount: (point: DataPointOf<K>) => bigint,
): Series {
  const result = new Map<number, { amount: bigint; ids: string[] }>()
  for (const point of points) {
    if (point.kind !== kind || !accept(point as DataPointOf<K>)) continue
    const m = monthIndex(point.period)
    const entry = result.get(m)
    const value = amount(point as DataPointOf<K>)
    if (entry === undefined) result.set(m, { amount: value, ids: [point.id] })
    else {
      entry.amount += value
      entry.ids.push(point.id)
    }
  }
  return result
}

const MIN_BP = -10_000
const MAX_BP = 1_000_000

function changeBp(now: bigint, base: bigint): number {
  const bp = divideRound((now - base) * 10_000n, base, 'floor')
  return Number(bp < BigInt(MIN_BP) ? BigInt(MIN_BP) : bp > BigInt(MAX_BP) ? BigInt(MAX_BP) : bp)
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b]
  return a
}

type SourceOption = readonly [HardshipSource, 'fen' | 'persons' | 'kWh' | 'm3', Series]

function assessDimension(dimension: HardshipDimensionId, frame: Frame, sources: readonly SourceOption[]): HardshipDimension {
  const considered: string[] = []
  let baselineReported = 0
  for (const [source, unit, data] of sources) {
    const result = assessSeries(data, frame)
    if (result.status === 'assessed') return { dimension, source, unit, ...result }
    considered.push(...result.ids)
    baselineReported = Math.max(baselineReported, result.baselineMonthsReported)
  }
  return {
    dimension,
    status: 'insufficient-data',
    source: null,
    unit: null,
    baselineMonthsReported: baselineReported,
    months: [],
    changeBp: null,
    trajectoryBp: null,
    trajectory: null,
    preCrisisTrendBp: null,
    shocked: false,
    declinedBeforeCrisis: false,
    dataPointIds: [...new Set(considered)].sort(),
  }
}

type SeriesResult =
  | (Omit<HardshipDimension, 'dimension' | 'source' | 'unit'> & { readonly status: 'assessed' })
  | { readonly status: 'insufficient-data'; readonly ids: string[]; readonly baselineMonthsReported: number }

function assessSeries(data: Series, { crisis, month, policy }: Frame): SeriesResult {
  const ids: string[] = []
  const use = (m: number) => {
    const entry = data.get(m)
    if (entry !== undefined) ids.push(...entry.ids)
    return entry
  }
  const insufficient = (reported: number): SeriesResult => ({ status: 'insufficient-data', ids: [...new Set(ids)].sort(), baselineMonthsReported: reported })

  // Baseline coverage.
  let reported = 0
  for (let m = crisis - policy.baselineMonths; m < crisis; m++) if (use(m) !== undefined) reported += 1
  if (reported < policy.minBaselineMonths) return insufficient(reported)

  // Recent window, entirely after the crisis start.
  const end = data.has(month - 1) ? month - 1 : month - 2
  const start = end - policy.recentMonths + 1
  if (start < crisis) return insufficient(reported)

  const months: HardshipMonth[] = []
  let recentTotal = 0n
  // Baseline per recent month as sum / count (same calendar month over the baseline years), added
  // exactly over a common denominator: Σ sum_m × (L / count_m) against Σ amount_m × L.
  const baselineParts: { sum: bigint; count: bigint }[] = []
  for (let m = start; m <= end; m++) {
    const now = use(m)
    if (now === undefined) return insufficient(reported)
    let sum = 0n
    let count = 0n
    for (let b = m - 12; b >= crisis - policy.baselineMonths; b -= 12) {
      if (b >= crisis) continue
      const before = data.get(b)
      if (before === undefined) continue
      sum += before.amount
      count += 1n
    }
    // Every recent month needs a positive counterpart: a change against zero means nothing.
    if (count === 0n || sum <= 0n) return insufficient(reported)
    recentTotal += now.amount
    baselineParts.push({ sum, count })
    months.push({ month: monthFromIndex(m), amount: now.amount, baseline: divideRound(sum, count, 'floor'), changeBp: changeBp(now.amount * count, sum) })
  }
  const lcm = baselineParts.reduce((l, { count }) => (l * count) / gcd(l, count), 1n)
  const baselineScaled = baselineParts.reduce((total, { sum, count }) => total + sum * (lcm / count), 0n)
  const change = changeBp(recentTotal * lcm, baselineScaled)

  const first = months[0] as HardshipMonth
  const last = months[months.length - 1] as HardshipMonth
  const trajectoryBp = last.changeBp - first.changeBp
  const trajectory: Trajectory = trajectoryBp >= policy.trajectoryBp ? 'recovering' : trajectoryBp <= -policy.trajectoryBp ? 'falling' : 'stable'

  // Pre-crisis trend: the last preTrendMonths before the crisis vs a year earlier; all reported.
  let preNow = 0n
  let preBefore = 0n
  let preComplete = true
  for (let m = crisis - policy.preTrendMonths; m < crisis; m++) {
    const now = data.get(m)
    const before = use(m - 12)
    if (now === undefined || before === undefined) {
      preComplete = false
      continue
    }
    preNow += now.amount
    preBefore += before.amount
  }
  const preCrisisTrendBp = preComplete && preBefore > 0n ? changeBp(preNow, preBefore) : null

  return {
    status: 'assessed',
    baselineMonthsReported: reported,
    months,
    changeBp: change,
    trajectoryBp,
    trajectory,
    preCrisisTrendBp,
    shocked: change <= -policy.shockBp,
    declinedBeforeCrisis: preCrisisTrendBp !== null && preCrisisTrendBp <= -policy.preDeclineBp,
    dataPointIds: [...new Set(ids)].sort(),
  }
}
