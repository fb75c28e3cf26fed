import { StringDecoder } from 'node:string_decoder'

/**
 * PostgreSQL's COPY text format, both ways: one row per line, fields separated by a tab, NULL as
 * `\N`, and backslash, tab, newline and carriage return escaped with a backslash (the server's own
 * rules; see the COPY reference, "Text Format"). Rows are written and read as arrays of text fields.
 */

const NEEDS_ESCAPE = /[\\\t\n\r]/
const ESCAPE = /[\\\t\n\r]/g
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' }

/** One field as COPY text: null is `\N`; backslash, tab, newline and carriage return escaped. */
export function copyField(value: string | null): string {
  if (value === null) return '\\N'
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPE, (ch) => ESCAPED[ch]!) : value
}

/** One row as a COPY text line, its newline included. */
export function copyLine(fields: readonly (string | null)[]): string {
  let line = ''
  for (let i = 0; i < fields.length; i++) line += (i === 0 ? '' : '\t') + copyField(fields[i]!)
  return line + '\n'
}

const ESCAPES: Record<string, string> = { '\\': '\\', t: '\t', n: '\n', r: '\r', b: '\b', f: '\f', v: '\v' }

/** One field of a COPY text line back to its value (null for `\N`). */
export function fieldOfCopy(text: string): string | null {
  if (text === '\\N') return null
  if (!text.includes('\\')) return text
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (ch !== '\\') {
      out += ch
      continue
    }
    const next = text[++i]
    // The server writes only these escapes; anything else stands for itself.
    out += next === undefined ? '' : (ESCAPES[next] ?? next)
  }
  return out
}

/** A COPY text line (without its newline) back to its fields. */
export function fieldsOfCopyLine(line: string): (string | null)[] {
  return line.split('\t').map(fieldOfCopy)
}

/**
 * Splits a stream of text chunks (COPY text, NDJSON) into lines without their newline (a chunk may end in the
 * middle of a line, or hold many).
 */
export async function* linesOf(chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string>): AsyncGenerator<string> {
  // A chunk may also end in the middle of a character: the decoder keeps its first bytes.
  const decoder = new StringDecoder('utf8')
  let rest = ''
  for await (const chunk of chunks) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk))
    let start = 0
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      yield text.slice(start, end)
      start = end + 1
    }
    rest = text.slice(start)
  }
  rest += decoder.end()
  if (rest.length > 0) yield rest
}
