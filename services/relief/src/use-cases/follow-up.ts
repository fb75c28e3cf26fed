import { todayIn } from '@sme/domain'
import type { LoanEventCommon } from '@sme/contracts'
import { followUpsFor, type FollowUp } from '../domain/index.js'
import { appendAudit } from '../store/audit.js'
import { grantsOfLoan, raiseFollowUps } from '../store/follow-ups.js'
import type { ReliefTx } from '../store/tables.js'

/** Who raises a follow-up in the audit trail: core banking's loan stream, not a person. */
const FOLLOW_UP_ACTOR = 'system:loans.events.v1'

/**
 * Watches the loan's granted reliefs against the position core banking just published (密切监测):
 * each material change raises a follow-up once per application and reason, audited, under the
 * consumer's transaction. Returns the follow-ups raised now.
 */
export async function followUpLoanPosition(tx: ReliefTx, event: LoanEventCommon, at: Date): Promise<FollowUp[]> {
  const grants = await grantsOfLoan(tx, event.loanId)
  if (grants.length === 0) return []
  const p = event.position
  const position = {
    loanId: event.loanId,
    sequence: event.sequence,
    asOf: event.asOf,
    outstandingPrincipalFen: BigInt(p.outstandingPrincipalFen),
    daysPastDue: p.daysPastDue,
    classification: p.classification,
    status: p.status,
  }
  const positionOn = todayIn(new Date(event.asOf))
  const raised: FollowUp[] = []
  for (const grant of grants) {
    if (grant.terms === null) continue
    const found = followUpsFor({ decidedOn: todayIn(grant.decidedAt), terms: grant.terms, classification: grant.classification }, position, positionOn)
    for (const followUp of await raiseFollowUps(tx, grant, found, event, at)) {
      await appendAudit(tx, { at, actor: FOLLOW_UP_ACTOR, action: 'follow-up.raised', applicationId: grant.applicationId, details: { reason: followUp.reason, eventId: event.eventId, ...followUp.details } })
      raised.push(followUp)
    }
  }
  return raised
}
