import type { Decision, ReliefTerms, RuleResult } from './decision.js'
import type { RuleId } from './reasons.js'

/**
 * What officer review may change, and what it may not. A rule whose failure declines is **hard**:
 * it states a fact of law or of the programme (who the borrower is, a legal cap, a programme's
 * window, eligibility the notice defines), and no officer can set it aside. A rule whose failure
 * refers is **discretionary**: it asks for a judgement the rules cannot make (the score, the
 * hardship, evidence still missing), and that judgement is the officers' — two of them.
 *
 * Hence, on review:
 * - an application the rules **declined** cannot be approved: every decline rests on a hard rule.
 *   If the facts were wrong (a mistyped USCC, a wrong maturity), the remedy is a corrected
 *   application, decided again by the rules, never an override of the rule;
 * - a **referral** may be approved or declined; an approval grants the terms the rules computed
 *   for it, never terms of the officer's own;
 * - an **approval** of the rules may be declined on judgement, except a mandatory grant (2020-06
 *   programme, 银发〔2020〕122号, 2020-06-01: 应延尽延), which nobody declines.
 */

/** Why a hard rule binds: the ground the bank cannot waive. */
export type HardGround = 'identity' | 'legal-cap' | 'programme-window' | 'eligibility-by-law' | 'security-by-law'
/** What a discretionary rule leaves to the officers. */
export type DiscretionaryGround = 'score' | 'hardship-judgement' | 'missing-evidence' | 'borrower-conduct' | 'agreement'

/**
 * Every rule, with the ground it declines on (hard) and the ground it refers on (discretionary).
 * Some rules can do either: eligibility by size declines when the size is known and too large,
 * refers when the figures to classify the firm are missing. A rule result's `effect` says which
 * applied; a test checks every result of the rules against this table.
 */
export const RULE_GROUNDS: Readonly<Record<RuleId, { readonly hard: HardGround | null; readonly discretionary: DiscretionaryGround | null }>> = {
  // POLICY §1 Identifier (GB 32100-2015): a borrower who cannot be identified is not lent to.
  USCC_VALID: { hard: 'identity', discretionary: null },
  // A natural person's id that holds an identity number is not acted on (nor kept).
  BORROWER_ID: { hard: 'identity', discretionary: null },
  // POLICY §1 Size: informs only.
  SME_SIZE: { hard: null, discretionary: 'missing-evidence' },
  // POLICY §2: relief exists only within a programme or rule set in force on the application date.
  POLICY_IN_FORCE: { hard: 'programme-window', discretionary: null },
  SCORING_AVAILABLE: { hard: null, discretionary: 'missing-evidence' },
  CREDIT_SCORE: { hard: null, discretionary: 'score' },
  HARDSHIP_SIGNAL: { hard: null, discretionary: 'hardship-judgement' },
  HARDSHIP_DECLARED: { hard: null, discretionary: 'hardship-judgement' },
  // Figures an order of magnitude from the scored data: the officer checks the statements.
  FIGURES_CONSISTENT: { hard: null, discretionary: 'missing-evidence' },
  // POLICY §2 deferral programmes: who is eligible is the notice's, unless the size is unknown.
  BORROWER_ELIGIBLE: { hard: 'eligibility-by-law', discretionary: 'missing-evidence' },
  // A programme may leave its window or its limit to agreement between bank and firm (自主协商,
  // 另外的延期安排), or set a limit only in principle (原则上): then they refer.
  DUE_DATE_WINDOW: { hard: 'programme-window', discretionary: 'agreement' },
  // A programme limited to some regions (a province's or a city's own) covers no firm elsewhere.
  PROGRAMME_REGION: { hard: 'programme-window', discretionary: null },
  DEFERRAL_LIMIT: { hard: 'legal-cap', discretionary: 'agreement' },
  BORROWER_APPLIED: { hard: null, discretionary: 'missing-evidence' },
  GUARANTEE_KEPT: { hard: null, discretionary: 'missing-evidence' },
  JOBS_COMMITMENT: { hard: null, discretionary: 'missing-evidence' },
  MANDATORY_GRANT: { hard: null, discretionary: null },
  NEGOTIATED_ARRANGEMENT: { hard: null, discretionary: 'agreement' },
  // Documents outstanding where they may not follow: the officer decides once they are in.
  DOCUMENTS_COMPLETE: { hard: null, discretionary: 'missing-evidence' },
  // POLICY §2 Extension, 《贷款通则》(1996) art. 12: applied for before maturity, within the cap,
  // with the guarantor's written consent (担保法 / 民法典 guarantee rules).
  EXTENSION_BEFORE_MATURITY: { hard: 'eligibility-by-law', discretionary: null },
  EXTENSION_CAP: { hard: 'legal-cap', discretionary: null },
  GUARANTOR_CONSENT: { hard: 'security-by-law', discretionary: 'missing-evidence' },
  // POLICY §2 Renewal without principal repayment: products, borrowers and timing the notices name.
  RENEWAL_PRODUCT: { hard: 'eligibility-by-law', discretionary: null },
  RENEWAL_BORROWER: { hard: 'eligibility-by-law', discretionary: 'missing-evidence' },
  RENEWAL_BEFORE_MATURITY: { hard: 'eligibility-by-law', discretionary: null },
  RENEWAL_ORIGINAL_NORMAL: { hard: null, discretionary: 'borrower-conduct' },
  RENEWAL_LAWFUL_STABLE: { hard: null, discretionary: 'borrower-conduct' },
  RENEWAL_NO_DIVERTED_FUNDS: { hard: null, discretionary: 'borrower-conduct' },
  RENEWAL_NO_UNPAID_INTEREST: { hard: null, discretionary: 'borrower-conduct' },
  RENEWAL_NO_DEBT_EVASION: { hard: null, discretionary: 'borrower-conduct' },
  RENEWAL_LENDING_STANDARDS: { hard: null, discretionary: 'missing-evidence' },
}

/** A hard rule the automated outcome rests on. */
export interface BindingRule {
  readonly scope: string
  readonly rule: RuleId
  /** From {@link RULE_GROUNDS}; every rule that can decline names one (checked by the tests). */
  readonly ground: HardGround | null
}

/** What review may do with an automated decision. */
export interface ReviewScope {
  /** A mandatory grant: nobody declines it. */
  readonly mandatory: boolean
  /** The hard rules that failed and decided the outcome; an approval is impossible while any is listed. */
  readonly binding: readonly BindingRule[]
  /** The terms an approval on review grants: those the rules computed; `null` when they computed none. */
  readonly terms: ReliefTerms | null
}

const isBindingFailure = (r: RuleResult): boolean => r.result === 'fail' && r.effect === 'decline'

/**
 * The scope of review of one automated decision. Only a decline rests on hard rules (a deferral
 * weighs every programme in force and declines only when none can grant it), so `binding` lists the
 * hard failures of a DECLINED decision and is empty otherwise.
 */
export function reviewScope(decision: Decision): ReviewScope {
  const binding =
    decision.outcome === 'DECLINED'
      ? decision.rules.filter(isBindingFailure).map((r) => ({ scope: r.scope, rule: r.rule, ground: RULE_GROUNDS[r.rule].hard }))
      : []
  return { mandatory: decision.mandatory, binding, terms: decision.outcome === 'DECLINED' ? null : decision.terms }
}

/** What the life cycle needs to know of an automated decision to judge a review. */
export function automatedState(decision: Decision): { mandatory: boolean; binding: RuleId[]; hasTerms: boolean } {
  const scope = reviewScope(decision)
  return { mandatory: scope.mandatory, binding: scope.binding.map((b) => b.rule), hasTerms: scope.terms !== null }
}
