/**
 * Enterprise data for the scoring benchmarks, shared by the in-process scorecard benchmark
 * (test/bench/scorecard.ts, in test/bench/run.ts) and the HTTP score server (test/bench/server.ts).
 *
 * Each firm starts from the scoring tests' healthy small manufacturer (services/scoring/test/helpers.ts
 * `healthyFirmRecords`: registration, tax rating, 24 months of invoices, tax returns, headcount,
 * electricity, repayments and customs, court and penalty searches, a receivables snapshot: 149
 * records through 2020-06) and is then varied deterministically by its number: size, tax burden,
 * receivables, and one of six profiles (healthy, temporary epidemic shock, structural decline,
 * distressed late payer, young firm, thin or stale data), so that the scorecard sees most of its
 * bins and the hardship signal each of its verdicts. The records are the wire form that
 * POST /data-points/batch accepts (fen as decimal strings).
 */
import { healthyFirmRecords, uscc } from '../../services/scoring/test/helpers.js'

/** The scoring date of every benchmark score: the end of the month the records run through. */
export const SCORE_AS_OF = '2020-06-30'
const THROUGH = '2020-06'

export const PROFILES = ['healthy', 'temporary-shock', 'structural-decline', 'distressed', 'young', 'thin-or-stale'] as const
export type Profile = (typeof PROFILES)[number]

/** A record as POST /data-points/batch takes it (one of services/scoring/src/schemas.ts RECORD_SCHEMAS). */
export type WireRecord = Record<string, unknown> & { kind: string; uscc: string; sourceRecordId: string; period: string; asOf: string }

/** A valid USCC per firm number (check characters per GB 32100), distinct from the tests' range. */
export function benchUscc(n: number): string {
  return uscc(70_000_000 + n)
}

/** A small deterministic PRNG (mulberry32): the same firm number always gives the same firm. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const fen = (value: unknown, factor: number): string => String(Math.max(0, Math.round(Number(value) * factor)))
const monthsAfter = (from: string, to: string): number => {
  const [fy, fm] = from.split('-').map(Number) as [number, number]
  const [ty, tm] = to.split('-').map(Number) as [number, number]
  return ty * 12 + tm - (fy * 12 + fm)
}

/** The profile of firm `n`: the six in turn, so any 6 consecutive firms cover them all. */
export function profileOf(n: number): Profile {
  return PROFILES[n % PROFILES.length] as Profile
}

/**
 * The records of firm `n` (about 150; fewer for young and thin firms), through 2020-06, valid for
 * POST /data-points/batch and for the domain's own checks once converted (recordToDomain).
 */
export function benchFirmRecords(n: number): WireRecord[] {
  const code = benchUscc(n)
  const random = prng(0x5eed + n * 7919)
  const between = (lo: number, hi: number) => lo + (hi - lo) * random()
  const profile = profileOf(n)
  const size = between(0.3, 3)
  const taxRate = between(0.008, 0.045)
  const growth = between(-0.08, 0.25) // over the 24 months, before the profile's shape
  let records = healthyFirmRecords(code, { through: THROUGH }).map((r) => ({ ...r }) as WireRecord)

  // Activity per month (1 = the healthy firm's level) by profile; `ago` = months before 2020-06.
  const activity = (month: string): number => {
    const ago = monthsAfter(month, THROUGH)
    const trend = 1 + growth * ((23 - ago) / 23)
    switch (profile) {
      case 'temporary-shock':
      case 'distressed': {
        const dip: Record<string, number> = { '2020-02': 0.35, '2020-03': 0.5, '2020-04': 0.7, '2020-05': 0.85, '2020-06': 0.9 }
        return trend * (dip[month] ?? 1) * (profile === 'distressed' && month >= '2020-02' ? 0.8 : 1)
      }
      case 'structural-decline':
        return trend * (1 - 0.55 * ((23 - ago) / 23))
      default:
        return trend
    }
  }
  const headcountFactor = (month: string): number => {
    if (profile === 'structural-decline') return 1 - 0.45 * ((23 - monthsAfter(month, THROUGH)) / 23)
    if ((profile === 'temporary-shock' || profile === 'distressed') && month >= '2020-02') return profile === 'distressed' ? 0.7 : 0.93
    return 1
  }
  const employees = Math.max(3, Math.round(48 * size))
  const founded = profile === 'young' ? `2019-${String(2 + (n % 9)).padStart(2, '0')}-15` : `${2005 + (n % 14)}-03-01`

  records = records.flatMap((r): WireRecord[] => {
    const month = r.period.slice(0, 7)
    // A young firm has no data from before it was founded.
    if (profile === 'young' && r.kind !== 'registration' && r.kind !== 'tax-rating' && month < founded.slice(0, 7)) return []
    switch (r.kind) {
      case 'registration':
        return [{ ...r, period: founded, foundedOn: founded, legalStatus: n % 17 === 5 ? 'abnormal-operations' : 'active' }]
      case 'tax-rating': {
        const rating = profile === 'young' ? 'M' : profile === 'distressed' ? (n % 2 ? 'C' : 'D') : (['A', 'A', 'B', 'A'][n % 4] as string)
        return profile === 'thin-or-stale' && n % 2 === 0 ? [] : [{ ...r, rating }]
      }
      case 'invoice-month': {
        const f = size * activity(month)
        return [{ ...r, salesAmount: fen(r.salesAmount, f), invoiceCount: Math.max(1, Math.round(120 * f)) }]
      }
      case 'tax-return': {
        if (profile === 'thin-or-stale' && n % 2 === 1) return []
        const revenue = Number(r.declaredRevenue) * size * activity(month)
        return [{ ...r, declaredRevenue: fen(revenue, 1), taxPaid: fen(revenue, taxRate) }]
      }
      case 'headcount-month':
        if (profile === 'thin-or-stale') return []
        return [{ ...r, employees: Math.max(1, Math.round(employees * headcountFactor(month))) }]
      case 'utility-month': {
        const f = size * activity(month)
        const late = (profile === 'temporary-shock' && (month === '2020-02' || month === '2020-03')) || (profile === 'distressed' && month >= '2019-10') || (profile === 'structural-decline' && month >= '2020-03')
        return [{ ...r, consumption: Math.round(Number(r.consumption) * f), billed: fen(r.billed, f), arrears: late ? fen(r.billed, 0.6 * f) : '0' }]
      }
      case 'customs-month': {
        // Most SMEs do not trade across borders: a third of the firms have no customs data at all.
        if (n % 3 === 1 || profile === 'thin-or-stale') return []
        const f = size * activity(month) * (profile === 'structural-decline' ? 0.7 : 1)
        return [{ ...r, exports: fen(r.exports, f), imports: fen(r.imports, f) }]
      }
      case 'repayment-month': {
        const ago = monthsAfter(month, THROUGH)
        const dpd = profile === 'distressed' ? [0, 12, 35, 64, 95][(n + ago) % 5]! : profile === 'structural-decline' && ago < 4 ? 8 + 7 * ago : 0
        return [{ ...r, maxDaysPastDue: dpd }]
      }
      case 'court-records': {
        const cases =
          profile === 'distressed'
            ? [
                { caseId: `enf-${code}-1`, type: 'enforcement', filedOn: '2019-11-04', amount: '12000000' },
                { caseId: `dd-${code}-2`, type: 'dishonest-debtor', filedOn: '2020-03-18', amount: null },
              ]
            : n % 5 === 2
              ? [{ caseId: `law-${code}-1`, type: 'lawsuit-defendant', filedOn: '2019-08-01', amount: '3000000' }]
              : n % 11 === 3
                ? [{ caseId: `enf-${code}-1`, type: 'enforcement', filedOn: '2019-05-20', amount: '800000' }]
                : []
        // Thin firms: the court search is from January, older than the 92-day window (stale).
        return [{ ...r, records: cases, ...(profile === 'thin-or-stale' ? { period: '2020-01-01', asOf: '2020-01-28' } : {}) }]
      }
      case 'administrative-penalties': {
        const count = profile === 'distressed' ? 2 : n % 7 === 4 ? 1 : 0
        const penalties = Array.from({ length: count }, (_, i) => ({ decisionId: `pen-${code}-${i}`, decidedOn: `2019-0${5 + i}-10`, authority: 'Fuzhou market regulation bureau', fine: '500000' }))
        return [{ ...r, penalties }]
      }
      case 'receivables-snapshot': {
        const total = Number(r.total) * size
        const overdueShare = profile === 'distressed' ? between(0.25, 0.6) : between(0, 0.18)
        const stale = profile === 'thin-or-stale' ? { period: '2019-12-31', asOf: '2020-01-05' } : {}
        return [{ ...r, total: fen(total, 1), overdue: fen(total, overdueShare), ...stale }]
      }
      default:
        return [r]
    }
  })
  return records
}
