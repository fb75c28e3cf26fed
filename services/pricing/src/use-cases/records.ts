import { parseDate } from '@sme/domain'
import { AppError } from '@sme/kit'
import { recordIssues, type PricingRecord } from '../domain/index.js'
import type { PricingRecordBody } from '../record-schemas.js'
import { insertRecord, lockRecords, markRecordActive, recordRows, recordRowsByRefs, type RecordRow } from '../store/reference.js'
import type { PricingTx } from '../store/tables.js'

/** A posted record in the domain's terms (its dates parsed), or 422 naming each field the shape could not judge. */
export function recordOf(body: PricingRecordBody, at: string): PricingRecord {
  const dated = { effectiveFrom: parseDate(body.effectiveFrom), effectiveTo: body.effectiveTo === null ? null : parseDate(body.effectiveTo) }
  const record: PricingRecord = body.kind === 'interest-subsidy' ? { ...body, ...dated, contractsFrom: parseDate(body.contractsFrom) } : { ...body, ...dated }
  const issues = recordIssues(record)
  if (issues.length > 0) {
    throw new AppError('unprocessable', `the record is invalid: ${issues[0]!.field} ${issues[0]!.message}`, { extra: { errors: issues.map((i) => ({ field: `${at}${i.field}`, message: i.message })) } })
  }
  return record
}

/**
 * Adds a version of a record as a draft: what-if runs price with it, quotes do not until another
 * admin activates it. Versions of a record only increase (the highest in force applies, so a lower
 * one could never take effect), never change, and keep their kind; the bank has one rate card, whose
 * versions are its history.
 */
export async function addRecordVersion(tx: PricingTx, body: PricingRecordBody, by: string, now: Date): Promise<RecordRow> {
  const record = recordOf(body, '/body/record')
  await lockRecords(tx)
  const rows = await recordRows(tx)
  const sameId = rows.filter((r) => r.id === record.id)
  if (sameId.some((r) => r.version === record.version)) throw new AppError('conflict', `record ${record.id}@${record.version} exists already; versions never change: add a higher one`)
  if (sameId.some((r) => r.kind !== record.kind)) throw new AppError('conflict', `record ${record.id} is a ${sameId[0]!.kind}, not a ${record.kind}`)
  const highest = Math.max(0, ...sameId.map((r) => r.version))
  if (record.version <= highest) throw new AppError('conflict', `record ${record.id} is at version ${highest}: a new version must be higher`)
  const card = rows.find((r) => r.kind === 'rate-card')
  if (record.kind === 'rate-card' && card !== undefined && card.id !== record.id) throw new AppError('conflict', `the rate card is ${card.id}: a new card is a version of it`)
  await insertRecord(tx, record, by, 'draft')
  await tx.insertInto('audit_log').values({ at: now, actor: by, action: 'record.added', subject: `record:${record.id}@${record.version}`, details: JSON.stringify({ kind: record.kind, status: 'draft' }) }).execute()
  return (await recordRowsByRefs(tx, [record]))[0]!
}

/**
 * Makes a draft version active: quotes priced on a day in its period use it from now on. Four eyes:
 * the admin activating a version is not the one who added it.
 */
export async function activateRecordVersion(tx: PricingTx, id: string, version: number, by: string, now: Date): Promise<RecordRow> {
  await lockRecords(tx)
  const row = (await recordRowsByRefs(tx, [{ id, version }]))[0]
  if (row === undefined) throw new AppError('not_found', `no record ${id}@${version}`)
  if (row.status === 'active') throw new AppError('conflict', `record ${id}@${version} is active already`)
  if (row.created_by === by) throw new AppError('forbidden', `record ${id}@${version} was added by you: another admin activates it (four eyes)`)
  const activated = await markRecordActive(tx, id, version, by, now)
  await tx.insertInto('audit_log').values({ at: now, actor: by, action: 'record.activated', subject: `record:${id}@${version}`, details: JSON.stringify({ kind: row.kind, addedBy: row.created_by }) }).execute()
  return activated
}

/** A version as the API shows it. */
export function recordView(row: RecordRow) {
  return {
    id: row.id,
    version: row.version,
    kind: row.kind,
    status: row.status,
    addedBy: row.created_by,
    addedAt: row.created_at.toISOString(),
    activatedBy: row.activated_by,
    activatedAt: row.activated_at?.toISOString() ?? null,
    record: row.definition as Record<string, unknown>,
  }
}
