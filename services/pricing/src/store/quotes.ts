import { reusableStatement, type ReusableStatement } from '@sme/data'
import { sql } from 'kysely'
import type { PricingDb } from './tables.js'

export interface QuoteRowValues {
  readonly id: string
  readonly branch_id: string
  readonly loan_id: string | null
  /** The quote but its schedule, as JSON text. */
  readonly quote: string
  readonly schedule: string
  readonly idempotency_key: string | null
  readonly request_fingerprint: string | null
  readonly issued_by: string
  readonly issued_at: Date
  readonly expires_at: Date
  readonly relief_application_id: string | null
  readonly relief_revision: number | null
  /** The request priced, as JSON text (see inputsJson), or null. */
  readonly inputs: string | null
}

export interface InputsValues {
  /** The firm's USCC, or '' for a natural person (no key list). */
  readonly uscc: string
  readonly on: string
}

export interface InputsRow {
  readonly lpr: string
  readonly records: string
  readonly key_list: string | null
}

/** The quote route's two statements, compiled once per schema (see reusableStatement): a quote's hot path. */
export interface QuoteStatements {
  /** Inserts a quote, or nothing when its key (or its relief decision) has one already. */
  readonly insert: ReusableStatement<QuoteRowValues, { id: string }>
  /** Whether the reference data changed (counts and latest writes), and the key list of the firm that day. */
  readonly inputs: ReusableStatement<InputsValues, InputsRow>
}

export function quoteStatements(schema: string): QuoteStatements {
  return {
    insert: reusableStatement<QuoteRowValues, { id: string }>(schema, (db: PricingDb, v) =>
      db
        .insertInto('quotes')
        .values({
          id: v.id,
          branch_id: v.branch_id,
          loan_id: v.loan_id,
          quote: sql`${v.quote}::jsonb`,
          schedule: v.schedule,
          idempotency_key: v.idempotency_key,
          request_fingerprint: v.request_fingerprint,
          issued_by: v.issued_by,
          issued_at: v.issued_at,
          expires_at: v.expires_at,
          relief_application_id: v.relief_application_id,
          relief_revision: v.relief_revision,
          inputs: sql`${v.inputs}::jsonb`,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id'),
    ),
    inputs: reusableStatement<InputsValues, InputsRow>(schema, (db: PricingDb, v) =>
      db.selectNoFrom((eb) => [
        eb.selectFrom('lpr_publications').select(sql<string>`count(*) || '|' || coalesce(max(recorded_at)::text, '')`.as('s')).as('lpr'),
        // Activation changes a version's status, not its count: the latest activation is in the stamp.
        eb.selectFrom('records').select(sql<string>`count(*) filter (where status = 'active') || '|' || coalesce(max(greatest(created_at, activated_at))::text, '')`.as('s')).as('records'),
        eb
          .selectFrom('key_list_entries')
          .select(sql<string>`list || '|' || listed_on::text`.as('k'))
          .where('uscc', '=', v.uscc)
          .where('listed_on', '<=', sql<string>`${v.on}::date`)
          .where((w) => w.or([w('delisted_on', 'is', null), w('delisted_on', '>', sql<string>`${v.on}::date`)]))
          .orderBy('list', 'desc')
          .orderBy('listed_on')
          .limit(1)
          .as('key_list'),
      ]),
    ),
  }
}
