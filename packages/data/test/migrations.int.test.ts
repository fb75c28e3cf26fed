import t from 'tap'
import { createPgliteDatabase, migrateSchema, sql, type Migrations } from '../src/index.js'

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
