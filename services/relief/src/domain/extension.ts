import { addDays, addTermFraction, addYears, daysBetween, termClass, termInMonths, type CalendarDate, type ExtensionLimit, type MonthTerm, type TermClass } from '@sme/domain'
import type { ExtensionCap } from './policy.js'

/** How the cap of a loan was counted, with the original term as the count saw it. */
export interface ReliefExtensionLimit extends ExtensionLimit {
  /** `actual-days` (the first reading, kept for replays), `calendar-months` or `calendar-years`. */
  readonly counting: 'actual-days' | 'calendar-months' | 'calendar-years'
  /** The original term in calendar months and residual days (`{ months: 6, days: 5 }`). */
  readonly originalTerm: MonthTerm
}

function countingOf(cap: ExtensionCap): ReliefExtensionLimit['counting'] {
  switch (cap.kind) {
    case 'term-fraction':
      return 'actual-days'
    case 'term-months':
      return 'calendar-months'
    case 'calendar-years':
      return 'calendar-years'
  }
}

/**
 * How far all extensions (展期) together may push a loan's maturity under `caps` (POLICY §2, General
 * Rules on Loans art. 12), computed from the caps of the policy version rather than constants, so a
 * new version can change them:
 *
 * - the term class is that of the **original** term (`termClass(start, originalMaturity)`);
 * - `term-months`: the fraction of the original term counted in calendar months from the original
 *   maturity, corresponding day or the month's last day (a 6-month loan maturing 2020-08-31 may run
 *   to 2021-02-28); half of an odd number of months adds half the next month's days, rounded down;
 *   residual days of a term that is not whole months count as days (`addTermFraction`);
 * - `term-fraction` (the first reading, kept so its decisions replay): ⌊original term in actual
 *   days × numerator / denominator⌋, rounding down (half of a 547-day term is 273 days);
 * - `calendar-years`: that many calendar years from the original maturity, month-end clamped
 *   (2028-02-29 + 3 years = 2031-02-28).
 *
 * The limit is also given in days from the original maturity, which the decision records.
 *
 * @throws DomainError `invalid-argument` unless `originalMaturity` is after `start`.
 */
export function extensionLimit(start: CalendarDate, originalMaturity: CalendarDate, caps: Readonly<Record<TermClass, ExtensionCap>>): ReliefExtensionLimit {
  const cls = termClass(start, originalMaturity)
  const originalTermDays = daysBetween(start, originalMaturity)
  const originalTerm = termInMonths(start, originalMaturity)
  const cap = caps[cls]
  let latestMaturity: CalendarDate
  switch (cap.kind) {
    case 'term-fraction':
      latestMaturity = addDays(originalMaturity, Math.floor((originalTermDays * cap.numerator) / cap.denominator))
      break
    case 'term-months':
      latestMaturity = addTermFraction(originalMaturity, originalTerm, cap.numerator, cap.denominator)
      break
    case 'calendar-years':
      latestMaturity = addYears(originalMaturity, cap.years)
      break
  }
  return {
    termClass: cls,
    originalTermDays,
    maxExtensionDays: daysBetween(originalMaturity, latestMaturity),
    latestMaturity,
    counting: countingOf(cap),
    originalTerm,
  }
}
