import { canAccessBranch, type Principal } from '@sme/kit'
import type { BranchScope } from './store/applications.js'

/**
 * The branches whose applications a principal may list, consistent with `canAccessBranch` (the
 * per-object check): risk officers and admins see every branch, a bank-wide core system (`'*'`)
 * too; officers and supervisors the branches of their token, never `'*'`.
 */
export function branchScope(principal: Principal): BranchScope {
  if (principal.roles.includes('risk') || principal.roles.includes('admin')) return 'all'
  if (principal.roles.includes('core-banking') && principal.branches.includes('*')) return 'all'
  return principal.branches.filter((b) => canAccessBranch(principal, b))
}
