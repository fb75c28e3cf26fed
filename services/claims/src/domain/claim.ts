import { DEMAND_OUTCOMES, WRITE_OFF_BASES, type DemandOutcome, type WriteOffBasis } from '@sme/contracts/vocabulary'
import { addMonths, isBefore, isAfter, sumFen, type CalendarDate, type Fen, type LocalizedText } from '@sme/domain'
import { payingLayers, type GuaranteeAgreement, type LayerParty } from './agreement.js'
import { addShares, lossBorne, shareRecovery, splitAcrossPayingLayers, type ClaimAmount, type LayerShare } from './amounts.js'
import type { Ineligibility } from './eligibility.js'

/**
 * The life cycle of a guarantee claim as a pure decider: `decide(state, command)` answers the events
 * a command causes or why it is refused; `evolve(state, event)` is the only way state changes, so the
 * stored events are the claim's history and its state is their fold (corrections are events of their
 * own, never edits). POLICY §5; 工信明电〔2020〕14号 item 9 (2020-02-10): agencies pay promptly,
 * recourse continues (and is extended for the epidemic), losses are written off with the file open.
 *
 *   (none) ──issue-demand──▶ demanded ──resolve-demand: repaid | cured | no-claim──▶ closed
 *                                     └─resolve-demand: claim──▶ draft
 *   draft ──file──▶ filed ──acknowledge──▶ acknowledged
 *   filed | acknowledged ──revert (the bank)──▶ draft          (filed again later)
 *   filed | acknowledged ──approve (all or part)──▶ approved ──originating agency pays──▶ paid
 *   filed | acknowledged ──reject──▶ rejected
 *   paid ──a recovery──▶ in-recourse;  paid | in-recourse ──write-off──▶ written-off (file open)
 *   paid | in-recourse | written-off: re-guarantors pay their shares, recoveries are shared back,
 *   recoveries are corrected by records of their own
 *   timers (raise-deadlines): the payment overdue, the recourse period ended — each raised once
 */

export const CLAIM_STATUSES = ['demanded', 'closed', 'draft', 'filed', 'acknowledged', 'approved', 'rejected', 'paid', 'in-recourse', 'written-off'] as const
export type ClaimStatus = (typeof CLAIM_STATUSES)[number]

export { DEMAND_OUTCOMES, WRITE_OFF_BASES, type DemandOutcome, type WriteOffBasis }

/** Who issues a command: the bank's people and systems, an agency, or the service's timers. */
export interface Actor {
  readonly kind: 'bank' | 'agency' | 'system'
  readonly id: string
}

/** What the claim keeps of the agreement version in force when the loan was guaranteed. */
export interface ClaimTerms {
  readonly agreementId: string
  readonly agreementVersion: number
  readonly agencyId: string
  readonly layers: GuaranteeAgreement['layers']
  readonly rounding: GuaranteeAgreement['rounding']
  readonly recourse: GuaranteeAgreement['recourse']
  /** The borrower was hit by the epidemic: the recourse period is extended. */
  readonly epidemicAffected: boolean
}

export function claimTermsOf(agreement: GuaranteeAgreement, epidemicAffected: boolean): ClaimTerms {
  return {
    agreementId: agreement.id,
    agreementVersion: agreement.version,
    agencyId: agreement.agencyId,
    layers: agreement.layers,
    rounding: agreement.rounding,
    recourse: agreement.recourse,
    epidemicAffected,
  }
}

export interface Recovery {
  readonly id: string
  /** Net of corrections. */
  readonly amount: Fen
}

export interface ClaimState {
  readonly status: ClaimStatus
  readonly loanId: string
  readonly terms: ClaimTerms
  /** The day of the latest event: no event may be dated before it. */
  readonly lastOn: CalendarDate
  readonly demand: { readonly on: CalendarDate; readonly amount: Fen; readonly outcome: DemandOutcome | null }
  readonly filing: { readonly on: CalendarDate; readonly amount: ClaimAmount; readonly paymentDueOn: CalendarDate; readonly overdueRaised: boolean } | null
  readonly approved: { readonly on: CalendarDate; readonly amount: Fen } | null
  readonly settlement: { readonly on: CalendarDate; readonly amount: Fen; readonly borne: readonly LayerShare[]; readonly recourseUntil: CalendarDate; readonly recourseEndRaised: boolean } | null
  /** Re-guarantors (partyId) that have paid the originating agency their share. */
  readonly reguarantorsPaid: readonly string[]
  readonly recoveries: readonly Recovery[]
  /** What each layer has had back of the recoveries, net of corrections. */
  readonly recoveredByLayer: readonly LayerShare[]
  readonly writtenOff: { readonly on: CalendarDate; readonly basis: WriteOffBasis } | null
  /** How many times it was filed and taken back. */
  readonly reversions: number
}

interface Dated {
  readonly on: CalendarDate
  readonly by: Actor
}

export type ClaimCommand =
  | ({ readonly kind: 'issue-demand'; readonly loanId: string; readonly terms: ClaimTerms; readonly amount: Fen } & Dated)
  | ({ readonly kind: 'resolve-demand'; readonly outcome: DemandOutcome } & Dated)
  | ({
      readonly kind: 'file'
      /** Eligibility and amount, judged on the facts of the day (domain/eligibility.ts, domain/amounts.ts). */
      readonly assessment: { readonly reasons: readonly Ineligibility[]; readonly amount: ClaimAmount }
      readonly paymentDueOn: CalendarDate
      /** The portfolio cap at filing (domain/portfolio-cap.ts). */
      readonly portfolio: { readonly exceeded: boolean; readonly mode: 'enforce' | 'flag' }
    } & Dated)
  | ({ readonly kind: 'revert'; readonly reason: string } & Dated)
  | ({ readonly kind: 'acknowledge' } & Dated)
  | ({ readonly kind: 'approve'; readonly amount: Fen } & Dated)
  | ({ readonly kind: 'reject'; readonly reason: string } & Dated)
  | ({ readonly kind: 'record-payment'; readonly partyId: string; readonly amount: Fen } & Dated)
  | ({ readonly kind: 'record-recovery'; readonly recoveryId: string; readonly amount: Fen; readonly source: string } & Dated)
  | ({ readonly kind: 'correct-recovery'; readonly recoveryId: string; readonly amount: Fen; readonly reason: string } & Dated)
  | ({ readonly kind: 'write-off'; readonly basis: WriteOffBasis } & Dated)
  | ({ readonly kind: 'raise-deadlines' } & Dated)

export type ClaimEvent =
  | ({ readonly type: 'demand-issued'; readonly loanId: string; readonly terms: ClaimTerms; readonly amount: Fen } & Dated)
  | ({ readonly type: 'demand-resolved'; readonly outcome: DemandOutcome } & Dated)
  | ({ readonly type: 'claim-filed'; readonly amount: ClaimAmount; readonly paymentDueOn: CalendarDate; readonly portfolioCapExceeded: boolean } & Dated)
  | ({ readonly type: 'claim-reverted'; readonly reason: string } & Dated)
  | ({ readonly type: 'claim-acknowledged' } & Dated)
  | ({ readonly type: 'claim-approved'; readonly amount: Fen; readonly partial: boolean; readonly shares: readonly LayerShare[] } & Dated)
  | ({ readonly type: 'claim-rejected'; readonly reason: string } & Dated)
  | ({ readonly type: 'claim-paid'; readonly amount: Fen; readonly borne: readonly LayerShare[]; readonly recourseUntil: CalendarDate } & Dated)
  | ({ readonly type: 'reguarantor-paid'; readonly party: LayerParty; readonly partyId: string; readonly amount: Fen } & Dated)
  | ({ readonly type: 'recovery-recorded'; readonly recoveryId: string; readonly amount: Fen; readonly source: string; readonly shares: readonly LayerShare[] } & Dated)
  | ({ readonly type: 'recovery-corrected'; readonly recoveryId: string; readonly delta: Fen; readonly reason: string; readonly shares: readonly LayerShare[] } & Dated)
  | ({ readonly type: 'claim-written-off'; readonly basis: WriteOffBasis } & Dated)
  | ({ readonly type: 'payment-overdue'; readonly dueOn: CalendarDate } & Dated)
  | ({ readonly type: 'recourse-ended'; readonly until: CalendarDate } & Dated)

/** Why a command is refused; each maps to one HTTP status class (see {@link CLAIM_REFUSAL_STATUS}). */
export const CLAIM_REFUSALS = {
  CL_EXISTS: { zh: '该笔贷款的追索与代偿记录已存在', en: 'The loan already has a demand and claim record' },
  CL_NO_CLAIM: { zh: '尚无追索或代偿记录', en: 'There is no demand or claim yet' },
  CL_WRONG_STATE: { zh: '当前状态下不能执行该操作', en: 'Not allowed in the claim’s current state' },
  CL_NOT_ELIGIBLE: { zh: '不符合代偿申请条件', en: 'The claim is not eligible' },
  CL_PORTFOLIO_CAP: { zh: '超过协议约定的代偿率上限', en: 'The claim would take the agency past the agreement’s portfolio cap' },
  CL_AMOUNT: { zh: '金额不符合要求', en: 'The amount is not allowed here' },
  CL_NOT_THE_AGENCY: { zh: '只有原担保机构可以答复该代偿申请', en: 'Only the originating agency answers this claim' },
  CL_BANK_ONLY: { zh: '只有银行可以撤回已提交的代偿申请', en: 'Only the bank takes back a claim it filed' },
  CL_NOT_A_PAYER: { zh: '该机构不是本协议的分险方', en: 'The party does not share the risk under this agreement' },
  CL_ORIGINATING_FIRST: { zh: '再担保机构须在原担保机构代偿之后拨付', en: 'Re-guarantors pay after the originating agency has paid' },
  CL_ALREADY_PAID: { zh: '该分险方已拨付', en: 'This party has already paid its share' },
  CL_DUPLICATE_RECOVERY: { zh: '该笔追偿回收已登记', en: 'This recovery is already recorded' },
  CL_UNKNOWN_RECOVERY: { zh: '没有该笔追偿回收记录', en: 'There is no such recovery' },
  CL_RECOURSE_OPEN: { zh: '追偿时限未届满，须满足核销条件方可核销', en: 'The recourse period has not ended: a write-off before then needs the write-off conditions met' },
  CL_DATE_BACKWARDS: { zh: '日期早于该笔代偿的上一项记录', en: 'The date is before the claim’s latest record' },
} as const satisfies Record<string, LocalizedText>
export type ClaimRefusalCode = keyof typeof CLAIM_REFUSALS

export const CLAIM_REFUSAL_STATUS: Record<ClaimRefusalCode, 'conflict' | 'forbidden' | 'unprocessable' | 'not-found'> = {
  CL_EXISTS: 'conflict',
  CL_NO_CLAIM: 'not-found',
  CL_WRONG_STATE: 'conflict',
  CL_NOT_ELIGIBLE: 'unprocessable',
  CL_PORTFOLIO_CAP: 'unprocessable',
  CL_AMOUNT: 'unprocessable',
  CL_NOT_THE_AGENCY: 'forbidden',
  CL_BANK_ONLY: 'forbidden',
  CL_NOT_A_PAYER: 'unprocessable',
  CL_ORIGINATING_FIRST: 'conflict',
  CL_ALREADY_PAID: 'conflict',
  CL_DUPLICATE_RECOVERY: 'conflict',
  CL_UNKNOWN_RECOVERY: 'unprocessable',
  CL_RECOURSE_OPEN: 'conflict',
  CL_DATE_BACKWARDS: 'unprocessable',
}

export type ClaimDecision =
  | { readonly ok: true; readonly events: readonly ClaimEvent[] }
  | {
      readonly ok: false
      readonly refused: ClaimRefusalCode
      /** The state the command met (an illegal transition answers it with the 409). */
      readonly status: ClaimStatus | null
      /** For CL_WRONG_STATE: the states the command is allowed in. */
      readonly allowedIn?: readonly ClaimStatus[]
      /** For CL_NOT_ELIGIBLE: every reason. */
      readonly reasons?: readonly Ineligibility[]
    }

const PAID: readonly ClaimStatus[] = ['paid', 'in-recourse', 'written-off']
const ANSWERABLE: readonly ClaimStatus[] = ['filed', 'acknowledged']

/** Which states each command may be given in (the rest are refused CL_WRONG_STATE, 409). */
export const ALLOWED_IN: Record<Exclude<ClaimCommand['kind'], 'issue-demand' | 'raise-deadlines'>, readonly ClaimStatus[]> = {
  'resolve-demand': ['demanded'],
  file: ['draft'],
  revert: ANSWERABLE,
  acknowledge: ['filed'],
  approve: ANSWERABLE,
  reject: ANSWERABLE,
  'record-payment': ['approved', ...PAID],
  'record-recovery': PAID,
  'correct-recovery': PAID,
  'write-off': ['paid', 'in-recourse'],
}

const ok = (...events: ClaimEvent[]): ClaimDecision => ({ ok: true, events })

/** The one place that says what a command does to a claim. */
export function decide(state: ClaimState | null, command: ClaimCommand): ClaimDecision {
  const refuse = (refused: ClaimRefusalCode, more: { allowedIn?: readonly ClaimStatus[]; reasons?: readonly Ineligibility[] } = {}): ClaimDecision => ({ ok: false, refused, status: state?.status ?? null, ...more })
  const { on, by } = command
  if (command.kind === 'issue-demand') {
    if (state !== null) return refuse('CL_EXISTS')
    if (command.amount <= 0n) return refuse('CL_AMOUNT')
    return ok({ type: 'demand-issued', loanId: command.loanId, terms: command.terms, amount: command.amount, on, by })
  }
  if (state === null) return refuse('CL_NO_CLAIM')
  if (isBefore(on, state.lastOn)) return refuse('CL_DATE_BACKWARDS')
  if (command.kind === 'raise-deadlines') return ok(...deadlinesDue(state, on, by))
  const allowed = ALLOWED_IN[command.kind]
  if (!allowed.includes(state.status)) return refuse('CL_WRONG_STATE', { allowedIn: allowed })

  switch (command.kind) {
    case 'resolve-demand':
      return ok({ type: 'demand-resolved', outcome: command.outcome, on, by })
    case 'file': {
      const { assessment } = command
      if (assessment.reasons.length > 0) return refuse('CL_NOT_ELIGIBLE', { reasons: assessment.reasons })
      if (assessment.amount.claimed <= 0n) return refuse('CL_AMOUNT')
      if (command.portfolio.exceeded && command.portfolio.mode === 'enforce') return refuse('CL_PORTFOLIO_CAP')
      return ok({ type: 'claim-filed', amount: assessment.amount, paymentDueOn: command.paymentDueOn, portfolioCapExceeded: command.portfolio.exceeded, on, by })
    }
    case 'revert':
      if (by.kind !== 'bank') return refuse('CL_BANK_ONLY')
      return ok({ type: 'claim-reverted', reason: command.reason, on, by })
    case 'acknowledge':
      if (!isTheAgency(state, by)) return refuse('CL_NOT_THE_AGENCY')
      return ok({ type: 'claim-acknowledged', on, by })
    case 'approve': {
      if (!isTheAgency(state, by)) return refuse('CL_NOT_THE_AGENCY')
      const claimed = state.filing!.amount.claimed
      if (command.amount <= 0n || command.amount > claimed) return refuse('CL_AMOUNT')
      return ok({ type: 'claim-approved', amount: command.amount, partial: command.amount < claimed, shares: splitAcrossPayingLayers(state.terms, command.amount), on, by })
    }
    case 'reject':
      if (!isTheAgency(state, by)) return refuse('CL_NOT_THE_AGENCY')
      return ok({ type: 'claim-rejected', reason: command.reason, on, by })
    case 'record-payment':
      return payment(state, command, refuse)
    case 'record-recovery': {
      if (command.amount <= 0n) return refuse('CL_AMOUNT')
      if (state.recoveries.some((r) => r.id === command.recoveryId)) return refuse('CL_DUPLICATE_RECOVERY')
      const shares = shareRecovery(state.settlement!.borne, state.recoveredByLayer, command.amount)
      return ok({ type: 'recovery-recorded', recoveryId: command.recoveryId, amount: command.amount, source: command.source, shares, on, by })
    }
    case 'correct-recovery': {
      const recovery = state.recoveries.find((r) => r.id === command.recoveryId)
      if (!recovery) return refuse('CL_UNKNOWN_RECOVERY')
      const delta = command.amount - recovery.amount
      if (command.amount < 0n || delta === 0n) return refuse('CL_AMOUNT')
      const shares = shareRecovery(state.settlement!.borne, state.recoveredByLayer, delta)
      return ok({ type: 'recovery-corrected', recoveryId: recovery.id, delta, reason: command.reason, shares, on, by })
    }
    case 'write-off':
      if (command.basis === 'recourse-exhausted' && !isAfter(on, state.settlement!.recourseUntil)) return refuse('CL_RECOURSE_OPEN')
      return ok({ type: 'claim-written-off', basis: command.basis, on, by })
  }
}

function isTheAgency(state: ClaimState, by: Actor): boolean {
  return by.kind === 'agency' && by.id === state.terms.agencyId
}

/** What the claim's recoveries brought in so far, net of corrections. */
export function recovered(state: Pick<ClaimState, 'recoveries'>): Fen {
  return sumFen(state.recoveries.map((r) => r.amount))
}

function payment(state: ClaimState, command: Extract<ClaimCommand, { kind: 'record-payment' }>, refuse: (code: ClaimRefusalCode, more?: { allowedIn?: readonly ClaimStatus[] }) => ClaimDecision): ClaimDecision {
  const { on, by } = command
  const layer = payingLayers(state.terms).find((l) => l.partyId === command.partyId)
  if (!layer) return refuse('CL_NOT_A_PAYER')
  if (layer.party === 'originating-agency') {
    if (state.status !== 'approved') return refuse('CL_WRONG_STATE', { allowedIn: ['approved'] })
    if (command.amount !== state.approved!.amount) return refuse('CL_AMOUNT')
    const { recourse, epidemicAffected } = state.terms
    const recourseUntil = addMonths(on, recourse.months + (epidemicAffected ? recourse.epidemicExtensionMonths : 0))
    return ok({ type: 'claim-paid', amount: command.amount, borne: lossBorne(state.terms, state.filing!.amount.base, command.amount), recourseUntil, on, by })
  }
  if (state.status === 'approved') return refuse('CL_ORIGINATING_FIRST')
  if (state.reguarantorsPaid.includes(layer.partyId)) return refuse('CL_ALREADY_PAID')
  const due = state.settlement!.borne.find((b) => b.partyId === layer.partyId && b.party === layer.party)!.amount
  if (command.amount !== due) return refuse('CL_AMOUNT')
  return ok({ type: 'reguarantor-paid', party: layer.party, partyId: layer.partyId, amount: command.amount, on, by })
}

/** The timers' events due on `on` that were not raised before: each is raised once. */
function deadlinesDue(state: ClaimState, on: CalendarDate, by: Actor): ClaimEvent[] {
  const events: ClaimEvent[] = []
  const unpaid: readonly ClaimStatus[] = ['filed', 'acknowledged', 'approved']
  if (state.filing && unpaid.includes(state.status) && !state.filing.overdueRaised && isAfter(on, state.filing.paymentDueOn)) {
    events.push({ type: 'payment-overdue', dueOn: state.filing.paymentDueOn, on, by })
  }
  if (state.settlement && (state.status === 'paid' || state.status === 'in-recourse') && !state.settlement.recourseEndRaised && isAfter(on, state.settlement.recourseUntil)) {
    events.push({ type: 'recourse-ended', until: state.settlement.recourseUntil, on, by })
  }
  return events
}

/** The state after an event; the only place state changes. */
export function evolve(state: ClaimState | null, event: ClaimEvent): ClaimState {
  if (event.type === 'demand-issued') {
    return {
      status: 'demanded',
      loanId: event.loanId,
      terms: event.terms,
      lastOn: event.on,
      demand: { on: event.on, amount: event.amount, outcome: null },
      filing: null,
      approved: null,
      settlement: null,
      reguarantorsPaid: [],
      recoveries: [],
      recoveredByLayer: [],
      writtenOff: null,
      reversions: 0,
    }
  }
  if (state === null) throw new Error(`a claim's history cannot begin with ${event.type}`)
  const s: ClaimState = { ...state, lastOn: event.on }
  switch (event.type) {
    case 'demand-resolved':
      return { ...s, status: event.outcome === 'claim' ? 'draft' : 'closed', demand: { ...s.demand, outcome: event.outcome } }
    case 'claim-filed':
      return { ...s, status: 'filed', filing: { on: event.on, amount: event.amount, paymentDueOn: event.paymentDueOn, overdueRaised: false } }
    case 'claim-reverted':
      return { ...s, status: 'draft', filing: null, reversions: s.reversions + 1 }
    case 'claim-acknowledged':
      return { ...s, status: 'acknowledged' }
    case 'claim-approved':
      return { ...s, status: 'approved', approved: { on: event.on, amount: event.amount } }
    case 'claim-rejected':
      return { ...s, status: 'rejected' }
    case 'claim-paid':
      return { ...s, status: 'paid', settlement: { on: event.on, amount: event.amount, borne: event.borne, recourseUntil: event.recourseUntil, recourseEndRaised: false } }
    case 'reguarantor-paid':
      return { ...s, reguarantorsPaid: [...s.reguarantorsPaid, event.partyId] }
    case 'recovery-recorded':
      return { ...s, status: s.status === 'paid' ? 'in-recourse' : s.status, recoveries: [...s.recoveries, { id: event.recoveryId, amount: event.amount }], recoveredByLayer: addShares(s.recoveredByLayer, event.shares) }
    case 'recovery-corrected':
      return {
        ...s,
        recoveries: s.recoveries.map((r) => (r.id === event.recoveryId ? { ...r, amount: r.amount + event.delta } : r)),
        recoveredByLayer: addShares(s.recoveredByLayer, event.shares),
      }
    case 'claim-written-off':
      return { ...s, status: 'written-off', writtenOff: { on: event.on, basis: event.basis } }
    case 'payment-overdue':
      return { ...s, filing: { ...s.filing!, overdueRaised: true } }
    case 'recourse-ended':
      return { ...s, settlement: { ...s.settlement!, recourseEndRaised: true } }
  }
}

/** A claim's state from its history. */
export function replay(events: readonly ClaimEvent[]): ClaimState | null {
  return events.reduce<ClaimState | null>((state, event) => evolve(state, event), null)
}
