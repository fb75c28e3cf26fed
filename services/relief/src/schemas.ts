import Type, { type Static } from 'typebox'
import { SME_INDUSTRIES } from '@sme/domain'
import { BorrowerId, BranchId, enumOf, Fen, FinalOutcome, FreeText, IsoDate, LineText, Localized, LoanId, PolicyRef, Programme, ReliefBorrower, ReliefDecidedV2, ReliefRequest, Terms, Uscc, Uuid } from '@sme/contracts'
import { GUARANTEE_KINDS, HARDSHIP_SIGNALS, LOAN_CLASSIFICATIONS, LOAN_PRODUCTS, PERSON_ROLES, RELIEF_KINDS } from '@sme/contracts/vocabulary'
import { CursorQuery, NextCursor } from '@sme/kit'
import { FOLLOW_UP_REASONS, LOAN_BOOK_FIELDS, RULE_IDS } from './domain/index.js'
import { PolicyRecord } from './policy-records.js'
import { APPLICATION_STATUSES } from './store/tables.js'

/**
 * The wire forms of the relief service (HTTP bodies and event payloads), the single source of the
 * route validation, the OpenAPI document and the event JSON Schemas. Money is integer fen as a
 * decimal string (JSON numbers lose precision beyond 2^53; no coercion from numbers); rates are
 * basis points; dates are Asia/Shanghai calendar dates (`YYYY-MM-DD`).
 */

export { BranchId, DeferralRequest, ExtensionRequest, Fen, FinalOutcome, IsoDate, PolicyRef, Programme, ReliefRequest, RenewalRequest, Terms, Uscc } from '@sme/contracts'

export const Enterprise = Type.Object(
  {
    uscc: Uscc,
    name: LineText(200, 'Registered name of the enterprise'),
    industry: enumOf(SME_INDUSTRIES, 'Industry of the SME size standard (POLICY §1)'),
    employees: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, description: 'Persons employed; omit when unknown (the size is then unknown, never guessed)' })),
    revenueFen: Type.Optional({ ...Fen, description: 'Operating revenue of the last year, fen' }),
    assetsFen: Type.Optional({ ...Fen, description: 'Total assets, fen' }),
    regionCode: Type.String({ pattern: '^[0-9]{6}$', description: 'GB/T 2260 region where the enterprise operates (42xxxx: Hubei)' }),
  },
  { additionalProperties: false },
)

export const Person = Type.Object(
  {
    borrowerId: { ...BorrowerId, description: 'Core banking’s pseudonymous id of the person (as in loans.events.v1); an id holding a resident identity number is refused (422)' },
    role: enumOf(PERSON_ROLES, 'small-business-owner (小微企业主), individual-business (个体工商户 without a USCC), farmer (农户), truck-driver (货车司机): the programmes cover persons by the roles their texts name'),
    regionCode: Type.String({ pattern: '^[0-9]{6}$', description: 'GB/T 2260 region where the person does business' }),
    businessLoan: Type.Boolean({ description: 'The loan finances the person’s business (经营性贷款), not a home or consumption: several notices cover only business loans' }),
  },
  { additionalProperties: false, description: 'A natural-person borrower, known by a pseudonym: never the name or the identity number' },
)

export const Loan = Type.Object(
  {
    loanId: LoanId,
    product: enumOf(LOAN_PRODUCTS),
    outstandingPrincipalFen: Fen,
    startDate: IsoDate,
    maturityDate: { ...IsoDate, description: 'Current maturity, including extensions already granted' },
    rateBp: Type.Integer({ minimum: 0, maximum: 100_000, description: 'Annual contract rate, basis points' }),
    guarantee: Type.Object(
      {
        kind: enumOf(GUARANTEE_KINDS, 'none (信用), guarantee (保证), collateral (抵押), pledge (质押)'),
        guarantorConsent: Type.Boolean({ description: 'The security provider consented in writing to the change asked for' }),
        consentInContract: Type.Optional(
          Type.Boolean({ description: 'The security contract already agrees to extensions of the loan (已有约定的，按照约定执行); absent: not agreed' }),
        ),
      },
      { additionalProperties: false },
    ),
    classification: enumOf(LOAN_CLASSIFICATIONS, 'Five-category risk classification'),
    daysPastDue: Type.Integer({ minimum: 0, maximum: 100_000 }),
    totalCreditFen: { ...Fen, description: 'Total credit granted to the borrower across the bank (单户授信总额), fen' },
    previousExtensionDays: Type.Integer({ minimum: 0, maximum: 36_500, description: 'Days earlier extensions added to the original maturity' }),
  },
  { additionalProperties: false },
)

/** POST /applications: one relief application from core banking (or an officer). */
export const ApplicationBody = Type.Object(
  {
    branchId: BranchId,
    initiatedBy: Type.Union([Type.Literal('borrower'), Type.Literal('bank')], { description: 'The 2020-06 mandatory grant holds only when the borrower applies' }),
    enterprise: Type.Optional({ ...Enterprise, description: 'The borrowing enterprise (individual businesses with a USCC included); exactly one of `enterprise` and `person`' }),
    person: Type.Optional({ ...Person, description: 'A natural-person borrower; exactly one of `enterprise` and `person`' }),
    loan: Loan,
    request: ReliefRequest,
    hardship: Type.Object({ declared: Type.Boolean(), text: FreeText({ maxLength: 2000, description: 'The borrower’s own words' }) }, { additionalProperties: false }),
    documents: Type.Optional(
      Type.Object(
        {
          outstanding: Type.Array(LineText(100, 'A document of the bank’s checklist, by the bank’s name for it'), { maxItems: 50, uniqueItems: true }),
          dueBy: { ...IsoDate, description: 'The day the bank agreed with the borrower to have them by; after the application date' },
        },
        {
          additionalProperties: false,
          description:
            'Documents not yet supplied (容缺办理). Where the programme lets them follow (2022-11-14 notice) the relief is decided without them and they are tracked to their due day; elsewhere the application is referred to an officer',
        },
      ),
    ),
    commitments: Type.Object({ keepJobs: Type.Boolean(), keepGuarantee: Type.Boolean() }, { additionalProperties: false }),
  },
  { additionalProperties: false },
)
export type ApplicationInput = Static<typeof ApplicationBody>

export const ApplicationStatus = enumOf(APPLICATION_STATUSES)
export const Outcome = Type.Union([Type.Literal('APPROVED'), Type.Literal('DECLINED'), Type.Literal('REFERRED')])

export const Accepted = Type.Object({
  id: Uuid,
  status: ApplicationStatus,
  applicationDate: IsoDate,
  answerBy: { ...IsoDate, description: 'The bank answers by this date (限时回复)' },
})

// ---------------------------------------------------------------------------------------------
// Decisions: the domain's Decision as JSON (no bigint inside: fen in details are strings).

export const RuleResult = Type.Object({
  scope: Type.String({ description: '`application` or the policy record applied' }),
  rule: enumOf(RULE_IDS),
  result: Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('not-applicable')]),
  effect: Type.Union([Type.Literal('decline'), Type.Literal('refer'), Type.Literal('inform')]),
  code: Type.String({ description: 'Stable reason code' }),
  text: Localized,
  clause: Type.String(),
  details: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()])),
})
export const Reason = Type.Object({ scope: Type.String(), rule: Type.Union([Type.String(), Type.Null()]), code: Type.String(), text: Localized })

/** What scoring told the decision (or that it did not answer). */
export const ScoringInput = Type.Object({
  available: Type.Boolean(),
  reason: Type.Optional(Type.String({ description: 'timeout | scoring-failed | not-scored (a natural person), when not available' })),
  detail: Type.Optional(Type.String()),
  scoreId: Type.Optional(Type.String()),
  score: Type.Optional(Type.Integer()),
  grade: Type.Optional(Type.String()),
  pdPpm: Type.Optional(Type.Integer({ description: 'Probability of default, parts per million' })),
  hardship: Type.Optional(enumOf(HARDSHIP_SIGNALS)),
  modelId: Type.Optional(Type.String()),
  modelVersion: Type.Optional(Type.String()),
  figures: Type.Optional(
    Type.Object(
      {
        revenue12mFen: Type.Union([Fen, Type.Null()], { description: 'Revenue declared to the tax bureau over the 12 months before the score' }),
        employees: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'Insured employees, latest recent month' }),
      },
      { description: 'The size figures the scored data shows, compared with the application (rule FIGURES_CONSISTENT); absent when scoring did not report them' },
    ),
  ),
})

/** How the application compared with core banking's loan book (loans.events.v1) at the decision. */
export const LoanBookCheck = Type.Union([
  Type.Object({ known: Type.Literal(false, { description: 'Core banking has not published this loan' }) }, { additionalProperties: false }),
  Type.Object(
    {
      known: Type.Literal(true),
      sequence: Type.Integer({ minimum: 1, description: "Core banking's per-loan sequence of the position compared" }),
      asOf: Type.String({ format: 'date-time', description: 'When core banking booked that position' }),
      matches: Type.Boolean({ description: 'The application agrees with the books on every field compared' }),
      differences: Type.Array(
        Type.Object(
          {
            field: enumOf(LOAN_BOOK_FIELDS),
            application: Type.Union([Type.String(), Type.Integer()], { description: 'As the application states it (fen as a decimal string)' }),
            loanBook: Type.Union([Type.String(), Type.Integer()], { description: 'As the books have it' }),
          },
          { additionalProperties: false },
        ),
      ),
    },
    { additionalProperties: false },
  ),
])

export const DecisionView = Type.Object({
  outcome: Outcome,
  mandatory: Type.Boolean({ description: 'The mandatory grant applies: no rule or officer may decline it' }),
  trigger: Type.String({ description: 'score | scoring-failed | timeout | intake (a natural person, decided without a score)' }),
  decidedAt: Type.String({ format: 'date-time' }),
  scoring: ScoringInput,
  programme: Programme,
  size: Type.String(),
  borrowerKind: Type.String({ description: 'enterprise, individual-business (a USCC of category 92) or person' }),
  personRole: Type.Optional(enumOf(PERSON_ROLES)),
  rules: Type.Array(RuleResult, { description: "Every rule's result, in a fixed order" }),
  reasons: Type.Array(Reason),
  terms: Type.Union([Terms, Type.Null()]),
  policyVersions: Type.Array(PolicyRef, { description: 'The policy versions the decision used (replay uses exactly these)' }),
  loanBook: Type.Union([LoanBookCheck, Type.Null()], { description: 'The application checked against core banking’s books (loans.events.v1) when it was decided; null for decisions older than the check' }),
})

export const ProposalView = Type.Object({
  id: Uuid,
  outcome: FinalOutcome,
  reason: Type.String(),
  overturns: Type.Union([FinalOutcome, Type.Null()], { description: 'The automated outcome this proposal overturns, if any' }),
  status: Type.Union([Type.Literal('pending'), Type.Literal('confirmed'), Type.Literal('superseded'), Type.Literal('rejected')]),
  applicationVersion: Type.Integer(),
  proposedBy: Type.String(),
  proposedAt: Type.String({ format: 'date-time' }),
  confirmedBy: Type.Union([Type.String(), Type.Null()]),
  confirmedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  rejectedBy: Type.Union([Type.String(), Type.Null()]),
  rejectedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  rejectionReason: Type.Union([Type.String(), Type.Null()]),
})

/** Why: a reason kept with the change and in the audit trail. */
export const ReasonBody = Type.Object({ reason: FreeText({ minLength: 1, maxLength: 2000, description: 'Why: kept in the audit trail' }) }, { additionalProperties: false })

export const ApplicationSummary = Type.Object({
  id: Uuid,
  status: ApplicationStatus,
  version: Type.Integer({ description: 'Row version; send it back as applicationVersion to act on what you saw' }),
  branchId: Type.String(),
  uscc: Type.Union([Type.String(), Type.Null()], { description: 'The enterprise’s code; null for a natural person' }),
  enterpriseName: Type.Union([Type.String(), Type.Null()], { description: 'null for a natural person' }),
  borrower: ReliefBorrower,
  loanId: Type.String(),
  relief: enumOf(RELIEF_KINDS),
  applicationDate: IsoDate,
  answerBy: IsoDate,
  overdue: Type.Boolean({ description: 'Past the answer deadline and not final' }),
  receivedAt: Type.String({ format: 'date-time' }),
  automatedOutcome: Type.Union([Outcome, Type.Null()], { description: 'What the rules decided (REFERRED: left to officers); null while awaiting the score' }),
  finalOutcome: Type.Union([FinalOutcome, Type.Null()], { description: 'The outcome that stands, by the rules or on review; null until final' }),
  decidedBy: Type.Union([Type.Literal('rules'), Type.Literal('review'), Type.Null()], { description: 'Who made the outcome final; null until final' }),
  revision: Type.Integer({ description: 'Final decisions published for the application (2 after an overturn)' }),
  pendingProposal: Type.Union([Type.Object({ id: Uuid, outcome: FinalOutcome, proposedBy: Type.String() }), Type.Null()], {
    description: 'The proposal awaiting a supervisor’s confirmation',
  }),
})

export const FollowUpView = Type.Object(
  {
    reason: enumOf(FOLLOW_UP_REASONS, 'overdue-during-relief, classification-worsened, written-off or documents-overdue'),
    raisedAt: Type.String({ format: 'date-time' }),
    eventId: Type.String({ description: 'The core system’s id of the loan event that showed it (`documents-due:<day>` for documents past their day)' }),
    details: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), { description: 'The books’ figures, the relief’s end and the class it left' }),
  },
  { additionalProperties: false },
)

export const DocumentsView = Type.Object(
  {
    outstanding: Type.Array(Type.String(), { description: 'Every document the relief was granted without' }),
    dueBy: { ...IsoDate, description: 'The day they are due' },
    basis: Type.String({ description: 'programme allows them to follow (容缺办理), or mandatory grant' }),
    received: Type.Array(Type.Object({ name: Type.String(), receivedAt: Type.String({ format: 'date-time' }), receivedBy: Type.String() }, { additionalProperties: false })),
    remaining: Type.Array(Type.String()),
    status: Type.Union([Type.Literal('complete'), Type.Literal('outstanding'), Type.Literal('overdue')], { description: 'overdue: the day after dueBy with any still missing (a follow-up is raised)' }),
  },
  { additionalProperties: false },
)

export const ApplicationView = Type.Object({
  ...ApplicationSummary.properties,
  submittedBy: Type.String(),
  scoringStatus: Type.String({ description: 'pending | received | failed | timed-out | not-requested (a natural person: the platform scores enterprises)' }),
  decidedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  application: ApplicationBody,
  automatedDecision: Type.Union([DecisionView, Type.Null()], { description: 'The rules’ decision, every rule explained; its outcome is `automatedOutcome`, which review may have overturned; null while awaiting the score' }),
  finalDecision: Type.Union([ReliefDecidedV2.schema, Type.Null()], {
    description: 'The decision that stands, exactly as last published on relief.decisions.v2 (terms granted, reasons, review; for an enterprise v1 says the same with its USCC); null until final',
  }),
  proposals: Type.Array(ProposalView),
  documentsToFollow: Type.Union([DocumentsView, Type.Null()], { description: 'Documents the granted relief was given without (容缺办理), as the branch receives them; null when none' }),
  followUps: Type.Array(FollowUpView, {
    description: 'Material changes of the loan during the granted relief, raised from core banking’s loan stream (密切监测): an officer follows up; the decision stands',
  }),
})

/** The filters and paging of the application lists. */
export const ListQuery = Type.Object(
  {
    status: Type.Optional(ApplicationStatus),
    overdue: Type.Optional(Type.Boolean({ description: 'true: past the answer deadline and not final (most urgent first); false: the others' })),
    branchId: Type.Optional(BranchId),
    uscc: Type.Optional(Uscc),
    borrowerId: Type.Optional({ ...BorrowerId, description: 'A natural person’s applications, by core banking’s pseudonym' }),
    loanId: Type.Optional(LoanId),
    from: Type.Optional({ ...IsoDate, description: 'Applications dated on or after this day' }),
    to: Type.Optional({ ...IsoDate, description: 'Applications dated on or before this day' }),
    followUp: Type.Optional(Type.Boolean({ description: 'true: a follow-up was raised during the granted relief (core banking shows the loan overdue, worse classified or written off); false: the others' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    cursor: Type.Optional(CursorQuery),
  },
  { additionalProperties: false },
)

export const ApplicationPage = Type.Object({
  asOf: Type.String({ format: 'date' }),
  applications: Type.Array(ApplicationSummary),
  nextCursor: NextCursor,
})

export const AuditEntry = Type.Object({
  seq: Type.String(),
  at: Type.String({ format: 'date-time' }),
  actor: Type.String(),
  action: Type.String(),
  applicationId: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
})

// ---------------------------------------------------------------------------------------------
// Review

export const ProposalBody = Type.Object(
  {
    outcome: FinalOutcome,
    reason: FreeText({ minLength: 1, maxLength: 2000, description: 'Why: kept with the proposal and in the audit trail' }),
    applicationVersion: Type.Optional(Type.Integer({ minimum: 1, description: 'Refuse (409) unless the application is still at this version' })),
  },
  { additionalProperties: false },
)

// ---------------------------------------------------------------------------------------------
// Policies

const PolicyId = Type.String({ pattern: '^[a-z0-9][a-z0-9.-]{0,63}$' })

export const PolicyPost = Type.Object(
  {
    status: Type.Literal('draft', {
      description: 'Always draft: stored for what-if runs, never used for live decisions until an admin other than its author activates it (four eyes)',
    }),
    policy: PolicyRecord,
  },
  { additionalProperties: false },
)

export const PolicyVersionView = Type.Object({
  kind: Type.String(),
  id: Type.String(),
  version: Type.Integer(),
  status: Type.Union([Type.Literal('draft'), Type.Literal('active')]),
  effectiveFrom: IsoDate,
  effectiveTo: Type.Union([IsoDate, Type.Null()]),
  title: Localized,
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  activatedBy: Type.Union([Type.String(), Type.Null()]),
  activatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  definition: Type.Record(Type.String(), Type.Unknown(), { description: 'The full record, as posted (see PolicyPost: one of the five kinds; fen as decimal strings)' }),
})

/** GET /policies/calendar: the versions in force, period by period. */
export const PolicyCalendarView = Type.Object(
  {
    from: IsoDate,
    to: IsoDate,
    periods: Type.Array(
      Type.Object(
        {
          from: { ...IsoDate, description: 'First day of the period, included' },
          to: { ...IsoDate, description: 'Last day of the period, included' },
          records: Type.Array(
            Type.Object(
              {
                kind: Type.String(),
                id: Type.String(),
                version: Type.Integer(),
                title: Localized,
                source: Type.String(),
                corrects: Type.Union([Type.Array(Type.Integer()), Type.Null()], { description: 'The versions this one corrects' }),
              },
              { additionalProperties: false },
            ),
            { description: 'In force over the whole period, by kind then id' },
          ),
          problem: Type.Union([Type.String(), Type.Null()], { description: 'Why no decision can be made on these days, or null' }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)

// ---------------------------------------------------------------------------------------------
// Replay and what-if

export const MAX_WHAT_IF = 5000

export const WhatIfBody = Type.Object(
  {
    drafts: Type.Optional(Type.Array(Type.Object({ id: PolicyId, version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }), { maxItems: 50, description: 'Stored draft versions to lay over the active ones' })),
    versions: Type.Optional(Type.Array(PolicyRecord, { maxItems: 20, description: 'Versions given inline (not stored), laid over the active ones' })),
    applicationIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: MAX_WHAT_IF })),
    from: Type.Optional({ ...IsoDate, description: 'First application date (inclusive)' }),
    to: Type.Optional({ ...IsoDate, description: 'Last application date (inclusive)' }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_WHAT_IF, default: 1000 })),
  },
  { additionalProperties: false },
)
