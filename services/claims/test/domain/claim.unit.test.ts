// The claim life cycle (POLICY §5; 工信明电〔2020〕14号 item 9) as Given/When/Then tables: the history
// so far (events), a command, and the events it causes or the refusal with the state it met. Every
// transition, the demand's outcomes, partial settlement, reversal, the order of payments, recoveries
// before and after write-off, corrections as records of their own, deadlines raised once.
import t from 'tap'
import {
  ALLOWED_IN,
  CLAIM_REFUSAL_STATUS,
  CLAIM_REFUSALS,
  CLAIM_STATUSES,
  decide,
  evolve,
  replay,
  type ClaimCommand,
  type ClaimEvent,
  type ClaimRefusalCode,
  type ClaimState,
  type ClaimStatus,
} from '../../src/domain/index.js'
import { AGENCY, AMOUNT, BANK, d, OTHER_AGENCY, TERMS, TIMER } from './fixtures.js'

/** Runs commands from nothing, each of which must be accepted; answers the history. */
function history(...commands: ClaimCommand[]): ClaimEvent[] {
  const events: ClaimEvent[] = []
  let state: ClaimState | null = null
  for (const c of commands) {
    const decision = decide(state, c)
    if (!decision.ok) throw new Error(`setting up: ${c.kind} refused ${decision.refused}`)
    for (const e of decision.events) {
      events.push(e)
      state = evolve(state, e)
    }
  }
  return events
}

const ELIGIBLE = { reasons: [], amount: AMOUNT }
const C = {
  demand: { kind: 'issue-demand', loanId: 'CBS-L-1', terms: TERMS, amount: 101_500_000n, on: d('2020-06-01'), by: BANK },
  claim: { kind: 'resolve-demand', outcome: 'claim', on: d('2020-06-10'), by: BANK },
  cured: { kind: 'resolve-demand', outcome: 'cured', on: d('2020-06-10'), by: BANK },
  file: { kind: 'file', assessment: ELIGIBLE, paymentDueOn: d('2020-07-28'), portfolio: { exceeded: false, mode: 'flag' }, on: d('2020-06-15'), by: BANK },
  acknowledge: { kind: 'acknowledge', on: d('2020-06-16'), by: AGENCY },
  approve: { kind: 'approve', amount: AMOUNT.claimed, on: d('2020-06-20'), by: AGENCY },
  approvePart: { kind: 'approve', amount: 40_000_000n, on: d('2020-06-20'), by: AGENCY },
  reject: { kind: 'reject', reason: 'the borrower can repay', on: d('2020-06-20'), by: AGENCY },
  pay: { kind: 'record-payment', partyId: 'ZJ-AGENCY-01', amount: AMOUNT.claimed, on: d('2020-06-25'), by: AGENCY },
  recover: { kind: 'record-recovery', recoveryId: 'R1', amount: 10_108_750n, source: 'collateral sale', on: d('2021-03-01'), by: BANK },
  writeOff: { kind: 'write-off', basis: 'recourse-exhausted', on: d('2023-06-26'), by: BANK },
} satisfies Record<string, ClaimCommand>

const DEMANDED = history(C.demand)
const CLOSED = history(C.demand, C.cured)
const DRAFT = history(C.demand, C.claim)
const FILED = history(C.demand, C.claim, C.file)
const ACKNOWLEDGED = history(C.demand, C.claim, C.file, C.acknowledge)
const APPROVED = history(C.demand, C.claim, C.file, C.acknowledge, C.approve)
const APPROVED_IN_PART = history(C.demand, C.claim, C.file, C.acknowledge, C.approvePart)
const REJECTED = history(C.demand, C.claim, C.file, C.acknowledge, C.reject)
const PAID = history(C.demand, C.claim, C.file, C.acknowledge, C.approve, C.pay)
const IN_RECOURSE = history(C.demand, C.claim, C.file, C.acknowledge, C.approve, C.pay, C.recover)
const WRITTEN_OFF = history(C.demand, C.claim, C.file, C.acknowledge, C.approve, C.pay, C.recover, C.writeOff)

/** What a row expects: the events' types with the fields that matter, or a refusal. */
type Then = { events: readonly Partial<ClaimEvent>[] } | { refused: ClaimRefusalCode }

interface Row {
  readonly name: string
  readonly given: readonly ClaimEvent[]
  readonly when: ClaimCommand
  readonly then: Then
  /** The status after the events (for accepted commands). */
  readonly status?: ClaimStatus
}

const ROWS: readonly Row[] = [
  // The demand on the borrower comes first, with its own outcomes.
  { name: 'nothing yet, a demand on the borrower → demanded', given: [], when: C.demand, then: { events: [{ type: 'demand-issued', amount: 101_500_000n }] }, status: 'demanded' },
  { name: 'a second demand for the same loan → refused', given: DEMANDED, when: C.demand, then: { refused: 'CL_EXISTS' } },
  { name: 'a demand of nothing → refused', given: [], when: { ...C.demand, amount: 0n }, then: { refused: 'CL_AMOUNT' } },
  { name: 'demanded, the borrower repaid → closed', given: DEMANDED, when: { ...C.claim, outcome: 'repaid' }, then: { events: [{ type: 'demand-resolved', outcome: 'repaid' }] }, status: 'closed' },
  { name: 'demanded, the loan cured → closed', given: DEMANDED, when: C.cured, then: { events: [{ type: 'demand-resolved', outcome: 'cured' }] }, status: 'closed' },
  { name: 'demanded, no claim → closed', given: DEMANDED, when: { ...C.claim, outcome: 'no-claim' }, then: { events: [{ type: 'demand-resolved', outcome: 'no-claim' }] }, status: 'closed' },
  { name: 'demanded, a claim → draft', given: DEMANDED, when: C.claim, then: { events: [{ type: 'demand-resolved', outcome: 'claim' }] }, status: 'draft' },
  { name: 'closed, filed → refused with its state', given: CLOSED, when: C.file, then: { refused: 'CL_WRONG_STATE' } },
  { name: 'nothing yet, a filing → refused, no claim', given: [], when: C.file, then: { refused: 'CL_NO_CLAIM' } },
  { name: 'demanded, filed before the demand ended → refused', given: DEMANDED, when: C.file, then: { refused: 'CL_WRONG_STATE' } },

  // Filing.
  { name: 'draft, filed eligible → filed, due date set', given: DRAFT, when: C.file, then: { events: [{ type: 'claim-filed', paymentDueOn: d('2020-07-28'), portfolioCapExceeded: false }] }, status: 'filed' },
  { name: 'draft, filed with documents missing → refused with the reasons', given: DRAFT, when: { ...C.file, assessment: { reasons: [{ code: 'DOCUMENTS_MISSING', text: { zh: '缺', en: 'missing' } }], amount: AMOUNT } }, then: { refused: 'CL_NOT_ELIGIBLE' } },
  { name: 'draft, filed past the portfolio cap the agreement enforces → refused', given: DRAFT, when: { ...C.file, portfolio: { exceeded: true, mode: 'enforce' } }, then: { refused: 'CL_PORTFOLIO_CAP' } },
  { name: 'draft, filed past the portfolio cap the agreement flags → filed, flagged', given: DRAFT, when: { ...C.file, portfolio: { exceeded: true, mode: 'flag' } }, then: { events: [{ type: 'claim-filed', portfolioCapExceeded: true }] }, status: 'filed' },
  { name: 'draft, filed of nothing → refused', given: DRAFT, when: { ...C.file, assessment: { reasons: [], amount: { ...AMOUNT, claimed: 0n } } }, then: { refused: 'CL_AMOUNT' } },
  { name: 'filed, filed again → refused', given: FILED, when: C.file, then: { refused: 'CL_WRONG_STATE' } },
  { name: 'a command dated before the last record → refused', given: FILED, when: { ...C.acknowledge, on: d('2020-06-14') }, then: { refused: 'CL_DATE_BACKWARDS' } },

  // Reversal: the bank takes a filed claim back to draft.
  { name: 'filed, the bank reverts → draft', given: FILED, when: { kind: 'revert', reason: 'wrong statement attached', on: d('2020-06-16'), by: BANK }, then: { events: [{ type: 'claim-reverted' }] }, status: 'draft' },
  { name: 'acknowledged, the bank reverts → draft', given: ACKNOWLEDGED, when: { kind: 'revert', reason: 'the borrower paid', on: d('2020-06-17'), by: BANK }, then: { events: [{ type: 'claim-reverted' }] }, status: 'draft' },
  { name: 'filed, the agency reverts → refused, the bank’s alone', given: FILED, when: { kind: 'revert', reason: 'x', on: d('2020-06-16'), by: AGENCY }, then: { refused: 'CL_BANK_ONLY' } },
  { name: 'approved, the bank reverts → refused', given: APPROVED, when: { kind: 'revert', reason: 'x', on: d('2020-06-21'), by: BANK }, then: { refused: 'CL_WRONG_STATE' } },

  // The agency's answers.
  { name: 'filed, the agency acknowledges → acknowledged', given: FILED, when: C.acknowledge, then: { events: [{ type: 'claim-acknowledged' }] }, status: 'acknowledged' },
  { name: 'filed, another agency acknowledges → refused', given: FILED, when: { ...C.acknowledge, by: OTHER_AGENCY }, then: { refused: 'CL_NOT_THE_AGENCY' } },
  { name: 'filed, the bank acknowledges for the agency → refused', given: FILED, when: { ...C.acknowledge, by: BANK }, then: { refused: 'CL_NOT_THE_AGENCY' } },
  { name: 'acknowledged, acknowledged again (a duplicate answer) → refused with its state', given: ACKNOWLEDGED, when: C.acknowledge, then: { refused: 'CL_WRONG_STATE' } },
  { name: 'filed, approved whole without acknowledging → approved', given: FILED, when: C.approve, then: { events: [{ type: 'claim-approved', amount: AMOUNT.claimed, partial: false }] }, status: 'approved' },
  {
    name: 'acknowledged, settled in part → approved, partial, split across the layers',
    given: ACKNOWLEDGED,
    when: C.approvePart,
    then: {
      events: [
        {
          type: 'claim-approved',
          amount: 40_000_000n,
          partial: true,
          shares: [
            { party: 'originating-agency', partyId: 'ZJ-AGENCY-01', amount: 20_000_000n },
            { party: 'provincial-reguarantor', partyId: 'ZJ-REGUARANTEE', amount: 10_000_000n },
            { party: 'national-fund', partyId: 'NATIONAL-GUARANTEE-FUND', amount: 10_000_000n },
          ],
        },
      ],
    },
    status: 'approved',
  },
  { name: 'acknowledged, approved above the claim → refused', given: ACKNOWLEDGED, when: { ...C.approve, amount: AMOUNT.claimed + 1n }, then: { refused: 'CL_AMOUNT' } },
  { name: 'acknowledged, approved at nothing → refused (that is a rejection)', given: ACKNOWLEDGED, when: { ...C.approve, amount: 0n }, then: { refused: 'CL_AMOUNT' } },
  { name: 'acknowledged, another agency approves → refused', given: ACKNOWLEDGED, when: { ...C.approve, by: OTHER_AGENCY }, then: { refused: 'CL_NOT_THE_AGENCY' } },
  { name: 'acknowledged, rejected → rejected', given: ACKNOWLEDGED, when: C.reject, then: { events: [{ type: 'claim-rejected', reason: 'the borrower can repay' }] }, status: 'rejected' },
  { name: 'rejected, approved afterwards (out of order) → refused with its state', given: REJECTED, when: C.approve, then: { refused: 'CL_WRONG_STATE' } },
  { name: 'approved, rejected afterwards → refused', given: APPROVED, when: C.reject, then: { refused: 'CL_WRONG_STATE' } },
  { name: 'draft, approved before it was filed → refused', given: DRAFT, when: C.approve, then: { refused: 'CL_WRONG_STATE' } },

  // Payment: the originating agency first, the re-guarantors after it.
  {
    name: 'approved, the originating agency pays → paid, recourse to 36 months (24 + 12 for the epidemic)',
    given: APPROVED,
    when: C.pay,
    then: { events: [{ type: 'claim-paid', amount: AMOUNT.claimed, recourseUntil: d('2023-06-25') }] },
    status: 'paid',
  },
  { name: 'approved in part, paid the approved part → paid', given: APPROVED_IN_PART, when: { ...C.pay, amount: 40_000_000n }, then: { events: [{ type: 'claim-paid', amount: 40_000_000n }] }, status: 'paid' },
  { name: 'approved, paid a different amount → refused', given: APPROVED, when: { ...C.pay, amount: AMOUNT.claimed - 1n }, then: { refused: 'CL_AMOUNT' } },
  { name: 'approved, the re-guarantor pays first → refused', given: APPROVED, when: { ...C.pay, partyId: 'ZJ-REGUARANTEE', amount: 20_217_500n }, then: { refused: 'CL_ORIGINATING_FIRST' } },
  { name: 'paid, the re-guarantor pays its share → recorded', given: PAID, when: { ...C.pay, partyId: 'ZJ-REGUARANTEE', amount: 20_217_500n, on: d('2020-07-01') }, then: { events: [{ type: 'reguarantor-paid', party: 'provincial-reguarantor', amount: 20_217_500n }] }, status: 'paid' },
  { name: 'paid, the national fund pays another amount → refused', given: PAID, when: { ...C.pay, partyId: 'NATIONAL-GUARANTEE-FUND', amount: 1n, on: d('2020-07-01') }, then: { refused: 'CL_AMOUNT' } },
  { name: 'paid, a party outside the agreement pays → refused', given: PAID, when: { ...C.pay, partyId: 'SOMEONE', amount: 1n, on: d('2020-07-01') }, then: { refused: 'CL_NOT_A_PAYER' } },
  { name: 'paid, the bank listed as a payer → refused (the bank claims none of its share)', given: PAID, when: { ...C.pay, partyId: 'BANK', amount: 1n, on: d('2020-07-01') }, then: { refused: 'CL_NOT_A_PAYER' } },
  { name: 'paid, the originating agency pays again → refused with its state', given: PAID, when: C.pay, then: { refused: 'CL_WRONG_STATE' } },
  { name: 'filed, paid before approval → refused', given: FILED, when: C.pay, then: { refused: 'CL_WRONG_STATE' } },

  // Recourse: recoveries shared back, corrected by records of their own.
  {
    name: 'paid, a recovery → in recourse, shared back pro rata',
    given: PAID,
    when: C.recover,
    then: {
      events: [
        {
          type: 'recovery-recorded',
          amount: 10_108_750n,
          shares: [
            { party: 'originating-agency', partyId: 'ZJ-AGENCY-01', amount: 4_043_500n },
            { party: 'provincial-reguarantor', partyId: 'ZJ-REGUARANTEE', amount: 2_021_750n },
            { party: 'national-fund', partyId: 'NATIONAL-GUARANTEE-FUND', amount: 2_021_750n },
            { party: 'bank', partyId: 'BANK', amount: 2_021_750n },
          ],
        },
      ],
    },
    status: 'in-recourse',
  },
  { name: 'in recourse, the same recovery again (a retry) → refused', given: IN_RECOURSE, when: C.recover, then: { refused: 'CL_DUPLICATE_RECOVERY' } },
  { name: 'in recourse, a second recovery → recorded', given: IN_RECOURSE, when: { ...C.recover, recoveryId: 'R2', amount: 500n, on: d('2021-04-01') }, then: { events: [{ type: 'recovery-recorded', recoveryId: 'R2', amount: 500n }] }, status: 'in-recourse' },
  { name: 'in recourse, a recovery of nothing → refused', given: IN_RECOURSE, when: { ...C.recover, recoveryId: 'R2', amount: 0n }, then: { refused: 'CL_AMOUNT' } },
  {
    name: 'in recourse, a recovery corrected down → a correction record taking shares back',
    given: IN_RECOURSE,
    when: { kind: 'correct-recovery', recoveryId: 'R1', amount: 10_000_000n, reason: 'sale costs deducted', on: d('2021-03-05'), by: BANK },
    then: {
      events: [
        {
          type: 'recovery-corrected',
          delta: -108_750n,
          shares: [
            { party: 'originating-agency', partyId: 'ZJ-AGENCY-01', amount: -43_500n },
            { party: 'provincial-reguarantor', partyId: 'ZJ-REGUARANTEE', amount: -21_750n },
            { party: 'national-fund', partyId: 'NATIONAL-GUARANTEE-FUND', amount: -21_750n },
            { party: 'bank', partyId: 'BANK', amount: -21_750n },
          ],
        },
      ],
    },
    status: 'in-recourse',
  },
  { name: 'in recourse, a correction of an unknown recovery → refused', given: IN_RECOURSE, when: { kind: 'correct-recovery', recoveryId: 'R9', amount: 1n, reason: 'x', on: d('2021-03-05'), by: BANK }, then: { refused: 'CL_UNKNOWN_RECOVERY' } },
  { name: 'in recourse, a correction changing nothing → refused', given: IN_RECOURSE, when: { kind: 'correct-recovery', recoveryId: 'R1', amount: 10_108_750n, reason: 'x', on: d('2021-03-05'), by: BANK }, then: { refused: 'CL_AMOUNT' } },
  { name: 'approved, a recovery before payment → refused', given: APPROVED, when: C.recover, then: { refused: 'CL_WRONG_STATE' } },

  // Write-off: the file stays open.
  { name: 'in recourse, written off when the recourse period is over → written off', given: IN_RECOURSE, when: C.writeOff, then: { events: [{ type: 'claim-written-off', basis: 'recourse-exhausted' }] }, status: 'written-off' },
  { name: 'in recourse, written off as exhausted on its last day → refused', given: IN_RECOURSE, when: { ...C.writeOff, on: d('2023-06-25') }, then: { refused: 'CL_RECOURSE_OPEN' } },
  { name: 'paid, written off early on the write-off conditions → written off', given: PAID, when: { ...C.writeOff, basis: 'write-off-conditions-met', on: d('2021-01-10') }, then: { events: [{ type: 'claim-written-off', basis: 'write-off-conditions-met' }] }, status: 'written-off' },
  { name: 'written off, a later recovery → still shared, still written off', given: WRITTEN_OFF, when: { ...C.recover, recoveryId: 'R2', amount: 4n, on: d('2024-01-01') }, then: { events: [{ type: 'recovery-recorded', recoveryId: 'R2', amount: 4n }] }, status: 'written-off' },
  { name: 'written off, written off again → refused', given: WRITTEN_OFF, when: { ...C.writeOff, on: d('2024-01-01') }, then: { refused: 'CL_WRONG_STATE' } },
  { name: 'written off, the re-guarantor pays its share late → recorded', given: WRITTEN_OFF, when: { ...C.pay, partyId: 'NATIONAL-GUARANTEE-FUND', amount: 20_217_500n, on: d('2024-01-01') }, then: { events: [{ type: 'reguarantor-paid', partyId: 'NATIONAL-GUARANTEE-FUND' }] }, status: 'written-off' },
  { name: 'approved, written off before payment → refused', given: APPROVED, when: C.writeOff, then: { refused: 'CL_WRONG_STATE' } },

  // Timers: each deadline raised once.
  { name: 'filed, the timer on the due day → nothing', given: FILED, when: { kind: 'raise-deadlines', on: d('2020-07-28'), by: TIMER }, then: { events: [] }, status: 'filed' },
  { name: 'filed, the timer the day after the due day → payment overdue', given: FILED, when: { kind: 'raise-deadlines', on: d('2020-07-29'), by: TIMER }, then: { events: [{ type: 'payment-overdue', dueOn: d('2020-07-28') }] }, status: 'filed' },
  { name: 'approved and overdue → payment overdue', given: APPROVED, when: { kind: 'raise-deadlines', on: d('2020-08-01'), by: TIMER }, then: { events: [{ type: 'payment-overdue' }] }, status: 'approved' },
  {
    name: 'overdue raised, the timer again → nothing',
    given: [...FILED, { type: 'payment-overdue', dueOn: d('2020-07-28'), on: d('2020-07-29'), by: TIMER }],
    when: { kind: 'raise-deadlines', on: d('2020-07-30'), by: TIMER },
    then: { events: [] },
    status: 'filed',
  },
  { name: 'paid, the timer after the due day → nothing (paid)', given: PAID, when: { kind: 'raise-deadlines', on: d('2020-08-01'), by: TIMER }, then: { events: [] }, status: 'paid' },
  { name: 'in recourse, the timer after the recourse period → recourse ended', given: IN_RECOURSE, when: { kind: 'raise-deadlines', on: d('2023-06-26'), by: TIMER }, then: { events: [{ type: 'recourse-ended', until: d('2023-06-25') }] }, status: 'in-recourse' },
  { name: 'written off, the timer after the recourse period → nothing', given: WRITTEN_OFF, when: { kind: 'raise-deadlines', on: d('2024-01-01'), by: TIMER }, then: { events: [] }, status: 'written-off' },
]

for (const row of ROWS) {
  t.test(row.name, async (t) => {
    const state = replay(row.given)
    const decision = decide(state, row.when)
    if ('refused' in row.then) {
      t.notOk(decision.ok, 'refused')
      if (decision.ok) return
      t.equal(decision.refused, row.then.refused)
      t.equal(decision.status, state?.status ?? null, 'answers the state it met')
      if (decision.refused === 'CL_WRONG_STATE') t.ok(decision.allowedIn && decision.allowedIn.length > 0 && !decision.allowedIn.includes(state!.status), 'and the states it is allowed in')
      return
    }
    t.ok(decision.ok, decision.ok ? 'accepted' : `refused ${decision.refused}`)
    if (!decision.ok) return
    t.equal(decision.events.length, row.then.events.length, 'as many events as expected')
    row.then.events.forEach((expected, i) => t.match(decision.events[i], expected))
    for (const e of decision.events) t.same({ on: e.on, by: e.by }, { on: row.when.on, by: row.when.by }, 'dated and attributed')
    const after = decision.events.reduce<ClaimState | null>((s, e) => evolve(s, e), state)
    if (row.status) t.equal(after?.status, row.status)
  })
}

t.test('every status is reached by some row, and every command appears', async (t) => {
  const reached = new Set<string>(ROWS.flatMap((r) => (r.status ? [r.status] : [])))
  for (const s of CLAIM_STATUSES) t.ok(reached.has(s), s)
  const kinds = new Set(ROWS.map((r) => r.when.kind))
  for (const k of [...Object.keys(ALLOWED_IN), 'issue-demand', 'raise-deadlines']) t.ok(kinds.has(k as ClaimCommand['kind']), k)
})

t.test('every refusal has texts in both languages and an HTTP class', async (t) => {
  for (const [code, text] of Object.entries(CLAIM_REFUSALS)) {
    t.ok(text.zh && text.en, code)
    t.ok(CLAIM_REFUSAL_STATUS[code as ClaimRefusalCode], code)
  }
})

t.test('a reverted claim is filed again, and its history says so', async (t) => {
  const events = history(C.demand, C.claim, C.file, { kind: 'revert', reason: 'wrong statement', on: d('2020-06-16'), by: BANK }, { ...C.file, on: d('2020-06-18') })
  const state = replay(events)!
  t.equal(state.status, 'filed')
  t.equal(state.reversions, 1)
  t.equal(state.filing?.on, d('2020-06-18'), 'the new filing’s date')
})

t.test('recoveries, a correction and the write-off: the layers’ totals are the fold of the records', async (t) => {
  const events = history(
    C.demand, C.claim, C.file, C.acknowledge, C.approve, C.pay, C.recover,
    { kind: 'correct-recovery', recoveryId: 'R1', amount: 10_000_000n, reason: 'sale costs', on: d('2021-03-05'), by: BANK },
    C.writeOff,
    { ...C.recover, recoveryId: 'R2', amount: 3n, on: d('2024-02-01') },
  )
  const state = replay(events)!
  t.equal(state.status, 'written-off')
  t.same(state.recoveries, [{ id: 'R1', amount: 10_000_000n }, { id: 'R2', amount: 3n }])
  const total = state.recoveredByLayer.reduce((s, l) => s + l.amount, 0n)
  t.equal(total, 10_000_003n, 'every fen recovered is with some layer')
  t.same(state.recoveredByLayer.map((l) => l.amount), [4_000_001n, 2_000_001n, 2_000_001n, 2_000_000n], 'each within a fen of its exact share of 10,000,003 (4,000,001.2; 2,000,000.6 each)')
})
