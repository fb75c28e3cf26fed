// A service definition built twice (two instances, as tests and the embedded runner do) sets up
// twice with nothing shared; typed consumers get the event's data and a transaction on the
// service's schema, and a handler for an event missing from the catalogue is refused at build.
// Real PostgreSQL, in-process transport.
import { sql } from '@sme/data'
import { defineEvent, EventCatalogue, InProcessTransport, newEvent, toTransportMessage } from '@sme/events'
import { eventually, testLogger } from '@sme/testing'
import type { Generated } from 'kysely'
import t from 'tap'
import { Type } from 'typebox'
import { buildService, migrateService, on, type EventSubscription, type ServiceDefinition } from '../src/index.js'
import { AUDIENCE, createTestDatabase, ISSUER, SECRET } from './helpers.js'

interface NotesDB {
  notes: { id: Generated<number>; text: string; instance: number }
}

const NoteTaken = defineEvent({
  type: 'sme.test.note-taken.v1',
  topic: 'test.notes.v1',
  summary: 'A note',
  keyDescription: 'the note text',
  schema: Type.Object({ text: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
  keyOf: (d) => d.text,
})
const Stray = defineEvent({
  type: 'sme.test.stray.v1',
  topic: 'test.notes.v1',
  summary: 'An event the service does not declare',
  keyDescription: 'none',
  schema: Type.Object({}),
  keyOf: () => 'x',
})

function notesService(schema: string, setups: number[], handleStray = false): ServiceDefinition<NotesDB> {
  return {
    name: 'notes',
    schema,
    version: '0.0.0',
    description: 'notes',
    catalogue: new EventCatalogue([NoteTaken]),
    migrations: {
      '0001_notes': {
        async up(db) {
          await db.schema.createTable('notes').addColumn('id', 'serial', (c) => c.primaryKey()).addColumn('text', 'text', (c) => c.notNull()).addColumn('instance', 'integer', (c) => c.notNull()).execute()
        },
      },
    },
    setup(ctx) {
      const instance = setups.length + 1
      setups.push(instance)
      const handlers: EventSubscription<NotesDB>[] = [
        // `event.data.text` is a string and `tx` a transaction on NotesDB: no casts.
        on(NoteTaken, async (event, { tx }) => {
          await tx.insertInto('notes').values({ text: event.data.text, instance }).execute()
        }),
      ]
      if (handleStray) handlers.push(on(Stray, async () => {}))
      return {
        async routes(app) {
          app.get('/instance', { config: { auth: false } }, async () => ({ instance }))
        },
        consumers: [{ name: `notes.taker-${instance}`, handlers }],
      }
    },
  }
}

t.test('setup once per build; typed handlers on the service schema; undeclared events refused', async (t) => {
  const testDb = await createTestDatabase()
  t.teardown(() => testDb.close())
  const { database, schema } = testDb
  const setups: number[] = []
  const definition = notesService(schema, setups)
  await migrateService(database, definition)
  const transport = new InProcessTransport({ redeliveryDelayMs: 20 })
  t.teardown(() => transport.close())
  const auth = { secret: SECRET, issuer: ISSUER, audience: AUDIENCE }
  const first = await buildService(definition, { database, transport, logger: testLogger(), auth })
  const second = await buildService(definition, { database, transport, logger: testLogger(), auth })
  t.teardown(async () => {
    await first.app.close()
    await second.app.close()
  })
  t.same(setups, [1, 2], 'one setup per build')
  t.same((await first.app.inject({ url: '/instance' })).json(), { instance: 1 })
  t.same((await second.app.inject({ url: '/instance' })).json(), { instance: 2 }, 'each build has its own state')

  await first.startMessaging()
  await transport.publish([toTransportMessage(NoteTaken.topic, 'a', newEvent({ source: '/test', type: NoteTaken.type, data: { text: 'hello' } }))])
  const rows = await eventually('the note stored', async () => {
    const found = await sql<{ text: string; instance: number }>`select text, instance from ${sql.table(`${schema}.notes`)}`.execute(database.db)
    return found.rows.length > 0 ? found.rows : undefined
  })
  t.same(rows, [{ text: 'hello', instance: 1 }], 'written through the handler’s transaction, unqualified, into the service’s schema')

  await t.rejects(
    buildService(notesService(schema, [], true), { database, transport, logger: testLogger(), auth }),
    /handles sme\.test\.stray\.v1, which is not in the service's catalogue/,
    'a handler for an event the catalogue does not declare would get unvalidated data: refused at build',
  )
})
