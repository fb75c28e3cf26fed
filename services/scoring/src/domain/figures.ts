import type { CalendarDate, Fen } from '@sme/domain'
import type { DataPoint, DataPointKind, DataPointOf, HeadcountScheme } from './data-points.js'
import { usablePoints, type FreshnessPolicy } from './features.js'
import { monthFromIndex, monthIndex, type YearMonth } from './periods.js'

/**
 * The firm's size figures as the data feeds show them: what the scored data says of its revenue and
 * its staff. Not features (no model bins them, a score does not depend on them): they are reported
 * beside the score so that a service deciding on figures a borrower or a branch typed in can see
 * when those figures and the feeds disagree (the SME size, and with it a programme's eligibility,
 * rests on revenue and headcount, POLICY §1).
 */
export interface ObservedFigures {
  /**
   * Revenue declared to the tax bureau over the last 12 complete months (M−12 … M−1, M the month of
   * `asOf`), fen: the sum of the returns whose period falls in the window. `null` unless every
   * quarter of the window (three consecutive months) holds a return, so that a gap in the feed is
   * never read as a small firm. A quarterly return's period is the last month it covers; any three
   * consecutive months contain one quarter-end, so a quarterly filer covers every quarter too.
   */
  readonly declaredRevenue12mFen: Fen | null
  /** Insured employees in the latest month reported within the last three (M−3 … M); `null` when none. */
  readonly employees: number | null
  /** The month `employees` is of. */
  readonly employeesMonth: YearMonth | null
  /** The points read, sorted: the lineage of the figures. */
  readonly dataPointIds: readonly string[]
}

/** How far back the latest headcount may lie: a quarter, so a firm that shed its staff shows it. */
const HEADCOUNT_RECENCY_MONTHS = 3

/**
 * The observed figures at `asOf` from the points usable under `freshness` (the champion's windows,
 * so the figures describe the data the score describes). Pure; the order of `points` does not matter.
 */
export function observedFigures(points: readonly DataPoint[], asOf: CalendarDate, freshness: FreshnessPolicy): ObservedFigures {
  const usable = usablePoints(points, asOf, freshness)
  const of = <K extends DataPointKind>(kind: K) => (usable.get(kind) ?? []) as readonly DataPointOf<K>[]
  const month = monthIndex(asOf)
  const ids: string[] = []

  let revenue = 0n
  const quarters = new Set<number>()
  for (const point of of('tax-return')) {
    const m = monthIndex(point.period)
    if (m < month - 12 || m > month - 1) continue
    revenue += point.declaredRevenue
    quarters.add(Math.floor((m - (month - 12)) / 3))
    ids.push(point.id)
  }

  // Social insurance first: it covers every employee by law; the housing fund only when it must.
  let headcount: DataPointOf<'headcount-month'> | undefined
  for (const scheme of ['social-insurance', 'housing-fund'] as const satisfies readonly HeadcountScheme[]) {
    for (const point of of('headcount-month')) {
      const m = monthIndex(point.period)
      if (point.scheme !== scheme || m < month - HEADCOUNT_RECENCY_MONTHS || m > month) continue
      if (headcount === undefined || point.period > headcount.period) headcount = point
    }
    if (headcount !== undefined) break
  }
  if (headcount !== undefined) ids.push(headcount.id)

  return {
    declaredRevenue12mFen: quarters.size === 4 ? revenue : null,
    employees: headcount?.employees ?? null,
    employeesMonth: headcount === undefined ? null : monthFromIndex(monthIndex(headcount.period)),
    dataPointIds: [...new Set(ids)].sort(),
  }
}
