import { randomUUID } from 'node:crypto'
import { ClaimFiled, ClaimPaymentOverdue, ClaimReverted, ClaimWrittenOff, RecoveryShared } from '@sme/contracts'
import { CN_WORKING_DAYS, dateParts, todayIn, type CalendarDate, type WorkingDayCalendar } from '@sme/domain'
import type { Outbox, PreparedEvent } from '@sme/events'
import { AppError, canAccessAgency, canAccessBranch, type Principal } from '@sme/kit'
import {
  businessDaysAfter,
  checkPortfolioCap,
  claimAmount,
  claimTermsOf,
  CLAIM_REFUSAL_STATUS,
  CLAIM_REFUSALS,
  decide,
  eligibility,
  evolve,
  payingLayers,
  type Actor,
  type ClaimCommand,
  type ClaimEvent,
  type ClaimState,
  type Eligibility,
  type GuaranteeAgreement,
} from '../domain/index.js'
import { appendToClaims, audit, guaranteedLoan, lockClaimsWithLoans, lockClaimWithLoan, openClaimOfLoan, saveClaim, type Appended, type ClaimRecord, type ClaimStatements, type GuaranteedLoanRow, type LockedClaim, type VintageFigures } from '../store/claims.js'
import type { AgreementBook } from '../store/agreements.js'
import type { ClaimsDb, ClaimsTx } from '../store/tables.js'
import { amountView, sharesView } from '../views.js'

export interface ClaimsDeps {
  readonly outbox: Outbox
  readonly statements: ClaimStatements
  readonly now: () => Date
  /** The agreement versions, as stored and activated by admins. */
  readonly agreements: AgreementBook
  readonly calendar?: WorkingDayCalendar
}

/** Who a command comes from, as the decider sees it: an agency acts as itself, everyone else for the bank. */
export function actorOf(principal: Principal): Actor {
  if (principal.roles.includes('agency') && principal.agency !== undefined) return { kind: 'agency', id: principal.agency }
  return { kind: 'bank', id: principal.subject }
}

const PROBLEM_OF = { conflict: 'conflict', forbidden: 'forbidden', unprocessable: 'unprocessable', 'not-found': 'not_found' } as const

/** A refusal of the decider as a problem document: the code, its texts, the state met and what would be allowed. */
function refusalProblem(decision: Extract<ReturnType<typeof decide>, { ok: false }>): AppError {
  const text = CLAIM_REFUSALS[decision.refused]
  return new AppError(PROBLEM_OF[CLAIM_REFUSAL_STATUS[decision.refused]], text.en, {
    extra: {
      refusal: decision.refused,
      text,
      currentStatus: decision.status,
      ...(decision.allowedIn ? { allowedIn: decision.allowedIn } : {}),
      ...(decision.reasons ? { reasons: decision.reasons } : {}),
    },
  })
}

/** The loan's facts as of now, judged under the agreement version the claim's demand pinned (in force on the guarantee day). */
export async function eligibilityOf(db: ClaimsDb | ClaimsTx, deps: ClaimsDeps, loan: GuaranteedLoanRow, claim: Pick<ClaimRecord, 'documents' | 'state'>): Promise<Eligibility> {
  const pinned = await deps.agreements.pinned(db, claim.state.terms.agreementId, claim.state.terms.agreementVersion)
  return eligibility([pinned], {
    agreementId: loan.agreement_id,
    guaranteedOn: loan.guaranteed_on as CalendarDate,
    borrowerSize: loan.borrower_size,
    outstandingPrincipal: loan.outstanding_principal_fen,
    daysPastDue: loan.days_past_due,
    // The store keeps one claim open per loan: the one being filed.
    openClaimOnLoan: false,
    demandOutcome: claim.state.demand.outcome,
    documents: claim.documents,
  })
}

function figuresOf(state: ClaimState): { compensated: bigint; recoveredToPayers: bigint } {
  const compensating = state.status === 'approved' || state.status === 'paid' || state.status === 'in-recourse' || state.status === 'written-off'
  const recoveredToPayers = state.recoveredByLayer.filter((l) => l.party !== 'bank').reduce((s, l) => s + l.amount, 0n)
  return { compensated: compensating && state.approved ? state.approved.amount : 0n, recoveredToPayers }
}

/** The events the agencies and the bank's systems hear of, from the claim's own, prepared for the outbox. */
function published(deps: ClaimsDeps, claim: ClaimRecord, loan: GuaranteedLoanRow, events: readonly ClaimEvent[], traceparent: string | undefined): PreparedEvent<unknown>[] {
  const ref = { claimId: claim.claimId, loanId: claim.loanId, agencyId: claim.agencyId }
  const options = { subject: claim.loanId, ...(traceparent ? { traceparent } : {}) }
  const out: PreparedEvent<unknown>[] = []
  for (const e of events) {
    switch (e.type) {
      case 'claim-filed':
        out.push(
          deps.outbox.prepare(
            ClaimFiled,
            {
              ...ref,
              branchId: claim.branchId,
              borrower: loan.borrower,
              agreement: { id: claim.state.terms.agreementId, version: claim.state.terms.agreementVersion },
              amount: amountView(e.amount),
              documents: [...claim.documents],
              filedOn: e.on,
              paymentDueOn: e.paymentDueOn,
              portfolioCapExceeded: e.portfolioCapExceeded,
            },
            options,
          ),
        )
        break
      case 'claim-reverted':
        out.push(deps.outbox.prepare(ClaimReverted, { ...ref, reason: e.reason, revertedOn: e.on }, options))
        break
      case 'payment-overdue':
        out.push(deps.outbox.prepare(ClaimPaymentOverdue, { ...ref, dueOn: e.dueOn, raisedOn: e.on }, options))
        break
      case 'recovery-recorded':
        out.push(deps.outbox.prepare(RecoveryShared, { ...ref, recoveryId: e.recoveryId, correction: false, amountFen: e.amount.toString(), shares: sharesView(e.shares), recordedOn: e.on }, options))
        break
      case 'recovery-corrected':
        out.push(deps.outbox.prepare(RecoveryShared, { ...ref, recoveryId: e.recoveryId, correction: true, amountFen: e.delta.toString(), shares: sharesView(e.shares), recordedOn: e.on }, options))
        break
      case 'claim-written-off':
        out.push(deps.outbox.prepare(ClaimWrittenOff, { ...ref, basis: e.basis, writtenOffOn: e.on }, options))
        break
      default:
        break
    }
  }
  return out
}

export type ClaimSide = 'bank' | 'agency'

function mayAct(principal: Principal, claim: Pick<ClaimRecord, 'branchId' | 'agencyId'>, side: ClaimSide): boolean {
  return side === 'agency' ? principal.roles.includes('agency') && canAccessAgency(principal, claim.agencyId) : canAccessBranch(principal, claim.branchId)
}

/** Whether the principal may see the claim: the bank's people of its branch, the systems, its agency. */
export function maySee(principal: Principal, claim: Pick<ClaimRecord, 'branchId' | 'agencyId'>): boolean {
  return canAccessBranch(principal, claim.branchId) || (principal.roles.includes('agency') && canAccessAgency(principal, claim.agencyId))
}

export interface CommandInput {
  readonly claimId: string
  readonly principal: Principal
  readonly side: ClaimSide
  readonly traceparent?: string | undefined
  /** The command, built once the claim is locked and its loan and vintage figures read. */
  readonly command: (claim: ClaimRecord, loan: GuaranteedLoanRow, today: CalendarDate, tx: ClaimsTx, book: VintageFigures) => ClaimCommand | Promise<ClaimCommand>
  /** Documents the command sets (attaching them is not an event of the life cycle). */
  readonly documents?: (claim: ClaimRecord) => readonly string[]
}

interface Prepared {
  readonly claim: ClaimRecord
  readonly events: readonly ClaimEvent[]
  /** What to write; null when the command changed nothing. */
  readonly appended: Appended | null
}

/** A command decided on its locked claim: the refusal thrown as a problem, or what to write. */
async function prepareCommand(tx: ClaimsTx, deps: ClaimsDeps, found: LockedClaim | undefined, input: CommandInput, now: Date): Promise<Prepared> {
  if (found === undefined || !mayAct(input.principal, found.claim, input.side)) throw new AppError('not_found', 'no such claim in the caller’s reach')
  const { claim, loan, book } = found
  const command = await input.command(claim, loan, todayIn(now), tx, book)
  const decision = decide(claim.state, command)
  if (!decision.ok) throw refusalProblem(decision)
  if (decision.events.length === 0) return { claim, events: [], appended: null }
  const state = decision.events.reduce<ClaimState>((s, e) => evolve(s, e), claim.state)
  const documents = input.documents ? input.documents(claim) : claim.documents
  const saved: ClaimRecord = { ...claim, documents, state, version: claim.version + decision.events.length, updatedAt: now }
  const appended: Appended = {
    claim: saved,
    version: claim.version,
    events: decision.events,
    state,
    figures: figuresOf(state),
    figuresBefore: figuresOf(claim.state),
    outbox: published(deps, saved, loan, decision.events, input.traceparent),
    audit: { actor: input.principal.subject, action: `claim.${command.kind}`, details: { events: decision.events.map((e) => e.type), status: state.status } },
  }
  return { claim: saved, events: decision.events, appended }
}

/**
 * One command on a claim, in the caller's transaction: the claim locked, the decider asked, its
 * events appended with the new fold, the events others must hear of put in the outbox, an audit
 * entry written. A claim outside the caller's branches (or another agency's) is not found.
 */
export async function commandClaim(tx: ClaimsTx, deps: ClaimsDeps, input: CommandInput): Promise<{ claim: ClaimRecord; events: readonly ClaimEvent[] }> {
  const found = await lockClaimWithLoan(tx, deps.statements, input.claimId)
  const now = deps.now()
  const prepared = await prepareCommand(tx, deps, found, input, now)
  if (prepared.appended !== null) await appendToClaims(tx, deps.statements, [prepared.appended], now)
  return { claim: prepared.claim, events: prepared.events }
}

export type CommandOutcome = { readonly ok: true; readonly claim: ClaimRecord; readonly events: readonly ClaimEvent[] } | { readonly ok: false; readonly problem: AppError }

/**
 * Commands on several claims in one transaction (group commit under load): locked together in one
 * statement, decided one by one exactly as {@link commandClaim} decides each (a later command on a
 * claim on what an earlier one made of it), written together in one statement. A refusal answers its
 * own caller only. Two commands both changing the same claim fail the batch, which the batcher then
 * runs one by one.
 */
export async function commandClaims(tx: ClaimsTx, deps: ClaimsDeps, inputs: readonly CommandInput[]): Promise<CommandOutcome[]> {
  const locked = await lockClaimsWithLoans(tx, deps.statements, [...new Set(inputs.map((i) => i.claimId))])
  const now = deps.now()
  const outcomes: CommandOutcome[] = []
  const writes = new Map<string, Appended>()
  for (const input of inputs) {
    try {
      const found = locked.get(input.claimId)
      const prepared = await prepareCommand(tx, deps, found, input, now)
      if (prepared.appended !== null) {
        if (writes.has(input.claimId)) throw new Error('two commands of one batch change the same claim')
        writes.set(input.claimId, prepared.appended)
        // A later command of the batch on the same claim is decided on what this one made of it.
        locked.set(input.claimId, { ...found!, claim: prepared.claim })
      }
      outcomes.push({ ok: true, claim: prepared.claim, events: prepared.events })
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err
      outcomes.push({ ok: false, problem: err })
    }
  }
  await appendToClaims(tx, deps.statements, [...writes.values()], now)
  return outcomes
}

/**
 * A demand on the borrower of a guaranteed loan: the claim's record opens with it, under the
 * agreement version in force on the loan's guarantee day.
 */
export async function openDemand(tx: ClaimsTx, deps: ClaimsDeps, input: { loanId: string; amount: bigint; principal: Principal }): Promise<ClaimRecord> {
  const loan = await guaranteedLoan(tx, input.loanId)
  if (loan === undefined || !canAccessBranch(input.principal, loan.branch_id)) throw new AppError('not_found', 'no such guaranteed loan in the caller’s branches')
  const open = await openClaimOfLoan(tx, input.loanId)
  if (open !== undefined) throw new AppError('conflict', 'the loan already has a demand or claim that has not ended', { extra: { claimId: open.claimId, currentStatus: open.state.status } })
  const agreement = await deps.agreements.inForce(tx, loan.agreement_id, loan.guaranteed_on as CalendarDate)
  if (agreement === null) throw new AppError('unprocessable', 'no version of the loan’s agreement was in force on its guarantee day')
  const now = deps.now()
  const decision = decide(null, { kind: 'issue-demand', loanId: loan.loan_id, terms: claimTermsOf(agreement, loan.epidemic_affected), amount: input.amount, on: todayIn(now), by: actorOf(input.principal) })
  if (!decision.ok) throw refusalProblem(decision)
  const state = decision.events.reduce<ClaimState | null>((s, ev) => evolve(s, ev), null)!
  const claim = { claimId: randomUUID(), loanId: loan.loan_id, agencyId: agreement.agencyId, branchId: loan.branch_id, vintage: dateParts(loan.guaranteed_on as CalendarDate).year, documents: [] as string[] }
  const version = await saveClaim(tx, claim, null, decision.events, state, figuresOf(state), now)
  await audit(tx, { at: now, actor: input.principal.subject, action: 'claim.issue-demand', subject: `claim:${claim.claimId}`, details: { loanId: loan.loan_id, amount: input.amount } })
  return { ...claim, version, state, openedAt: now, updatedAt: now }
}

/** The filing command: eligibility and amount on today's facts, the portfolio cap, the payment deadline. */
export async function filingCommand(deps: ClaimsDeps, tx: ClaimsTx, claim: ClaimRecord, loan: GuaranteedLoanRow, book: VintageFigures, today: CalendarDate, unpaidInterest: bigint, by: Actor): Promise<ClaimCommand> {
  const e = await eligibilityOf(tx, deps, loan, claim)
  if (e.agreement === null) throw new AppError('unprocessable', CLAIM_REFUSALS.CL_NOT_ELIGIBLE.en, { extra: { refusal: 'CL_NOT_ELIGIBLE', currentStatus: claim.state.status, reasons: e.reasons } })
  const amount = claimAmount(e.agreement, { principal: loan.outstanding_principal_fen, unpaidInterest, contractRateBp: loan.contract_rate_bp })
  const cap = checkPortfolioCap(e.agreement, book, amount.claimed)
  const due = businessDaysAfter(today, e.agreement.paymentDeadlineBusinessDays, deps.calendar ?? CN_WORKING_DAYS, 'weekdays')
  return { kind: 'file', assessment: { reasons: e.reasons, amount }, paymentDueOn: due.date, portfolio: { exceeded: cap.exceeded, mode: cap.mode }, on: today, by }
}

/** The payer of a payment must be a paying layer of the claim's agreement; answered with the layer's party for the audit. */
export function payerOf(state: ClaimState, payerId: string): string | undefined {
  return payingLayers(state.terms).find((l) => l.partyId === payerId)?.party
}

export type { ClaimsDb }
