// The read model held in memory for checks: what it serves without reading, what drops it (a change
// announced at commit, by this instance or another), that a read racing a change is not kept, that a
// lost listening session serves nothing from memory, and that a verdict's as-of stays exact. On the
// real PostgreSQL (a session killed by the server) and on the embedded database.
import t from 'tap'
import { createPostgresDatabase, sql, type Database } from '@sme/data'
import { eventually, pgliteSchema, postgresSchema, requireEnv, type Teardown } from '@sme/testing'
import { guardMigrations } from '../src/migrations.js'
import { ReadModelCache } from '../src/store/read-model-cache.js'
import { applyLoanEvent, applyReliefDecision, applyScore, markSource, readModelChannel, readModelStatement, type Touched } from '../src/store/read-model.js'
import type { GuardDb, GuardTx, Source } from '../src/store/tables.js'
import { booked, deferralDecision, firm, overdue, scoreOf } from './helpers.js'

const A = firm(9401)
const B = firm(9402)

interface Setup {
  database: Database<any>
  schema: string
  db: GuardDb
}

/** Applies `apply` and marks its source as a consumer does: the change is announced at commit. */
async function applied(s: Setup, source: Source, at: string, touched: Touched, apply: (tx: GuardTx) => Promise<unknown>): Promise<void> {
  await s.db.transaction().execute(async (tx) => {
    await apply(tx)
    await markSource(tx, readModelChannel(s.schema), source, { at: new Date(at), id: `${source}-${at}`, touched }, new Date())
  })
}

async function seeded(s: Setup): Promise<void> {
  await applied(s, 'loans', '2020-01-02T01:00:00.000Z', { loanId: 'CBS-C-1' }, (tx) => applyLoanEvent(tx, booked('CBS-C-1', A), booked('CBS-C-1', A)))
  await applied(s, 'loans', '2020-01-02T01:00:00.000Z', { loanId: 'CBS-C-2' }, (tx) => applyLoanEvent(tx, booked('CBS-C-2', B), booked('CBS-C-2', B)))
  await applied(s, 'relief', '2020-03-10T02:00:00.000Z', { borrowerKey: `uscc:${A}` }, (tx) => applyReliefDecision(tx, deferralDecision('CBS-C-1', A)))
}

async function cacheOn(t: Teardown, s: Setup, capacity = 100, reads?: { maxBatch: number; maxInFlight: number }): Promise<{ cache: ReadModelCache; states: boolean[] }> {
  const states: boolean[] = []
  const cache = new ReadModelCache(s.db, readModelStatement(s.schema), { capacity, onState: (serving) => states.push(serving), ...(reads ? { reads } : {}) })
  await cache.start(s.database, readModelChannel(s.schema))
  t.teardown(() => cache.stop())
  return { cache, states }
}

for (const kind of ['postgres', 'pglite'] as const) {
  const setup = async (t: Teardown): Promise<Setup> => {
    const { database, schema } = kind === 'postgres' ? await postgresSchema(t, guardMigrations, { prefix: 'guard_cache' }) : await pgliteSchema(t, guardMigrations, { prefix: 'guard_cache' })
    return { database, schema, db: database.db.withSchema(schema) }
  }

  t.test(`${kind}: a borrower judged before is served from memory, and a change announced drops it`, async (t) => {
    const s = await setup(t)
    await seeded(s)
    const { cache } = await cacheOn(t, s)
    const first = await cache.view(`uscc:${A}`, 'CBS-C-1')
    const again = await cache.view(`uscc:${A}`, 'CBS-C-1')
    t.same(again, first, 'the same record and as-of from memory')
    t.match(cache.stats(), { hits: 1, misses: 1, borrowers: 1, loans: 1, serving: true })
    t.same(first.asOf, { relief: '2020-03-10T02:00:00.000Z', scoring: null, loans: '2020-01-02T01:00:00.000Z', keyLists: null }, 'as of the marks it was read with')
    t.equal(first.record.reliefs.length, 1)

    // A score for A, committed by a writer of its own: announced, A dropped, the next view reads it.
    await applied(s, 'scoring', '2020-03-02T00:00:00.000Z', { borrowerKey: `uscc:${A}` }, (tx) => applyScore(tx, scoreOf(A, 'BBB', 'temporary-shock'), new Date('2020-03-02T00:00:00.000Z')))
    await eventually('A dropped', () => cache.stats().borrowers === 0 || undefined, 10_000, 10)
    const after = await cache.view(`uscc:${A}`, 'CBS-C-1')
    t.equal(after.record.score?.hardship, 'temporary-shock', 'the score is judged on')
    t.equal(after.asOf.scoring, '2020-03-02T00:00:00.000Z')
    t.equal(cache.stats().misses, 2, 'read again')

    // A change to B leaves A held, and A's as-of moves on with it: A's record is true as of B's event too.
    await cache.view(`uscc:${A}`, 'CBS-C-1')
    const hits = cache.stats().hits
    await applied(s, 'relief', '2020-03-20T02:00:00.000Z', { borrowerKey: `uscc:${B}` }, (tx) => applyReliefDecision(tx, deferralDecision('CBS-C-2', B)))
    const heard = await eventually(
      'B’s change heard',
      async () => {
        const v = await cache.view(`uscc:${A}`, 'CBS-C-1')
        return v.asOf.relief === '2020-03-20T02:00:00.000Z' ? v : undefined
      },
      10_000,
      10,
    )
    t.equal(heard.record.reliefs.length, 1, 'A unchanged')
    t.ok(cache.stats().hits > hits, 'still from memory')
    const b = await cache.view(`uscc:${B}`, 'CBS-C-2')
    t.equal(b.record.reliefs.length, 1, 'B’s decision read')

    // A loan event drops the loan only.
    await cache.view(`uscc:${A}`, 'CBS-C-1')
    await applied(s, 'loans', '2020-04-01T00:00:00.000Z', { loanId: 'CBS-C-1' }, (tx) => applyLoanEvent(tx, overdue('CBS-C-1', 2, 30, '2020-04-01T00:00:00.000Z'), null))
    await eventually('the loan dropped', () => cache.stats().loans === 1 || undefined, 10_000, 10)
    t.equal((await cache.view(`uscc:${A}`, 'CBS-C-1')).record.loan?.daysPastDue, 30, 'the loan read again')
  })

  t.test(`${kind}: a read that races a change is answered but not kept`, async (t) => {
    const s = await setup(t)
    await seeded(s)
    const { cache } = await cacheOn(t, s)
    const racing = cache.view(`uscc:${A}`, 'CBS-C-1')
    cache.changing({ borrowerKey: `uscc:${A}` })
    await racing
    t.match(cache.stats(), { borrowers: 0, loans: 0 }, 'nothing kept')
    await cache.view(`uscc:${A}`, 'CBS-C-1')
    t.match(cache.stats(), { misses: 2, borrowers: 1 }, 'the next read is kept')
  })

  t.test(`${kind}: records not held, asked for together, are read in one statement, each its own`, async (t) => {
    const s = await setup(t)
    await seeded(s)
    const { cache } = await cacheOn(t, s, 100, { maxBatch: 64, maxInFlight: 1 })
    const asks: [string, string][] = [
      [`uscc:${A}`, 'CBS-C-1'],
      [`uscc:${B}`, 'CBS-C-2'],
      [`uscc:${A}`, 'CBS-C-9'],
      [`uscc:${B}`, 'CBS-C-1'],
      ['person:nobody', 'CBS-C-2'],
    ]
    const views = await Promise.all(asks.map(([borrower, loan]) => cache.view(borrower, loan)))
    t.same(cache.stats().reads, { batches: 2, items: 5, largest: 4 }, 'the first alone, the four that waited together')
    t.same(
      views.map((v) => [v.record.reliefs.length, v.record.loan?.loanId ?? null, v.loanBorrowerKey]),
      [
        [1, 'CBS-C-1', `uscc:${A}`],
        [0, 'CBS-C-2', `uscc:${B}`],
        [1, null, null],
        [0, 'CBS-C-1', `uscc:${A}`],
        [0, 'CBS-C-2', `uscc:${B}`],
      ],
      'each answered with its own borrower and loan',
    )
  })

  t.test(`${kind}: the least recently judged go first`, async (t) => {
    const s = await setup(t)
    await seeded(s)
    const { cache } = await cacheOn(t, s, 1)
    await cache.view(`uscc:${A}`, 'CBS-C-1')
    await cache.view(`uscc:${B}`, 'CBS-C-2')
    t.match(cache.stats(), { borrowers: 1, loans: 1 })
    await cache.view(`uscc:${B}`, 'CBS-C-2')
    await cache.view(`uscc:${A}`, 'CBS-C-1')
    t.match(cache.stats(), { hits: 1, misses: 3 }, 'B held, A read again')
  })
}

t.test('postgres: a lost listening session serves nothing from memory until it is back, and then nothing from before', async (t) => {
  const { database, schema } = await postgresSchema(t, guardMigrations, { prefix: 'guard_cache' })
  const s: Setup = { database, schema, db: database.db.withSchema(schema) }
  await seeded(s)
  const { cache, states } = await cacheOn(t, s)
  await cache.view(`uscc:${A}`, 'CBS-C-1')
  const channel = readModelChannel(schema)
  const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity where query = ${`LISTEN "${channel}"`}`.execute(s.db)
  t.equal(rows.length, 1, 'one listening session')
  await sql`select pg_terminate_backend(${rows[0]!.pid})`.execute(s.db)
  await eventually('the cache stops serving', () => cache.stats().serving === false || undefined, 10_000, 10)
  t.match(cache.stats(), { borrowers: 0, loans: 0 }, 'what it held is gone')
  // A change while nobody listens: its announcement is lost, the read after the session is back sees it.
  await applied(s, 'scoring', '2020-03-02T00:00:00.000Z', { borrowerKey: `uscc:${A}` }, (tx) => applyScore(tx, scoreOf(A, 'BBB', 'temporary-shock'), new Date('2020-03-02T00:00:00.000Z')))
  await eventually('serving again', async () => (await cache.view(`uscc:${A}`, 'CBS-C-1'), cache.stats().serving || undefined), 10_000, 20)
  const v = await cache.view(`uscc:${A}`, 'CBS-C-1')
  t.equal(v.record.score?.hardship, 'temporary-shock', 'the change made meanwhile is judged on')
  t.equal(v.asOf.scoring, '2020-03-02T00:00:00.000Z')
  t.same(states, [true, false, true], 'serving, lost, serving')
})

t.test('postgres: a change committed through one instance drops what another holds', async (t) => {
  const { database, schema } = await postgresSchema(t, guardMigrations, { prefix: 'guard_cache' })
  const s: Setup = { database, schema, db: database.db.withSchema(schema) }
  await seeded(s)
  const other = createPostgresDatabase<any>({ connectionString: requireEnv('DATABASE_URL'), maxConnections: 2 })
  t.teardown(() => other.close())
  const there: Setup = { database: other, schema, db: other.db.withSchema(schema) }
  const here = await cacheOn(t, s)
  const elsewhere = await cacheOn(t, there)
  await elsewhere.cache.view(`uscc:${A}`, 'CBS-C-1')
  here.cache.changing({ borrowerKey: `uscc:${A}` })
  await applied(s, 'scoring', '2020-03-02T00:00:00.000Z', { borrowerKey: `uscc:${A}` }, (tx) => applyScore(tx, scoreOf(A, 'BBB', 'structural-decline'), new Date('2020-03-02T00:00:00.000Z')))
  const v = await eventually(
    'the other instance judges on the change',
    async () => {
      const view = await elsewhere.cache.view(`uscc:${A}`, 'CBS-C-1')
      return view.record.score !== null ? view : undefined
    },
    10_000,
    10,
  )
  t.equal(v.record.score?.hardship, 'structural-decline')
  t.equal(v.asOf.scoring, '2020-03-02T00:00:00.000Z')
})
