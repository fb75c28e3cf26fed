// Bulk sessions on both drivers: rows go in and out with COPY unchanged (text that COPY must escape,
// NULLs, many chunks' worth), other statements run in the same transaction, and work that fails
// leaves nothing behind.
import t from 'tap'
import { createPgliteDatabase, createPostgresDatabase, sql, type CopyRow, type Database } from '../src/index.js'

const drivers: [string, () => Promise<Database<any>>][] = [
  ['postgres', async () => createPostgresDatabase({ connectionString: process.env.DATABASE_URL!, maxConnections: 2 })],
  ['pglite', () => createPgliteDatabase()],
]

const AWKWARD: CopyRow[] = [
  ['1', 'tab\there', null],
  ['2', 'new\nline and \\backslash\\', '{"json":"\\"quoted\\" \\\\"}'],
  ['3', '\\N', ''],
  ['4', '纾困 贷款', '\r'],
]

for (const [name, open] of drivers) {
  t.test(`${name}: COPY in and out in one transaction`, { skip: name === 'postgres' && !process.env.DATABASE_URL ? 'DATABASE_URL not set' : false }, async (t) => {
    const database = await open()
    const schema = `b_${Math.random().toString(36).slice(2, 10)}`
    t.teardown(async () => {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db)
      await database.close()
    })
    await sql`create schema ${sql.id(schema)}`.execute(database.db)
    await sql`create table ${sql.id(schema)}.rows (n integer primary key, a text, b text)`.execute(database.db)
    const table = `"${schema}".rows`

    const many = Array.from({ length: 20_000 }, (_, i): CopyRow => [String(i + 10), `row ${i}\t${'x'.repeat(i % 50)}`, i % 3 === 0 ? null : String(i)])
    const out = await database.bulk(async (s) => {
      t.equal(await s.copyIn(table, ['n', 'a', 'b'], AWKWARD), AWKWARD.length, 'the awkward rows counted')
      t.equal(await s.copyIn(table, ['n', 'a', 'b'], (async function* () { yield* many })()), many.length, 'rows from an async source, many chunks of them')
      const [{ count }] = await s.query<{ count: string | number | bigint }>({ sql: `select count(*) as count from ${table} where n < $1`, parameters: [10] }) as [{ count: string | number | bigint }]
      t.equal(Number(count), AWKWARD.length, 'a statement in the same transaction sees them')
      const back: (string | null)[][] = []
      for await (const row of s.copyOut(`select n, a, b from ${table} order by n`)) back.push(row)
      return back
    })
    t.same(out.slice(0, AWKWARD.length), AWKWARD, 'each field back exactly, NULL as NULL')
    t.same(out.slice(AWKWARD.length), many, 'and the many')
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(schema)}.rows`.execute(database.db)
    t.equal(rows[0]!.n, AWKWARD.length + many.length, 'committed')

    await t.rejects(
      database.bulk(async (s) => {
        await s.copyIn(table, ['n', 'a', 'b'], [['100000', 'kept?', null]])
        await s.copyIn(table, ['n', 'a', 'b'], (async function* () {
          yield ['100001', 'also kept?', null] as CopyRow
          throw new Error('the source failed')
        })())
      }),
      /the source failed/,
      'a source that fails mid-COPY fails the work',
    )
    const after = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(schema)}.rows where n >= 100000`.execute(database.db)
    t.equal(after.rows[0]!.n, 0, 'and nothing of it was committed')
    t.equal(await database.ping(), true, 'the database serves on')
    const again = await database.bulk(async (s) => s.query<{ one: number }>('select 1 as one'))
    t.same(again, [{ one: 1 }], 'a new bulk session works after the failed one')
  })
}
