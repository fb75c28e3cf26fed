import { addMonths, basisYearDays, DEFAULT_DAY_COUNT_BASIS, type Fen } from '@sme/domain'
import type { SubsidyTerms } from './rate.js'
import type { Schedule } from './schedule.js'

/** A subsidy's share of one period's interest. */
export interface SubsidyAmount {
  readonly id: string
  readonly version: number
  readonly payer: SubsidyTerms['payer']
  readonly amount: Fen
}

export interface SubsidySchedule {
  /** Per period (same order as the schedule's), what each subsidy pays of its interest. */
  readonly periods: readonly (readonly SubsidyAmount[])[]
  readonly totals: readonly SubsidyAmount[]
  /** Interest the borrower bears after every subsidy, over the whole schedule. */
  readonly borrowerInterest: Fen
}

/** How subsidies are computed, stated with every quote. */
export const SUBSIDY_CONVENTIONS = {
  periods: 'A subsidy covers the periods falling due within its months from the value date (at most one year: periods 1–12 of a monthly schedule).',
  rounding: 'Each subsidy is computed per period on the opening principal for the period’s days at its rate (hundredths of a bp), rounded half-up to the fen per period, not on the year’s total.',
  order: 'Subsidies apply by precedence (central, then local); together they never exceed a period’s interest, so the borrower’s cost is never below zero.',
} as const

/**
 * What each subsidy pays of each period's interest (conventions in {@link SUBSIDY_CONVENTIONS}).
 */
export function subsidySchedule(schedule: Schedule, subsidies: readonly SubsidyTerms[]): SubsidySchedule {
  const yearDays = BigInt(basisYearDays(schedule.terms.basis ?? DEFAULT_DAY_COUNT_BASIS))
  const denominator = 100n * 10_000n * yearDays
  const totals = new Map<string, SubsidyAmount>()
  let borne = 0n
  const periods = schedule.periods.map((period) => {
    let room = period.interest
    const amounts: SubsidyAmount[] = []
    for (const s of subsidies) {
      if (period.dueDate > addMonths(schedule.terms.startDate, s.maxMonths)) continue
      const exact = period.openingPrincipal * BigInt(s.centiBp) * BigInt(period.days)
      const wanted = (2n * exact + denominator) / (2n * denominator)
      const amount = wanted < room ? wanted : room
      room -= amount
      amounts.push({ id: s.id, version: s.version, payer: s.payer, amount })
      const key = `${s.id}@${s.version}`
      totals.set(key, { id: s.id, version: s.version, payer: s.payer, amount: (totals.get(key)?.amount ?? 0n) + amount })
    }
    borne += room
    return amounts
  })
  return { periods, totals: [...totals.values()], borrowerInterest: borne }
}
