import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { isDomainError } from '@sme/domain'
import type { ReliefDecidedV2Data } from '@sme/contracts'
import type { ServiceContext } from '@sme/kit'
import { priceAtRate, repricedRate, repricingPlan, repricingRequest, type BorrowerProfile, type PricedQuote } from '../domain/index.js'
import { gradeOf, loanOnBook } from '../store/read-models.js'
import type { QuoteStatements } from '../store/quotes.js'
import type { SourcesCache } from '../store/reference.js'
import type { PricingTables, PricingTx, RepricingState } from '../store/tables.js'
import { quoteData, storeQuote } from './quotes.js'

/** Who issues the quotes of relief decisions, as the quotes table records it. */
export const REPRICING_ISSUER = 'system:relief-repricing'

export interface RepricingDeps {
  readonly outbox: ServiceContext<PricingTables>['outbox']
  readonly now: () => Date
  readonly sources: SourcesCache
  readonly statements: QuoteStatements
}

/**
 * One decision, one loan at a time: the decision's consumer and the loan's (and, for the grade, the
 * enterprise's) run in their own transactions, so each takes the same transaction-scoped lock first;
 * whichever commits second then sees the other's row and prices the decision. Without it a decision
 * arriving while its loan's booking commits would wait for a loan that has come.
 */
async function lock(tx: PricingTx, kind: 'loan' | 'enterprise', id: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`pricing.${kind}:${id}`}))`.execute(tx)
}

export const lockLoan = (tx: PricingTx, loanId: string) => lock(tx, 'loan', loanId)
export const lockEnterprise = (tx: PricingTx, uscc: string) => lock(tx, 'enterprise', uscc)

/**
 * Records a final relief decision (`relief.decisions.v2`) and prices it if it can be: once per
 * application revision however often it is delivered; a later revision supersedes an earlier one
 * still waiting, and an earlier one arriving after a later one is not priced.
 */
export async function receiveReliefDecision(tx: PricingTx, deps: RepricingDeps, decision: ReliefDecidedV2Data, traceparent?: string): Promise<RepricingState> {
  await lockLoan(tx, decision.loanId)
  const uscc = decision.borrower.kind === 'enterprise' ? decision.borrower.uscc : null
  if (uscc !== null) await lockEnterprise(tx, uscc)
  const inserted = await tx
    .insertInto('relief_decisions')
    .values({
      application_id: decision.applicationId,
      revision: decision.revision,
      loan_id: decision.loanId,
      uscc,
      decision: JSON.stringify(decision),
      state: 'waiting-loan',
      code: null,
      quote_id: null,
      received_at: deps.now(),
      settled_at: null,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('revision')
    .executeTakeFirst()
  if (inserted === undefined) {
    const held = await tx.selectFrom('relief_decisions').select('state').where('application_id', '=', decision.applicationId).where('revision', '=', decision.revision).executeTakeFirstOrThrow()
    return held.state
  }
  const later = await tx.selectFrom('relief_decisions').select('revision').where('application_id', '=', decision.applicationId).where('revision', '>', decision.revision).executeTakeFirst()
  if (later !== undefined) return settle(tx, deps, decision, 'superseded', 'RP_LATER_REVISION')
  await tx
    .updateTable('relief_decisions')
    .set({ state: 'superseded', code: 'RP_LATER_REVISION', settled_at: deps.now() })
    .where('application_id', '=', decision.applicationId)
    .where('revision', '<', decision.revision)
    .where('state', 'in', ['waiting-loan', 'waiting-grade'])
    .execute()
  return reprice(tx, deps, decision, traceparent)
}

/**
 * Prices the decisions waiting for this loan's booking (call under {@link lockLoan}). Each firm's lock
 * is taken too, after the loan's as the decision's consumer takes them: a decision that now waits for
 * the grade must not miss a grade committed meanwhile.
 */
export async function repriceWaitingForLoan(tx: PricingTx, deps: RepricingDeps, loanId: string): Promise<RepricingState[]> {
  const rows = await tx.selectFrom('relief_decisions').select(['decision', 'uscc']).where('loan_id', '=', loanId).where('state', '=', 'waiting-loan').execute()
  for (const uscc of new Set(rows.map((r) => r.uscc))) if (uscc !== null) await lockEnterprise(tx, uscc)
  return repriceWaiting(tx, deps, rows)
}

/** Prices the decisions waiting for this enterprise's grade (call under {@link lockEnterprise}). */
export async function repriceWaitingForGrade(tx: PricingTx, deps: RepricingDeps, uscc: string): Promise<RepricingState[]> {
  return repriceWaiting(tx, deps, await tx.selectFrom('relief_decisions').select('decision').where('uscc', '=', uscc).where('state', '=', 'waiting-grade').execute())
}

async function repriceWaiting(tx: PricingTx, deps: RepricingDeps, rows: readonly { decision: ReliefDecidedV2Data }[]): Promise<RepricingState[]> {
  const states: RepricingState[] = []
  for (const { decision } of rows) states.push(await reprice(tx, deps, decision))
  return states
}

async function reprice(tx: PricingTx, deps: RepricingDeps, decision: ReliefDecidedV2Data, traceparent?: string): Promise<RepricingState> {
  const outcome = repricingPlan(decision, await loanOnBook(tx, decision.loanId))
  if (outcome.kind === 'waiting') return settle(tx, deps, decision, 'waiting-loan', null)
  if (outcome.kind === 'not-priced') return settle(tx, deps, decision, 'not-priced', outcome.code)
  const plan = outcome.plan
  const borrower = decision.borrower
  let grade = ''
  if (plan.needsGrade) {
    // Scoring grades enterprises by their USCC; a natural person has no grade to price a card by.
    if (borrower.kind === 'person') return settle(tx, deps, decision, 'not-priced', 'RP_NO_GRADE_FOR_PERSON')
    const held = await gradeOf(tx, borrower.uscc)
    if (held === null) return settle(tx, deps, decision, 'waiting-grade', null)
    grade = held
  }
  const { sources, keyList } = await deps.sources.get(tx, borrower.kind === 'enterprise' ? { uscc: borrower.uscc, on: plan.pricingDate } : null)
  const profile: BorrowerProfile = {
    kind: borrower.kind,
    // The decision does not carry the firm's size; a segment cut by size does not apply unseen.
    size: null,
    grade,
    // Relief was granted for the crisis's hardship: the bank judged the firm affected.
    affected: true,
    keyList: borrower.kind === 'enterprise' ? keyList : null,
    inclusiveSmallMicro: false,
  }
  let priced: PricedQuote
  try {
    priced = priceAtRate(repricingRequest(plan), repricedRate(plan, profile, sources))
  } catch (error) {
    // Terms the engine refuses (a contract rate above its range, no LPR that day, no spread for the grade).
    if (isDomainError(error)) return settle(tx, deps, decision, 'not-priced', `RP_REFUSED_${error.code.toUpperCase().replaceAll('-', '_')}`)
    throw error
  }
  const data = quoteData(
    randomUUID(),
    {
      loanId: decision.loanId,
      branchId: decision.branchId,
      borrower: borrower.kind === 'enterprise' ? { kind: 'enterprise', uscc: borrower.uscc } : { kind: 'person', borrowerId: borrower.borrowerId },
      product: plan.product,
      method: plan.method,
      termMonths: plan.termMonths,
      principalFen: plan.principal.toString(),
      pricingDate: plan.pricingDate,
      startDate: plan.startDate,
    },
    priced,
    { kind: 'relief-decision', applicationId: decision.applicationId, revision: decision.revision },
    deps.now(),
  )
  // The table's unique (decision, revision) makes a second pricing of the same revision write nothing.
  const { schedule, ...summary } = data
  const stored = await storeQuote(tx, deps, { summary, scheduleJson: JSON.stringify(schedule), data }, REPRICING_ISSUER, null, traceparent)
  return settle(tx, deps, decision, stored ? 'priced' : 'not-priced', stored ? null : 'RP_PRICED_BEFORE', stored ? data.quoteId : null)
}

async function settle(tx: PricingTx, deps: RepricingDeps, decision: ReliefDecidedV2Data, state: RepricingState, code: string | null, quoteId: string | null = null): Promise<RepricingState> {
  const waiting = state === 'waiting-loan' || state === 'waiting-grade'
  await tx
    .updateTable('relief_decisions')
    .set({ state, code, quote_id: quoteId, settled_at: waiting ? null : deps.now() })
    .where('application_id', '=', decision.applicationId)
    .where('revision', '=', decision.revision)
    .execute()
  return state
}
