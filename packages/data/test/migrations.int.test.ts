import t from 'tap'
import { createPgliteDatabase, createPostgresDatabase, migrateSchema, sql, type Migrations } from '../src/index.js'

const creates = (table: string): Migrations[string] => ({
  async up(db) {
    await db.schema.createTable(table).addColumn('id', 'integer').execute()
  },
})

t.test("a package's new migration runs on a schema whose service migrations ran before it, though its name sorts first", async (t) => {
  const database = await createPgliteDatabase()
  t.teardown(() => database.close())
  // The deployed state: the kit's first migration and the service's own, in name order.
  t.same(await migrateSchema(database.db, 'svc', { '0000_kit_first': creates('kit_first'), '0200_service': creates('service') }), ['0000_kit_first', '0200_service'])
  // The kit ships another, numbered in its own range: it must still run, and only it.
  const later = { '0000_kit_first': creates('kit_first'), '0001_kit_second': creates('kit_second'), '0200_service': creates('service') }
  t.same(await migrateSchema(database.db, 'svc', later), ['0001_kit_second'])
  t.same(await migrateSchema(database.db, 'svc', later), [], 'and once')
  const { rows } = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'svc' and table_name like 'kit_%' order by 1`.execute(database.db)
  t.same(
    rows.map((r) => r.name),
    ['kit_first', 'kit_second'],
  )
})

t.test('migrations run while other sessions drop schemas (tests drop theirs when done, in parallel with others)', async (t) => {
  const url = process.env.DATABASE_URL
  if (!url) throw new Error('DATABASE_URL is not set: run the tests through npm test')
  const database = createPostgresDatabase({ connectionString: url, maxConnections: 4 })
  t.teardown(() => database.close())
  const prefix = `drop_race_${process.pid}`
  let dropping = true
  // Another session creating and dropping schemas with tables, as finished tests do.
  const churn = (async () => {
    for (let i = 0; dropping; i++) {
      const schema = `${prefix}_${i % 8}`
      await sql`create schema if not exists ${sql.id(schema)}`.execute(database.db)
      await sql`create table if not exists ${sql.id(schema, 't')} (id int)`.execute(database.db)
      await sql`drop schema ${sql.id(schema)} cascade`.execute(database.db)
    }
  })()
  try {
    for (let i = 0; i < 40; i++) {
      const schema = `${prefix}_m${i}`
      t.same(await migrateSchema(database.db, schema, { '0001_first': creates('first') }), ['0001_first'], `schema ${i} migrated`)
      await sql`drop schema ${sql.id(schema)} cascade`.execute(database.db)
    }
  } finally {
    dropping = false
    await churn
  }
})
