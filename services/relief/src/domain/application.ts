import { SME_INDUSTRIES, addDays, isCalendarDate, type BasisPoints, type CalendarDate, type Fen, type SmeIndustry } from '@sme/domain'
import { ReliefError, type ValidationIssue } from './errors.js'
import type { OutstandingDocuments } from './documents.js'
import type { ObservedSizeFigures } from './figures-check.js'

/**
 * What core banking submits for one loan (intake), and what the scoring service answered.
 * All dates are Asia/Shanghai calendar dates; money in integer fen; rates in basis points.
 */

// The vocabularies the relief rules share with the other contexts (loan products, security kinds,
// the five-tier classification, scoring's hardship signal, the kinds of relief) are the platform's
// published words: one list, in @sme/contracts/vocabulary, which imports nothing. Domain modules
// import them from there directly.
import {
  GUARANTEE_KINDS,
  HARDSHIP_SIGNALS,
  LOAN_CLASSIFICATIONS,
  LOAN_PRODUCTS,
  PERSON_ROLES,
  type GuaranteeKind,
  type HardshipSignal,
  type LoanClassification,
  type LoanProduct,
  type PersonRole,
} from '@sme/contracts/vocabulary'

/** The borrowing enterprise. */
export interface ReliefEnterprise {
  /** Unified social credit code, as received (validated by the `USCC_VALID` rule, never rewritten). */
  readonly uscc: string
  readonly name: string
  /** Industry of the SME size standard (POLICY §1); mapping a GB/T 4754 code to it is the caller's job. */
  readonly industry: SmeIndustry
  /** Persons employed; leave out when unknown (the size is then `unknown`, never guessed). */
  readonly employees?: number
  /** Operating revenue of the last year, fen. */
  readonly revenueFen?: Fen
  /** Total assets, fen. */
  readonly assetsFen?: Fen
  /**
   * Six-digit administrative region code (GB/T 2260) where the enterprise operates, e.g. `420100`
   * Wuhan. The first two digits are the province (`42` Hubei). Not taken from the USCC, whose region
   * is where the firm registered.
   */
  readonly regionCode: string
}

/**
 * A natural-person borrower (a small-business owner, an individual business without a USCC, a
 * farmer, a truck driver), known by the pseudonymous id core banking keeps for them: never the
 * identity number or the name (personal information the platform does not need, 个人信息保护法
 * art. 6 and 28). Persons have no size figures; the programmes that cover them name their role.
 */
export interface ReliefPerson {
  /** Core banking's pseudonymous id of the person (an id holding an identity number is refused). */
  readonly borrowerId: string
  readonly role: PersonRole
  /** Six-digit administrative region code (GB/T 2260) where the person does business. */
  readonly regionCode: string
  /**
   * The loan finances the person's business (经营性贷款), not a home or consumption: several
   * notices cover only persons' business loans.
   */
  readonly businessLoan: boolean
}

/** The loan relief is asked for. */
export interface ReliefLoan {
  readonly loanId: string
  readonly product: LoanProduct
  /** Outstanding principal, fen. */
  readonly outstandingPrincipalFen: Fen
  /** Value date of the loan (Asia/Shanghai). */
  readonly startDate: CalendarDate
  /**
   * The loan's **current** maturity date (Asia/Shanghai), including any extension already granted.
   * The original maturity is `maturityDate − previousExtensionDays`; it fixes the term class and
   * the extension cap (POLICY §2, General Rules on Loans art. 12).
   */
  readonly maturityDate: CalendarDate
  /** Annual contract rate, basis points. */
  readonly rateBp: BasisPoints
  readonly guarantee: {
    readonly kind: GuaranteeKind
    /**
     * The guarantor, mortgagor or pledgor (or the provider of a substitute security) has consented
     * in writing to the change asked for. Ignored when `kind` is `none`.
     */
    readonly guarantorConsent: boolean
    /**
     * The security contract already agrees to extensions of the loan (General Rules on Loans art. 12:
     * 已有约定的，按照约定执行), so no new written consent is needed. Absent: not agreed.
     */
    readonly consentInContract?: boolean
  }
  readonly classification: LoanClassification
  /** Days past due today on the current schedule, ≥ 0. */
  readonly daysPastDue: number
  /** Total credit granted to the borrower across the bank (单户授信总额), fen (POLICY §1, inclusive loans). */
  readonly totalCreditFen: Fen
  /** Days all earlier extensions (展期) together added to the original maturity, ≥ 0. */
  readonly previousExtensionDays: number
}

/**
 * Deferral of principal and/or interest (延期还本付息) to `deferTo`, under a programme of POLICY §2.
 * `deferTo` must be after every due date deferred.
 */
export interface DeferralRequest {
  readonly kind: 'deferral'
  readonly principal: boolean
  readonly interest: boolean
  /** Requested new due date of the deferred amounts (Asia/Shanghai). */
  readonly deferTo: CalendarDate
  /** Due date of the principal deferred; defaults to the loan's maturity (bullet repayment). */
  readonly principalDueDate?: CalendarDate
  /** Due date of the (first) interest payment deferred; required when `interest` is asked for. */
  readonly interestDueDate?: CalendarDate
}

/** Extension (展期) of the maturity to `newMaturity`, after the current maturity. */
export interface ExtensionRequest {
  readonly kind: 'extension'
  readonly newMaturity: CalendarDate
}

/**
 * Facts about the borrower's conduct for the renewal keep-normal test (POLICY §2), attested by the
 * relationship manager from the bank's records.
 */
export interface RenewalStanding {
  /** Operates lawfully and stably (依法合规经营, 经营稳定). */
  readonly lawfulAndStable: boolean
  /** Loan funds were diverted from their stated purpose (挪用贷款资金). */
  readonly fundsDiverted: boolean
  /** Interest is owed and unpaid (欠息). */
  readonly interestUnpaid: boolean
  /** The borrower has evaded or tried to evade debts (逃废债). */
  readonly debtEvasion: boolean
}

/** Renewal (续贷): a new loan replacing this one, maturing `newMaturity`. */
export interface RenewalRequest {
  readonly kind: 'renewal'
  /** Renewal without principal repayment (无还本续贷): the new loan repays the old one. */
  readonly withoutPrincipalRepayment: boolean
  readonly newMaturity: CalendarDate
  readonly standing: RenewalStanding
}

export type ReliefRequest = DeferralRequest | ExtensionRequest | RenewalRequest

/** What every application holds, whoever borrows. */
interface ApplicationBody {
  readonly loan: ReliefLoan
  readonly request: ReliefRequest
  /**
   * Who asked: the borrower (申请), or the bank on its own initiative. The 2020-06 mandatory grant
   * holds only "when the borrower applies" (POLICY §2).
   */
  readonly initiatedBy: 'borrower' | 'bank'
  /** Hardship declared by the borrower, with its own words. */
  readonly hardship: { readonly declared: boolean; readonly text: string }
  /**
   * The documents of the bank's checklist not yet supplied (容缺办理), by the bank's names for them,
   * and the day the bank agreed with the borrower to have them by. Absent: the application says
   * nothing of documents (decided without the documents rule).
   */
  readonly documents?: OutstandingDocuments
  /** Commitments made by the borrower. */
  readonly commitments: {
    /** Keep jobs basically stable (保持就业岗位基本稳定). */
    readonly keepJobs: boolean
    /** Keep the guarantee effective, or provide a substitute (提供有效担保或替代). */
    readonly keepGuarantee: boolean
  }
}

/** An application for an enterprise's loan (individual businesses with a USCC included). */
export interface EnterpriseApplication extends ApplicationBody {
  readonly enterprise: ReliefEnterprise
  readonly person?: undefined
}

/** An application for a natural person's loan. */
export interface PersonApplication extends ApplicationBody {
  readonly person: ReliefPerson
  readonly enterprise?: undefined
}

/** One relief application: the borrower is an enterprise or a natural person, never both. */
export type ReliefApplication = EnterpriseApplication | PersonApplication

/** Where the borrower does business (GB/T 2260), whoever it is. */
export function borrowerRegion(application: ReliefApplication): string {
  return application.person !== undefined ? application.person.regionCode : application.enterprise.regionCode
}

/** What the scoring service answered (POLICY §6). */
export interface ScoringSignal {
  /** Scorecard points, an integer. */
  readonly score: number
  /** Grade of the model's bands, e.g. `BBB`. */
  readonly grade: string
  /** Probability of default, parts per million (0–1,000,000). */
  readonly pdPpm: number
  readonly hardship: HardshipSignal
  /** Model that produced the score, for the record. */
  readonly modelId?: string
  readonly modelVersion?: string
  /**
   * The firm's size figures as the scored data shows them; absent from answers given before scoring
   * reported them (their decisions were made, and replay, without the comparison).
   */
  readonly figures?: ObservedSizeFigures
}

/** Everything a decision depends on besides the application and the policy. */
export interface DecisionContext {
  /** Date of the application (Asia/Shanghai): selects the policy in force and anchors every deadline. */
  readonly applicationDate: CalendarDate
  /** The score, or `'unavailable'` when scoring did not answer in time or could not score the firm (the application is then referred). */
  readonly scoring: ScoringSignal | 'unavailable'
}

/** The original maturity: the current one less the days earlier extensions added. */
export function originalMaturity(loan: Pick<ReliefLoan, 'maturityDate' | 'previousExtensionDays'>): CalendarDate {
  return addDays(loan.maturityDate, -loan.previousExtensionDays)
}

/**
 * An application names exactly one borrower. Checked on the wire form too, before conversion: the
 * body's schema has both optional (a JSON Schema `oneOf` would answer with both branches' errors).
 */
export function borrowerIssues(application: { readonly enterprise?: unknown; readonly person?: unknown }): ValidationIssue[] {
  if (application.enterprise !== undefined && application.person !== undefined) return [{ path: '/person', message: 'an application names an enterprise or a person, not both' }]
  if (application.enterprise === undefined && application.person === undefined) return [{ path: '/enterprise', message: 'required: the borrowing enterprise, or `person` for a natural person' }]
  return []
}

/** A pseudonymous borrower id, as `loans.events.v1` carries it. */
export const BORROWER_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{7,63}$/

const isNonNegativeInt = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
const isNonNegativeFen = (value: unknown): value is Fen => typeof value === 'bigint' && value >= 0n
const isBool = (value: unknown): value is boolean => typeof value === 'boolean'
const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== ''

/**
 * Structural checks of an application and its context: everything that must hold before rules are
 * meaningful (dates exist and are ordered, amounts are non-negative fen, enums are known, the
 * deferral moves its due dates later). Business conditions are rules, not checked here. Returns
 * every problem; `[]` when the application can be decided.
 */
export function validateApplication(application: ReliefApplication, context: DecisionContext): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const issue = (path: string, message: string): void => {
    issues.push({ path, message })
  }
  const date = (path: string, value: unknown): value is CalendarDate => {
    if (isCalendarDate(value)) return true
    issue(path, `must be a YYYY-MM-DD date, got ${JSON.stringify(value)}`)
    return false
  }

  const { enterprise, person, loan, request } = application
  issues.push(...borrowerIssues(application))
  if (enterprise !== undefined) {
    if (typeof enterprise.uscc !== 'string') issue('/enterprise/uscc', 'must be a string')
    if (!isText(enterprise.name)) issue('/enterprise/name', 'must not be empty')
    if (!(SME_INDUSTRIES as readonly unknown[]).includes(enterprise.industry)) issue('/enterprise/industry', `unknown industry ${JSON.stringify(enterprise.industry)}`)
    if (enterprise.employees !== undefined && !isNonNegativeInt(enterprise.employees)) issue('/enterprise/employees', 'must be a non-negative integer')
    if (enterprise.revenueFen !== undefined && !isNonNegativeFen(enterprise.revenueFen)) issue('/enterprise/revenueFen', 'must be non-negative fen (bigint)')
    if (enterprise.assetsFen !== undefined && !isNonNegativeFen(enterprise.assetsFen)) issue('/enterprise/assetsFen', 'must be non-negative fen (bigint)')
    if (typeof enterprise.regionCode !== 'string' || !/^[0-9]{6}$/.test(enterprise.regionCode)) issue('/enterprise/regionCode', 'must be six digits (GB/T 2260)')
  }
  if (person !== undefined) {
    // (The value is never echoed: it may be the very number that must not be kept.)
    if (typeof person.borrowerId !== 'string' || !BORROWER_ID.test(person.borrowerId)) issue('/person/borrowerId', 'must be 8–64 letters, digits or _.:- starting with a letter or digit')
    if (!(PERSON_ROLES as readonly unknown[]).includes(person.role)) issue('/person/role', `unknown role ${JSON.stringify(person.role)}`)
    if (typeof person.regionCode !== 'string' || !/^[0-9]{6}$/.test(person.regionCode)) issue('/person/regionCode', 'must be six digits (GB/T 2260)')
    if (!isBool(person.businessLoan)) issue('/person/businessLoan', 'must be a boolean')
  }

  if (!isText(loan.loanId)) issue('/loan/loanId', 'must not be empty')
  if (!(LOAN_PRODUCTS as readonly unknown[]).includes(loan.product)) issue('/loan/product', `unknown product ${JSON.stringify(loan.product)}`)
  if (!isNonNegativeFen(loan.outstandingPrincipalFen)) issue('/loan/outstandingPrincipalFen', 'must be non-negative fen (bigint)')
  if (!isNonNegativeFen(loan.totalCreditFen)) issue('/loan/totalCreditFen', 'must be non-negative fen (bigint)')
  if (!isNonNegativeInt(loan.rateBp)) issue('/loan/rateBp', 'must be a non-negative integer number of basis points')
  if (!(GUARANTEE_KINDS as readonly unknown[]).includes(loan.guarantee?.kind)) issue('/loan/guarantee/kind', `unknown guarantee kind ${JSON.stringify(loan.guarantee?.kind)}`)
  if (!isBool(loan.guarantee?.guarantorConsent)) issue('/loan/guarantee/guarantorConsent', 'must be a boolean')
  if (loan.guarantee?.consentInContract !== undefined && !isBool(loan.guarantee.consentInContract)) issue('/loan/guarantee/consentInContract', 'must be a boolean')
  if (!(LOAN_CLASSIFICATIONS as readonly unknown[]).includes(loan.classification)) issue('/loan/classification', `unknown classification ${JSON.stringify(loan.classification)}`)
  if (!isNonNegativeInt(loan.daysPastDue)) issue('/loan/daysPastDue', 'must be a non-negative integer')
  const previousOk = isNonNegativeInt(loan.previousExtensionDays)
  if (!previousOk) issue('/loan/previousExtensionDays', 'must be a non-negative integer')
  const startOk = date('/loan/startDate', loan.startDate)
  const maturityOk = date('/loan/maturityDate', loan.maturityDate)
  if (startOk && maturityOk && previousOk) {
    if (loan.maturityDate <= loan.startDate) issue('/loan/maturityDate', 'must be after the start date')
    else if (originalMaturity(loan) <= loan.startDate) issue('/loan/previousExtensionDays', 'more than the whole term: the original maturity would not be after the start date')
  }

  switch (request.kind) {
    case 'deferral': {
      if (!isBool(request.principal) || !isBool(request.interest)) issue('/request', 'principal and interest must be booleans')
      else if (!request.principal && !request.interest) issue('/request', 'defer principal, interest or both')
      const deferOk = date('/request/deferTo', request.deferTo)
      const principalDueOk = request.principalDueDate === undefined || date('/request/principalDueDate', request.principalDueDate)
      if (request.interest === true && request.interestDueDate === undefined) issue('/request/interestDueDate', 'required when interest is deferred')
      const interestDueOk = request.interestDueDate === undefined || date('/request/interestDueDate', request.interestDueDate)
      if (!maturityOk || !principalDueOk) break
      // Bullet repayment unless core banking names the instalment; never after the maturity.
      const principalDue = request.principalDueDate ?? loan.maturityDate
      if (principalDue > loan.maturityDate) issue('/request/principalDueDate', 'must not be after the maturity date')
      // A deferral moves each deferred due date later.
      if (deferOk && request.principal === true && request.deferTo <= principalDue) {
        issue('/request/deferTo', `must be after the principal due date ${principalDue}`)
      }
      if (deferOk && interestDueOk && request.interest === true && request.interestDueDate !== undefined && request.deferTo <= request.interestDueDate) {
        issue('/request/deferTo', `must be after the interest due date ${request.interestDueDate}`)
      }
      break
    }
    case 'extension':
      if (date('/request/newMaturity', request.newMaturity) && maturityOk && request.newMaturity <= loan.maturityDate) {
        issue('/request/newMaturity', 'an extension must move the maturity later')
      }
      break
    case 'renewal': {
      if (!isBool(request.withoutPrincipalRepayment)) issue('/request/withoutPrincipalRepayment', 'must be a boolean')
      if (date('/request/newMaturity', request.newMaturity) && maturityOk && request.newMaturity <= loan.maturityDate) {
        issue('/request/newMaturity', 'the renewed loan must mature after the current one')
      }
      const standing = request.standing
      for (const key of ['lawfulAndStable', 'fundsDiverted', 'interestUnpaid', 'debtEvasion'] as const) {
        if (!isBool(standing?.[key])) issue(`/request/standing/${key}`, 'must be a boolean')
      }
      break
    }
    default:
      issue('/request/kind', `unknown relief kind ${JSON.stringify((request as { kind?: unknown }).kind)}`)
  }

  if (application.initiatedBy !== 'borrower' && application.initiatedBy !== 'bank') issue('/initiatedBy', "must be 'borrower' or 'bank'")
  if (!isBool(application.hardship?.declared)) issue('/hardship/declared', 'must be a boolean')
  if (typeof application.hardship?.text !== 'string') issue('/hardship/text', 'must be a string')
  const documents = application.documents
  if (documents !== undefined) {
    const names = documents.outstanding
    if (!Array.isArray(names) || !names.every(isText)) issue('/documents/outstanding', 'must be a list of document names')
    else if (new Set(names).size !== names.length) issue('/documents/outstanding', 'names a document twice')
    if (date('/documents/dueBy', documents.dueBy) && isCalendarDate(context.applicationDate) && documents.dueBy <= context.applicationDate) {
      issue('/documents/dueBy', 'must be after the application date')
    }
  }
  if (!isBool(application.commitments?.keepJobs)) issue('/commitments/keepJobs', 'must be a boolean')
  if (!isBool(application.commitments?.keepGuarantee)) issue('/commitments/keepGuarantee', 'must be a boolean')

  date('/context/applicationDate', context.applicationDate)
  const scoring = context.scoring
  if (scoring !== 'unavailable') {
    if (typeof scoring !== 'object' || scoring === null) issue('/context/scoring', "must be a score or 'unavailable'")
    else {
      if (typeof scoring.score !== 'number' || !Number.isSafeInteger(scoring.score)) issue('/context/scoring/score', 'must be an integer')
      if (!isText(scoring.grade)) issue('/context/scoring/grade', 'must not be empty')
      if (!isNonNegativeInt(scoring.pdPpm) || scoring.pdPpm > 1_000_000) issue('/context/scoring/pdPpm', 'must be an integer 0–1,000,000')
      if (!(HARDSHIP_SIGNALS as readonly unknown[]).includes(scoring.hardship)) issue('/context/scoring/hardship', `unknown hardship signal ${JSON.stringify(scoring.hardship)}`)
    }
  }
  return issues
}

/**
 * Throws unless {@link validateApplication} finds nothing.
 * @throws ReliefError `invalid-application`
 */
export function assertValidApplication(application: ReliefApplication, context: DecisionContext): void {
  const issues = validateApplication(application, context)
  if (issues.length > 0) throw new ReliefError('invalid-application', 'the application cannot be decided', issues)
}
