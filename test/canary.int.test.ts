// Canaries: an enterprise name, its USCC and a hardship text, seeded through every route of every
// service and down every failure path we can provoke (schema refusals, domain refusals, conflicts,
// key reuse, broken JSON, wrong content types, forbidden callers, and a statement the database
// refuses), with both services running on one transport so the scoring request is answered for
// real. None of them may appear in any log line, in any problem document, or in an event that has
// no business carrying it (the USCC only as the `uscc` of an event about that firm; names and
// hardship texts in no event at all).
import { Writable } from 'node:stream'
import type { InjectOptions } from 'fastify'
import t from 'tap'
import { sql } from '@sme/data'
import { makeUscc } from '@sme/domain'
import { InProcessTransport } from '@sme/events'
import { createLogger, mintToken, ROLES, type Role } from '@sme/kit'
import { eventually } from '@sme/testing'
import { injectOptionsFor, schemasOf, validRequestFor } from '@sme/testing/services'
import { SERVICES } from '../scripts/services.js'
import { serviceOnSchema, type ServiceOnSchema } from './harness/service-on-schema.js'
import { quoteBody } from '../services/pricing/test/helpers.js'
import { applicationBody } from '../services/relief/test/helpers.js'
import { healthyFirmRecords } from '../services/scoring/test/helpers.js'

const AUTH = { secret: 'canary-secret-0123456789abcdef0123', issuer: 'tests', audience: 'sme-relief' }
const NOW = () => new Date('2020-06-15T02:00:00Z')

const CANARY_USCC = makeUscc('913501007K3Q9W2X')
// The same code with a wrong check character: what a typo sends, and must not be echoed either.
const MISTYPED_USCC = `${CANARY_USCC.slice(0, 17)}${CANARY_USCC.endsWith('0') ? '1' : '0'}`
const CANARY_NAME = '金丝雀商贸有限公司Zq7'
const CANARY_HARDSHIP = '疫情期间门店停业，店主病重 hardship-canary-5531'
const CANARIES = { uscc: CANARY_USCC, mistyped: MISTYPED_USCC, name: CANARY_NAME, hardship: CANARY_HARDSHIP }

/** Every form a canary can take in text: as is, JSON-escaped (non-ASCII as \uXXXX), percent-encoded. */
function forms(value: string): string[] {
  const escaped = value.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return [...new Set([value, escaped, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)])]
}
const found = (text: string, keys: readonly (keyof typeof CANARIES)[] = ['uscc', 'mistyped', 'name', 'hardship']): string[] =>
  keys.filter((k) => forms(CANARIES[k]).some((f) => text.includes(f)))

function capturedLogger(name: string) {
  const lines: string[] = []
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(...String(chunk).split('\n').filter((l) => l.length > 0))
      callback()
    },
  })
  return { logger: createLogger({ level: 'trace', name, destination }), lines }
}

/** Replaces every string leaf of a value with the next canary, round robin. */
function seeded(value: unknown, next: () => string): unknown {
  if (typeof value === 'string') return next()
  if (Array.isArray(value)) return value.map((v) => seeded(v, next))
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, seeded(v, next)]))
  return value
}

t.test('names, identity numbers and hardship texts never reach logs, problem documents or events that should not carry them', async (t) => {
  const transport = new InProcessTransport()
  t.teardown(() => transport.close())
  const services = new Map<string, ServiceOnSchema & { lines: string[] }>()
  for (const definition of SERVICES) {
    const { logger, lines } = capturedLogger(definition.name)
    const service = await serviceOnSchema(t, definition, { auth: AUTH, now: NOW, prefix: `${definition.name}-cn`, logger, transport })
    await service.built.startMessaging()
    services.set(definition.name, { ...service, lines })
  }
  const relief = services.get('relief')!
  const scoring = services.get('scoring')!

  const bearer = async (roles: readonly Role[], sub: string, branches: readonly string[] = ['*']) => ({
    authorization: `Bearer ${await mintToken(AUTH.secret, { sub, roles: [...roles], branches: [...branches], agency: 'AG-1' }, { issuer: AUTH.issuer, audience: AUTH.audience })}`,
  })
  const core = await bearer(['core-banking'], 'core-1', ['B1'])
  const risk = await bearer(['risk'], 'risk-1')
  const admin = await bearer(['admin'], 'admin-1')
  const stranger = await bearer(['officer'], 'officer-b9', ['B9'])
  const agency = await bearer(['agency'], 'agency-1')

  const answers: { what: string; status: number; body: string }[] = []
  const send = async (service: ServiceOnSchema, what: string, options: InjectOptions) => {
    const res = await service.built.app.inject(options)
    answers.push({ what, status: res.statusCode, body: res.body })
    return res
  }

  // ---- Scoring: the firm's data, a score, and its refusals.
  const records = healthyFirmRecords(CANARY_USCC, { through: '2020-05' })
  const batch = await send(scoring, 'data points', { method: 'POST', url: '/data-points/batch', headers: { ...admin, 'idempotency-key': 'cn-dp-1' }, payload: { mode: 'all-or-nothing', records } })
  t.ok(batch.statusCode < 300, `the firm's data is recorded (${batch.statusCode})`)
  await send(scoring, 'data point of a mistyped code', { method: 'POST', url: '/data-points/batch', headers: { ...admin, 'idempotency-key': 'cn-dp-2' }, payload: { mode: 'all-or-nothing', records: [{ ...records[0], uscc: MISTYPED_USCC, sourceRecordId: 'reg-mistyped' }] } })
  await send(scoring, 'data point with a broken period', { method: 'POST', url: '/data-points/batch', headers: { ...admin, 'idempotency-key': 'cn-dp-3' }, payload: { mode: 'all-or-nothing', records: [{ ...records[1], period: CANARY_NAME }] } })
  await send(scoring, 'score', { method: 'POST', url: '/scores', headers: { ...risk, 'idempotency-key': 'cn-sc-1' }, payload: { uscc: CANARY_USCC, asOf: '2020-06-15' } })
  await send(scoring, 'score of a mistyped code', { method: 'POST', url: '/scores', headers: { ...risk, 'idempotency-key': 'cn-sc-2' }, payload: { uscc: MISTYPED_USCC, asOf: '2020-06-15' } })
  await send(scoring, 'score in 2099', { method: 'POST', url: '/scores', headers: { ...risk, 'idempotency-key': 'cn-sc-3' }, payload: { uscc: CANARY_USCC, asOf: '2099-01-01' } })
  for (const path of ['data-points', 'scores']) {
    await send(scoring, `GET ${path} of the firm`, { method: 'GET', url: `/enterprises/${CANARY_USCC}/${path}`, headers: risk })
    await send(scoring, `GET ${path} as an agency`, { method: 'GET', url: `/enterprises/${CANARY_USCC}/${path}`, headers: agency })
    await send(scoring, `GET ${path} of a mistyped code`, { method: 'GET', url: `/enterprises/${MISTYPED_USCC}/${path}`, headers: risk })
  }

  // ---- Relief: an application carrying all three, accepted, retried, refused every way.
  const body = { ...applicationBody('extension', { uscc: CANARY_USCC, loanId: 'LN-CANARY-1' }), branchId: 'B1' }
  const application = { ...body, enterprise: { ...body.enterprise, name: CANARY_NAME }, hardship: { declared: true, text: CANARY_HARDSHIP } }
  const post = (what: string, payload: unknown, key: string, headers: Record<string, string> = core) =>
    send(relief, what, { method: 'POST', url: '/applications', headers: { ...headers, 'idempotency-key': key }, payload: payload as object })
  const accepted = await post('accepted', application, 'cn-1')
  t.equal(accepted.statusCode, 202, 'the application is accepted')
  const id = accepted.json().id as string
  await post('retried', application, 'cn-1')
  await post('key reused with another body', { ...application, hardship: { declared: true, text: `${CANARY_HARDSHIP} (edited)` } }, 'cn-1')
  await post('a second application for the loan', application, 'cn-2')
  await post('refused by intake', { ...application, loan: { ...application.loan, loanId: 'LN-CANARY-2', rateBp: 43_500 }, enterprise: { ...application.enterprise, uscc: MISTYPED_USCC } }, 'cn-3')
  await post('a control character in the name', { ...application, loan: { ...application.loan, loanId: 'LN-CANARY-3' }, enterprise: { ...application.enterprise, name: `${CANARY_NAME}\u0007` } }, 'cn-4')
  await post('a NUL in the hardship text', { ...application, loan: { ...application.loan, loanId: 'LN-CANARY-4' }, hardship: { declared: true, text: `${CANARY_HARDSHIP}\u0000` } }, 'cn-5')
  await post('another branch', { ...application, loan: { ...application.loan, loanId: 'LN-CANARY-5' }, branchId: 'B9' }, 'cn-6')
  await post('an unknown field', { ...application, loan: { ...application.loan, loanId: 'LN-CANARY-6' }, note: CANARY_NAME, [CANARY_HARDSHIP]: CANARY_USCC }, 'cn-7')
  const broken = JSON.stringify(application).slice(0, -20)
  await send(relief, 'broken JSON', { method: 'POST', url: '/applications', headers: { ...core, 'idempotency-key': 'cn-8', 'content-type': 'application/json' }, payload: broken })
  await send(relief, 'JSON sent as text', { method: 'POST', url: '/applications', headers: { ...core, 'idempotency-key': 'cn-9', 'content-type': 'text/plain' }, payload: JSON.stringify(application) })
  await send(relief, 'a bad key', { method: 'POST', url: '/applications', headers: { ...core, 'idempotency-key': CANARY_NAME }, payload: application })
  await send(relief, 'another branch reads it', { method: 'GET', url: `/applications/${id}`, headers: stranger })
  await send(relief, 'a list filtered by the code', { method: 'GET', url: `/applications?uscc=${CANARY_USCC}`, headers: risk })
  await send(relief, 'an unknown route naming the code', { method: 'GET', url: `/enterprises/${CANARY_USCC}/applications`, headers: risk })
  await send(relief, 'a proposal by another branch', { method: 'POST', url: `/applications/${id}/proposals`, headers: { ...stranger, 'idempotency-key': 'cn-10' }, payload: { outcome: 'APPROVED', reason: CANARY_HARDSHIP } })

  // The scoring service answers the request relief published: the application is decided.
  await eventually('the application decided on the real score', async () => {
    const row = await relief.database.db.withSchema(relief.schema).selectFrom('applications').select('status').where('id', '=', id).executeTakeFirst()
    return row && row.status !== 'awaiting-score' ? row : undefined
  }, 15_000, 25)

  // A statement the database refuses, carrying the whole application: the failure must be logged
  // without its data, and answered without it.
  await sql`alter table ${sql.table(`${relief.schema}.applications`)} add constraint canary_refused check (application->'enterprise'->>'name' <> ${sql.lit(CANARY_NAME)}) not valid`.execute(relief.database.db)
  const refused = await post('refused by the database', { ...application, loan: { ...application.loan, loanId: 'LN-CANARY-7' } }, 'cn-11')
  t.equal(refused.statusCode, 500, 'a statement the database refuses is a fault (500)')
  await sql`alter table ${sql.table(`${relief.schema}.applications`)} drop constraint canary_refused`.execute(relief.database.db)
  await sql`alter table ${sql.table(`${scoring.schema}.data_points`)} add constraint canary_refused check (uscc <> ${sql.lit(CANARY_USCC)} or source <> 'canary-feed') not valid`.execute(scoring.database.db)
  const refusedPoint = await send(scoring, 'data point refused by the database', { method: 'POST', url: '/data-points/batch', headers: { ...admin, 'idempotency-key': 'cn-dp-4' }, payload: { mode: 'all-or-nothing', records: [{ ...records[2], source: 'canary-feed', sourceRecordId: 'canary-1' }] } })
  t.equal(refusedPoint.statusCode, 500, 'scoring too: a fault')
  await sql`alter table ${sql.table(`${scoring.schema}.data_points`)} drop constraint canary_refused`.execute(scoring.database.db)

  // ---- Pricing: a quote for the firm (published), and one the database refuses.
  const pricing = services.get('pricing')!
  const officer = await bearer(['officer'], 'officer-b1', ['B1'])
  const quote = quoteBody({ branchId: 'B1', borrower: { kind: 'enterprise', uscc: CANARY_USCC, size: 'small', inclusiveSmallMicro: false }, pricingDate: '2020-06-15', startDate: '2020-06-15' })
  const quoted = await send(pricing, 'quote', { method: 'POST', url: '/quotes', headers: { ...officer, 'idempotency-key': 'cn-pq-1' }, payload: quote })
  t.equal(quoted.statusCode, 201, 'the quote is issued')
  const acceptedQuote = await send(pricing, 'quote accepted', { method: 'POST', url: `/quotes/${quoted.json().quoteId}/accept`, headers: officer })
  t.equal(acceptedQuote.statusCode, 200, 'and accepted: published')
  await sql`alter table ${sql.table(`${pricing.schema}.quotes`)} add constraint canary_refused check (loan_id <> 'LN-CANARY-PQ') not valid`.execute(pricing.database.db)
  const refusedQuote = await send(pricing, 'quote refused by the database', { method: 'POST', url: '/quotes', headers: { ...officer, 'idempotency-key': 'cn-pq-2' }, payload: { ...quote, loanId: 'LN-CANARY-PQ' } })
  t.equal(refusedQuote.statusCode, 500, 'pricing too: a fault')
  await sql`alter table ${sql.table(`${pricing.schema}.quotes`)} drop constraint canary_refused`.execute(pricing.database.db)

  // ---- Guard: a check on the firm's loan (published), and one the database refuses.
  const guard = services.get('guard')!
  const check = { loanId: 'LN-CANARY-1', branchId: 'B1', borrower: { kind: 'enterprise', uscc: CANARY_USCC }, action: 'reduce-line', actionDate: '2020-06-15', amountFen: '100000', reasons: [], requestedBy: 'staff-1' }
  const checked = await send(guard, 'check', { method: 'POST', url: '/checks', headers: { ...core, 'idempotency-key': 'cn-gc-1' }, payload: check })
  t.equal(checked.statusCode, 201, 'the check is answered: published')
  await sql`alter table ${sql.table(`${guard.schema}.verdicts`)} add constraint canary_refused check (loan_id <> 'LN-CANARY-GC') not valid`.execute(guard.database.db)
  const refusedCheck = await send(guard, 'check refused by the database', { method: 'POST', url: '/checks', headers: { ...core, 'idempotency-key': 'cn-gc-2' }, payload: { ...check, loanId: 'LN-CANARY-GC' } })
  t.equal(refusedCheck.statusCode, 500, 'guard too: a fault')
  await sql`alter table ${sql.table(`${guard.schema}.verdicts`)} drop constraint canary_refused`.execute(guard.database.db)

  // ---- Claims: the firm's guaranteed loan claimed (published), refused every way, and one the database refuses.
  const claims = services.get('claims')!
  const claimsOfficer = await bearer(['officer'], 'officer-b1', ['B1'])
  const guaranteed = { agreementId: 'ZJ-GUARANTEE-4222', guaranteedOn: '2020-03-01', guaranteedFen: '100000000', branchId: 'B1', borrower: { kind: 'enterprise', uscc: CANARY_USCC }, borrowerSize: 'small', contractRateBp: 435, epidemicAffected: true, outstandingPrincipalFen: '100000000', daysPastDue: 95 }
  const registered = await send(claims, 'guaranteed loan', { method: 'PUT', url: '/guaranteed-loans/LN-CANARY-1', headers: core, payload: guaranteed })
  t.equal(registered.statusCode, 201, 'the guaranteed loan is registered')
  await send(claims, 'guaranteed loan of a mistyped code', { method: 'PUT', url: '/guaranteed-loans/LN-CANARY-2', headers: core, payload: { ...guaranteed, borrower: { kind: 'enterprise', uscc: MISTYPED_USCC }, guaranteedOn: '2019-01-01' } })
  await send(claims, 'guaranteed loan with the name as its agreement', { method: 'PUT', url: '/guaranteed-loans/LN-CANARY-3', headers: core, payload: { ...guaranteed, agreementId: CANARY_NAME } })
  const demanded = await send(claims, 'demand', { method: 'POST', url: '/guaranteed-loans/LN-CANARY-1/demands', headers: claimsOfficer, payload: { amountFen: '101500000' } })
  const claimId = demanded.json().claimId as string
  await send(claims, 'claim filed too early', { method: 'POST', url: `/claims/${claimId}/filing`, headers: claimsOfficer, payload: { unpaidInterestFen: '0' } })
  await send(claims, 'demand outcome', { method: 'POST', url: `/claims/${claimId}/demand-outcome`, headers: claimsOfficer, payload: { outcome: 'claim' } })
  await send(claims, 'a document named by the hardship text', { method: 'PUT', url: `/claims/${claimId}/documents`, headers: claimsOfficer, payload: { documents: [CANARY_HARDSHIP] } })
  await send(claims, 'documents', { method: 'PUT', url: `/claims/${claimId}/documents`, headers: claimsOfficer, payload: { documents: ['claim-application', 'loan-contract', 'guarantee-contract', 'overdue-notice', 'debt-statement', 'demand-outcome'] } })
  const filed = await send(claims, 'claim filed', { method: 'POST', url: `/claims/${claimId}/filing`, headers: claimsOfficer, payload: { unpaidInterestFen: '0' } })
  t.equal(filed.statusCode, 200, 'the claim is filed: published')
  await send(claims, 'another branch reads the claim', { method: 'GET', url: `/claims/${claimId}`, headers: stranger })
  await send(claims, 'an answer naming the firm', { method: 'POST', url: `/claims/${claimId}/answers`, headers: agency, payload: { kind: 'rejected', responseId: 'cn-1', loanId: 'LN-CANARY-1', answeredOn: '2020-06-15', reason: CANARY_HARDSHIP } })
  await sql`alter table ${sql.table(`${claims.schema}.claim_events`)} add constraint canary_refused check (type <> 'claim-reverted') not valid`.execute(claims.database.db)
  const refusedReversion = await send(claims, 'reversion refused by the database', { method: 'POST', url: `/claims/${claimId}/reversion`, headers: claimsOfficer, payload: { reason: CANARY_HARDSHIP } })
  t.equal(refusedReversion.statusCode, 500, 'claims too: a fault')
  await sql`alter table ${sql.table(`${claims.schema}.claim_events`)} drop constraint canary_refused`.execute(claims.database.db)

  // ---- Every route of every service, every role, with every string of the request a canary.
  for (const [name, service] of services) {
    const routes = service.routes.filter((r) => ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && !r.url.startsWith('/docs'))
    let n = 0
    for (const role of ROLES) {
      const caller = await bearer([role], `canary-${role}`)
      for (const route of routes) {
        const valid = validRequestFor(schemasOf(route), { seed: 11 })
        const order = Object.values(CANARIES)
        const next = () => order[n++ % order.length]!
        const request = {
          ...(valid.body === undefined ? {} : { body: seeded(valid.body, next) }),
          ...(valid.querystring ? { querystring: seeded(valid.querystring, next) as Record<string, string> } : {}),
          ...(valid.params ? { params: seeded(valid.params, next) as Record<string, string> } : {}),
        }
        const options = injectOptionsFor(route, request, { ...caller, 'idempotency-key': `cn-all-${n}` })
        await send(service, `${role} ${route.method} ${route.url} (every string a canary)`, options)
      }
    }
    t.ok(n > 0, `${name}: ${routes.length} routes × ${ROLES.length} roles seeded`)
  }

  // ---- What must hold.
  const refusals = answers.filter((a) => a.status >= 400)
  t.ok(refusals.length > 50, `${refusals.length} refusals and faults among ${answers.length} answers`)
  for (const a of refusals) {
    const leaked = found(a.body)
    if (leaked.length > 0) t.fail(`${a.what} → ${a.status}: the problem document carries ${leaked.join(', ')}`, { body: a.body.slice(0, 400) })
  }
  for (const [name, service] of services) {
    t.ok(service.lines.some((l) => l.includes('"request completed"')), `${name}: request lines were logged`)
    t.ok(service.lines.some((l) => /"level":50/.test(l) && /23514|check/i.test(l)), `${name}: the database's refusal was logged as an error`)
    for (const line of service.lines) {
      const leaked = found(line)
      if (leaked.length > 0) t.fail(`${name}: a log line carries ${leaked.join(', ')}`, { line: line.slice(0, 600) })
    }
    const events = await sql<{ topic: string; message_key: string; headers: unknown; payload: unknown }>`select topic, message_key, headers::text as headers, payload::text as payload from ${sql.table(`${service.schema}.outbox`)}`.execute(service.database.db)
    t.ok(events.rows.length > 0, `${name}: events were published`)
    for (const event of events.rows) {
      const text = `${String(event.headers)} ${String(event.payload)}`
      const personal = found(text, ['name', 'hardship'])
      if (personal.length > 0) t.fail(`${name}: an event on ${event.topic} carries ${personal.join(', ')}`)
      // The firm's code only where the event is about the firm: its `uscc` field, the CloudEvents
      // subject and the message key.
      const withoutOwnField = String(event.payload).replace(/"uscc": ?"[^"]*"/g, '')
      const otherHeaders = String(event.headers).replace(/"ce_subject": ?"[^"]*"/g, '')
      if (found(`${otherHeaders} ${withoutOwnField}`, ['uscc', 'mistyped']).length > 0) t.fail(`${name}: an event on ${event.topic} carries the code outside its uscc field`, { payload: String(event.payload).slice(0, 600) })
    }
  }
})
