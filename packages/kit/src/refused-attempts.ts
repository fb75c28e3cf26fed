import type { FastifyRequest } from 'fastify'
import type { ServiceApp } from './app.js'
import type { Role } from './auth.js'

/** A refused attempt of an authenticated caller, as a service's audit trail records it. */
export interface RefusedAttempt {
  readonly actor: string
  readonly roles: readonly Role[]
  readonly method: string
  /** The route's pattern (never the values in the path). */
  readonly route: string
  readonly params: unknown
  readonly status: number
  readonly code: string
  readonly reason: string | null
}

/** Statuses that answer an attempt on something: a role that may not, another branch's record, a state or a rule that forbids it. */
const ATTEMPTS = new Set([403, 404, 409, 422])

/**
 * Attribution of refused attempts: when an authenticated caller is refused, `record` writes who
 * tried what and why to the service's audit trail. Malformed requests (400) are not attempts on
 * anything and stay in the logs only. Runs after the answer, outside the refused request (which
 * wrote nothing); a failure to record is logged, never turned into an answer.
 */
export function auditRefusedAttempts(app: ServiceApp, record: (attempt: RefusedAttempt) => Promise<void>): void {
  app.addHook('onResponse', async (request: FastifyRequest) => {
    const { refusal, principalOrNull: principal } = request
    const route = request.routeOptions.url
    if (refusal === null || principal === null || route === undefined || !ATTEMPTS.has(refusal.status)) return
    try {
      await record({ actor: principal.subject, roles: principal.roles, method: request.method, route, params: request.params, status: refusal.status, code: refusal.code, reason: refusal.reason })
    } catch (err) {
      request.log.error({ err, route, status: refusal.status }, 'a refused attempt could not be recorded in the audit trail')
    }
  })
}
