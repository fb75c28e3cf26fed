import type { Selectable } from 'kysely'
import type { ProposalsTable, ReliefDb, ReliefTx } from './tables.js'

export type ProposalRow = Selectable<ProposalsTable>

export async function insertProposal(tx: ReliefTx, row: ProposalRow): Promise<void> {
  await tx.insertInto('proposals').values(row).execute()
}

export function proposalsOf(db: ReliefDb | ReliefTx, applicationId: string): Promise<ProposalRow[]> {
  return db.selectFrom('proposals').selectAll().where('application_id', '=', applicationId).orderBy('proposed_at').orderBy('id').execute()
}

export function proposalOf(tx: ReliefTx, applicationId: string, proposalId: string): Promise<ProposalRow | undefined> {
  return tx.selectFrom('proposals').selectAll().where('application_id', '=', applicationId).where('id', '=', proposalId).executeTakeFirst()
}

/** Marks the pending proposal of an application (if any) superseded; returns its id. */
export async function supersedePending(tx: ReliefTx, applicationId: string): Promise<string | undefined> {
  const row = await tx
    .updateTable('proposals')
    .set({ status: 'superseded' })
    .where('application_id', '=', applicationId)
    .where('status', '=', 'pending')
    .returning('id')
    .executeTakeFirst()
  return row?.id
}

export async function markConfirmed(tx: ReliefTx, proposalId: string, by: string, at: Date): Promise<ProposalRow> {
  return tx
    .updateTable('proposals')
    .set({ status: 'confirmed', confirmed_by: by, confirmed_at: at })
    .where('id', '=', proposalId)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function markRejected(tx: ReliefTx, proposalId: string, by: string, at: Date, reason: string): Promise<ProposalRow> {
  return tx
    .updateTable('proposals')
    .set({ status: 'rejected', rejected_by: by, rejected_at: at, rejection_reason: reason })
    .where('id', '=', proposalId)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirstOrThrow()
}
