import { addDays, csvDocument, type CalendarDate } from '@sme/domain'
import { ReliefError, isReliefError } from './errors.js'
import { policyAsOf } from './policy-set.js'
import type { PolicyKind, PolicyVersion } from './policy.js'
import type { LocalizedText } from './reasons.js'

/** One record version in force over a period of the calendar. */
export interface CalendarEntry {
  readonly kind: PolicyKind
  readonly id: string
  readonly version: number
  readonly title: LocalizedText
  readonly source: string
  /** The versions this one corrects, or `null`. */
  readonly corrects: readonly number[] | null
}

/** A stretch of days over which the same versions are in force, both ends included. */
export interface CalendarPeriod {
  readonly from: CalendarDate
  readonly to: CalendarDate
  /** In force over the whole period, ordered by kind, then id (as a decision records them). */
  readonly records: readonly CalendarEntry[]
  /** Why no decision could be made on these days (no bank parameters in force, say), or `null`. */
  readonly problem: string | null
}

/** The longest range a calendar covers: a century of days. */
export const MAX_CALENDAR_DAYS = 36_525

/**
 * Which policy versions were in force, day by day, from `from` to `to` (both included), as
 * periods of unchanged versions: what officers and auditors ask ("under what rules was a
 * deferral of 2021-02-10 decided?"). The versions a decision dated on a day is made under are
 * exactly those of its period (`policyAsOf`: the highest version of each record that no other
 * version corrects); a period where no decision can be made says why.
 *
 * @throws ReliefError `invalid-argument` when `to` is before `from` or the range is longer than
 *   {@link MAX_CALENDAR_DAYS}.
 */
export function policyCalendar(versions: readonly PolicyVersion[], from: CalendarDate, to: CalendarDate): CalendarPeriod[] {
  if (to < from) throw new ReliefError('invalid-argument', `the calendar ends (${to}) before it starts (${from})`)
  if (addDays(from, MAX_CALENDAR_DAYS) < to) throw new ReliefError('invalid-argument', `a calendar covers at most ${MAX_CALENDAR_DAYS} days`)
  // The selection changes only where a version starts or the day after one ends.
  const starts = new Set<CalendarDate>([from])
  for (const v of versions) {
    if (v.effectiveFrom > from && v.effectiveFrom <= to) starts.add(v.effectiveFrom)
    if (v.effectiveTo !== null) {
      const after = addDays(v.effectiveTo, 1)
      if (after > from && after <= to) starts.add(after)
    }
  }
  const ordered = [...starts].sort()
  const byRef = new Map(versions.map((v) => [`${v.kind}/${v.id}@${v.version}`, v]))
  const periods: CalendarPeriod[] = []
  ordered.forEach((start, i) => {
    const end = i + 1 < ordered.length ? addDays(ordered[i + 1]!, -1) : to
    const { records, problem } = inForce(versions, byRef, start)
    const last = periods.at(-1)
    if (last !== undefined && last.problem === problem && sameRecords(last.records, records)) {
      periods[periods.length - 1] = { ...last, to: end }
    } else {
      periods.push({ from: start, to: end, records, problem })
    }
  })
  return periods
}

function inForce(versions: readonly PolicyVersion[], byRef: ReadonlyMap<string, PolicyVersion>, date: CalendarDate): { records: CalendarEntry[]; problem: string | null } {
  try {
    const set = policyAsOf(versions, date)
    const records = set.versions.map((ref) => {
      const v = byRef.get(`${ref.kind}/${ref.id}@${ref.version}`)!
      return { kind: v.kind, id: v.id, version: v.version, title: v.title, source: v.source, corrects: v.corrects?.versions ?? null }
    })
    return { records, problem: null }
  } catch (err) {
    if (!isReliefError(err)) throw err
    return { records: [], problem: err.message }
  }
}

const sameRecords = (a: readonly CalendarEntry[], b: readonly CalendarEntry[]): boolean =>
  a.length === b.length && a.every((e, i) => e.kind === b[i]!.kind && e.id === b[i]!.id && e.version === b[i]!.version)

/**
 * The calendar as CSV (RFC 4180, CRLF line ends, a header row): one row per version in force per
 * period; a period without a usable policy has one row with its problem.
 */
export function policyCalendarCsv(periods: readonly CalendarPeriod[]): string {
  const header = ['from', 'to', 'kind', 'id', 'version', 'title_zh', 'title_en', 'source', 'corrects', 'problem']
  const rows = periods.flatMap((p) =>
    p.records.length === 0
      ? [[p.from, p.to, null, null, null, null, null, null, null, p.problem]]
      : p.records.map((r) => [p.from, p.to, r.kind, r.id, r.version, r.title.zh, r.title.en, r.source, r.corrects?.join(' ') ?? null, p.problem]),
  )
  return csvDocument(header, rows)
}

/**
 * The deferral, extension and renewal records of the calendar as a Markdown table (one row per
 * period): the README's policy calendar is generated with it, and a test keeps the two equal.
 */
export function policyCalendarMarkdown(periods: readonly CalendarPeriod[]): string {
  const relief = (p: CalendarPeriod, kind: PolicyKind): string =>
    p.records
      .filter((r) => r.kind === kind)
      .map((r) => `${r.id}@${r.version}`)
      .join(', ') || '—'
  const lines = ['| From | To | Deferral programmes | Extension | Renewal |', '|---|---|---|---|---|']
  for (const p of periods) lines.push(`| ${p.from} | ${p.to} | ${relief(p, 'deferral-programme')} | ${relief(p, 'extension-rules')} | ${relief(p, 'renewal-rules')} |`)
  return lines.join('\n') + '\n'
}
