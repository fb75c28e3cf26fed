import { randomUUID } from 'node:crypto'
import { parseDate } from '@sme/domain'
import { QuoteAccepted, QuoteIssued, type QuoteIssuedData } from '@sme/contracts'
import { AppError, type ServiceContext } from '@sme/kit'
import { MAX_PRINCIPAL_FEN, PricingError, priceQuote, QUOTE_CONVENTIONS, type BorrowerProfile, type PricedQuote, type QuoteRequest } from '../domain/index.js'
import type { QuoteBody } from '../schemas.js'
import { keyListOn, lprTable, pricingRecords } from '../store/reference.js'
import type { PricingDb, PricingTables, PricingTx } from '../store/tables.js'

/** How long a quote may be accepted. */
export const QUOTE_VALIDITY_DAYS = 7

type Origin = QuoteIssuedData['origin']

/** A quote request with the borrower as pricing knows it (key list looked up on the pricing date). */
export async function quoteRequestOf(tx: PricingTx | PricingDb, body: QuoteBody): Promise<QuoteRequest> {
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
    keyList: b.kind === 'enterprise' ? await keyListOn(tx, b.uscc, pricingDate) : null,
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

/** Prices, stores and publishes a quote in `tx` (the quote and its event commit together). */
export async function issueQuote(
  tx: PricingTx,
  ctx: Pick<ServiceContext<PricingTables>, 'outbox' | 'now'>,
  input: { body: QuoteBody; issuedBy: string; origin: Origin; traceparent?: string },
): Promise<QuoteIssuedData> {
  const request = await quoteRequestOf(tx, input.body)
  const [lpr, records] = await Promise.all([lprTable(tx), pricingRecords(tx)])
  const priced = priceQuote(request, { lpr, ...records })
  const issuedAt = ctx.now()
  const expiresAt = new Date(issuedAt.getTime() + QUOTE_VALIDITY_DAYS * 86_400_000)
  const data = quoteData(randomUUID(), input.body, priced, input.origin, issuedAt, expiresAt)
  await tx
    .insertInto('quotes')
    .values({
      id: data.quoteId,
      branch_id: data.branchId,
      loan_id: data.loanId,
      quote: JSON.stringify(data),
      issued_by: input.issuedBy,
      issued_at: issuedAt,
      expires_at: expiresAt,
      relief_application_id: data.origin.kind === 'relief-decision' ? data.origin.applicationId : null,
      relief_revision: data.origin.kind === 'relief-decision' ? data.origin.revision : null,
    })
    .execute()
  await ctx.outbox.enqueue(tx, QuoteIssued, data, { subject: data.loanId ?? data.quoteId, ...(input.traceparent ? { traceparent: input.traceparent } : {}) })
  return data
}

/** The event (and API) form of a priced quote: fen as decimal strings. */
export function quoteData(quoteId: string, body: QuoteBody, q: PricedQuote, origin: Origin, issuedAt: Date, expiresAt: Date): QuoteIssuedData {
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
    schedule: q.schedule.periods.map((p, k) => ({
      number: p.number,
      dueDate: p.dueDate,
      days: p.days,
      principalFen: fen(p.principal),
      interestFen: fen(p.interest),
      subsidyFen: fen(q.subsidy.periods[k]!.reduce((a, s) => a + s.amount, 0n)),
      guaranteeFeeFen: fen(q.guaranteeFees[k] ?? 0n),
      paymentFen: fen(p.payment),
    })),
  }
}

export interface StoredQuote {
  data: QuoteIssuedData
  branchId: string
  expiresAt: Date
  acceptedAt: Date | null
}

export async function quoteById(db: PricingDb | PricingTx, id: string): Promise<StoredQuote | undefined> {
  const row = await db.selectFrom('quotes').select(['quote', 'branch_id', 'expires_at', 'accepted_at']).where('id', '=', id).executeTakeFirst()
  return row && { data: row.quote as QuoteIssuedData, branchId: row.branch_id, expiresAt: row.expires_at, acceptedAt: row.accepted_at }
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
  const row = await tx.selectFrom('quotes').select(['quote', 'branch_id', 'expires_at', 'accepted_at', 'loan_id']).where('id', '=', id).forUpdate().executeTakeFirst()
  if (!row || !canSee(row.branch_id)) throw new AppError('not_found', `no quote ${id}`)
  const stored = { data: row.quote as QuoteIssuedData, branchId: row.branch_id, expiresAt: row.expires_at, acceptedAt: row.accepted_at }
  if (row.accepted_at !== null) return stored
  const now = ctx.now()
  if (now >= row.expires_at) throw new AppError('conflict', `quote ${id} expired at ${row.expires_at.toISOString()}`, { extra: { expiresAt: row.expires_at.toISOString() } })
  await tx.updateTable('quotes').set({ accepted_at: now, accepted_by: by }).where('id', '=', id).execute()
  await ctx.outbox.enqueue(tx, QuoteAccepted, { quoteId: id, loanId: row.loan_id, acceptedAt: now.toISOString() }, { subject: row.loan_id ?? id })
  return { ...stored, acceptedAt: now }
}

