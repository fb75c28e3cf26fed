import { AppError, branchScopeOf, type Principal } from '@sme/kit'
import { servedByAny } from './store/firm-branches.js'
import type { ScoringDb, ScoringTx } from './store/tables.js'

/**
 * Scoring data follows need: risk and admin read every firm, and so does a bank-wide system;
 * officers, supervisors and core banking read the firms their branches serve (a loan of the firm
 * booked there, from loans.events.v1). Another firm answers 404, as if unknown: the routes are no
 * oracle for who banks where.
 */
export async function assertFirmAccess(db: ScoringDb | ScoringTx, principal: Principal, uscc: string): Promise<void> {
  const scope = branchScopeOf(principal)
  if (scope === 'all') return
  if (await servedByAny(db, uscc, scope)) return
  throw new AppError('not_found', 'no such enterprise in the caller’s branches')
}
