import { addDays, type CalendarDate } from '@sme/domain'
import type { DecisionContext, ReliefApplication, RenewalRequest } from '../application.js'
import type { DetailValue, RuleResult } from '../decision.js'
import type { PolicySet, RenewalRules } from '../policy.js'
import type { ReasonCode, RuleId } from '../reasons.js'
import { pass, personCoverage, rule, type Facts } from './common.js'

/** The keep-normal conditions of a renewal (POLICY §2): all pass → the renewed loan stays normal. */
export const KEEP_NORMAL_RULES: readonly RuleId[] = [
  'RENEWAL_ORIGINAL_NORMAL',
  'RENEWAL_LAWFUL_STABLE',
  'RENEWAL_NO_DIVERTED_FUNDS',
  'RENEWAL_NO_UNPAID_INTEREST',
  'RENEWAL_NO_DEBT_EVASION',
  'RENEWAL_LENDING_STANDARDS',
]

export function signBy(rules: RenewalRules, application: ReliefApplication): CalendarDate {
  return addDays(application.loan.maturityDate, -rules.withoutPrincipalRepayment.signDaysBeforeMaturity)
}

/** Renewal rules (POLICY §2 Renewal without principal repayment). */
export function renewalRules(
  rules: RenewalRules,
  facts: Facts,
  application: ReliefApplication,
  request: RenewalRequest,
  policy: PolicySet,
  context: DecisionContext,
): RuleResult[] {
  const scope = rules.id
  const clause = rules.clause
  const { loan } = application
  const wpr = rules.withoutPrincipalRepayment
  const out: RuleResult[] = []

  if (!request.withoutPrincipalRepayment) {
    for (const id of ['RENEWAL_PRODUCT', 'RENEWAL_BORROWER', 'RENEWAL_BEFORE_MATURITY'] as const) {
      out.push(rule(scope, id, 'not-applicable', 'decline', 'RL_RENEWAL_CONDITION_NOT_REQUIRED', clause))
    }
  } else {
    // "small/micro working-capital loans", and (13号) the business loans of individual businesses,
    // small-business owners and farmers, whatever the product.
    const coverage = facts.person === null ? null : personCoverage(wpr.persons, facts.person)
    const personLoan = coverage === 'covered'
    const individualBusinessLoan = facts.borrowerKind === 'individual-business' && wpr.individualBusinessLoansAnyProduct === true
    const productOk = personLoan || individualBusinessLoan || (coverage === null && wpr.products.includes(loan.product))
    out.push(
      rule(
        scope,
        'RENEWAL_PRODUCT',
        pass(productOk),
        'decline',
        personLoan
          ? 'RL_RENEWAL_PERSON_BUSINESS_LOAN'
          : coverage === 'not-a-business-loan'
            ? 'RL_PERSON_LOAN_NOT_BUSINESS'
            : individualBusinessLoan
              ? 'RL_RENEWAL_INDIVIDUAL_BUSINESS_LOAN'
              : productOk
                ? 'RL_RENEWAL_PRODUCT_ELIGIBLE'
                : 'RL_RENEWAL_PRODUCT_INELIGIBLE',
        clause,
        // (The new fields only where the record has them, or for persons: earlier decisions replay without them.)
        {
          product: loan.product,
          products: wpr.products.join(','),
          ...(wpr.individualBusinessLoansAnyProduct === undefined && facts.person === null ? {} : { borrowerKind: facts.borrowerKind }),
          ...(facts.person === null ? {} : { role: facts.person.role, businessLoan: facts.person.businessLoan }),
        },
      ),
    )
    // "(and medium enterprises' for maturities before 2027-09-30)": before the cut-off, that day
    // included where the record says so.
    const medium = wpr.mediumEnterprises
    const details = {
      size: facts.size,
      borrowerKind: facts.borrowerKind,
      maturityDate: loan.maturityDate,
      mediumMaturityBefore: medium?.maturityBefore ?? null,
      ...(medium?.includingThatDay === undefined ? {} : { mediumCutoffIncluded: medium.includingThatDay }),
    }
    if (facts.person !== null) {
      // A person is eligible where the text names their role; the product rule above has checked the loan.
      const named = coverage !== 'role-not-named'
      const roles = (wpr.persons?.roles ?? []).map((r) => r.role).join(',')
      out.push(
        rule(scope, 'RENEWAL_BORROWER', pass(named), 'decline', named ? 'RL_PERSON_COVERED' : 'RL_PERSON_NOT_COVERED', clause, { ...details, role: facts.person.role, personRoles: roles }),
      )
    } else if (facts.borrowerKind === 'individual-business' && wpr.individualBusinesses) {
      out.push(rule(scope, 'RENEWAL_BORROWER', 'pass', 'decline', 'RL_RENEWAL_BORROWER_SMALL_MICRO', clause, details))
    } else if (facts.size === 'unknown' || facts.size === 'not-applicable') {
      out.push(rule(scope, 'RENEWAL_BORROWER', 'fail', 'refer', 'RL_BORROWER_SIZE_UNKNOWN', clause, details))
    } else if (wpr.sizes.includes(facts.size)) {
      out.push(rule(scope, 'RENEWAL_BORROWER', 'pass', 'decline', 'RL_RENEWAL_BORROWER_SMALL_MICRO', clause, details))
    } else if (facts.size === 'medium' && medium !== null) {
      const ok = medium.includingThatDay === true ? loan.maturityDate <= medium.maturityBefore : loan.maturityDate < medium.maturityBefore
      out.push(rule(scope, 'RENEWAL_BORROWER', pass(ok), 'decline', ok ? 'RL_RENEWAL_BORROWER_MEDIUM' : 'RL_RENEWAL_MEDIUM_AFTER_CUTOFF', clause, details))
    } else {
      out.push(rule(scope, 'RENEWAL_BORROWER', 'fail', 'decline', 'RL_RENEWAL_BORROWER_INELIGIBLE', clause, details))
    }
    // 13号: 对贷款到期后仍有融资需求，又临时存在资金困难的债务人，在贷款到期前经其主动申请. Not met: an officer decides.
    if (wpr.conditions?.borrowerApplication === true) {
      const applied = application.initiatedBy === 'borrower'
      out.push(rule(scope, 'BORROWER_APPLIED', pass(applied), 'refer', applied ? 'RL_BORROWER_APPLIED' : 'RL_BANK_INITIATED', clause, { initiatedBy: application.initiatedBy }))
    }
    if (wpr.conditions?.temporaryDifficulty === true) {
      const declared = application.hardship.declared
      out.push(rule(scope, 'HARDSHIP_DECLARED', pass(declared), 'refer', declared ? 'RL_HARDSHIP_DECLARED' : 'RL_HARDSHIP_NOT_DECLARED', clause))
    }
    // "the new contract is signed before the old loan matures": the decision must leave time to sign.
    const latest = signBy(rules, application)
    const inTime = context.applicationDate <= latest
    out.push(
      rule(scope, 'RENEWAL_BEFORE_MATURITY', pass(inTime), 'decline', inTime ? 'RL_RENEWAL_IN_TIME' : 'RL_RENEWAL_TOO_LATE', clause, {
        applicationDate: context.applicationDate,
        maturityDate: loan.maturityDate,
        signContractBy: latest,
      }),
    )
  }

  // The new loan needs its security: without the provider's consent an officer decides.
  if (loan.guarantee.kind === 'none') {
    out.push(rule(scope, 'GUARANTOR_CONSENT', 'not-applicable', 'refer', 'RL_UNSECURED_LOAN', clause, { guaranteeKind: 'none' }))
  } else {
    const consent = loan.guarantee.guarantorConsent
    out.push(rule(scope, 'GUARANTOR_CONSENT', pass(consent), 'refer', consent ? 'RL_GUARANTOR_CONSENT' : 'RL_GUARANTOR_NO_CONSENT', clause, { guaranteeKind: loan.guarantee.kind }))
  }

  // Keep-normal conditions: the renewed loan stays normal only when all hold; otherwise it is
  // classified on repayment capacity, which is an officer's judgement (referred). "Renewals must
  // not hide the borrower's true condition."
  const standing = request.standing
  const keep = (id: RuleId, ok: boolean, yes: ReasonCode, no: ReasonCode, details: Record<string, DetailValue> = {}): void => {
    out.push(rule(scope, id, pass(ok), 'refer', ok ? yes : no, clause, details))
  }
  keep('RENEWAL_ORIGINAL_NORMAL', loan.classification === 'normal', 'RL_ORIGINAL_NORMAL', 'RL_ORIGINAL_NOT_NORMAL', { classification: loan.classification })
  keep('RENEWAL_LAWFUL_STABLE', standing.lawfulAndStable, 'RL_LAWFUL_STABLE', 'RL_NOT_LAWFUL_STABLE')
  keep('RENEWAL_NO_DIVERTED_FUNDS', !standing.fundsDiverted, 'RL_NO_DIVERTED_FUNDS', 'RL_FUNDS_DIVERTED')
  keep('RENEWAL_NO_UNPAID_INTEREST', !standing.interestUnpaid && loan.daysPastDue === 0, 'RL_NO_UNPAID_INTEREST', 'RL_UNPAID_INTEREST', {
    interestUnpaid: standing.interestUnpaid,
    daysPastDue: loan.daysPastDue,
  })
  keep('RENEWAL_NO_DEBT_EVASION', !standing.debtEvasion, 'RL_NO_DEBT_EVASION', 'RL_DEBT_EVASION')
  const standards = policy.bank.lendingStandards
  if (facts.scoring === null) {
    out.push(rule(scope, 'RENEWAL_LENDING_STANDARDS', 'fail', 'refer', 'RL_LENDING_STANDARDS_UNKNOWN', clause))
  } else {
    const ok = facts.scoring.score >= standards.minScore && facts.scoring.pdPpm <= standards.maxPdPpm
    keep('RENEWAL_LENDING_STANDARDS', ok, 'RL_MEETS_LENDING_STANDARDS', 'RL_BELOW_LENDING_STANDARDS', {
      score: facts.scoring.score,
      minScore: standards.minScore,
      pdPpm: facts.scoring.pdPpm,
      maxPdPpm: standards.maxPdPpm,
    })
  }
  return out
}
