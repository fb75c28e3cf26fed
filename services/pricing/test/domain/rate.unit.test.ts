// How a quote's rate is reached (POLICY §3) as Given/When/Then rows: the LPR as of the pricing date
// at its publication boundaries, the card spread, then the programmes by precedence — relief cuts,
// the special re-lending cap (1-year LPR − 100 bp, 银发 February 2020) and the inclusive one (+ 50
// bp), the central subsidy (财金〔2020〕3号 then 5号: 50% of the rate paid, one year) and local top-ups
// never taking the cost below zero. Then the subsidy over a schedule and the annualized rate.
import t from 'tap'
import { LPR_TABLE_FIXTURE, parseDate, type CalendarDate } from '@sme/domain'
import {
  annualizedRate,
  buildRate,
  buildSchedule,
  CENTRAL_SUBSIDY_2020_V2,
  DEFAULT_PROGRAMMES,
  DEFAULT_RATE_CARD,
  PricingError,
  subsidySchedule,
  type BorrowerProfile,
  type PricingProgramme,
  type RateBuild,
  type RateRequest,
  type RateSources,
} from '../../src/index.js'

const d = parseDate
// The LPR series the service seeds itself with (the bundled fixture of @sme/domain).
const LPR = LPR_TABLE_FIXTURE
const SOURCES: RateSources = { lpr: LPR, cards: [DEFAULT_RATE_CARD], programmes: DEFAULT_PROGRAMMES }

const KEY_FIRM: BorrowerProfile = { kind: 'enterprise', size: 'small', grade: 'BBB', affected: true, keyList: { list: 'national', listedOn: d('2020-02-01') }, inclusiveSmallMicro: false }
const PLAIN_FIRM: BorrowerProfile = { ...KEY_FIRM, keyList: null }

const request = (pricingDate: string, borrower: BorrowerProfile, extra: Partial<RateRequest> = {}): RateRequest => ({
  pricingDate: d(pricingDate),
  contractDate: d(pricingDate),
  termMonths: 12,
  product: 'working-capital',
  borrower,
  ...extra,
})

const status = (build: RateBuild): string[] => build.considered.map((c) => `${c.id}@${c.version}:${c.status}`)

interface Row {
  readonly name: string
  readonly given: RateRequest
  readonly sources?: RateSources
  readonly then: { readonly lpr: [number, string]; readonly nominalBp: number; readonly firmCentiBp: number; readonly considered?: readonly string[] }
}

const ROWS: readonly Row[] = [
  {
    name: '2020-02-10, a firm on the key list: 1-year LPR 4.15% (published 2019-11-20) → capped at 3.15% → the firm pays 1.575% after the 50% subsidy, under the 1.6% target',
    given: request('2020-02-10', KEY_FIRM),
    then: {
      lpr: [415, '2019-11-20'],
      nominalBp: 315,
      firmCentiBp: 15_750,
      considered: ['special-relending-cap-2020@1:applied', 'central-subsidy-2020@2:applied'],
    },
  },
  {
    name: '2020-02-19, the day before the February publication: still 4.15% → 3.15%',
    given: request('2020-02-19', KEY_FIRM),
    then: { lpr: [415, '2019-11-20'], nominalBp: 315, firmCentiBp: 15_750 },
  },
  {
    name: '2020-02-20, the publication day prices at 4.05% → 3.05% → 1.525%',
    given: request('2020-02-20', KEY_FIRM),
    then: { lpr: [405, '2020-02-20'], nominalBp: 305, firmCentiBp: 15_250 },
  },
  {
    name: '2020-04-20: 3.85% → 2.85% → 1.425%',
    given: request('2020-04-20', KEY_FIRM),
    then: { lpr: [385, '2020-04-20'], nominalBp: 285, firmCentiBp: 14_250 },
  },
  {
    name: '2020-02-03, under 财金〔2020〕3号: the subsidy is 50% of the re-lending rate (January’s 4.15% − 2.50% = 1.65%), so the firm pays 3.15% − 0.825% = 2.325%',
    given: request('2020-02-03', KEY_FIRM),
    then: { lpr: [415, '2019-11-20'], nominalBp: 315, firmCentiBp: 23_250, considered: ['special-relending-cap-2020@1:applied', 'central-subsidy-2020@1:applied'] },
  },
  {
    name: 'a firm on no list: neither the cap nor the subsidy; the card rate (4.15% + 50 bp + 3 grades × 25 bp)',
    given: request('2020-02-10', PLAIN_FIRM),
    then: { lpr: [415, '2019-11-20'], nominalBp: 540, firmCentiBp: 54_000, considered: ['special-relending-cap-2020@1:not-eligible', 'central-subsidy-2020@2:not-eligible'] },
  },
  {
    name: 'a contract effective in 2019: capped, but the subsidy names contracts from 2020-01-01',
    given: request('2020-02-10', KEY_FIRM, { contractDate: d('2019-12-20') }),
    then: { lpr: [415, '2019-11-20'], nominalBp: 315, firmCentiBp: 31_500, considered: ['special-relending-cap-2020@1:applied', 'central-subsidy-2020@2:not-eligible'] },
  },
  {
    name: 'an inclusive small/micro loan in March 2020 is capped at 1-year LPR + 50 bp (4.55%)',
    given: request('2020-03-02', { ...PLAIN_FIRM, grade: 'B', inclusiveSmallMicro: true }),
    then: { lpr: [405, '2020-02-20'], nominalBp: 455, firmCentiBp: 45_500, considered: ['special-relending-cap-2020@1:not-eligible', 'inclusive-relending-cap-2020@1:applied', 'central-subsidy-2020@2:not-eligible'] },
  },
  {
    name: 'on the key list and inclusive: the lower cap binds first, the inclusive cap then does not bind',
    given: request('2020-03-02', { ...KEY_FIRM, inclusiveSmallMicro: true }),
    then: { lpr: [405, '2020-02-20'], nominalBp: 305, firmCentiBp: 15_250, considered: ['special-relending-cap-2020@1:applied', 'inclusive-relending-cap-2020@1:not-binding', 'central-subsidy-2020@2:applied'] },
  },
  {
    name: 'July 2020: the inclusive cap has ended (2020-06-30)',
    given: request('2020-07-01', { ...PLAIN_FIRM, grade: 'B', inclusiveSmallMicro: true }),
    then: { lpr: [385, '2020-04-20'], nominalBp: 385 + 50 + 125, firmCentiBp: 56_000 },
  },
  {
    name: 'a term over 5 years is priced on the 5-year LPR (4.75% on 2020-03-02), the caps still on the 1-year',
    given: request('2020-03-02', PLAIN_FIRM, { termMonths: 84, product: 'term-loan' }),
    then: { lpr: [475, '2020-02-20'], nominalBp: 475 + 50 + 75 + 60 + 10, firmCentiBp: 67_000 },
  },
]

t.test('Given a quote request, when the rate is built, then each step is the policy’s (POLICY §3)', async (t) => {
  for (const row of ROWS) {
    t.test(row.name, async (t) => {
      const build = buildRate(row.given, row.sources ?? SOURCES)
      t.same([build.lpr.rateBp, build.lpr.publishedOn], row.then.lpr, 'LPR of the tenor and its publication')
      t.equal(build.nominalRateBp, row.then.nominalBp, 'contract rate')
      t.equal(build.firmRateCentiBp, row.then.firmCentiBp, 'firm’s rate while subsidised')
      if (row.then.considered !== undefined) t.same(status(build), row.then.considered, 'programmes considered')
      t.ok(build.firmRateCentiBp >= 0, 'never below zero')
    })
  }
})

t.test('the 2020 target: a key-list firm’s cost is under 1.6% on every pricing day of 2020 from 2020-02-07', async (t) => {
  for (let day = d('2020-02-07'); day <= d('2020-12-31'); day = nextDay(day)) {
    const build = buildRate(request(day, KEY_FIRM), SOURCES)
    if (build.firmRateCentiBp >= 16_000) t.fail(`${day}: ${build.firmRateCentiBp}`)
  }
  t.pass('checked')
})

const LOCAL_TOP_UP: PricingProgramme = {
  kind: 'interest-subsidy',
  id: 'local-subsidy',
  version: 1,
  effectiveFrom: d('2020-02-01'),
  effectiveTo: null,
  title: { zh: '地方财政贴息', en: 'Local fiscal subsidy' },
  source: 'a local finance bureau’s notice (test data)',
  precedence: 40,
  eligible: 'key-list',
  payer: 'local-treasury',
  shareBp: 6_000,
  basis: { kind: 'rate-paid' },
  maxMonths: 12,
  contractsFrom: d('2020-01-01'),
}

const RELIEF_CUT: PricingProgramme = {
  kind: 'rate-cut',
  id: 'relief-cut',
  version: 1,
  effectiveFrom: d('2020-02-01'),
  effectiveTo: null,
  title: { zh: '受困小微企业降息', en: 'Relief rate cut for affected small firms' },
  source: 'bank policy (test data)',
  precedence: 10,
  requiresAffected: true,
  segments: [
    { sizes: ['small', 'micro'], grades: null, cutBp: 30 },
    { sizes: null, grades: ['AAA', 'AA'], cutBp: 10 },
  ],
}

t.test('Given stacked programmes, when priced, then they apply by precedence and a local top-up stops at a zero cost', async (t) => {
  const sources = { ...SOURCES, programmes: [...DEFAULT_PROGRAMMES, LOCAL_TOP_UP, RELIEF_CUT] }
  const build = buildRate(request('2020-02-10', KEY_FIRM), sources)
  t.same(status(build), ['relief-cut@1:applied', 'special-relending-cap-2020@1:applied', 'central-subsidy-2020@2:applied', 'local-subsidy@1:limited'])
  t.same(build.subsidies.map((s) => [s.payer, s.centiBp]), [
    ['central-treasury', 15_750],
    ['local-treasury', 15_750],
  ])
  t.equal(build.firmRateCentiBp, 0, 'the firm’s cost reaches zero, never below')

  const unaffected = buildRate(request('2020-02-10', { ...PLAIN_FIRM, affected: false }), sources)
  t.same(status(unaffected)[0], 'relief-cut@1:not-eligible', 'the cut is for affected firms')
  t.equal(unaffected.nominalRateBp, 540)
  const medium = buildRate(request('2020-02-10', { ...PLAIN_FIRM, size: 'medium', grade: 'AA' }), sources)
  t.equal(medium.nominalRateBp, 415 + 50 + 25 - 10, 'the first matching segment: by grade for a medium firm')
  const person = buildRate(request('2020-02-10', { ...PLAIN_FIRM, kind: 'person', size: null }), sources)
  t.equal(status(person)[0], 'relief-cut@1:not-eligible', 'a natural person has no size: only a segment open to any size takes them')
})

t.test('Given inputs no rule prices, when priced, then a named refusal', async (t) => {
  t.throws(() => buildRate(request('2019-08-19', KEY_FIRM), SOURCES), { name: 'PricingError', code: 'lpr-not-available', field: '/body/pricingDate' }, 'a date before the first LPR')
  t.ok(new PricingError('no-rate-card', 'x') instanceof Error)
  t.throws(() => buildRate(request('2020-02-10', { ...KEY_FIRM, grade: 'Z' }), SOURCES), { code: 'no-card-spread', field: '/body/grade' })
  t.throws(() => buildRate(request('2019-08-19', KEY_FIRM), { ...SOURCES, cards: [] }), { code: 'lpr-not-available' })
  t.throws(() => buildRate(request('2020-02-10', KEY_FIRM), { ...SOURCES, cards: [] }), { code: 'no-rate-card' })
})

t.test('Given a subsidised two-year loan, when its schedule is drawn, then the subsidy covers the first year only, rounded per period', async (t) => {
  const build = buildRate(request('2020-02-10', KEY_FIRM, { termMonths: 24 }), SOURCES)
  const schedule = buildSchedule({ principal: 10_000_000_00n, rateBp: build.nominalRateBp, startDate: d('2020-02-10'), termMonths: 24, method: 'equal-principal' })
  const subsidy = subsidySchedule(schedule, build.subsidies)
  t.ok(subsidy.periods.slice(0, 12).every((amounts) => amounts.length === 1 && amounts[0]!.payer === 'central-treasury'), 'periods 1–12 subsidised')
  t.ok(subsidy.periods.slice(12).every((amounts) => amounts.length === 0), 'periods 13–24 not')
  schedule.periods.slice(0, 12).forEach((p, k) => {
    // Half the interest: the same product at half the rate, each rounded half-up once.
    const half = subsidy.periods[k]![0]!.amount
    t.ok(half * 2n - p.interest <= 1n && p.interest - half * 2n <= 1n, `period ${p.number}: ${half} of ${p.interest}`)
  })
  t.equal(subsidy.borrowerInterest, schedule.totalInterest - subsidy.totals[0]!.amount)
  t.equal(CENTRAL_SUBSIDY_2020_V2.kind === 'interest-subsidy' && CENTRAL_SUBSIDY_2020_V2.maxMonths, 12)
})

t.test('Given an ACT/360 loan at 3.85%, when its annualized rate is stated, then by the IRR method it is about 3.90%', async (t) => {
  // Interest-only for a year: 365 days of interest at a 360-day rate, 3.85% × 365 ÷ 360 = 3.9035%.
  const bullet = annualizedRate(buildSchedule({ principal: 1_000_000_00n, rateBp: 385, startDate: d('2021-01-15'), termMonths: 12, method: 'interest-only' }))
  t.match(bullet, { method: 'IRR', compounding: 'monthly' })
  t.ok(Math.abs(bullet.centiBp - 39_035) <= 20, `${bullet.centiBp / 10_000}%`)
  // Amortizing, the short February weighs on a large balance: a little lower.
  const schedule = buildSchedule({ principal: 1_000_000_00n, rateBp: 385, startDate: d('2021-01-15'), termMonths: 12, method: 'equal-instalments' })
  const rate = annualizedRate(schedule)
  t.ok(rate.centiBp > 38_500 + 300 && rate.centiBp < 39_100, `${rate.centiBp / 10_000}%`)
  const withFees = annualizedRate(schedule, 1_000_000_00n - 1_000_00n)
  const added = withFees.centiBp - rate.centiBp
  t.ok(added > 1_700 && added < 2_000, `a 0.1% up-front fee on an amortizing year adds about 0.18%: ${added / 10_000}%`)
  const zero = annualizedRate(buildSchedule({ principal: 1_200n, rateBp: 0, startDate: d('2021-01-15'), termMonths: 12, method: 'equal-principal' }))
  t.equal(zero.centiBp, 0, 'no interest, no fees: 0%')
})

function nextDay(day: CalendarDate): CalendarDate {
  const next = new Date(`${day}T00:00:00Z`)
  next.setUTCDate(next.getUTCDate() + 1)
  return d(next.toISOString().slice(0, 10))
}
