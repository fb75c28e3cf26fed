import { addDays, addYears, daysBetween, termClass, type CalendarDate, type ExtensionLimit, type TermClass } from '@sme/domain'
import type { ExtensionCap } from './policy.js'

/**
 * How far all extensions (展期) together may push a loan's maturity under `caps` (POLICY §2, General
 * Rules on Loans art. 12), computed from the caps of the policy version rather than constants, so a
 * new version can change them. With the art. 12 caps (short 1/1 of the term, medium 1/2, long
 * 3 calendar years) it agrees with `maxCumulativeExtension` of `@sme/domain` on every loan (a
 * property test checks it):
 *
 * - the term class is that of the **original** term (`termClass(start, originalMaturity)`);
 * - `term-fraction`: ⌊original term in actual days × numerator / denominator⌋, rounding down so the
 *   cap is never exceeded (half of a 547-day term is 273 days);
 * - `calendar-years`: that many calendar years from the original maturity, month-end clamped
 *   (2028-02-29 + 3 years = 2031-02-28), in days as well.
 *
 * @throws DomainError `invalid-argument` unless `originalMaturity` is after `start`.
 */
export function extensionLimit(start: CalendarDate, originalMaturity: CalendarDate, caps: Readonly<Record<TermClass, ExtensionCap>>): ExtensionLimit {
  const cls = termClass(start, originalMaturity)
  const originalTermDays = daysBetween(start, originalMaturity)
  const cap = caps[cls]
  const maxExtensionDays =
    cap.kind === 'term-fraction'
      ? Math.floor((originalTermDays * cap.numerator) / cap.denominator)
      : daysBetween(originalMaturity, addYears(originalMaturity, cap.years))
  return { termClass: cls, originalTermDays, maxExtensionDays, latestMaturity: addDays(originalMaturity, maxExtensionDays) }
}
