import { auditRefusedAttempts, type ServiceApp, type ServiceContext } from '@sme/kit'
import { appendAudit } from './store/audit.js'
import type { ReliefTables } from './store/tables.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/**
 * Refused attempts (a role that may not, another branch's application, their own proposal to
 * confirm, a state or a rule that forbids it) in the audit trail, beside the application concerned.
 */
export function recordRefusedAttempts(app: ServiceApp, ctx: ServiceContext<ReliefTables>): void {
  auditRefusedAttempts(app, async (a) => {
    const params = a.params
    const id = a.route.startsWith('/applications/:id') && params !== null && typeof params === 'object' && 'id' in params && typeof params.id === 'string' && UUID.test(params.id) ? params.id : null
    await appendAudit(ctx.db, {
      at: ctx.now(),
      actor: a.actor,
      action: 'attempt.refused',
      applicationId: id,
      details: { method: a.method, route: a.route, status: a.status, code: a.code, reason: a.reason, roles: a.roles },
    })
  })
}
