import { daysBetween, isAfter, type CalendarDate, type Fen } from '@sme/domain'
import { PricingError } from './errors.js'
import { inForce, type DatedRecord } from './programmes.js'

/**
 * Emergency bridge funds (应急转贷资金, 续贷过桥): a local fund lends a firm the money to repay a loan
 * falling due, for the days until the bank's committed renewal pays out, at a daily fee rising with
 * the days (e.g. 0.2‰ a day for up to 5 days, then 0.4‰), and never more than a share of the renewal
 * the bank has committed. Each fund's terms are dated data; the figures differ by locality.
 */
export interface BridgeFund extends DatedRecord {
  readonly kind: 'bridge-fund'
  /**
   * Daily fee by day of use, in parts per million of the amount a day (0.2‰ = 200), the tiers in day
   * order: a tier applies from the day after the previous one's `throughDay` to its own (`null`: on).
   */
  readonly tiers: readonly { readonly throughDay: number | null; readonly dailyPpm: number }[]
  /** The bridge may be at most this share of the committed renewal, basis points (10,000 = all of it). */
  readonly maxShareOfRenewalBp: number
  /** Longest bridge, days; `null` when the fund sets none. */
  readonly maxDays: number | null
}

export interface BridgeRequest {
  /** Amount bridged, fen. */
  readonly amount: Fen
  /** The renewal the bank has committed to, fen: the bridge is capped at a share of it. */
  readonly committedRenewal: Fen
  /** The day the fund pays the maturing loan off (counted) and the day the renewal repays the fund (not counted). */
  readonly from: CalendarDate
  readonly until: CalendarDate
}

/** What a bridge costs, tier by tier. */
export interface BridgeFee {
  readonly fund: { readonly id: string; readonly version: number }
  readonly days: number
  readonly tiers: readonly { readonly days: number; readonly dailyPpm: number; readonly feeFen: Fen }[]
  readonly feeFen: Fen
  /** The most the fund lends against this renewal, fen (rounded down). */
  readonly capFen: Fen
}

/** How a bridge fee is computed, stated with it. */
export const BRIDGE_CONVENTIONS = {
  days: 'A bridge runs from the day the fund pays the maturing loan off (counted) to the day the renewal repays the fund (not counted).',
  tiers: 'Each day is charged at the rate of the tier it falls in (day 1 is the first day); a tier’s fee is amount × daily rate × its days, rounded half-up to the fen once per tier.',
  cap: 'The bridge may be at most the fund’s share of the committed renewal, rounded down to the fen; a larger amount, or more days than the fund allows, is refused.',
} as const

/** The fund in force on `date` with the highest version, or the one named. */
export function bridgeFundOn(funds: readonly BridgeFund[], date: CalendarDate, id?: string): BridgeFund {
  let best: BridgeFund | undefined
  for (const f of funds) if ((id === undefined || f.id === id) && inForce(f, date) && (best === undefined || f.version > best.version)) best = f
  if (best === undefined) throw new PricingError('no-bridge-fund', id === undefined ? `no bridge fund in force on ${date}` : `bridge fund ${id} is not in force on ${date}`, id === undefined ? '/body/from' : '/body/fundId')
  return best
}

/**
 * The fee of a bridge (conventions in {@link BRIDGE_CONVENTIONS}).
 *
 * @throws PricingError `invalid-argument` for a bridge over its cap, of no days or longer than the fund allows.
 */
export function bridgeFee(fund: BridgeFund, request: BridgeRequest): BridgeFee {
  const { amount, committedRenewal, from, until } = request
  if (amount <= 0n) throw new PricingError('invalid-argument', 'the amount bridged must be above zero', '/body/amountFen')
  if (!isAfter(until, from)) throw new PricingError('invalid-argument', 'the bridge must end after it starts', '/body/until')
  const days = daysBetween(from, until)
  if (fund.maxDays !== null && days > fund.maxDays) throw new PricingError('invalid-argument', `fund ${fund.id} bridges at most ${fund.maxDays} days, not ${days}`, '/body/until')
  const capFen = (committedRenewal * BigInt(fund.maxShareOfRenewalBp)) / 10_000n
  if (amount > capFen) throw new PricingError('invalid-argument', `fund ${fund.id} bridges at most ${capFen} fen (${fund.maxShareOfRenewalBp / 100}% of the committed renewal)`, '/body/amountFen')
  const tiers: { days: number; dailyPpm: number; feeFen: Fen }[] = []
  let counted = 0
  for (const tier of fund.tiers) {
    if (counted >= days) break
    const through = tier.throughDay === null ? days : Math.min(days, tier.throughDay)
    const tierDays = through - counted
    if (tierDays <= 0) continue
    // amount × ppm × days ÷ 10^6, half-up: (2n + d) ÷ 2d.
    const exact = amount * BigInt(tier.dailyPpm) * BigInt(tierDays)
    tiers.push({ days: tierDays, dailyPpm: tier.dailyPpm, feeFen: (2n * exact + 1_000_000n) / 2_000_000n })
    counted = through
  }
  if (counted < days) throw new PricingError('invalid-argument', `fund ${fund.id} has no fee for day ${counted + 1}`, '/body/until')
  return { fund: { id: fund.id, version: fund.version }, days, tiers, feeFen: tiers.reduce((a, t) => a + t.feeFen, 0n), capFen }
}
