import { todayIn } from '@sme/domain'
import { AppError, canAccessBranch, type Logger, type Principal } from '@sme/kit'
import { documentsStanding, type DocumentsToFollow } from '../domain/index.js'
import { appendAudit } from '../store/audit.js'
import { applicationForUpdate } from '../store/applications.js'
import { decisionOf } from '../store/decisions.js'
import { documentsPastDue, documentsReceived, recordDocumentsReceived } from '../store/documents.js'
import { raiseFollowUps } from '../store/follow-ups.js'
import type { ReliefDb, ReliefTx } from '../store/tables.js'
import type { ReliefDeps } from './decision.js'
import { PeriodicJob } from './periodic.js'

/**
 * Documents a relief was granted without (容缺办理): the branch records each as it comes in, and a
 * watch raises a follow-up for every relief whose documents are still outstanding after their day.
 * The relief stands either way; the follow-up asks the branch to act under the contract.
 */

/** The documents to follow of a final approval, or 409 when it has none. */
async function toFollowOf(tx: ReliefTx, applicationId: string, finalOutcome: string | null): Promise<DocumentsToFollow> {
  const decision = await decisionOf(tx, applicationId)
  const terms = decision?.decision.terms
  if (finalOutcome !== 'APPROVED' || terms?.kind !== 'deferral' || terms.documentsToFollow === undefined) {
    throw new AppError('conflict', `application ${applicationId} has no documents to follow`, { extra: { reason: 'no-documents-to-follow' } })
  }
  return terms.documentsToFollow
}

/**
 * Records documents received for an application of the caller's branches (404 otherwise), each
 * one of those it is owed (422 naming the item otherwise); a document recorded before is kept as
 * first recorded. Audited.
 */
export async function receiveDocuments(tx: ReliefTx, deps: ReliefDeps, command: { applicationId: string; principal: Principal; names: readonly string[] }) {
  const row = await applicationForUpdate(tx, command.applicationId)
  if (!row || !canAccessBranch(command.principal, row.branch_id)) throw new AppError('not_found', `no application ${command.applicationId}`)
  const toFollow = await toFollowOf(tx, row.id, row.final_outcome)
  const unknown = command.names.flatMap((name, i) => (toFollow.outstanding.includes(name) ? [] : [{ field: `/body/received/${i}`, message: 'not one of the documents to follow' }]))
  if (unknown.length > 0) throw new AppError('unprocessable', 'a document received is not one the relief is owed', { extra: { errors: unknown } })
  const at = deps.now()
  const recorded = await recordDocumentsReceived(tx, row.id, command.names, command.principal.subject, at)
  const received = await documentsReceived(tx, row.id)
  const standing = documentsStanding(toFollow, received.map((r) => r.name), todayIn(at))
  if (recorded.length > 0) {
    await appendAudit(tx, { at, actor: command.principal.subject, action: 'documents.received', applicationId: row.id, details: { documents: recorded, remaining: standing.remaining.length } })
  }
  return { toFollow, received, standing }
}

/**
 * Raises a `documents-overdue` follow-up for each final approval whose documents to follow were due
 * before today and are not all in, in batches under row locks (instances skip each other's rows).
 * Returns how many it raised.
 */
export async function raiseOverdueDocuments(db: ReliefDb, now: () => Date, batchSize = 100): Promise<number> {
  let raised = 0
  for (;;) {
    const { seen, count } = await db.transaction().execute(async (tx) => {
      const at = now()
      const today = todayIn(at)
      const due = await documentsPastDue(tx, today, batchSize)
      let count = 0
      for (const past of due) {
        const { toFollow } = past
        const standing = documentsStanding(toFollow, past.received, today)
        if (standing.status !== 'overdue') continue
        const followUp = { reason: 'documents-overdue' as const, details: { dueBy: toFollow.dueBy, remaining: standing.remaining.join(','), count: standing.remaining.length } }
        // Raised by the calendar, not by a loan event: its id names the day that passed.
        if ((await raiseFollowUps(tx, past, [followUp], { eventId: `documents-due:${toFollow.dueBy}`, sequence: 0 }, at)).length > 0) {
          await appendAudit(tx, { at, actor: DEADLINE_ACTOR, action: 'follow-up.raised', applicationId: past.applicationId, details: { reason: followUp.reason, ...followUp.details } })
          count++
        }
      }
      return { seen: due.length, count }
    })
    raised += count
    if (seen < batchSize || count === 0) return raised
  }
}

/** Who raises a follow-up for documents past their day in the audit trail. */
const DEADLINE_ACTOR = 'system:documents-deadline'

/**
 * Runs {@link raiseOverdueDocuments} every `intervalMs` (a deadline is a day; once a minute is
 * plenty), logging what it raised.
 */
export function documentsDeadlineWatch(options: { db: ReliefDb; now: () => Date; logger: Logger; intervalMs: number }): PeriodicJob {
  return new PeriodicJob({
    intervalMs: options.intervalMs,
    logger: options.logger,
    failure: 'documents deadline check failed',
    run: async () => {
      const raised = await raiseOverdueDocuments(options.db, options.now)
      if (raised > 0) options.logger.info({ raised }, 'follow-ups raised for documents past their day')
      return raised
    },
  })
}
