/**
 * Relief decision domain: pure functions from a relief application, the policy versions
 * in force and the scoring answer to an explainable, replayable decision. No I/O, no clock: the
 * application date is a parameter. Units: money in integer fen (`bigint`) on input and decimal
 * strings in decision details, rates in basis points, PD in parts per million, dates as
 * Asia/Shanghai calendar dates (`YYYY-MM-DD`).
 *
 * Typical use (the service layer owns storage, HTTP, Kafka and officer review):
 *
 *     const policy = policyAsOf(versions, applicationDate)        // versions: active records (+ a draft for what-if)
 *     const decision = decide(application, policy, { applicationDate, scoring })
 *     // store decision (its policyVersions); forbid overrides when decision.mandatory
 *     // replay: decide(application, policyAsOf(recordedVersions, applicationDate), context) deep-equals it
 *     // what-if: compareOutcomes(decisionsNow, decisionsUnderDraft)
 *
 * Layout: `decision.ts` (what a decision is), `decide.ts` (the order of precedence over the rule
 * families), `rules/` (application-wide, deferral, extension and renewal rules, one file each, and
 * their common building blocks), `policy.ts` (what a dated policy version is), `policy-set.ts` (the
 * versions in force on a date), `policy-validation.ts`, `default-policies.ts` (the default programmes
 * as reviewable data), `lifecycle.ts` (what may happen to an application afterwards), `loan-book.ts`
 * (the check against core banking's books), `figures-check.ts` (the size figures against the scored
 * data).
 */
export { ReliefError, isReliefError, type ReliefErrorCode, type ValidationIssue } from './errors.js'

export {
  BORROWER_ID,
  assertValidApplication,
  borrowerIssues,
  borrowerRegion,
  originalMaturity,
  validateApplication,
  type DecisionContext,
  type DeferralRequest,
  type EnterpriseApplication,
  type ExtensionRequest,
  type PersonApplication,
  type ReliefApplication,
  type ReliefEnterprise,
  type ReliefPerson,
  type ReliefLoan,
  type ReliefRequest,
  type RenewalRequest,
  type RenewalStanding,
  type ScoringSignal,
} from './application.js'

export { REASON_TEXTS, RULE_IDS, reasonText, type LocalizedText, type ReasonCode, type RuleId } from './reasons.js'

export {
  BANK_PARAMETERS_DEFAULT,
  DEFAULT_POLICY_VERSIONS,
  DEFERRAL_2020_03,
  DEFERRAL_2020_03_V2,
  DEFERRAL_2020_03_V3,
  DEFERRAL_2020_06_V1,
  DEFERRAL_2020_06_V2,
  DEFERRAL_2020_06_V3,
  DEFERRAL_2020_06_V4,
  DEFERRAL_2021_Q1,
  DEFERRAL_2021_Q1_V2,
  DEFERRAL_2021_81,
  DEFERRAL_2021_81_V2,
  DEFERRAL_2022,
  DEFERRAL_2022_V2,
  DEFERRAL_2022_Q4,
  DEFERRAL_2022_Q4_V2,
  DEFERRAL_2022_Q4_V3,
  EXTENSION_RULES_1996,
  EXTENSION_RULES_1996_V2,
  EXTENSION_RULES_1996_V3,
  REFERENCE_DATA_2011,
  RENEWAL_RULES_2014,
  RENEWAL_RULES_2024,
  RENEWAL_RULES_2024_V3,
  RENEWAL_RULES_2024_V4,
  RENEWAL_RULES_2014_V5,
  RENEWAL_RULES_2024_V6,
  DEFERRAL_2022_40,
  deepFreeze,
} from './default-policies.js'
export { compareVersionRefs, isInForce, policyAsOf, versionRef } from './policy-set.js'
export { validatePolicyVersions } from './policy-validation.js'
export {
  inWindow,
  type BankParameters,
  type BorrowerCriterion,
  type DateWindow,
  type DeferralConditions,
  type DeferralEffects,
  type DeferralEligibility,
  type DeferralProgramme,
  type ExtensionCap,
  type ExtensionRules,
  type PolicyKind,
  type PolicyRecordBase,
  type PolicySet,
  type PolicyVersion,
  type PolicyVersionRef,
  type ReferenceData,
  type RenewalRules,
} from './policy.js'

export { extensionLimit } from './extension.js'

export { decide } from './decide.js'
export {
  OUTCOMES,
  type Decision,
  type DecisionReason,
  type DeferralTerms,
  type DocumentsToFollow,
  type DetailValue,
  type ExtensionTerms,
  type Outcome,
  type ReliefTerms,
  type RenewalTerms,
  type RuleEffect,
  type RuleOutcome,
  type RuleResult,
} from './decision.js'

export {
  compareOutcomes,
  type DecisionChange,
  type OutcomeComparison,
  type OutcomeTransition,
  type RuleChange,
  type RuleDifference,
} from './compare.js'

export {
  APPLICATION_STATUSES,
  OPEN_STATUSES,
  REFUSAL_STATUS,
  REFUSALS,
  decideLifecycle,
  reviewReasons,
  type ApplicationState,
  type ApplicationStatus,
  type DecidedBy,
  type FinalOutcome,
  type LifecycleChange,
  type LifecycleCommand,
  type LifecycleResult,
  type ProposalState,
  type RefusalCode,
} from './lifecycle.js'

export { intakeIssues, MAX_PLAUSIBLE_RATE_BP, type IntakeContext } from './intake-checks.js'

export {
  RULE_GROUNDS,
  automatedState,
  reviewScope,
  type BindingRule,
  type DiscretionaryGround,
  type HardGround,
  type ReviewScope,
} from './discretion.js'

export {
  checkAgainstLoanBook,
  LOAN_BOOK_FIELDS,
  type ApplicationLoanFacts,
  type LoanBookCheck,
  type LoanBookDifference,
  type LoanBookField,
  type LoanBookPosition,
} from './loan-book.js'

export {
  COMPARISON_FLOOR,
  IMPLAUSIBLE_FACTOR,
  checkFigures,
  ordersApart,
  type FiguresCheck,
  type FiguresComparison,
  type FiguresField,
  type ObservedSizeFigures,
} from './figures-check.js'
export {
  MAX_CALENDAR_DAYS,
  policyCalendar,
  policyCalendarCsv,
  policyCalendarMarkdown,
  type CalendarEntry,
  type CalendarPeriod,
} from './policy-calendar.js'
export { correctionEffects, type CorrectionEffect } from './correction-effects.js'
export { classificationFloor, financialDifficultySigns, restructuringEffect, worseClassification, type FinancialDifficultySign, type RestructuringEffect } from './classification.js'
export { reliefRegister, reliefRegisterCsv, type GrantedRelief, type RegisterLine } from './relief-register.js'
export { FOLLOW_UP_REASONS, classAfterRelief, followUpsFor, reliefEndsOn, type FollowUp, type FollowUpReason, type GrantedTerms } from './follow-up.js'
export { documentsRule, documentsStanding, documentsToFollow, type DocumentsStanding, type OutstandingDocuments } from './documents.js'
