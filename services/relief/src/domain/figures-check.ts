import type { Fen } from '@sme/domain'
import type { ReliefEnterprise } from './application.js'

/**
 * The application's size figures against what the scoring service's data shows of the same firm.
 *
 * The SME size (POLICY §1, 《中小企业划型标准规定》工信部联企业〔2011〕300号, 2011-06-18) rests on
 * revenue and employees, and the size decides who a programme serves. Those figures reach us typed
 * in by a branch or the borrower; the scoring service reads the tax returns and the social-insurance
 * headcount. Small differences are normal (a year is not the same twelve months, not every employee
 * is insured); a difference of an order of magnitude is not: it is a slipped unit (yuan for ten
 * thousand yuan, fen for yuan) or a firm that is not the size it claims, and a relief granted on it
 * would be granted to a firm the notice may not cover. Such an application goes to an officer, who
 * looks at the statements.
 */

/** What the scored data shows: the scoring answer's observed figures. */
export interface ObservedSizeFigures {
  /** Revenue declared to the tax bureau over the last 12 complete months, fen; `null` when not every quarter was reported. */
  readonly revenue12mFen: Fen | null
  /** Insured employees in the latest recent month; `null` when none reported. */
  readonly employees: number | null
}

/** One figure off by an order of magnitude or more. */
export type FiguresField = 'revenueFen' | 'employees'

/** A figure is implausible when the larger of the two is at least this many times the smaller. */
export const IMPLAUSIBLE_FACTOR = 10n

/**
 * Below these, a difference cannot move a firm across a size class of any industry (the lowest
 * thresholds of the 2011 standard are CNY 500,000 of revenue and 5 employees for a micro firm), so
 * "ten times nothing" flags nothing: the smaller figure counts as at least this much.
 */
export const COMPARISON_FLOOR = { revenueFen: 10_000_000n, employees: 1n } as const satisfies Record<FiguresField, bigint>

export interface FiguresComparison {
  readonly field: FiguresField
  /** As the application states it, and as the scored data shows it (fen as decimal strings). */
  readonly application: string
  readonly observed: string
  readonly implausible: boolean
}

export interface FiguresCheck {
  /** Every figure both sides have. Empty when there is nothing to compare. */
  readonly compared: readonly FiguresComparison[]
  /** The fields off by {@link IMPLAUSIBLE_FACTOR} or more. */
  readonly implausible: readonly FiguresField[]
}

/** Whether `a` and `b` differ by the factor or more, each counted as at least `floor`. Exact integer arithmetic. */
export function ordersApart(a: bigint, b: bigint, floor: bigint): boolean {
  const [low, high] = a < b ? [a, b] : [b, a]
  return high >= IMPLAUSIBLE_FACTOR * (low < floor ? floor : low)
}

/** Compares the application's revenue and employees with the observed figures. Pure. */
export function checkFigures(enterprise: Pick<ReliefEnterprise, 'revenueFen' | 'employees'>, observed: ObservedSizeFigures): FiguresCheck {
  const compared: FiguresComparison[] = []
  const compare = (field: FiguresField, application: bigint | undefined, seen: bigint | null): void => {
    if (application === undefined || seen === null) return
    compared.push({ field, application: application.toString(), observed: seen.toString(), implausible: ordersApart(application, seen, COMPARISON_FLOOR[field]) })
  }
  compare('revenueFen', enterprise.revenueFen, observed.revenue12mFen)
  compare('employees', enterprise.employees === undefined ? undefined : BigInt(enterprise.employees), observed.employees === null ? null : BigInt(observed.employees))
  return { compared, implausible: compared.filter((c) => c.implausible).map((c) => c.field) }
}
