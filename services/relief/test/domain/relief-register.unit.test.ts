// The relief register (专门统计, 银保监发〔2020〕6号: 专门统计、密切监测) as Given/When/Then tables: grants
// grouped by month, branch, kind and programme; a loan counted once per line; principal deferred and
// interest deferrals; the PBoC incentive (银发〔2020〕122号, 银发〔2021〕81号: 1% of deferred principal)
// counted once per loan, whichever grant of the loan comes first and whatever range is asked for.
import t from 'tap'
import { reliefRegister, reliefRegisterCsv, type DeferralTerms, type GrantedRelief, type RegisterLine } from '../../src/domain/index.js'
import { d } from './fixtures.js'

const PROGRAMME = { kind: 'deferral-programme' as const, id: 'deferral-2020-06', version: 3, title: { zh: '延期', en: 'Deferral' } }
const incentive = (eligible: boolean, fen: string): NonNullable<DeferralTerms['pbocIncentive']> => ({
  eligible,
  reason: eligible ? 'eligible' : 'deferral-shorter-than-minimum',
  deferredPrincipalFen: '300000000',
  rateBp: 100,
  incentiveFen: eligible ? fen : '0',
  deferToAtLeast: d('2021-01-01'),
  oncePerLoan: true,
})
const deferralTerms = (principal: boolean, interest: boolean, earns?: boolean): DeferralTerms => ({
  kind: 'deferral',
  principal: principal ? { dueDate: d('2020-07-01'), deferredTo: d('2021-03-31') } : null,
  interest: interest ? { dueDate: d('2020-06-21'), deferredTo: d('2021-03-31') } : null,
  effects: { penaltyInterestWaived: true, noDowngradeForEpidemicAlone: true, creditReportOnAdjustedSchedule: true, overdueDaysOnRevisedSchedule: true, interestAccrual: 'per-contract', documentsMayFollow: false },
  ...(earns === undefined ? {} : { pbocIncentive: incentive(earns, '3000000') }),
})

interface Given {
  readonly loan: string
  readonly branch?: string
  readonly month?: string
  readonly principal?: bigint
  readonly terms: DeferralTerms | 'extension'
  readonly claimedBefore?: boolean
}
const grant = (g: Given, n: number): GrantedRelief => ({
  applicationId: `app-${n}`,
  loanId: g.loan,
  branchId: g.branch ?? 'B1',
  month: g.month ?? '2020-06',
  outstandingPrincipalFen: g.principal ?? 300_000_000n,
  incentiveClaimedBefore: g.claimedBefore ?? false,
  decision:
    g.terms === 'extension'
      ? { relief: 'extension', programme: { kind: 'extension-rules', id: 'extension-art12', version: 3, title: { zh: '展期', en: 'Extension' } }, terms: null }
      : { relief: 'deferral', programme: PROGRAMME, terms: g.terms },
})

type Then = Partial<RegisterLine>
const ROWS: readonly { name: string; given: readonly Given[]; then: readonly Then[] }[] = [
  { name: 'nothing granted → an empty register', given: [], then: [] },
  {
    name: 'one deferral of principal earning the incentive',
    given: [{ loan: 'L1', terms: deferralTerms(true, false, true) }],
    then: [{ grants: 1, loans: 1, principalFen: '300000000', deferredPrincipalFen: '300000000', interestDeferrals: 0, incentiveFen: '3000000', incentiveLoans: 1, incentiveAlreadyClaimed: 0 }],
  },
  {
    name: '81号: the same loan granted twice in a month → one loan, the incentive once, the second grant "already claimed"',
    given: [
      { loan: 'L1', terms: deferralTerms(true, false, true) },
      { loan: 'L1', terms: deferralTerms(true, true, true) },
    ],
    then: [{ grants: 2, loans: 1, principalFen: '300000000', deferredPrincipalFen: '600000000', interestDeferrals: 1, incentiveFen: '3000000', incentiveLoans: 1, incentiveAlreadyClaimed: 1 }],
  },
  {
    name: 'the second grant in a later month is not counted again either',
    given: [
      { loan: 'L1', terms: deferralTerms(true, false, true) },
      { loan: 'L1', month: '2020-07', terms: deferralTerms(true, false, true) },
    ],
    then: [
      { month: '2020-06', incentiveFen: '3000000', incentiveLoans: 1, incentiveAlreadyClaimed: 0 },
      { month: '2020-07', incentiveFen: '0', incentiveLoans: 0, incentiveAlreadyClaimed: 1 },
    ],
  },
  {
    name: 'an earlier grant before the range earned it → not counted in this range',
    given: [{ loan: 'L1', terms: deferralTerms(true, false, true), claimedBefore: true }],
    then: [{ incentiveFen: '0', incentiveLoans: 0, incentiveAlreadyClaimed: 1 }],
  },
  {
    name: 'an ineligible first grant leaves the incentive to a later eligible one',
    given: [
      { loan: 'L1', terms: deferralTerms(true, false, false) },
      { loan: 'L1', terms: deferralTerms(true, false, true) },
    ],
    then: [{ grants: 2, incentiveFen: '3000000', incentiveLoans: 1, incentiveAlreadyClaimed: 0 }],
  },
  {
    name: 'interest only: nothing of principal deferred, one interest deferral',
    given: [{ loan: 'L2', terms: deferralTerms(false, true) }],
    then: [{ deferredPrincipalFen: '0', interestDeferrals: 1, incentiveFen: '0' }],
  },
  {
    name: 'lines by month, then branch, then kind, then programme',
    given: [
      { loan: 'L3', branch: 'B2', month: '2020-07', terms: 'extension' },
      { loan: 'L4', branch: 'B2', month: '2020-06', terms: deferralTerms(true, false) },
      { loan: 'L5', branch: 'B1', month: '2020-07', terms: 'extension' },
      { loan: 'L6', branch: 'B1', month: '2020-07', terms: deferralTerms(true, false), principal: 123n },
    ],
    then: [
      { month: '2020-06', branchId: 'B2', relief: 'deferral', programme: 'deferral-2020-06@3' },
      { month: '2020-07', branchId: 'B1', relief: 'deferral', programme: 'deferral-2020-06@3', principalFen: '123' },
      { month: '2020-07', branchId: 'B1', relief: 'extension', programme: 'extension-art12@3', deferredPrincipalFen: '0' },
      { month: '2020-07', branchId: 'B2', relief: 'extension' },
    ],
  },
]

t.test('the register', async (t) => {
  for (const row of ROWS) {
    t.test(row.name, async (t) => {
      const lines = reliefRegister(row.given.map(grant))
      t.equal(lines.length, row.then.length, 'lines')
      row.then.forEach((then, i) => t.match(lines[i], then, `line ${i + 1}`))
    })
  }
})

t.test('CSV: the report’s columns, integers for fen, RFC 4180 quoting', async (t) => {
  const lines = reliefRegister([grant({ loan: 'L1', branch: 'B,"1"', terms: deferralTerms(true, false, true) }, 1)])
  t.equal(
    reliefRegisterCsv(lines),
    'month,branch_id,relief,programme,grants,loans,principal_fen,deferred_principal_fen,interest_deferrals,incentive_fen,incentive_loans,incentive_already_claimed\r\n' +
      '2020-06,"B,""1""",deferral,deferral-2020-06@3,1,1,300000000,300000000,0,3000000,1,0\r\n',
  )
  t.equal(reliefRegisterCsv([]), 'month,branch_id,relief,programme,grants,loans,principal_fen,deferred_principal_fen,interest_deferrals,incentive_fen,incentive_loans,incentive_already_claimed\r\n')
})
