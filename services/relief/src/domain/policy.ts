import type { CalendarDate, Citation, InclusiveLoanRules, SmeSize, SmeSizeTable, TermClass } from '@sme/domain'
import type { HardshipSignal, LoanClassification, LoanProduct, PersonRole, ReliefKind } from '@sme/contracts/vocabulary'
import type { LocalizedText } from './reasons.js'

/**
 * Policy as dated data (POLICY preamble: "every number here is a parameter of a dated, versioned
 * policy record, never a constant in code"). Each record is plain data with an id, a version and an
 * effective period; {@link policyAsOf} picks the versions in force on an application date, and a
 * decision records which ones it used, so it can be replayed under exactly those, or re-run under a
 * draft version for a what-if report.
 *
 * All dates are Asia/Shanghai calendar dates, windows are inclusive at both ends (POLICY writes
 * them "2020-06-01…2020-12-31"), money is integer fen.
 */

/** An inclusive date window; `to: null` is open-ended ("due on/after 2020-01-25"). */
export interface DateWindow {
  readonly from: CalendarDate
  readonly to: CalendarDate | null
}

/** Is `date` within `window`, both ends included? */
export function inWindow(date: CalendarDate, window: DateWindow): boolean {
  return date >= window.from && (window.to === null || date <= window.to)
}

/** An official text a record implements, and the words of the clause it applies (one type for every service's records). */
export type { Citation }

/** Fields every policy record has. */
export interface PolicyRecordBase {
  /** Stable id of the record across versions, e.g. `deferral-2020-06`. */
  readonly id: string
  /**
   * Positive integer. When several versions of one id are in force on a date, the highest applies:
   * a later version supersedes an earlier one from its own `effectiveFrom` (so a draft can be laid
   * over the active versions for a what-if run without editing them).
   */
  readonly version: number
  /** First day in force (Asia/Shanghai), inclusive: applications dated on or after it use the record. */
  readonly effectiveFrom: CalendarDate
  /** Last day in force, inclusive; `null` while open-ended. */
  readonly effectiveTo: CalendarDate | null
  readonly title: LocalizedText
  /** The POLICY clause the record implements, cited by every rule result it produces. */
  readonly clause: string
  /** The official source (notice and number) or the bank's own decision. */
  readonly source: string
  /** The official texts the record implements, each with the clause quoted; absent for the bank's own records. */
  readonly citations?: readonly Citation[]
  /**
   * This version corrects earlier versions of the same record that misread their source: the
   * corrected versions no longer apply to new decisions on any date (a correction may start later
   * than what it corrects, when the earlier version was in force before its text was announced),
   * while decisions made under them keep replaying under them (they name them).
   */
  readonly corrects?: {
    readonly versions: readonly number[]
    readonly reason: string
    /**
     * The correction concerns natural-person borrowers only: an enterprise's application is decided
     * the same under it as under the versions it corrects, so no enterprise's change is laid to it.
     */
    readonly naturalPersonsOnly?: boolean
  }
}

/**
 * Who a deferral programme covers (POLICY §1, §2): `sme` medium, small and micro enterprises and
 * individual businesses; `small-micro` small and micro enterprises and individual businesses;
 * `inclusive-small-micro` inclusive small/micro loans (普惠小微: total credit ≤ the reference cap,
 * borrower small, micro or an individual business); `persons-only` no enterprise: the text names
 * natural persons alone (银保监办发〔2022〕40号: 货车司机), in `persons`.
 */
export type BorrowerCriterion = 'sme' | 'small-micro' | 'inclusive-small-micro' | 'persons-only'

/**
 * Which dates make a loan eligible. `amounts-due`: the due date of each amount deferred must be in
 * its window (2020-03: principal due on/after 2020-01-25, interest due 2020-01-25…2020-06-30).
 * `loan-maturity`: the loan's maturity must be in the window ("loans maturing …"); its principal
 * and interest may then be deferred.
 */
export type DeferralEligibility =
  | { readonly basis: 'amounts-due'; readonly principalDue: DateWindow; readonly interestDue: DateWindow }
  | {
      readonly basis: 'loan-maturity'
      readonly maturity: DateWindow
      /**
       * Interest payable in this window may be deferred whatever the loan's maturity (122号: 对于2020年
       * 6月1日至12月31日普惠小微贷款应付利息…); absent: interest only with a loan maturing in `maturity`.
       */
      readonly interestDue?: DateWindow
    }

/**
 * The natural persons a text names among the borrowers it covers, and on which of their loans:
 * `businessLoansOnly` where it says 经营性贷款 (122号: 个体工商户和小微企业主经营性贷款), not where it
 * names their loans whatever the purpose (国发〔2022〕12号: 个体工商户贷款、货车司机贷款).
 */
export interface PersonScope {
  readonly roles: readonly { readonly role: PersonRole; readonly businessLoansOnly: boolean }[]
  /**
   * The text names them for the principal only (6号: 困难中小微企业（含小微企业主、个体工商户）贷款本金, while
   * its interest clause says 中小微企业): a person's interest deferral goes to an officer. Absent: both.
   */
  readonly principalOnly?: boolean
  /** The words of the text that name them, quoted in Chinese. */
  readonly quote: string
}

/** Rules of a deferral programme the bank and the firm may go beyond by agreement. */
export type NegotiableRule = 'BORROWER_ELIGIBLE' | 'DUE_DATE_WINDOW' | 'DEFERRAL_LIMIT'

/**
 * What a programme leaves to agreement between the bank and the firm (自主协商, 另外的延期安排): an
 * application that fails only the `rules` named here, from a borrower of `borrowers` whose loan
 * matures in `maturity`, is referred to an officer with the reason, never declined automatically.
 */
export interface NegotiableScope {
  /** `sme`: medium, small and micro enterprises and individual businesses; `any`: large firms too. */
  readonly borrowers: 'sme' | 'any'
  /** Maturities covered; `null`: any. */
  readonly maturity: DateWindow | null
  readonly rules: readonly NegotiableRule[]
  /** The clause, quoted in Chinese. */
  readonly quote: string
}

/** Conditions a programme asks of the application; `false` = not a condition of this programme. */
export interface DeferralConditions {
  /** The borrower applied itself (2020-06: "when the borrower applies"). */
  readonly borrowerApplication: boolean
  /** Effective guarantee kept or substituted, with the security provider's consent. */
  readonly effectiveGuarantee: boolean
  /** Commitment to keep jobs stable. */
  readonly jobsCommitment: boolean
  /** Hardship declared (programmes for enterprises "in temporary difficulty"). */
  readonly hardshipDeclared: boolean
}

/** What an approved deferral does to the loan (POLICY §2, "Effects common to all"). */
export interface DeferralEffects {
  /** No penalty interest (罚息) on the deferred amounts. */
  readonly penaltyInterestWaived: boolean
  /** The risk classification is not downgraded because of the epidemic alone. */
  readonly noDowngradeForEpidemicAlone: boolean
  /** The credit report follows the adjusted schedule: no adverse entry for the deferred amounts. */
  readonly creditReportOnAdjustedSchedule: boolean
  /** Overdue-day classification floors still apply, counted on the revised schedule. */
  readonly overdueDaysOnRevisedSchedule: boolean
  /**
   * Interest during the deferral: `normal` where the programme states normal interest accrues
   * (2022-Q4, 正常计息); `per-contract` where the notice is silent (interest is deferred, not waived).
   */
  readonly interestAccrual: 'normal' | 'per-contract'
  /** Missing documents may be supplied after the decision (容缺办理, 2022-Q4). */
  readonly documentsMayFollow: boolean
  /**
   * The notice asks banks to exempt staff who granted the relief with due diligence from liability
   * (尽职免责, 2022-Q4): the decision records it. Absent: the notice says nothing.
   */
  readonly dueDiligenceExemption?: boolean
  /**
   * The granted terms state, for each deferred amount, what core banking reports to the credit
   * reference centre, and the classification the loan keeps or takes. The records from the
   * corrections of December 2026 on say so; decisions under earlier records replay without them.
   */
  readonly instructionsOnTerms?: boolean
}

/** A temporary deferral programme (延期还本付息), POLICY §2. */
export interface DeferralProgramme extends PolicyRecordBase {
  readonly kind: 'deferral-programme'
  /**
   * Region-code prefixes (GB/T 2260) the programme is limited to (`['42']` Hubei, `['4201']`
   * Wuhan): a firm elsewhere is not eligible. Absent or empty: nationwide.
   */
  readonly regions?: readonly string[]
  readonly borrowers: {
    readonly criterion: BorrowerCriterion
    /**
     * Natural persons the programme covers (for `inclusive-small-micro`, within the total-credit cap
     * too). Absent: none; the records before natural persons were decided here have none.
     */
    readonly persons?: PersonScope
    /**
     * Region-code prefixes (GB/T 2260) where **all** enterprises qualify whatever their size:
     * `['42']` = Hubei for the 2020-03 programme.
     */
    readonly allEnterprisesInRegions: readonly string[]
  }
  readonly eligibility: DeferralEligibility
  /**
   * Latest date amounts may be deferred to, inclusive; `null` where the text sets none
   * (40号: 视情合理给予延期): the officer agrees the date, so a deferral is referred.
   */
  readonly deferUntilLatest: CalendarDate | null
  /**
   * The limit holds "in principle" (原则上): a deferral beyond it is referred to an officer, not
   * declined. Absent: a firm limit.
   */
  readonly deferUntilLatestInPrinciple?: boolean
  /** What the programme leaves to agreement; absent: nothing. */
  readonly negotiable?: NegotiableScope
  /**
   * The PBoC's incentive for local legal-person banks (普惠小微企业贷款延期还本付息支持工具): `rateBp`
   * of the deferred principal for a deferral of at least `minDeferralMonths`, once per loan.
   * Absent: the programme has none.
   */
  readonly pbocIncentive?: { readonly rateBp: number; readonly minDeferralMonths: number }
  readonly conditions: DeferralConditions
  /**
   * The bank must grant the deferral when the borrower is eligible, the dates fit and every
   * condition holds; then neither a rule (a weak score) nor an officer may decline it.
   */
  readonly mandatory: boolean
  readonly effects: DeferralEffects
}

/**
 * A cap on cumulative extension: a fraction of the original term, or calendar years.
 * `term-fraction` counts the term in actual days (the first reading of art. 12, kept for replays);
 * `term-months` counts it as the contract does, in calendar months and residual days
 * (see `addTermFraction` of `@sme/domain` for month ends and fractions of a month).
 */
export type ExtensionCap =
  | { readonly kind: 'term-fraction'; readonly numerator: number; readonly denominator: number }
  | { readonly kind: 'term-months'; readonly numerator: number; readonly denominator: number }
  | { readonly kind: 'calendar-years'; readonly years: number }

/**
 * "国家另有规定者除外" (art. 12): where the state provides otherwise, its caps replace art. 12's for the
 * loans it names: loans whose current maturity is in `maturity`, in the regions listed (GB/T 2260
 * prefixes of the firm's region code; empty = everywhere).
 */
export interface ExtensionException {
  readonly id: string
  readonly title: LocalizedText
  /** The state provision, cited (title, number, date). */
  readonly source: string
  readonly maturity: DateWindow
  readonly regions: readonly string[]
  readonly caps: Readonly<Record<TermClass, ExtensionCap>>
}

/** Extension rules (展期), General Rules on Loans art. 12 (POLICY §2). */
export interface ExtensionRules extends PolicyRecordBase {
  readonly kind: 'extension-rules'
  /**
   * The application must be dated at least this many days before the current maturity: `1` =
   * strictly before the maturity date (art. 12 "在贷款到期日之前"); a bank may ask for more.
   */
  readonly applyDaysBeforeMaturity: number
  /** Cumulative caps by the class of the original term (short ≤ 1 year, medium ≤ 5, long > 5). */
  readonly caps: Readonly<Record<TermClass, ExtensionCap>>
  /** Written consent of the guarantor, mortgagor or pledgor is required (secured loans). */
  readonly guarantorConsentRequired: boolean
  /**
   * Consent already given in the security contract counts (art. 12: 已有约定的，按照约定执行).
   * Absent: only consent given for this change counts.
   */
  readonly contractConsentCounts?: boolean
  /** State provisions that replace the caps for the loans they name; absent or empty: none. */
  readonly stateExceptions?: readonly ExtensionException[]
  /**
   * The classification rules for restructured assets, by period: an extension granted to a
   * borrower in financial difficulty is a restructuring (a change of the contract in the debtor's
   * favour), and the granted terms state the class the loan takes under the rules in force on the
   * decision date. Absent: the terms say nothing of classification (decisions of earlier versions
   * replay without it).
   */
  readonly restructuring?: readonly RestructuringRegime[]
}

/**
 * How restructured assets are classified over one period (POLICY §2 Risk classification): the class
 * a restructured loan takes at least, and the observation period during which it is not upgraded.
 */
export interface RestructuringRegime {
  readonly effective: DateWindow
  /** The rules and their article (title, number). */
  readonly source: string
  /**
   * The least severe class of a restructured loan: substandard under the 2007 guidelines (需要重组的
   * 贷款应至少归为次级类), special-mention under the 2023 rules for loans normal or special-mention before
   * (重组后应至少归为关注类); a loan already worse keeps its class (not upgraded during observation).
   */
  readonly floor: LoanClassification
  /** The observation period, at least this many months, during which the class is not raised. */
  readonly observationMonths: number
  /** …and at least this many repayment periods from the first repayment after the change; `null`: months only. */
  readonly observationRepaymentPeriods: number | null
}

/** Renewal rules (续贷, 无还本续贷), POLICY §2. */
export interface RenewalRules extends PolicyRecordBase {
  readonly kind: 'renewal-rules'
  readonly withoutPrincipalRepayment: {
    /** Products that may be renewed without repaying principal (working capital). */
    readonly products: readonly LoanProduct[]
    /** Enterprise sizes always eligible (small, micro). */
    readonly sizes: readonly SmeSize[]
    /** Individual businesses (个体工商户) eligible whatever their size. */
    readonly individualBusinesses: boolean
    /**
     * The business loans (经营性贷款) of individual businesses qualify whatever their product, not only
     * working capital (金规〔2024〕13号: 小微企业主、个体工商户及农户经营性贷款). Absent: the products list only.
     */
    readonly individualBusinessLoansAnyProduct?: boolean
    /**
     * Natural persons whose loans may be renewed this way (13号: 小微企业主、个体工商户及农户经营性贷款),
     * whatever the product when the loan is of a kind named. Absent: none.
     */
    readonly persons?: PersonScope
    /**
     * Medium enterprises, for loans maturing before `maturityBefore` (strictly before, or on that
     * day too when `includingThatDay`: 13号's "2027年9月30日前到期" counts 30 September 2027 in);
     * `null` when medium enterprises are not eligible.
     */
    readonly mediumEnterprises: { readonly maturityBefore: CalendarDate; readonly includingThatDay?: boolean } | null
    /**
     * The conditions the text puts on the debtor: it applied itself (经其主动申请) and is in temporary
     * funding difficulty (临时存在资金困难). Not met: referred. Absent: not conditions.
     */
    readonly conditions?: { readonly borrowerApplication: boolean; readonly temporaryDifficulty: boolean }
    /** The notice asks banks to exempt staff who renewed with due diligence (尽职免责): recorded on the terms. */
    readonly dueDiligenceExemption?: boolean
    /**
     * The new contract must be signed at least this many days before the old loan matures: `1` =
     * strictly before the maturity date ("signed before the old loan matures").
     */
    readonly signDaysBeforeMaturity: number
  }
}

/** The bank's own parameters (POLICY §2 限时回复; referral thresholds). */
export interface BankParameters extends PolicyRecordBase {
  readonly kind: 'bank-parameters'
  /** Service level: the bank answers within this many calendar days of the application date. */
  readonly answerDeadlineDays: number
  /** An application is referred to an officer, never auto-declined, when the score misses these. */
  readonly referral: {
    /** Lowest score approved automatically (points of the scorecard in force). */
    readonly minScore: number
    /** Highest probability of default approved automatically, parts per million. */
    readonly maxPdPpm: number
    /** Grades always referred, whatever the score. */
    readonly referGrades: readonly string[]
    /** Hardship signals approved automatically, by relief kind; any other signal is referred. */
    readonly autoApproveHardship: Readonly<Record<ReliefKind, readonly HardshipSignal[]>>
  }
  /** "Meets lending standards" for the renewal keep-normal test (POLICY §2). */
  readonly lendingStandards: {
    readonly minScore: number
    readonly maxPdPpm: number
  }
  /**
   * The start of the crisis whose hardship the scoring service measures, against the firm's own
   * figures before it (POLICY §6). Absent: the scoring service's default (2020-01-25, the 2020
   * programmes). A later wave (the 2022-Q4 programme's, say) is a version of this record from the
   * day it applies, naming its own start.
   */
  readonly crisisStart?: CalendarDate
  /**
   * The bank is a local legal-person bank (城市商业银行、农村商业银行、农村合作银行、村镇银行、农村信用社、
   * 民营银行), the kind the PBoC's deferral incentive is for. Absent: it is not.
   */
  readonly localLegalPersonBank?: boolean
}

/** Reference data used by every decision (POLICY §1). */
export interface ReferenceData extends PolicyRecordBase {
  readonly kind: 'reference-data'
  /** The SME size standard in force. */
  readonly smeSizeTable: SmeSizeTable
  /** The inclusive small/micro category (total credit cap, fen). */
  readonly inclusiveLoan: InclusiveLoanRules
  /** Genuine USCCs known to fail a check, each with the documented reason (POLICY §1). */
  readonly usccExceptions: readonly { readonly code: string; readonly reason: string }[]
}

export type PolicyVersion = DeferralProgramme | ExtensionRules | RenewalRules | BankParameters | ReferenceData
export type PolicyKind = PolicyVersion['kind']

/** Which version of which record: what a decision records, and all a replay needs to look up. */
export interface PolicyVersionRef {
  readonly kind: PolicyKind
  readonly id: string
  readonly version: number
}

/** The versions in force on one date, ready for {@link decide}. */
export interface PolicySet {
  readonly asOf: CalendarDate
  /** In force on `asOf`, ordered by `effectiveFrom`, then id. */
  readonly deferralProgrammes: readonly DeferralProgramme[]
  readonly extension: ExtensionRules | null
  readonly renewal: RenewalRules | null
  readonly bank: BankParameters
  readonly reference: ReferenceData
  /** Every version in the set, ordered by kind then id. */
  readonly versions: readonly PolicyVersionRef[]
}
