import Type, { type Static, type TSchema } from 'typebox'
import { defineEvent } from '@sme/events'
import { GUARANTEE_KINDS, LOAN_CLASSIFICATIONS, LOAN_PRODUCTS, LOAN_STATUSES } from './vocabulary.js'
import { BorrowerId, BranchId, enumOf, Fen, Instant, IsoDate, LoanId, RateBp, Uscc } from './wire.js'

/**
 * Core banking's loan events, `loans.events.v1`: the bank's core system is the producer, keyed by
 * loan id so one loan's events stay in order on one partition. The platform never owns the loan
 * book; relief, the guard and claims each keep the read model they need from this stream.
 *
 * Every event carries:
 * - `eventId`: the core system's own id for the event (consumers deduplicate on it as well as on the
 *   CloudEvents `ce_id`, since a core system replaying its journal may mint new envelopes);
 * - `sequence`: a number per loan, strictly increasing in the core system's order of the loan's
 *   events (gaps allowed). A consumer that has applied sequence n ignores anything ≤ n as stale:
 *   Kafka keeps the order within a partition, but a replayed journal, a second producer after a
 *   failover or a re-keying can deliver old events after new ones;
 * - `asOf`: when the core system booked the change (RFC 3339);
 * - `position`: the loan's state right after the event (outstanding principal, days past due,
 *   five-tier classification, status). Carrying the whole position rather than only the change
 *   lets a consumer that missed or reordered events still hold the latest truth by keeping the
 *   highest sequence it has seen.
 */

export const LoanPosition = Type.Object(
  {
    outstandingPrincipalFen: { ...Fen, description: 'Principal outstanding after the event, fen' },
    daysPastDue: Type.Integer({ minimum: 0, maximum: 100_000, description: 'Days the oldest unpaid instalment is past due (0: current)' }),
    classification: enumOf(LOAN_CLASSIFICATIONS, 'Five-category risk classification (正常/关注/次级/可疑/损失)'),
    status: enumOf(LOAN_STATUSES),
  },
  { additionalProperties: false, description: "The loan's state right after the event" },
)

/** Who borrows: an enterprise by its USCC, or an individual (e.g. an individual business owner) under a pseudonymous id. */
export const Borrower = Type.Union([
  Type.Object({ kind: Type.Literal('enterprise'), uscc: Uscc }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('individual'),
      borrowerId: BorrowerId,
    },
    { additionalProperties: false },
  ),
])

const common = {
  eventId: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$', description: "The core system's own id for this event" }),
  loanId: LoanId,
  sequence: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: "Per-loan order in the core system; higher is newer, gaps allowed" }),
  asOf: { ...Instant, description: 'When the core system booked the change' },
  position: LoanPosition,
}

/** The schema of one loan event: the common fields and its own. */
function loanSchema<P extends Record<string, TSchema>>(fields: P) {
  return Type.Object({ ...common, ...fields }, { additionalProperties: false })
}

const TOPIC = 'loans.events.v1'
const KEY = "core banking's loan id"
const PRODUCER = "the bank's core banking system"

export const LoanBooked = defineEvent({
  type: 'core.loan.booked.v1',
  topic: TOPIC,
  summary: 'A loan was booked (disbursed): the borrower, branch, product, principal, dates, rate and security',
  keyDescription: KEY,
  keyOf: (d) => d.loanId,
  externalProducer: PRODUCER,
  schema: loanSchema({
    borrower: Borrower,
    branchId: BranchId,
    product: enumOf(LOAN_PRODUCTS),
    principalFen: { ...Fen, description: 'Principal disbursed, fen' },
    startDate: IsoDate,
    maturityDate: IsoDate,
    rateBp: { ...RateBp, description: 'Annual contract rate, basis points' },
    guarantee: Type.Object(
      {
        kind: enumOf(GUARANTEE_KINDS, 'none (信用), guarantee (保证), collateral (抵押), pledge (质押)'),
        guarantorId: Type.Union([Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$' }), Type.Null()], {
          description: "The guarantor's id in the core system (a guarantee agency's USCC, or a pseudonymous id for a person); null without a guarantor",
        }),
        agreement: Type.Optional(
          Type.Object(
            {
              agreementId: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$', description: "The bank's guarantee agreement with the agency (the claims service's agreement id)" }),
              guaranteedFen: { ...Fen, description: 'The amount the agency guaranteed, fen' },
              borrowerSize: enumOf(['micro', 'small', 'medium', 'large'] as const, 'The borrower’s size as the guarantee classified it'),
              epidemicAffected: Type.Boolean({ description: 'The borrower was hit by the epidemic (the recourse period is extended)' }),
            },
            {
              additionalProperties: false,
              description: 'Only for a guarantee by a government-backed agency under an agreement with the bank (POLICY §5): what the claims service registers the guaranteed loan with',
            },
          ),
        ),
      },
      { additionalProperties: false },
    ),
  }),
})

export const RepaymentReceived = defineEvent({
  type: 'core.loan.repayment-received.v1',
  topic: TOPIC,
  summary: 'A repayment was received and applied',
  keyDescription: KEY,
  keyOf: (d) => d.loanId,
  externalProducer: PRODUCER,
  schema: loanSchema({
    receivedOn: IsoDate,
    principalFen: { ...Fen, description: 'Principal repaid by this payment, fen' },
    interestFen: { ...Fen, description: 'Interest repaid by this payment, fen' },
    penaltyFen: { ...Fen, description: 'Penalty interest repaid by this payment, fen' },
  }),
})

export const OverdueDaysChanged = defineEvent({
  type: 'core.loan.overdue-days-changed.v1',
  topic: TOPIC,
  summary: "The loan's days past due changed (the end-of-day run, or a repayment curing the arrears)",
  keyDescription: KEY,
  keyOf: (d) => d.loanId,
  externalProducer: PRODUCER,
  schema: loanSchema({
    previousDaysPastDue: Type.Integer({ minimum: 0, maximum: 100_000 }),
    overdueSince: Type.Union([IsoDate, Type.Null()], { description: 'Due date of the oldest unpaid instalment; null when current' }),
  }),
})

export const ClassificationChanged = defineEvent({
  type: 'core.loan.classification-changed.v1',
  topic: TOPIC,
  summary: 'The five-tier risk classification of the loan changed',
  keyDescription: KEY,
  keyOf: (d) => d.loanId,
  externalProducer: PRODUCER,
  schema: loanSchema({
    previousClassification: enumOf(LOAN_CLASSIFICATIONS),
    decidedOn: IsoDate,
    reason: Type.String({ maxLength: 500, description: "The bank's stated basis for the change" }),
  }),
})

export const LoanMatured = defineEvent({
  type: 'core.loan.matured.v1',
  topic: TOPIC,
  summary: 'The loan reached its maturity date (settled or not)',
  keyDescription: KEY,
  keyOf: (d) => d.loanId,
  externalProducer: PRODUCER,
  schema: loanSchema({ maturityDate: IsoDate }),
})

export const LoanSettled = defineEvent({
  type: 'core.loan.settled.v1',
  topic: TOPIC,
  summary: 'The loan was repaid in full and closed',
  keyDescription: KEY,
  keyOf: (d) => d.loanId,
  externalProducer: PRODUCER,
  schema: loanSchema({ settledOn: IsoDate }),
})

export const LoanWrittenOff = defineEvent({
  type: 'core.loan.written-off.v1',
  topic: TOPIC,
  summary: 'The loan was written off (核销); the claim on the borrower stays (账销案存)',
  keyDescription: KEY,
  keyOf: (d) => d.loanId,
  externalProducer: PRODUCER,
  schema: loanSchema({
    writtenOffOn: IsoDate,
    amountFen: { ...Fen, description: 'Principal written off, fen' },
  }),
})

/** Every event of core banking's loan stream. */
export const loanEvents = [LoanBooked, RepaymentReceived, OverdueDaysChanged, ClassificationChanged, LoanMatured, LoanSettled, LoanWrittenOff] as const

/** The fields every loan event has, whatever its type. */
export interface LoanEventCommon {
  eventId: string
  loanId: string
  sequence: number
  asOf: string
  position: Static<typeof LoanPosition>
}
export type LoanBookedData = Static<(typeof LoanBooked)['schema']>
export type LoanPositionData = Static<typeof LoanPosition>

/** Any of the loan events' definitions. */
export type LoanEventDefinition = (typeof loanEvents)[number]
