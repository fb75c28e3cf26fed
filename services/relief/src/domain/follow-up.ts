import type { CalendarDate } from '@sme/domain'
import { LOAN_CLASSIFICATIONS, type LoanClassification } from '@sme/contracts/vocabulary'
import type { ReliefTerms } from './decision.js'
import type { LoanBookPosition } from './loan-book.js'

/**
 * Follow-up of granted relief (银保监发〔2020〕6号: 对延期还本付息的贷款…专门统计、密切监测; POLICY §2): while a
 * relief runs, core banking's loan stream is watched, and a material change of the loan raises a
 * follow-up for the branch — the borrower overdue on the revised schedule, a class worse than the one
 * the relief left, a write-off — and documents the relief was granted without (容缺办理) still
 * outstanding past the day they were due. A follow-up changes no decision; it asks an officer to look.
 */

/** Why a granted relief needs following up. */
export const FOLLOW_UP_REASONS = ['overdue-during-relief', 'classification-worsened', 'written-off', 'documents-overdue'] as const
export type FollowUpReason = (typeof FOLLOW_UP_REASONS)[number]

/** A granted relief, as the follow-up reads it. */
export interface GrantedTerms {
  /** The day the relief was decided (Asia/Shanghai). */
  readonly decidedOn: CalendarDate
  readonly terms: ReliefTerms
  /** The loan's class as the application stated it. */
  readonly classification: LoanClassification
}

export interface FollowUp {
  readonly reason: FollowUpReason
  /** The books' figures that raised it, and what the relief left. */
  readonly details: Readonly<Record<string, string | number>>
}

/** The last day a relief runs: the latest deferred due date, or the new maturity. */
export function reliefEndsOn(terms: ReliefTerms): CalendarDate {
  switch (terms.kind) {
    case 'deferral': {
      const ends = [terms.principal?.deferredTo, terms.interest?.deferredTo].filter((x): x is CalendarDate => x !== undefined)
      return ends.reduce((a, b) => (b > a ? b : a))
    }
    case 'extension':
    case 'renewal':
      return terms.newMaturity
  }
}

/** The class the relief left the loan in: the one its terms state, else the application's (a renewal kept normal stays normal). */
export function classAfterRelief(granted: GrantedTerms): LoanClassification {
  const { terms } = granted
  if (terms.kind === 'renewal') return terms.renewedClassification === 'normal' ? 'normal' : granted.classification
  return terms.classification?.after ?? granted.classification
}

/**
 * The follow-ups a position of the loan book raises for a granted relief: none before the relief was
 * decided or after it ended (`positionOn` outside `decidedOn`…end), else one per material change.
 */
export function followUpsFor(granted: GrantedTerms, position: LoanBookPosition, positionOn: CalendarDate): FollowUp[] {
  const endsOn = reliefEndsOn(granted.terms)
  if (positionOn < granted.decidedOn || positionOn > endsOn) return []
  const out: FollowUp[] = []
  const window = { reliefEndsOn: endsOn, sequence: position.sequence, asOf: position.asOf }
  if (position.status === 'written-off') out.push({ reason: 'written-off', details: { ...window, status: position.status } })
  if (position.daysPastDue > 0) out.push({ reason: 'overdue-during-relief', details: { ...window, daysPastDue: position.daysPastDue } })
  const after = classAfterRelief(granted)
  if (LOAN_CLASSIFICATIONS.indexOf(position.classification) > LOAN_CLASSIFICATIONS.indexOf(after)) {
    out.push({ reason: 'classification-worsened', details: { ...window, classificationAfterRelief: after, classification: position.classification } })
  }
  return out
}
