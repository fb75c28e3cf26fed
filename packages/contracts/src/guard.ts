import Type, { type Static } from 'typebox'
import { defineEvent } from '@sme/events'
import { Borrower } from './loans.js'
import { ADVERSE_ACTIONS, GUARD_OUTCOMES, LOAN_CLASSIFICATIONS, PROTECTION_BASES } from './vocabulary.js'
import { BranchId, enumOf, Fen, Instant, IsoDate, LoanId, Localized, Uuid } from './wire.js'

/**
 * The guard's published language (`guard.verdicts.v1`): every verdict on an adverse credit action
 * (POLICY §4), whether the check answered it or a risk officer decided an escalated check. Keyed by
 * the loan, so one loan's verdicts stay in order.
 */

/** A reason core banking gives for the action, with the documents it cites by kind and its own reference. */
export const GivenReason = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9-]{0,63}$', description: "A code of the guard's reasons catalogue (GET /reasons)" }),
    evidence: Type.Array(
      Type.Object(
        {
          kind: Type.String({ pattern: '^[a-z][a-z0-9-]{0,63}$', description: 'The kind of document the catalogue asks for, e.g. court-document' }),
          ref: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}$', description: "Core banking's reference to the document" }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 20 },
    ),
  },
  { additionalProperties: false },
)

/** One rule that fired, with its stable code and its text in Chinese and English. */
export const FiredRuleView = Type.Object(
  {
    code: Type.String({ description: 'not-protected, protected, protection-expired, reason-substantive, reason-needs-review, reason-epidemic-effect, reason-not-for-action, reason-unknown, evidence-missing, not-shown-by-data, no-substantive-reason, override, review-upheld' }),
    text: Localized,
    basis: Type.Optional(enumOf(PROTECTION_BASES)),
    ref: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String()),
    missing: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: false },
)

/** A protection the borrower had on the action's day (or one that had ended), with its basis and period. */
export const ProtectionView = Type.Object(
  {
    basis: enumOf(PROTECTION_BASES),
    ref: Type.String({ description: 'relief:<application>@<revision>, score:<id> or list:<name>' }),
    from: IsoDate,
    until: Type.Union([IsoDate, Type.Null()]),
    active: Type.Boolean({ description: 'In force on the action day; false: ended before it' }),
  },
  { additionalProperties: false },
)

/**
 * What the guard knew: for each source, the time of the last event of it the read model had applied
 * (null: none yet), so an auditor can see whether a verdict was judged on stale data.
 */
export const ReadModelAsOf = Type.Object(
  {
    relief: Type.Union([Instant, Type.Null()]),
    scoring: Type.Union([Instant, Type.Null()]),
    loans: Type.Union([Instant, Type.Null()]),
    keyLists: Type.Union([Instant, Type.Null()]),
  },
  { additionalProperties: false },
)

export const VerdictData = Type.Object(
  {
    verdictId: Uuid,
    checkId: { ...Uuid, description: 'The check answered; a risk officer’s decision on an escalated check keeps its check id' },
    origin: Type.Union([Type.Literal('check'), Type.Literal('review')]),
    loanId: LoanId,
    branchId: BranchId,
    borrower: Borrower,
    action: enumOf(ADVERSE_ACTIONS),
    actionDate: IsoDate,
    amountFen: Type.Union([{ ...Fen, description: 'The amount called, or the cut of the line, fen' }, Type.Null()]),
    targetClassification: Type.Union([enumOf(LOAN_CLASSIFICATIONS), Type.Null()]),
    reasons: Type.Array(GivenReason),
    outcome: enumOf(GUARD_OUTCOMES),
    rules: Type.Array(FiredRuleView),
    protections: Type.Array(ProtectionView),
    policy: Type.Object({ id: Type.String(), version: Type.Integer() }, { additionalProperties: false }),
    readModelAsOf: ReadModelAsOf,
    requestedBy: Type.String({ description: 'Who in core banking asked (a staff or system id, never a name)' }),
    decidedAt: Instant,
    expiresAt: { ...Instant, description: 'Core banking asks again after this' },
  },
  { additionalProperties: false },
)
export type VerdictData = Static<typeof VerdictData>

export const GuardVerdictIssued = defineEvent({
  type: 'sme.guard.verdict-issued.v1',
  topic: 'guard.verdicts.v1',
  summary: 'The guard answered a check before an adverse credit action, or a risk officer decided an escalated one: the verdict, every rule that fired, the protections and what the guard knew',
  keyDescription: "the loan id (core banking's)",
  schema: VerdictData,
  keyOf: (d) => d.loanId,
})

/** Every event the guard publishes. */
export const guardEvents = [GuardVerdictIssued] as const
