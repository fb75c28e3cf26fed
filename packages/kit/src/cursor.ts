import Type from 'typebox'
import { AppError } from './errors.js'

/**
 * Keyset pagination for list routes: a page ends with `nextCursor` when more rows follow (never a
 * silent truncation), and the next request sends it back as `cursor`. The cursor is the sort key
 * of the last row shown, opaque to clients (base64url of JSON), so rows added meanwhile never make a
 * page repeat or skip one already listed under a stable order.
 */
export type CursorKey = readonly (string | number)[]

export const CursorQuery = Type.String({ minLength: 1, maxLength: 512, pattern: '^[A-Za-z0-9_-]+$', description: 'The nextCursor of the previous page' })
export const NextCursor = Type.Union([Type.String(), Type.Null()], { description: 'Pass as cursor for the next page; null on the last page' })

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url')
}

/** What each part of a sort key is: checked on decoding, so a forged cursor never reaches SQL. */
export type CursorPart = 'date' | 'instant' | 'instant-us' | 'uuid' | 'text' | 'integer'

const roundTrips = (iso: string): boolean => {
  const time = Date.parse(iso)
  return !Number.isNaN(time) && new Date(time).toISOString() === iso
}

const PART_CHECKS: Record<CursorPart, (value: unknown) => boolean> = {
  // Round-trips only: 2020-02-31 parses in JavaScript and fails in PostgreSQL.
  date: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && roundTrips(`${v}T00:00:00.000Z`),
  instant: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v) && roundTrips(v),
  // PostgreSQL's microseconds, as `to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` writes them.
  'instant-us': (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(v) && roundTrips(`${v.slice(0, 23)}Z`),
  uuid: (v) => typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v),
  text: (v) => typeof v === 'string' && v.length <= 200 && !/[\u0000-\u001f]/.test(v),
  integer: (v) => typeof v === 'number' && Number.isSafeInteger(v),
}

/**
 * The key of a cursor whose parts are `parts`.
 * @throws AppError validation_failed naming `/querystring/cursor`
 */
export function decodeCursor(cursor: string, parts: readonly CursorPart[]): CursorKey {
  let key: unknown
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    key = undefined
  }
  if (!isCursorKey(key, parts)) throw new AppError('validation_failed', 'cursor is not one this list issued', { extra: { errors: [{ field: '/querystring/cursor', message: 'is not a cursor this list issued' }] } })
  return key
}

function isCursorKey(value: unknown, parts: readonly CursorPart[]): value is CursorKey {
  return Array.isArray(value) && value.length === parts.length && value.every((part, i) => PART_CHECKS[parts[i]!](part))
}

/** A page of `limit` rows from `rows` fetched with `limit + 1`: the rows to show and the cursor after them. */
export function pageOf<R>(rows: readonly R[], limit: number, keyOf: (row: R) => CursorKey): { rows: R[]; nextCursor: string | null } {
  const shown = rows.slice(0, limit)
  const last = shown.at(-1)
  return { rows: shown, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null }
}
