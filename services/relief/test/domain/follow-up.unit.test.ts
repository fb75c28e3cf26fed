// Follow-up of granted relief (银保监发〔2020〕6号: 专门统计、密切监测; POLICY §2) as Given/When/Then tables:
// while the relief runs (from the decision to the last deferred due date or the new maturity), a
// position of the books overdue, worse classified than the relief left the loan, or written off
// raises a follow-up; before the decision or after the relief ends, nothing.
import t from 'tap'
import type { LoanClassification, LoanStatus } from '@sme/contracts/vocabulary'
import { classAfterRelief, followUpsFor, reliefEndsOn, type FollowUpReason, type GrantedTerms, type ReliefTerms } from '../../src/domain/index.js'
import { d } from './fixtures.js'

const EFFECTS = { penaltyInterestWaived: true, noDowngradeForEpidemicAlone: true, creditReportOnAdjustedSchedule: true, overdueDaysOnRevisedSchedule: true, interestAccrual: 'per-contract', documentsMayFollow: false } as const
const DEFERRAL: ReliefTerms = {
  kind: 'deferral',
  principal: { dueDate: d('2020-07-01'), deferredTo: d('2020-12-31') },
  interest: { dueDate: d('2020-06-21'), deferredTo: d('2021-03-31') },
  effects: EFFECTS,
  classification: { before: 'special-mention', after: 'special-mention', floor: 'normal', daysPastDue: 0, basis: 'kept: no downgrade for the epidemic alone' },
}
const EXTENSION: ReliefTerms = {
  kind: 'extension',
  previousMaturity: d('2020-07-01'),
  newMaturity: d('2020-12-31'),
  extensionDays: 183,
  cumulativeExtensionDays: 183,
  maxCumulativeExtensionDays: 213,
  latestMaturity: d('2021-02-01'),
  termClass: 'short',
  termClassAfterExtension: 'medium',
  newRateTierFrom: d('2020-07-01'),
}
const RENEWAL: ReliefTerms = { kind: 'renewal', withoutPrincipalRepayment: true, newMaturity: d('2021-07-01'), signContractBy: d('2020-06-30'), renewedClassification: 'normal' }

const granted = (terms: ReliefTerms, classification: LoanClassification = 'normal'): GrantedTerms => ({ decidedOn: d('2020-06-15'), terms, classification })
const position = (p: { daysPastDue?: number; classification?: LoanClassification; status?: LoanStatus }) => ({
  loanId: 'L1',
  sequence: 7,
  asOf: '2020-08-01T08:00:00+08:00',
  outstandingPrincipalFen: 300_000_000n,
  daysPastDue: p.daysPastDue ?? 0,
  classification: p.classification ?? 'normal',
  status: p.status ?? 'active',
})

const ROWS: readonly { name: string; given: GrantedTerms; when: { on: string; position: Parameters<typeof position>[0] }; then: readonly FollowUpReason[] }[] = [
  { name: 'a deferral, the loan current and as classified → nothing', given: granted(DEFERRAL, 'special-mention'), when: { on: '2020-08-01', position: { classification: 'special-mention' } }, then: [] },
  { name: 'overdue on the revised schedule during the relief', given: granted(DEFERRAL, 'special-mention'), when: { on: '2020-08-01', position: { daysPastDue: 3, classification: 'special-mention' } }, then: ['overdue-during-relief'] },
  { name: 'worse than the class the relief left (special-mention → substandard)', given: granted(DEFERRAL, 'special-mention'), when: { on: '2020-08-01', position: { classification: 'substandard' } }, then: ['classification-worsened'] },
  { name: 'better than the relief left → nothing', given: granted(DEFERRAL, 'special-mention'), when: { on: '2020-08-01', position: { classification: 'normal' } }, then: [] },
  { name: 'written off, overdue and worse at once → three follow-ups', given: granted(DEFERRAL), when: { on: '2020-08-01', position: { daysPastDue: 200, classification: 'doubtful', status: 'written-off' } }, then: ['written-off', 'overdue-during-relief', 'classification-worsened'] },
  { name: 'the last day of the latest deferred due date (interest to 2021-03-31) still counts', given: granted(DEFERRAL), when: { on: '2021-03-31', position: { daysPastDue: 1 } }, then: ['overdue-during-relief'] },
  { name: 'the day after the relief ended → nothing', given: granted(DEFERRAL), when: { on: '2021-04-01', position: { daysPastDue: 1 } }, then: [] },
  { name: 'a position from before the decision → nothing', given: granted(DEFERRAL), when: { on: '2020-06-14', position: { daysPastDue: 9 } }, then: [] },
  { name: 'an extension without a stated class: worse than the application’s class', given: granted(EXTENSION), when: { on: '2020-12-31', position: { classification: 'special-mention' } }, then: ['classification-worsened'] },
  { name: 'a renewal kept normal: special-mention is worse', given: granted(RENEWAL, 'normal'), when: { on: '2021-01-10', position: { classification: 'special-mention' } }, then: ['classification-worsened'] },
]

t.test('follow-ups of a granted relief', async (t) => {
  for (const row of ROWS) {
    t.test(row.name, async (t) => {
      t.same(followUpsFor(row.given, position(row.when.position), d(row.when.on)).map((f) => f.reason), row.then)
    })
  }
})

t.test('when a relief ends and the class it leaves', async (t) => {
  t.equal(reliefEndsOn(DEFERRAL), '2021-03-31', 'a deferral: its latest deferred due date')
  t.equal(reliefEndsOn({ ...DEFERRAL, interest: null }), '2020-12-31')
  t.equal(reliefEndsOn(EXTENSION), '2020-12-31', 'an extension: the new maturity')
  t.equal(reliefEndsOn(RENEWAL), '2021-07-01', 'a renewal: the new loan’s maturity')
  t.equal(classAfterRelief(granted(DEFERRAL, 'normal')), 'special-mention', 'the class the terms state')
  t.equal(classAfterRelief(granted({ ...RENEWAL, renewedClassification: 'on-repayment-capacity' }, 'special-mention')), 'special-mention', 'a renewal not kept normal: the application’s class')
  const followUp = followUpsFor(granted(EXTENSION), position({ classification: 'substandard' }), d('2020-08-01'))[0]
  t.same(followUp?.details, { reliefEndsOn: '2020-12-31', sequence: 7, asOf: '2020-08-01T08:00:00+08:00', classificationAfterRelief: 'normal', classification: 'substandard' })
})
