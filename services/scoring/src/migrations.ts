import { sql, type Kysely } from 'kysely'
import type { Migrations } from '@sme/data'

/**
 * The scoring service's tables, in its own schema. Frozen: a change is a new migration. They use the
 * schema builder only (the migrator's Kysely is bound to the schema; raw SQL would not follow it).
 */
export const scoringMigrations: Migrations = {
  '0100_scoring_data_points': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('data_points')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('uscc', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('dimension', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('source_record_id', 'text', (c) => c.notNull())
        .addColumn('period', 'text', (c) => c.notNull())
        .addColumn('as_of', 'date', (c) => c.notNull())
        // The figure's values in JSON form (fen as decimal strings).
        .addColumn('payload', 'jsonb', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('supersedes', 'text', (c) => c.references('data_points.id'))
        .addColumn('superseded_by', 'text')
        .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('received_by', 'text', (c) => c.notNull())
        .addUniqueConstraint('data_points_source_version', ['source', 'source_record_id', 'version'])
        .execute()
      // One current version per source record; corrections supersede, history stays.
      await db.schema
        .createIndex('data_points_current')
        .on('data_points')
        .columns(['source', 'source_record_id'])
        .unique()
        .where(sql.ref('superseded_by'), 'is', null)
        .execute()
      await db.schema.createIndex('data_points_by_enterprise').on('data_points').columns(['uscc', 'dimension', 'period']).execute()
    },
  },
  '0101_scoring_models': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('models')
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('segment', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('effective_from', 'date', (c) => c.notNull())
        .addColumn('effective_to', 'date')
        .addColumn('definition', 'jsonb', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('models_pk', ['id', 'version'])
        .execute()
    },
  },
  '0102_scoring_scores': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('scores')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('uscc', 'text', (c) => c.notNull())
        .addColumn('as_of', 'date', (c) => c.notNull())
        .addColumn('model_id', 'text', (c) => c.notNull())
        .addColumn('model_version', 'text', (c) => c.notNull())
        .addColumn('segment', 'text', (c) => c.notNull())
        // Challengers are scored in shadow: stored, never returned to callers.
        .addColumn('shadow', 'boolean', (c) => c.notNull())
        .addColumn('champion_score_id', 'uuid')
        .addColumn('score', 'integer', (c) => c.notNull())
        .addColumn('pd_ppm', 'integer', (c) => c.notNull())
        .addColumn('grade', 'text', (c) => c.notNull())
        .addColumn('result', 'jsonb', (c) => c.notNull())
        .addColumn('hardship', 'jsonb')
        .addColumn('crisis_start', 'date')
        .addColumn('data_point_ids', 'jsonb', (c) => c.notNull())
        .addColumn('requested_by', 'text', (c) => c.notNull())
        .addColumn('correlation_id', 'text')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute()
      await db.schema.createIndex('scores_by_enterprise').on('scores').columns(['uscc', 'created_at']).execute()
      // A request/reply correlation id yields one champion score, however often the request arrives.
      await db.schema
        .createIndex('scores_correlation')
        .on('scores')
        .column('correlation_id')
        .unique()
        .where(sql.ref('shadow'), '=', false)
        .execute()
    },
  },
  '0103_scoring_firm_branches': {
    async up(db: Kysely<any>) {
      // Which branches serve which firm, learnt from core banking's loan bookings: officers and
      // supervisors read the firms of their branches only.
      await db.schema
        .createTable('firm_branches')
        .addColumn('uscc', 'text', (c) => c.notNull())
        .addColumn('branch_id', 'text', (c) => c.notNull())
        .addColumn('since', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('firm_branches_pk', ['uscc', 'branch_id'])
        .execute()
    },
  },
}
