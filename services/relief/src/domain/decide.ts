import { addDays } from '@sme/domain'
import { assertValidApplication, type DecisionContext, type ReliefApplication } from './application.js'
import type { Decision, DecisionReason, Outcome, RuleResult } from './decision.js'
import { ReliefError } from './errors.js'
import { compareVersionRefs, versionRef } from './policy-set.js'
import { documentsRule } from './documents.js'
import type { DeferralProgramme, ExtensionRules, PolicySet, PolicyVersion, PolicyVersionRef, RenewalRules } from './policy.js'
import { REASON_TEXTS } from './reasons.js'
import { applicationRules, establishFacts } from './rules/application.js'
import { APPLICATION_SCOPE, pass, rule, rulesInForce } from './rules/common.js'
import { deferralRules, deferralTerms } from './rules/deferral.js'
import { extensionRules, extensionTerms } from './rules/extension.js'
import { KEEP_NORMAL_RULES, renewalRules, signBy } from './rules/renewal.js'

/**
 * Decides one relief application under `policy`. Pure and deterministic: no I/O, no clock (the
 * application date is in `context`), the same input and policy give a deep-equal decision, so a
 * stored application re-decided under its recorded versions gives the same outcome, and under a
 * draft version shows what would change.
 *
 * Order of precedence:
 * 1. **Mandatory grant** (2020-06 programme, POLICY §2): eligible borrower, dates within the
 *    programme, the borrower applied, effective guarantee kept, jobs commitment, and a valid USCC
 *    → APPROVED with `mandatory: true`, whatever the score, the hardship signal or scoring being
 *    unavailable.
 * 2. Any hard rule fails (invalid USCC, outside every programme window or limit, extension applied
 *    late or beyond the cap, no guarantor consent to an extension, renewal not eligible) →
 *    DECLINED with every hard failure as a reason.
 * 3. Any referral rule fails (scoring unavailable, score or grade below thresholds, structural
 *    decline, size unknown, missing commitments, a renewal keep-normal condition) → REFERRED;
 *    never auto-declined for these.
 * 4. Otherwise APPROVED.
 *
 * For a deferral every programme in force is evaluated (they overlap in June 2020) and the best
 * outcome is taken: a mandatory grant, then APPROVED, REFERRED, DECLINED; ties go to the earlier
 * programme. All programmes' rules are reported.
 *
 * @throws ReliefError `invalid-application` for a malformed application (see
 *   `validateApplication`); `invalid-argument` when `policy` is not the set in force on the
 *   application date.
 */
export function decide(application: ReliefApplication, policy: PolicySet, context: DecisionContext): Decision {
  assertValidApplication(application, context)
  if (policy.asOf !== context.applicationDate) {
    throw new ReliefError('invalid-argument', `policy set is as of ${policy.asOf}, the application is dated ${context.applicationDate}`)
  }
  const facts = establishFacts(application, policy, context)
  const common = applicationRules(facts, application, policy)
  // One constructor, so every decision has the same key order (stable JSON for storage and diffs).
  const make = (parts: Pick<Decision, 'outcome' | 'mandatory' | 'programme' | 'rules' | 'reasons' | 'terms' | 'policyVersions'>): Decision => ({
    outcome: parts.outcome,
    mandatory: parts.mandatory,
    subject:
      application.person !== undefined
        ? { borrowerId: application.person.borrowerId, loanId: application.loan.loanId }
        : { uscc: application.enterprise.uscc, loanId: application.loan.loanId },
    relief: application.request.kind,
    applicationDate: context.applicationDate,
    answerBy: addDays(context.applicationDate, policy.bank.answerDeadlineDays),
    programme: parts.programme,
    size: facts.size,
    borrowerKind: facts.borrowerKind,
    ...(facts.person === null ? {} : { personRole: facts.person.role }),
    rules: parts.rules,
    reasons: parts.reasons,
    terms: parts.terms,
    policyVersions: parts.policyVersions,
  })
  const used = (records: readonly PolicyVersion[]): PolicyVersionRef[] =>
    [policy.reference, policy.bank, ...records].map(versionRef).sort(compareVersionRefs)

  const request = application.request
  switch (request.kind) {
    case 'deferral': {
      // A programme whose text names natural persons alone (40号) is not one an enterprise applies under.
      const programmes = policy.deferralProgrammes.filter((p) => facts.person !== null || p.borrowers.criterion !== 'persons-only')
      const inForce = rule(
        APPLICATION_SCOPE,
        'POLICY_IN_FORCE',
        pass(programmes.length > 0),
        'decline',
        programmes.length > 0 ? 'RL_POLICY_IN_FORCE' : 'RL_NO_PROGRAMME_IN_FORCE',
        'POLICY §2 Temporary deferral (programmes are dated records)',
        { programmes: programmes.map((p) => `${p.id}@${p.version}`).join(',') },
      )
      const commonRules = [...common, inForce]
      const candidates = programmes.map((programme) => {
        const rules = deferralRules(programme, facts, application, request, policy)
        return { programme, rules, ...settle([...commonRules, ...rules], programme.id) }
      })
      const allRules = [...commonRules, ...candidates.flatMap((c) => c.rules)]
      const best = [...candidates].sort((a, b) => rank(a) - rank(b))[0]
      if (best === undefined || best.outcome === 'DECLINED') {
        const reasons = allRules.filter((r) => r.result === 'fail' && r.effect === 'decline').map(toReason)
        return make({ outcome: 'DECLINED', mandatory: false, programme: null, rules: allRules, reasons, terms: null, policyVersions: used(programmes) })
      }
      return make({
        outcome: best.outcome,
        mandatory: best.mandatory,
        programme: { ...versionRef(best.programme), title: best.programme.title },
        rules: allRules,
        reasons: best.reasons,
        terms: deferralTerms(best.programme, application, request, policy, best.mandatory),
        policyVersions: used(programmes),
      })
    }
    case 'extension': {
      const rules = policy.extension
      const inForce = rulesInForce(rules, 'POLICY §2 Extension')
      const evaluated = rules === null ? [] : [...extensionRules(rules, application, request, context), ...documentsRules(rules, application)]
      const all = [...common, inForce, ...evaluated]
      const settled = settle(all, rules?.id ?? APPLICATION_SCOPE)
      return make({
        ...settled,
        programme: rules === null || settled.outcome === 'DECLINED' ? null : { ...versionRef(rules), title: rules.title },
        rules: all,
        terms: rules === null || settled.outcome === 'DECLINED' ? null : extensionTerms(rules, application, request, context),
        policyVersions: used(rules === null ? [] : [rules]),
      })
    }
    case 'renewal': {
      const rules = policy.renewal
      const inForce = rulesInForce(rules, 'POLICY §2 Renewal without principal repayment')
      const evaluated = rules === null ? [] : [...renewalRules(rules, facts, application, request, policy, context), ...documentsRules(rules, application)]
      const all = [...common, inForce, ...evaluated]
      const settled = settle(all, rules?.id ?? APPLICATION_SCOPE)
      const keepsNormal = evaluated.filter((r) => KEEP_NORMAL_RULES.includes(r.rule)).every((r) => r.result === 'pass')
      return make({
        ...settled,
        programme: rules === null || settled.outcome === 'DECLINED' ? null : { ...versionRef(rules), title: rules.title },
        rules: all,
        terms:
          rules === null || settled.outcome === 'DECLINED'
            ? null
            : {
                kind: 'renewal',
                withoutPrincipalRepayment: request.withoutPrincipalRepayment,
                newMaturity: request.newMaturity,
                signContractBy: request.withoutPrincipalRepayment ? signBy(rules, application) : null,
                renewedClassification: keepsNormal ? 'normal' : 'on-repayment-capacity',
                ...(rules.withoutPrincipalRepayment.dueDiligenceExemption === true ? { dueDiligenceExemption: true } : {}),
              },
        policyVersions: used(rules === null ? [] : [rules]),
      })
    }
  }
}

/** Extensions and renewals let no document follow: documents outstanding refer (容缺办理 is a deferral programme's). */
function documentsRules(rules: ExtensionRules | RenewalRules, application: ReliefApplication): RuleResult[] {
  return application.documents === undefined ? [] : [documentsRule(rules.id, rules.clause, application.documents, false)]
}

function toReason(r: RuleResult): DecisionReason {
  return { scope: r.scope, rule: r.rule, code: r.code, text: r.text }
}

/** The outcome of a set of rules: mandatory grant, then hard failures, then referrals. */
function settle(rules: readonly RuleResult[], scope: string): { outcome: Outcome; mandatory: boolean; reasons: DecisionReason[] } {
  const grant = rules.find((r) => r.rule === 'MANDATORY_GRANT' && r.result === 'pass')
  if (grant !== undefined) return { outcome: 'APPROVED', mandatory: true, reasons: [toReason(grant)] }
  const declines = rules.filter((r) => r.result === 'fail' && r.effect === 'decline')
  if (declines.length > 0) return { outcome: 'DECLINED', mandatory: false, reasons: declines.map(toReason) }
  const referrals = rules.filter((r) => r.result === 'fail' && r.effect === 'refer')
  if (referrals.length > 0) return { outcome: 'REFERRED', mandatory: false, reasons: referrals.map(toReason) }
  return { outcome: 'APPROVED', mandatory: false, reasons: [{ scope, rule: null, code: 'RL_ALL_RULES_PASSED', text: REASON_TEXTS.RL_ALL_RULES_PASSED }] }
}

function rank(candidate: { outcome: Outcome; mandatory: boolean; programme?: DeferralProgramme }): number {
  if (candidate.mandatory) return 0
  const base = candidate.outcome === 'APPROVED' ? 2 : candidate.outcome === 'REFERRED' ? 4 : 6
  // At the same outcome, a programme with terms of its own before one that leaves the date to the
  // officer (40号 beside 国发〔2022〕12号 for a truck driver): the officer starts from the stated terms.
  return candidate.programme?.deferUntilLatest === null ? base + 1 : base
}
