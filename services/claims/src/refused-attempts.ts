import { auditRefusedAttempts, type ServiceApp, type ServiceContext } from '@sme/kit'
import type { ClaimsTables } from './store/tables.js'

/** Refused attempts (a role that may not, another branch's or agency's claim, a key reused) in the audit log, with the claim or loan concerned. */
export function recordRefusedAttempts(app: ServiceApp, ctx: ServiceContext<ClaimsTables>): void {
  auditRefusedAttempts(app, async (a) => {
    const params = (a.params ?? {}) as Record<string, unknown>
    const subject = typeof params.claimId === 'string' ? `claim:${params.claimId}` : typeof params.loanId === 'string' ? `loan:${params.loanId}` : null
    await ctx.db
      .insertInto('audit_log')
      .values({ at: ctx.now(), actor: a.actor, action: 'attempt.refused', subject, details: JSON.stringify({ method: a.method, route: a.route, status: a.status, code: a.code, reason: a.reason, roles: a.roles }) })
      .execute()
  })
}
