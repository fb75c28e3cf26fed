import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely'
import t from 'tap'
import { schemaOf } from '../src/index.js'

// Compiles only: no database behind it.
const db = new Kysely<any>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
})

t.test('schemaOf names the schema a migration is bound to', async (t) => {
  t.equal(schemaOf(db.withSchema('relief')), 'relief')
  t.equal(schemaOf(db.withSchema('bench_relief_1a2b3c')), 'bench_relief_1a2b3c')
  t.equal(schemaOf(db.withSchema('odd"name')), 'odd"name', 'quotes in a name survive')
})

t.test('an unbound Kysely is refused, not guessed', async (t) => {
  t.throws(() => schemaOf(db), /not bound to a schema/)
})
