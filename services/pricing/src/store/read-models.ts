import { sql } from 'kysely'
import { parseDate } from '@sme/domain'
import type { LoanBookedData, LoanEventCommon, ScoreCompleted } from '@sme/contracts'
import type { Static } from 'typebox'
import type { LoanOnBook } from '../domain/index.js'
import type { PricingDb, PricingTx } from './tables.js'

type Db = PricingDb | PricingTx

/**
 * Applies one event of core banking's loan stream: its position replaces the one held only when its
 * sequence is higher (a replayed journal or a second producer may deliver older events after newer
 * ones; gaps are allowed), and the booking is kept from the loan-booked event whenever it arrives.
 * Returns whether the loan moved or gained its booking: only then can a waiting decision be priced.
 */
export async function applyLoanEvent(tx: PricingTx, data: LoanEventCommon, booking: LoanBookedData | null, at: Date): Promise<'applied' | 'stale'> {
  const p = data.position
  const moved = await tx
    .insertInto('loans')
    .values({
      loan_id: data.loanId,
      sequence: BigInt(data.sequence),
      event_id: data.eventId,
      as_of: new Date(data.asOf),
      outstanding_principal_fen: BigInt(p.outstandingPrincipalFen),
      status: p.status,
      booking: booking === null ? null : JSON.stringify(booking),
      updated_at: at,
    })
    .onConflict((oc) =>
      oc
        .column('loan_id')
        .doUpdateSet((eb) => ({
          sequence: eb.ref('excluded.sequence'),
          event_id: eb.ref('excluded.event_id'),
          as_of: eb.ref('excluded.as_of'),
          outstanding_principal_fen: eb.ref('excluded.outstanding_principal_fen'),
          status: eb.ref('excluded.status'),
          booking: sql`coalesce(${sql.ref('excluded.booking')}, ${sql.ref('loans.booking')})`,
          updated_at: eb.ref('excluded.updated_at'),
        }))
        .where('loans.sequence', '<', (eb) => eb.ref('excluded.sequence')),
    )
    .returning('loan_id')
    .executeTakeFirst()
  if (moved) return 'applied'
  // An older event: its position is stale, but a late loan-booked event still brings the booking.
  if (booking !== null) {
    const gained = await tx.updateTable('loans').set({ booking: JSON.stringify(booking) }).where('loan_id', '=', data.loanId).where('booking', 'is', null).executeTakeFirst()
    if (gained.numUpdatedRows > 0n) return 'applied'
  }
  return 'stale'
}

/** The loan as pricing holds it, or null until its booking has arrived. */
export async function loanOnBook(db: Db, loanId: string): Promise<LoanOnBook | null> {
  const row = await db.selectFrom('loans').select(['loan_id', 'outstanding_principal_fen', 'status', 'booking']).where('loan_id', '=', loanId).executeTakeFirst()
  if (row === undefined || row.booking === null) return null
  const b = row.booking
  return {
    loanId: row.loan_id,
    product: b.product,
    startDate: parseDate(b.startDate),
    maturityDate: parseDate(b.maturityDate),
    rateBp: b.rateBp,
    outstandingPrincipal: BigInt(row.outstanding_principal_fen),
    status: row.status,
  }
}

/**
 * Keeps the latest grade of an enterprise: a score as of a later day replaces the one held, a
 * redelivered or older one changes nothing. Returns whether the grade held changed hands.
 */
export async function recordGrade(tx: PricingTx, score: Static<(typeof ScoreCompleted)['schema']>, at: Date): Promise<boolean> {
  const row = await tx
    .insertInto('grades')
    .values({ uscc: score.uscc, grade: score.grade, score_id: score.scoreId, as_of: score.asOf, recorded_at: at })
    .onConflict((oc) =>
      oc
        .column('uscc')
        .doUpdateSet((eb) => ({ grade: eb.ref('excluded.grade'), score_id: eb.ref('excluded.score_id'), as_of: eb.ref('excluded.as_of'), recorded_at: eb.ref('excluded.recorded_at') }))
        .where((eb) => eb.or([eb('grades.as_of', '<', eb.ref('excluded.as_of')), eb.and([eb('grades.as_of', '=', eb.ref('excluded.as_of')), eb('grades.score_id', '<>', eb.ref('excluded.score_id'))])])),
    )
    .returning('uscc')
    .executeTakeFirst()
  return row !== undefined
}

/** The latest grade scoring published for an enterprise, or null. */
export async function gradeOf(db: Db, uscc: string): Promise<string | null> {
  const row = await db.selectFrom('grades').select('grade').where('uscc', '=', uscc).executeTakeFirst()
  return row?.grade ?? null
}
