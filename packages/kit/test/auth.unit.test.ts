import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type JWK } from 'jose'
import t from 'tap'
import {
  ROLES,
  assertAgencyAccess,
  assertBranchAccess,
  canAccessAgency,
  canAccessBranch,
  mintToken,
  type Principal,
  type Role,
  type ServiceApp,
} from '../src/index.js'
import { AUDIENCE, ISSUER, SECRET, bearer, testApp } from './helpers.js'

function addRoutes(app: ServiceApp): void {
  for (const role of ROLES) {
    app.get(`/only/${role}`, { config: { auth: { roles: [role] } } }, async () => ({ ok: true }))
  }
  app.get('/any', async (request) => request.principal)
  app.get('/public', { config: { auth: false } }, async (request) => ({ principal: request.principalOrNull }))
  app.get('/public-reads-principal', { config: { auth: false } }, async (request) => request.principal)
}

t.test('HS256 (development and tests)', async (t) => {
  const app = await testApp()
  addRoutes(app)
  t.teardown(() => app.close())

  t.test('every role reaches its own routes and is refused (403) elsewhere', async (t) => {
    for (const holder of ROLES) {
      const headers = await bearer([holder])
      for (const required of ROLES) {
        const res = await app.inject({ method: 'GET', url: `/only/${required}`, headers })
        if (holder === required) {
          t.equal(res.statusCode, 200, `${holder} -> ${required}`)
        } else {
          t.equal(res.statusCode, 403, `${holder} -> ${required}`)
          t.equal(res.json().code, 'forbidden')
        }
      }
    }
  })

  t.test('one of several roles is enough; unknown role names are dropped', async (t) => {
    const headers = await bearer(['officer', 'supervisor', 'wizard' as Role], { branches: ['BR-1'] })
    const res = await app.inject({ method: 'GET', url: '/only/supervisor', headers })
    t.equal(res.statusCode, 200)
    const me = await app.inject({ method: 'GET', url: '/any', headers })
    t.same(me.json(), { subject: 'user-officer-supervisor-wizard', roles: ['officer', 'supervisor'], branches: ['BR-1'] })
  })

  t.test('the principal carries branches and agency', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/any', headers: await bearer(['agency'], { sub: 'agency-system', agency: 'AG-9' }) })
    t.same(res.json(), { subject: 'agency-system', roles: ['agency'], branches: [], agency: 'AG-9' })
  })

  const refusals: [string, () => Promise<Record<string, string>>, RegExp][] = [
    ['no Authorization header', async () => ({}), /required/],
    ['Basic scheme', async () => ({ authorization: 'Basic dXNlcjpwYXNz' }), /Bearer/],
    ['garbage token', async () => ({ authorization: 'Bearer not.a.jwt' }), /invalid/],
    [
      'expired token',
      async () => ({
        authorization: `Bearer ${await mintToken(SECRET, { sub: 'u', roles: ['officer'] }, { issuer: ISSUER, audience: AUDIENCE, now: new Date(Date.now() - 3_600_000), expiresInSec: 60 })}`,
      }),
      /expired/,
    ],
    ['wrong issuer', async () => ({ authorization: `Bearer ${await mintToken(SECRET, { sub: 'u', roles: ['officer'] }, { issuer: 'https://evil', audience: AUDIENCE })}` }), /iss/],
    ['wrong audience', async () => ({ authorization: `Bearer ${await mintToken(SECRET, { sub: 'u', roles: ['officer'] }, { issuer: ISSUER, audience: 'other-app' })}` }), /aud/],
    ['wrong secret', async () => ({ authorization: `Bearer ${await mintToken('x'.repeat(40), { sub: 'u', roles: ['officer'] }, { issuer: ISSUER, audience: AUDIENCE })}` }), /invalid/],
    ['roles not an array', async () => ({ authorization: `Bearer ${await mintToken(SECRET, { sub: 'u', roles: 'admin' as unknown as Role[] }, { issuer: ISSUER, audience: AUDIENCE })}` }), /roles/],
    ['no subject', async () => ({ authorization: `Bearer ${await mintToken(SECRET, { sub: '', roles: ['admin'] }, { issuer: ISSUER, audience: AUDIENCE })}` }), /subject/],
    [
      'no expiry',
      async () => ({
        authorization: `Bearer ${await new SignJWT({ roles: ['admin'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('u').setIssuer(ISSUER).setAudience(AUDIENCE).sign(new TextEncoder().encode(SECRET))}`,
      }),
      /exp/,
    ],
    ['unsigned (alg none)', async () => ({ authorization: `Bearer ${unsignedToken({ sub: 'u', roles: ['admin'], iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 60 })}` }), /invalid/],
  ]
  for (const [name, headers, detail] of refusals) {
    t.test(`401: ${name}`, async (t) => {
      const res = await app.inject({ method: 'GET', url: '/only/admin', headers: await headers() })
      t.equal(res.statusCode, 401)
      t.equal(res.json().code, 'unauthenticated')
      t.match(res.json().detail, detail)
      t.match(res.headers['www-authenticate'], /^Bearer/)
    })
  }

  t.test('public routes need no token and ignore a bad one', async (t) => {
    t.equal((await app.inject({ method: 'GET', url: '/public' })).statusCode, 200)
    t.equal((await app.inject({ method: 'GET', url: '/public', headers: { authorization: 'Bearer junk' } })).statusCode, 200)
    t.equal((await app.inject({ method: 'GET', url: '/health/live' })).statusCode, 200)
    const res = await app.inject({ method: 'GET', url: '/public-reads-principal' })
    t.equal(res.statusCode, 401, 'reading request.principal on a public route is a 401, not a crash')
  })
  t.end()
})

function unsignedToken(payload: Record<string, unknown>): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(payload)}.`
}

t.test('JWKS (deployments): RS256 and ES256 accepted, alg confusion refused', async (t) => {
  const rsa = await generateKeyPair('RS256', { extractable: true })
  const ec = await generateKeyPair('ES256', { extractable: true })
  const keys: JWK[] = [
    { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
    { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
  ]
  let fetches = 0
  const server: Server = createServer((req, res) => {
    fetches++
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ keys }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const app = await testApp({ auth: { jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`, issuer: ISSUER, audience: AUDIENCE } })
  addRoutes(app)
  t.teardown(async () => {
    await app.close()
    await new Promise((resolve) => server.close(resolve))
  })

  const sign = (alg: string, kid: string, key: Parameters<SignJWT['sign']>[0], claims: Record<string, unknown> = { roles: ['risk'] }) =>
    new SignJWT(claims).setProtectedHeader({ alg, kid }).setSubject('risk-1').setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime('5m').sign(key)

  for (const [alg, kid, key] of [
    ['RS256', 'rsa-1', rsa.privateKey],
    ['ES256', 'ec-1', ec.privateKey],
  ] as const) {
    const res = await app.inject({ method: 'GET', url: '/only/risk', headers: { authorization: `Bearer ${await sign(alg, kid, key)}` } })
    t.equal(res.statusCode, 200, `${alg} accepted`)
  }
  t.ok(fetches >= 1, 'keys fetched from the JWKS URL')

  const hsWithSharedSecret = await mintToken(SECRET, { sub: 'u', roles: ['admin'] }, { issuer: ISSUER, audience: AUDIENCE })
  const refused1 = await app.inject({ method: 'GET', url: '/only/admin', headers: { authorization: `Bearer ${hsWithSharedSecret}` } })
  t.equal(refused1.statusCode, 401, 'HS256 token refused when JWKS is configured')

  // Classic alg confusion: HS256 "signed" with the server's public key as the HMAC secret.
  const publicPem = await exportSPKI(rsa.publicKey)
  const confused = await sign('HS256', 'rsa-1', new TextEncoder().encode(publicPem), { roles: ['admin'] })
  const refused2 = await app.inject({ method: 'GET', url: '/only/admin', headers: { authorization: `Bearer ${confused}` } })
  t.equal(refused2.statusCode, 401, 'HS256 with the public key as secret refused')

  const other = await generateKeyPair('RS256')
  const unknownKey = await sign('RS256', 'rsa-1', other.privateKey)
  t.equal((await app.inject({ method: 'GET', url: '/only/risk', headers: { authorization: `Bearer ${unknownKey}` } })).statusCode, 401, 'signature by another key refused')

  const none = unsignedToken({ sub: 'u', roles: ['admin'], iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 60 })
  t.equal((await app.inject({ method: 'GET', url: '/only/admin', headers: { authorization: `Bearer ${none}` } })).statusCode, 401, 'alg none refused')
})

t.test('JWKS unreachable: 503, retryable, not the caller’s fault', async (t) => {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  await new Promise((resolve) => server.close(resolve))
  const app = await testApp({ auth: { jwksUrl: `http://127.0.0.1:${port}/jwks`, issuer: ISSUER, audience: AUDIENCE } })
  app.get('/x', async () => ({ ok: true }))
  t.teardown(() => app.close())
  const ec = await generateKeyPair('ES256')
  const jwt = await new SignJWT({ roles: ['risk'] }).setProtectedHeader({ alg: 'ES256', kid: 'k' }).setSubject('s').setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('5m').sign(ec.privateKey)
  const res = await app.inject({ method: 'GET', url: '/x', headers: { authorization: `Bearer ${jwt}` } })
  t.equal(res.statusCode, 503)
  t.equal(res.json().code, 'service_unavailable')
})

t.test('per-object access', async (t) => {
  const p = (roles: Role[], branches: string[] = [], agency?: string): Principal => ({ subject: 's', roles, branches, agency })
  const table: [string, Principal, string, boolean][] = [
    ['officer, own branch', p(['officer'], ['BR-1']), 'BR-1', true],
    ['officer, other branch', p(['officer'], ['BR-1']), 'BR-2', false],
    ['officer, wildcard claim is not honoured', p(['officer'], ['*']), 'BR-2', false],
    ['supervisor, own branch', p(['supervisor'], ['BR-1', 'BR-3']), 'BR-3', true],
    ['supervisor, other branch', p(['supervisor'], ['BR-1']), 'BR-2', false],
    ['risk sees all', p(['risk']), 'BR-2', true],
    ['admin sees all', p(['admin']), 'BR-9', true],
    ['core banking, all branches', p(['core-banking'], ['*']), 'BR-2', true],
    ['core banking, own branch', p(['core-banking'], ['BR-1']), 'BR-1', true],
    ['core banking, other branch', p(['core-banking'], ['BR-1']), 'BR-2', false],
    ['agency has no branch access', p(['agency'], ['*'], 'AG-1'), 'BR-1', false],
    ['no roles', p([], ['BR-1']), 'BR-1', false],
    ['never the literal "*" branch', p(['admin']), '*', false],
  ]
  for (const [name, principal, branch, expected] of table) {
    t.equal(canAccessBranch(principal, branch), expected, name)
    if (expected) t.doesNotThrow(() => assertBranchAccess(principal, branch), name)
    else t.throws(() => assertBranchAccess(principal, branch), { name: 'AppError', status: 403 }, name)
  }
  const agencies: [string, Principal, string, boolean][] = [
    ['agency, own', p(['agency'], [], 'AG-1'), 'AG-1', true],
    ['agency, other', p(['agency'], [], 'AG-1'), 'AG-2', false],
    ['agency claim without agency role', p(['officer'], [], 'AG-1'), 'AG-1', false],
    ['risk', p(['risk']), 'AG-2', true],
    ['admin', p(['admin']), 'AG-2', true],
    ['officer', p(['officer'], ['BR-1']), 'AG-1', false],
    ['core banking', p(['core-banking'], ['*']), 'AG-1', false],
  ]
  for (const [name, principal, agency, expected] of agencies) {
    t.equal(canAccessAgency(principal, agency), expected, name)
    if (expected) t.doesNotThrow(() => assertAgencyAccess(principal, agency), name)
    else t.throws(() => assertAgencyAccess(principal, agency), { name: 'AppError', code: 'forbidden' }, name)
  }
})

t.test('mintToken refuses short secrets', async (t) => {
  await t.rejects(mintToken('short', { sub: 'u', roles: [] }, { issuer: ISSUER, audience: AUDIENCE }), /at least 32/)
})
