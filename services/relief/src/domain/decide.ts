import {
  addDays,
  classifySmeSize,
  daysBetween,
  isInclusiveSmallMicroLoan,
  termClass,
  usccRegistrantKind,
  validateUscc,
  type CalendarDate,
  type SmeSize,
  type SmeSizeResult,
  type TermClass,
  type UsccValidation,
} from '@sme/domain'
import {
  assertValidApplication,
  originalMaturity,
  type DecisionContext,
  type DeferralRequest,
  type ExtensionRequest,
  type HardshipSignal,
  type ReliefApplication,
  type ReliefKind,
  type RenewalRequest,
  type ScoringSignal,
} from './application.js'
import { ReliefError } from './errors.js'
import { extensionLimit } from './extension.js'
import {
  compareVersionRefs,
  inWindow,
  versionRef,
  type DeferralEffects,
  type DeferralProgramme,
  type ExtensionRules,
  type PolicySet,
  type PolicyVersion,
  type PolicyVersionRef,
  type RenewalRules,
} from './policy.js'
import { REASON_TEXTS, type LocalizedText, type ReasonCode, type RuleId } from './reasons.js'

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
}

export type ReliefTerms = DeferralTerms | ExtensionTerms | RenewalTerms

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
  readonly subject: { readonly uscc: string; readonly loanId: string }
  readonly relief: ReliefKind
  readonly applicationDate: CalendarDate
  /** The bank's answer deadline (限时回复): application date + the service level in calendar days. */
  readonly answerBy: CalendarDate
  /** The programme or rule set the outcome rests on; `null` when none fits (declined). */
  readonly programme: (PolicyVersionRef & { readonly title: LocalizedText }) | null
  readonly size: SmeSize | 'unknown'
  readonly borrowerKind: 'enterprise' | 'individual-business'
  /** Every rule evaluated, in a fixed order: application rules, then each record's rules. */
  readonly rules: readonly RuleResult[]
  /** Why the outcome: the hard failures (DECLINED), the referrals (REFERRED), or the grant (APPROVED). */
  readonly reasons: readonly DecisionReason[]
  /** Granted terms (APPROVED) or the terms proposed to the officer (REFERRED); `null` when DECLINED. */
  readonly terms: ReliefTerms | null
  /** The policy versions consulted, ordered by kind then id; replaying under them gives this decision again. */
  readonly policyVersions: readonly PolicyVersionRef[]
}

const APPLICATION_SCOPE = 'application'

/** Clauses of the application-wide rules. */
const CLAUSES = {
  uscc: 'POLICY §1 Identifier (GB 32100-2015)',
  size: 'POLICY §1 Size (SME size standard 2011)',
  // Stored with every decision since the first: replays compare it, so the text stays as recorded.
  scoring: 'Issue 4: no request is left hanging; scoring unavailable → referred',
  score: 'POLICY §6 scoring; bank referral thresholds',
  hardship: 'POLICY §6 temporary hardship vs structural decline; bank referral thresholds',
} as const

const HARDSHIP_CODES: Readonly<Record<HardshipSignal, ReasonCode>> = {
  'temporary-shock': 'RL_HARDSHIP_TEMPORARY',
  'structural-decline': 'RL_HARDSHIP_STRUCTURAL',
  none: 'RL_HARDSHIP_NONE',
  'insufficient-data': 'RL_HARDSHIP_INSUFFICIENT_DATA',
}

interface Facts {
  readonly uscc: UsccValidation
  readonly sizeResult: SmeSizeResult
  readonly size: SmeSize | 'unknown'
  readonly borrowerKind: 'enterprise' | 'individual-business'
  readonly scoring: ScoringSignal | null
}

function rule(
  scope: string,
  id: RuleId,
  result: RuleOutcome,
  effect: RuleEffect,
  code: ReasonCode,
  clause: string,
  details: Record<string, DetailValue> = {},
): RuleResult {
  return { scope, rule: id, result, effect, code, text: REASON_TEXTS[code], clause, details }
}

const pass = (ok: boolean): RuleOutcome => (ok ? 'pass' : 'fail')

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
    subject: { uscc: application.enterprise.uscc, loanId: application.loan.loanId },
    relief: application.request.kind,
    applicationDate: context.applicationDate,
    answerBy: addDays(context.applicationDate, policy.bank.answerDeadlineDays),
    programme: parts.programme,
    size: facts.size,
    borrowerKind: facts.borrowerKind,
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
      const programmes = policy.deferralProgrammes
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
        terms: deferralTerms(best.programme, application, request),
        policyVersions: used(programmes),
      })
    }
    case 'extension': {
      const rules = policy.extension
      const inForce = rulesInForce(rules, 'POLICY §2 Extension')
      const evaluated = rules === null ? [] : extensionRules(rules, application, request, context)
      const all = [...common, inForce, ...evaluated]
      const settled = settle(all, rules?.id ?? APPLICATION_SCOPE)
      return make({
        ...settled,
        programme: rules === null || settled.outcome === 'DECLINED' ? null : { ...versionRef(rules), title: rules.title },
        rules: all,
        terms: rules === null || settled.outcome === 'DECLINED' ? null : extensionTerms(rules, application, request),
        policyVersions: used(rules === null ? [] : [rules]),
      })
    }
    case 'renewal': {
      const rules = policy.renewal
      const inForce = rulesInForce(rules, 'POLICY §2 Renewal without principal repayment')
      const evaluated = rules === null ? [] : renewalRules(rules, facts, application, request, policy, context)
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
              },
        policyVersions: used(rules === null ? [] : [rules]),
      })
    }
  }
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

function rank(candidate: { outcome: Outcome; mandatory: boolean }): number {
  if (candidate.mandatory) return 0
  return candidate.outcome === 'APPROVED' ? 1 : candidate.outcome === 'REFERRED' ? 2 : 3
}

function establishFacts(application: ReliefApplication, policy: PolicySet, context: DecisionContext): Facts {
  const { enterprise } = application
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
  return { uscc, sizeResult, size: sizeResult.size, borrowerKind, scoring: context.scoring === 'unavailable' ? null : context.scoring }
}

/** Rules about the application as a whole, whatever the relief. */
function applicationRules(facts: Facts, application: ReliefApplication, policy: PolicySet): RuleResult[] {
  const { uscc, sizeResult, scoring } = facts
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
  return rules
}

/** The rules of one deferral programme (POLICY §2 Temporary deferral). */
function deferralRules(
  programme: DeferralProgramme,
  facts: Facts,
  application: ReliefApplication,
  request: DeferralRequest,
  policy: PolicySet,
): RuleResult[] {
  const scope = programme.id
  const clause = programme.clause
  const { loan, commitments } = application
  const rules: RuleResult[] = []

  // Programmes for enterprises "in temporary difficulty" ask for a declared hardship; a missing
  // declaration refers (the officer asks), it does not decline.
  rules.push(
    programme.conditions.hardshipDeclared
      ? rule(scope, 'HARDSHIP_DECLARED', pass(application.hardship.declared), 'refer', application.hardship.declared ? 'RL_HARDSHIP_DECLARED' : 'RL_HARDSHIP_NOT_DECLARED', clause)
      : rule(scope, 'HARDSHIP_DECLARED', 'not-applicable', 'refer', 'RL_HARDSHIP_DECLARATION_NOT_REQUIRED', clause),
  )

  rules.push(borrowerEligibility(programme, facts, application, policy))

  // Programme windows, inclusive at both ends (POLICY §2).
  const principalDue = request.principalDueDate ?? loan.maturityDate
  const interestDue = request.interestDueDate ?? null
  if (programme.eligibility.basis === 'amounts-due') {
    const { principalDue: pw, interestDue: iw } = programme.eligibility
    const principalOk = !request.principal || inWindow(principalDue, pw)
    const interestOk = !request.interest || (interestDue !== null && inWindow(interestDue, iw))
    rules.push(
      rule(scope, 'DUE_DATE_WINDOW', pass(principalOk && interestOk), 'decline', principalOk && interestOk ? 'RL_DUE_IN_WINDOW' : 'RL_DUE_OUTSIDE_WINDOW', clause, {
        basis: 'amounts-due',
        principalDueDate: request.principal ? principalDue : null,
        principalWindow: `${pw.from}…${pw.to ?? ''}`,
        principalInWindow: request.principal ? principalOk : null,
        interestDueDate: request.interest ? interestDue : null,
        interestWindow: `${iw.from}…${iw.to ?? ''}`,
        interestInWindow: request.interest ? interestOk : null,
      }),
    )
  } else {
    const w = programme.eligibility.maturity
    const ok = inWindow(loan.maturityDate, w)
    rules.push(
      rule(scope, 'DUE_DATE_WINDOW', pass(ok), 'decline', ok ? 'RL_DUE_IN_WINDOW' : 'RL_DUE_OUTSIDE_WINDOW', clause, {
        basis: 'loan-maturity',
        maturityDate: loan.maturityDate,
        window: `${w.from}…${w.to ?? ''}`,
      }),
    )
  }

  const withinLimit = request.deferTo <= programme.deferUntilLatest
  rules.push(
    rule(scope, 'DEFERRAL_LIMIT', pass(withinLimit), 'decline', withinLimit ? 'RL_DEFERRAL_WITHIN_LIMIT' : 'RL_DEFERRAL_BEYOND_LIMIT', clause, {
      deferTo: request.deferTo,
      deferUntilLatest: programme.deferUntilLatest,
    }),
  )

  // The conditions of the mandatory grant (2020-06: "when the borrower applies, keeps an effective
  // guarantee (or a substitute) and commits to keep jobs stable"). Failing one makes the deferral
  // discretionary: referred, not declined.
  const applied = application.initiatedBy === 'borrower'
  rules.push(
    programme.conditions.borrowerApplication
      ? rule(scope, 'BORROWER_APPLIED', pass(applied), 'refer', applied ? 'RL_BORROWER_APPLIED' : 'RL_BANK_INITIATED', clause, { initiatedBy: application.initiatedBy })
      : rule(scope, 'BORROWER_APPLIED', 'not-applicable', 'refer', 'RL_APPLICATION_NOT_REQUIRED', clause),
  )
  if (!programme.conditions.effectiveGuarantee) {
    rules.push(rule(scope, 'GUARANTEE_KEPT', 'not-applicable', 'refer', 'RL_GUARANTEE_NOT_REQUIRED', clause))
  } else if (loan.guarantee.kind === 'none') {
    // An unsecured loan has no guarantee to keep: the condition cannot fail.
    rules.push(rule(scope, 'GUARANTEE_KEPT', 'not-applicable', 'refer', 'RL_UNSECURED_LOAN', clause, { guaranteeKind: 'none' }))
  } else {
    // Effective only if the security provider consents to the deferral: without consent a
    // guarantee does not follow the changed schedule.
    const kept = commitments.keepGuarantee && loan.guarantee.guarantorConsent
    rules.push(
      rule(scope, 'GUARANTEE_KEPT', pass(kept), 'refer', kept ? 'RL_GUARANTEE_KEPT' : 'RL_GUARANTEE_NOT_KEPT', clause, {
        guaranteeKind: loan.guarantee.kind,
        keepGuarantee: commitments.keepGuarantee,
        guarantorConsent: loan.guarantee.guarantorConsent,
      }),
    )
  }
  rules.push(
    programme.conditions.jobsCommitment
      ? rule(scope, 'JOBS_COMMITMENT', pass(commitments.keepJobs), 'refer', commitments.keepJobs ? 'RL_JOBS_COMMITTED' : 'RL_JOBS_NOT_COMMITTED', clause)
      : rule(scope, 'JOBS_COMMITMENT', 'not-applicable', 'refer', 'RL_JOBS_NOT_REQUIRED', clause),
  )

  // The mandatory grant holds when the programme is mandatory, the USCC identifies the borrower and
  // none of the programme's rules failed. It then overrides every referral (score, hardship signal,
  // scoring unavailable): POLICY §2 "the bank must grant it".
  if (!programme.mandatory) {
    rules.push(rule(scope, 'MANDATORY_GRANT', 'not-applicable', 'inform', 'RL_PROGRAMME_DISCRETIONARY', clause))
  } else {
    const unmet = rules.filter((r) => r.result === 'fail').map((r) => r.rule)
    if (!facts.uscc.valid) unmet.unshift('USCC_VALID')
    rules.push(
      rule(scope, 'MANDATORY_GRANT', pass(unmet.length === 0), 'inform', unmet.length === 0 ? 'RL_MANDATORY_GRANT' : 'RL_MANDATORY_CONDITIONS_NOT_MET', clause, {
        unmet: unmet.join(','),
      }),
    )
  }
  return rules
}

/** BORROWER_ELIGIBLE of a deferral programme: region rule first (Hubei), then the size criterion. */
function borrowerEligibility(programme: DeferralProgramme, facts: Facts, application: ReliefApplication, policy: PolicySet): RuleResult {
  const scope = programme.id
  const clause = programme.clause
  const { regionCode } = application.enterprise
  const criterion = programme.borrowers.criterion
  const region = programme.borrowers.allEnterprisesInRegions.find((prefix) => regionCode.startsWith(prefix))
  const details = { criterion, size: facts.size, borrowerKind: facts.borrowerKind, regionCode }
  // POLICY §2, 2020-03 programme: "In Hubei, all enterprises qualify" (region code prefix 42).
  if (region !== undefined) {
    return rule(scope, 'BORROWER_ELIGIBLE', 'pass', 'decline', 'RL_BORROWER_REGION_ALL_ENTERPRISES', clause, { ...details, regionPrefix: region })
  }
  const ok = (yes: boolean, extra: Record<string, DetailValue> = {}): RuleResult =>
    rule(scope, 'BORROWER_ELIGIBLE', pass(yes), 'decline', yes ? 'RL_BORROWER_ELIGIBLE' : 'RL_BORROWER_INELIGIBLE', clause, { ...details, ...extra })
  const unknown = (extra: Record<string, DetailValue> = {}): RuleResult =>
    rule(scope, 'BORROWER_ELIGIBLE', 'fail', 'refer', 'RL_BORROWER_SIZE_UNKNOWN', clause, { ...details, ...extra })

  switch (criterion) {
    case 'sme':
      // POLICY §2: "SMEs (incl. individual businesses and small-business owners)".
      if (facts.borrowerKind === 'individual-business') return ok(true)
      return facts.size === 'unknown' ? unknown() : ok(facts.size !== 'large')
    case 'small-micro':
      if (facts.borrowerKind === 'individual-business') return ok(true)
      return facts.size === 'unknown' ? unknown() : ok(facts.size === 'small' || facts.size === 'micro')
    case 'inclusive-small-micro': {
      // POLICY §1: total credit ≤ the cap (CNY 10 million), and a small/micro borrower.
      const { totalCreditFen } = application.loan
      const cap = policy.reference.inclusiveLoan.maxTotalCreditFen
      const credit = { totalCreditFen: totalCreditFen.toString(), maxTotalCreditFen: cap.toString() }
      if (facts.borrowerKind === 'individual-business') {
        return ok(isInclusiveSmallMicroLoan({ borrowerKind: 'individual-business', totalCreditFen }, policy.reference.inclusiveLoan), credit)
      }
      if (facts.size === 'unknown') return totalCreditFen > cap ? ok(false, credit) : unknown(credit)
      return ok(isInclusiveSmallMicroLoan({ borrowerKind: 'enterprise', size: facts.size, totalCreditFen }, policy.reference.inclusiveLoan), credit)
    }
  }
}

function deferralTerms(programme: DeferralProgramme, application: ReliefApplication, request: DeferralRequest): DeferralTerms {
  const principalDue = request.principalDueDate ?? application.loan.maturityDate
  return {
    kind: 'deferral',
    principal: request.principal ? { dueDate: principalDue, deferredTo: request.deferTo } : null,
    interest: request.interest && request.interestDueDate !== undefined ? { dueDate: request.interestDueDate, deferredTo: request.deferTo } : null,
    effects: { ...programme.effects },
  }
}

/** The extension rules of General Rules on Loans art. 12 (POLICY §2 Extension). */
function extensionRules(rules: ExtensionRules, application: ReliefApplication, request: ExtensionRequest, context: DecisionContext): RuleResult[] {
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

function extensionTerms(rules: ExtensionRules, application: ReliefApplication, request: ExtensionRequest): ExtensionTerms {
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

/** The keep-normal conditions of a renewal (POLICY §2): all pass → the renewed loan stays normal. */
const KEEP_NORMAL_RULES: readonly RuleId[] = [
  'RENEWAL_ORIGINAL_NORMAL',
  'RENEWAL_LAWFUL_STABLE',
  'RENEWAL_NO_DIVERTED_FUNDS',
  'RENEWAL_NO_UNPAID_INTEREST',
  'RENEWAL_NO_DEBT_EVASION',
  'RENEWAL_LENDING_STANDARDS',
]

function signBy(rules: RenewalRules, application: ReliefApplication): CalendarDate {
  return addDays(application.loan.maturityDate, -rules.withoutPrincipalRepayment.signDaysBeforeMaturity)
}

/** Renewal rules (POLICY §2 Renewal without principal repayment). */
function renewalRules(
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
    // "small/micro working-capital loans"
    const productOk = wpr.products.includes(loan.product)
    out.push(
      rule(scope, 'RENEWAL_PRODUCT', pass(productOk), 'decline', productOk ? 'RL_RENEWAL_PRODUCT_ELIGIBLE' : 'RL_RENEWAL_PRODUCT_INELIGIBLE', clause, {
        product: loan.product,
        products: wpr.products.join(','),
      }),
    )
    // "(and medium enterprises' for maturities before 2027-09-30)": strictly before the cut-off.
    const details = { size: facts.size, borrowerKind: facts.borrowerKind, maturityDate: loan.maturityDate, mediumMaturityBefore: wpr.mediumEnterprises?.maturityBefore ?? null }
    if (facts.borrowerKind === 'individual-business' && wpr.individualBusinesses) {
      out.push(rule(scope, 'RENEWAL_BORROWER', 'pass', 'decline', 'RL_RENEWAL_BORROWER_SMALL_MICRO', clause, details))
    } else if (facts.size === 'unknown') {
      out.push(rule(scope, 'RENEWAL_BORROWER', 'fail', 'refer', 'RL_BORROWER_SIZE_UNKNOWN', clause, details))
    } else if (wpr.sizes.includes(facts.size)) {
      out.push(rule(scope, 'RENEWAL_BORROWER', 'pass', 'decline', 'RL_RENEWAL_BORROWER_SMALL_MICRO', clause, details))
    } else if (facts.size === 'medium' && wpr.mediumEnterprises !== null) {
      const ok = loan.maturityDate < wpr.mediumEnterprises.maturityBefore
      out.push(rule(scope, 'RENEWAL_BORROWER', pass(ok), 'decline', ok ? 'RL_RENEWAL_BORROWER_MEDIUM' : 'RL_RENEWAL_MEDIUM_AFTER_CUTOFF', clause, details))
    } else {
      out.push(rule(scope, 'RENEWAL_BORROWER', 'fail', 'decline', 'RL_RENEWAL_BORROWER_INELIGIBLE', clause, details))
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

/** Whether the rules a relief kind needs (extension, renewal) are in force on the application date. */
function rulesInForce(rules: { id: string; version: number | string } | null, clause: string) {
  return rule(
    APPLICATION_SCOPE,
    'POLICY_IN_FORCE',
    pass(rules !== null),
    'decline',
    rules !== null ? 'RL_POLICY_IN_FORCE' : 'RL_NO_RULES_IN_FORCE',
    clause,
    { rules: rules === null ? null : `${rules.id}@${rules.version}` },
  )
}
