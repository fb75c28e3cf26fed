import Type, { type Static } from 'typebox'
import { defineEvent } from '@sme/events'
import { BorrowerId, BranchId, Fen, IsoDate, LoanId, Uscc } from './wire.js'

/**
 * The pricing context's published language (`pricing.quotes.v1`): quotes issued for the terms of an
 * approved relief decision (re-pricing), and quotes accepted — a quote asked for over HTTP is the
 * caller's answer and is published once accepted, with the terms accepted. Rates are basis points;
 * figures below one basis point are hundredths of a bp.
 */

/** Who the quote is for: an enterprise by its USCC, or a natural person by core banking's pseudonym. */
export const QuotedBorrower = Type.Union([
  Type.Object({ kind: Type.Literal('enterprise'), uscc: Uscc }, { additionalProperties: false, title: 'enterprise' }),
  Type.Object({ kind: Type.Literal('person'), borrowerId: BorrowerId }, { additionalProperties: false, title: 'natural person' }),
])

const Considered = Type.Object(
  {
    id: Type.String(),
    version: Type.Integer(),
    kind: Type.String({ description: 'rate-cut, rate-cap or interest-subsidy' }),
    status: Type.String({ description: 'applied, not-eligible, not-binding or limited' }),
    code: Type.String({ description: 'Why: PR_RATE_CAPPED, PR_NOT_ON_KEY_LIST, PR_SUBSIDY_LIMITED_AT_ZERO_COST, …' }),
  },
  { additionalProperties: false },
)

/** A quote as issued: how the rate was reached, the subsidies, the annualized rates and the schedule. */
export const QuoteData = Type.Object(
  {
    quoteId: Type.String({ format: 'uuid' }),
    issuedAt: Type.String({ format: 'date-time' }),
    expiresAt: Type.String({ format: 'date-time' }),
    origin: Type.Union([
      Type.Object({ kind: Type.Literal('request') }, { additionalProperties: false }),
      Type.Object(
        { kind: Type.Literal('relief-decision'), applicationId: Type.String({ format: 'uuid' }), revision: Type.Integer({ minimum: 1 }) },
        { additionalProperties: false, description: 'Re-priced terms of an approved relief decision (one quote per decision revision)' },
      ),
    ]),
    loanId: Type.Union([LoanId, Type.Null()]),
    branchId: BranchId,
    borrower: QuotedBorrower,
    product: Type.String(),
    method: Type.String({ description: 'equal-instalments, equal-principal or interest-only' }),
    termMonths: Type.Integer({ minimum: 1, maximum: 360 }),
    graceMonths: Type.Integer({ minimum: 0 }),
    principalFen: Fen,
    pricingDate: IsoDate,
    startDate: IsoDate,
    rate: Type.Object(
      {
        lpr: Type.Object({ tenor: Type.String(), rateBp: Type.Integer(), publishedOn: IsoDate }),
        basis: Type.Optional(
          Type.Union([Type.Literal('card'), Type.Literal('contract'), Type.Literal('extension-tier')], {
            description: "Where the rate before programmes comes from: the card (a new contract), the contract's own rate (a deferral, an extension within its tier), or the contract rate moved into the new tier (an extension crossing one). Absent: card",
          }),
        ),
        cardRateBp: Type.Integer({ description: 'The rate before programmes: LPR + card spread, or the contract’s rate when re-pricing keeps it' }),
        nominalRateBp: Type.Integer({ description: 'The contract rate' }),
        firmRateCentiBp: Type.Integer({ description: 'What the firm bears while the subsidies run, hundredths of a bp' }),
        considered: Type.Array(Considered),
      },
      { additionalProperties: false },
    ),
    subsidies: Type.Array(
      Type.Object({ id: Type.String(), version: Type.Integer(), payer: Type.String(), centiBp: Type.Integer(), totalFen: Fen }, { additionalProperties: false }),
    ),
    annualized: Type.Object(
      { method: Type.Literal('IRR'), compounding: Type.Literal('monthly'), contractCentiBp: Type.Integer(), firmCentiBp: Type.Integer() },
      { additionalProperties: false, description: 'PBoC Announcement 2021 No. 3: 12 × the monthly IRR' },
    ),
    totals: Type.Object({ interestFen: Fen, subsidyFen: Fen, guaranteeFeeFen: Fen, firmCostFen: Fen }, { additionalProperties: false }),
    schedule: Type.Object(
      {
        dueDate: Type.Array(IsoDate, { minItems: 1, maxItems: 360 }),
        days: Type.Array(Type.Integer({ minimum: 1, maximum: 31 }), { minItems: 1, maxItems: 360, description: 'Days of each period: 28 to 31, the last one fewer when the maturity falls between monthly dates' }),
        principalFen: Type.Array(Fen, { minItems: 1, maxItems: 360 }),
        interestFen: Type.Array(Fen, { minItems: 1, maxItems: 360 }),
        subsidyFen: Type.Array(Fen, { minItems: 1, maxItems: 360 }),
        guaranteeFeeFen: Type.Array(Fen, { minItems: 1, maxItems: 360 }),
        paymentFen: Type.Array(Fen, {
          minItems: 1,
          maxItems: 360,
          description: 'Principal and interest paid on the due date (subsidies and guarantee fees are settled apart); where a deferral defers interest, the interest of earlier periods is paid on the deferred date',
        }),
      },
      {
        additionalProperties: false,
        description: 'The schedule by column, one element per period (period k is element k − 1 of every column): a 360-period schedule in some 25 kB instead of 60 as objects',
      },
    ),
  },
  { additionalProperties: false },
)
export type QuoteIssuedData = Static<typeof QuoteData>

export const QuoteIssued = defineEvent({
  type: 'sme.pricing.quote-issued.v1',
  topic: 'pricing.quotes.v1',
  summary: 'A quote was issued for the terms of an approved relief decision: how the rate was reached, each programme considered, the subsidies and who pays them, the annualized rates and the schedule to the fen',
  keyDescription: 'the loan id when the quote re-prices a loan, else the quote id',
  schema: QuoteData,
  keyOf: (d) => d.loanId ?? d.quoteId,
})

export const QuoteAccepted = defineEvent({
  type: 'sme.pricing.quote-accepted.v1',
  topic: 'pricing.quotes.v1',
  summary: 'A quote was accepted (once; a repeated acceptance changes nothing), with the terms accepted',
  keyDescription: 'the loan id when the quote re-prices a loan, else the quote id',
  schema: Type.Object(
    { quoteId: Type.String({ format: 'uuid' }), loanId: Type.Union([LoanId, Type.Null()]), acceptedAt: Type.String({ format: 'date-time' }), quote: QuoteData },
    { additionalProperties: false },
  ),
  keyOf: (d) => d.loanId ?? d.quoteId,
})

/**
 * A firm put on a key epidemic-protection list (national or local) from a date, or its removal
 * recorded: the lists pricing keeps for the special re-lending cap, published so other services (the
 * guard's protections) keep their own copy. Keyed by USCC; a later `recordedAt` supersedes an earlier
 * entry of the same list and listing day.
 */
export const KeyListEntryRecorded = defineEvent({
  type: 'sme.pricing.key-list-entry-recorded.v1',
  topic: 'pricing.key-lists.v1',
  summary: 'A firm was put on a key epidemic-protection list (national or local), or its removal recorded, with the dates',
  keyDescription: "the enterprise's USCC",
  schema: Type.Object(
    {
      uscc: Uscc,
      list: Type.Union([Type.Literal('national'), Type.Literal('local')]),
      listedOn: { ...IsoDate, description: 'First day on the list' },
      delistedOn: Type.Union([IsoDate, Type.Null()], { description: 'The day it left the list (no longer on it that day); null while listed' }),
      recordedBy: Type.String({ description: "The admin who recorded it (the token's subject)" }),
      recordedAt: Type.String({ format: 'date-time' }),
    },
    { additionalProperties: false },
  ),
  keyOf: (d) => d.uscc,
})
export type KeyListEntryData = Static<(typeof KeyListEntryRecorded)['schema']>

export const pricingEvents = [QuoteIssued, QuoteAccepted, KeyListEntryRecorded] as const
