import Type, { type Static } from 'typebox'
import { ADVERSE_ACTIONS, Borrower, BranchId, enumOf, Fen, GivenReason, Instant, IsoDate, LOAN_CLASSIFICATIONS, LoanId, Localized, ReadModelAsOf, Uuid } from '@sme/contracts'

/** What core banking asks before an adverse credit action. */
export const CheckBody = Type.Object(
  {
    loanId: LoanId,
    branchId: BranchId,
    borrower: Borrower,
    action: enumOf(ADVERSE_ACTIONS, 'call-early (抽贷), refuse-renewal and freeze-line (断贷), reduce-line (压贷), downgrade-classification'),
    actionDate: { ...IsoDate, description: 'The day the action would be executed (Asia/Shanghai); the protections in force that day count' },
    amountFen: Type.Optional({ ...Fen, description: 'The amount called early, or the cut of the line or loan, fen (required to reduce a line)' }),
    targetClassification: Type.Optional(enumOf(LOAN_CLASSIFICATIONS, 'The class a downgrade would give the loan (required to downgrade)')),
    reasons: Type.Array(GivenReason, { maxItems: 10, description: 'The reasons for the action, each with the documents it rests on (codes: GET /reasons)' }),
    requestedBy: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,63}$', description: 'Who in the bank requests the action: a staff or system id, never a name' }),
  },
  { additionalProperties: false },
)
export type CheckBody = Static<typeof CheckBody>

/** The reasons catalogue as published: what each reason justifies and the evidence it needs. */
export const ReasonsView = Type.Object({
  policy: Type.Object({ id: Type.String(), version: Type.Integer(), effectiveFrom: IsoDate, effectiveTo: Type.Union([IsoDate, Type.Null()]), title: Localized, clause: Type.String() }),
  reasons: Type.Array(
    Type.Object({
      code: Type.String(),
      kind: Type.Union([Type.Literal('substantive'), Type.Literal('epidemic-effect')]),
      text: Localized,
      justifies: Type.Array(enumOf(ADVERSE_ACTIONS)),
      evidence: Type.Array(Type.String()),
      review: Type.Union([Type.Literal('none'), Type.Literal('risk-officer')]),
      shownBy: Type.Optional(Type.Literal('days-past-due')),
    }),
  ),
})

/** What a sweep answers: its outcomes, its first refusals, and on what it was judged. */
export const SweepSummaryView = Type.Object({
  sweepId: Uuid,
  lines: Type.Integer({ minimum: 1, description: 'Checks in the sweep (its non-empty lines)' }),
  outcomes: Type.Object({ ALLOW: Type.Integer(), BLOCK: Type.Integer(), ESCALATE: Type.Integer(), REFUSED: Type.Integer() }, { description: 'Verdicts of each outcome; REFUSED: lines that could not be judged' }),
  refused: Type.Array(Type.Object({ line: Type.Integer({ minimum: 1 }), errors: Type.Array(Type.Object({ field: Type.String(), message: Type.String() })) }), { description: 'The first 100 refused lines, each with the fields at fault (under /line)' }),
  policies: Type.Array(Type.Object({ id: Type.String(), version: Type.Integer() }), { description: 'The guard policy versions the lines were judged under' }),
  readModelAsOf: ReadModelAsOf,
  startedAt: Instant,
  decidedAt: { ...Instant, description: 'When the snapshot of the read model was judged' },
  expiresAt: Type.Union([Instant, Type.Null()], { description: 'Until when the verdicts may be relied on; null when no line was judged' }),
  verdicts: Type.String({ description: 'Where the verdicts stream from (NDJSON)' }),
})
