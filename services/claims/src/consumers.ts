import {
  AgencyAcknowledgedClaim,
  AgencyApprovedClaim,
  AgencyPaidClaim,
  AgencyRejectedClaim,
  ClassificationChanged,
  LoanBooked,
  LoanMatured,
  LoanSettled,
  LoanWrittenOff,
  OverdueDaysChanged,
  RepaymentReceived,
  type LoanBookedData,
  type LoanEventCommon,
} from '@sme/contracts'
import { dateParts, parseDate } from '@sme/domain'
import { sql } from 'kysely'
import { AppError, on, type ConsumerDefinition, type ConsumerContext } from '@sme/kit'
import { addToVintageBook, audit } from './store/claims.js'
import type { ClaimsTables, ClaimsTx } from './store/tables.js'
import { agencyPrincipal, applyAgencyAnswer, recordRefusedAnswer, type AgencyAnswer } from './use-cases/answers.js'
import type { ClaimsDeps } from './use-cases/claims.js'

/**
 * An agency's answer from `guarantee.responses.v1`, applied as the agency API applies it, in the
 * inbox transaction. A refused answer (another agency's claim, out of order, a wrong amount) is
 * recorded with why and audited, and the consumer goes on: it never reaches the claim. Anything
 * else (the database failing) throws, and the consumer retries.
 */
async function answer(deps: ClaimsDeps, data: AgencyAnswer, traceparent: string | undefined, context: ConsumerContext<ClaimsTables>): Promise<void> {
  // The refusal is kept in the same inbox transaction, without what the refused attempt wrote.
  await sql`savepoint agency_answer`.execute(context.tx)
  try {
    await applyAgencyAnswer(context.tx, deps, data, agencyPrincipal(data.agencyId), traceparent)
    await sql`release savepoint agency_answer`.execute(context.tx)
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500) throw err
    await sql`rollback to savepoint agency_answer`.execute(context.tx)
    await recordRefusedAnswer(context.tx, deps, data, err)
    context.log.warn({ claimId: data.claimId, responseId: data.responseId, problem: err.code }, 'an agency answer was refused')
  }
}

/**
 * The position of a guaranteed loan (outstanding principal, days past due) follows core banking's
 * events by their sequence: an older one arriving late changes nothing. Loans not registered as
 * guaranteed (over HTTP or by a guaranteed booking) are none of this service's business.
 */
async function position(tx: ClaimsTx, d: LoanEventCommon): Promise<void> {
  await tx
    .updateTable('guaranteed_loans')
    .set({ outstanding_principal_fen: BigInt(d.position.outstandingPrincipalFen), days_past_due: d.position.daysPastDue, position_sequence: BigInt(d.sequence), updated_at: new Date(d.asOf) })
    .where('loan_id', '=', d.loanId)
    .where('position_sequence', '<', BigInt(d.sequence))
    .execute()
}

/**
 * A booking guaranteed by an agency under an agreement with the bank registers the guaranteed loan
 * (as `PUT /guaranteed-loans/:id` would, guaranteed on its start date) unless it is registered
 * already; the agreement must have a version in force that day and name the booking's guarantor as
 * its agency, else nothing is registered and the refusal is audited. Any other booking only moves
 * the position of a loan registered already.
 */
async function booked(deps: ClaimsDeps, d: LoanBookedData, context: ConsumerContext<ClaimsTables>): Promise<void> {
  const scheme = d.guarantee.agreement
  if (d.guarantee.kind !== 'guarantee' || scheme === undefined) return position(context.tx, d)
  const agreement = await deps.agreements.inForce(context.tx, scheme.agreementId, parseDate(d.startDate))
  if (agreement === null || agreement.agencyId !== d.guarantee.guarantorId) {
    const why = agreement === null ? 'no version of the agreement in force on the start date' : 'the guarantor is not the agreement’s agency'
    await audit(context.tx, { at: deps.now(), actor: 'core-banking:loans.events.v1', action: 'loan.registration-refused', subject: `loan:${d.loanId}`, details: { eventId: d.eventId, why } })
    context.log.warn({ loanId: d.loanId, eventId: d.eventId }, `a guaranteed booking was not registered: ${why}`)
    return
  }
  const inserted = await context.tx
    .insertInto('guaranteed_loans')
    .values({
      loan_id: d.loanId,
      agreement_id: agreement.id,
      guaranteed_on: d.startDate,
      guaranteed_fen: BigInt(scheme.guaranteedFen),
      branch_id: d.branchId,
      borrower: JSON.stringify(d.borrower),
      borrower_size: scheme.borrowerSize,
      contract_rate_bp: d.rateBp,
      epidemic_affected: scheme.epidemicAffected,
      outstanding_principal_fen: BigInt(d.position.outstandingPrincipalFen),
      days_past_due: d.position.daysPastDue,
      position_sequence: BigInt(d.sequence),
      registered_by: 'core-banking:loans.events.v1',
      updated_at: new Date(d.asOf),
    })
    .onConflict((oc) => oc.column('loan_id').doNothing())
    .executeTakeFirst()
  if ((inserted.numInsertedOrUpdatedRows ?? 0n) > 0n) await addToVintageBook(context.tx, agreement.id, dateParts(parseDate(d.startDate)).year, BigInt(scheme.guaranteedFen))
  else await position(context.tx, d)
}

export function claimsConsumers(deps: ClaimsDeps): ConsumerDefinition<ClaimsTables>[] {
  return [
    {
      name: 'claims.agency-responses',
      handlers: [
        on(AgencyAcknowledgedClaim, (e, c) => answer(deps, { kind: 'acknowledged', ...e.data }, e.traceparent, c)),
        on(AgencyApprovedClaim, (e, c) => answer(deps, { kind: 'approved', ...e.data }, e.traceparent, c)),
        on(AgencyRejectedClaim, (e, c) => answer(deps, { kind: 'rejected', ...e.data }, e.traceparent, c)),
        on(AgencyPaidClaim, (e, c) => answer(deps, { kind: 'paid', ...e.data }, e.traceparent, c)),
      ],
    },
    {
      name: 'claims.loans',
      handlers: [
        on(LoanBooked, (e, c) => booked(deps, e.data, c)),
        on(RepaymentReceived, (e, { tx }) => position(tx, e.data)),
        on(OverdueDaysChanged, (e, { tx }) => position(tx, e.data)),
        on(ClassificationChanged, (e, { tx }) => position(tx, e.data)),
        on(LoanMatured, (e, { tx }) => position(tx, e.data)),
        on(LoanSettled, (e, { tx }) => position(tx, e.data)),
        on(LoanWrittenOff, (e, { tx }) => position(tx, e.data)),
      ],
    },
  ]
}
