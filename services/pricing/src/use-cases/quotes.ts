import { randomUUID } from 'node:crypto'
import { parseDate } from '@sme/domain'
import { QuoteAccepted, QuoteIssued, type QuoteIssuedData } from '@sme/contracts'
import { AppError, type ServiceContext } from '@sme/kit'
import { MAX_PRINCIPAL_FEN, PricingError, priceQuote, QUOTE_CONVENTIONS, type BorrowerProfile, type PricedQuote, type QuoteRequest } from '../domain/index.js'
import type { QuoteBody } from '../schemas.js'
import type { QuoteStatements } from '../store/quotes.js'
import type { SourcesCache } from '../store/reference.js'
import type { PricingDb, PricingTables, PricingTx } from '../store/tables.js'

/** How long a quote may be accepted. */
export const QUOTE_VALIDITY_DAYS = 7

type Origin = QuoteIssuedData['origin']

/** A quote request with the borrower as pricing knows it (the key list the firm is on, on the pricing date). */
export function quoteRequestOf(body: QuoteBody, keyList: BorrowerProfile['keyList']): QuoteRequest {
  const pricingDate = parseDate(body.pricingDate)
  const principal = BigInt(body.principalFen)
  if (principal <= 0n || principal > MAX_PRINCIPAL_FEN) throw new PricingError('invalid-argument', `the principal must be above 0 and at most ${MAX_PRINCIPAL_FEN} fen`, '/body/principalFen')
  if ((body.graceMonths ?? 0) >= body.termMonths) throw new PricingError('invalid-argument', 'the grace must be shorter than the term', '/body/graceMonths')
  const b = body.borrower
  const borrower: BorrowerProfile = {
    kind: b.kind,
    size: b.kind === 'enterprise' ? b.size : null,
    grade: body.grade,
    affected: body.affected,
    keyList: b.kind === 'enterprise' ? keyList : null,
    inclusiveSmallMicro: b.inclusiveSmallMicro,
  }
  return {
    borrower,
    product: body.product,
    principal,
    termMonths: body.termMonths,
    method: body.method,
    ...(body.graceMonths === undefined ? {} : { graceMonths: body.graceMonths }),
    pricingDate,
    startDate: parseDate(body.startDate),
    ...(body.guaranteeFeeBp === undefined ? {} : { guaranteeFeeBp: body.guaranteeFeeBp }),
  }
}

/** How a caller's request is recognised again: its Idempotency-Key and the request's fingerprint. */
export interface QuoteIdempotency {
  readonly key: string
  readonly fingerprint: string
}

/**
 * Prices and stores a quote in `tx`. A quote for a relief decision is published (QuoteIssued, in the
 * same transaction); one asked for over HTTP is the caller's answer, published when accepted.
 * Idempotent by the quote itself: the same caller's key answers the quote it created (`replayed`),
 * another request under that key is refused (422).
 */
export async function issueQuote(
  db: PricingDb | PricingTx,
  deps: { outbox: ServiceContext<PricingTables>['outbox']; now: () => Date; sources: SourcesCache; statements: QuoteStatements },
  input: { body: QuoteBody; issuedBy: string; origin: Origin; idempotency?: QuoteIdempotency; traceparent?: string },
): Promise<{ quote: StoredQuote; replayed: boolean }> {
  const b = input.body.borrower
  const { sources, keyList } = await deps.sources.get(db, b.kind === 'enterprise' ? { uscc: b.uscc, on: parseDate(input.body.pricingDate) } : null)
  let priced: PricedQuote
  try {
    priced = priceQuote(quoteRequestOf(input.body, keyList), sources)
  } catch (err) {
    // A retry of a request that was priced before is answered as it was, not judged again.
    const earlier = input.idempotency === undefined ? undefined : await quoteByKey(db, input.issuedBy, input.idempotency)
    if (earlier !== undefined) return { quote: earlier, replayed: true }
    throw err
  }
  const data = quoteData(randomUUID(), input.body, priced, input.origin, deps.now())
  if (!(await storeQuote(db, deps, data, input.issuedBy, input.idempotency ?? null, input.traceparent))) {
    const earlier = input.idempotency === undefined ? undefined : await quoteByKey(db, input.issuedBy, input.idempotency)
    if (earlier !== undefined) return { quote: earlier, replayed: true }
    throw new AppError('conflict', 'this quote was issued already')
  }
  const expiresAt = new Date(data.expiresAt)
  return { quote: { data, branchId: data.branchId, expiresAt, acceptedAt: null }, replayed: false }
}

/**
 * Stores an issued quote in one statement; a quote for a relief decision is published with it
 * (QuoteIssued through the outbox, in the same transaction). False when the caller's key (or the
 * relief decision revision) has a quote already: nothing is written.
 */
export async function storeQuote(
  db: PricingDb | PricingTx,
  deps: { outbox: ServiceContext<PricingTables>['outbox']; statements: QuoteStatements },
  data: QuoteIssuedData,
  issuedBy: string,
  idempotency: QuoteIdempotency | null,
  traceparent?: string,
): Promise<boolean> {
  const { schedule, ...summary } = data
  const { rows } = await deps.statements.insert.execute(db, {
    id: data.quoteId,
    branch_id: data.branchId,
    loan_id: data.loanId,
    quote: JSON.stringify(summary),
    schedule: JSON.stringify(schedule),
    idempotency_key: idempotency?.key ?? null,
    request_fingerprint: idempotency?.fingerprint ?? null,
    issued_by: issuedBy,
    issued_at: new Date(data.issuedAt),
    expires_at: new Date(data.expiresAt),
    relief_application_id: data.origin.kind === 'relief-decision' ? data.origin.applicationId : null,
    relief_revision: data.origin.kind === 'relief-decision' ? data.origin.revision : null,
  })
  if (rows[0] === undefined) return false
  if (data.origin.kind === 'relief-decision') {
    // The event commits with the quote, or neither does.
    if (!db.isTransaction) throw new Error('a quote for a relief decision is issued in a transaction')
    await deps.outbox.enqueue(db as PricingTx, QuoteIssued, data, { subject: data.loanId ?? data.quoteId, ...(traceparent ? { traceparent } : {}) })
  }
  return true
}

async function quoteByKey(db: PricingDb | PricingTx, issuedBy: string, idempotency: QuoteIdempotency): Promise<StoredQuote | undefined> {
  const row = await db
    .selectFrom('quotes')
    .select(['quote', 'schedule', 'branch_id', 'expires_at', 'accepted_at', 'request_fingerprint'])
    .where('issued_by', '=', issuedBy)
    .where('idempotency_key', '=', idempotency.key)
    .executeTakeFirst()
  if (row === undefined) return undefined
  if (row.request_fingerprint !== idempotency.fingerprint) throw new AppError('idempotency_key_reused', 'This Idempotency-Key was used for a different request; use a new key')
  return storedQuote(row)
}

/** What a quote is for, as it states it (a request's body has these, a re-priced decision too). */
export interface QuoteFacts {
  readonly loanId?: string | null
  readonly branchId: string
  readonly borrower: { readonly kind: 'enterprise'; readonly uscc: string } | { readonly kind: 'person'; readonly borrowerId: string }
  readonly product: string
  readonly method: string
  readonly termMonths: number
  readonly graceMonths?: number
  readonly principalFen: string
  readonly pricingDate: string
  readonly startDate: string
}

/** The event (and API) form of a priced quote, issued `issuedAt` and open for {@link QUOTE_VALIDITY_DAYS}: fen as decimal strings. */
export function quoteData(quoteId: string, body: QuoteFacts, q: PricedQuote, origin: Origin, issuedAt: Date): QuoteIssuedData {
  const expiresAt = new Date(issuedAt.getTime() + QUOTE_VALIDITY_DAYS * 86_400_000)
  const fen = (v: bigint) => v.toString()
  const b = body.borrower
  return {
    quoteId,
    issuedAt: issuedAt.toISOString(),
    expiresAt: expiresAt.toISOString(),
    origin,
    loanId: body.loanId ?? null,
    branchId: body.branchId,
    borrower: b.kind === 'enterprise' ? { kind: 'enterprise', uscc: b.uscc } : { kind: 'person', borrowerId: b.borrowerId },
    product: body.product,
    method: body.method,
    termMonths: body.termMonths,
    graceMonths: body.graceMonths ?? 0,
    principalFen: body.principalFen,
    pricingDate: body.pricingDate,
    startDate: body.startDate,
    rate: {
      lpr: { tenor: q.rate.lpr.tenor, rateBp: q.rate.lpr.rateBp, publishedOn: q.rate.lpr.publishedOn },
      basis: q.rate.basis,
      cardRateBp: q.rate.cardRateBp,
      nominalRateBp: q.rate.nominalRateBp,
      firmRateCentiBp: q.rate.firmRateCentiBp,
      considered: q.rate.considered.map((c) => ({ id: c.id, version: c.version, kind: c.kind, status: c.status, code: c.code })),
    },
    subsidies: q.rate.subsidies.map((s) => ({
      id: s.id,
      version: s.version,
      payer: s.payer,
      centiBp: s.centiBp,
      totalFen: fen(q.subsidy.totals.find((t) => t.id === s.id && t.version === s.version)?.amount ?? 0n),
    })),
    annualized: { method: 'IRR', compounding: 'monthly', contractCentiBp: q.contractAnnualized.centiBp, firmCentiBp: q.firmCost.annualized.centiBp },
    totals: { interestFen: fen(q.firmCost.interestFen), subsidyFen: fen(q.firmCost.subsidyFen), guaranteeFeeFen: fen(q.firmCost.guaranteeFeeFen), firmCostFen: fen(q.firmCost.netFen) },
    schedule: scheduleColumns(q),
  }
}

/** The schedule by column, fen as decimal strings (the contract's form). */
function scheduleColumns(q: PricedQuote): QuoteIssuedData['schedule'] {
  const periods = q.schedule.periods
  const n = periods.length
  const columns = { dueDate: new Array<string>(n), days: new Array<number>(n), principalFen: new Array<string>(n), interestFen: new Array<string>(n), subsidyFen: new Array<string>(n), guaranteeFeeFen: new Array<string>(n), paymentFen: new Array<string>(n) }
  for (let k = 0; k < n; k++) {
    const p = periods[k]!
    let subsidy = 0n
    for (const s of q.subsidy.periods[k]!) subsidy += s.amount
    columns.dueDate[k] = p.dueDate
    columns.days[k] = p.days
    columns.principalFen[k] = p.principal.toString()
    columns.interestFen[k] = p.interest.toString()
    columns.subsidyFen[k] = subsidy.toString()
    columns.guaranteeFeeFen[k] = (q.guaranteeFees[k] ?? 0n).toString()
    columns.paymentFen[k] = q.paid[k]!.toString()
  }
  return columns
}

export interface StoredQuote {
  data: QuoteIssuedData
  branchId: string
  expiresAt: Date
  acceptedAt: Date | null
}

type Row = { quote: unknown; schedule: string; branch_id: string; expires_at: Date; accepted_at: Date | null }

/** A stored quote whole again: its summary and its schedule (kept as text beside it). */
function storedQuote(row: Row): StoredQuote {
  const summary = row.quote as Omit<QuoteIssuedData, 'schedule'>
  const schedule = JSON.parse(row.schedule) as QuoteIssuedData['schedule']
  return { data: { ...summary, schedule }, branchId: row.branch_id, expiresAt: row.expires_at, acceptedAt: row.accepted_at }
}

export async function quoteById(db: PricingDb | PricingTx, id: string): Promise<StoredQuote | undefined> {
  const row = await db.selectFrom('quotes').select(['quote', 'schedule', 'branch_id', 'expires_at', 'accepted_at']).where('id', '=', id).executeTakeFirst()
  return row && storedQuote(row)
}

/** The API view: the quote as issued, where it stands, and its conventions. */
export function quoteView(q: StoredQuote, now: Date) {
  const status = q.acceptedAt !== null ? 'accepted' : now >= q.expiresAt ? 'expired' : 'open'
  return { ...q.data, status, acceptedAt: q.acceptedAt?.toISOString() ?? null, conventions: QUOTE_CONVENTIONS } as const
}

/**
 * Accepts a quote once: the first acceptance before expiry records it and publishes QuoteAccepted;
 * another answers the same acceptance and changes nothing; an expired quote cannot be accepted.
 */
export async function acceptQuote(tx: PricingTx, ctx: Pick<ServiceContext<PricingTables>, 'outbox' | 'now'>, id: string, by: string, canSee: (branchId: string) => boolean): Promise<StoredQuote> {
  const row = await tx.selectFrom('quotes').select(['quote', 'schedule', 'branch_id', 'expires_at', 'accepted_at', 'loan_id']).where('id', '=', id).forUpdate().executeTakeFirst()
  if (!row || !canSee(row.branch_id)) throw new AppError('not_found', `no quote ${id}`)
  const stored = storedQuote(row)
  if (row.accepted_at !== null) return stored
  const now = ctx.now()
  if (now >= row.expires_at) throw new AppError('conflict', `quote ${id} expired at ${row.expires_at.toISOString()}`, { extra: { expiresAt: row.expires_at.toISOString() } })
  await tx.updateTable('quotes').set({ accepted_at: now, accepted_by: by }).where('id', '=', id).execute()
  await ctx.outbox.enqueue(tx, QuoteAccepted, { quoteId: id, loanId: row.loan_id, acceptedAt: now.toISOString(), quote: stored.data }, { subject: row.loan_id ?? id })
  return { ...stored, acceptedAt: now }
}
