import { daysBetween, isAfter, type CalendarDate, type Fen, type LocalizedText } from '@sme/domain'
import type { ClaimStatus } from './claim.js'

/**
 * What can be overdue on a claim (POLICY §5; 工信明电〔2020〕14号 item 9: the agencies 及时履行代偿义务,
 * and losses past recourse are written off 按规定): the agency's payment past its deadline, and a
 * recourse period over without the loss written off.
 */
export const OVERDUE_KINDS = {
  'payment-overdue': { zh: '担保机构逾期未代偿', en: 'The agency has not paid by its deadline' },
  'recourse-ended': { zh: '追偿期届满尚未核销', en: 'The recourse period is over and the loss not written off' },
} as const satisfies Record<string, LocalizedText>
export type OverdueKind = keyof typeof OVERDUE_KINDS

/** Age bands in calendar days past the due day, the usual ones of a receivables aging. */
export const AGING_BUCKETS = [
  { label: '1-30', from: 1, to: 30 },
  { label: '31-60', from: 31, to: 60 },
  { label: '61-90', from: 61, to: 90 },
  { label: '91-180', from: 91, to: 180 },
  { label: '181+', from: 181, to: null },
] as const
export type AgingBucket = (typeof AGING_BUCKETS)[number]['label']

/** What the aging view needs of a claim, as stored. */
export interface AgingFacts {
  readonly status: ClaimStatus
  readonly paymentDueOn: CalendarDate | null
  /** The amount filed, and the amount approved (the agency owes this one once it approved). */
  readonly claimed: Fen | null
  readonly approved: Fen | null
  readonly recourseUntil: CalendarDate | null
  /** What the agency paid, and what recoveries gave back to the paying layers since. */
  readonly settled: Fen | null
  readonly recoveredToPayers: Fen
}

export interface OverdueItem {
  readonly kind: OverdueKind
  readonly dueOn: CalendarDate
  readonly daysOverdue: number
  readonly bucket: AgingBucket
  /** What is outstanding: the payment owed, or the loss not recovered. */
  readonly amount: Fen
}

const AWAITING_PAYMENT: readonly ClaimStatus[] = ['filed', 'acknowledged', 'approved']
const IN_RECOURSE: readonly ClaimStatus[] = ['paid', 'in-recourse']

export function bucketOf(daysOverdue: number): AgingBucket {
  const found = AGING_BUCKETS.find((b) => daysOverdue >= b.from && (b.to === null || daysOverdue <= b.to))
  if (found === undefined) throw new RangeError('a day count before the due day is not overdue')
  return found.label
}

/**
 * What is overdue on a claim today, or null. Overdue from the day after the due day, as the timer
 * raises its events: a payment on a claim filed, acknowledged or approved and not paid; a recourse
 * period over on a claim paid or in recourse, not written off.
 */
export function overdueOf(facts: AgingFacts, today: CalendarDate): OverdueItem | null {
  const item = (kind: OverdueKind, dueOn: CalendarDate, amount: Fen): OverdueItem => {
    const daysOverdue = daysBetween(dueOn, today)
    return { kind, dueOn, daysOverdue, bucket: bucketOf(daysOverdue), amount }
  }
  if (AWAITING_PAYMENT.includes(facts.status) && facts.paymentDueOn !== null && isAfter(today, facts.paymentDueOn)) {
    return item('payment-overdue', facts.paymentDueOn, facts.approved ?? facts.claimed ?? 0n)
  }
  if (IN_RECOURSE.includes(facts.status) && facts.recourseUntil !== null && isAfter(today, facts.recourseUntil)) {
    const unrecovered = (facts.settled ?? 0n) - facts.recoveredToPayers
    return item('recourse-ended', facts.recourseUntil, unrecovered > 0n ? unrecovered : 0n)
  }
  return null
}

export interface AgingLine {
  readonly kind: OverdueKind
  readonly bucket: AgingBucket
  readonly count: number
  readonly amount: Fen
}

/** Counts and amounts per kind and age band, every band present (zero where nothing is overdue). */
export function agingSummary(items: readonly OverdueItem[]): AgingLine[] {
  const lines: AgingLine[] = []
  for (const kind of Object.keys(OVERDUE_KINDS) as OverdueKind[]) {
    for (const { label } of AGING_BUCKETS) {
      const inBand = items.filter((i) => i.kind === kind && i.bucket === label)
      lines.push({ kind, bucket: label, count: inBand.length, amount: inBand.reduce((s, i) => s + i.amount, 0n) })
    }
  }
  return lines
}
