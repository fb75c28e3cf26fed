import { sql } from 'kysely'
import type { LoanBookedData, LoanEventCommon } from '@sme/contracts'
import type { LoanBookPosition } from '../domain/index.js'
import { toJson } from '../json.js'
import type { ReliefDb, ReliefTx } from './tables.js'

/**
 * Applies one event of core banking's loan stream: the position replaces the stored one only when
 * its sequence is higher (a stale or repeated event changes nothing, whatever order the events
 * came in: Kafka keeps a partition's order, but a replayed journal, a failover to a second producer
 * or a re-keying can deliver older events after newer ones; gaps are allowed); the booking details are kept from the loan-booked event whenever it arrives. One
 * statement per part, under the consumer's transaction. Returns whether the position moved.
 */
export async function applyLoanEvent(tx: ReliefTx, type: string, data: LoanEventCommon, booking: LoanBookedData | null, at: Date): Promise<'applied' | 'stale'> {
  const p = data.position
  const moved = await tx
    .insertInto('loan_book')
    .values({
      loan_id: data.loanId,
      sequence: BigInt(data.sequence),
      event_id: data.eventId,
      event_type: type,
      as_of: new Date(data.asOf),
      outstanding_principal_fen: BigInt(p.outstandingPrincipalFen),
      days_past_due: p.daysPastDue,
      classification: p.classification,
      status: p.status,
      booking: booking === null ? null : toJson(booking),
      updated_at: at,
    })
    .onConflict((oc) =>
      oc
        .column('loan_id')
        .doUpdateSet((eb) => ({
          sequence: eb.ref('excluded.sequence'),
          event_id: eb.ref('excluded.event_id'),
          event_type: eb.ref('excluded.event_type'),
          as_of: eb.ref('excluded.as_of'),
          outstanding_principal_fen: eb.ref('excluded.outstanding_principal_fen'),
          days_past_due: eb.ref('excluded.days_past_due'),
          classification: eb.ref('excluded.classification'),
          status: eb.ref('excluded.status'),
          booking: sql`coalesce(${sql.ref('excluded.booking')}, ${sql.ref('loan_book.booking')})`,
          updated_at: eb.ref('excluded.updated_at'),
        }))
        .where('loan_book.sequence', '<', (eb) => eb.ref('excluded.sequence')),
    )
    .returning('loan_id')
    .executeTakeFirst()
  if (moved) return 'applied'
  // An older event: its position is stale, but a late loan-booked event still brings the booking.
  if (booking !== null) {
    await tx.updateTable('loan_book').set({ booking: toJson(booking) }).where('loan_id', '=', data.loanId).where('booking', 'is', null).execute()
  }
  return 'stale'
}

/** The loan's latest position on the books, or null when core banking has not published it. */
export async function loanBookPosition(db: ReliefDb | ReliefTx, loanId: string): Promise<LoanBookPosition | null> {
  const row = await db
    .selectFrom('loan_book')
    .select(['loan_id', 'sequence', 'as_of', 'outstanding_principal_fen', 'days_past_due', 'classification', 'status'])
    .where('loan_id', '=', loanId)
    .executeTakeFirst()
  if (!row) return null
  return {
    loanId: row.loan_id,
    sequence: Number(row.sequence),
    asOf: row.as_of.toISOString(),
    outstandingPrincipalFen: row.outstanding_principal_fen,
    daysPastDue: row.days_past_due,
    classification: row.classification,
    status: row.status,
  }
}
