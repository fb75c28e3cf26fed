import { randomUUID } from 'node:crypto'
import { parseDate } from '@sme/domain'
import { QuoteAccepted, QuoteIssued, type QuoteIssuedData } from '@sme/contracts'
import { AppError, type ServiceContext } from '@sme/kit'
import { MAX_PRINCIPAL_FEN, PricingError, priceQuote, QUOTE_CONVENTIONS, type BorrowerProfile, type PricedQuote, type QuoteRequest } from '../domain/index.js'
import type { QuoteBody } from '../schemas.js'
import { inputsJson } from '../store/quote-inputs.js'
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
  let request: QuoteRequest
  try {
    request = quoteRequestOf(input.body, keyList)
    priced = priceQuote(request, sources)
  } catch (err) {
    // A retry of a request that was priced before is answered as it was, not judged again.
    const earlier = input.idempotency === undefined ? undefined : await quoteByKey(db, input.issuedBy, input.idempotency)
    if (earlier !== undefined) return { quote: earlier, replayed: true }
    throw err
  }
  const issued = { ...issuedQuote(randomUUID(), input.body, priced, input.origin, deps.now()), inputs: inputsJson(request) }
  if (!(await storeQuote(db, deps, issued, input.issuedBy, input.idempotency ?? null, input.traceparent))) {
    const earlier = input.idempotency === undefined ? undefined : await quoteByKey(db, input.issuedBy, input.idempotency)
    if (earlier !== undefined) return { quote: earlier, replayed: true }
    throw new AppError('conflict', 'this quote was issued already')
  }
  return { quote: { summary: issued.summary, scheduleJson: issued.scheduleJson, branchId: issued.summary.branchId, expiresAt: new Date(issued.summary.expiresAt), acceptedAt: null }, replayed: false }
}

/** A quote as issued: its summary, and its schedule as the JSON text of its columns (stored and answered as is). */
export interface IssuedQuote {
  readonly summary: QuoteSummary
  readonly scheduleJson: string
  /** The request it was priced from, as JSON text (see inputsJson): a what-if prices the book again from it. */
  readonly inputs?: string
  /** The whole quote with its schedule as objects, where an event carries it. */
  readonly data?: QuoteIssuedData
}

/** A quote but its schedule. */
export type QuoteSummary = Omit<QuoteIssuedData, 'schedule'>

/** A priced quote as issued: the summary and the schedule's JSON, built once (see {@link scheduleJson}). */
export function issuedQuote(quoteId: string, facts: QuoteFacts, q: PricedQuote, origin: Origin, issuedAt: Date): IssuedQuote {
  return { summary: quoteSummary(quoteId, facts, q, origin, issuedAt), scheduleJson: scheduleJson(q) }
}

/**
 * Stores an issued quote in one statement; a quote for a relief decision is published with it
 * (QuoteIssued through the outbox, in the same transaction). False when the caller's key (or the
 * relief decision revision) has a quote already: nothing is written.
 */
export async function storeQuote(
  db: PricingDb | PricingTx,
  deps: { outbox: ServiceContext<PricingTables>['outbox']; statements: QuoteStatements },
  issued: IssuedQuote,
  issuedBy: string,
  idempotency: QuoteIdempotency | null,
  traceparent?: string,
): Promise<boolean> {
  const { summary } = issued
  const { rows } = await deps.statements.insert.execute(db, {
    id: summary.quoteId,
    branch_id: summary.branchId,
    loan_id: summary.loanId,
    quote: JSON.stringify(summary),
    schedule: issued.scheduleJson,
    idempotency_key: idempotency?.key ?? null,
    request_fingerprint: idempotency?.fingerprint ?? null,
    issued_by: issuedBy,
    issued_at: new Date(summary.issuedAt),
    expires_at: new Date(summary.expiresAt),
    relief_application_id: summary.origin.kind === 'relief-decision' ? summary.origin.applicationId : null,
    relief_revision: summary.origin.kind === 'relief-decision' ? summary.origin.revision : null,
    inputs: issued.inputs ?? null,
  })
  if (rows[0] === undefined) return false
  if (summary.origin.kind === 'relief-decision') {
    // The event commits with the quote, or neither does.
    if (!db.isTransaction) throw new Error('a quote for a relief decision is issued in a transaction')
    const data = issued.data ?? quoteDataOf({ summary, scheduleJson: issued.scheduleJson })
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
export function quoteData(quoteId: string, facts: QuoteFacts, q: PricedQuote, origin: Origin, issuedAt: Date): QuoteIssuedData {
  return { ...quoteSummary(quoteId, facts, q, origin, issuedAt), schedule: scheduleColumns(q) }
}

/** A quote but its schedule (see {@link quoteData}). */
function quoteSummary(quoteId: string, body: QuoteFacts, q: PricedQuote, origin: Origin, issuedAt: Date): QuoteSummary {
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
  }
}

/**
 * The schedule's columns as JSON text, written in one pass: the same text as
 * `JSON.stringify(scheduleColumns(q))` (tested), without building 2,500 strings in arrays first
 * and serializing them again — a 360-period quote's schedule is most of its cost.
 */
export function scheduleJson(q: PricedQuote): string {
  const periods = q.schedule.periods
  let dueDate = ''
  let days = ''
  let principal = ''
  let interest = ''
  let subsidy = ''
  let fee = ''
  let paid = ''
  for (let k = 0; k < periods.length; k++) {
    const p = periods[k]!
    const sep = k === 0 ? '"' : ',"'
    let subsidised = 0n
    for (const s of q.subsidy.periods[k]!) subsidised += s.amount
    dueDate += sep + p.dueDate + '"'
    days += (k === 0 ? '' : ',') + p.days
    principal += sep + p.principal + '"'
    interest += sep + p.interest + '"'
    subsidy += sep + subsidised + '"'
    fee += sep + (q.guaranteeFees[k] ?? 0n) + '"'
    paid += sep + q.paid[k]! + '"'
  }
  return `{"dueDate":[${dueDate}],"days":[${days}],"principalFen":[${principal}],"interestFen":[${interest}],"subsidyFen":[${subsidy}],"guaranteeFeeFen":[${fee}],"paymentFen":[${paid}]}`
}

/** The schedule by column, fen as decimal strings (the contract's form). */
export function scheduleColumns(q: PricedQuote): QuoteIssuedData['schedule'] {
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

/** A quote as stored: its summary, its schedule's JSON text, and where it stands. */
export interface StoredQuote {
  readonly summary: QuoteSummary
  readonly scheduleJson: string
  readonly branchId: string
  readonly expiresAt: Date
  readonly acceptedAt: Date | null
}

type Row = { quote: unknown; schedule: string; branch_id: string; expires_at: Date; accepted_at: Date | null }

/** A stored quote: its summary and its schedule's text as kept beside it (parsed only where an event needs it). */
function storedQuote(row: Row): StoredQuote {
  return { summary: row.quote as QuoteSummary, scheduleJson: row.schedule, branchId: row.branch_id, expiresAt: row.expires_at, acceptedAt: row.accepted_at }
}

/** The whole quote, its schedule as objects (for an event). */
export function quoteDataOf(q: Pick<StoredQuote, 'summary' | 'scheduleJson'>): QuoteIssuedData {
  return { ...q.summary, schedule: JSON.parse(q.scheduleJson) as QuoteIssuedData['schedule'] }
}

export async function quoteById(db: PricingDb | PricingTx, id: string): Promise<StoredQuote | undefined> {
  const row = await db.selectFrom('quotes').select(['quote', 'schedule', 'branch_id', 'expires_at', 'accepted_at']).where('id', '=', id).executeTakeFirst()
  return row && storedQuote(row)
}

const CONVENTIONS_JSON = Buffer.from(`,"conventions":${JSON.stringify(QUOTE_CONVENTIONS)},"schedule":`)
const CLOSE = Buffer.from('}')

/**
 * The API view as a JSON body (`QuoteView`): the quote as issued, where it stands, its conventions and
 * its schedule — the stored schedule text spliced in as is, never parsed and serialized again. Bytes,
 * not a string: the conventions' Chinese would make the whole 23 kB answer a two-byte string to
 * re-encode on every write; each ASCII part is copied once instead.
 */
export function quoteViewBody(q: StoredQuote, now: Date): Buffer {
  const head = quoteHead(q, now)
  return Buffer.concat([Buffer.from(head.slice(0, -1)), CONVENTIONS_JSON, Buffer.from(q.scheduleJson, 'latin1'), CLOSE])
}

/**
 * The brief view (`QuoteBrief`, asked for with `Prefer: return=minimal`): the quote as issued and where
 * it stands, without the schedule and the conventions (`GET /quotes/{id}` has them) — a twentieth of a
 * 360-period answer.
 */
export function quoteBriefBody(q: StoredQuote, now: Date): Buffer {
  return Buffer.from(quoteHead(q, now))
}

function quoteHead(q: StoredQuote, now: Date): string {
  const status = q.acceptedAt !== null ? 'accepted' : now >= q.expiresAt ? 'expired' : 'open'
  return JSON.stringify({ ...q.summary, status, acceptedAt: q.acceptedAt?.toISOString() ?? null })
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
  await ctx.outbox.enqueue(tx, QuoteAccepted, { quoteId: id, loanId: row.loan_id, acceptedAt: now.toISOString(), quote: quoteDataOf(stored) }, { subject: row.loan_id ?? id })
  return { ...stored, acceptedAt: now }
}
