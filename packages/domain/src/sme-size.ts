import { parseReferenceCsv } from './csv.js'
import { DomainError } from './errors.js'
import { fenFromWanYuan, type Fen } from './money.js'
import { SME_SIZE_TABLE_2011 } from './sme-size-table.js'

/** Industry keys of the 2011 SME size standard, as in the `industry` column of `sme-size-2011.csv`. */
export const SME_INDUSTRIES = [
  'agriculture_forestry_animal_fishery',
  'industry',
  'construction',
  'wholesale',
  'retail',
  'transport_excl_rail',
  'warehousing',
  'postal',
  'accommodation',
  'catering',
  'telecom_information_transmission',
  'software_it_services',
  'real_estate_development',
  'property_management',
  'leasing_business_services',
  'other',
] as const

/**
 * An industry of the SME size standard. Mapping a firm's GB/T 4754 industry code to one of these is
 * the caller's job; industries the standard does not list use `other`.
 */
export type SmeIndustry = (typeof SME_INDUSTRIES)[number]

/** The three size metrics, in the order they are reported. */
export const SIZE_METRICS = ['employees', 'revenue', 'assets'] as const
/**
 * `employees`: persons employed (从业人员); `revenue`: operating revenue (营业收入) of the last
 * year; `assets`: total assets (资产总额).
 */
export type SizeMetric = (typeof SIZE_METRICS)[number]

/** Inclusive lower bounds of a tier: employees in persons, revenue and assets in wan yuan (万元). */
export interface TierFloors {
  readonly employees?: number
  readonly revenue?: number
  readonly assets?: number
}

/** One "metric < limit" condition of the SME ceiling (persons, or wan yuan for money metrics). */
export interface CeilingCondition {
  readonly metric: SizeMetric
  readonly below: number
}

/** One row of the size table (one industry). */
export interface SmeSizeRule {
  readonly industry: SmeIndustry
  /** GB/T 4754 sections as written in the source table; informational, not machine-matched. */
  readonly gb4754Sections: readonly string[]
  /** A firm meeting every floor listed here (and under the ceiling) is medium. */
  readonly medium: TierFloors
  /** A firm under the ceiling meeting every floor listed here, but not all medium floors, is small. */
  readonly small: TierFloors
  /** The firm is an SME when any condition holds; when none holds it is large. Never empty. */
  readonly smeCeiling: readonly CeilingCondition[]
}

/** A complete size table, one rule per industry. */
export type SmeSizeTable = readonly SmeSizeRule[]

/** Enterprise size class. */
export type SmeSize = 'large' | 'medium' | 'small' | 'micro'

/** Facts about a firm for {@link classifySmeSize}. Leave a metric out only if it is unknown. */
export interface SmeSizeInput {
  readonly industry: SmeIndustry
  /** Persons employed, an integer ≥ 0. */
  readonly employees?: number
  /** Operating revenue, fen, ≥ 0. */
  readonly revenueFen?: Fen
  /** Total assets, fen, ≥ 0. */
  readonly assetsFen?: Fen
}

/**
 * One threshold test that decided the size. `threshold` and `actual` are in `unit`: persons for
 * employees, fen for revenue and assets (the table's wan yuan × 1,000,000).
 */
export interface SizeReason {
  readonly rule: 'sme-ceiling' | 'medium-floor' | 'small-floor'
  readonly metric: SizeMetric
  readonly operator: '<' | '>='
  readonly threshold: bigint
  readonly actual: bigint
  readonly unit: 'persons' | 'fen'
  /** Whether `actual operator threshold` is true. */
  readonly holds: boolean
}

/**
 * Outcome of {@link classifySmeSize}: a size with the tests that decided it, or `unknown` listing
 * the metrics the industry uses that the input lacks (never a guess).
 */
export type SmeSizeResult =
  | { readonly size: SmeSize; readonly industry: SmeIndustry; readonly reasons: readonly SizeReason[] }
  | { readonly size: 'unknown'; readonly industry: SmeIndustry; readonly missing: readonly SizeMetric[]; readonly reasons: readonly [] }

/**
 * The rule for `industry` in `table`.
 * @throws DomainError `invalid-table` when the table has no row for it.
 */
export function smeSizeRule(industry: SmeIndustry, table: SmeSizeTable = SME_SIZE_TABLE_2011): SmeSizeRule {
  const rule = table.find((r) => r.industry === industry)
  if (rule === undefined) throw new DomainError('invalid-table', `no SME size rule for industry ${industry}`)
  return rule
}

/** The metrics an industry's rule uses anywhere (floors or ceiling), in {@link SIZE_METRICS} order. */
export function metricsUsed(rule: SmeSizeRule): SizeMetric[] {
  return SIZE_METRICS.filter(
    (metric) =>
      rule.medium[metric] !== undefined || rule.small[metric] !== undefined || rule.smeCeiling.some((c) => c.metric === metric),
  )
}

/**
 * Classifies a firm as large, medium, small or micro under the 2011 standard (POLICY §1;
 * `sme-size-2011.csv`). Pure; the table is a parameter so a decision can be replayed under the
 * table version in force on its date.
 *
 * 1. SME or large: the firm is an SME if **any** ceiling condition holds (e.g. industry:
 *    employees < 1000 **or** revenue < CNY 400 million); if none holds it is `large`.
 * 2. An SME meeting **all** medium floors (≥) is `medium`; otherwise, meeting all small floors, it
 *    is `small`; otherwise (it meets a micro condition: below some small floor) `micro`. Each tier
 *    needs every floor it lists, else the firm drops one tier.
 *
 * Money thresholds are compared in fen exactly (CNY 10,000 = 1,000,000 fen); no rounding.
 *
 * If any metric the industry uses is missing the result is `unknown` with the missing metrics,
 * even when the known ones would already decide: a size is recorded with its full evidence or
 * not at all.
 *
 * @throws DomainError `invalid-argument` for negative or fractional figures, `invalid-table` when
 *   the industry has no rule.
 */
export function classifySmeSize(input: SmeSizeInput, table: SmeSizeTable = SME_SIZE_TABLE_2011): SmeSizeResult {
  const rule = smeSizeRule(input.industry, table)
  const actuals = actualValues(input)
  const missing = metricsUsed(rule).filter((metric) => actuals[metric] === undefined)
  if (missing.length > 0) return { size: 'unknown', industry: input.industry, missing, reasons: [] }

  const test = (ruleName: SizeReason['rule'], metric: SizeMetric, operator: SizeReason['operator'], limit: number): SizeReason => {
    const threshold = metric === 'employees' ? BigInt(limit) : fenFromWanYuan(limit)
    const actual = actuals[metric] ?? 0n // present: checked above
    return {
      rule: ruleName,
      metric,
      operator,
      threshold,
      actual,
      unit: metric === 'employees' ? 'persons' : 'fen',
      holds: operator === '<' ? actual < threshold : actual >= threshold,
    }
  }
  const floors = (ruleName: 'medium-floor' | 'small-floor', tier: TierFloors): SizeReason[] =>
    SIZE_METRICS.flatMap((metric) => {
      const limit = tier[metric]
      return limit === undefined ? [] : [test(ruleName, metric, '>=', limit)]
    })

  const ceiling = rule.smeCeiling.map((c) => test('sme-ceiling', c.metric, '<', c.below))
  const result = (size: SmeSize, reasons: SizeReason[]): SmeSizeResult => ({ size, industry: input.industry, reasons })
  if (!ceiling.some((r) => r.holds)) return result('large', ceiling)

  const underCeiling = ceiling.filter((r) => r.holds)
  const medium = floors('medium-floor', rule.medium)
  if (medium.every((r) => r.holds)) return result('medium', [...underCeiling, ...medium])
  const small = floors('small-floor', rule.small)
  if (small.every((r) => r.holds)) return result('small', [...underCeiling, ...medium.filter((r) => !r.holds), ...small])
  return result('micro', [...underCeiling, ...small.filter((r) => !r.holds)])
}

function actualValues(input: SmeSizeInput): Partial<Record<SizeMetric, bigint>> {
  const out: Partial<Record<SizeMetric, bigint>> = {}
  if (input.employees !== undefined) {
    if (!Number.isSafeInteger(input.employees) || input.employees < 0) {
      throw new DomainError('invalid-argument', `employees must be a non-negative integer, got ${input.employees}`)
    }
    out.employees = BigInt(input.employees)
  }
  for (const [metric, value] of [
    ['revenue', input.revenueFen],
    ['assets', input.assetsFen],
  ] as const) {
    if (value === undefined) continue
    if (value < 0n) throw new DomainError('invalid-argument', `${metric} must not be negative, got ${value} fen`)
    out[metric] = value
  }
  return out
}

const SME_CSV_HEADER = [
  'industry',
  'gb4754_sections',
  'medium_min_employees',
  'medium_min_revenue',
  'medium_min_assets',
  'small_min_employees',
  'small_min_revenue',
  'small_min_assets',
  'sme_ceiling',
] as const

/**
 * Parses the text of `sme-size-2011.csv` (or a table of the same shape) into a validated
 * {@link SmeSizeTable}. Pure: the caller reads the file. The `sme_ceiling` column is a list of
 * `metric<limit` joined by ` or `.
 *
 * @throws DomainError `invalid-table`
 */
export function parseSmeSizeCsv(text: string): SmeSizeTable {
  const rows = parseReferenceCsv(text, SME_CSV_HEADER)
  const table = rows.map(({ line, fields }): SmeSizeRule => {
    const field = (name: (typeof SME_CSV_HEADER)[number]): string => fields[name] ?? ''
    const industry = field('industry')
    if (!(SME_INDUSTRIES as readonly string[]).includes(industry)) {
      throw new DomainError('invalid-table', `line ${line}: unknown industry ${JSON.stringify(industry)}`)
    }
    const tier = (prefix: 'medium' | 'small'): TierFloors => {
      const floors: { employees?: number; revenue?: number; assets?: number } = {}
      for (const metric of SIZE_METRICS) {
        const cell = field(`${prefix}_min_${metric}`)
        if (cell !== '') floors[metric] = parseWholeNumber(cell, line)
      }
      return floors
    }
    const smeCeiling = field('sme_ceiling')
      .split(' or ')
      .map((condition): CeilingCondition => {
        const match = /^(employees|revenue|assets)<([0-9]+)$/.exec(condition.trim())
        if (match === null) throw new DomainError('invalid-table', `line ${line}: bad ceiling condition ${JSON.stringify(condition)}`)
        return { metric: match[1] as SizeMetric, below: parseWholeNumber(match[2] ?? '', line) }
      })
    return {
      industry: industry as SmeIndustry,
      gb4754Sections: field('gb4754_sections').split(';'),
      medium: tier('medium'),
      small: tier('small'),
      smeCeiling,
    }
  })
  validateSmeSizeTable(table)
  return table
}

/**
 * Checks the invariants the classification relies on: one row per industry including `other`;
 * medium and small list the same metrics, with medium floors ≥ small floors; at least one ceiling
 * condition; whole, non-negative figures. Call it on any table loaded at run time.
 *
 * @throws DomainError `invalid-table`
 */
export function validateSmeSizeTable(table: SmeSizeTable): void {
  const seen = new Set<string>()
  for (const rule of table) {
    const where = `industry ${rule.industry}`
    if (seen.has(rule.industry)) throw new DomainError('invalid-table', `${where}: duplicate row`)
    seen.add(rule.industry)
    if (rule.smeCeiling.length === 0) throw new DomainError('invalid-table', `${where}: no SME ceiling`)
    for (const c of rule.smeCeiling) assertWhole(c.below, where)
    for (const metric of SIZE_METRICS) {
      const medium = rule.medium[metric]
      const small = rule.small[metric]
      if ((medium === undefined) !== (small === undefined)) {
        throw new DomainError('invalid-table', `${where}: ${metric} is a floor of only one of medium and small`)
      }
      if (medium !== undefined && small !== undefined) {
        assertWhole(medium, where)
        assertWhole(small, where)
        if (medium < small) throw new DomainError('invalid-table', `${where}: medium ${metric} floor below small floor`)
      }
    }
    if (SIZE_METRICS.every((m) => rule.small[m] === undefined)) throw new DomainError('invalid-table', `${where}: no floors`)
  }
  if (!seen.has('other')) throw new DomainError('invalid-table', 'no row for industry other')
}

function parseWholeNumber(cell: string, line: number): number {
  if (!/^(0|[1-9][0-9]*)$/.test(cell)) throw new DomainError('invalid-table', `line ${line}: not a whole number: ${JSON.stringify(cell)}`)
  return Number(cell)
}

function assertWhole(value: number, where: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new DomainError('invalid-table', `${where}: not a whole number: ${value}`)
}
