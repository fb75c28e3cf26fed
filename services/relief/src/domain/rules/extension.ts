import { addDays, daysBetween, termClass } from '@sme/domain'
import { originalMaturity, type DecisionContext, type ExtensionRequest, type ReliefApplication } from '../application.js'
import type { ExtensionTerms, RuleResult } from '../decision.js'
import { extensionLimit } from '../extension.js'
import type { ExtensionRules } from '../policy.js'
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

  // Cumulative cap by the class of the original term, previous extensions included.
  const original = originalMaturity(loan)
  const limit = extensionLimit(loan.startDate, original, rules.caps)
  const cumulative = loan.previousExtensionDays + daysBetween(loan.maturityDate, request.newMaturity)
  const withinCap = request.newMaturity <= limit.latestMaturity
  out.push(
    rule(scope, 'EXTENSION_CAP', pass(withinCap), 'decline', withinCap ? 'RL_EXTENSION_WITHIN_CAP' : 'RL_EXTENSION_BEYOND_CAP', clause, {
      termClass: limit.termClass,
      originalMaturity: original,
      originalTermDays: limit.originalTermDays,
      previousExtensionDays: loan.previousExtensionDays,
      cumulativeExtensionDays: cumulative,
      maxCumulativeExtensionDays: limit.maxExtensionDays,
      requestedMaturity: request.newMaturity,
      latestMaturity: limit.latestMaturity,
    }),
  )

  // "guarantor, mortgagor or pledgor consent in writing": a hard rule for extensions.
  if (loan.guarantee.kind === 'none') {
    out.push(rule(scope, 'GUARANTOR_CONSENT', 'not-applicable', 'decline', 'RL_UNSECURED_LOAN', clause, { guaranteeKind: 'none' }))
  } else if (!rules.guarantorConsentRequired) {
    out.push(rule(scope, 'GUARANTOR_CONSENT', 'not-applicable', 'decline', 'RL_GUARANTEE_NOT_REQUIRED', clause, { guaranteeKind: loan.guarantee.kind }))
  } else {
    const consent = loan.guarantee.guarantorConsent
    out.push(
      rule(scope, 'GUARANTOR_CONSENT', pass(consent), 'decline', consent ? 'RL_GUARANTOR_CONSENT' : 'RL_GUARANTOR_NO_CONSENT', clause, {
        guaranteeKind: loan.guarantee.kind,
      }),
    )
  }
  return out
}

export function extensionTerms(rules: ExtensionRules, application: ReliefApplication, request: ExtensionRequest): ExtensionTerms {
  const { loan } = application
  const limit = extensionLimit(loan.startDate, originalMaturity(loan), rules.caps)
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
  }
}
