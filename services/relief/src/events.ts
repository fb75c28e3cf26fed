import Type, { type Static } from 'typebox'
import { defineEvent, EventCatalogue } from '@sme/events'
import { ScoreCompleted, ScoringFailed, ScoringRequested } from '@sme/scoring'
import { RELIEF_KINDS } from './domain/index.js'
import { BranchId, FinalOutcome, IsoDate, PolicyRef, Programme, ReliefRequest, Terms, Uscc } from './schemas.js'

const Localized = Type.Object({ zh: Type.String(), en: Type.String() })

/**
 * A final relief decision (APPROVED or DECLINED), by the rules or by officer review (maker-checker).
 * Referrals are not published: they are the bank's internal work until an officer decides. An
 * overturn after review publishes the application again with `revision` 2; consumers keep the
 * highest revision per application.
 */
export const ReliefDecided = defineEvent({
  type: 'sme.relief.decided.v1',
  topic: 'relief.decisions.v1',
  summary: 'A relief application was finally decided (by the rules or by officer review), with the granted terms and the reasons',
  keyDescription: "the enterprise's USCC",
  schema: Type.Object(
    {
      applicationId: Type.String({ format: 'uuid' }),
      revision: Type.Integer({ minimum: 1, description: 'Final decisions of this application so far; the highest one holds' }),
      uscc: Uscc,
      loanId: Type.String(),
      branchId: BranchId,
      relief: Type.Enum([...RELIEF_KINDS]),
      outcome: FinalOutcome,
      mandatory: Type.Boolean({ description: 'Granted under a mandatory programme (2020-06): it cannot be declined' }),
      decidedBy: Type.Union([Type.Literal('rules'), Type.Literal('review')]),
      decidedAt: Type.String({ format: 'date-time' }),
      applicationDate: IsoDate,
      answerBy: IsoDate,
      programme: Programme,
      request: ReliefRequest,
      terms: Type.Union([Terms, Type.Null()], {
        description:
          'The granted terms (APPROVED); null when DECLINED, and on an officer approval overturning a rules decline, where the relief is granted as requested (`request`)',
      }),
      reasons: Type.Array(Type.Object({ code: Type.String(), text: Localized }), { description: 'Reason codes behind the outcome (zh/en)' }),
      policyVersions: Type.Array(PolicyRef, { description: 'Policy versions the rules applied' }),
      review: Type.Union([
        Type.Object({
          proposalId: Type.String({ format: 'uuid' }),
          overturned: Type.Union([FinalOutcome, Type.Null()], { description: 'The automated outcome the review overturned, if any' }),
        }),
        Type.Null(),
      ]),
    },
    { additionalProperties: false },
  ),
  keyOf: (d) => d.uscc,
})
export type ReliefDecidedData = Static<(typeof ReliefDecided)['schema']>

/** Every event the relief service publishes or consumes. */
export const reliefCatalogue = new EventCatalogue([ScoringRequested, ScoreCompleted, ScoringFailed, ReliefDecided])
