import { DATA_POINT_KINDS, type DataPoint } from './domain/index.js'
import type { DataPointRecord, RecordKind } from './schemas.js'

/**
 * Fields of each kind that hold money: fen travel as decimal strings on the wire and in JSON
 * columns, and are `bigint` in the domain. Listed once here so both directions agree.
 */
const MONEY: Record<RecordKind, { top: readonly string[]; nested?: { list: string; fields: readonly string[] } }> = {
  registration: { top: [] },
  'tax-return': { top: ['declaredRevenue', 'taxPaid'] },
  'tax-rating': { top: [] },
  'invoice-month': { top: ['salesAmount'] },
  'headcount-month': { top: [] },
  'utility-month': { top: ['billed', 'arrears'] },
  'customs-month': { top: ['exports', 'imports'] },
  'court-records': { top: [], nested: { list: 'records', fields: ['amount'] } },
  'administrative-penalties': { top: [], nested: { list: 'penalties', fields: ['fine'] } },
  'repayment-month': { top: [] },
  'receivables-snapshot': { top: ['total', 'overdue'] },
}

/** Record fields that describe where the figure came from rather than the figure itself. */
const ENVELOPE = new Set(['kind', 'uscc', 'source', 'sourceRecordId', 'period', 'asOf'])

type Json = Record<string, unknown>

function mapMoney(kind: RecordKind, values: Json, f: (v: unknown) => unknown): Json {
  const spec = MONEY[kind]
  const out: Json = { ...values }
  for (const field of spec.top) if (field in out) out[field] = f(out[field])
  if (spec.nested && Array.isArray(out[spec.nested.list])) {
    const fields = spec.nested.fields
    out[spec.nested.list] = (out[spec.nested.list] as Json[]).map((item) => {
      const copy = { ...item }
      for (const field of fields) if (copy[field] !== null && copy[field] !== undefined) copy[field] = f(copy[field])
      return copy
    })
  }
  return out
}

const toBigint = (v: unknown) => (typeof v === 'string' ? BigInt(v) : v)
const toText = (v: unknown) => (typeof v === 'bigint' ? v.toString() : v)

/** The figure's own values of a record (no envelope), in JSON form (fen as strings): what is stored. */
export function valuesOf(record: DataPointRecord): Json {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !ENVELOPE.has(k)))
}

/** A stored data point (its row) as the domain sees it. */
export function toDomainPoint(row: { id: string; kind: string; source: string; period: string; as_of: string; uscc: string; payload: Json }): DataPoint {
  const kind = row.kind as RecordKind
  const values = mapMoney(kind, row.payload, toBigint)
  return {
    ...values,
    ...(kind === 'registration' ? { uscc: row.uscc } : {}),
    id: row.id,
    kind,
    dimension: DATA_POINT_KINDS[kind].dimension,
    source: row.source,
    period: row.period,
    asOf: row.as_of,
  } as unknown as DataPoint
}

/** Domain form of a record before it has an id (for validation with the domain's own checks). */
export function recordToDomain(record: DataPointRecord, id: string): DataPoint {
  return toDomainPoint({ id, kind: record.kind, source: record.source, period: record.period, as_of: record.asOf, uscc: record.uscc, payload: valuesOf(record) })
}

/** JSON form of values that may hold bigints (for responses and events). */
export function jsonValues(kind: RecordKind, values: Json): Json {
  return mapMoney(kind, values, toText)
}
