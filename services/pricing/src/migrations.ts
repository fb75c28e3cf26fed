import { sql, type Kysely } from 'kysely'
import { schemaOf, type Migrations } from '@sme/data'

/**
 * The pricing service's tables, in its own schema. Frozen: a change is a new migration. Schema
 * builder only (the migrator's Kysely is bound to the schema).
 */
export const pricingMigrations: Migrations = {
  '0300_pricing_reference': {
    async up(db: Kysely<any>) {
      // LPR publications as dated rows; a correction rewrites the row and leaves its trace in
      // lpr_changes (who, when, what it was, why).
      await db.schema
        .createTable('lpr_publications')
        .addColumn('effective_date', 'date', (c) => c.primaryKey())
        .addColumn('one_year_bp', 'integer', (c) => c.notNull())
        .addColumn('five_year_bp', 'integer', (c) => c.notNull())
        .addColumn('recorded_by', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute()
      await db.schema
        .createTable('lpr_changes')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('effective_date', 'date', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('before', 'jsonb')
        .addColumn('after', 'jsonb', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('changed_by', 'text', (c) => c.notNull())
        .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute()
      // Rate cards and programmes: versioned definitions, never updated (a change is a new version).
      await db.schema
        .createTable('records')
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('definition', 'jsonb', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('records_pk', ['id', 'version'])
        .execute()
      // The key epidemic-protection enterprise lists (national and local), with dates.
      await db.schema
        .createTable('key_list_entries')
        .addColumn('uscc', 'text', (c) => c.notNull())
        .addColumn('list', 'text', (c) => c.notNull())
        .addColumn('listed_on', 'date', (c) => c.notNull())
        .addColumn('delisted_on', 'date')
        .addColumn('recorded_by', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('key_list_entries_pk', ['uscc', 'list', 'listed_on'])
        .execute()
    },
  },
  '0301_pricing_quotes': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('quotes')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('branch_id', 'text', (c) => c.notNull())
        .addColumn('loan_id', 'text')
        // The quote as issued (fen as decimal strings) but its schedule, which is kept beside it as
        // the text of its columns (no jsonb: nothing queries into it): both immutable once written.
        .addColumn('quote', 'jsonb', (c) => c.notNull())
        .addColumn('schedule', 'text', (c) => c.notNull())
        // A caller's Idempotency-Key and the request it came with: a retry answers this quote.
        .addColumn('idempotency_key', 'text')
        .addColumn('request_fingerprint', 'text')
        .addColumn('issued_by', 'text', (c) => c.notNull())
        .addColumn('issued_at', 'timestamptz', (c) => c.notNull())
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .addColumn('accepted_at', 'timestamptz')
        .addColumn('accepted_by', 'text')
        // A relief decision revision is priced once, however often its event arrives.
        .addColumn('relief_application_id', 'uuid')
        .addColumn('relief_revision', 'integer')
        .addUniqueConstraint('quotes_relief_decision', ['relief_application_id', 'relief_revision'])
        .addUniqueConstraint('quotes_idempotency', ['issued_by', 'idempotency_key'])
        .execute()
      await db.schema.createIndex('quotes_by_branch').on('quotes').columns(['branch_id', 'issued_at']).execute()
      // A schedule's text goes out of line uncompressed: pglz spent some 0.6 ms of the database's CPU
      // per 360-period quote (lz4 would do, but the embedded PGlite has no lz4); the text costs more
      // disk instead, some 25 kB a quote.
      await sql`alter table ${sql.id(schemaOf(db), 'quotes')} alter column schedule set storage external`.execute(db)
    },
  },
  '0302_pricing_audit': {
    async up(db: Kysely<any>) {
      // The bank's record of who tried what and was refused, and of admin changes to the key lists.
      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('subject', 'text')
        .addColumn('details', 'jsonb', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('audit_log_by_subject').on('audit_log').columns(['subject', 'at']).execute()
    },
  },
  '0303_pricing_read_models': {
    async up(db: Kysely<any>) {
      // Core banking's loans as their events tell (loans.events.v1): the latest position by the core
      // system's sequence, and the booking (borrower, product, dates, contract rate) once it arrives.
      await db.schema
        .createTable('loans')
        .addColumn('loan_id', 'text', (c) => c.primaryKey())
        .addColumn('sequence', 'bigint', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('as_of', 'timestamptz', (c) => c.notNull())
        .addColumn('outstanding_principal_fen', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('booking', 'jsonb')
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
        .execute()
      // The latest grade scoring published for each enterprise (scoring.results.v1), by its as-of date.
      await db.schema
        .createTable('grades')
        .addColumn('uscc', 'text', (c) => c.primaryKey())
        .addColumn('grade', 'text', (c) => c.notNull())
        .addColumn('score_id', 'uuid', (c) => c.notNull())
        .addColumn('as_of', 'date', (c) => c.notNull())
        .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
        .execute()
      // Relief decisions to re-price (relief.decisions.v2), one row per application revision, and where
      // each stands: waiting for the loan or the grade, priced (its quote), not priced (why), superseded.
      await db.schema
        .createTable('relief_decisions')
        .addColumn('application_id', 'uuid', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('loan_id', 'text', (c) => c.notNull())
        .addColumn('uscc', 'text')
        .addColumn('decision', 'jsonb', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('code', 'text')
        .addColumn('quote_id', 'uuid')
        .addColumn('received_at', 'timestamptz', (c) => c.notNull())
        .addColumn('settled_at', 'timestamptz')
        .addPrimaryKeyConstraint('relief_decisions_pk', ['application_id', 'revision'])
        .execute()
      await db.schema.createIndex('relief_decisions_waiting_loan').on('relief_decisions').column('loan_id').where(sql.ref('state'), '=', 'waiting-loan').execute()
      await db.schema.createIndex('relief_decisions_waiting_grade').on('relief_decisions').column('uscc').where(sql.ref('state'), '=', 'waiting-grade').execute()
    },
  },
  '0304_pricing_schedule_lz4': {
    async up(db: Kysely<any>) {
      // Where the server has lz4, a 360-period schedule's 18 kB of text compresses to some 6.5 kB in
      // a few microseconds and stays in the row (storage main): no TOAST rows, a third of the WAL.
      // A server built without lz4 (the embedded PGlite) does not offer it: the schedule then stays
      // uncompressed out of line, as before (pglz would cost more CPU than the disk it saves).
      const { rows } = await sql<{ lz4: boolean }>`select coalesce('lz4' = any(enumvals), false) as lz4 from pg_settings where name = 'default_toast_compression'`.execute(db)
      if (rows[0]?.lz4 !== true) return
      const column = sql`alter table ${sql.id(schemaOf(db), 'quotes')} alter column schedule`
      await sql`${column} set compression lz4`.execute(db)
      await sql`${column} set storage main`.execute(db)
    },
  },
  '0305_pricing_record_drafts': {
    async up(db: Kysely<any>) {
      // Admins add versions as drafts; another admin activates them (four eyes). What was recorded
      // before drafts existed (the bundled records) stays active.
      await db.schema
        .alterTable('records')
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
        .addColumn('activated_by', 'text')
        .addColumn('activated_at', 'timestamptz')
        .execute()
    },
  },
  '0306_pricing_quote_inputs': {
    async up(db: Kysely<any>) {
      // The request a quote was priced from (the borrower as pricing knew it that day), so a what-if
      // can price the book again under draft records. Null where the quote was not priced from a
      // request of its own (relief re-pricings at a contract's rate) or was issued before this.
      await db.schema.alterTable('quotes').addColumn('inputs', 'jsonb').execute()
    },
  },
  '0307_pricing_accepted_quotes': {
    async up(db: Kysely<any>) {
      // A what-if reads the accepted book in issue order: a partial index holds only accepted quotes,
      // so it costs nothing when a quote is issued (most are never accepted) and the book is read
      // without scanning every quote ever issued.
      await db.schema.createIndex('quotes_accepted').on('quotes').columns(['issued_at', 'id']).where(sql.ref('accepted_at'), 'is not', null).execute()
    },
  },
}
