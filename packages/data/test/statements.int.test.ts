import t from 'tap'
import { createPgliteDatabase, createPostgresDatabase, inTransaction, reusableStatement, sql, type Database } from '../src/index.js'

interface Things {
  things: { id: number; label: string; details: unknown; at: Date }
}
interface Values {
  id: number
  label: string
  details: string
  at: Date
}

/** Inserts a thing and returns it, with a constant of its own (`'kept'`) among the values. */
const insertThing = (schema: string) =>
  reusableStatement<Values, { id: number; label: string; details: { n: number }; tag: string }>(schema, (db, v) =>
    db
      .with('inserted', (db) => db.insertInto('things').values({ id: v.id, label: v.label, details: sql`${v.details}::jsonb`, at: v.at }).returningAll())
      .selectFrom('inserted')
      .select(['id', 'label', 'details', sql<string>`${'kept'}::text`.as('tag')]),
  )

const drivers: [string, () => Promise<Database<any>>][] = [
  ['postgres', async () => createPostgresDatabase({ connectionString: process.env.DATABASE_URL! })],
  ['pglite', () => createPgliteDatabase()],
]

for (const [name, open] of drivers) {
  t.test(`${name}: a reusable statement runs with new values each time, in the schema it was built for`, { skip: name === 'postgres' && !process.env.DATABASE_URL ? 'DATABASE_URL not set' : false }, async (t) => {
    const database = await open()
    const schema = `rs_${Math.random().toString(36).slice(2, 10)}`
    t.teardown(async () => {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db)
      await database.close()
    })
    await sql`create schema ${sql.id(schema)}`.execute(database.db)
    await sql`create table ${sql.table(`${schema}.things`)} (id int primary key, label text not null, details jsonb not null, at timestamptz not null)`.execute(database.db)
    const statement = insertThing(schema)
    t.match(statement.sql, new RegExp(`insert into "${schema}"\\."things"`), 'the schema is in the text')
    t.notOk(statement.sql.includes('\u0000'), 'no marker left in the text')

    const first = await statement.execute(database.db, { id: 1, label: 'one', details: JSON.stringify({ n: 1 }), at: new Date('2020-06-15T02:00:00Z') })
    const second = await statement.execute(database.db, { id: 2, label: 'two', details: JSON.stringify({ n: 2 }), at: new Date('2020-06-16T02:00:00Z') })
    t.same(first.rows, [{ id: 1, label: 'one', details: { n: 1 }, tag: 'kept' }])
    t.same(second.rows, [{ id: 2, label: 'two', details: { n: 2 }, tag: 'kept' }], 'the values of the second run, the constant of the statement')

    // In a transaction it runs on the transaction's connection: rolled back with it.
    await t.rejects(
      inTransaction(database.db, async (tx) => {
        await statement.execute(tx, { id: 3, label: 'three', details: '{"n":3}', at: new Date() })
        throw new Error('roll back')
      }),
    )
    const ids = await (database.db.withSchema(schema) as unknown as import('kysely').Kysely<Things>).selectFrom('things').select('id').orderBy('id').execute()
    t.same(ids.map((r) => r.id), [1, 2], 'nothing of the rolled-back run remains')
  })
}

t.test('postgres: a reusable statement is prepared once per connection; other SQL is not, nor anything with preparedStatements off', { skip: process.env.DATABASE_URL ? false : 'DATABASE_URL not set' }, async (t) => {
  const schema = `rs_${Math.random().toString(36).slice(2, 10)}`
  const setup = createPostgresDatabase({ connectionString: process.env.DATABASE_URL! })
  await sql`create schema ${sql.id(schema)}`.execute(setup.db)
  await sql`create table ${sql.table(`${schema}.things`)} (id int primary key, label text not null, details jsonb not null, at timestamptz not null)`.execute(setup.db)
  t.teardown(async () => {
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(setup.db)
    await setup.close()
  })
  const statement = insertThing(schema)
  // pg_prepared_statements lists the session's own: read it on the connection that ran the statement.
  const preparedAfterRuns = async (database: Database<any>, firstId: number) =>
    inTransaction(database.db, async (tx) => {
      for (const id of [firstId, firstId + 1, firstId + 2]) await statement.execute(tx, { id, label: `n${id}`, details: '{"n":0}', at: new Date() })
      await sql`select count(*) from ${sql.table(`${schema}.things`)}`.execute(tx)
      const { rows } = await sql<{ statement: string; generic_plans: string; custom_plans: string }>`select statement, generic_plans, custom_plans from pg_prepared_statements`.execute(tx)
      return rows
    })

  const preparing = createPostgresDatabase({ connectionString: process.env.DATABASE_URL!, maxConnections: 1 })
  const prepared = await preparedAfterRuns(preparing, 1)
  await preparing.close()
  t.equal(prepared.length, 1, 'one prepared statement: the reusable one (the count above and the transaction are sent unnamed)')
  t.equal(prepared[0]?.statement, statement.sql, 'its text is the statement')
  t.equal(Number(prepared[0]?.generic_plans) + Number(prepared[0]?.custom_plans), 3, 'run three times under one name')

  const plain = createPostgresDatabase({ connectionString: process.env.DATABASE_URL!, maxConnections: 1, preparedStatements: false })
  t.same(await preparedAfterRuns(plain, 11), [], 'with preparedStatements off, nothing is prepared')
  await plain.close()
  const { rows } = await sql<{ n: string }>`select count(*)::text as n from ${sql.table(`${schema}.things`)}`.execute(setup.db)
  t.equal(rows[0]?.n, '6', 'every run wrote its row, either way')
})

t.test('a statement whose text would depend on its values is refused when it is built, not run wrong', async (t) => {
  t.throws(
    () => reusableStatement<{ details: unknown }, unknown>('s', (db, v) => db.insertInto('things').values({ details: JSON.stringify(v.details) })),
    /values details were not placed as parameters/,
    'a value computed with (serialized) is not a parameter',
  )
  t.throws(() => reusableStatement<{ table: string }, unknown>('s', (db, v) => db.selectFrom(sql.table(v.table).as('t')).selectAll()), /not placed as parameters/, 'a value used as an identifier')
  t.throws(() => reusableStatement<{ order: string }, unknown>('s', (db, v) => db.selectFrom('things').selectAll().orderBy(sql.raw(v.order))), /not placed as parameters/, 'a value written into the text')
})

t.test('a statement returning all columns at its top level is refused: prepared, it would break when a column is added', async (t) => {
  t.throws(() => reusableStatement<{ id: number }, unknown>('s', (db, v) => db.insertInto('things').values({ id: v.id }).returningAll()), /name the columns/, 'returning *')
  t.throws(() => reusableStatement<{ id: number }, unknown>('s', (db, v) => db.selectFrom('things').selectAll().where('id', '=', v.id)), /name the columns/, 'select *')
  t.throws(
    () => reusableStatement<{ id: number }, unknown>('s', (db, v) => db.with('inserted', (d) => d.insertInto('things').values({ id: v.id }).returningAll()).selectFrom('inserted').selectAll()),
    /name the columns/,
    'select * from a CTE',
  )
  const named = reusableStatement<{ id: number }, { id: number }>('s', (db, v) => db.with('inserted', (d) => d.insertInto('things').values({ id: v.id }).returningAll()).selectFrom('inserted').select('id'))
  t.match(named.sql, /returning \*\) select "id"/, 'all columns inside a CTE, named ones out of it: accepted')
})
