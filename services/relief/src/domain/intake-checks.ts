import { daysBetween, holdsResidentIdNumber, validateUscc, type CalendarDate } from '@sme/domain'
import type { ReliefApplication } from './application.js'
import type { ValidationIssue } from './errors.js'

/**
 * What intake refuses before anything is stored: an application that identifies nobody, or states
 * facts that cannot be true on the day it arrives. Such an application would only be declined or
 * referred for reasons its submitter can fix at once (a mistyped code, a wrong date), and a bank's
 * core system must learn that in the answer, naming the field (422), not days later from a decision.
 *
 * The rules keep their own checks: `USCC_VALID` still decides replays and what-if runs of stored
 * applications, and stays the record of which code was accepted on the exception list.
 */
export interface IntakeContext {
  /** The day of receipt, Asia/Shanghai. */
  readonly applicationDate: CalendarDate
  /** Codes the reference data in force lists as issued with failing checks, by code. */
  readonly usccExceptions: ReadonlyMap<string, string>
}

/**
 * The ceiling above which no agreed interest is protected (年利率36%): 《最高人民法院关于审理民间借贷
 * 案件适用法律若干问题的规定》(法释〔2015〕18号, 2015-08-06) art. 26. No bank loan is priced above it;
 * a figure beyond it is a unit error (per cent or per mille for basis points).
 */
export const MAX_PLAUSIBLE_RATE_BP = 3_600

// Why a code fails, without repeating it: answers and logs name the field, never the identity.
const USCC_MESSAGES = {
  length: 'must be 18 characters (GB 32100-2015)',
  charset: 'holds a character outside the code’s alphabet (GB 32100-2015)',
  region: 'positions 3–8 must be an administrative region code (GB 32100-2015)',
  'org-check': 'the organisation code’s check character (position 17) does not match (GB 11714-1997)',
  check: 'the check character (position 18) does not match (GB 32100-2015): the code was mistyped or is not a real one',
} as const

/** Every fact that cannot be true of the application on its date; `[]` when intake may store it. */
export function intakeIssues(application: ReliefApplication, context: IntakeContext): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const { enterprise, person, loan, request } = application
  const today = context.applicationDate

  if (enterprise !== undefined) {
    const uscc = validateUscc(enterprise.uscc, { exceptions: context.usccExceptions })
    if (!uscc.valid) issues.push({ path: '/enterprise/uscc', message: USCC_MESSAGES[uscc.error] })
  }
  // Core banking must send its pseudonym, never the identity number: refused before it is stored.
  if (person !== undefined && holdsResidentIdNumber(person.borrowerId)) {
    issues.push({ path: '/person/borrowerId', message: 'holds a resident identity number (GB 11643-1999): send core banking’s pseudonymous id, never the identity number' })
  }

  if (loan.startDate > today) issues.push({ path: '/loan/startDate', message: `after the day of the application (${today}): a loan cannot start in the future` })
  else if (loan.daysPastDue > daysBetween(loan.startDate, today)) {
    issues.push({ path: '/loan/daysPastDue', message: `more days past due than the loan has existed (${daysBetween(loan.startDate, today)} days since it started)` })
  }
  if (loan.outstandingPrincipalFen > loan.totalCreditFen) {
    issues.push({ path: '/loan/outstandingPrincipalFen', message: 'more than the total credit granted to the borrower (单户授信总额), of which this loan is a part' })
  }
  if (loan.rateBp > MAX_PLAUSIBLE_RATE_BP) {
    issues.push({ path: '/loan/rateBp', message: `above ${MAX_PLAUSIBLE_RATE_BP} basis points (36% a year), beyond any lawful loan rate: check the unit (basis points)` })
  }

  // Relief moves a date into the future; one already past asks for nothing.
  const target = request.kind === 'deferral' ? { path: '/request/deferTo', date: request.deferTo } : { path: '/request/newMaturity', date: request.newMaturity }
  if (target.date <= today) issues.push({ path: target.path, message: `not after the day of the application (${today}): relief cannot be granted to a date already past` })
  return issues
}
