// The portfolio totals' migration (0501) on a schema that already holds loans and claims: the book
// per agreement and vintage, and each agency's compensation per vintage, summed from what is there.
import t from 'tap'
import { migrateSchema, sql } from '@sme/data'
import { postgresSchema } from '@sme/testing'
import { claimsMigrations } from '../src/migrations.js'

t.test('0501 backfills the running totals from the rows 0500 left', async (t) => {
  const { '0501_claims_portfolio_books': later, ...first } = claimsMigrations
  t.ok(later, 'the migration exists')
  const { database, schema } = await postgresSchema(t, first, { prefix: 'claims_mig' })
  const db = database.db.withSchema(schema)
  const loan = (id: string, agreement: string, on: string, fen: bigint) => ({ loan_id: id, agreement_id: agreement, guaranteed_on: on, guaranteed_fen: fen, branch_id: 'B001', borrower: JSON.stringify({ kind: 'enterprise', uscc: '91350100M000100Y43' }), borrower_size: 'small', contract_rate_bp: 435, epidemic_affected: false, outstanding_principal_fen: fen, days_past_due: 0, registered_by: 'test', updated_at: new Date() })
  await db.insertInto('guaranteed_loans').values([loan('L1', 'A', '2020-03-01', 100n), loan('L2', 'A', '2020-12-31', 250n), loan('L3', 'A', '2021-01-01', 7n), loan('L4', 'B', '2020-05-05', 1_000n)]).execute()
  const claim = (id: string, loanId: string, agency: string, vintage: number, compensated: bigint, recovered: bigint) => ({ claim_id: id, loan_id: loanId, agency_id: agency, branch_id: 'B001', status: 'paid', version: 1, state: '{}', vintage, compensated_fen: compensated, recovered_to_payers_fen: recovered, opened_at: new Date(), updated_at: new Date() })
  await db
    .insertInto('claims')
    .values([claim('00000000-0000-4000-8000-000000000001', 'L1', 'AG-1', 2020, 80n, 8n), claim('00000000-0000-4000-8000-000000000002', 'L2', 'AG-1', 2020, 200n, 0n), claim('00000000-0000-4000-8000-000000000003', 'L4', 'AG-2', 2020, 800n, 100n)])
    .execute()
  await migrateSchema(database.db, schema, claimsMigrations)
  const books = await sql<{ agreement_id: string; vintage: number; guaranteed_fen: bigint }>`select agreement_id, vintage, guaranteed_fen from ${sql.id(schema)}.vintage_books order by 1, 2`.execute(database.db)
  t.same(books.rows, [
    { agreement_id: 'A', vintage: 2020, guaranteed_fen: 350n },
    { agreement_id: 'A', vintage: 2021, guaranteed_fen: 7n },
    { agreement_id: 'B', vintage: 2020, guaranteed_fen: 1_000n },
  ])
  const comp = await sql<{ agency_id: string; vintage: number; compensated_fen: bigint; recovered_to_payers_fen: bigint }>`select agency_id, vintage, compensated_fen, recovered_to_payers_fen from ${sql.id(schema)}.agency_compensation order by 1`.execute(database.db)
  t.same(comp.rows, [
    { agency_id: 'AG-1', vintage: 2020, compensated_fen: 280n, recovered_to_payers_fen: 8n },
    { agency_id: 'AG-2', vintage: 2020, compensated_fen: 800n, recovered_to_payers_fen: 100n },
  ])
})
