import type { LocalizedText } from '@sme/domain'
import type { Outcome } from './decision.js'
import { REASON_TEXTS, type RuleId } from './reasons.js'

/**
 * The life cycle of a relief application, as a pure decider: given the application's state and a
 * command, either the change to make or a refusal with a stable code. The use cases only load and
 * lock the rows, ask this module, and store what it answers.
 *
 *   awaiting-score ──decided by the rules──▶ approved | declined  (final, revision 1, published)
 *                  └─────────────────────────▶ referred             (officers' review queue)
 *   referred | approved | declined ──proposed (officer A)──▶ same status, one pending proposal
 *                                  ──confirmed (officer B ≠ A)──▶ approved | declined (revision + 1)
 *                                  ──rejected (a supervisor)──▶ same status, the proposal closed
 *   awaiting-score | referred ──withdrawn (core banking or the borrower's officer)──▶ withdrawn
 *
 * The rules behind it:
 * - A referral is the bank's internal work until two officers decide it; the answer itself is due
 *   within the bank's service level (限时回复, POLICY §2), watched by the timeout sweeper.
 * - Four eyes (DESIGN: "overrides and escalations need a second, different person"; the separation
 *   of loan review and approval, 审贷分离, that 《贷款通则》(1996) requires): an officer proposes, a
 *   different person confirms; nobody confirms their own proposal; a proposal made on an older
 *   state of the application cannot be confirmed; once decided on review, it is closed to review.
 * - Review turns only what the rules leave to judgement (domain/discretion.ts): a decline rests on
 *   hard rules (identity, legal caps, programme windows, eligibility by law) and is never approved
 *   on review; an approval on review grants the terms the rules computed, so one without terms is
 *   refused.
 * - A mandatory grant cannot be declined, by proposal or by confirmation: where the conditions of
 *   《关于进一步对中小微企业贷款实施阶段性延期还本付息的通知》(银发〔2020〕122号, PBoC, CBIRC, MOF,
 *   NDRC, MIIT, 2020-06-01) hold, the bank must grant the deferral (应延尽延).
 */

/**
 * Application statuses: `awaiting-score` → `approved` | `declined` (final) | `referred` (officer
 * review); `withdrawn` when the submitter or the borrower's officer takes it back before it is final.
 */
export const APPLICATION_STATUSES = ['awaiting-score', 'referred', 'approved', 'declined', 'withdrawn'] as const
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number]

/** Statuses that still owe the applicant an answer (the answer deadline applies to them). */
export const OPEN_STATUSES: readonly ApplicationStatus[] = ['awaiting-score', 'referred']

export type FinalOutcome = 'APPROVED' | 'DECLINED'
export type DecidedBy = 'rules' | 'review'

/** What the life cycle needs to know of an application. */
export interface ApplicationState {
  readonly status: ApplicationStatus
  /** Incremented by every stored change: a proposal records the version it was made on. */
  readonly version: number
  /** Final decisions so far (0 before the first); the published event carries it. */
  readonly revision: number
  readonly finalOutcome: FinalOutcome | null
  readonly decidedBy: DecidedBy | null
  /**
   * The automated decision, once made: whether it is a mandatory grant, the hard rules its outcome
   * rests on (see `reviewScope`), and whether it computed terms an approval could grant.
   */
  readonly automated: { readonly mandatory: boolean; readonly binding: readonly RuleId[]; readonly hasTerms: boolean } | null
}

/** A proposal as the confirmation sees it. */
export interface ProposalState {
  readonly id: string
  readonly outcome: FinalOutcome
  readonly proposedBy: string
  readonly status: 'pending' | 'confirmed' | 'superseded' | 'rejected'
  readonly applicationVersion: number
}

export type LifecycleCommand =
  | { readonly kind: 'decide'; readonly outcome: Outcome; readonly mandatory: boolean }
  | { readonly kind: 'withdraw'; readonly by: string }
  | { readonly kind: 'reject'; readonly proposal: ProposalState; readonly by: string }
  | { readonly kind: 'propose'; readonly outcome: FinalOutcome; readonly by: string; readonly applicationVersion?: number | undefined }
  | { readonly kind: 'confirm'; readonly proposal: ProposalState; readonly by: string }

/** The change a command makes. `final` is set when the application gets a (new) final outcome, to publish. */
export type LifecycleChange =
  | { readonly kind: 'decided'; readonly status: ApplicationStatus; readonly final: { readonly outcome: FinalOutcome; readonly decidedBy: 'rules'; readonly revision: 1 } | null }
  | { readonly kind: 'proposed'; readonly overturns: FinalOutcome | null }
  | { readonly kind: 'withdrawn'; readonly status: 'withdrawn' }
  | { readonly kind: 'rejected' }
  | {
      readonly kind: 'confirmed'
      readonly status: ApplicationStatus
      readonly final: { readonly outcome: FinalOutcome; readonly decidedBy: 'review'; readonly revision: number }
      /** The automated outcome the review overturned; null for a referral decided on review. */
      readonly overturned: FinalOutcome | null
    }

/** Why a command is refused; each maps to one HTTP status (see {@link REFUSAL_STATUS}). */
export const REFUSALS = {
  LC_NOT_AWAITING_SCORE: { zh: '申请已有自动结论，不能再次由规则决定', en: 'The application was already decided by the rules' },
  LC_AWAITING_SCORE: { zh: '申请仍在等待评分，尚无可复核的内容', en: 'The application is still awaiting its score: nothing to review yet' },
  LC_DECIDED_ON_REVIEW: { zh: '申请已经复核决定，不能再次复核', en: 'The application was already decided on review' },
  LC_SAME_OUTCOME: { zh: '提议的结论与现有结论相同', en: 'The application already has this outcome' },
  LC_STALE_VERSION: { zh: '申请在提议之后已有变化，请重新加载', en: 'The application changed since the version given: reload it' },
  LC_MANDATORY_GRANT: {
    zh: '符合2020年6月阶段性延期还本付息政策的条件，银行应予延期（银发〔2020〕122号），不能拒绝',
    en: 'The mandatory grant of the 2020-06 programme applies (银发〔2020〕122号: the bank must grant it): it cannot be declined',
  },
  LC_HARD_RULE: {
    zh: '规则依据硬性条件（主体身份、法定上限、政策期限或法定条件）不予批准，复核不能改为批准；如事实有误，请更正后重新申请',
    en: 'The rules declined on a hard rule (identity, a legal cap, a programme window or eligibility by law): review cannot approve it; if the facts were wrong, submit a corrected application',
  },
  LC_NO_TERMS: { zh: '规则未给出可批准的条件，不能批准', en: 'The rules computed no terms to grant: an approval must carry the terms it grants' },
  LC_OWN_PROPOSAL: { zh: '提议人不能复核自己的提议，须由另一人确认', en: 'Nobody confirms their own proposal: a second, different person must confirm it' },
  LC_PROPOSAL_NOT_PENDING: { zh: '该提议已确认或已被新的提议取代', en: 'The proposal was already confirmed or superseded' },
  LC_NO_AUTOMATED_DECISION: { zh: '申请尚无自动结论', en: 'The application has no automated decision yet' },
  LC_FINAL: { zh: '申请已有最终结论，不能撤回', en: 'The application is already final: it cannot be withdrawn' },
  LC_WITHDRAWN: { zh: '申请已撤回', en: 'The application was withdrawn' },
} as const satisfies Record<string, LocalizedText>
export type RefusalCode = keyof typeof REFUSALS

/** The HTTP status class of each refusal: the state forbids it (conflict), the person may not (forbidden), the rules never allow it (unprocessable). */
export const REFUSAL_STATUS: Record<RefusalCode, 'conflict' | 'forbidden' | 'unprocessable'> = {
  LC_NOT_AWAITING_SCORE: 'conflict',
  LC_AWAITING_SCORE: 'conflict',
  LC_DECIDED_ON_REVIEW: 'conflict',
  LC_SAME_OUTCOME: 'conflict',
  LC_STALE_VERSION: 'conflict',
  LC_MANDATORY_GRANT: 'unprocessable',
  LC_HARD_RULE: 'unprocessable',
  LC_NO_TERMS: 'unprocessable',
  LC_OWN_PROPOSAL: 'forbidden',
  LC_PROPOSAL_NOT_PENDING: 'conflict',
  LC_NO_AUTOMATED_DECISION: 'conflict',
  LC_FINAL: 'conflict',
  LC_WITHDRAWN: 'conflict',
}

/** A refusal; `binding` names the hard rules behind `LC_HARD_RULE`. */
export type LifecycleResult =
  | { readonly ok: true; readonly change: LifecycleChange }
  | { readonly ok: false; readonly refused: RefusalCode; readonly binding?: readonly RuleId[] }

const refuse = (refused: RefusalCode): LifecycleResult => ({ ok: false, refused })

/** Whether the automated decision lets review reach `outcome`: never a decline of a mandatory grant, never an approval past a hard rule or without terms. */
function withinDiscretion(automated: NonNullable<ApplicationState['automated']>, outcome: FinalOutcome): LifecycleResult | null {
  if (outcome === 'DECLINED') return automated.mandatory ? refuse('LC_MANDATORY_GRANT') : null
  if (automated.binding.length > 0) return { ok: false, refused: 'LC_HARD_RULE', binding: automated.binding }
  if (!automated.hasTerms) return refuse('LC_NO_TERMS')
  return null
}

/** What a review outcome would overturn, or why the application cannot be reviewed to it. */
function reviewable(state: ApplicationState, outcome: FinalOutcome): { overturns: FinalOutcome | null } | { refused: RefusalCode } {
  switch (state.status) {
    case 'awaiting-score':
      return { refused: 'LC_AWAITING_SCORE' }
    case 'withdrawn':
      return { refused: 'LC_WITHDRAWN' }
    case 'referred':
      return { overturns: null }
    case 'approved':
    case 'declined':
      if (state.decidedBy === 'review') return { refused: 'LC_DECIDED_ON_REVIEW' }
      if (state.finalOutcome === outcome) return { refused: 'LC_SAME_OUTCOME' }
      return { overturns: state.finalOutcome }
  }
}

function statusOf(outcome: Outcome): ApplicationStatus {
  return outcome === 'APPROVED' ? 'approved' : outcome === 'DECLINED' ? 'declined' : 'referred'
}

/** The one place that says what a command does to an application. */
export function decideLifecycle(state: ApplicationState, command: LifecycleCommand): LifecycleResult {
  switch (command.kind) {
    case 'decide': {
      if (state.status !== 'awaiting-score') return refuse('LC_NOT_AWAITING_SCORE')
      const final = command.outcome === 'REFERRED' ? null : { outcome: command.outcome, decidedBy: 'rules' as const, revision: 1 as const }
      return { ok: true, change: { kind: 'decided', status: statusOf(command.outcome), final } }
    }
    case 'withdraw':
      if (state.status === 'withdrawn') return refuse('LC_WITHDRAWN')
      if (!OPEN_STATUSES.includes(state.status)) return refuse('LC_FINAL')
      return { ok: true, change: { kind: 'withdrawn', status: 'withdrawn' } }
    case 'reject':
      if (command.proposal.status !== 'pending') return refuse('LC_PROPOSAL_NOT_PENDING')
      return { ok: true, change: { kind: 'rejected' } }
    case 'propose': {
      if (state.status === 'withdrawn') return refuse('LC_WITHDRAWN')
      if (command.applicationVersion !== undefined && command.applicationVersion !== state.version) return refuse('LC_STALE_VERSION')
      if (state.automated === null) return refuse('LC_AWAITING_SCORE')
      const outOfBounds = withinDiscretion(state.automated, command.outcome)
      if (outOfBounds) return outOfBounds
      const review = reviewable(state, command.outcome)
      if ('refused' in review) return refuse(review.refused)
      return { ok: true, change: { kind: 'proposed', overturns: review.overturns } }
    }
    case 'confirm': {
      const { proposal } = command
      if (proposal.proposedBy === command.by) return refuse('LC_OWN_PROPOSAL')
      if (proposal.status !== 'pending') return refuse('LC_PROPOSAL_NOT_PENDING')
      if (proposal.applicationVersion !== state.version) return refuse('LC_STALE_VERSION')
      if (!state.automated) return refuse('LC_NO_AUTOMATED_DECISION')
      const outOfBounds = withinDiscretion(state.automated, proposal.outcome)
      if (outOfBounds) return outOfBounds
      const review = reviewable(state, proposal.outcome)
      if ('refused' in review) return refuse(review.refused)
      return {
        ok: true,
        change: {
          kind: 'confirmed',
          status: statusOf(proposal.outcome),
          final: { outcome: proposal.outcome, decidedBy: 'review', revision: state.revision + 1 },
          overturned: review.overturns,
        },
      }
    }
  }
}

/**
 * The reasons a final outcome on review carries before the rules' own: the overturn, if any, then
 * the outcome, each with its catalogue texts.
 */
export function reviewReasons(outcome: FinalOutcome, overturned: FinalOutcome | null): { code: 'RV_OVERTURNED' | 'RV_APPROVED_ON_REVIEW' | 'RV_DECLINED_ON_REVIEW'; text: LocalizedText }[] {
  const decided = outcome === 'APPROVED' ? ('RV_APPROVED_ON_REVIEW' as const) : ('RV_DECLINED_ON_REVIEW' as const)
  return [...(overturned ? [{ code: 'RV_OVERTURNED' as const, text: REASON_TEXTS.RV_OVERTURNED }] : []), { code: decided, text: REASON_TEXTS[decided] }]
}
