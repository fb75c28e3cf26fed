import t from 'tap'
import { createPgliteDatabase, createPostgresDatabase, inTransaction, migrateSchema, sql, type Database } from '../src/index.js'

/** The same behaviour from both drivers: services never learn which one they run on. */
const drivers: [string, () => Promise<Database<any>>][] = [
  ['postgres', async () => createPostgresDatabase({ connectionString: process.env.DATABASE_URL! })],
  ['pglite', () => createPgliteDatabase()],
]

for (const [name, open] of drivers) {
  t.test(`${name}: int8 is bigint, date is a calendar string, numeric keeps its digits`, { skip: name === 'postgres' && !process.env.DATABASE_URL ? 'DATABASE_URL not set' : false }, async (t) => {
    const database = await open()
    t.teardown(() => database.close())
    const row = await sql<{ big: bigint; day: string; amount: string }>`select 9007199254740993::int8 as big, '2020-02-29'::date as day, 12.345::numeric as amount`.execute(database.db)
    t.equal(row.rows[0]!.big, 9007199254740993n, 'beyond 2^53 without loss')
    t.equal(row.rows[0]!.day, '2020-02-29', 'no time-zone shift')
    t.equal(row.rows[0]!.amount, '12.345')
    t.equal(await database.ping(), true)
  })

  t.test(`${name}: migrations run per schema with their own table; transactions roll back`, { skip: name === 'postgres' && !process.env.DATABASE_URL ? 'DATABASE_URL not set' : false }, async (t) => {
    const database = await open()
    const schema = `m_${Math.random().toString(36).slice(2, 10)}`
    t.teardown(async () => {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db)
      await database.close()
    })
    const migrations = {
      '0001_things': { up: async (db: any) => void (await db.schema.createTable('things').addColumn('id', 'integer', (c: any) => c.primaryKey()).execute()) },
    }
    t.same(await migrateSchema(database.db, schema, migrations), ['0001_things'])
    t.same(await migrateSchema(database.db, schema, migrations), [], 'a second run applies nothing')
    const db = database.db.withSchema(schema) as any
    await t.rejects(inTransaction(db, async (tx: any) => {
      await tx.insertInto('things').values({ id: 1 }).execute()
      throw new Error('boom')
    }))
    t.same(await db.selectFrom('things').selectAll().execute(), [], 'nothing of a failed transaction remains')
    const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = ${schema} order by table_name`.execute(database.db)
    t.same(tables.rows.map((r) => r.table_name), ['migrations', 'migrations_lock', 'things'], 'the migration table lives in the service schema')
  })

  t.test(`${name}: NOTIFY reaches a listener only when the transaction commits`, { skip: name === 'postgres' && !process.env.DATABASE_URL ? 'DATABASE_URL not set' : false }, async (t) => {
    const database = await open()
    t.teardown(() => database.close())
    const channel = `c_${Math.random().toString(36).slice(2, 10)}`
    let heard = 0
    const unlisten = await database.listen(channel, () => heard++)
    t.teardown(unlisten)
    await t.rejects(inTransaction(database.db, async (tx) => {
      await sql`select pg_notify(${channel}, '')`.execute(tx)
      throw new Error('rolled back')
    }))
    await inTransaction(database.db, async (tx) => void (await sql`select pg_notify(${channel}, '')`.execute(tx)))
    const deadline = Date.now() + 5_000
    while (heard === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    await new Promise((r) => setTimeout(r, 100))
    t.equal(heard, 1, 'one notification, from the committed transaction')
  })
}

t.test('postgres: the pool reports how long the caller first in line has waited for a connection', { skip: !process.env.DATABASE_URL ? 'DATABASE_URL not set' : false }, async (t) => {
  const database = createPostgresDatabase({ connectionString: process.env.DATABASE_URL!, maxConnections: 1 })
  t.teardown(() => database.close())
  t.same(database.load(), { inUse: 0, waiting: 0, oldestWaitMs: 0, max: 1 }, 'nobody waits')
  let release!: () => void
  const held = new Promise<void>((r) => (release = r))
  let holding!: () => void
  const holds = new Promise<void>((r) => (holding = r))
  const transaction = database.db.transaction().execute(async (tx) => {
    await sql`select 1`.execute(tx)
    holding()
    await held
  })
  await holds
  const queued = sql`select 2`.execute(database.db)
  await new Promise((r) => setTimeout(r, 150))
  const load = database.load()
  t.equal(load.inUse, 1)
  t.equal(load.waiting, 1, 'one caller in line')
  t.ok(load.oldestWaitMs >= 140, `it has waited since it asked (${load.oldestWaitMs.toFixed(0)} ms)`)
  release()
  await Promise.all([transaction, queued])
  t.match(database.load(), { waiting: 0, oldestWaitMs: 0 }, 'the line is empty again')
})
