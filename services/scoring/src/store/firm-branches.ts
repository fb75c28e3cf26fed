import type { ScoringDb, ScoringTx } from './tables.js'

/** Records that `branchId` serves the firm (idempotent: the first booking's time is kept). */
export async function recordFirmBranch(tx: ScoringTx, uscc: string, branchId: string, at: Date): Promise<void> {
  await tx.insertInto('firm_branches').values({ uscc, branch_id: branchId, since: at }).onConflict((oc) => oc.doNothing()).execute()
}

/** Whether any of `branches` serves the firm. */
export async function servedByAny(db: ScoringDb | ScoringTx, uscc: string, branches: readonly string[]): Promise<boolean> {
  if (branches.length === 0) return false
  const row = await db.selectFrom('firm_branches').select('uscc').where('uscc', '=', uscc).where('branch_id', 'in', [...branches]).limit(1).executeTakeFirst()
  return row !== undefined
}
