import { ROLES, type Role } from '@sme/kit'
import type { InjectOptions } from 'fastify'
import type { ServiceUnderTest, TestCaller } from './service-under-test.js'

/** A route's expected authorization: the roles that may call it, and the status they get for a valid request. */
export type AuthorizationMatrix = Record<string, { readonly allowed: readonly Role[]; readonly ok: number }>

/** A valid request to a route (made afresh for each caller: a write may need its own key or record). */
export interface MatrixCall {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  readonly url: string
  /** A JSON body, or a body of another media type as text (its content-type in `headers`). */
  readonly payload?: object | string
  readonly headers?: Record<string, string>
}

/** One call of the matrix: who, the status expected and the one answered (with the start of the body, for the message). */
export interface AuthorizationOutcome {
  readonly route: string
  readonly caller: Role | 'no token'
  readonly expected: number
  readonly status: number
  readonly body: string
}

/**
 * Every route of the matrix called by every role and with no token: the roles the matrix names
 * should get its `ok` status, every other role 403, no token 401. The matrix is written out by the
 * test from the issue, never derived from the routes under test; the test asserts each outcome.
 */
export async function authorizationOutcomes(
  service: Pick<ServiceUnderTest<unknown>, 'app' | 'auth'>,
  matrix: AuthorizationMatrix,
  call: Record<string, () => Promise<MatrixCall>>,
  claims: (role: Role) => TestCaller,
): Promise<AuthorizationOutcome[]> {
  const outcomes: AuthorizationOutcome[] = []
  const send = async (c: MatrixCall, headers: Record<string, string>) => service.app.inject({ method: c.method, url: c.url, headers, ...(c.payload ? { payload: c.payload } : {}) } as InjectOptions)
  for (const [route, { allowed, ok }] of Object.entries(matrix)) {
    const make = call[route]
    if (make === undefined) throw new Error(`the matrix names ${route} but the test has no call for it`)
    for (const role of ROLES) {
      const c = await make()
      const res = await send(c, { ...(await service.auth(role, { sub: `authz-${role}`, ...claims(role) })), ...(c.headers ?? {}) })
      outcomes.push({ route, caller: role, expected: allowed.includes(role) ? ok : 403, status: res.statusCode, body: res.body.slice(0, 200) })
    }
    const res = await send(await make(), {})
    outcomes.push({ route, caller: 'no token', expected: 401, status: res.statusCode, body: res.body.slice(0, 200) })
  }
  return outcomes
}
