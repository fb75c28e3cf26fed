import Type, { type Static } from 'typebox'
import { defineEvent } from '@sme/events'
import { PERSON_ROLES, RELIEF_KINDS } from './vocabulary.js'
import { BorrowerId, BranchId, enumOf, Fen, IsoDate, Localized, Uscc } from './wire.js'

/**
 * The relief context's published language: final decisions on relief applications
 * (`relief.decisions.v2`, and `relief.decisions.v1` for enterprises), with the request and the terms
 * granted in the same shapes core banking submits them in. Pricing, the guard and claims consume these.
 */

/** A final outcome (`FINAL_OUTCOMES`). */
export const FinalOutcome = Type.Union([Type.Literal('APPROVED'), Type.Literal('DECLINED')])
export type FinalOutcome = Static<typeof FinalOutcome>

export const DeferralRequest = Type.Object(
  {
    kind: Type.Literal('deferral'),
    principal: Type.Boolean(),
    interest: Type.Boolean(),
    deferTo: IsoDate,
    principalDueDate: Type.Optional(IsoDate),
    interestDueDate: Type.Optional(IsoDate),
  },
  { additionalProperties: false, title: 'deferral', description: 'Deferral of principal and/or interest (延期还本付息)' },
)
export const ExtensionRequest = Type.Object(
  { kind: Type.Literal('extension'), newMaturity: IsoDate },
  { additionalProperties: false, title: 'extension', description: 'Extension of the maturity (展期)' },
)
export const RenewalRequest = Type.Object(
  {
    kind: Type.Literal('renewal'),
    withoutPrincipalRepayment: Type.Boolean({ description: '无还本续贷' }),
    newMaturity: IsoDate,
    standing: Type.Object(
      { lawfulAndStable: Type.Boolean(), fundsDiverted: Type.Boolean(), interestUnpaid: Type.Boolean(), debtEvasion: Type.Boolean() },
      { additionalProperties: false, description: "The borrower's conduct, attested from the bank's records" },
    ),
  },
  { additionalProperties: false, title: 'renewal', description: 'Renewal (续贷)' },
)
export const ReliefRequest = Type.Union([DeferralRequest, ExtensionRequest, RenewalRequest])

export const PolicyRef = Type.Object({ kind: Type.String(), id: Type.String(), version: Type.Integer() })
export const Programme = Type.Union([Type.Object({ kind: Type.String(), id: Type.String(), version: Type.Integer(), title: Localized }), Type.Null()])
const DueShift = Type.Union([Type.Object({ dueDate: IsoDate, deferredTo: IsoDate }), Type.Null()])
export const Terms = Type.Union(
  [
    Type.Object(
      {
        kind: Type.Literal('deferral'),
        principal: DueShift,
        interest: DueShift,
        effects: Type.Object({
          penaltyInterestWaived: Type.Boolean(),
          noDowngradeForEpidemicAlone: Type.Boolean(),
          creditReportOnAdjustedSchedule: Type.Boolean(),
          overdueDaysOnRevisedSchedule: Type.Boolean(),
          interestAccrual: Type.Union([Type.Literal('normal'), Type.Literal('per-contract')]),
          documentsMayFollow: Type.Boolean(),
          dueDiligenceExemption: Type.Optional(Type.Boolean({ description: 'Staff who granted it with due diligence are exempt from liability (尽职免责)' })),
        }),
        creditReporting: Type.Optional(
          Type.Array(
            Type.Object({
              amount: Type.Union([Type.Literal('principal'), Type.Literal('interest')]),
              contractDueDate: IsoDate,
              reportedDueDate: { ...IsoDate, description: 'The due date core banking reports to the credit reference centre' },
              schedule: Type.Union([Type.Literal('adjusted'), Type.Literal('contract')]),
              overdueEntry: Type.Boolean({ description: 'An overdue entry before the reported due date: never on the adjusted schedule' }),
            }),
            { description: 'What core banking reports to the credit reference centre for each deferred amount (不影响征信记录)' },
          ),
        ),
        classification: Type.Optional(
          Type.Object(
            {
              before: Type.String(),
              after: Type.String({ description: 'The five-tier class the loan keeps or takes' }),
              floor: Type.String({ description: 'The floor of its days past due under the 2023 classification rules' }),
              daysPastDue: Type.Integer(),
              basis: Type.String(),
            },
            { description: 'No downgrade for the epidemic alone; the overdue-day floors still apply' },
          ),
        ),
        pbocIncentive: Type.Optional(
          Type.Object(
            {
              eligible: Type.Boolean(),
              reason: Type.String({ description: 'eligible, not-a-local-legal-person-bank, principal-not-deferred or deferral-shorter-than-minimum' }),
              deferredPrincipalFen: Fen,
              rateBp: Type.Integer(),
              incentiveFen: { ...Fen, description: 'deferredPrincipalFen × rateBp / 10,000, rounded half up to the fen; 0 when not eligible' },
              deferToAtLeast: Type.Union([IsoDate, Type.Null()]),
              oncePerLoan: Type.Literal(true),
            },
            { description: 'The PBoC deferral incentive the bank earns (local legal-person banks; once per loan)' },
          ),
        ),
        documentsToFollow: Type.Optional(
          Type.Object(
            {
              outstanding: Type.Array(Type.String()),
              dueBy: { ...IsoDate, description: 'The day the bank agreed with the borrower to have them by' },
              basis: Type.String({ description: 'programme allows them to follow (容缺办理), or mandatory grant' }),
            },
            { description: 'Documents the relief was granted without, due later (容缺办理)' },
          ),
        ),
      },
      { title: 'deferral terms' },
    ),
    Type.Object(
      {
        kind: Type.Literal('extension'),
        previousMaturity: IsoDate,
        newMaturity: IsoDate,
        extensionDays: Type.Integer(),
        cumulativeExtensionDays: Type.Integer(),
        maxCumulativeExtensionDays: Type.Integer(),
        latestMaturity: IsoDate,
        termClass: Type.String(),
        termClassAfterExtension: Type.String(),
        newRateTierFrom: Type.Union([IsoDate, Type.Null()], { description: 'The new rate tier applies from this date (pricing sets the rate)' }),
        classification: Type.Optional(
          Type.Object(
            {
              before: Type.String(),
              after: Type.String({ description: 'The five-tier class the extended loan takes' }),
              floor: Type.String({ description: 'The floor of its days past due' }),
              daysPastDue: Type.Integer(),
              financialDifficulty: Type.Array(Type.String(), { description: 'Signs of financial difficulty found: overdue, non-performing, hardship-declared, hardship-signal' }),
              restructured: Type.Boolean({ description: 'A restructured asset: the contract changed in favour of a debtor in financial difficulty' }),
              rules: Type.Union([Type.String(), Type.Null()], { description: 'The classification rules applied (title, number, article)' }),
              restructuredFloor: Type.Union([Type.String(), Type.Null()], { description: 'The least severe class of a restructured loan under those rules' }),
              observation: Type.Union([
                Type.Object({ minimumMonths: Type.Integer(), minimumRepaymentPeriods: Type.Union([Type.Integer(), Type.Null()]) }, { description: 'Not upgraded for this long, from the first repayment after the change' }),
                Type.Null(),
              ]),
              basis: Type.String(),
            },
            { description: 'The classification effect: a restructured asset under the rules in force on the decision date, or the overdue-day floor alone' },
          ),
        ),
      },
      { title: 'extension terms' },
    ),
    Type.Object(
      {
        kind: Type.Literal('renewal'),
        withoutPrincipalRepayment: Type.Boolean(),
        newMaturity: IsoDate,
        signContractBy: Type.Union([IsoDate, Type.Null()]),
        renewedClassification: Type.Union([Type.Literal('normal'), Type.Literal('on-repayment-capacity')]),
        dueDiligenceExemption: Type.Optional(Type.Boolean({ description: 'Staff who renewed with due diligence are exempt from liability (尽职免责)' })),
      },
      { title: 'renewal terms' },
    ),
  ],
  { description: 'Granted terms and their effects (penalty interest waived, no downgrade for the epidemic alone, credit report on the adjusted schedule)' },
)

/** Which application and which of its final decisions (both versions of the decision event open with these). */
const applicationFields = {
  applicationId: Type.String({ format: 'uuid' }),
  revision: Type.Integer({ minimum: 1, description: 'Final decisions of this application so far; the highest one holds' }),
}

/** What every final decision says, whoever borrows (both versions of the decision event). */
const decisionFields = {
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
      'The granted terms (APPROVED), computed by the rules, also when officers approve a referral; null when DECLINED. Review never approves a decline of the rules (a decline rests on hard rules), so an approval always carries its terms',
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
}

/**
 * A final relief decision (APPROVED or DECLINED) on an enterprise's loan, by the rules or by officer
 * review (maker-checker). Referrals are not published: they are the bank's internal work until an
 * officer decides. An overturn after review publishes the application again with `revision` 2;
 * consumers keep the highest revision per application. Natural persons' decisions, which have no
 * USCC, are published on `relief.decisions.v2` only; this version goes on for enterprises.
 */
export const ReliefDecided = defineEvent({
  type: 'sme.relief.decided.v1',
  topic: 'relief.decisions.v1',
  summary: 'A relief application of an enterprise was finally decided (by the rules or by officer review), with the granted terms and the reasons',
  keyDescription: "the enterprise's USCC",
  schema: Type.Object(
    {
      ...applicationFields,
      uscc: Uscc,
      ...decisionFields,
    },
    { additionalProperties: false },
  ),
  keyOf: (d) => d.uscc,
})
export type ReliefDecidedData = Static<(typeof ReliefDecided)['schema']>

/** Who borrowed: an enterprise by its USCC, or a natural person by core banking's pseudonym and role. */
export const ReliefBorrower = Type.Union(
  [
    Type.Object({ kind: Type.Literal('enterprise'), uscc: Uscc }, { additionalProperties: false, title: 'enterprise' }),
    Type.Object(
      {
        kind: Type.Literal('person'),
        borrowerId: BorrowerId,
        role: enumOf(PERSON_ROLES, 'small-business owner (小微企业主), individual business (个体工商户), farmer (农户), truck driver (货车司机)'),
      },
      { additionalProperties: false, title: 'natural person' },
    ),
  ],
  { description: 'The borrower: an enterprise, or a natural person known by a pseudonymous id (never the identity number)' },
)
export type ReliefBorrower = Static<typeof ReliefBorrower>

/**
 * A final relief decision, whoever borrows: version 2 names the borrower as an enterprise or a
 * natural person and is keyed by the loan (one application's decisions stay in order: an application
 * is for one loan). Every final decision is published here; enterprises' also on
 * `relief.decisions.v1`, with the same application id and revision.
 */
export const ReliefDecidedV2 = defineEvent({
  type: 'sme.relief.decided.v2',
  topic: 'relief.decisions.v2',
  summary: 'A relief application was finally decided (by the rules or by officer review), for an enterprise or a natural person, with the granted terms and the reasons',
  keyDescription: "the loan id (core banking's)",
  schema: Type.Object(
    {
      ...applicationFields,
      borrower: ReliefBorrower,
      ...decisionFields,
    },
    { additionalProperties: false },
  ),
  keyOf: (d) => d.loanId,
})
export type ReliefDecidedV2Data = Static<(typeof ReliefDecidedV2)['schema']>

/** Every event the relief context publishes. */
export const reliefEvents = [ReliefDecided, ReliefDecidedV2] as const
