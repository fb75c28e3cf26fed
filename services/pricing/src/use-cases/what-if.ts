import { sql } from 'kysely'
import { AppError } from '@sme/kit'
import { bookImpact, isPricingError, priceQuote, type PricedQuote, type PricingRecord, type QuoteFigures, type QuoteRequest, type RateSources, type Repriced, type Unpriced } from '../domain/index.js'
import type { PricingRecordBody } from '../record-schemas.js'
import { requestOfInputs } from '../store/quote-inputs.js'
import { byKind, recordRowsByRefs, type SourcesCache } from '../store/reference.js'
import type { PricingDb } from '../store/tables.js'
import { recordOf } from './records.js'

/** The most quotes one what-if prices (twice each): a run stays within a request's time. */
export const MAX_WHAT_IF_QUOTES = 5_000
/** The changed quotes a report lists one by one (the sums cover them all). */
export const MAX_LISTED_CHANGES = 1_000

export interface WhatIfCommand {
  readonly drafts?: readonly { id: string; version: number }[] | undefined
  readonly records?: readonly PricingRecordBody[] | undefined
  /** `accepted`: the quotes firms took (the book); `issued`: every quote, taken or not. */
  readonly book: 'accepted' | 'issued'
  /** Pricing dates, both ends included. */
  readonly from?: string | undefined
  readonly to?: string | undefined
  readonly branchIds?: readonly string[] | undefined
  readonly limit: number
}

type Figures = Record<keyof QuoteFigures, string | number>

const refKey = (r: { id: string; version: number }) => `${r.id}@${r.version}`

/**
 * How the book's cost would change under draft records before they are activated: each selected
 * quote is priced again from the request it was priced from, at its own pricing date, under the
 * active records (what quotes use today) and under them with the drafts laid over (the highest
 * version in force applies, so a draft v2 replaces the active v1 from its effective date). The
 * firms' cost and the subsidy budget by payer and year, before and after. Reads only.
 */
export async function whatIf(db: PricingDb, cache: SourcesCache, command: WhatIfCommand) {
  const refs = command.drafts ?? []
  if (refs.length === 0 && (command.records ?? []).length === 0) {
    throw new AppError('validation_failed', 'name at least one draft (drafts) or give a record inline (records)', { extra: { errors: [{ field: '/body/drafts', message: 'at least one draft or inline record is required' }] } })
  }
  const named = await recordRowsByRefs(db, refs)
  const missing = refs.filter((r) => !named.some((n) => n.id === r.id && n.version === r.version))
  if (missing.length > 0) throw new AppError('not_found', `no record ${missing.map(refKey).join(', ')}`)
  // The active records and the LPR as quotes read them (parsed once per change).
  const { sources: live } = await cache.get(db)
  const active: PricingRecord[] = [...live.cards, ...live.programmes, ...live.bridgeFunds]
  const activeKeys = new Set(active.map(refKey))
  const overlay: PricingRecord[] = []
  // A named version already active prices both sides alike: nothing to lay over.
  for (const row of named) if (row.status === 'draft') overlay.push(row.definition as PricingRecord)
  for (const [i, body] of (command.records ?? []).entries()) {
    const record = recordOf(body, `/body/records/${i}`)
    if (activeKeys.has(refKey(record)) || overlay.some((o) => refKey(o) === refKey(record))) {
      throw new AppError('conflict', `record ${refKey(record)} exists already: give the inline version a higher number`)
    }
    overlay.push(record)
  }
  const drafted: RateSources = { lpr: live.lpr, ...byKind([...active, ...overlay]) }

  const rows = await bookQuotes(db, command)
  const limited = rows.length > command.limit
  const selected = limited ? rows.slice(0, command.limit) : rows
  const priced = selected.filter((r) => r.inputs !== null)
  const book: Repriced[] = priced.map((r) => {
    const request = requestOfInputs(r.inputs!)
    return { id: r.id, before: priceOrRefusal(r.id, 'before', request, live), after: priceOrRefusal(r.id, 'after', request, drafted) }
  })
  const impact = bookImpact(book)
  const summaries = new Map(priced.map((r) => [r.id, r]))
  const fen = (v: bigint) => v.toString()
  const figures = (f: QuoteFigures): Figures => ({ ...f, interestFen: fen(f.interestFen), subsidyFen: fen(f.subsidyFen), guaranteeFeeFen: fen(f.guaranteeFeeFen), firmCostFen: fen(f.firmCostFen) })
  const totals = (t: typeof impact.before) => ({ interestFen: fen(t.interestFen), subsidyFen: fen(t.subsidyFen), guaranteeFeeFen: fen(t.guaranteeFeeFen), firmCostFen: fen(t.firmCostFen) })
  return {
    evaluated: priced.length,
    limited,
    // Quotes not priced from a request of their own (relief re-pricings at a contract's rate), or issued before requests were kept.
    skipped: selected.length - priced.length,
    overlay: overlay.map((r) => ({ id: r.id, version: r.version, kind: r.kind })),
    compared: impact.compared,
    totals: {
      before: totals(impact.before),
      after: totals(impact.after),
      change: {
        interestFen: fen(impact.after.interestFen - impact.before.interestFen),
        subsidyFen: fen(impact.after.subsidyFen - impact.before.subsidyFen),
        guaranteeFeeFen: fen(impact.after.guaranteeFeeFen - impact.before.guaranteeFeeFen),
        firmCostFen: fen(impact.after.firmCostFen - impact.before.firmCostFen),
      },
    },
    budget: impact.budget.map((l) => ({ payer: l.payer, year: l.year, beforeFen: fen(l.beforeFen), afterFen: fen(l.afterFen), changeFen: fen(l.afterFen - l.beforeFen) })),
    changed: impact.changes.length,
    changes: impact.changes.slice(0, MAX_LISTED_CHANGES).map((c) => {
      const s = summaries.get(c.id)!
      return { quoteId: c.id, branchId: s.branch_id, pricingDate: s.pricing_date, before: figures(c.before), after: figures(c.after), programmes: c.programmes.map((p) => ({ ...p })) }
    }),
    unpriced: impact.unpriced.map((u) => ({ quoteId: u.id, side: u.side, code: u.code, message: u.message })),
  }
}

function priceOrRefusal(id: string, side: 'before' | 'after', request: QuoteRequest, sources: RateSources): PricedQuote | Unpriced {
  try {
    return priceQuote(request, sources)
  } catch (err) {
    if (isPricingError(err)) return { id, side, code: err.code, message: err.message }
    throw err
  }
}

/** The book's quotes in issue order, one more than the limit (to tell a cut selection). */
async function bookQuotes(db: PricingDb, command: WhatIfCommand) {
  let q = db
    .selectFrom('quotes')
    .select(['id', 'branch_id', 'inputs', sql<string>`quote->>'pricingDate'`.as('pricing_date')])
    .orderBy('issued_at')
    .orderBy('id')
    .limit(command.limit + 1)
  if (command.book === 'accepted') q = q.where('accepted_at', 'is not', null)
  if (command.from !== undefined) q = q.where(sql<string>`quote->>'pricingDate'`, '>=', command.from)
  if (command.to !== undefined) q = q.where(sql<string>`quote->>'pricingDate'`, '<=', command.to)
  if (command.branchIds !== undefined && command.branchIds.length > 0) q = q.where('branch_id', 'in', [...command.branchIds])
  return q.execute()
}
