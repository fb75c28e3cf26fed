import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import {
  SignJWT,
  createLocalJWKSet,
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose'
import { AppError } from './errors.js'

/** Roles a token may carry. People: officer, supervisor, risk, admin. Systems: core-banking, agency. */
export const ROLES = ['officer', 'supervisor', 'risk', 'core-banking', 'agency', 'admin'] as const
export type Role = (typeof ROLES)[number]

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

/** Who is calling, as established from a verified token. */
export interface Principal {
  /** The token's `sub`: a person's staff id or a system's client id. */
  readonly subject: string
  /** Known roles of the token; unknown role names are dropped, never guessed. */
  readonly roles: readonly Role[]
  /** Branch ids the principal works for; `'*'` (all) is honoured only for system roles. */
  readonly branches: readonly string[]
  /** The guarantee agency a system principal acts for (role `agency`). */
  readonly agency: string | undefined
}

/** Route policy: `false` for public routes, else who may call. Absent: any authenticated principal. */
export type RouteAuth = false | { roles?: readonly Role[] }

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Authentication policy of the route. Absent means "authenticated, any role": routes are
     * protected unless they opt out with `auth: false` (health, docs, metrics).
     */
    auth?: RouteAuth
  }
  interface FastifyRequest {
    /** The verified caller; reading it on a public route without a token throws 401. */
    readonly principal: Principal
    /** The verified caller, or null on a public route. */
    principalOrNull: Principal | null
  }
}

interface TokenVerificationCommon {
  issuer: string
  audience: string | readonly string[]
  /** Seconds of clock skew tolerated on exp/nbf/iat; keep small. Default 5. */
  clockToleranceSec?: number
}

/**
 * How tokens are verified. HS256 with a shared secret is for development and tests; deployments
 * verify against the identity provider's JWKS (RS256/ES256). The allowed algorithms follow from
 * the key source, so a token whose header asks for another algorithm (alg confusion: HS256 signed
 * with a public key as secret, or `none`) is refused before any key is used.
 */
export type TokenVerificationOptions = TokenVerificationCommon &
  (
    | { secret: string }
    | { jwksUrl: string | URL; algorithms?: readonly ('RS256' | 'ES256' | 'PS256' | 'EdDSA')[] }
    | { jwks: JSONWebKeySet; algorithms?: readonly ('RS256' | 'ES256' | 'PS256' | 'EdDSA')[] }
  )

export type TokenVerifier = (token: string) => Promise<Principal>

const MIN_SECRET_LENGTH = 32
const encoder = new TextEncoder()

function secretKey(secret: string): Uint8Array {
  if (secret.length < MIN_SECRET_LENGTH) throw new Error(`JWT secret must be at least ${MIN_SECRET_LENGTH} characters`)
  return encoder.encode(secret)
}

function unauthenticated(detail: string, error = 'invalid_token', cause?: unknown): AppError {
  // RFC 6750 §3: tell the client which scheme is expected and why the token was refused.
  return new AppError('unauthenticated', detail, {
    headers: { 'www-authenticate': `Bearer error="${error}"` },
    cause,
  })
}

function stringArray(value: unknown, claim: string): string[] {
  if (value === undefined) return []
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw unauthenticated(`token claim ${claim} must be an array of strings`)
  }
  return value as string[]
}

/** Maps verified claims to a principal; malformed scope claims make the token invalid. */
export function principalFromClaims(payload: JWTPayload): Principal {
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw unauthenticated('token has no subject')
  const roles = stringArray(payload.roles, 'roles').filter(isRole)
  const branches = stringArray(payload.branches, 'branches')
  const agency = payload.agency
  if (agency !== undefined && (typeof agency !== 'string' || agency.length === 0)) {
    throw unauthenticated('token claim agency must be a non-empty string')
  }
  return Object.freeze({ subject: payload.sub, roles: Object.freeze([...new Set(roles)]), branches: Object.freeze(branches), agency })
}

function refusal(error: unknown): AppError {
  if (error instanceof AppError) return error
  if (error instanceof joseErrors.JWTExpired) return unauthenticated('token has expired', 'invalid_token', error)
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return unauthenticated(`token claim ${error.claim} is not accepted`, 'invalid_token', error)
  }
  if (error instanceof joseErrors.JWKSTimeout) {
    // Our identity provider being slow is not the caller's fault: a retryable 503, not a 401.
    return new AppError('service_unavailable', 'token keys unavailable', { cause: error, headers: { 'retry-after': '1' } })
  }
  if (error instanceof joseErrors.JOSEError) return unauthenticated('token is invalid', 'invalid_token', error)
  return new AppError('service_unavailable', 'token keys unavailable', { cause: error, headers: { 'retry-after': '1' } })
}

/** Builds the verifier for one key source. The JWKS is fetched lazily and cached by jose. */
export function createTokenVerifier(options: TokenVerificationOptions): TokenVerifier {
  const common = {
    issuer: options.issuer,
    audience: options.audience as string | string[],
    clockTolerance: options.clockToleranceSec ?? 5,
    requiredClaims: ['sub', 'exp'],
  }
  let verify: (token: string) => Promise<JWTPayload>
  if ('secret' in options) {
    const key = secretKey(options.secret)
    verify = async (token) => (await jwtVerify(token, key, { ...common, algorithms: ['HS256'] })).payload
  } else {
    const getKey: JWTVerifyGetKey =
      'jwksUrl' in options
        ? createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: 3_000, cooldownDuration: 30_000 })
        : createLocalJWKSet(options.jwks)
    const algorithms = [...(options.algorithms ?? ['RS256', 'ES256'])]
    verify = async (token) => (await jwtVerify(token, getKey, { ...common, algorithms })).payload
  }
  // Verified tokens are remembered for a short while: a system caller sends the same token with
  // every request, and a signature check is a measurable share of a small route's cost. An entry
  // lives until the token expires or for at most a minute (so a rotated-out key stops working soon).
  const verified = new Map<string, { principal: Principal; until: number }>()
  const MAX_ENTRIES = 10_000
  return async (token) => {
    const now = Date.now()
    const hit = verified.get(token)
    if (hit && hit.until > now) return hit.principal
    try {
      const payload = await verify(token)
      const principal = principalFromClaims(payload)
      if (verified.size >= MAX_ENTRIES) verified.delete(verified.keys().next().value!)
      verified.set(token, { principal, until: Math.min(now + 60_000, (payload.exp ?? 0) * 1000) })
      return principal
    } catch (error) {
      verified.delete(token)
      throw refusal(error)
    }
  }
}

export interface AuthPluginOptions {
  verifier: TokenVerifier
}

const BEARER = /^Bearer[ ]+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)[ ]*$/i

/** Reads and verifies the bearer token of a request; undefined when there is no Authorization header. */
async function authenticate(request: FastifyRequest, verifier: TokenVerifier): Promise<Principal | undefined> {
  const header = request.headers.authorization
  if (header === undefined) return undefined
  const match = BEARER.exec(header)
  if (!match?.[1]) throw unauthenticated('Authorization header must be "Bearer <jwt>"', 'invalid_request')
  return verifier(match[1])
}

/**
 * Authentication and role policy, run `onRequest`: before the body is read or validated, so an
 * anonymous caller learns nothing about the route's schema and costs no parsing. Unknown URLs are
 * left to the not-found handler (a 404 is not a secret).
 */
export const authPlugin = fp<AuthPluginOptions>(
  async (app: FastifyInstance, options) => {
    app.decorateRequest('principalOrNull', null)
    app.decorateRequest('principal', {
      getter(this: FastifyRequest): Principal {
        if (this.principalOrNull === null) throw unauthenticated('authentication required', 'invalid_request')
        return this.principalOrNull
      },
    })
    app.addHook('onRequest', async (request) => {
      if (request.is404) return
      const policy = request.routeOptions.config.auth
      // Public routes neither require nor read tokens: a stale token must not break a health probe.
      if (policy === false) return
      const principal = await authenticate(request, options.verifier)
      if (!principal) throw unauthenticated('Authorization: Bearer <jwt> required', 'invalid_request')
      request.principalOrNull = principal
      const roles = policy?.roles
      if (roles && roles.length > 0 && !roles.some((r) => principal.roles.includes(r))) {
        throw new AppError('forbidden', `requires one of the roles: ${roles.join(', ')}`)
      }
    })
  },
  { name: '@sme/kit/auth', fastify: '5.x' },
)

const ALL_BRANCH_ROLES: readonly Role[] = ['risk', 'admin']
const BRANCH_SCOPED_ROLES: readonly Role[] = ['officer', 'supervisor']
const SYSTEM_ROLES: readonly Role[] = ['core-banking']

/**
 * Per-object check for branch-owned records. Officers and supervisors see only the branches in
 * their token; risk officers and admins see all; core-banking systems see the branches of their
 * claim, where `'*'` stands for all (a bank-wide core system). Anyone else sees none.
 */
export function canAccessBranch(principal: Principal, branchId: string): boolean {
  if (branchId.length === 0 || branchId === '*') return false
  if (principal.roles.some((r) => ALL_BRANCH_ROLES.includes(r))) return true
  if (principal.roles.some((r) => BRANCH_SCOPED_ROLES.includes(r)) && principal.branches.includes(branchId)) return true
  if (principal.roles.some((r) => SYSTEM_ROLES.includes(r)) && (principal.branches.includes('*') || principal.branches.includes(branchId))) {
    return true
  }
  return false
}

/** The branches a principal may read: all of them, or the listed ones (possibly none). */
export type BranchScope = 'all' | readonly string[]

/**
 * The branches whose records a principal may list, consistent with {@link canAccessBranch} (the
 * per-object check): risk and admin see every branch, a system with the `'*'` claim too; officers
 * and supervisors the branches of their token, never `'*'`.
 */
export function branchScopeOf(principal: Principal): BranchScope {
  if (principal.roles.some((r) => ALL_BRANCH_ROLES.includes(r))) return 'all'
  if (principal.roles.some((r) => SYSTEM_ROLES.includes(r)) && principal.branches.includes('*')) return 'all'
  return principal.branches.filter((b) => canAccessBranch(principal, b))
}

/** Throws 403 unless {@link canAccessBranch}. */
export function assertBranchAccess(principal: Principal, branchId: string): void {
  if (!canAccessBranch(principal, branchId)) throw new AppError('forbidden', `no access to branch ${branchId}`)
}

/** Per-object check for agency-owned records: an agency sees only its own; risk and admin see all. */
export function canAccessAgency(principal: Principal, agencyId: string): boolean {
  if (agencyId.length === 0) return false
  if (principal.roles.some((r) => ALL_BRANCH_ROLES.includes(r))) return true
  return principal.roles.includes('agency') && principal.agency === agencyId
}

/** Throws 403 unless {@link canAccessAgency}. */
export function assertAgencyAccess(principal: Principal, agencyId: string): void {
  if (!canAccessAgency(principal, agencyId)) throw new AppError('forbidden', `no access to agency ${agencyId}`)
}

export interface TokenClaims {
  sub: string
  roles: readonly Role[]
  branches?: readonly string[]
  agency?: string
  [claim: string]: unknown
}

export interface MintOptions {
  issuer: string
  audience: string
  /** Lifetime in seconds from `now`; default 900 (15 minutes). */
  expiresInSec?: number
  /** Issue time; default the current time. A past `now` with a short lifetime mints an expired token. */
  now?: Date
}

/** Mints an HS256 token, for development tools and tests. Deployments get tokens from their IdP. */
export async function mintToken(secret: string, claims: TokenClaims, options: MintOptions): Promise<string> {
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000)
  const { sub, ...rest } = claims
  return new SignJWT({ ...rest })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.expiresInSec ?? 900))
    .sign(secretKey(secret))
}
