import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { Compile } from 'typebox/compile'
import { todayIn, validateUscc, type CalendarDate } from '@sme/domain'
import { AppError } from '@sme/kit'
import { canonicalJson } from '@sme/kit'
import { DATA_POINT_KINDS, validateDataPoints } from '../domain/index.js'
import { recordToDomain, valuesOf } from '../convert.js'
import { RECORD_KINDS, RECORD_SCHEMAS, type DataPointRecord, type RecordKind } from '../schemas.js'
import { currentVersionForUpdate, insertDataPoint, markSuperseded } from '../store/data-points.js'
import type { ScoringTx } from '../store/tables.js'

const checks = Object.fromEntries(RECORD_KINDS.map((kind) => [kind, Compile(RECORD_SCHEMAS[kind])])) as Record<RecordKind, ReturnType<typeof Compile>>

export interface FieldError {
  field: string
  message: string
}

export type RecordCheck = { ok: true; record: DataPointRecord } | { ok: false; errors: FieldError[] }

/**
 * Everything a record must satisfy before it is stored: its kind's schema, a USCC that passes both
 * check characters (or is on the exception list), no as-of date in the future, no period after its
 * as-of date, and the domain's own checks. `at` prefixes field paths (`/body/records/3`).
 */
export function checkRecord(raw: unknown, at: string, today: CalendarDate, usccExceptions?: ReadonlyMap<string, string>): RecordCheck {
  const kind = (raw as { kind?: unknown } | null)?.kind
  if (typeof kind !== 'string' || !(RECORD_KINDS as string[]).includes(kind)) {
    return { ok: false, errors: [{ field: `${at}/kind`, message: `must be one of ${RECORD_KINDS.join(', ')}` }] }
  }
  const check = checks[kind as RecordKind]
  if (!check.Check(raw)) {
    return { ok: false, errors: [...check.Errors(raw)].slice(0, 20).map((e) => ({ field: `${at}${e.instancePath}`, message: e.message })) }
  }
  const record = raw as DataPointRecord
  const errors: FieldError[] = []
  const uscc = validateUscc(record.uscc, usccExceptions ? { exceptions: usccExceptions } : {})
  if (!uscc.valid) errors.push({ field: `${at}/uscc`, message: `invalid USCC (${uscc.error}): ${uscc.detail}` })
  if (record.asOf > today) errors.push({ field: `${at}/asOf`, message: `${record.asOf} is in the future (today is ${today})` })
  for (const issue of validateDataPoints([recordToDomain(record, 'candidate')], record.uscc)) {
    errors.push({ field: `${at}${issue.path.replace(/^\/0/, '')}`, message: issue.message })
  }
  return errors.length ? { ok: false, errors } : { ok: true, record }
}

export type IngestOutcome =
  | { outcome: 'created'; dataPointId: string }
  | { outcome: 'unchanged'; dataPointId: string }
  | { outcome: 'superseded'; dataPointId: string; supersedes: string }

/**
 * Stores one checked record. Idempotent by (source, sourceRecordId): the same figure again changes
 * nothing; a different figure is a correction that supersedes the current version (which stays,
 * marked, for lineage and replay) — never a silent overwrite.
 */
export async function ingestRecord(tx: ScoringTx, record: DataPointRecord, receivedBy: string): Promise<IngestOutcome> {
  // Serialise writers of one source record (the row lock alone cannot cover a record not yet stored).
  await sql`select pg_advisory_xact_lock(hashtextextended(${`${record.source}|${record.sourceRecordId}`}, 0))`.execute(tx)
  const current = await currentVersionForUpdate(tx, record.source, record.sourceRecordId)
  const payload = valuesOf(record)
  if (current && current.uscc === record.uscc && current.kind === record.kind && current.period === record.period && current.as_of === record.asOf && canonicalJson(current.payload) === canonicalJson(payload)) {
    return { outcome: 'unchanged', dataPointId: current.id }
  }
  const id = `dp_${randomUUID()}`
  // Retire the current version before inserting its successor: the partial unique index
  // `data_points_current` (one row per source record with superseded_by null) is checked per
  // statement, so inserting first would make every correction fail with a unique violation.
  if (current) await markSuperseded(tx, current.id, id)
  await insertDataPoint(tx, {
    id,
    uscc: record.uscc,
    kind: record.kind,
    dimension: DATA_POINT_KINDS[record.kind].dimension,
    source: record.source,
    source_record_id: record.sourceRecordId,
    period: record.period,
    as_of: record.asOf,
    payload,
    version: (current?.version ?? 0) + 1,
    supersedes: current?.id ?? null,
    superseded_by: null,
    received_by: receivedBy,
  })
  if (!current) return { outcome: 'created', dataPointId: id }
  return { outcome: 'superseded', dataPointId: id, supersedes: current.id }
}

export interface BatchInput {
  mode: 'all-or-nothing' | 'per-record'
  records: unknown[]
}

export interface BatchResult {
  mode: BatchInput['mode']
  accepted: number
  rejected: number
  outcomes: ({ index: number; sourceRecordId: string; outcome: 'rejected'; errors: FieldError[] } | ({ index: number; sourceRecordId: string } & IngestOutcome))[]
}

/**
 * A batch from a data provider. `all-or-nothing`: one invalid record refuses the whole batch (422,
 * every error listed) and nothing is written. `per-record`: valid records are stored, invalid ones
 * reported; the caller sees each record's outcome either way.
 */
export async function ingestBatch(tx: ScoringTx, input: BatchInput, receivedBy: string, now: Date): Promise<BatchResult> {
  const today = todayIn(now)
  const checked = input.records.map((raw, index) => ({ index, raw, check: checkRecord(raw, `/body/records/${index}`, today) }))
  const invalid = checked.filter((c) => !c.check.ok)
  if (input.mode === 'all-or-nothing' && invalid.length > 0) {
    const errors = invalid.flatMap((c) => (c.check.ok ? [] : c.check.errors))
    throw new AppError('unprocessable', `${invalid.length} of ${input.records.length} records are invalid (${errors[0]!.field}: ${errors[0]!.message}); nothing was written`, {
      extra: { errors: errors.slice(0, 100), rejectedRecords: invalid.map((c) => c.index) },
    })
  }
  const outcomes: BatchResult['outcomes'] = []
  for (const c of checked) {
    const sourceRecordId = String((c.raw as { sourceRecordId?: unknown })?.sourceRecordId ?? '')
    if (!c.check.ok) outcomes.push({ index: c.index, sourceRecordId, outcome: 'rejected', errors: c.check.errors })
    else outcomes.push({ index: c.index, sourceRecordId, ...(await ingestRecord(tx, c.check.record, receivedBy)) })
  }
  return { mode: input.mode, accepted: checked.length - invalid.length, rejected: invalid.length, outcomes }
}
