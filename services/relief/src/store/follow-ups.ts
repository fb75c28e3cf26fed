import type { Selectable } from 'kysely'
import type { Decision, FollowUp } from '../domain/index.js'
import { toJson } from '../json.js'
import { grantedApplications } from './granted.js'
import type { ApplicationInput } from '../schemas.js'
import type { FollowUpsTable, ReliefDb, ReliefTx } from './tables.js'

export type FollowUpRow = Selectable<FollowUpsTable>

/** A final approval of a loan: what was granted, when, and the loan's class as the application stated it. */
export interface GrantOfLoan {
  readonly applicationId: string
  readonly branchId: string
  readonly decidedAt: Date
  readonly terms: Decision['terms']
  readonly classification: ApplicationInput['loan']['classification']
}

/** The final approvals of `loanId`, oldest first. */
export async function grantsOfLoan(tx: ReliefTx, loanId: string): Promise<GrantOfLoan[]> {
  const rows = await grantedApplications(tx)
    // Every loan event asks: only the parts the follow-up reads.
    .select((eb) => [
      'a.id',
      'a.branch_id',
      'a.decided_at',
      eb.ref('a.application', '->').key('loan').key('classification').as('classification'),
      eb.ref('d.decision', '->').key('terms').as('terms'),
    ])
    .where('a.loan_id', '=', loanId)
    .orderBy('a.decided_at')
    .orderBy('a.id')
    .execute()
  return rows.flatMap((r) => (r.decided_at === null ? [] : [{ applicationId: r.id, branchId: r.branch_id, decidedAt: r.decided_at, terms: r.terms, classification: r.classification }]))
}

/** Records the follow-ups not raised before for the application; returns those it recorded. */
export async function raiseFollowUps(
  tx: ReliefTx,
  grant: Pick<GrantOfLoan, 'applicationId' | 'branchId'>,
  followUps: readonly FollowUp[],
  event: { readonly eventId: string; readonly sequence: number },
  at: Date,
): Promise<FollowUp[]> {
  if (followUps.length === 0) return []
  const inserted = await tx
    .insertInto('follow_ups')
    .values(followUps.map((f) => ({ application_id: grant.applicationId, reason: f.reason, branch_id: grant.branchId, raised_at: at, event_id: event.eventId, sequence: BigInt(event.sequence), details: toJson(f.details) })))
    .onConflict((oc) => oc.columns(['application_id', 'reason']).doNothing())
    .returning('reason')
    .execute()
  const raised = new Set(inserted.map((r) => r.reason))
  return followUps.filter((f) => raised.has(f.reason))
}

export function followUpsOf(db: ReliefDb | ReliefTx, applicationId: string): Promise<FollowUpRow[]> {
  return db.selectFrom('follow_ups').selectAll().where('application_id', '=', applicationId).orderBy('raised_at').orderBy('sequence').orderBy('reason').execute()
}
