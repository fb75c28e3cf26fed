import { isOnOrBefore, todayIn, type CalendarDate } from '@sme/domain'
import { AppError, type Principal } from '@sme/kit'
import type { ClaimCommand } from '../domain/index.js'
import { audit, claimOf, type ClaimRecord } from '../store/claims.js'
import type { ClaimsTx } from '../store/tables.js'
import { commandClaim, type ClaimsDeps } from './claims.js'

/** An agency's answer to a claim, as `guarantee.responses.v1` carries it or the agency API takes it. */
export type AgencyAnswer = {
  readonly responseId: string
  readonly claimId: string
  readonly loanId: string
  readonly agencyId: string
  readonly answeredOn: string
} & (
  | { readonly kind: 'acknowledged' }
  | { readonly kind: 'approved'; readonly amountFen: string }
  | { readonly kind: 'rejected'; readonly reason: string }
  | { readonly kind: 'paid'; readonly payerId: string; readonly amountFen: string }
)

export type AnswerOutcome = { readonly kind: 'applied' | 'duplicate'; readonly claim: ClaimRecord } | { readonly kind: 'refused'; readonly problem: AppError }

/** The agency acting as itself: how an answer that came over Kafka is authorised like one over HTTP. */
export function agencyPrincipal(agencyId: string): Principal {
  return { subject: `agency:${agencyId}`, roles: ['agency'], branches: [], agency: agencyId }
}

function commandOf(answer: AgencyAnswer, on: CalendarDate, by: ClaimCommand['by']): ClaimCommand {
  switch (answer.kind) {
    case 'acknowledged':
      return { kind: 'acknowledge', on, by }
    case 'approved':
      return { kind: 'approve', amount: BigInt(answer.amountFen), on, by }
    case 'rejected':
      return { kind: 'reject', reason: answer.reason, on, by }
    case 'paid':
      return { kind: 'record-payment', partyId: answer.payerId, amount: BigInt(answer.amountFen), on, by }
  }
}

/**
 * Applies an agency's answer once (deduplicated on the agency's own response id), in the caller's
 * transaction: only the claim's originating agency answers it (another agency's answer finds no
 * claim), an answer dated in the future is refused, and the life cycle decides the rest (an answer
 * out of order is refused with the claim's state). A refused answer throws: over HTTP it is the
 * caller's 4xx and nothing is kept; the Kafka consumer records it instead (see `recordRefusedAnswer`).
 */
export async function applyAgencyAnswer(tx: ClaimsTx, deps: ClaimsDeps, answer: AgencyAnswer, principal: Principal, traceparent?: string): Promise<AnswerOutcome> {
  const now = deps.now()
  // Another agency's claim is not found, whatever the answer says: checked before anything is kept.
  const target = await claimOf(tx, answer.claimId)
  if (target === undefined || target.agencyId !== answer.agencyId || principal.agency !== answer.agencyId) throw new AppError('not_found', 'no such claim in the caller’s reach')
  const first = await tx
    .insertInto('agency_answers')
    .values({ agency_id: answer.agencyId, response_id: answer.responseId, claim_id: answer.claimId, outcome: answer.kind, received_at: now })
    .onConflict((oc) => oc.columns(['agency_id', 'response_id']).doNothing())
    .returning('response_id')
    .executeTakeFirst()
  if (first === undefined) return { kind: 'duplicate', claim: target }
  if (!isOnOrBefore(answer.answeredOn as CalendarDate, todayIn(now))) {
    throw new AppError('unprocessable', 'the answer is dated after today', { extra: { errors: [{ field: '/body/answeredOn', message: 'must not be after today' }] } })
  }
  const { claim } = await commandClaim(tx, deps, {
    claimId: answer.claimId,
    principal,
    side: 'agency',
    traceparent,
    command: (c) => {
      if (c.loanId !== answer.loanId) throw new AppError('unprocessable', 'the claim is not on the loan the answer names', { extra: { errors: [{ field: '/body/loanId', message: 'is not the claim’s loan' }] } })
      return commandOf(answer, answer.answeredOn as CalendarDate, { kind: 'agency', id: answer.agencyId })
    },
  })
  return { kind: 'applied', claim }
}

/** A refused answer that came over Kafka: kept with why, audited, and never applied. */
export async function recordRefusedAnswer(tx: ClaimsTx, deps: ClaimsDeps, answer: AgencyAnswer, problem: AppError): Promise<void> {
  const now = deps.now()
  await tx
    .insertInto('agency_answers')
    .values({ agency_id: answer.agencyId, response_id: answer.responseId, claim_id: answer.claimId, outcome: `refused:${problem.code}`, received_at: now })
    .onConflict((oc) => oc.columns(['agency_id', 'response_id']).doNothing())
    .execute()
  await audit(tx, { at: now, actor: `agency:${answer.agencyId}`, action: 'claim.answer-refused', subject: `claim:${answer.claimId}`, details: { responseId: answer.responseId, kind: answer.kind, problem: problem.code, detail: problem.message, extra: problem.extra } })
}
