import { classifySmeSize, holdsResidentIdNumber, usccRegistrantKind, validateUscc, type SmeSizeResult, type UsccValidation } from '@sme/domain'
import type { DecisionContext, ReliefApplication } from '../application.js'
import type { RuleResult } from '../decision.js'
import { checkFigures, IMPLAUSIBLE_FACTOR } from '../figures-check.js'
import type { PolicySet } from '../policy.js'
import { APPLICATION_SCOPE, CLAUSES, HARDSHIP_CODES, pass, rule, type Facts } from './common.js'

export function establishFacts(application: ReliefApplication, policy: PolicySet, context: DecisionContext): Facts {
  const { enterprise, person } = application
  if (person !== undefined) {
    // Persons are not scored (the scoring service reads enterprises' filings), nor sized.
    const identified = !holdsResidentIdNumber(person.borrowerId)
    return { uscc: null, person, identified, sizeResult: null, size: 'not-applicable', borrowerKind: 'person', scoring: null, figures: null }
  }
  const exceptions = new Map(policy.reference.usccExceptions.map((e) => [e.code, e.reason] as const))
  const uscc = validateUscc(enterprise.uscc, { exceptions })
  const sizeResult = classifySmeSize(
    {
      industry: enterprise.industry,
      ...(enterprise.employees === undefined ? {} : { employees: enterprise.employees }),
      ...(enterprise.revenueFen === undefined ? {} : { revenueFen: enterprise.revenueFen }),
      ...(enterprise.assetsFen === undefined ? {} : { assetsFen: enterprise.assetsFen }),
    },
    policy.reference.smeSizeTable,
  )
  // POLICY §1: individual businesses (个体工商户, USCC prefix 92) count as small/micro borrowers
  // whatever their figures; the registrant kind is only trusted from a valid code.
  const borrowerKind = uscc.valid && usccRegistrantKind(uscc.parts) === 'individual-business' ? 'individual-business' : 'enterprise'
  const scoring = context.scoring === 'unavailable' ? null : context.scoring
  const figures = scoring?.figures === undefined ? null : checkFigures(enterprise, scoring.figures)
  return { uscc, person: null, identified: uscc.valid, sizeResult, size: sizeResult.size, borrowerKind, scoring, figures }
}

/** Rules about the application as a whole, whatever the relief. */
export function applicationRules(facts: Facts, application: ReliefApplication, policy: PolicySet): RuleResult[] {
  return facts.uscc === null || facts.sizeResult === null ? personRules(facts) : enterpriseRules(facts, facts.uscc, facts.sizeResult, application, policy)
}

/**
 * A natural person: identified by the pseudonym (one holding an identity number is not decided:
 * intake refuses it, and a stored one must not be acted on), no size, and no score, so the
 * score-dependent rules refer to an officer unless a programme's mandatory grant holds.
 */
function personRules(facts: Facts): RuleResult[] {
  const role = facts.person?.role ?? null
  return [
    facts.identified
      ? rule(APPLICATION_SCOPE, 'BORROWER_ID', 'pass', 'decline', 'RL_BORROWER_ID_PSEUDONYMOUS', CLAUSES.borrowerId, { role })
      : rule(APPLICATION_SCOPE, 'BORROWER_ID', 'fail', 'decline', 'RL_BORROWER_ID_HOLDS_IDENTITY_NUMBER', CLAUSES.borrowerId, { role }),
    rule(APPLICATION_SCOPE, 'SME_SIZE', 'not-applicable', 'inform', 'RL_SIZE_NOT_APPLICABLE_PERSON', CLAUSES.size, { role }),
    rule(APPLICATION_SCOPE, 'SCORING_AVAILABLE', 'fail', 'refer', 'RL_PERSON_NOT_SCORED', CLAUSES.personNotScored, { role }),
    rule(APPLICATION_SCOPE, 'CREDIT_SCORE', 'not-applicable', 'refer', 'RL_SCORE_NOT_ASSESSED', CLAUSES.score),
    rule(APPLICATION_SCOPE, 'HARDSHIP_SIGNAL', 'not-applicable', 'refer', 'RL_HARDSHIP_NOT_ASSESSED', CLAUSES.hardship),
  ]
}

function enterpriseRules(facts: Facts, uscc: UsccValidation, sizeResult: SmeSizeResult, application: ReliefApplication, policy: PolicySet): RuleResult[] {
  const { scoring } = facts
  const referral = policy.bank.referral
  const relief = application.request.kind
  const rules: RuleResult[] = []

  // POLICY §1 Identifier: GB 32100 check characters; the exception list never passes silently.
  rules.push(
    uscc.valid
      ? uscc.exception === undefined
        ? rule(APPLICATION_SCOPE, 'USCC_VALID', 'pass', 'decline', 'RL_USCC_VALID', CLAUSES.uscc, { uscc: uscc.code })
        : rule(APPLICATION_SCOPE, 'USCC_VALID', 'pass', 'decline', 'RL_USCC_EXCEPTION', CLAUSES.uscc, {
            uscc: uscc.code,
            exceptionReason: uscc.exception.reason,
            failedChecks: uscc.exception.failedChecks.join(','),
          })
      : rule(APPLICATION_SCOPE, 'USCC_VALID', 'fail', 'decline', 'RL_USCC_INVALID', CLAUSES.uscc, { error: uscc.error, detail: uscc.detail }),
  )

  // POLICY §1 Size: recorded here; programmes that depend on it decide what an unknown size means.
  rules.push(
    sizeResult.size === 'unknown'
      ? rule(APPLICATION_SCOPE, 'SME_SIZE', 'fail', 'inform', 'RL_SIZE_UNKNOWN', CLAUSES.size, { missing: sizeResult.missing.join(',') })
      : rule(APPLICATION_SCOPE, 'SME_SIZE', 'pass', 'inform', 'RL_SIZE_CLASSIFIED', CLAUSES.size, { size: sizeResult.size, industry: sizeResult.industry }),
  )

  // Scoring not answering in time refers the application (no request is left hanging, and the
  // bank answers within its service level, 限时回复); it is never stuck or declined.
  rules.push(
    scoring === null
      ? rule(APPLICATION_SCOPE, 'SCORING_AVAILABLE', 'fail', 'refer', 'RL_SCORING_UNAVAILABLE', CLAUSES.scoring)
      : rule(APPLICATION_SCOPE, 'SCORING_AVAILABLE', 'pass', 'refer', 'RL_SCORING_AVAILABLE', CLAUSES.scoring, {
          modelId: scoring.modelId ?? null,
          modelVersion: scoring.modelVersion ?? null,
        }),
  )

  // A weak score refers to an officer rather than declining: the notices ask banks not to withdraw
  // or refuse credit blindly (不得盲目抽贷、断贷、压贷, POLICY §4), so a person looks at it.
  if (scoring === null) {
    rules.push(rule(APPLICATION_SCOPE, 'CREDIT_SCORE', 'not-applicable', 'refer', 'RL_SCORE_NOT_ASSESSED', CLAUSES.score))
  } else {
    const ok = scoring.score >= referral.minScore && scoring.pdPpm <= referral.maxPdPpm && !referral.referGrades.includes(scoring.grade)
    rules.push(
      rule(APPLICATION_SCOPE, 'CREDIT_SCORE', pass(ok), 'refer', ok ? 'RL_SCORE_ACCEPTABLE' : 'RL_SCORE_BELOW_THRESHOLD', CLAUSES.score, {
        score: scoring.score,
        minScore: referral.minScore,
        pdPpm: scoring.pdPpm,
        maxPdPpm: referral.maxPdPpm,
        grade: scoring.grade,
        referGrades: referral.referGrades.join(','),
      }),
    )
  }

  // POLICY §6: structural decline (or a signal the bank does not auto-approve) refers, never declines.
  if (scoring === null) {
    rules.push(rule(APPLICATION_SCOPE, 'HARDSHIP_SIGNAL', 'not-applicable', 'refer', 'RL_HARDSHIP_NOT_ASSESSED', CLAUSES.hardship))
  } else {
    const accepted = referral.autoApproveHardship[relief]
    const code = HARDSHIP_CODES[scoring.hardship]
    rules.push(
      rule(APPLICATION_SCOPE, 'HARDSHIP_SIGNAL', pass(accepted.includes(scoring.hardship)), 'refer', code, CLAUSES.hardship, {
        signal: scoring.hardship,
        autoApproved: accepted.join(','),
      }),
    )
  }

  // POLICY §1 Size rests on figures typed in; scoring reads the tax returns and the insured
  // headcount. An order of magnitude between them refers (an officer checks the statements); the
  // rule is evaluated only when scoring reported its figures, so decisions made before it did
  // replay as they were made.
  if (facts.figures !== null) {
    const { compared, implausible } = facts.figures
    const details = {
      factor: Number(IMPLAUSIBLE_FACTOR),
      ...Object.fromEntries(compared.flatMap((c) => [[`${c.field}Application`, c.application], [`${c.field}Observed`, c.observed]])),
      implausible: implausible.join(','),
    }
    rules.push(
      compared.length === 0
        ? rule(APPLICATION_SCOPE, 'FIGURES_CONSISTENT', 'not-applicable', 'refer', 'RL_FIGURES_NOT_COMPARABLE', CLAUSES.figures, details)
        : rule(APPLICATION_SCOPE, 'FIGURES_CONSISTENT', pass(implausible.length === 0), 'refer', implausible.length === 0 ? 'RL_FIGURES_CONSISTENT' : 'RL_FIGURES_IMPLAUSIBLE', CLAUSES.figures, details),
    )
  }
  return rules
}
