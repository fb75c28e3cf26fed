import type { FiredRule } from './judge.js'

/**
 * The life cycle of an escalated check (POLICY §4: "Borderline cases escalate to a risk officer; an
 * override needs two different approvers"). Pure: the use case loads and locks the escalation, asks
 * {@link reviewEscalation}, and stores what it answers.
 *
 *   open ──BLOCK by a risk officer──────────────────────────────▶ decided BLOCK
 *   open ──ALLOW by a risk officer──▶ awaiting-second ──ALLOW by another──▶ decided ALLOW (override)
 *                                                    └─BLOCK by another──▶ decided BLOCK
 *
 * Upholding the protection needs one risk officer; overriding it needs two different ones. Neither may
 * be the bank employee who requested the action (the check's `requestedBy`): the one who wants the
 * credit withdrawn does not judge whether it may be.
 */

export type EscalationStatus = 'open' | 'awaiting-second' | 'decided'

export interface Approval {
  readonly by: string
  readonly outcome: 'ALLOW' | 'BLOCK'
  readonly reason: string
  /** RFC 3339. */
  readonly at: string
}

export interface EscalationState {
  readonly status: EscalationStatus
  /** Who in the bank requested the action (the check's `requestedBy`). */
  readonly requestedBy: string
  /** The approvals so far, in order. */
  readonly approvals: readonly Approval[]
  /** The final outcome once decided. */
  readonly outcome: 'ALLOW' | 'BLOCK' | null
}

export interface ReviewCommand {
  /** The reviewer's subject, as their token names them. */
  readonly by: string
  readonly roles: readonly string[]
  readonly outcome: 'ALLOW' | 'BLOCK'
  readonly reason: string
  readonly at: string
}

export type ReviewRefusal = 'not-a-risk-officer' | 'requester-may-not-review' | 'same-approver' | 'already-decided'

export type ReviewResult =
  | { readonly kind: 'refused'; readonly refusal: ReviewRefusal; readonly status: 403 | 409; readonly message: string }
  | { readonly kind: 'awaiting-second'; readonly state: EscalationState }
  | { readonly kind: 'decided'; readonly state: EscalationState }

const refuse = (refusal: ReviewRefusal, status: 403 | 409, message: string): ReviewResult => ({ kind: 'refused', refusal, status, message })

/** A risk officer's decision on an escalated check, under the four-eyes rule. */
export function reviewEscalation(state: EscalationState, command: ReviewCommand): ReviewResult {
  if (!command.roles.includes('risk')) return refuse('not-a-risk-officer', 403, 'only a risk officer reviews an escalated check')
  if (state.status === 'decided') return refuse('already-decided', 409, `the escalation was decided: ${state.outcome ?? ''}`)
  if (command.by === state.requestedBy) return refuse('requester-may-not-review', 403, 'the requester of the action may not review it')
  const approval: Approval = { by: command.by, outcome: command.outcome, reason: command.reason, at: command.at }
  if (state.status === 'open') {
    if (command.outcome === 'BLOCK') return { kind: 'decided', state: { ...state, status: 'decided', approvals: [approval], outcome: 'BLOCK' } }
    return { kind: 'awaiting-second', state: { ...state, status: 'awaiting-second', approvals: [approval] } }
  }
  if (state.approvals.some((a) => a.by === command.by)) return refuse('same-approver', 403, 'an override needs a second, different risk officer')
  return { kind: 'decided', state: { ...state, status: 'decided', approvals: [...state.approvals, approval], outcome: command.outcome } }
}

/** A new escalation of a check requested by `requestedBy`. */
export function openEscalation(requestedBy: string): EscalationState {
  return { status: 'open', requestedBy, approvals: [], outcome: null }
}

/**
 * The rule a reviewed verdict adds to the check's: the override and its two approvers, or the
 * protection upheld and by whom (staff ids as their tokens name them, never names).
 */
export function reviewRule(state: EscalationState): FiredRule {
  const by = state.approvals.map((a) => a.by)
  if (state.outcome === 'ALLOW') {
    return { code: 'override', text: { zh: `经两名风险官复核准予（${by.join('、')}）`, en: `Allowed on review by two risk officers (${by.join(', ')})` } }
  }
  return { code: 'review-upheld', text: { zh: `风险官复核，保护维持，不予准许（${by.join('、')}）`, en: `Protection upheld on review; not allowed (${by.join(', ')})` } }
}
