// Re-pricing the terms of approved relief decisions (POLICY §2 and §3), as Given/When/Then rows:
// the plan drawn from the decision and the loan, then the quote priced from it.
import t, { type Test } from 'tap'
import { LPR_TABLE_FIXTURE, parseDate } from '@sme/domain'
import type { ReliefDecidedV2Data } from '@sme/contracts'
import {
  DEFAULT_PROGRAMMES,
  DEFAULT_RATE_CARD,
  priceAtRate,
  repricedRate,
  repricingPlan,
  repricingRequest,
  type BorrowerProfile,
  type LoanOnBook,
  type PricedQuote,
  type RepricingOutcome,
  type RepricingPlan,
} from '../../src/index.js'

const d = parseDate
const SOURCES = { lpr: LPR_TABLE_FIXTURE, cards: [DEFAULT_RATE_CARD], programmes: DEFAULT_PROGRAMMES }
const BBB: BorrowerProfile = { kind: 'enterprise', size: null, grade: 'BBB', affected: true, keyList: null, inclusiveSmallMicro: false }

type Decision = Pick<ReliefDecidedV2Data, 'outcome' | 'terms' | 'decidedAt'>
type Terms = NonNullable<ReliefDecidedV2Data['terms']>

/** A one-year working-capital loan of ¥1,000,000 at 4.35%, principal at maturity. */
const LOAN: LoanOnBook = {
  loanId: 'L-1',
  product: 'working-capital',
  startDate: d('2019-03-20'),
  maturityDate: d('2020-03-20'),
  rateBp: 435,
  outstandingPrincipal: 1_000_000_00n,
  status: 'active',
}

const EFFECTS = {
  penaltyInterestWaived: true,
  noDowngradeForEpidemicAlone: true,
  creditReportOnAdjustedSchedule: true,
  overdueDaysOnRevisedSchedule: true,
  interestAccrual: 'normal' as const,
  documentsMayFollow: false,
}
const deferral = (principal: [string, string] | null, interest: [string, string] | null): Terms => ({
  kind: 'deferral',
  principal: principal && { dueDate: principal[0], deferredTo: principal[1] },
  interest: interest && { dueDate: interest[0], deferredTo: interest[1] },
  effects: EFFECTS,
})
const extension = (previousMaturity: string, newMaturity: string, newRateTierFrom: string | null): Terms => ({
  kind: 'extension',
  previousMaturity,
  newMaturity,
  extensionDays: 0,
  cumulativeExtensionDays: 0,
  maxCumulativeExtensionDays: 0,
  latestMaturity: newMaturity,
  termClass: 'short',
  termClassAfterExtension: 'short',
  newRateTierFrom,
})
const renewal = (newMaturity: string): Terms => ({ kind: 'renewal', withoutPrincipalRepayment: true, newMaturity, signContractBy: null, renewedClassification: 'normal' })
const approved = (terms: Terms, decidedAt = '2020-03-10T08:00:00.000Z'): Decision => ({ outcome: 'APPROVED', terms, decidedAt })

/** The quote a plan prices to, as the service draws it. */
function price(plan: RepricingPlan, borrower: BorrowerProfile = BBB): PricedQuote {
  return priceAtRate(repricingRequest(plan), repricedRate(plan, borrower, SOURCES))
}

function planOf(t: Test, outcome: RepricingOutcome): RepricingPlan {
  if (outcome.kind !== 'plan') throw new Error(`no plan: ${JSON.stringify(outcome)}`)
  t.pass(`planned: ${outcome.plan.relief} ${outcome.plan.startDate} → ${outcome.plan.maturityDate}`)
  return outcome.plan
}

interface Row {
  readonly name: string
  readonly given: { readonly decision: Decision; readonly loan: LoanOnBook | null }
  readonly then: (outcome: RepricingOutcome, t: Test) => void
}

const ROWS: readonly Row[] = [
  {
    name: 'a declined decision is not re-priced',
    given: { decision: { outcome: 'DECLINED', terms: null, decidedAt: '2020-03-10T08:00:00.000Z' }, loan: LOAN },
    then: (o, t) => t.same(o, { kind: 'not-priced', code: 'RP_DECLINED' }),
  },
  {
    name: 'before core banking’s booking arrives, the decision waits for the loan',
    given: { decision: approved(renewal('2021-03-20')), loan: null },
    then: (o, t) => t.same(o, { kind: 'waiting', for: 'loan' }),
  },
  {
    name: 'a settled loan has nothing to re-price',
    given: { decision: approved(renewal('2021-03-20')), loan: { ...LOAN, status: 'settled' } },
    then: (o, t) => t.same(o, { kind: 'not-priced', code: 'RP_LOAN_CLOSED' }),
  },
  {
    name: 'nothing outstanding: nothing to re-price',
    given: { decision: approved(renewal('2021-03-20')), loan: { ...LOAN, outstandingPrincipal: 0n } },
    then: (o, t) => t.same(o, { kind: 'not-priced', code: 'RP_NOTHING_OUTSTANDING' }),
  },
  {
    name: 'a booking that matures before it starts cannot be re-priced',
    given: { decision: approved(renewal('2021-03-20')), loan: { ...LOAN, maturityDate: d('2019-03-20') } },
    then: (o, t) => t.same(o, { kind: 'not-priced', code: 'RP_LOAN_TERMS_INVALID' }),
  },
  {
    name: '银保监发〔2020〕6号 (2020-03-01): principal and interest due 2020-03-20 deferred to 2020-06-30 — the contract rate, no penalty, every deferred fen paid on 30 June with no interest on interest',
    given: { decision: approved(deferral(['2020-03-20', '2020-06-30'], ['2020-03-20', '2020-06-30'])), loan: LOAN },
    then: (o, t) => {
      const plan = planOf(t, o)
      t.same([plan.startDate, plan.maturityDate, plan.termMonths, plan.rate, plan.interestPaidFrom, plan.needsGrade], ['2020-03-20', '2020-06-30', 4, { kind: 'contract', rateBp: 435 }, '2020-06-30', false])
      const q = price(plan)
      t.same(
        q.schedule.periods.map((p) => [p.dueDate, p.days, p.interest]),
        [
          ['2020-04-20', 31, 374_583n],
          ['2020-05-20', 30, 362_500n],
          ['2020-06-20', 31, 374_583n],
          ['2020-06-30', 10, 120_833n],
        ],
        '¥1,000,000 × 4.35% × days ÷ 360, half-up per period; the short period its 10 days',
      )
      t.same(q.paid, [0n, 0n, 0n, 101_232_499n], 'nothing paid before 30 June; then the principal and all 102 days of interest')
      t.equal(q.rate.basis, 'contract')
      t.same(q.rate.considered, [], 'the programmes priced the contract when it was signed')
    },
  },
  {
    name: 'interest alone deferred (due 2020-04-20 to 2020-06-30): the April–June interest is paid on 20 July, the principal at the contract maturity',
    given: { decision: approved(deferral(null, ['2020-04-20', '2020-06-30'])), loan: { ...LOAN, maturityDate: d('2020-12-20') } },
    then: (o, t) => {
      const plan = planOf(t, o)
      t.same([plan.startDate, plan.maturityDate, plan.termMonths], ['2020-04-20', '2020-12-20', 8])
      const q = price(plan)
      const interest = q.schedule.periods.map((p) => p.interest)
      t.same(q.paid.slice(0, 3), [0n, 0n, interest[0]! + interest[1]! + interest[2]!], 'May and June carried to the first due date on or after 30 June')
      t.equal(q.paid.reduce((a, b) => a + b, 0n), q.schedule.totalPayment, 'nothing added, nothing lost')
    },
  },
  {
    name: '贷款通则 art. 12: a 6-month loan extended to 11 months stays in its rate tier: the contract rate from the old maturity',
    given: { decision: approved(extension('2020-07-15', '2020-12-15', null)), loan: { ...LOAN, startDate: d('2020-01-15'), maturityDate: d('2020-07-15') } },
    then: (o, t) => {
      const plan = planOf(t, o)
      t.same([plan.startDate, plan.maturityDate, plan.termMonths, plan.rate, plan.needsGrade], ['2020-07-15', '2020-12-15', 5, { kind: 'contract', rateBp: 435 }, false])
    },
  },
  {
    name: 'a one-year loan extended by six months crosses into the 1–3-year tier: the contract rate plus the card’s 20 bp between the bands (same 1-year LPR)',
    given: { decision: approved(extension('2021-01-15', '2021-07-15', '2021-01-15'), '2021-01-05T02:00:00.000Z'), loan: { ...LOAN, startDate: d('2020-01-15'), maturityDate: d('2021-01-15') } },
    then: (o, t) => {
      const plan = planOf(t, o)
      t.same(plan.rate, { kind: 'extension-tier', contractRateBp: 435, fromBand: 'up-to-1y', toBand: '1y-to-3y', from: '2021-01-15' })
      const q = price(plan)
      t.equal(q.rate.nominalRateBp, 455)
      t.same([q.rate.basis, q.rate.card?.spreadBp, q.rate.lpr.tenor], ['extension-tier', 20, '1y'])
    },
  },
  {
    name: 'a 4-year term loan extended to 6 years crosses into the 5-year LPR: + (4.65% − 3.80%) on 2022-01-10 + the card’s 20 bp = contract + 105 bp',
    given: {
      decision: approved(extension('2022-01-10', '2024-01-10', '2022-01-10'), '2021-12-28T02:00:00.000Z'),
      loan: { ...LOAN, product: 'fixed-asset', startDate: d('2018-01-10'), maturityDate: d('2022-01-10'), rateBp: 490 },
    },
    then: (o, t) => {
      const plan = planOf(t, o)
      t.equal(plan.product, 'term-loan', 'a fixed-asset loan is priced as a term loan')
      const q = price(plan)
      t.equal(q.rate.nominalRateBp, 595)
      t.same(q.rate.lpr, { tenor: '5y', rateBp: 465, publishedOn: '2021-12-20' }, 'the publication in force on 2022-01-10')
    },
  },
  {
    name: '金规〔2024〕13号: a renewal decided before maturity is a new contract from the old maturity, priced by the card on the decision date',
    given: { decision: approved(renewal('2025-12-31'), '2024-12-10T02:00:00.000Z'), loan: { ...LOAN, startDate: d('2023-12-31'), maturityDate: d('2024-12-31') } },
    then: (o, t) => {
      const plan = planOf(t, o)
      t.same([plan.startDate, plan.maturityDate, plan.termMonths, plan.pricingDate, plan.rate, plan.needsGrade], ['2024-12-31', '2025-12-31', 12, '2024-12-10', { kind: 'card' }, true])
      const q = price(plan)
      t.equal(q.rate.basis, 'card')
      t.equal(q.rate.nominalRateBp, q.rate.lpr.rateBp + 125, '1-year LPR + 50 + 3 grades × 25 for BBB')
      t.equal(q.schedule.periods.at(-1)!.principal, 1_000_000_00n, 'interest monthly, the principal at maturity')
    },
  },
  {
    name: 'a renewal decided after the old maturity runs from the decision date, with a short last period',
    given: { decision: approved(renewal('2025-06-30'), '2025-01-07T02:00:00.000Z'), loan: { ...LOAN, startDate: d('2023-12-31'), maturityDate: d('2024-12-31') } },
    then: (o, t) => {
      const plan = planOf(t, o)
      t.same([plan.startDate, plan.maturityDate, plan.termMonths], ['2025-01-07', '2025-06-30', 6])
      t.equal(price(plan).schedule.periods.at(-1)!.days, 23, '7 June → 30 June')
    },
  },
  {
    name: 'a deferral whose deferred date is not after the due date has nothing to schedule',
    given: { decision: approved(deferral(['2020-03-20', '2020-03-20'], null)), loan: LOAN },
    then: (o, t) => t.same(o, { kind: 'not-priced', code: 'RP_ENDS_BEFORE_IT_STARTS' }),
  },
]

t.test('Given an approved relief decision and the loan, when re-priced, then the new terms follow the policy', async (t) => {
  for (const row of ROWS) t.test(row.name, async (t) => row.then(repricingPlan(row.given.decision, row.given.loan), t))
})

t.test('Given an extension crossing a tier for a grade the card does not price, when re-priced, then it names the grade', async (t) => {
  const plan = planOf(t, repricingPlan(approved(extension('2021-01-15', '2021-07-15', '2021-01-15')), { ...LOAN, startDate: d('2020-01-15'), maturityDate: d('2021-01-15') }))
  t.throws(() => price(plan, { ...BBB, grade: 'ZZ' }), { code: 'no-card-spread' })
})

t.test('the short last period is discounted for its share of a month in the annualized rate', async (t) => {
  const plan = planOf(t, repricingPlan(approved(renewal('2025-06-30'), '2025-01-07T02:00:00.000Z'), { ...LOAN, startDate: d('2023-12-31'), maturityDate: d('2024-12-31') }))
  const q = price(plan)
  const nominal = q.rate.nominalRateBp * 100
  // ACT/360 on monthly payments: a little above the nominal rate, as for whole months.
  t.ok(q.contractAnnualized.centiBp > nominal && q.contractAnnualized.centiBp < nominal + 800, `${q.contractAnnualized.centiBp / 10_000}% for ${nominal / 10_000}% nominal`)
})


