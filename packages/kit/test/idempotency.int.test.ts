import { migrateSchema, sql } from '@sme/data'
import type { Generated } from 'kysely'
import t from 'tap'
import { Type } from 'typebox'
import { AppError, IDEMPOTENCY_TABLE, idempotencyMigrations, purgeExpiredIdempotencyKeys, requestFingerprint, type ServiceApp } from '../src/index.js'
import { bearer, createTestDatabase, testApp } from './helpers.js'

interface TestDB {
  payments: { id: Generated<number>; account: string; amount: string }
}

const Money = Type.String({ pattern: '^(0|[1-9][0-9]{0,17})$' })
const PaymentBody = Type.Object({ amount: Money, note: Type.Optional(Type.String({ maxLength: 50 })) }, { additionalProperties: false })
const Payment = Type.Object({ id: Type.Integer(), account: Type.String(), amount: Money })

t.test('Idempotency-Key against PostgreSQL', async (t) => {
  const testDb = await createTestDatabase()
  t.teardown(() => testDb.close())
  const { database, schema } = testDb
  await migrateSchema(database.db, schema, {
    ...idempotencyMigrations,
    '0001_payments': {
      async up(db) {
        await db.schema.createTable('payments').addColumn('id', 'serial', (c) => c.primaryKey()).addColumn('account', 'text', (c) => c.notNull()).addColumn('amount', 'text', (c) => c.notNull()).execute()
      },
    },
  })

  const app: ServiceApp = await testApp({ db: database, idempotency: { schema, purgeIntervalMs: 0 } })
  let failNext = false
  /**
   * Set, the next attempt's work commits this answer under its own key on another connection, as
   * a duplicate finishing between the attempt's lookup and its lock would, then fails as the
   * route's own constraint would (`'route'`) or carries on into the key's primary key (`'key'`).
   */
  let duplicateCommits: { storedBody: string; then: 'route' | 'key' } | undefined
  app.post(
    '/accounts/:account/payments',
    {
      config: { idempotency: 'required', auth: { roles: ['core-banking'] } },
      schema: { params: Type.Object({ account: Type.String({ minLength: 1 }) }), body: PaymentBody, response: { 201: Payment } },
    },
    async (request, reply) =>
      reply.idempotent<TestDB>(async (tx) => {
        const row = await tx.withSchema(schema).insertInto('payments').values({ account: request.params.account, amount: request.body.amount }).returning(['id', 'account', 'amount']).executeTakeFirstOrThrow()
        // Hold the transaction open a little so concurrent duplicates really overlap.
        await sql`select pg_sleep(0.05)`.execute(tx)
        if (failNext) {
          failNext = false
          throw new AppError('unprocessable', 'account is closed')
        }
        if (duplicateCommits) {
          const { storedBody, then } = duplicateCommits
          duplicateCommits = undefined
          const routeUrl = '/accounts/:account/payments'
          await database.db
            .withSchema(schema)
            .insertInto(IDEMPOTENCY_TABLE)
            .values({
              scope: `${request.principal.subject} POST ${routeUrl}`,
              key: request.idempotencyKey,
              fingerprint: requestFingerprint({ method: 'POST', routeUrl, params: request.params, body: request.body }),
              status_code: 201,
              response_headers: JSON.stringify({ location: '/payments/by-the-duplicate' }),
              response_body: storedBody,
              created_at: new Date(),
              expires_at: new Date(Date.now() + 60_000),
            })
            .execute()
          if (then === 'route') throw Object.assign(new Error('duplicate key value violates unique constraint "payments_once"'), { code: '23505', constraint: 'payments_once' })
        }
        return { statusCode: 201, body: row, headers: { location: `/payments/${row.id}` } }
      }),
  )
  app.post(
    '/notes',
    { config: { idempotency: 'optional', auth: { roles: ['core-banking'] } }, schema: { body: PaymentBody, response: { 201: Payment } } },
    async (request, reply) =>
      reply.idempotent<TestDB>(async (tx) => {
        const row = await tx.withSchema(schema).insertInto('payments').values({ account: 'notes', amount: request.body.amount }).returning(['id', 'account', 'amount']).executeTakeFirstOrThrow()
        return { statusCode: 201, body: row }
      }),
  )
  t.teardown(() => app.close())
  await app.ready()

  const system = await bearer(['core-banking'], { sub: 'core-1', branches: ['*'] })
  const count = async () => Number((await sql<{ n: string }>`select count(*)::int as n from ${sql.id(schema, 'payments')}`.execute(database.db)).rows[0]?.n)
  const post = (key: string | undefined, body: unknown, account = 'ACC-1', headers = system) =>
    app.inject({ method: 'POST', url: `/accounts/${account}/payments`, headers: { ...headers, ...(key === undefined ? {} : { 'idempotency-key': key }) }, payload: body as object })

  t.test('50 concurrent duplicates: one effect; each answer is the original, a replay or 409', async (t) => {
    const before = await count()
    const responses = await Promise.all(Array.from({ length: 50 }, () => post('key-concurrent', { amount: '150000' })))
    t.equal((await count()) - before, 1, 'exactly one payment written')
    const originals = responses.filter((r) => r.statusCode === 201 && r.headers['idempotent-replayed'] === undefined)
    const replays = responses.filter((r) => r.statusCode === 201 && r.headers['idempotent-replayed'] === 'true')
    const inProgress = responses.filter((r) => r.statusCode === 409)
    t.equal(originals.length, 1, 'one original answer')
    t.equal(originals.length + replays.length + inProgress.length, 50, 'nothing else')
    t.ok(inProgress.length > 0, 'overlapping duplicates were turned away')
    for (const r of inProgress) {
      t.equal(r.json().code, 'idempotency_in_progress')
      t.equal(r.headers['content-type'], 'application/problem+json; charset=utf-8')
    }
    const original = originals[0]!
    for (const r of replays) t.equal(r.body, original.body, 'replay is byte-identical')

    const later = await post('key-concurrent', { amount: '150000' })
    t.equal(later.statusCode, 201)
    t.equal(later.headers['idempotent-replayed'], 'true')
    t.equal(later.headers.location, original.headers.location, 'headers replayed')
    t.equal(later.body, original.body)
    t.equal((await count()) - before, 1)
  })

  t.test('same key, different request: 422, nothing written', async (t) => {
    const first = await post('key-reuse', { amount: '100' })
    t.equal(first.statusCode, 201)
    const before = await count()
    const otherBody = await post('key-reuse', { amount: '200' })
    t.equal(otherBody.statusCode, 422)
    t.equal(otherBody.json().code, 'idempotency_key_reused')
    const otherAccount = await post('key-reuse', { amount: '100' }, 'ACC-2')
    t.equal(otherAccount.statusCode, 422, 'path parameters are part of the request')
    t.equal(await count(), before)
  })

  t.test('body key order does not change the fingerprint', async (t) => {
    const a = await app.inject({ method: 'POST', url: '/accounts/ACC-1/payments', headers: { ...system, 'idempotency-key': 'key-order', 'content-type': 'application/json' }, payload: '{"amount":"5","note":"x"}' })
    const b = await app.inject({ method: 'POST', url: '/accounts/ACC-1/payments', headers: { ...system, 'idempotency-key': 'key-order', 'content-type': 'application/json' }, payload: '{"note":"x","amount":"5"}' })
    t.equal(a.statusCode, 201)
    t.equal(b.statusCode, 201)
    t.equal(b.headers['idempotent-replayed'], 'true')
  })

  t.test('missing key on a required route: 400, nothing written', async (t) => {
    const before = await count()
    const res = await post(undefined, { amount: '100' })
    t.equal(res.statusCode, 400)
    t.equal(res.json().code, 'idempotency_key_required')
    t.equal(await count(), before)
  })

  t.test('malformed keys: 400 naming the header', async (t) => {
    const before = await count()
    for (const key of ['', 'has space', 'x'.repeat(201), 'caf\u00e9']) {
      const res = await post(key, { amount: '100' })
      t.equal(res.statusCode, 400, JSON.stringify(key.slice(0, 10)))
      t.same(res.json().errors?.[0]?.field, '/headers/idempotency-key')
    }
    t.equal(await count(), before)
  })

  t.test('keys are scoped per caller', async (t) => {
    const before = await count()
    const other = await bearer(['core-banking'], { sub: 'core-2', branches: ['*'] })
    const a = await post('key-shared', { amount: '7' })
    const b = await post('key-shared', { amount: '7' }, 'ACC-1', other)
    t.equal(a.statusCode, 201)
    t.equal(b.statusCode, 201)
    t.equal(b.headers['idempotent-replayed'], undefined)
    t.equal((await count()) - before, 2)
  })

  t.test('a failed attempt stores nothing; the retry runs', async (t) => {
    const before = await count()
    failNext = true
    const failed = await post('key-fail', { amount: '9' })
    t.equal(failed.statusCode, 422)
    t.equal(failed.json().code, 'unprocessable')
    t.equal(await count(), before, 'effect rolled back with the error')
    const retry = await post('key-fail', { amount: '9' })
    t.equal(retry.statusCode, 201)
    t.equal(retry.headers['idempotent-replayed'], undefined)
    t.equal((await count()) - before, 1)
  })

  for (const then of ['key', 'route'] as const) {
    t.test(`a duplicate that commits after the lookup: its answer is replayed, this effect rolled back (${then} constraint)`, async (t) => {
      const before = await count()
      const storedBody = JSON.stringify({ id: 424242, account: 'ACC-1', amount: '77' })
      duplicateCommits = { storedBody, then }
      const res = await post(`key-window-${then}`, { amount: '77' })
      t.equal(res.statusCode, 201)
      t.equal(res.headers['idempotent-replayed'], 'true')
      t.equal(res.headers.location, '/payments/by-the-duplicate')
      t.equal(res.body, storedBody, "the duplicate's answer, byte for byte")
      t.equal(await count(), before, 'this attempt wrote nothing')
    })
  }

  t.test('a failure with no duplicate behind it is the route’s own answer', async (t) => {
    failNext = true
    const res = await post('key-plain-failure', { amount: '5' })
    t.equal(res.statusCode, 422)
    t.equal(res.headers['idempotent-replayed'], undefined)
  })

  t.test('optional route: runs without a key, replays with one', async (t) => {
    const before = await count()
    const noKey1 = await app.inject({ method: 'POST', url: '/notes', headers: system, payload: { amount: '1' } })
    const noKey2 = await app.inject({ method: 'POST', url: '/notes', headers: system, payload: { amount: '1' } })
    t.equal(noKey1.statusCode, 201)
    t.equal(noKey2.statusCode, 201)
    t.equal((await count()) - before, 2)
    const k1 = await app.inject({ method: 'POST', url: '/notes', headers: { ...system, 'idempotency-key': 'note-1' }, payload: { amount: '1' } })
    const k2 = await app.inject({ method: 'POST', url: '/notes', headers: { ...system, 'idempotency-key': 'note-1' }, payload: { amount: '1' } })
    t.equal(k2.headers['idempotent-replayed'], 'true')
    t.equal(k1.body, k2.body)
    t.equal((await count()) - before, 3)
  })

  t.test('expired records are purged and the key is free again', async (t) => {
    const first = await post('key-expiring', { amount: '11' })
    t.equal(first.statusCode, 201)
    const purged = await purgeExpiredIdempotencyKeys(database.db, schema, new Date(Date.now() + 25 * 60 * 60 * 1000))
    t.ok(purged >= 1)
    const again = await post('key-expiring', { amount: '11' })
    t.equal(again.statusCode, 201)
    t.equal(again.headers['idempotent-replayed'], undefined)
    t.not(again.json().id, first.json().id)
  })

  t.test('validation failures write nothing', async (t) => {
    const before = await count()
    const res = await post('key-invalid', { amount: 100 })
    t.equal(res.statusCode, 400)
    t.equal(await count(), before)
  })
})

t.test('a route asking for idempotency without storage fails at start', async (t) => {
  const app = await testApp()
  t.teardown(() => app.close())
  t.throws(() => app.post('/x', { config: { idempotency: 'required' } }, async () => ({})), /no idempotency storage/)
})
