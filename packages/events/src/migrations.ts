import { sql, type Kysely } from 'kysely'
import { schemaOf, type Migrations } from '@sme/data'

/**
 * The outbox and inbox tables, created in each service's own schema. Frozen: a change is a new
 * migration, never an edit of these.
 */
export const eventMigrations: Migrations = {
  '0000_events_outbox': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('outbox')
        .addColumn('seq', 'bigserial', (c) => c.primaryKey())
        .addColumn('event_id', 'uuid', (c) => c.notNull().unique())
        .addColumn('topic', 'text', (c) => c.notNull())
        .addColumn('message_key', 'text')
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('headers', 'jsonb', (c) => c.notNull())
        .addColumn('payload', 'jsonb', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('lease_until', 'timestamptz')
        .addColumn('published_at', 'timestamptz')
        .addColumn('dead_at', 'timestamptz')
        .addColumn('last_error', 'text')
        .execute()
      // The relay only ever looks at pending rows: keep those indexes small. (Schema builder, not raw
      // SQL: the migrator's Kysely is bound to the service's schema, and only built queries follow it.)
      await db.schema.createIndex('outbox_pending').on('outbox').column('seq').where(sql.ref('published_at'), 'is', null).where(sql.ref('dead_at'), 'is', null).execute()
      await db.schema.createIndex('outbox_pending_key').on('outbox').columns(['message_key', 'seq']).where(sql.ref('published_at'), 'is', null).where(sql.ref('dead_at'), 'is', null).execute()
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('outbox').execute()
    },
  },
  '0001_events_outbox_fillfactor': {
    // Room on each page for the relay's two updates of every row (the lease, then published): an
    // update that stays on its page logs only the bytes it changes, and the lease's touches no
    // indexed column, so it adds no index entry (a heap-only tuple). Packed full, every update moved
    // the whole ~1 KB event to another page and indexed it again. Applies to pages filled from now.
    async up(db: Kysely<any>) {
      await sql`alter table ${sql.id(schemaOf(db), 'outbox')} set (fillfactor = 50)`.execute(db)
    },
    async down(db: Kysely<any>) {
      await sql`alter table ${sql.id(schemaOf(db), 'outbox')} reset (fillfactor)`.execute(db)
    },
  },
  '0000_events_inbox': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('inbox')
        .addColumn('consumer', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('topic', 'text', (c) => c.notNull())
        .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('inbox_pk', ['consumer', 'event_id'])
        .execute()
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('inbox').execute()
    },
  },
}
