import type { CalendarDate, SmeSize, TermClass } from '@sme/domain'
import type { LoanClassification, PersonRole, ReliefKind } from '@sme/contracts/vocabulary'
import type { RestructuringEffect } from './classification.js'
import type { DeferralEffects, PolicyVersionRef } from './policy.js'
import type { LocalizedText, ReasonCode, RuleId } from './reasons.js'

/** The three outcomes. REFERRED goes to an officer; it is never a silent decline. */
export const OUTCOMES = ['APPROVED', 'DECLINED', 'REFERRED'] as const
export type Outcome = (typeof OUTCOMES)[number]

/** How one rule went. `not-applicable`: the rule does not concern this application (an unsecured loan has no guarantor). */
export type RuleOutcome = 'pass' | 'fail' | 'not-applicable'

/**
 * What a failure of the rule does: `decline` (a hard rule), `refer` (officer review), `inform`
 * (recorded, never decides by itself).
 */
export type RuleEffect = 'decline' | 'refer' | 'inform'

/** A detail of a rule result: dates as `YYYY-MM-DD`, fen as decimal strings, counts as numbers. */
export type DetailValue = string | number | boolean | null

/** One rule evaluated, with its result and stable reason code. */
export interface RuleResult {
  /** `application` for rules about the whole application, else the id of the policy record applied. */
  readonly scope: string
  readonly rule: RuleId
  readonly result: RuleOutcome
  readonly effect: RuleEffect
  readonly code: ReasonCode
  readonly text: LocalizedText
  /** The POLICY clause the rule implements. */
  readonly clause: string
  /** The facts compared (dates, limits, flags), for the officer and the audit. */
  readonly details: Readonly<Record<string, DetailValue>>
}

/** A reason behind the outcome: a rule result, or the outcome-level `RL_ALL_RULES_PASSED`. */
export interface DecisionReason {
  readonly scope: string
  readonly rule: RuleId | null
  readonly code: ReasonCode
  readonly text: LocalizedText
}

/** Terms of a deferral: each deferred amount's old and new due date, and the programme's effects. */
export interface DeferralTerms {
  readonly kind: 'deferral'
  readonly principal: { readonly dueDate: CalendarDate; readonly deferredTo: CalendarDate } | null
  readonly interest: { readonly dueDate: CalendarDate; readonly deferredTo: CalendarDate } | null
  readonly effects: DeferralEffects
  /** The PBoC incentive the deferral earns the bank, under a programme that has one. */
  readonly pbocIncentive?: PbocIncentive
  /**
   * What core banking reports to the credit reference centre for each deferred amount: on the
   * adjusted schedule with no overdue entry where the programme says so (不影响征信记录), else on
   * the contract's schedule.
   */
  readonly creditReporting?: readonly CreditReportInstruction[]
  /** The five-tier class the loan keeps or takes with the relief, and why. */
  readonly classification?: ClassificationEffect
  /** Documents the relief was granted without, due later (容缺办理). */
  readonly documentsToFollow?: DocumentsToFollow
}

/** Documents of the bank's checklist the relief was granted without, and when they are due. */
export interface DocumentsToFollow {
  readonly outstanding: readonly string[]
  /** The day the bank agreed with the borrower to have them by. */
  readonly dueBy: CalendarDate
  readonly basis: 'programme allows them to follow' | 'mandatory grant'
}

/** One deferred amount as core banking reports it to the credit reference centre. */
export interface CreditReportInstruction {
  readonly amount: 'principal' | 'interest'
  /** Due date under the contract. */
  readonly contractDueDate: CalendarDate
  /** Due date to report: the deferred one on the adjusted schedule, else the contract's. */
  readonly reportedDueDate: CalendarDate
  readonly schedule: 'adjusted' | 'contract'
  /** An overdue entry for this amount before `reportedDueDate`: never on the adjusted schedule. */
  readonly overdueEntry: boolean
}

/**
 * The classification effect of a deferral: the relief does not lower the class for the epidemic
 * alone (不单独因疫情因素下调贷款风险分类), while the overdue-day floors of the 2023 rules still apply to
 * the loan's days past due (POLICY §2).
 */
export interface ClassificationEffect {
  readonly before: LoanClassification
  readonly after: LoanClassification
  /** The floor of the loan's days past due on the application date. */
  readonly floor: LoanClassification
  readonly daysPastDue: number
  readonly basis: 'kept: no downgrade for the epidemic alone' | 'overdue-day floor' | 'classified on repayment capacity'
}

/**
 * The PBoC's deferral incentive for one decision (银发〔2020〕122号; 银发〔2021〕81号: 按照延期贷款本金的1%给予
 * 激励…同一笔贷款只能再获得一次): fen as decimal strings, the amount rounded half up to the fen.
 */
export interface PbocIncentive {
  readonly eligible: boolean
  /** Why not, when not eligible. */
  readonly reason: 'eligible' | 'not-a-local-legal-person-bank' | 'principal-not-deferred' | 'deferral-shorter-than-minimum'
  readonly deferredPrincipalFen: string
  readonly rateBp: number
  /** `deferredPrincipalFen × rateBp / 10,000`, half up; `'0'` when not eligible. */
  readonly incentiveFen: string
  /** The principal must be deferred to at least this date (due date + the minimum months). */
  readonly deferToAtLeast: CalendarDate | null
  /** Claimable once per loan, earlier deferrals included: the register counts a loan once. */
  readonly oncePerLoan: true
}

/** Terms of an extension (POLICY §2, art. 12). Days are actual calendar days. */
export interface ExtensionTerms {
  readonly kind: 'extension'
  readonly previousMaturity: CalendarDate
  readonly newMaturity: CalendarDate
  /** Days this extension adds. */
  readonly extensionDays: number
  /** Days all extensions add to the original maturity, this one included. */
  readonly cumulativeExtensionDays: number
  readonly maxCumulativeExtensionDays: number
  /** Latest maturity any extension may set. */
  readonly latestMaturity: CalendarDate
  /** Class of the original term, which sets the cap. */
  readonly termClass: TermClass
  /** Class of start → new maturity. */
  readonly termClassAfterExtension: TermClass
  /**
   * When the extended term crosses a rate tier, the new tier's rate applies from the extension
   * date (POLICY §2): the previous maturity, where the extension period begins. `null` otherwise.
   * Pricing sets the rate.
   */
  readonly newRateTierFrom: CalendarDate | null
  /**
   * The class the loan takes: a restructured asset when the borrower is in financial difficulty,
   * under the classification rules in force on the decision date. Present under the records that
   * state it (`restructuring`).
   */
  readonly classification?: RestructuringEffect
}

/** Terms of a renewal (POLICY §2). */
export interface RenewalTerms {
  readonly kind: 'renewal'
  readonly withoutPrincipalRepayment: boolean
  readonly newMaturity: CalendarDate
  /** Latest signing date of the new contract (renewal without principal repayment), else `null`. */
  readonly signContractBy: CalendarDate | null
  /**
   * `normal` when every keep-normal condition holds; otherwise the renewed loan is classified on
   * the borrower's repayment capacity by an officer (it must not hide the true condition).
   */
  readonly renewedClassification: 'normal' | 'on-repayment-capacity'
  /** Staff who renewed with due diligence are exempt from liability (尽职免责), where the rules say so. */
  readonly dueDiligenceExemption?: boolean
}

export type ReliefTerms = DeferralTerms | ExtensionTerms | RenewalTerms

export type DecisionSubject =
  | { readonly uscc: string; readonly loanId: string; readonly borrowerId?: undefined }
  | { readonly borrowerId: string; readonly loanId: string; readonly uscc?: undefined }

/**
 * A decision. Plain data (no bigint, no functions): deep-equal for the same input and policy, and
 * JSON-serialisable for storage and events.
 */
export interface Decision {
  readonly outcome: Outcome
  /**
   * The mandatory grant applies (2020-06 programme): the outcome is APPROVED and the service must
   * refuse any override, by rule or officer.
   */
  readonly mandatory: boolean
  /** The loan and its borrower: an enterprise by its USCC, a natural person by core banking's pseudonymous id. */
  readonly subject: DecisionSubject
  readonly relief: ReliefKind
  readonly applicationDate: CalendarDate
  /** The bank's answer deadline (限时回复): application date + the service level in calendar days. */
  readonly answerBy: CalendarDate
  /** The programme or rule set the outcome rests on; `null` when none fits (declined). */
  readonly programme: (PolicyVersionRef & { readonly title: LocalizedText }) | null
  /** `not-applicable` for a natural person. */
  readonly size: SmeSize | 'unknown' | 'not-applicable'
  readonly borrowerKind: 'enterprise' | 'individual-business' | 'person'
  /** A natural person's role (小微企业主, 个体工商户, 农户, 货车司机); only on persons' decisions. */
  readonly personRole?: PersonRole
  /** Every rule evaluated, in a fixed order: application rules, then each record's rules. */
  readonly rules: readonly RuleResult[]
  /** Why the outcome: the hard failures (DECLINED), the referrals (REFERRED), or the grant (APPROVED). */
  readonly reasons: readonly DecisionReason[]
  /** Granted terms (APPROVED) or the terms proposed to the officer (REFERRED); `null` when DECLINED. */
  readonly terms: ReliefTerms | null
  /** The policy versions consulted, ordered by kind then id; replaying under them gives this decision again. */
  readonly policyVersions: readonly PolicyVersionRef[]
}
