import type { CalendarDate } from '@sme/domain'
import type { DocumentsToFollow, RuleResult } from './decision.js'
import { pass, rule } from './rules/common.js'

/**
 * Documents to follow (容缺办理). An application may name the documents of the bank's checklist the
 * borrower has not supplied yet, and the day the bank agreed with the borrower to have them by.
 * Where the programme lets them follow (the 2022-11-14 notice: 容缺办理), the relief is decided
 * without them; elsewhere documents outstanding refer the application to an officer (the evidence
 * is missing), unless a mandatory grant stands without them, which then tracks them the same way.
 * Applications that name no documents (all of them before this rule) are decided without it, so
 * their decisions replay unchanged.
 */

/** The documents an application names as outstanding, and when they are due. */
export interface OutstandingDocuments {
  readonly outstanding: readonly string[]
  readonly dueBy: CalendarDate
}

/** The rule over the documents outstanding, in `scope`, where they may or may not follow. */
export function documentsRule(scope: string, clause: string, documents: OutstandingDocuments, mayFollow: boolean): RuleResult {
  const details = { outstanding: documents.outstanding.length, documents: documents.outstanding.join(','), mayFollow, dueBy: documents.dueBy }
  if (documents.outstanding.length === 0) return rule(scope, 'DOCUMENTS_COMPLETE', 'pass', 'refer', 'RL_DOCUMENTS_COMPLETE', clause, details)
  return rule(scope, 'DOCUMENTS_COMPLETE', pass(mayFollow), 'refer', mayFollow ? 'RL_DOCUMENTS_TO_FOLLOW' : 'RL_DOCUMENTS_MISSING', clause, details)
}

/**
 * What the granted terms say of the documents outstanding: due by the agreed day, because the
 * programme lets them follow or because a mandatory grant stands without them; `undefined` when
 * nothing is outstanding or they may not follow.
 */
export function documentsToFollow(documents: OutstandingDocuments | undefined, mayFollow: boolean, mandatory: boolean): DocumentsToFollow | undefined {
  if (documents === undefined || documents.outstanding.length === 0 || (!mayFollow && !mandatory)) return undefined
  return { outstanding: [...documents.outstanding], dueBy: documents.dueBy, basis: mayFollow ? 'programme allows them to follow' : 'mandatory grant' }
}

/** Where documents to follow stand on `today`: those still outstanding, and whether they are late. */
export interface DocumentsStanding {
  readonly remaining: readonly string[]
  readonly status: 'complete' | 'outstanding' | 'overdue'
}

/** Complete once every document is received; overdue the day after `dueBy` while any is missing. */
export function documentsStanding(toFollow: DocumentsToFollow, received: readonly string[], today: CalendarDate): DocumentsStanding {
  const got = new Set(received)
  const remaining = toFollow.outstanding.filter((name) => !got.has(name))
  return { remaining, status: remaining.length === 0 ? 'complete' : today > toFollow.dueBy ? 'overdue' : 'outstanding' }
}
