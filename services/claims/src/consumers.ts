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
  type LoanEventCommon,
} from '@sme/contracts'
import { sql } from 'kysely'
import { AppError, on, type ConsumerDefinition, type ConsumerContext } from '@sme/kit'
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
 * guaranteed are none of this service's business.
 */
async function position(tx: ClaimsTx, d: LoanEventCommon): Promise<void> {
  await tx
    .updateTable('guaranteed_loans')
    .set({ outstanding_principal_fen: BigInt(d.position.outstandingPrincipalFen), days_past_due: d.position.daysPastDue, position_sequence: BigInt(d.sequence), updated_at: new Date(d.asOf) })
    .where('loan_id', '=', d.loanId)
    .where('position_sequence', '<', BigInt(d.sequence))
    .execute()
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
        on(LoanBooked, (e, { tx }) => position(tx, e.data)),
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
