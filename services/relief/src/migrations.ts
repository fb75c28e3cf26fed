import { sql, type Kysely } from 'kysely'
import { schemaOf, type Migrations } from '@sme/data'

/**
 * The relief service's tables, in its own schema. Frozen: a change is a new migration. They use the
 * schema builder only (the migrator's Kysely is bound to the schema; raw SQL naming tables would not
 * follow it). Predicates of partial indexes are plain column expressions, which do.
 */
export const reliefMigrations: Migrations = {
  '0200_relief_policy_versions': {
    async up(db: Kysely<any>) {
      // Policy as dated data: every version of every record, immutable once written except for its
      // status (draft → active). Drafts are never used for live decisions, only for what-if runs.
      await db.schema
        .createTable('policy_versions')
        .addColumn('record_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('effective_from', 'date', (c) => c.notNull())
        .addColumn('effective_to', 'date')
        // The whole record in JSON form (fen as decimal strings).
        .addColumn('definition', 'jsonb', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('activated_at', 'timestamptz')
        .addColumn('activated_by', 'text')
        .addPrimaryKeyConstraint('policy_versions_pk', ['record_id', 'version'])
        .addCheckConstraint('policy_versions_status', sql`status in ('draft', 'active')`)
        .execute()
    },
  },
  '0201_relief_applications': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('applications')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('uscc', 'text', (c) => c.notNull())
        .addColumn('loan_id', 'text', (c) => c.notNull())
        .addColumn('branch_id', 'text', (c) => c.notNull())
        .addColumn('relief_kind', 'text', (c) => c.notNull())
        // awaiting-score → approved | declined (final) | referred (review queue) → approved | declined
        .addColumn('status', 'text', (c) => c.notNull())
        // Optimistic concurrency: every change of the row increments it.
        .addColumn('version', 'integer', (c) => c.notNull())
        // Asia/Shanghai date of receipt (the injected clock): selects the policy in force.
        .addColumn('application_date', 'date', (c) => c.notNull())
        .addColumn('answer_by', 'date', (c) => c.notNull())
        .addColumn('received_at', 'timestamptz', (c) => c.notNull())
        .addColumn('submitted_by', 'text', (c) => c.notNull())
        // The application as received (wire form: fen as decimal strings).
        .addColumn('application', 'jsonb', (c) => c.notNull())
        // pending | received | failed | timed-out
        .addColumn('scoring_status', 'text', (c) => c.notNull())
        // Final outcome (APPROVED | DECLINED), who settled it (rules | review), and how often a final
        // decision was published (an overturn publishes a second revision).
        .addColumn('final_outcome', 'text')
        .addColumn('decided_by', 'text')
        .addColumn('decided_at', 'timestamptz')
        .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
        .addCheckConstraint('applications_status', sql`status in ('awaiting-score', 'referred', 'approved', 'declined')`)
        .execute()
      // The sweeper's work list: applications still waiting for their score, oldest first.
      await db.schema
        .createIndex('applications_awaiting_score')
        .on('applications')
        .column('received_at')
        .where(sql.ref('status'), '=', 'awaiting-score')
        .execute()
      await db.schema.createIndex('applications_by_branch').on('applications').columns(['branch_id', 'status', 'answer_by']).execute()
      await db.schema.createIndex('applications_by_status').on('applications').columns(['status', 'answer_by']).execute()
      await db.schema.createIndex('applications_by_date').on('applications').columns(['application_date', 'id']).execute()
      await db.schema.createIndex('applications_by_enterprise').on('applications').column('uscc').execute()
      // One open application per loan: a second submission under a new Idempotency-Key while the
      // first is undecided is refused (409) rather than decided twice.
      await db.schema
        .createIndex('applications_open_per_loan')
        .on('applications')
        .column('loan_id')
        .unique()
        .where((eb) => eb(sql.ref('status'), 'in', ['awaiting-score', 'referred']))
        .execute()
    },
  },
  '0202_relief_decisions': {
    async up(db: Kysely<any>) {
      // The automated decision of each application: the domain's Decision in full (every rule's
      // result, reason codes with texts, terms), the scoring input it used and the policy versions.
      await db.schema
        .createTable('decisions')
        .addColumn('application_id', 'uuid', (c) => c.primaryKey().references('applications.id'))
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('mandatory', 'boolean', (c) => c.notNull())
        .addColumn('decision', 'jsonb', (c) => c.notNull())
        // { scoreId, score, grade, pdPpm, hardship, modelId, modelVersion } or { unavailable: reason }
        .addColumn('scoring', 'jsonb', (c) => c.notNull())
        .addColumn('policy_versions', 'jsonb', (c) => c.notNull())
        // score | scoring-failed | timeout
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'timestamptz', (c) => c.notNull())
        .execute()
      // Every scoring answer received for an application, applied or late (kept for the record).
      await db.schema
        .createTable('score_receipts')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('application_id', 'uuid', (c) => c.notNull().references('applications.id'))
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('payload', 'jsonb', (c) => c.notNull())
        .addColumn('applied', 'boolean', (c) => c.notNull())
        .addColumn('received_at', 'timestamptz', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('score_receipts_by_application').on('score_receipts').column('application_id').execute()
    },
  },
  '0203_relief_reviews': {
    async up(db: Kysely<any>) {
      // Maker-checker: an officer proposes, a supervisor (someone else) confirms.
      await db.schema
        .createTable('proposals')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('application_id', 'uuid', (c) => c.notNull().references('applications.id'))
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        // The automated outcome this proposal departs from, when it overturns one.
        .addColumn('overturns', 'text')
        // pending | confirmed | superseded
        .addColumn('status', 'text', (c) => c.notNull())
        // The application version the proposal was made on.
        .addColumn('application_version', 'integer', (c) => c.notNull())
        .addColumn('proposed_by', 'text', (c) => c.notNull())
        .addColumn('proposed_at', 'timestamptz', (c) => c.notNull())
        .addColumn('confirmed_by', 'text')
        .addColumn('confirmed_at', 'timestamptz')
        .addCheckConstraint('proposals_outcome', sql`outcome in ('APPROVED', 'DECLINED')`)
        .addCheckConstraint('proposals_four_eyes', sql`confirmed_by is null or confirmed_by <> proposed_by`)
        .execute()
      await db.schema.createIndex('proposals_by_application').on('proposals').columns(['application_id', 'proposed_at']).execute()
      // At most one proposal awaits confirmation per application.
      await db.schema
        .createIndex('proposals_one_pending')
        .on('proposals')
        .column('application_id')
        .unique()
        .where(sql.ref('status'), '=', 'pending')
        .execute()
      // Append-only record of who did what. The repository only inserts and reads.
      await db.schema
        .createTable('audit_log')
        .addColumn('seq', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('application_id', 'uuid')
        .addColumn('details', 'jsonb', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('audit_by_application').on('audit_log').columns(['application_id', 'seq']).execute()
    },
  },
  '0204_relief_application_keys': {
    async up(db: Kysely<any>) {
      // Intake is idempotent by its own row: the caller's Idempotency-Key and the fingerprint of the
      // request are stored with the application, unique per submitter, so a retry finds the
      // application itself (no separate idempotency record on the hot path). Null for applications
      // stored before this migration.
      await db.schema.alterTable('applications').addColumn('idempotency_key', 'text').addColumn('request_fingerprint', 'text').execute()
      await db.schema.createIndex('applications_idempotency').on('applications').columns(['submitted_by', 'idempotency_key']).unique().execute()
    },
  },
  '0205_relief_audit_append_only': {
    async up(db: Kysely<any>) {
      // The audit trail is append-only in the database itself, not only by convention of the code
      // that writes it: updates, deletes and truncation are refused for every role but the owner
      // dropping the schema.
      const schema = schemaOf(db)
      const refuse = sql.id(schema, 'audit_log_is_append_only')
      await sql`create function ${refuse}() returns trigger language plpgsql as $$
        begin
          raise exception 'the audit log is append-only: % refused', tg_op using errcode = '42501';
        end $$`.execute(db)
      await sql`create trigger audit_log_append_only before update or delete or truncate on ${sql.id(schema, 'audit_log')}
        for each statement execute function ${refuse}()`.execute(db)
    },
  },
  '0206_relief_loan_book': {
    async up(db: Kysely<any>) {
      // Core banking's loan stream (loans.events.v1) as relief needs it: each loan's latest
      // position by the core system's per-loan sequence, and the booking details.
      await db.schema
        .createTable('loan_book')
        .addColumn('loan_id', 'text', (c) => c.primaryKey())
        .addColumn('sequence', 'bigint', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('as_of', 'timestamptz', (c) => c.notNull())
        .addColumn('outstanding_principal_fen', 'bigint', (c) => c.notNull())
        .addColumn('days_past_due', 'integer', (c) => c.notNull())
        .addColumn('classification', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('booking', 'jsonb')
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
        .addCheckConstraint('loan_book_principal', sql`outstanding_principal_fen >= 0`)
        .execute()
      // Each decision records how the application compared with the loan book when it was made.
      await db.schema.alterTable('decisions').addColumn('loan_check', 'jsonb').execute()
    },
  },
  '0207_relief_withdraw_reject': {
    async up(db: Kysely<any>) {
      // A supervisor may reject a proposal (it closes without deciding anything): who, when, why.
      await db.schema.alterTable('proposals').addColumn('rejected_by', 'text').addColumn('rejected_at', 'timestamptz').addColumn('rejection_reason', 'text').execute()
      // An application may be withdrawn before it is final.
      await db.schema.alterTable('applications').dropConstraint('applications_status').execute()
      await db.schema.alterTable('applications').addCheckConstraint('applications_status', sql`status in ('awaiting-score', 'referred', 'approved', 'declined', 'withdrawn')`).execute()
    },
  },
  '0208_relief_scoring_request_id': {
    async up(db: Kysely<any>) {
      // The id of the event asking for the application's score: the scoring timeout counts from
      // that event's publication (its outbox row), not from intake. Null for earlier applications.
      await db.schema.alterTable('applications').addColumn('scoring_request_id', 'uuid').execute()
    },
  },
  '0209_relief_application_trace': {
    async up(db: Kysely<any>) {
      // The W3C trace context of the request that submitted the application: what the application
      // causes later without a request of its own (a decision by the timeout sweeper) continues it.
      await db.schema.alterTable('applications').addColumn('traceparent', 'text').execute()
    },
  },
  '0210_relief_register_follow_ups': {
    async up(db: Kysely<any>) {
      // The register reads final approvals by the time they became final; the follow-up of a
      // loan's events finds the approvals of that loan.
      await db.schema.createIndex('applications_granted_by_time').on('applications').columns(['decided_at', 'id']).where(sql.ref('final_outcome'), '=', 'APPROVED').execute()
      await db.schema.createIndex('applications_granted_by_loan').on('applications').column('loan_id').where(sql.ref('final_outcome'), '=', 'APPROVED').execute()
      // A material change of a loan during its relief (密切监测): one row per application and reason,
      // raised by the first loan event that showed it.
      await db.schema
        .createTable('follow_ups')
        .addColumn('application_id', 'uuid', (c) => c.notNull().references('applications.id'))
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('branch_id', 'text', (c) => c.notNull())
        .addColumn('raised_at', 'timestamptz', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('sequence', 'bigint', (c) => c.notNull())
        .addColumn('details', 'jsonb', (c) => c.notNull())
        .addPrimaryKeyConstraint('follow_ups_pk', ['application_id', 'reason'])
        .addCheckConstraint('follow_ups_reason', sql`reason in ('overdue-during-relief', 'classification-worsened', 'written-off')`)
        .execute()
      await db.schema.createIndex('follow_ups_by_branch').on('follow_ups').columns(['branch_id', 'raised_at']).execute()
    },
  },
  '0211_relief_documents_to_follow': {
    async up(db: Kysely<any>) {
      // Documents a relief was granted without (容缺办理), as the branch receives them: one row per
      // application and document, who recorded it and when.
      await db.schema
        .createTable('documents_received')
        .addColumn('application_id', 'uuid', (c) => c.notNull().references('applications.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('received_at', 'timestamptz', (c) => c.notNull())
        .addColumn('received_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('documents_received_pk', ['application_id', 'name'])
        .execute()
      // Documents still outstanding past their day raise a follow-up of their own.
      await db.schema.alterTable('follow_ups').dropConstraint('follow_ups_reason').execute()
      await db.schema
        .alterTable('follow_ups')
        .addCheckConstraint('follow_ups_reason', sql`reason in ('overdue-during-relief', 'classification-worsened', 'written-off', 'documents-overdue')`)
        .execute()
      // The watch for documents past their day reads the decisions whose terms list documents to follow.
      await db.schema
        .createIndex('decisions_documents_due')
        .on('decisions')
        .expression(sql`(decision -> 'terms' -> 'documentsToFollow' ->> 'dueBy')`)
        .where(sql<boolean>`decision -> 'terms' -> 'documentsToFollow' is not null`)
        .execute()
    },
  },
  '0212_relief_natural_persons': {
    async up(db: Kysely<any>) {
      // A borrower is an enterprise (its USCC) or a natural person (core banking's pseudonymous id),
      // never both, never neither.
      await db.schema.alterTable('applications').alterColumn('uscc', (c) => c.dropNotNull()).execute()
      await db.schema.alterTable('applications').addColumn('borrower_id', 'text').execute()
      await db.schema.alterTable('applications').addCheckConstraint('applications_one_borrower', sql`(uscc is null) <> (borrower_id is null)`).execute()
      await db.schema.createIndex('applications_by_person').on('applications').column('borrower_id').where(sql.ref('borrower_id'), 'is not', null).execute()
    },
  },
}
