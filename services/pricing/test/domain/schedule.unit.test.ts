// Repayment schedules (POLICY §3: ACT/360 daily interest in fen, the rounding rule stated and tested)
// as Given/When/Then rows, then properties over random amounts, rates, terms and methods checked
// against an independent decimal computation: principal sums exactly, each period's interest is the
// exact figure rounded half-up, the level payment is the exact annuity of the actual-day factors,
// no period is negative or empty; 360-month loans at the highest lawful rates included.
import { fileURLToPath } from 'node:url'
import { Decimal } from 'decimal.js'
import fc from 'fast-check'
import t, { type Test } from 'tap'
import { addDays, parseDate, toEpochDay, type CalendarDate } from '@sme/domain'
import { purityFindings } from '@sme/testing'
import { buildSchedule, MAX_PRINCIPAL_FEN, REPAYMENT_METHODS, SCHEDULE_CONVENTIONS, type Schedule, type ScheduleTerms } from '../../src/domain/schedule.js'

const D = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_UP })
const d = parseDate

/** Interest exactly, in decimal: balance × rate × days ÷ (10,000 × 360), unrounded. */
const exactInterest = (balance: bigint, rateBp: number, days: number, yearDays = 360): Decimal =>
  new D(balance.toString()).mul(rateBp).mul(days).div(new D(10_000).mul(yearDays))

/** The level payment from the schedule's own day counts, in decimal: P·∏g ÷ Σₖ∏_{j>k}g. */
function exactLevel(schedule: Schedule): Decimal {
  const { principal, rateBp, graceMonths = 0, basis = 'ACT/360' } = schedule.terms
  const yearDays = basis === 'ACT/360' ? 360 : 365
  let product = new D(1)
  let sum = new D(0)
  for (const period of [...schedule.periods].slice(graceMonths).reverse()) {
    sum = sum.add(product)
    product = product.mul(new D(1).add(new D(rateBp).mul(period.days).div(10_000 * yearDays)))
  }
  return new D(principal.toString()).mul(product).div(sum)
}

interface Row {
  readonly name: string
  readonly given: ScheduleTerms
  readonly then: (schedule: Schedule, t: Test) => void
}

const ROWS: readonly Row[] = [
  {
    name: 'a loan of 31 January pays on the last day of shorter months, never drifting (29 Feb, 31 Mar, 30 Apr)',
    given: { principal: 300_000n, rateBp: 435, startDate: d('2020-01-31'), termMonths: 4, method: 'equal-principal' },
    then: (s, t) => {
      t.same(s.periods.map((p) => p.dueDate), ['2020-02-29', '2020-03-31', '2020-04-30', '2020-05-31'])
      t.same(s.periods.map((p) => p.days), [29, 31, 30, 31], 'actual days, first day counted, due day not')
    },
  },
  {
    name: '¥10,000 at 4.35% for 31 days: 10,000 × 4.35% × 31 ÷ 360 = ¥37.458333… → 3,746 fen (half-up, once)',
    given: { principal: 1_000_000n, rateBp: 435, startDate: d('2020-01-01'), termMonths: 1, method: 'interest-only' },
    then: (s, t) => {
      t.equal(s.periods[0]!.interest, 3_746n)
      t.equal(s.periods[0]!.payment, 1_003_746n, 'principal and interest at maturity')
    },
  },
  {
    name: 'equal principal: ¥100.00 over 3 periods repays 33.34, 33.33, 33.33 (the first periods take the odd fen)',
    given: { principal: 10_000n, rateBp: 0, startDate: d('2021-03-15'), termMonths: 3, method: 'equal-principal' },
    then: (s, t) => t.same(s.periods.map((p) => p.principal), [3_334n, 3_333n, 3_333n]),
  },
  {
    name: 'equal instalments at 0%: the level payment is the amount ÷ periods; the last repays what remains',
    given: { principal: 100_000n, rateBp: 0, startDate: d('2021-03-15'), termMonths: 3, method: 'equal-instalments' },
    then: (s, t) => {
      t.equal(s.levelInstalment, 33_333n)
      t.same(s.periods.map((p) => p.payment), [33_333n, 33_333n, 33_334n])
    },
  },
  {
    name: 'interest-only: interest each period, the principal with the last',
    given: { principal: 5_000_000n, rateBp: 385, startDate: d('2021-01-10'), termMonths: 12, method: 'interest-only' },
    then: (s, t) => {
      t.ok(s.periods.slice(0, -1).every((p) => p.principal === 0n))
      t.equal(s.periods.at(-1)!.principal, 5_000_000n)
    },
  },
  {
    name: 'six months’ principal grace, then equal principal over the remaining six',
    given: { principal: 600_000n, rateBp: 385, startDate: d('2021-01-10'), termMonths: 12, method: 'equal-principal', graceMonths: 6 },
    then: (s, t) => {
      t.same(s.periods.map((p) => p.principal), [0n, 0n, 0n, 0n, 0n, 0n, 100_000n, 100_000n, 100_000n, 100_000n, 100_000n, 100_000n])
      t.ok(s.periods.slice(0, 6).every((p) => p.interest > 0n), 'interest is paid during the grace')
    },
  },
  {
    name: 'equal instalments with grace: the level payment amortizes the full principal over the periods after it',
    given: { principal: 1_200_000n, rateBp: 435, startDate: d('2021-01-10'), termMonths: 12, method: 'equal-instalments', graceMonths: 3 },
    then: (s, t) => {
      t.ok(s.periods.slice(0, 3).every((p) => p.principal === 0n))
      t.ok(s.periods.slice(3, -1).every((p) => p.payment === s.levelInstalment))
    },
  },
  {
    name: '¥1,000,000 over 360 months at 36%: long months cost more than the level payment, so they pay interest only and principal is never capitalised',
    given: { principal: 100_000_000n, rateBp: 3_600, startDate: d('2020-01-31'), termMonths: 360, method: 'equal-instalments' },
    then: (s, t) => {
      t.ok(s.interestOnlyPeriods.length > 0, `${s.interestOnlyPeriods.length} interest-only periods`)
      t.ok(s.interestOnlyPeriods.every((n) => s.periods[n - 1]!.days >= 30), 'all of them 30- or 31-day months')
      t.equal(s.levelInstalment, 2_955_249n, 'found by bisection: below the closed form, since no month adds to the balance')
      t.ok(s.periods.at(-1)!.payment - s.levelInstalment! < 5_000n, `the last payment ${s.periods.at(-1)!.payment} is within ¥50 of the level one`)
      t.ok(s.periods.every((p) => p.closingPrincipal <= p.openingPrincipal), 'the balance never grows')
    },
  },
  {
    name: 'a maturity between monthly dates ends the schedule with a short period on it: 15 Jan → 20 Mar pays 15 Feb, 15 Mar and 20 Mar (5 days)',
    given: { principal: 3_000_000n, rateBp: 385, startDate: d('2020-01-15'), termMonths: 3, maturityDate: d('2020-03-20'), method: 'equal-instalments' },
    then: (s, t) => {
      t.same(s.periods.map((p) => p.dueDate), ['2020-02-15', '2020-03-15', '2020-03-20'])
      t.same(s.periods.map((p) => p.days), [31, 29, 5])
      t.equal(s.levelInstalment, 1_005_567n, 'the annuity of the actual days 31, 29 and 5')
      t.equal(s.periods[2]!.interest, 537n, 'the short period accrues its own 5 days: ¥10,050.28 × 3.85% × 5 ÷ 360 = ¥5.374… → 537 fen')
    },
  },
  {
    name: 'a maturity on a monthly date has no short period (31 Jan → 30 Apr: three whole months, month ends clamped)',
    given: { principal: 300_000n, rateBp: 435, startDate: d('2020-01-31'), termMonths: 3, maturityDate: d('2020-04-30'), method: 'interest-only' },
    then: (s, t) => t.same(s.periods.map((p) => p.days), [29, 31, 30]),
  },
  {
    name: 'a maturity within the first month: one short period',
    given: { principal: 1_000_000n, rateBp: 360, startDate: d('2022-12-10'), termMonths: 1, maturityDate: d('2022-12-31'), method: 'interest-only' },
    then: (s, t) => {
      t.same(s.periods.map((p) => [p.dueDate, p.days]), [['2022-12-31', 21]])
      t.equal(s.periods[0]!.interest, 2_100n, '¥10,000 × 3.6% × 21 ÷ 360 = ¥21.00')
    },
  },
  {
    name: 'ACT/365 where the terms say so: ¥10,000 at 3.65% for 31 days is ¥31.00',
    given: { principal: 1_000_000n, rateBp: 365, startDate: d('2021-01-01'), termMonths: 1, method: 'interest-only', basis: 'ACT/365' },
    then: (s, t) => t.equal(s.periods[0]!.interest, 3_100n),
  },
]

t.test('Given loan terms, when the schedule is drawn, then it follows the stated conventions (POLICY §3)', async (t) => {
  for (const row of ROWS) {
    t.test(row.name, async (t) => {
      const schedule = buildSchedule(row.given)
      row.then(schedule, t)
      checkInvariants(t, schedule)
    })
  }
})

t.test('Given terms outside the engine’s domain, when drawn, then it refuses them by name', async (t) => {
  const base: ScheduleTerms = { principal: 100_000n, rateBp: 435, startDate: d('2021-01-10'), termMonths: 12, method: 'equal-instalments' }
  const rows: [string, Partial<ScheduleTerms>, RegExp][] = [
    ['no principal', { principal: 0n }, /principal/],
    ['negative principal', { principal: -1n }, /principal/],
    ['above 10^15 fen', { principal: MAX_PRINCIPAL_FEN + 1n }, /principal/],
    ['term 0', { termMonths: 0 }, /termMonths/],
    ['term 361', { termMonths: 361 }, /termMonths/],
    ['a fractional rate', { rateBp: 43.5 }, /rateBp/],
    ['a negative rate', { rateBp: -1 }, /rateBp/],
    ['grace as long as the term', { graceMonths: 12 }, /graceMonths/],
    ['an unknown method', { method: 'balloon' as never }, /method/],
    ['a maturity on the value date', { maturityDate: d('2021-01-10') }, /maturityDate/],
    ['a maturity the term does not reach', { maturityDate: d('2022-01-11') }, /termMonths must be 13/],
    ['a maturity a whole month short of the term', { maturityDate: d('2021-12-10') }, /termMonths must be 11/],
  ]
  for (const [name, change, message] of rows) t.throws(() => buildSchedule({ ...base, ...change }), { code: 'invalid-argument', message }, name)
})

/** What every schedule must hold, checked against decimal figures computed apart from the engine. */
function checkInvariants(t: Test, s: Schedule): void {
  const failures = invariantFailures(s)
  t.same(failures, [], 'invariants')
}

function invariantFailures(s: Schedule): string[] {
  const failures: string[] = []
  const { principal, rateBp, termMonths, startDate, basis = 'ACT/360', method, graceMonths = 0 } = s.terms
  const yearDays = basis === 'ACT/360' ? 360 : 365
  if (s.periods.length !== termMonths) failures.push(`${s.periods.length} periods for ${termMonths} months`)
  const sum = s.periods.reduce((n, p) => n + p.principal, 0n)
  if (sum !== principal) failures.push(`principal sums to ${sum}, not ${principal}`)
  if (s.periods.at(-1)!.closingPrincipal !== 0n) failures.push('a balance remains')
  let from: CalendarDate = startDate
  let balance = principal
  for (const p of s.periods) {
    if (p.from !== from) failures.push(`period ${p.number} starts ${p.from}, not ${from}`)
    const shortest = p.number === termMonths && s.terms.maturityDate !== undefined ? 1 : 28
    if (p.days !== toEpochDay(p.dueDate) - toEpochDay(p.from) || p.days < shortest || p.days > 31) failures.push(`period ${p.number}: ${p.days} days`)
    if (p.openingPrincipal !== balance) failures.push(`period ${p.number} opens at ${p.openingPrincipal}, not ${balance}`)
    if (p.principal < 0n || p.interest < 0n) failures.push(`period ${p.number} is negative`)
    if (p.payment !== p.principal + p.interest || p.closingPrincipal !== p.openingPrincipal - p.principal) failures.push(`period ${p.number} does not add up`)
    const exact = exactInterest(p.openingPrincipal, rateBp, p.days, yearDays)
    if (exact.sub(p.interest.toString()).abs().gt(0.5) || !exact.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).eq(p.interest.toString())) {
      failures.push(`period ${p.number}: interest ${p.interest}, exactly ${exact.toFixed(6)}`)
    }
    if (p.number <= graceMonths && p.principal !== 0n) failures.push(`period ${p.number} repays principal in the grace`)
    from = p.dueDate
    balance = p.closingPrincipal
  }
  const maturity = s.terms.maturityDate ?? addMonthsOracle(startDate, termMonths)
  if (s.periods.at(-1)!.dueDate !== maturity) failures.push(`the last due date is ${s.periods.at(-1)!.dueDate}, not the maturity ${maturity}`)
  if (termMonths > 1 && s.periods.at(-2)!.dueDate !== addMonthsOracle(startDate, termMonths - 1)) failures.push('the due date before the last is not a monthly one')
  if (method === 'equal-instalments') {
    // Without interest-only periods the level payment is the exact annuity of the actual-day
    // factors; with them it is whatever makes the last payment level too, checked below.
    const level = exactLevel(s)
    if (s.interestOnlyPeriods.length === 0 && level.sub(s.levelInstalment!.toString()).abs().gt(1)) failures.push(`level payment ${s.levelInstalment}, exactly ${level.toFixed(4)}`)
    for (const p of s.periods.slice(graceMonths, -1)) {
      const interestOnly = s.interestOnlyPeriods.includes(p.number)
      // (A loan so small that the rounded level payment clears it early pays nothing after.)
      const clearedEarly = p.closingPrincipal === 0n && p.principal < s.levelInstalment! - p.interest
      if (!interestOnly && !clearedEarly && p.openingPrincipal > 0n && p.payment !== s.levelInstalment) failures.push(`period ${p.number} pays ${p.payment}, not the level ${s.levelInstalment}`)
      if (interestOnly && (p.principal !== 0n || p.interest < s.levelInstalment!)) failures.push(`period ${p.number} is marked interest-only wrongly`)
    }
    // The last payment differs from the level one by the fen roundings, each at most one fen grown by
    // the later periods' factors: Σₖ∏_{j>k}gⱼ fen.
    let grown = new D(0)
    let product = new D(1)
    for (const p of [...s.periods].slice(graceMonths).reverse()) {
      grown = grown.add(product)
      product = product.mul(new D(1).add(new D(rateBp).mul(p.days).div(10_000 * yearDays)))
    }
    const last = s.periods.at(-1)!.payment
    const gap = new D(last.toString()).sub(s.levelInstalment!.toString())
    if (gap.abs().gt(grown.add(1))) failures.push(`last payment ${last} is ${gap.toFixed(0)} from the level ${s.levelInstalment} (bound ${grown.toFixed(0)})`)
  }
  return failures
}

/** Month arithmetic written apart from the engine: same day, or the month's last day. */
function addMonthsOracle(date: CalendarDate, months: number): string {
  const [y, m, day] = date.split('-').map(Number) as [number, number, number]
  const index = y * 12 + (m - 1) + months
  const year = Math.floor(index / 12)
  const month = (index % 12) + 1
  const last = new globalThis.Date(Date.UTC(year, month, 0)).getUTCDate()
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(day, last)).padStart(2, '0')}`
}

const terms: fc.Arbitrary<ScheduleTerms> = fc
  .record({
    principal: fc.oneof(fc.bigInt({ min: 1n, max: 100_000_000n }), fc.bigInt({ min: 1n, max: 1_000_000_000_000n })),
    rateBp: fc.oneof(fc.integer({ min: 0, max: 3_600 }), fc.constantFrom(0, 385, 435, 1_500, 2_400, 3_600)),
    start: fc.integer({ min: 0, max: 365 * 40 }),
    termMonths: fc.oneof(fc.integer({ min: 1, max: 360 }), fc.constantFrom(1, 12, 36, 60, 120, 360)),
    method: fc.constantFrom(...REPAYMENT_METHODS),
    grace: fc.nat({ max: 24 }),
    basis: fc.constantFrom('ACT/360' as const, 'ACT/360' as const, 'ACT/365' as const),
    // Days short of the last monthly date: a maturity between monthly dates ends on a short period.
    shortBy: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 30 })),
  })
  .map(({ principal, rateBp, start, termMonths, method, grace, basis, shortBy }) => {
    const startDate = addDays(d('2000-01-01'), start)
    const previous = termMonths === 1 ? startDate : addMonthsOracle(startDate, termMonths - 1)
    const regular = addMonthsOracle(startDate, termMonths)
    const maturity = addDays(regular as CalendarDate, -shortBy)
    return {
      principal,
      rateBp,
      startDate,
      termMonths,
      ...(shortBy > 0 && maturity > previous ? { maturityDate: maturity } : {}),
      method,
      graceMonths: Math.min(grace % 4 === 0 ? grace : 0, termMonths - 1),
      basis,
    }
  })

t.test('for random amounts, rates, terms and methods the schedule holds every invariant against decimal figures', async (t) => {
  fc.assert(
    fc.property(terms, (given) => {
      const failures = invariantFailures(buildSchedule(given))
      if (failures.length > 0) throw new Error(failures.slice(0, 3).join('; '))
    }),
    { numRuns: 400, seed: 20261207 },
  )
  t.pass('400 schedules')
})

t.test('360-month loans at the highest lawful rate hold the invariants in every month-end alignment', async (t) => {
  for (let day = 1; day <= 31; day += 3) {
    for (const method of REPAYMENT_METHODS) {
      const s = buildSchedule({ principal: 987_654_321n, rateBp: 3_600, startDate: d(`2021-01-${String(day).padStart(2, '0')}`), termMonths: 360, method })
      t.same(invariantFailures(s), [], `${method} from 2021-01-${day}`)
    }
  }
})

t.test('the conventions are stated with the engine, and the domain is pure', async (t) => {
  t.same(Object.keys(SCHEDULE_CONVENTIONS).sort(), ['dayCount', 'dueDates', 'grace', 'interestAboveInstalment', 'interestRounding', 'levelInstalment', 'principalRemainder', 'stubPeriod'])
  const { files, findings } = purityFindings(fileURLToPath(new URL('../../src/domain/', import.meta.url)), { allowImports: ['@sme/domain', '@sme/contracts'] })
  t.ok(files >= 1)
  t.same(findings, [])
})
