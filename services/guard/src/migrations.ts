import type { Kysely } from 'kysely'
import type { Migrations } from '@sme/data'

/**
 * The guard's tables, in its own schema. Frozen: a change is a new migration. Schema builder and
 * plain SQL only (the migrator's Kysely is bound to the schema).
 *
 * The protection read model is built from events only (relief.decisions.v2, scoring.results.v1,
 * loans.events.v1); nothing here is read from another service's tables. A borrower is keyed
 * `uscc:<USCC>` or `person:<core banking's pseudonym>` in every table.
 */
export const guardMigrations: Migrations = {
  '0400_guard_read_model': {
    async up(db: Kysely<any>) {
      // The latest final decision of each relief application (highest revision wins).
      await db.schema
        .createTable('reliefs')
        .addColumn('application_id', 'uuid', (c) => c.primaryKey())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('borrower_key', 'text', (c) => c.notNull())
        .addColumn('loan_id', 'text', (c) => c.notNull())
        .addColumn('relief', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('decided_on', 'date', (c) => c.notNull())
        .addColumn('terms_end', 'date')
        .addColumn('event_at', 'timestamptz', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('reliefs_by_borrower').on('reliefs').column('borrower_key').execute()
      // The latest score of each enterprise (a later as-of day replaces it).
      await db.schema
        .createTable('scores')
        .addColumn('borrower_key', 'text', (c) => c.primaryKey())
        .addColumn('score_id', 'uuid', (c) => c.notNull())
        .addColumn('as_of', 'date', (c) => c.notNull())
        .addColumn('grade', 'text', (c) => c.notNull())
        .addColumn('hardship', 'text')
        .addColumn('event_at', 'timestamptz', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('key_lists')
        .addColumn('borrower_key', 'text', (c) => c.notNull())
        .addColumn('list', 'text', (c) => c.notNull())
        .addColumn('listed_on', 'date', (c) => c.notNull())
        .addColumn('delisted_on', 'date')
        .addColumn('event_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('key_lists_pk', ['borrower_key', 'list', 'listed_on'])
        .execute()
      // Each loan's latest position by core banking's sequence; borrower and branch from its booking,
      // whenever that arrives.
      await db.schema
        .createTable('loans')
        .addColumn('loan_id', 'text', (c) => c.primaryKey())
        .addColumn('sequence', 'bigint', (c) => c.notNull())
        .addColumn('borrower_key', 'text')
        .addColumn('branch_id', 'text')
        .addColumn('days_past_due', 'integer', (c) => c.notNull())
        .addColumn('classification', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('as_of', 'timestamptz', (c) => c.notNull())
        .execute()
      // What the read model has seen of each source: the time of the latest event applied (by the
      // source's own clock) and when it was applied here. A verdict records these as its as-of.
      await db.schema
        .createTable('source_marks')
        .addColumn('source', 'text', (c) => c.primaryKey())
        .addColumn('last_event_at', 'timestamptz', (c) => c.notNull())
        .addColumn('last_event_id', 'text', (c) => c.notNull())
        .addColumn('applied_at', 'timestamptz', (c) => c.notNull())
        .execute()
    },
  },
  '0401_guard_verdicts': {
    async up(db: Kysely<any>) {
      // Every verdict, stored before it is answered; never updated (a risk officer's decision on an
      // escalated check is a verdict of its own with the same check id).
      await db.schema
        .createTable('verdicts')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('check_id', 'uuid', (c) => c.notNull())
        .addColumn('origin', 'text', (c) => c.notNull())
        .addColumn('loan_id', 'text', (c) => c.notNull())
        .addColumn('branch_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('verdict', 'jsonb', (c) => c.notNull())
        .addColumn('caller', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text')
        .addColumn('request_fingerprint', 'text')
        .addColumn('decided_at', 'timestamptz', (c) => c.notNull())
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .addUniqueConstraint('verdicts_idempotency', ['caller', 'idempotency_key'])
        .execute()
      await db.schema.createIndex('verdicts_by_check').on('verdicts').columns(['check_id', 'decided_at']).execute()
      // The supervisor report reads by branch and period.
      await db.schema.createIndex('verdicts_by_branch').on('verdicts').columns(['branch_id', 'decided_at']).execute()
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
  '0402_guard_escalations': {
    async up(db: Kysely<any>) {
      // An escalated check waiting for risk officers, then decided; written with the check's verdict.
      // The approvals are kept in order (who, outcome, reason, when); the row is locked while reviewed.
      await db.schema
        .createTable('escalations')
        .addColumn('check_id', 'uuid', (c) => c.primaryKey())
        .addColumn('branch_id', 'text', (c) => c.notNull())
        .addColumn('loan_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('requested_by', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('approvals', 'jsonb', (c) => c.notNull())
        .addColumn('outcome', 'text')
        .addColumn('opened_at', 'timestamptz', (c) => c.notNull())
        .addColumn('decided_at', 'timestamptz')
        .execute()
      await db.schema.createIndex('escalations_queue').on('escalations').columns(['status', 'opened_at', 'check_id']).execute()
    },
  },
  '0403_guard_sweeps': {
    async up(db: Kysely<any>) {
      // Core banking's sweeps: the key is claimed when a sweep starts (status 'running') and the
      // summary written in the same transaction as its verdicts ('done').
      await db.schema
        .createTable('sweeps')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('caller', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.notNull())
        .addColumn('request_fingerprint', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('lines', 'integer')
        .addColumn('summary', 'jsonb')
        .addColumn('started_at', 'timestamptz', (c) => c.notNull())
        .addColumn('decided_at', 'timestamptz')
        .addUniqueConstraint('sweeps_idempotency', ['caller', 'idempotency_key'])
        .execute()
      // One row per line asked, written by COPY: the request as asked (JSON), the verdict or the
      // refusal as JSON (json, not jsonb: stored as written, nothing to re-encode per row).
      await db.schema
        .createTable('sweep_verdicts')
        .addColumn('sweep_id', 'uuid', (c) => c.notNull())
        .addColumn('line', 'integer', (c) => c.notNull())
        .addColumn('loan_id', 'text')
        .addColumn('branch_id', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('request', 'json', (c) => c.notNull())
        .addColumn('verdict', 'json')
        .addColumn('refusal', 'json')
        .addPrimaryKeyConstraint('sweep_verdicts_pkey', ['sweep_id', 'line'])
        .execute()
    },
  },
}
