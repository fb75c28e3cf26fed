import { branchScopeOf, decodeCursor, pageOf, type Principal } from '@sme/kit'
import type { Static } from 'typebox'
import type { ApplicationPage, ListQuery } from '../schemas.js'
import { LIST_CURSOR_PARTS, listApplications, listCursorKey, type ListFilter } from '../store/applications.js'
import type { ReliefDb } from '../store/tables.js'
import { applicationSummary } from '../views.js'

/**
 * One page of applications for the list routes: the caller's branches, the query's filters, the
 * route's own (status, overdue, review queue) and order; `nextCursor` when more follow.
 */
export async function listPage(
  db: ReliefDb,
  principal: Principal,
  query: Partial<Static<typeof ListQuery>>,
  today: string,
  route: Pick<ListFilter, 'statuses' | 'overdue' | 'reviewQueue' | 'order'>,
): Promise<Static<typeof ApplicationPage>> {
  const limit = query.limit ?? 100
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, LIST_CURSOR_PARTS[route.order])
  const rows = await listApplications(db, {
    ...route,
    branches: branchScopeOf(principal),
    branchId: query.branchId,
    uscc: query.uscc,
    borrowerId: query.borrowerId,
    loanId: query.loanId,
    from: query.from,
    to: query.to,
    followUp: query.followUp,
    limit: limit + 1,
    after,
  })
  const page = pageOf(rows, limit, (row) => listCursorKey(row, route.order))
  return { asOf: today, applications: page.rows.map((r) => applicationSummary(r, today)), nextCursor: page.nextCursor }
}
