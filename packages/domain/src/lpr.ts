import { parseReferenceCsv } from './csv.js'
import { isCalendarDate, parseDate, type CalendarDate } from './dates.js'
import { DomainError } from './errors.js'
import { termClass } from './loan-term.js'
import { LPR_TABLE_FIXTURE } from './lpr-table.js'
import { isBasisPoints, parsePercent, type BasisPoints } from './rates.js'

/** LPR tenor: the 1-year rate, or the over-5-year rate ("5-year LPR"). */
export type LprTenor = '1y' | '5y'

/** One publication: both tenors as published on `effectiveDate`. */
export interface LprEntry {
  /** Publication date (Asia/Shanghai); the rates apply from this date until the next entry. */
  readonly effectiveDate: CalendarDate
  /** 1-year LPR, bp per year. */
  readonly oneYearBp: BasisPoints
  /** 5-year-and-over LPR, bp per year. */
  readonly fiveYearBp: BasisPoints
}

/** An LPR series in strictly increasing `effectiveDate` order (see {@link validateLprTable}). */
export type LprTable = readonly LprEntry[]

/** The LPR in force on a date, with the publication it came from (POLICY §3: record the snapshot). */
export interface LprQuote {
  readonly tenor: LprTenor
  /** Rate, bp per year. */
  readonly rateBp: BasisPoints
  /** Publication date of the entry used. */
  readonly effectiveDate: CalendarDate
}

/**
 * The `tenor` LPR in force on `date`: from the latest entry published **on or before** `date`
 * (POLICY §3). A rate published on the 20th prices loans dated the 20th.
 *
 * The table is a parameter (default: the bundled fixture) so a deployment passes the official
 * series and a replay passes the series as it stood then.
 *
 * @param date pricing date, Asia/Shanghai
 * @throws DomainError `lpr-not-available` when `date` is before the first entry (no LPR existed
 *   in the table; the pre-August-2019 benchmark regime is not an LPR).
 */
export function lprAsOf(date: CalendarDate, tenor: LprTenor, table: LprTable = LPR_TABLE_FIXTURE): LprQuote {
  // Linear scan for the latest entry on or before the date: correct even if a caller's table is
  // unsorted, and the series has a few hundred rows at most.
  let best: LprEntry | undefined
  for (const entry of table) {
    if (entry.effectiveDate <= date && (best === undefined || entry.effectiveDate > best.effectiveDate)) best = entry
  }
  if (best === undefined) {
    const first = table.reduce<CalendarDate | undefined>((a, e) => (a === undefined || e.effectiveDate < a ? e.effectiveDate : a), undefined)
    throw new DomainError('lpr-not-available', `no LPR published on or before ${date}${first ? ` (series starts ${first})` : ' (empty series)'}`)
  }
  return { tenor, rateBp: tenor === '1y' ? best.oneYearBp : best.fiveYearBp, effectiveDate: best.effectiveDate }
}

/**
 * Which LPR prices a loan of this term (POLICY §3): the 5-year LPR for terms over 5 years (`long`
 * in {@link termClass}), otherwise the 1-year LPR.
 */
export function lprTenorForTerm(start: CalendarDate, maturity: CalendarDate): LprTenor {
  return termClass(start, maturity) === 'long' ? '5y' : '1y'
}

const LPR_CSV_HEADER = ['effective_date', 'lpr_1y_pct', 'lpr_5y_pct'] as const

/**
 * Parses an LPR series in the `lpr.csv` shape (`effective_date,lpr_1y_pct,lpr_5y_pct`, percents
 * with at most 2 decimals) and validates it. Pure: the caller reads the file.
 *
 * @throws DomainError `invalid-table`
 */
export function parseLprCsv(text: string): LprTable {
  const table = parseReferenceCsv(text, LPR_CSV_HEADER).map(({ line, fields }): LprEntry => {
    try {
      return {
        effectiveDate: parseDate(fields.effective_date ?? ''),
        oneYearBp: parsePercent(fields.lpr_1y_pct ?? ''),
        fiveYearBp: parsePercent(fields.lpr_5y_pct ?? ''),
      }
    } catch (cause) {
      throw new DomainError('invalid-table', `line ${line}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
    }
  })
  validateLprTable(table)
  return table
}

/**
 * Checks an LPR series: non-empty, valid dates in strictly increasing order, positive whole bp.
 * @throws DomainError `invalid-table`
 */
export function validateLprTable(table: LprTable): void {
  if (table.length === 0) throw new DomainError('invalid-table', 'empty LPR series')
  let previous: CalendarDate | undefined
  for (const entry of table) {
    if (!isCalendarDate(entry.effectiveDate)) throw new DomainError('invalid-table', `bad LPR date ${String(entry.effectiveDate)}`)
    if (previous !== undefined && entry.effectiveDate <= previous) {
      throw new DomainError('invalid-table', `LPR dates not strictly increasing at ${entry.effectiveDate}`)
    }
    for (const bp of [entry.oneYearBp, entry.fiveYearBp]) {
      if (!isBasisPoints(bp) || bp <= 0) throw new DomainError('invalid-table', `LPR on ${entry.effectiveDate} is not a positive whole bp: ${bp}`)
    }
    previous = entry.effectiveDate
  }
}
