import type { Fen } from '@sme/domain'
import type { PricingErrorCode } from './errors.js'
import type { PricedQuote } from './quote.js'
import type { Consideration, SubsidyTerms } from './rate.js'

/**
 * What a quote of the book costs, as a what-if compares it: the rate, the firm's cost and who pays
 * the subsidies in which calendar year (the treasuries budget by year).
 */
export interface QuoteFigures {
  readonly nominalRateBp: number
  readonly firmRateCentiBp: number
  readonly interestFen: Fen
  readonly subsidyFen: Fen
  readonly guaranteeFeeFen: Fen
  /** Interest less subsidies plus guarantee fees. */
  readonly firmCostFen: Fen
}

/** The sums over the book. */
export interface BookTotals {
  readonly interestFen: Fen
  readonly subsidyFen: Fen
  readonly guaranteeFeeFen: Fen
  readonly firmCostFen: Fen
}

/** A subsidy payer's bill for one calendar year, before and after. */
export interface BudgetLine {
  readonly payer: SubsidyTerms['payer']
  readonly year: number
  readonly beforeFen: Fen
  readonly afterFen: Fen
}

/** A programme whose outcome for a quote differs: its status and code before and after (`null`: not considered). */
export interface ProgrammeChange {
  readonly id: string
  readonly before: { readonly version: number; readonly status: Consideration['status']; readonly code: string } | null
  readonly after: { readonly version: number; readonly status: Consideration['status']; readonly code: string } | null
}

export interface QuoteChange {
  readonly id: string
  readonly before: QuoteFigures
  readonly after: QuoteFigures
  readonly programmes: readonly ProgrammeChange[]
}

/** A quote one side could not price (a draft card without the quote's grade, a record ending before its date). */
export interface Unpriced {
  readonly id: string
  readonly side: 'before' | 'after'
  readonly code: PricingErrorCode
  readonly message: string
}

/** One quote of the book priced twice, or refused by a side. */
export type Repriced = { readonly id: string; readonly before: PricedQuote | Unpriced; readonly after: PricedQuote | Unpriced }

export interface BookImpact {
  /** Quotes both sides priced. */
  readonly compared: number
  readonly before: BookTotals
  readonly after: BookTotals
  readonly budget: readonly BudgetLine[]
  /** The quotes whose rate or cost differ (with the programmes whose outcome differs), in the book's order. */
  readonly changes: readonly QuoteChange[]
  readonly unpriced: readonly Unpriced[]
}

export function quoteFigures(q: PricedQuote): QuoteFigures {
  const c = q.firmCost
  return { nominalRateBp: q.rate.nominalRateBp, firmRateCentiBp: q.rate.firmRateCentiBp, interestFen: c.interestFen, subsidyFen: c.subsidyFen, guaranteeFeeFen: c.guaranteeFeeFen, firmCostFen: c.netFen }
}

const isUnpriced = (x: PricedQuote | Unpriced): x is Unpriced => 'code' in x

/**
 * How a book's cost would change: each quote priced under the records in force (before) and under
 * them with the drafts laid over (after). Sums over the quotes both sides price, the subsidies by
 * payer and the calendar year their periods fall due, and each quote whose rate, cost or programme
 * outcomes differ. Exact to the fen: sums of the quotes' own fen figures, nothing rounded again.
 */
export function bookImpact(book: readonly Repriced[]): BookImpact {
  const zero = (): { interestFen: Fen; subsidyFen: Fen; guaranteeFeeFen: Fen; firmCostFen: Fen } => ({ interestFen: 0n, subsidyFen: 0n, guaranteeFeeFen: 0n, firmCostFen: 0n })
  const totals = { before: zero(), after: zero() }
  const budget = new Map<string, { payer: SubsidyTerms['payer']; year: number; beforeFen: Fen; afterFen: Fen }>()
  const changes: QuoteChange[] = []
  const unpriced: Unpriced[] = []
  let compared = 0
  for (const { id, before, after } of book) {
    if (isUnpriced(before) || isUnpriced(after)) {
      if (isUnpriced(before)) unpriced.push(before)
      if (isUnpriced(after)) unpriced.push(after)
      continue
    }
    compared++
    const figures = { before: quoteFigures(before), after: quoteFigures(after) }
    for (const side of ['before', 'after'] as const) {
      const t = totals[side]
      const f = figures[side]
      t.interestFen += f.interestFen
      t.subsidyFen += f.subsidyFen
      t.guaranteeFeeFen += f.guaranteeFeeFen
      t.firmCostFen += f.firmCostFen
      const q = side === 'before' ? before : after
      q.subsidy.periods.forEach((amounts, k) => {
        const year = Number(q.schedule.periods[k]!.dueDate.slice(0, 4))
        for (const s of amounts) {
          if (s.amount === 0n) continue
          const key = `${s.payer}|${year}`
          const line = budget.get(key) ?? { payer: s.payer, year, beforeFen: 0n, afterFen: 0n }
          if (side === 'before') line.beforeFen += s.amount
          else line.afterFen += s.amount
          budget.set(key, line)
        }
      })
    }
    if (!sameFigures(figures.before, figures.after)) changes.push({ id, ...figures, programmes: programmeChanges(before.rate.considered, after.rate.considered) })
  }
  const lines = [...budget.values()].sort((a, b) => (a.payer < b.payer ? -1 : a.payer > b.payer ? 1 : a.year - b.year))
  return { compared, before: totals.before, after: totals.after, budget: lines, changes, unpriced }
}

function sameFigures(a: QuoteFigures, b: QuoteFigures): boolean {
  return a.nominalRateBp === b.nominalRateBp && a.firmRateCentiBp === b.firmRateCentiBp && a.interestFen === b.interestFen && a.subsidyFen === b.subsidyFen && a.guaranteeFeeFen === b.guaranteeFeeFen
}

/** The programmes whose version, status or code differ between two rate builds (by id, in the order first met). */
function programmeChanges(before: readonly Consideration[], after: readonly Consideration[]): ProgrammeChange[] {
  const ids = [...new Set([...before.map((c) => c.id), ...after.map((c) => c.id)])]
  const brief = (c: Consideration | undefined) => (c === undefined ? null : { version: c.version, status: c.status, code: c.code })
  const changes: ProgrammeChange[] = []
  for (const id of ids) {
    const b = brief(before.find((c) => c.id === id))
    const a = brief(after.find((c) => c.id === id))
    if (b?.version !== a?.version || b?.status !== a?.status || b?.code !== a?.code) changes.push({ id, before: b, after: a })
  }
  return changes
}
