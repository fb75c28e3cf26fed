import { auditRefusedAttempts, type ServiceApp, type ServiceContext } from '@sme/kit'
import type { PricingTables } from './store/tables.js'

/**
 * Refused attempts (a role that may not, another branch's quote, an expired quote, a key reused) in
 * the audit log, with the quote or the firm concerned.
 */
export function recordRefusedAttempts(app: ServiceApp, ctx: ServiceContext<PricingTables>): void {
  auditRefusedAttempts(app, async (a) => {
    const params = (a.params ?? {}) as Record<string, unknown>
    const subject = typeof params.id === 'string' ? `quote:${params.id}` : typeof params.uscc === 'string' ? `firm:${params.uscc}` : null
    await ctx.db
      .insertInto('audit_log')
      .values({ at: ctx.now(), actor: a.actor, action: 'attempt.refused', subject, details: JSON.stringify({ method: a.method, route: a.route, status: a.status, code: a.code, reason: a.reason, roles: a.roles }) })
      .execute()
  })
}
