import type { ServiceApp, ServiceContext } from '@sme/kit'
import { appendAudit } from './store/audit.js'
import type { ReliefTables } from './store/tables.js'

/**
 * Attribution of refused attempts: when an authenticated caller is refused (a role that may not,
 * another branch's application, their own proposal to confirm, a state or a rule that forbids it),
 * the audit trail records who tried what and why it was refused, beside the application concerned.
 * The request line already logs the subject; this is the bank's record. Malformed requests (400)
 * are not attempts on anything and stay in the logs only.
 *
 * Written after the answer, outside the refused request's transaction (which wrote nothing); a
 * failure to record is logged, never turned into an answer.
 */
const ATTEMPTS = new Set([403, 404, 409, 422])
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

export function recordRefusedAttempts(app: ServiceApp, ctx: ServiceContext<ReliefTables>): void {
  app.addHook('onResponse', async (request) => {
    const { refusal, principalOrNull: principal } = request
    const route = request.routeOptions.url
    if (refusal === null || principal === null || route === undefined || !ATTEMPTS.has(refusal.status)) return
    const params: unknown = request.params
    const id = route.startsWith('/applications/:id') && params !== null && typeof params === 'object' && 'id' in params && typeof params.id === 'string' && UUID.test(params.id) ? params.id : null
    try {
      await appendAudit(ctx.db, {
        at: ctx.now(),
        actor: principal.subject,
        action: 'attempt.refused',
        applicationId: id,
        details: { method: request.method, route, status: refusal.status, code: refusal.code, reason: refusal.reason, roles: principal.roles },
      })
    } catch (err) {
      request.log.error({ err, route, status: refusal.status }, 'a refused attempt could not be recorded in the audit trail')
    }
  })
}
