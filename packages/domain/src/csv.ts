import { DomainError } from './errors.js'

/** One data row of a reference CSV, by column name, with its 1-based line number for messages. */
export interface CsvRow {
  readonly line: number
  readonly fields: Readonly<Record<string, string>>
}

/**
 * Parses the plain CSV dialect of the reference tables (`sme-size-2011.csv`, `lpr.csv`): lines
 * starting with `#` are comments, blank lines are skipped, the first other line is the header,
 * fields are separated by commas and never quoted. Pure: the caller reads the file.
 *
 * Quoting is refused rather than half-supported, so a table edited in a spreadsheet that starts
 * quoting fails loudly instead of being misread.
 *
 * @throws DomainError `invalid-table` on a quote, a missing header, or a row with the wrong
 *   number of fields.
 */
export function parseReferenceCsv(text: string, expectedHeader: readonly string[]): CsvRow[] {
  const lines = text.split(/\r?\n/)
  let header: string[] | undefined
  const rows: CsvRow[] = []
  lines.forEach((raw, index) => {
    const line = index + 1
    if (raw.trim() === '' || raw.startsWith('#')) return
    if (raw.includes('"')) throw new DomainError('invalid-table', `line ${line}: quoted fields are not supported`)
    const cells = raw.split(',')
    if (header === undefined) {
      if (cells.join(',') !== expectedHeader.join(',')) {
        throw new DomainError('invalid-table', `line ${line}: expected header ${expectedHeader.join(',')}, got ${raw}`)
      }
      header = cells
      return
    }
    if (cells.length !== header.length) {
      throw new DomainError('invalid-table', `line ${line}: expected ${header.length} fields, got ${cells.length}`)
    }
    const fields: Record<string, string> = {}
    header.forEach((name, i) => {
      fields[name] = cells[i] ?? ''
    })
    rows.push({ line, fields })
  })
  if (header === undefined) throw new DomainError('invalid-table', 'no header line')
  return rows
}

/** A value of a CSV document: text, a number, or empty. */
export type CsvValue = string | number | null

/**
 * A CSV document (RFC 4180): a header row, CRLF line ends, a field quoted when it holds a comma, a
 * quote or a line break. Text that a spreadsheet would take for a formula (starting with `=`, `+`,
 * `@`, a tab, a carriage return, or `-` before anything but a digit) is prefixed with `'`, so an
 * export opened in a spreadsheet never runs what a record's text says (CSV injection); numbers and
 * negative amounts are written as they are.
 */
export function csvDocument(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',') + '\r\n').join('')
}

function csvField(value: CsvValue): string {
  if (value === null) return ''
  if (typeof value === 'number') return String(value)
  const text = /^([=+@\t\r]|-[^0-9])/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}
