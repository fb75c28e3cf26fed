import type { AdverseAction, LoanClassification, ProtectionBasis } from '@sme/contracts'
import type { CalendarDate, Citation, LocalizedText } from '@sme/domain'


/**
 * What a reason must bring: documents core banking names by kind and reference (an investigation
 * report, a court ruling, the borrower's signed application …). The guard does not read them; it
 * records that they were cited, so a supervisor can ask for each.
 */
export type EvidenceKind =
  | 'investigation-report'
  | 'funds-flow-record'
  | 'asset-transfer-record'
  | 'financial-analysis'
  | 'court-document'
  | 'borrower-application'

/**
 * A reason core banking may give for an adverse action (POLICY §4).
 *
 * - `substantive`: a reason that is not the epidemic's temporary effect. It justifies the actions
 *   listed in `justifies` against a protected borrower when every kind of `evidence` is cited; when
 *   `review` is `risk-officer` it is a judgement (deterioration "shown by data") and the check
 *   escalates instead of allowing.
 * - `epidemic-effect`: the crisis's temporary effect (a revenue drop, arrears during the epidemic).
 *   Recorded and reported, but it never justifies an action against a protected borrower.
 *
 * `shownBy: 'days-past-due'` marks a reason the guard verifies against core banking's own data: a
 * downgrade to the classification floor the loan's days past due already impose.
 */
export interface GuardReason {
  readonly code: string
  readonly kind: 'substantive' | 'epidemic-effect'
  readonly text: LocalizedText
  readonly justifies: readonly AdverseAction[]
  readonly evidence: readonly EvidenceKind[]
  readonly review: 'none' | 'risk-officer'
  readonly shownBy?: 'days-past-due'
}

/** A classification floor by days past due: at `minDaysPastDue` or more, a loan is at least `classification`. */
export interface ClassificationFloor {
  readonly minDaysPastDue: number
  readonly classification: LoanClassification
}

/**
 * The "no blind withdrawal" policy as dated, versioned data: who is protected and for how long, the
 * reasons catalogue, and how long a verdict holds. A verdict names the version it was judged under,
 * so it replays the same.
 */
export interface GuardPolicy {
  readonly id: string
  readonly version: number
  /** First and last day in force (Asia/Shanghai), inclusive; `null` while open-ended. */
  readonly effectiveFrom: CalendarDate
  readonly effectiveTo: CalendarDate | null
  readonly title: LocalizedText
  /** The POLICY clause implemented, cited by every rule a verdict reports. */
  readonly clause: string
  readonly citations: readonly Citation[]
  readonly protection: {
    /** Which bases protect a borrower under this version. */
    readonly bases: readonly ProtectionBasis[]
    /** Grades scoring gives viable firms: with a temporary-shock hardship signal they are "affected viable SMEs". */
    readonly viableGrades: readonly string[]
    /** How long a score keeps a firm protected after its as-of day, days. */
    readonly scoreValidityDays: number
    /** Days an approved relief decision keeps protecting after the end of its terms (deferTo, new maturity). */
    readonly reliefTailDays: number
  }
  readonly reasons: readonly GuardReason[]
  /** Floors of the five-tier classification by days past due, most severe first. */
  readonly classificationFloors: readonly ClassificationFloor[]
  /** How long a verdict may be relied on, hours: core banking asks again after that. */
  readonly verdictValidityHours: number
}

/** The version of the policy in force on `date`: the highest version whose window holds it, or null. */
export function policyOn(policies: readonly GuardPolicy[], date: CalendarDate): GuardPolicy | null {
  let found: GuardPolicy | null = null
  for (const p of policies) {
    if (date < p.effectiveFrom || (p.effectiveTo !== null && date > p.effectiveTo)) continue
    if (found === null || p.version > found.version) found = p
  }
  return found
}
