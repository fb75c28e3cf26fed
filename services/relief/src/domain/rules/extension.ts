import { addDays, daysBetween, termClass } from '@sme/domain'
import { borrowerRegion, originalMaturity, type DecisionContext, type ExtensionRequest, type ReliefApplication } from '../application.js'
import type { ExtensionTerms, RuleResult } from '../decision.js'
import { extensionLimit } from '../extension.js'
import { financialDifficultySigns, restructuringEffect, type RestructuringEffect } from '../classification.js'
import { inWindow, type ExtensionException, type ExtensionRules, type RestructuringRegime } from '../policy.js'
import { pass, rule } from './common.js'

/** The extension rules of General Rules on Loans art. 12 (POLICY §2 Extension). */
export function extensionRules(rules: ExtensionRules, application: ReliefApplication, request: ExtensionRequest, context: DecisionContext): RuleResult[] {
  const scope = rules.id
  const clause = rules.clause
  const { loan } = application
  const out: RuleResult[] = []

  // "applied for before maturity"; without an approved extension the loan is overdue the day after.
  const latestApplication = addDays(loan.maturityDate, -rules.applyDaysBeforeMaturity)
  const inTime = context.applicationDate <= latestApplication
  out.push(
    rule(scope, 'EXTENSION_BEFORE_MATURITY', pass(inTime), 'decline', inTime ? 'RL_EXTENSION_APPLIED_IN_TIME' : 'RL_EXTENSION_APPLIED_LATE', clause, {
      applicationDate: context.applicationDate,
      maturityDate: loan.maturityDate,
      latestApplicationDate: latestApplication,
    }),
  )

  // Cumulative cap by the class of the original term, previous extensions included; a state
  // provision naming this loan replaces art. 12's caps (国家另有规定者除外).
  const original = originalMaturity(loan)
  const exception = stateException(rules, application)
  const limit = extensionLimit(loan.startDate, original, exception?.caps ?? rules.caps)
  const cumulative = loan.previousExtensionDays + daysBetween(loan.maturityDate, request.newMaturity)
  const withinCap = request.newMaturity <= limit.latestMaturity
  const code =
    exception === undefined
      ? withinCap
        ? 'RL_EXTENSION_WITHIN_CAP'
        : 'RL_EXTENSION_BEYOND_CAP'
      : withinCap
        ? 'RL_EXTENSION_WITHIN_STATE_CAP'
        : 'RL_EXTENSION_BEYOND_STATE_CAP'
  out.push(
    rule(scope, 'EXTENSION_CAP', pass(withinCap), 'decline', code, clause, {
      termClass: limit.termClass,
      // How the cap was counted, where the record counts in months (decisions of the first record,
      // which counted days, replay without these details).
      ...(limit.counting === 'actual-days' || !countsMonths(rules)
        ? {}
        : { counting: limit.counting, originalTermMonths: limit.originalTerm.months, originalTermResidualDays: limit.originalTerm.days }),
      originalMaturity: original,
      originalTermDays: limit.originalTermDays,
      previousExtensionDays: loan.previousExtensionDays,
      cumulativeExtensionDays: cumulative,
      maxCumulativeExtensionDays: limit.maxExtensionDays,
      requestedMaturity: request.newMaturity,
      latestMaturity: limit.latestMaturity,
      ...(exception === undefined ? {} : { stateException: exception.id, stateExceptionSource: exception.source }),
    }),
  )

  // "guarantor, mortgagor or pledgor consent in writing": a hard rule for extensions.
  if (loan.guarantee.kind === 'none') {
    out.push(rule(scope, 'GUARANTOR_CONSENT', 'not-applicable', 'decline', 'RL_UNSECURED_LOAN', clause, { guaranteeKind: 'none' }))
  } else if (!rules.guarantorConsentRequired) {
    out.push(rule(scope, 'GUARANTOR_CONSENT', 'not-applicable', 'decline', 'RL_GUARANTEE_NOT_REQUIRED', clause, { guaranteeKind: loan.guarantee.kind }))
  } else {
    const written = loan.guarantee.guarantorConsent
    const inContract = rules.contractConsentCounts === true && loan.guarantee.consentInContract === true
    const code = written ? 'RL_GUARANTOR_CONSENT' : inContract ? 'RL_GUARANTOR_CONSENT_IN_CONTRACT' : 'RL_GUARANTOR_NO_CONSENT'
    out.push(
      rule(scope, 'GUARANTOR_CONSENT', pass(written || inContract), 'decline', code, clause, {
        guaranteeKind: loan.guarantee.kind,
        ...(rules.contractConsentCounts === undefined ? {} : { consent: written ? 'written' : inContract ? 'in-contract' : 'none' }),
      }),
    )
  }
  return out
}

/** Does the record count any cap in calendar months? */
const countsMonths = (rules: ExtensionRules): boolean => Object.values(rules.caps).some((cap) => cap.kind === 'term-months')

/** The first state provision of `rules` naming this loan (its current maturity and the firm's region). */
function stateException(rules: ExtensionRules, application: ReliefApplication): ExtensionException | undefined {
  const regionCode = borrowerRegion(application)
  return (rules.stateExceptions ?? []).find(
    (e) => inWindow(application.loan.maturityDate, e.maturity) && (e.regions.length === 0 || e.regions.some((prefix) => regionCode.startsWith(prefix))),
  )
}

export function extensionTerms(rules: ExtensionRules, application: ReliefApplication, request: ExtensionRequest, context: DecisionContext): ExtensionTerms {
  const { loan } = application
  const limit = extensionLimit(loan.startDate, originalMaturity(loan), stateException(rules, application)?.caps ?? rules.caps)
  // POLICY §2: if term plus extension crosses a rate tier, the new tier applies from the extension date.
  const before = termClass(loan.startDate, loan.maturityDate)
  const after = termClass(loan.startDate, request.newMaturity)
  return {
    kind: 'extension',
    previousMaturity: loan.maturityDate,
    newMaturity: request.newMaturity,
    extensionDays: daysBetween(loan.maturityDate, request.newMaturity),
    cumulativeExtensionDays: loan.previousExtensionDays + daysBetween(loan.maturityDate, request.newMaturity),
    maxCumulativeExtensionDays: limit.maxExtensionDays,
    latestMaturity: limit.latestMaturity,
    termClass: limit.termClass,
    termClassAfterExtension: after,
    newRateTierFrom: after !== before ? loan.maturityDate : null,
    ...(rules.restructuring === undefined ? {} : { classification: extensionClassification(rules.restructuring, application, context) }),
  }
}

/**
 * The class of the extended loan (POLICY §2 Risk classification): an extension for a borrower in
 * financial difficulty is a restructured asset under the rules in force on the application date.
 */
function extensionClassification(regimes: readonly RestructuringRegime[], application: ReliefApplication, context: DecisionContext): RestructuringEffect {
  const { loan } = application
  const signs = financialDifficultySigns({
    daysPastDue: loan.daysPastDue,
    classification: loan.classification,
    hardshipDeclared: application.hardship.declared,
    hardshipSignal: context.scoring === 'unavailable' ? null : context.scoring.hardship,
  })
  return restructuringEffect(loan, signs, context.applicationDate, regimes)
}
