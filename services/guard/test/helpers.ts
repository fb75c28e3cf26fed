import { randomUUID } from 'node:crypto'
import { Compile } from 'typebox/compile'
import { LoanBooked, OverdueDaysChanged, ReliefDecidedV2, ScoreCompleted, type ReliefDecidedV2Data } from '@sme/contracts'
import { makeUscc } from '@sme/domain'
import type { Transport } from '@sme/events'
import type { ServiceApp } from '@sme/kit'
import type { Teardown } from '@sme/testing'
import { serviceUnderTest, type ServiceUnderTest, type ServiceUnderTestOptions } from '@sme/testing/services'
import type { Static } from 'typebox'
import { guardService, type GuardOptions } from '../src/index.js'
import type { GuardTables } from '../src/store/tables.js'

const AUTH = { secret: 'guard-tests-secret-0123456789abcdefgh', issuer: 'tests', audience: 'sme-relief' }

export type GuardUnderTest = ServiceUnderTest<GuardTables>

/** The guard on the real PostgreSQL in a schema of the test's own. */
export function guardUnderTest(t: Teardown, options: Omit<ServiceUnderTestOptions, 'auth'> = {}, guard: GuardOptions = {}): Promise<GuardUnderTest> {
  return serviceUnderTest(t, guardService(guard), { ...options, auth: AUTH })
}

export const firm = (n: number): string => makeUscc(`91350100${String(n).padStart(8, '0')}`)

/** What core banking asks: call loan `loanId` of `uscc` early on 2020-04-15, for the reasons given. */
export function checkBody(loanId: string, uscc: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return { loanId, branchId: 'B001', borrower: { kind: 'enterprise', uscc }, action: 'call-early', actionDate: '2020-04-15', reasons: [], requestedBy: 'staff-0042', ...over }
}

// The events below are typed by the contracts' own checks: a test event that drifts from the
// contract fails here, not as a silent skip in the consumer.
const checkDecision = Compile(ReliefDecidedV2.schema)
const checkScore = Compile(ScoreCompleted.schema)
const checkBooking = Compile(LoanBooked.schema)
const checkOverdue = Compile(OverdueDaysChanged.schema)

function checked<T>(check: { Check(v: unknown): v is T; Errors(v: unknown): Iterable<unknown> }, data: unknown, what: string): T {
  if (!check.Check(data)) throw new Error(`the test's ${what} does not meet its contract: ${JSON.stringify([...check.Errors(data)].slice(0, 3))}`)
  return data
}

/** An approved (or declined) deferral of loan `loanId` to 2020-06-30, decided 2020-03-10. */
export function deferralDecision(loanId: string, uscc: string, over: { applicationId?: string; revision?: number; outcome?: 'APPROVED' | 'DECLINED' } = {}): ReliefDecidedV2Data {
  const approved = (over.outcome ?? 'APPROVED') === 'APPROVED'
  return checked<ReliefDecidedV2Data>(
    checkDecision,
    {
      applicationId: over.applicationId ?? randomUUID(),
      revision: over.revision ?? 1,
      borrower: { kind: 'enterprise', uscc },
      loanId,
      branchId: 'B001',
      relief: 'deferral',
      outcome: approved ? 'APPROVED' : 'DECLINED',
      mandatory: false,
      decidedBy: 'rules',
      decidedAt: '2020-03-10T02:00:00.000Z',
      applicationDate: '2020-03-09',
      answerBy: '2020-03-16',
      programme: { kind: 'deferral', id: 'deferral-2020-03', version: 1, title: { zh: '延期还本付息', en: 'Deferral' } },
      request: { kind: 'deferral', principal: true, interest: true, deferTo: '2020-06-30' },
      terms: approved
        ? {
            kind: 'deferral',
            principal: { dueDate: '2020-03-20', deferredTo: '2020-06-30' },
            interest: { dueDate: '2020-03-20', deferredTo: '2020-06-30' },
            effects: { penaltyInterestWaived: true, noDowngradeForEpidemicAlone: true, creditReportOnAdjustedSchedule: true, overdueDaysOnRevisedSchedule: true, interestAccrual: 'per-contract', documentsMayFollow: false },
          }
        : null,
      reasons: [{ code: approved ? 'RL_APPROVED' : 'RL_DECLINED', text: { zh: '…', en: '…' } }],
      policyVersions: [{ kind: 'deferral', id: 'deferral-2020-03', version: 1 }],
      review: null,
    },
    'relief decision',
  )
}

/** A score of `uscc` as of `asOf` with the hardship signal given. */
export function scoreOf(uscc: string, grade: string, hardship: 'temporary-shock' | 'structural-decline' | null, asOf = '2020-03-01'): Static<(typeof ScoreCompleted)['schema']> {
  return checked(
    checkScore,
    {
      correlationId: null,
      scoreId: randomUUID(),
      uscc,
      asOf,
      model: { id: 'sme-general', version: '1', segment: 'sme-general' },
      score: 640,
      probabilityOfDefaultPpm: 12_000,
      grade,
      reasons: [],
      hardship: hardship === null ? null : { classification: hardship, crisisStart: '2020-01-23', reasons: [] },
    },
    'score',
  )
}

const position = (daysPastDue: number) => ({ outstandingPrincipalFen: '100000000', daysPastDue, classification: daysPastDue > 0 ? 'special-mention' : 'normal', status: 'active' })

/** Core banking's booking of `loanId` to `uscc` at branch B001 (sequence 1). */
export function booked(loanId: string, uscc: string, branchId = 'B001') {
  return checked<Static<(typeof LoanBooked)['schema']>>(
    checkBooking,
    {
      eventId: `CBS-${loanId}-1`,
      loanId,
      sequence: 1,
      asOf: '2020-01-02T09:00:00+08:00',
      position: position(0),
      borrower: { kind: 'enterprise', uscc },
      branchId,
      product: 'working-capital',
      principalFen: '100000000',
      startDate: '2019-03-20',
      maturityDate: '2020-09-20',
      rateBp: 435,
      guarantee: { kind: 'none', guarantorId: null },
    },
    'booking',
  )
}

/** The end-of-day run moving `loanId` to `daysPastDue` at `sequence`. */
export function overdue(loanId: string, sequence: number, daysPastDue: number, asOf = '2020-04-14T23:00:00+08:00') {
  return checked<Static<(typeof OverdueDaysChanged)['schema']>>(
    checkOverdue,
    { eventId: `CBS-${loanId}-${sequence}`, loanId, sequence, asOf, position: position(daysPastDue), previousDaysPastDue: 0, overdueSince: daysPastDue > 0 ? '2020-01-01' : null },
    'overdue-days event',
  )
}

/** A CloudEvent in Kafka's binary mode, as a producer outside the platform writes it. */
export function kafkaMessage(type: string, key: string, data: unknown, id: string = randomUUID()) {
  return {
    key,
    value: JSON.stringify(data),
    headers: { ce_specversion: '1.0', ce_id: id, ce_source: '/tests/outside', ce_type: type, ce_time: new Date().toISOString(), 'content-type': 'application/json' },
  }
}
