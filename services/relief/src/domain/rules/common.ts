// What every rule family (application-wide, deferral, extension, renewal) builds its results from:
// the rule result constructor, the facts established once per application, and shared clauses.
import type { SmeSize, SmeSizeResult, UsccValidation } from '@sme/domain'
import type { HardshipSignal } from '@sme/contracts/vocabulary'
import type { ReliefPerson, ScoringSignal } from '../application.js'
import type { PersonScope } from '../policy.js'
import type { FiguresCheck } from '../figures-check.js'
import type { DetailValue, RuleEffect, RuleOutcome, RuleResult } from '../decision.js'
import { REASON_TEXTS, type ReasonCode, type RuleId } from '../reasons.js'

export const APPLICATION_SCOPE = 'application'

/** Clauses of the application-wide rules. */
export const CLAUSES = {
  uscc: 'POLICY §1 Identifier (GB 32100-2015)',
  size: 'POLICY §1 Size (SME size standard 2011)',
  // Stored with every decision since the first: replays compare it, so the text stays as recorded.
  scoring: 'Issue 4: no request is left hanging; scoring unavailable → referred',
  score: 'POLICY §6 scoring; bank referral thresholds',
  hardship: 'POLICY §6 temporary hardship vs structural decline; bank referral thresholds',
  figures: 'POLICY §1 Size (SME size standard 2011): the figures it rests on, against the scored data (POLICY §6)',
  borrowerId: 'POLICY §1 Natural persons: a pseudonymous id (个人信息保护法 art. 28: identity numbers are sensitive personal information)',
  personNotScored: 'POLICY §6 scoring covers enterprises; natural persons are assessed by an officer',
} as const

export const HARDSHIP_CODES: Readonly<Record<HardshipSignal, ReasonCode>> = {
  'temporary-shock': 'RL_HARDSHIP_TEMPORARY',
  'structural-decline': 'RL_HARDSHIP_STRUCTURAL',
  none: 'RL_HARDSHIP_NONE',
  'insufficient-data': 'RL_HARDSHIP_INSUFFICIENT_DATA',
}

/** Who borrows, as the rules tell them apart. */
export type BorrowerKind = 'enterprise' | 'individual-business' | 'person'

export interface Facts {
  /** The enterprise's code checked; `null` for a natural person. */
  readonly uscc: UsccValidation | null
  /** The natural person, or `null` for an enterprise. */
  readonly person: ReliefPerson | null
  /** The borrower is identified: a valid USCC, or a pseudonymous id holding no identity number. */
  readonly identified: boolean
  /** The size classification; `null` for a natural person, who has none. */
  readonly sizeResult: SmeSizeResult | null
  readonly size: SmeSize | 'unknown' | 'not-applicable'
  readonly borrowerKind: BorrowerKind
  readonly scoring: ScoringSignal | null
  /** The application's size figures against the scored data; `null` when scoring reported none. */
  readonly figures: FiguresCheck | null
}

export function rule(
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

export const pass = (ok: boolean): RuleOutcome => (ok ? 'pass' : 'fail')

/** Whether the rules a relief kind needs (extension, renewal) are in force on the application date. */
export function rulesInForce(rules: { id: string; version: number | string } | null, clause: string) {
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

/** Whether a scope names the person, on this loan: `covered`, or why not. */
export function personCoverage(scope: PersonScope | undefined, person: ReliefPerson): 'covered' | 'role-not-named' | 'not-a-business-loan' {
  const named = scope?.roles.find((r) => r.role === person.role)
  if (named === undefined) return 'role-not-named'
  return named.businessLoansOnly && !person.businessLoan ? 'not-a-business-loan' : 'covered'
}
