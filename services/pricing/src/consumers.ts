import { on, type ConsumerDefinition } from '@sme/kit'
import {
  ClassificationChanged,
  LoanBooked,
  LoanMatured,
  LoanSettled,
  LoanWrittenOff,
  OverdueDaysChanged,
  ReliefDecidedV2,
  RepaymentReceived,
  ScoreCompleted,
  type LoanBookedData,
  type LoanEventCommon,
} from '@sme/contracts'
import { applyLoanEvent, recordGrade } from './store/read-models.js'
import type { PricingTables } from './store/tables.js'
import { lockEnterprise, lockLoan, receiveReliefDecision, repriceWaitingForGrade, repriceWaitingForLoan, type RepricingDeps } from './use-cases/repricing.js'

/**
 * Approved relief decisions, re-priced: the decision, its quote and the QuoteIssued event (through
 * the outbox) commit with the inbox entry, so a decision delivered twice is priced once.
 */
function reliefDecisions(deps: RepricingDeps): ConsumerDefinition<PricingTables> {
  return {
    name: 'pricing.relief-decisions',
    handlers: [
      on(ReliefDecidedV2, async (event, { tx, log }) => {
        const state = await receiveReliefDecision(tx, deps, event.data, event.traceparent)
        log.debug({ state, revision: event.data.revision }, 'relief decision')
      }),
    ],
  }
}

/**
 * Core banking's loan stream: each loan's latest position by the core system's sequence, and its
 * booking (the contract a re-pricing starts from); decisions waiting for the loan are priced when it
 * comes.
 */
function loans(deps: RepricingDeps): ConsumerDefinition<PricingTables> {
  const apply = async (tx: Parameters<typeof repriceWaitingForLoan>[0], data: LoanEventCommon, booking: LoanBookedData | null) => {
    await lockLoan(tx, data.loanId)
    const outcome = await applyLoanEvent(tx, data, booking, deps.now())
    return outcome === 'applied' ? repriceWaitingForLoan(tx, deps, data.loanId) : []
  }
  return {
    name: 'pricing.loans',
    handlers: [
      on(LoanBooked, async (e, { tx }) => void (await apply(tx, e.data, e.data))),
      on(RepaymentReceived, async (e, { tx }) => void (await apply(tx, e.data, null))),
      on(OverdueDaysChanged, async (e, { tx }) => void (await apply(tx, e.data, null))),
      on(ClassificationChanged, async (e, { tx }) => void (await apply(tx, e.data, null))),
      on(LoanMatured, async (e, { tx }) => void (await apply(tx, e.data, null))),
      on(LoanSettled, async (e, { tx }) => void (await apply(tx, e.data, null))),
      on(LoanWrittenOff, async (e, { tx }) => void (await apply(tx, e.data, null))),
    ],
  }
}

/** The grades scoring publishes (any score, not only answers to requests): the latest per enterprise. */
function grades(deps: RepricingDeps): ConsumerDefinition<PricingTables> {
  return {
    name: 'pricing.grades',
    handlers: [
      on(ScoreCompleted, async (event, { tx }) => {
        await lockEnterprise(tx, event.data.uscc)
        if (await recordGrade(tx, event.data, deps.now())) await repriceWaitingForGrade(tx, deps, event.data.uscc)
      }),
    ],
  }
}

export function pricingConsumers(deps: RepricingDeps): ConsumerDefinition<PricingTables>[] {
  return [reliefDecisions(deps), loans(deps), grades(deps)]
}
