import { auditRefusedAttempts, type ServiceApp, type ServiceContext } from '@sme/kit'
import type { GuardTables } from './store/tables.js'

/** Refused attempts (a role that may not, another branch's check, a key reused) in the audit log, with the check concerned. */
export function recordRefusedAttempts(app: ServiceApp, ctx: ServiceContext<GuardTables>): void {
  auditRefusedAttempts(app, async (a) => {
    const params = (a.params ?? {}) as Record<string, unknown>
    const id = params.id ?? params.checkId
    const subject = typeof id === 'string' ? `check:${id}` : null
    await ctx.db
      .insertInto('audit_log')
      .values({ at: ctx.now(), actor: a.actor, action: 'attempt.refused', subject, details: JSON.stringify({ method: a.method, route: a.route, status: a.status, code: a.code, reason: a.reason, roles: a.roles }) })
      .execute()
  })
}
