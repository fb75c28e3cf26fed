import { sql } from 'kysely'
import type { BranchScope } from '@sme/kit'
import type { CalendarDate } from '@sme/domain'
import type { GuardDb } from './tables.js'

/** One line of the supervisor report: the verdicts of a branch on one action in one period. */
export interface ReportLine {
  readonly period: string
  readonly branchId: string
  readonly action: string
  readonly checks: number
  readonly allowed: number
  readonly blocked: number
  readonly escalated: number
  /** Escalated checks two risk officers allowed. */
  readonly overridden: number
  /** Escalated checks a risk officer did not allow. */
  readonly upheld: number
}

/**
 * The verdicts by branch, action and period (Asia/Shanghai days or months) between `from` and `to`
 * (inclusive days), in the caller's branches: what a supervisor asks of the guard ("every verdict is
 * recorded and reportable to supervisors", POLICY §4). Counted in PostgreSQL, by the branch and time
 * index, never row by row here.
 */
export async function verdictReport(db: GuardDb, query: { from: CalendarDate; to: CalendarDate; period: 'day' | 'month'; branches: BranchScope }): Promise<ReportLine[]> {
  const format = query.period === 'month' ? 'YYYY-MM' : 'YYYY-MM-DD'
  const local = sql`(${sql.ref('decided_at')} at time zone 'Asia/Shanghai')`
  const start = sql<Date>`(${query.from}::date::timestamp at time zone 'Asia/Shanghai')`
  const end = sql<Date>`((${query.to}::date + 1)::timestamp at time zone 'Asia/Shanghai')`
  let q = db
    .selectFrom('verdicts')
    .select([
      sql<string>`to_char(${local}, ${format})`.as('period'),
      'branch_id',
      'action',
      sql<string>`count(*) filter (where origin = 'check')`.as('checks'),
      sql<string>`count(*) filter (where origin = 'check' and outcome = 'ALLOW')`.as('allowed'),
      sql<string>`count(*) filter (where origin = 'check' and outcome = 'BLOCK')`.as('blocked'),
      sql<string>`count(*) filter (where origin = 'check' and outcome = 'ESCALATE')`.as('escalated'),
      sql<string>`count(*) filter (where origin = 'review' and outcome = 'ALLOW')`.as('overridden'),
      sql<string>`count(*) filter (where origin = 'review' and outcome = 'BLOCK')`.as('upheld'),
    ])
    .where('decided_at', '>=', start)
    .where('decided_at', '<', end)
  if (query.branches !== 'all') q = q.where('branch_id', '=', sql<string>`any(${[...query.branches]})`)
  const rows = await q.groupBy([sql`1`, 'branch_id', 'action']).orderBy(sql`1`).orderBy('branch_id').orderBy('action').execute()
  return rows.map((r) => ({
    period: r.period,
    branchId: r.branch_id,
    action: r.action,
    checks: Number(r.checks),
    allowed: Number(r.allowed),
    blocked: Number(r.blocked),
    escalated: Number(r.escalated),
    overridden: Number(r.overridden),
    upheld: Number(r.upheld),
  }))
}

export const REPORT_COLUMNS = ['period', 'branch_id', 'action', 'checks', 'allowed', 'blocked', 'escalated', 'overridden', 'upheld'] as const

export function reportRows(lines: readonly ReportLine[]): (string | number)[][] {
  return lines.map((l) => [l.period, l.branchId, l.action, l.checks, l.allowed, l.blocked, l.escalated, l.overridden, l.upheld])
}
