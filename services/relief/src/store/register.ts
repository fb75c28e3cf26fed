import { sql } from 'kysely'
import { addMonths, parseDate, SHANGHAI_UTC_OFFSET_MINUTES, todayIn, toEpochDay, type CalendarDate } from '@sme/domain'
import type { BranchScope } from '@sme/kit'
import type { GrantedRelief } from '../domain/index.js'
import { grantedApplications } from './granted.js'
import type { ReliefDb } from './tables.js'

/**
 * The final approvals decided within `range`, in the order they were decided, each with whether an
 * approval of the same loan decided before the range already earned the PBoC incentive (so the
 * register counts a loan's incentive once, whatever range it is asked for).
 */
export async function grantedReliefs(db: ReliefDb, range: { readonly start: Date; readonly end: Date }, scope: BranchScope): Promise<GrantedRelief[]> {
  if (scope !== 'all' && scope.length === 0) return []
  let q = grantedApplications(db)
    .select((eb) => [
      'a.id',
      'a.loan_id',
      'a.branch_id',
      'a.decided_at',
      // The parts the register reads, not the whole decision with every rule's texts.
      eb.ref('d.decision', '->').key('relief').as('relief'),
      eb.ref('d.decision', '->').key('programme').as('programme'),
      eb.ref('d.decision', '->').key('terms').as('terms'),
      eb.ref('a.application', '->').key('loan').key('outstandingPrincipalFen').as('principal'),
      eb
        .exists(
          eb
            .selectFrom('applications as e')
            .innerJoin('decisions as ed', 'ed.application_id', 'e.id')
            .select('e.id')
            .whereRef('e.loan_id', '=', 'a.loan_id')
            .where('e.final_outcome', '=', 'APPROVED')
            .where('e.decided_at', '<', range.start)
            // Optional fields of a union, which Kysely's JSON path types do not reach.
            .where(sql<boolean>`${sql.ref('ed.decision')} -> 'terms' -> 'pbocIncentive' ->> 'eligible' = 'true'`),
        )
        .as('claimed_before'),
    ])
    .where('a.decided_at', '>=', range.start)
    .where('a.decided_at', '<', range.end)
  if (scope !== 'all') q = q.where('a.branch_id', 'in', [...scope])
  const rows = await q.orderBy('a.decided_at').orderBy('a.id').execute()
  return rows.map((r) => ({
    applicationId: r.id,
    loanId: r.loan_id,
    branchId: r.branch_id,
    month: shanghaiMonth(r.decided_at!),
    decision: { relief: r.relief, programme: r.programme, terms: r.terms },
    outstandingPrincipalFen: BigInt(r.principal),
    incentiveClaimedBefore: r.claimed_before === true,
  }))
}

/**
 * The instants bounding months `from`…`to` (`YYYY-MM`, inclusive) in Asia/Shanghai: the first
 * instant of `from`, and the first after `to`.
 */
export function monthRange(from: string, to: string): { readonly start: Date; readonly end: Date } {
  const startOf = (date: CalendarDate): Date => new Date(toEpochDay(date) * 86_400_000 - SHANGHAI_UTC_OFFSET_MINUTES * 60_000)
  return { start: startOf(parseDate(`${from}-01`)), end: startOf(addMonths(parseDate(`${to}-01`), 1)) }
}

/** The Asia/Shanghai month (`YYYY-MM`) of an instant. */
const shanghaiMonth = (at: Date): string => todayIn(at).slice(0, 7)
