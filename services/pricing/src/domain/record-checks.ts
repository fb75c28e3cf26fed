import type { BridgeFund } from './bridge.js'
import type { PricingProgramme, RateCard } from './programmes.js'

/** A dated pricing record an admin maintains: the rate card, a programme, an emergency bridge fund. */
export type PricingRecord = RateCard | PricingProgramme | BridgeFund

/** What is wrong with a record, the field named as a JSON pointer into it. */
export interface RecordIssue {
  readonly field: string
  readonly message: string
}

/**
 * What the shape alone cannot say about a record (the API's schema checks types and ranges): its
 * days in order, one spread per product, band and grade, bridge tiers that cover every day the fund
 * allows. Empty when the record can be priced with.
 */
export function recordIssues(record: PricingRecord): RecordIssue[] {
  const issues: RecordIssue[] = []
  if (record.effectiveTo !== null && record.effectiveTo < record.effectiveFrom) issues.push({ field: '/effectiveTo', message: 'must be on or after effectiveFrom' })
  switch (record.kind) {
    case 'rate-card': {
      const seen = new Map<string, number>()
      record.spreads.forEach((s, i) => {
        const key = `${s.product}|${s.band}|${s.grade}`
        const first = seen.get(key)
        if (first === undefined) seen.set(key, i)
        else issues.push({ field: `/spreads/${i}`, message: `repeats spread ${first} (${s.product}, ${s.band}, grade ${s.grade})` })
      })
      break
    }
    case 'rate-cut':
      record.segments.forEach((s, i) => {
        if (s.sizes !== null && s.sizes.length === 0) issues.push({ field: `/segments/${i}/sizes`, message: 'must name a size, or be null for any' })
        if (s.grades !== null && s.grades.length === 0) issues.push({ field: `/segments/${i}/grades`, message: 'must name a grade, or be null for any' })
      })
      break
    case 'interest-subsidy':
      if (record.effectiveTo !== null && record.contractsFrom > record.effectiveTo) issues.push({ field: '/contractsFrom', message: 'must not be after effectiveTo' })
      break
    case 'bridge-fund': {
      let previous = 0
      record.tiers.forEach((tier, i) => {
        const last = i === record.tiers.length - 1
        if (tier.throughDay === null && !last) issues.push({ field: `/tiers/${i}/throughDay`, message: 'only the last tier may run on (null)' })
        if (tier.throughDay !== null && tier.throughDay <= previous) issues.push({ field: `/tiers/${i}/throughDay`, message: `must be after the previous tier's day ${previous}` })
        if (tier.throughDay !== null) previous = tier.throughDay
      })
      const lastTier = record.tiers[record.tiers.length - 1]
      const covered = lastTier === undefined ? 0 : lastTier.throughDay
      if (covered !== null && (record.maxDays === null || record.maxDays > covered)) {
        issues.push({ field: `/tiers/${record.tiers.length - 1}/throughDay`, message: `the tiers end on day ${covered} but the fund allows ${record.maxDays === null ? 'any number of' : record.maxDays} days: end with a tier that runs on (null), or set maxDays` })
      }
      break
    }
    case 'rate-cap':
      break
  }
  return issues
}
