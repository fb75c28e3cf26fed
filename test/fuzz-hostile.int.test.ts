// What an outside fuzzer sends, not what our schemas describe (see hostileRequests): to every route of
// every service, with a token of each role and one with every role. No answer may be a 5xx, every
// refusal is a problem document, and a refused write leaves every table as it was.
import t from 'tap'
import { mintToken, PROBLEM_CONTENT_TYPE, ROLES, type Role } from '@sme/kit'
import { hostileRequests, schemasOf, validRequestFor } from '@sme/testing/services'
import { SERVICES } from '../scripts/services.js'
import { serviceOnSchema } from './harness/service-on-schema.js'
import { applicationBody, uscc as reliefUscc } from '../services/relief/test/helpers.js'
import { invoiceRecord, uscc as scoringUscc } from '../services/scoring/test/helpers.js'
import { checkBody, firm as guardFirm } from '../services/guard/test/helpers.js'
import { loanBody as guaranteedLoanBody } from '../services/claims/test/helpers.js'

const AUTH = { secret: 'hostile-inputs-secret-0123456789abcdef', issuer: 'tests', audience: 'sme-relief' }
/** Per single role, the first requests of each route's list (the all-roles caller gets them all). */
const PER_ROLE = 8

/**
 * The services' clock, and for the writes whose schema-generated sample the domain would refuse
 * before storing anything, a request that is accepted: hostile values must reach as deep as a real
 * one does (a NUL in an enterprise name only ever failed in the database).
 */
const NOW = () => new Date('2020-06-15T02:00:00Z')
const { enterprise: _enterprise, ...personLoan } = applicationBody('extension', { loanId: 'FUZZ-PERSON-1' })
const VALID_BODIES: Record<string, readonly unknown[]> = {
  'relief POST /applications': [
    { ...applicationBody('extension', { uscc: reliefUscc(4242) }), branchId: 'B1' },
    // A natural person's, which the rules decide at intake: hostile values reach that path too.
    { ...personLoan, branchId: 'B1', person: { borrowerId: 'CB-FUZZ-PERSON-1', role: 'farmer', regionCode: '350100', businessLoan: true } },
  ],
  'scoring POST /data-points/batch': [{ mode: 'all-or-nothing', records: [invoiceRecord(scoringUscc(4242), '2020-05')] }],
  'scoring POST /scores': [{ uscc: scoringUscc(4242), asOf: '2020-06-15' }],
  // Documented fraud: a reason and its evidence, so hostile values reach the catalogue's checks.
  'guard POST /checks': [checkBody('FUZZ-1', guardFirm(4242), { reasons: [{ code: 'fraud', evidence: [{ kind: 'investigation-report', ref: 'INV-1' }] }] })],
  // A guaranteed loan the agreement covers, so hostile values reach the agreement check and the store.
  'claims PUT /guaranteed-loans/:loanId': [guaranteedLoanBody()],
}

for (const definition of SERVICES) {
  t.test(`${definition.name}: hostile input to every route, every role: no 5xx, refusals are problems, nothing written`, async (t) => {
    const { built, routes, tableCounts } = await serviceOnSchema(t, definition, { auth: AUTH, now: NOW, prefix: `${definition.name}-fz` })
    const { app } = built
    await built.prepare() // seeds what the service seeds at start (relief's default policies)
    await app.ready()
    const counts = async () => JSON.stringify(await tableCounts())

    const bearer = async (roles: readonly Role[], sub: string) =>
      `Bearer ${await mintToken(AUTH.secret, { sub, roles: [...roles], branches: ['*'], agency: 'AG-1' }, { issuer: AUTH.issuer, audience: AUTH.audience })}`
    const callers: { who: string; authorization: string; limit: number }[] = [
      { who: 'every role', authorization: await bearer(ROLES, 'fuzzer-all'), limit: Number.POSITIVE_INFINITY },
      ...(await Promise.all(ROLES.map(async (role) => ({ who: role, authorization: await bearer([role], `fuzzer-${role}`), limit: PER_ROLE })))),
    ]

    const targets = routes.filter((r) => ['POST', 'PUT', 'PATCH', 'GET', 'DELETE'].includes(r.method) && !r.url.startsWith('/docs'))
    let sent = 0
    let refused = 0
    let key = 0
    const statuses = new Map<number, number>()
    for (const caller of callers) {
      for (const route of targets) {
        const bodies = VALID_BODIES[`${definition.name} ${route.method} ${route.url}`] ?? [undefined]
        const requests = bodies.flatMap((body) => {
          const valid = validRequestFor(schemasOf(route), { seed: 7, ...(body === undefined ? {} : { valid: { body } }) })
          return hostileRequests(route, valid, { authorization: caller.authorization }).slice(0, caller.limit)
        })
        for (const request of requests) {
          const headers = { 'idempotency-key': `fuzz-${key++}`, ...request.inject.headers } as Record<string, string>
          const write = route.method !== 'GET'
          const before = write ? await counts() : ''
          const res = await app.inject({ ...request.inject, headers })
          sent++
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
          const where = `${caller.who} ${route.method} ${route.url} ${request.name}`
          if (res.statusCode >= 500) t.fail(`${where}: ${res.statusCode}`, { body: res.body.slice(0, 300) })
          else if (res.statusCode >= 400) {
            refused++
            if (!String(res.headers['content-type']).startsWith(PROBLEM_CONTENT_TYPE)) t.fail(`${where}: ${res.statusCode} without a problem document (${res.headers['content-type']})`)
            if (write && (await counts()) !== before) t.fail(`${where}: refused (${res.statusCode}) but a table changed`)
          }
        }
      }
    }
    t.ok(sent > 75 * targets.length, `${sent} hostile requests to ${targets.length} routes by ${callers.length} callers; ${refused} refused; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`)
  })
}
