import { basisYearDays, dateParts, DEFAULT_DAY_COUNT_BASIS, DomainError, isCalendarDate, makeDate, termInMonths, toEpochDay, type CalendarDate, type DayCountBasis, type Fen } from '@sme/domain'

/**
 * How principal is repaid (POLICY §3 quotes): `equal-instalments` 等额本息 (a level payment of
 * principal and interest), `equal-principal` 等额本金 (the same principal each period, interest on the
 * balance), `interest-only` 按期付息、到期还本 (interest each period, principal at maturity).
 */
export const REPAYMENT_METHODS = ['equal-instalments', 'equal-principal', 'interest-only'] as const
export type RepaymentMethod = (typeof REPAYMENT_METHODS)[number]

/** Longest term a schedule is drawn for: 30 years of monthly periods. */
export const MAX_TERM_MONTHS = 360

/** Largest principal a schedule is drawn for, fen (CNY 10 trillion): exact as a double. */
export const MAX_PRINCIPAL_FEN = 10n ** 15n

/** Highest nominal rate a schedule is drawn at, in basis points (100% a year); lawful caps are the quote's. */
export const MAX_SCHEDULE_RATE_BP = 10_000

/** What a schedule is drawn from. */
export interface ScheduleTerms {
  /** Amount lent, fen; > 0. */
  readonly principal: Fen
  /** Nominal annual rate the borrower's contract carries, whole basis points. */
  readonly rateBp: number
  /** Value date: interest runs from this day (counted). */
  readonly startDate: CalendarDate
  /** Periods, 1…360: monthly, the last one short when `maturityDate` says so ({@link periodsUntil}). */
  readonly termMonths: number
  /**
   * The maturity, when it is not a whole number of months after the value date (a deferral, an
   * extension or a renewal ends on a date): the last period ends on it. Absent: the last monthly due date.
   */
  readonly maturityDate?: CalendarDate
  readonly method: RepaymentMethod
  /** A principal grace period: the first `graceMonths` periods pay interest only (0 ≤ grace < term). */
  readonly graceMonths?: number
  /** Day count; default ACT/360 (POLICY §3: 日利率 = 年利率 ÷ 360). */
  readonly basis?: DayCountBasis
}

/** One repayment period: interest accrues from `from` (counted) to `dueDate` (not counted). */
export interface SchedulePeriod {
  readonly number: number
  readonly from: CalendarDate
  readonly dueDate: CalendarDate
  readonly days: number
  readonly openingPrincipal: Fen
  readonly principal: Fen
  readonly interest: Fen
  readonly payment: Fen
  readonly closingPrincipal: Fen
}

export interface Schedule {
  readonly terms: ScheduleTerms
  readonly periods: readonly SchedulePeriod[]
  readonly totalPrincipal: Fen
  readonly totalInterest: Fen
  readonly totalPayment: Fen
  /** The level payment of an equal-instalment schedule after any grace; `null` for the other methods. */
  readonly levelInstalment: Fen | null
  /**
   * Periods of an equal-instalment schedule whose interest was more than the level payment (a 31-day
   * month at a high rate over a long term): they paid their interest in full and no principal.
   */
  readonly interestOnlyPeriods: readonly number[]
}

/**
 * The conventions every schedule follows, stated with it (POLICY §3: a schedule is only checkable
 * against them). Tested in `test/domain/schedule.unit.test.ts`.
 */
export const SCHEDULE_CONVENTIONS = {
  dueDates:
    'Period k falls due k calendar months after the value date, on the same day of the month, or on the last day of a shorter month (a loan of 31 January pays on 29 February 2020, 31 March, 30 April, …); the last due date is the maturity.',
  dayCount: 'Interest accrues on the opening principal for the actual days from the previous due date (counted) to the due date (not counted), over a 360-day year (ACT/360) unless the terms say ACT/365.',
  interestRounding: 'Each period’s interest is rounded half-up (四舍五入) to the fen, once, from the exact product; no daily rounding.',
  principalRemainder:
    'The last period repays whatever principal remains, so principal sums exactly to the amount lent. Equal principal: each period repays ⌊amount ÷ periods⌋ fen, the first (amount mod periods) periods one fen more.',
  levelInstalment:
    'Equal instalments: the level payment is the one that brings the balance to zero after the last period when each period grows it by (1 + rate × its days ÷ 360), rounded half-up to the fen; each period repays the payment less its interest; the last pays the remaining principal and its interest, so it differs from the level payment by the fen roundings only. A period never repays more than the balance: a loan so small that the rounded payment clears it early pays nothing after.',
  interestAboveInstalment:
    'Where a period’s interest would exceed the annuity payment (31-day months at high rates over long terms), the period pays its interest in full and no principal: interest is never added to principal (no compounding); the level payment is then the one that clears the balance under that rule (found by bisection), lower than the annuity.',
  stubPeriod:
    'Where the maturity is not a whole number of months after the value date, the last period is short (末期按实际天数计息): it runs from the last monthly due date before the maturity to the maturity and accrues interest for its actual days; the level payment is found on the actual days of every period, the short one included.',
  grace: 'During a principal grace period each period pays its interest only; the chosen method then amortizes the full principal over the remaining periods.',
} as const

/**
 * The repayment schedule of `terms`, to the fen (conventions in {@link SCHEDULE_CONVENTIONS}).
 *
 * @throws DomainError `invalid-argument` for a principal ≤ 0 or above 10^15 fen, a term outside 1…360, a grace outside
 *   0…term−1, a rate outside 0…10,000 bp or not whole, or an unknown method.
 */
export function buildSchedule(terms: ScheduleTerms): Schedule {
  const { principal, rateBp, startDate, termMonths, method, graceMonths = 0, basis = DEFAULT_DAY_COUNT_BASIS } = terms
  assertTerms(terms)
  const yearDays = basisYearDays(basis)
  const calendar = monthlyCalendar(startDate, termMonths, terms.maturityDate)
  const level = method === 'equal-instalments' ? levelPayment(principal, rateBp, calendar.days.slice(graceMonths), yearDays) : null
  // In doubles while every product stays below 2^51 (exact integers, so exactly the bigint
  // figures), else in bigint; the same rules either way.
  const fast = Number(principal) * rateBp * 31 < FAST_LIMIT && (level === null || Number(level) < FAST_LIMIT)
  const { periods, interestOnlyPeriods, totalInterest } = fast ? periodsInNumbers(terms, calendar, level, yearDays) : periodsInBigints(terms, calendar, level, yearDays)
  return { terms, periods, totalPrincipal: principal, totalInterest, totalPayment: principal + totalInterest, levelInstalment: level, interestOnlyPeriods }
}

interface Calendar {
  readonly dueDates: readonly CalendarDate[]
  readonly days: readonly number[]
}

interface Periods {
  readonly periods: SchedulePeriod[]
  readonly interestOnlyPeriods: number[]
  readonly totalInterest: Fen
}

/** What each period repays (the rules of {@link SCHEDULE_CONVENTIONS}), in bigint. */
function periodsInBigints(terms: ScheduleTerms, calendar: Calendar, level: Fen | null, yearDays: number): Periods {
  const { principal, rateBp, startDate, termMonths, method, graceMonths = 0 } = terms
  const { dueDates, days } = calendar
  const amortizing = BigInt(termMonths - graceMonths)
  const perPeriod = principal / amortizing
  const extraFen = principal % amortizing
  const periods: SchedulePeriod[] = new Array(termMonths)
  const interestOnlyPeriods: number[] = []
  let balance = principal
  let totalInterest = 0n
  for (let k = 0; k < termMonths; k++) {
    const interest = periodInterest(balance, rateBp, days[k]!, yearDays)
    let repaid: Fen
    if (k < graceMonths) repaid = 0n
    else if (k === termMonths - 1) repaid = balance
    else if (method === 'interest-only') repaid = 0n
    else if (method === 'equal-principal') repaid = perPeriod + (BigInt(k - graceMonths) < extraFen ? 1n : 0n)
    else {
      repaid = level! - interest
      if (repaid < 0n) {
        repaid = 0n
        interestOnlyPeriods.push(k + 1)
      }
      if (repaid > balance) repaid = balance
    }
    const closing = balance - repaid
    periods[k] = { number: k + 1, from: k === 0 ? startDate : dueDates[k - 1]!, dueDate: dueDates[k]!, days: days[k]!, openingPrincipal: balance, principal: repaid, interest, payment: repaid + interest, closingPrincipal: closing }
    totalInterest += interest
    balance = closing
  }
  return { periods, interestOnlyPeriods, totalInterest }
}

/**
 * The same in doubles, for amounts whose products stay below 2^51: every value is an exact integer,
 * interest rounded half-up from the exact product as {@link periodInterest} does. A value repeated
 * from period to period (the closing balance that opens the next, the level payment) is one bigint.
 */
function periodsInNumbers(terms: ScheduleTerms, calendar: Calendar, levelFen: Fen | null, yearDays: number): Periods {
  const { principal, rateBp, startDate, termMonths, method, graceMonths = 0 } = terms
  const { dueDates, days } = calendar
  const level = levelFen === null ? 0 : Number(levelFen)
  const amortizing = termMonths - graceMonths
  const perPeriod = Math.floor(Number(principal) / amortizing)
  const extraFen = Number(principal) - perPeriod * amortizing
  const twiceDenominator = 2 * 10_000 * yearDays
  const periods: SchedulePeriod[] = new Array(termMonths)
  const interestOnlyPeriods: number[] = []
  let balance = Number(principal)
  let balanceFen = principal
  let totalInterest = 0
  for (let k = 0; k < termMonths; k++) {
    const twice = 2 * balance * rateBp * days[k]! + twiceDenominator / 2
    let interest = Math.floor(twice / twiceDenominator)
    const r = twice - interest * twiceDenominator
    if (r < 0) interest -= 1
    else if (r >= twiceDenominator) interest += 1
    let repaid: number
    if (k < graceMonths) repaid = 0
    else if (k === termMonths - 1) repaid = balance
    else if (method === 'interest-only') repaid = 0
    else if (method === 'equal-principal') repaid = perPeriod + (k - graceMonths < extraFen ? 1 : 0)
    else {
      repaid = level - interest
      if (repaid < 0) {
        repaid = 0
        interestOnlyPeriods.push(k + 1)
      }
      if (repaid > balance) repaid = balance
    }
    const closing = balance - repaid
    const payment = repaid + interest
    const closingFen = closing === balance ? balanceFen : BigInt(closing)
    periods[k] = {
      number: k + 1,
      from: k === 0 ? startDate : dueDates[k - 1]!,
      dueDate: dueDates[k]!,
      days: days[k]!,
      openingPrincipal: balanceFen,
      principal: repaid === 0 ? 0n : BigInt(repaid),
      interest: BigInt(interest),
      payment: payment === level && levelFen !== null ? levelFen : BigInt(payment),
      closingPrincipal: closingFen,
    }
    totalInterest += interest
    balance = closing
    balanceFen = closingFen
  }
  return { periods, interestOnlyPeriods, totalInterest: BigInt(totalInterest) }
}

function assertTerms(terms: ScheduleTerms): void {
  const { principal, rateBp, termMonths, method, graceMonths = 0 } = terms
  const fail = (message: string): never => {
    throw new DomainError('invalid-argument', message)
  }
  if (typeof principal !== 'bigint' || principal <= 0n || principal > MAX_PRINCIPAL_FEN) fail(`principal must be a positive number of fen up to ${MAX_PRINCIPAL_FEN}`)
  if (!Number.isSafeInteger(rateBp) || rateBp < 0 || rateBp > MAX_SCHEDULE_RATE_BP) fail(`rateBp must be a whole number of basis points in 0…${MAX_SCHEDULE_RATE_BP}`)
  if (!Number.isSafeInteger(termMonths) || termMonths < 1 || termMonths > MAX_TERM_MONTHS) fail(`termMonths must be a whole number in 1…${MAX_TERM_MONTHS}`)
  if (!Number.isSafeInteger(graceMonths) || graceMonths < 0 || graceMonths >= termMonths) fail('graceMonths must be a whole number below termMonths')
  if (!(REPAYMENT_METHODS as readonly string[]).includes(method)) fail(`method must be one of ${REPAYMENT_METHODS.join(', ')}`)
  const { maturityDate } = terms
  if (maturityDate !== undefined) {
    if (!isCalendarDate(maturityDate) || maturityDate <= terms.startDate) fail('maturityDate must be a date after the value date')
    if (periodsUntil(terms.startDate, maturityDate) !== termMonths) fail(`termMonths must be ${periodsUntil(terms.startDate, maturityDate)}: the periods from the value date to maturityDate`)
  }
}

/**
 * The periods of a schedule from `startDate` to `maturity`: its whole months, and one short period
 * more when days remain (2020-01-15 → 2020-03-20: 15 Feb, 15 Mar, 20 Mar, three periods).
 */
export function periodsUntil(startDate: CalendarDate, maturity: CalendarDate): number {
  const { months, days } = termInMonths(startDate, maturity)
  return months + (days > 0 ? 1 : 0)
}

/**
 * The due dates (on the value date's day of month, clamped to shorter months, never drifting) and
 * the actual days of each period, by integer calendar arithmetic (the same as
 * `addMonths` and `daysBetween` of `@sme/domain`, which the tests compare it with), the dates'
 * texts shared through a small cache: a schedule of 360 periods builds no date twice.
 */
function monthlyCalendar(startDate: CalendarDate, termMonths: number, maturity?: CalendarDate): { dueDates: CalendarDate[]; days: number[] } {
  const { year, month, day } = dateParts(startDate)
  const dueDates: CalendarDate[] = new Array(termMonths)
  const days: number[] = new Array(termMonths)
  let previous = toEpochDay(startDate)
  // The first day of each month in turn, stepped by the month's length: no division per period.
  let y = year
  let m = month
  let firstOfMonth = previous - day + 1
  for (let k = 0; k < termMonths; k++) {
    firstOfMonth += monthLength(y, m)
    if (m === 12) {
      y += 1
      m = 1
    } else m += 1
    const length = monthLength(y, m)
    const d = day < length ? day : length
    const epochDay = firstOfMonth + d - 1
    dueDates[k] = dateText(epochDay, y, m, d)
    days[k] = epochDay - previous
    previous = epochDay
  }
  if (maturity !== undefined && maturity !== dueDates[termMonths - 1]) {
    // The short last period: from the previous due date to the maturity (checked to lie within the month).
    const last = termMonths - 1
    days[last] = toEpochDay(maturity) - (last === 0 ? toEpochDay(startDate) : toEpochDay(dueDates[last - 1]!))
    dueDates[last] = maturity
  }
  if (dueDates[termMonths - 1]! > MAX_DUE_DATE) throw new DomainError('invalid-date', `the schedule runs past ${MAX_DUE_DATE}`)
  return { dueDates, days }
}

const MAX_DUE_DATE = '9999-12-31'

function monthLength(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

const DATE_TEXTS = new Map<number, CalendarDate>()

function dateText(epochDay: number, year: number, month: number, day: number): CalendarDate {
  let text = DATE_TEXTS.get(epochDay)
  if (text === undefined) {
    // Bounded: a cache, not a store (some 270 years of days).
    if (DATE_TEXTS.size >= 100_000) DATE_TEXTS.clear()
    text = makeDate(year, month, day)
    DATE_TEXTS.set(epochDay, text)
  }
  return text
}

/**
 * Interest on `balance` for `days`, half-up to the fen, exactly: `balance × rateBp × days ÷
 * (10,000 × yearDays)`. In doubles while the product is below 2^53 (an exact integer, divided with
 * the remainder checked), in bigint above.
 */
export function periodInterest(balance: Fen, rateBp: number, days: number, yearDays: number): Fen {
  const denominator = 10_000 * yearDays
  // ⌊(2n + d) ÷ 2d⌋ is n ÷ d rounded half-up. Below 2^51 every term and q × 2d are exact doubles,
  // and the remainder check corrects a quotient the division rounded across an integer.
  const numerator = Number(balance) * rateBp * days
  if (balance < FAST_LIMIT_FEN && numerator < FAST_LIMIT) {
    const twice = 2 * numerator + denominator
    const twiceDenominator = 2 * denominator
    let q = Math.floor(twice / twiceDenominator)
    const r = twice - q * twiceDenominator
    if (r < 0) q -= 1
    else if (r >= twiceDenominator) q += 1
    return BigInt(q)
  }
  const exact = balance * BigInt(rateBp) * BigInt(days)
  const d = BigInt(denominator)
  return (2n * exact + d) / (2n * d)
}

const FAST_LIMIT = 2 ** 51
const FAST_LIMIT_FEN = BigInt(FAST_LIMIT)

/**
 * The level payment that amortizes `principal` over periods of `days`: with growth factors
 * gₖ = 1 + r·dₖ/Y, A = P·∏gₖ ÷ Σₖ ∏_{j>k}gⱼ, rounded half-up to the fen. Where a period's interest
 * would exceed that A (31-day months at high rates over long terms), the period pays interest only
 * instead of adding the shortfall to principal, and A is instead the payment that brings the balance
 * to zero under that rule, found by bisection. In doubles: the per-period amounts are then exact
 * integers, and the last period absorbs any fen the double missed.
 */
export function levelPayment(principal: Fen, rateBp: number, days: readonly number[], yearDays: number): Fen {
  const r = rateBp / 10_000 / yearDays
  let product = 1
  let sum = 0
  for (let k = days.length - 1; k >= 0; k--) {
    sum += product
    product *= 1 + r * days[k]!
  }
  // P ≤ 10^15 fen is exact as a double.
  const p = Number(principal)
  const closedForm = p * (product / sum)
  if (!interestExceeds(p, closedForm, r, days)) return BigInt(Math.floor(closedForm + 0.5))
  // The residual falls as the payment rises: zero principal repaid leaves all of it (> 0), the
  // closed form repays more than enough (< 0) since no period now adds to the balance. Regula falsi
  // with the Illinois step: the residual is piecewise linear in the payment, so a few steps do.
  let low = 0
  let high = closedForm
  let fLow = residual(p, low, r, days)
  let fHigh = residual(p, high, r, days)
  let side = 0
  for (let i = 0; i < 100 && high - low > 1e-4; i++) {
    const next = high - (fHigh * (high - low)) / (fHigh - fLow)
    const f = residual(p, next, r, days)
    if (f === 0) return BigInt(Math.floor(next + 0.5))
    if (f > 0) {
      low = next
      fLow = f
      if (side === -1) fHigh /= 2
      side = -1
    } else {
      high = next
      fHigh = f
      if (side === 1) fLow /= 2
      side = 1
    }
  }
  return BigInt(Math.floor((fLow * high - fHigh * low) / (fLow - fHigh) + 0.5))
}

/** Does any period but the last owe more interest than `payment`, paying it with the balance it leaves? */
function interestExceeds(p: number, payment: number, r: number, days: readonly number[]): boolean {
  let balance = p
  for (let k = 0; k < days.length - 1; k++) {
    const interest = balance * r * days[k]!
    if (interest > payment) return true
    balance -= payment - interest
  }
  return false
}

/** What the last payment would owe beyond `payment` when interest-heavy periods pay interest only. */
function residual(p: number, payment: number, r: number, days: readonly number[]): number {
  let balance = p
  const last = days.length - 1
  for (let k = 0; k < last; k++) balance -= Math.max(0, payment - balance * r * days[k]!)
  return balance * (1 + r * days[last]!) - payment
}
