import { sql, type Kysely } from 'kysely'
import type { Migrations } from '@sme/data'

/**
 * The claims service's tables, in its own schema. Frozen: a change is a new migration. Schema
 * builder and plain SQL only (the migrator's Kysely is bound to the schema).
 *
 * A claim is its history: `claim_events` is append-only (a correction is an event of its own,
 * never an edit), and `claims` holds the fold of it for reading and locking, written with each
 * event in the same transaction.
 */
export const claimsMigrations: Migrations = {
  '0500_claims': {
    async up(db: Kysely<any>) {
      // Guaranteed loans as core banking registers them, with the latest position it reported.
      await db.schema
        .createTable('guaranteed_loans')
        .addColumn('loan_id', 'text', (c) => c.primaryKey())
        .addColumn('agreement_id', 'text', (c) => c.notNull())
        .addColumn('guaranteed_on', 'date', (c) => c.notNull())
        .addColumn('guaranteed_fen', 'bigint', (c) => c.notNull())
        .addColumn('branch_id', 'text', (c) => c.notNull())
        .addColumn('borrower', 'jsonb', (c) => c.notNull())
        .addColumn('borrower_size', 'text', (c) => c.notNull())
        .addColumn('contract_rate_bp', 'integer', (c) => c.notNull())
        .addColumn('epidemic_affected', 'boolean', (c) => c.notNull())
        .addColumn('outstanding_principal_fen', 'bigint', (c) => c.notNull())
        .addColumn('days_past_due', 'integer', (c) => c.notNull())
        .addColumn('position_sequence', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('registered_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('claims')
        .addColumn('claim_id', 'uuid', (c) => c.primaryKey())
        .addColumn('loan_id', 'text', (c) => c.notNull().references('guaranteed_loans.loan_id'))
        .addColumn('agency_id', 'text', (c) => c.notNull())
        .addColumn('branch_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('state', 'jsonb', (c) => c.notNull())
        .addColumn('documents', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
        // The portfolio cap's figures, per agency and vintage (the year the loan was guaranteed).
        .addColumn('vintage', 'integer', (c) => c.notNull())
        .addColumn('compensated_fen', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('recovered_to_payers_fen', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('opened_at', 'timestamptz', (c) => c.notNull())
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
        .execute()
      // One claim that has not ended per loan: a second demand waits for the first to close.
      await db.schema
        .createIndex('claims_one_open_per_loan')
        .on('claims')
        .column('loan_id')
        .unique()
        .where(sql.ref('status'), 'not in', ['closed', 'rejected'])
        .execute()
      await db.schema.createIndex('claims_by_agency').on('claims').columns(['agency_id', 'updated_at']).execute()
      await db.schema.createIndex('claims_by_branch').on('claims').columns(['branch_id', 'updated_at']).execute()
      await db.schema
        .createTable('claim_events')
        .addColumn('claim_id', 'uuid', (c) => c.notNull().references('claims.claim_id'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('on', 'date', (c) => c.notNull())
        .addColumn('by_kind', 'text', (c) => c.notNull())
        .addColumn('by_id', 'text', (c) => c.notNull())
        .addColumn('body', 'jsonb', (c) => c.notNull())
        .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('claim_events_pk', ['claim_id', 'seq'])
        .execute()
      // Agencies' answers already applied (over HTTP or Kafka), by their own id: a duplicate changes nothing.
      await db.schema
        .createTable('agency_answers')
        .addColumn('agency_id', 'text', (c) => c.notNull())
        .addColumn('response_id', 'text', (c) => c.notNull())
        .addColumn('claim_id', 'uuid', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('received_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('agency_answers_pk', ['agency_id', 'response_id'])
        .execute()
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
  '0501_claims_portfolio_books': {
    async up(db: Kysely<any>) {
      // The portfolio cap's figures kept as running totals, so a filing reads two rows instead of
      // summing a vintage's whole book: the book guaranteed per agreement and vintage (the year the
      // loans were guaranteed), and the compensation per agency and vintage, net of recoveries.
      await db.schema
        .createTable('vintage_books')
        .addColumn('agreement_id', 'text', (c) => c.notNull())
        .addColumn('vintage', 'integer', (c) => c.notNull())
        .addColumn('guaranteed_fen', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('vintage_books_pk', ['agreement_id', 'vintage'])
        .execute()
      await db.schema
        .createTable('agency_compensation')
        .addColumn('agency_id', 'text', (c) => c.notNull())
        .addColumn('vintage', 'integer', (c) => c.notNull())
        .addColumn('compensated_fen', 'bigint', (c) => c.notNull())
        .addColumn('recovered_to_payers_fen', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('agency_compensation_pk', ['agency_id', 'vintage'])
        .execute()
      // Through the query builder, which names the schema the migration is bound to (raw SQL would not).
      const year = sql<number>`extract(year from guaranteed_on)::int`
      await db
        .insertInto('vintage_books')
        .columns(['agreement_id', 'vintage', 'guaranteed_fen'])
        .expression(db.selectFrom('guaranteed_loans').select(['agreement_id', year.as('vintage'), sql<string>`sum(guaranteed_fen)`.as('guaranteed_fen')]).groupBy(['agreement_id', year]))
        .execute()
      await db
        .insertInto('agency_compensation')
        .columns(['agency_id', 'vintage', 'compensated_fen', 'recovered_to_payers_fen'])
        .expression(db.selectFrom('claims').select(['agency_id', 'vintage', sql<string>`sum(compensated_fen)`.as('compensated_fen'), sql<string>`sum(recovered_to_payers_fen)`.as('recovered_to_payers_fen')]).groupBy(['agency_id', 'vintage']))
        .execute()
    },
  },
  '0502_claims_dated_versions': {
    async up(db: Kysely<any>) {
      // Guarantee agreements and risk-compensation pools as dated data an admin maintains: a version
      // is added as a draft and governs nothing until a second admin activates it; a version never
      // changes once stored. `scope_id` is the originating agency of an agreement (null for a pool).
      await db.schema
        .createTable('dated_versions')
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('agreement', 'pool')`))
        .addColumn('record_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('scope_id', 'text')
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'active')`))
        .addColumn('definition', 'jsonb', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull())
        .addColumn('activated_by', 'text')
        .addColumn('activated_at', 'timestamptz')
        .addPrimaryKeyConstraint('dated_versions_pk', ['kind', 'record_id', 'version'])
        .execute()
    },
  },
  '0503_claims_pool_claims': {
    async up(db: Kysely<any>) {
      // Claims on risk-compensation pools: one per pool and loan, under the pool version whose window
      // holds the loan's issue day; its account (`pool_claim_entries`) is append-only: what fell due
      // from each payer at each stage, and what moved, never edited.
      await db.schema
        .createTable('pool_claims')
        .addColumn('pool_claim_id', 'uuid', (c) => c.primaryKey())
        .addColumn('pool_id', 'text', (c) => c.notNull())
        .addColumn('pool_version', 'integer', (c) => c.notNull())
        .addColumn('loan_id', 'text', (c) => c.notNull())
        .addColumn('branch_id', 'text', (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull().check(sql`stage in ('non-performing', 'final-loss')`))
        .addColumn('loss_fen', 'bigint')
        .addColumn('loan', 'jsonb', (c) => c.notNull())
        .addColumn('entry_count', 'integer', (c) => c.notNull())
        .addColumn('opened_at', 'timestamptz', (c) => c.notNull())
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
        .addUniqueConstraint('pool_claims_one_per_loan', ['pool_id', 'loan_id'])
        .execute()
      await db.schema.createIndex('pool_claims_by_branch').on('pool_claims').columns(['branch_id', 'updated_at']).execute()
      await db.schema
        .createTable('pool_claim_entries')
        .addColumn('pool_claim_id', 'uuid', (c) => c.notNull().references('pool_claims.pool_claim_id'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('due', 'paid')`))
        .addColumn('payer', 'text', (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('amount_fen', 'bigint', (c) => c.notNull())
        .addColumn('on', 'date', (c) => c.notNull())
        .addColumn('by', 'text', (c) => c.notNull())
        .addColumn('reference', 'text')
        .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('pool_claim_entries_pk', ['pool_claim_id', 'seq'])
        .execute()
      await db.schema.createIndex('pool_claim_entries_one_per_reference').on('pool_claim_entries').columns(['pool_claim_id', 'reference']).unique().where(sql.ref('reference'), 'is not', null).execute()
    },
  },
}
