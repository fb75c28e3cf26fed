import type { ServiceApp, ServiceContext } from '@sme/kit'
import type { PricingTables } from './store/tables.js'

/**
 * Attribution of refused attempts: when an authenticated caller is refused (a role that may not,
 * another branch's quote, an expired quote, a key reused), the audit log records who tried what and
 * why, with the quote or the firm concerned. Malformed requests (400) are not attempts on anything
 * and stay in the logs only. Written after the answer, outside the refused request; a failure to
 * record is logged, never turned into an answer.
 */
const ATTEMPTS = new Set([403, 404, 409, 422])

export function recordRefusedAttempts(app: ServiceApp, ctx: ServiceContext<PricingTables>): void {
  app.addHook('onResponse', async (request) => {
    const { refusal, principalOrNull: principal } = request
    const route = request.routeOptions.url
    if (refusal === null || principal === null || route === undefined || !ATTEMPTS.has(refusal.status)) return
    const params = (request.params ?? {}) as Record<string, unknown>
    const subject = typeof params.id === 'string' ? `quote:${params.id}` : typeof params.uscc === 'string' ? `firm:${params.uscc}` : null
    try {
      await ctx.db
        .insertInto('audit_log')
        .values({
          at: ctx.now(),
          actor: principal.subject,
          action: 'attempt.refused',
          subject,
          details: JSON.stringify({ method: request.method, route, status: refusal.status, code: refusal.code, reason: refusal.reason, roles: principal.roles }),
        })
        .execute()
    } catch (err) {
      request.log.error({ err, route, status: refusal.status }, 'a refused attempt could not be recorded in the audit log')
    }
  })
}
