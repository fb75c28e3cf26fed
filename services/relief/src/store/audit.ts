import type { Selectable } from 'kysely'
import { toJson } from '../json.js'
import type { AuditLogTable, ReliefDb, ReliefTx } from './tables.js'

export type AuditRow = Selectable<AuditLogTable>

/**
 * The audit trail is append-only: this module is its only writer and it only inserts, and the
 * database refuses updates, deletes and truncation (migration 0205). An entry is written in the
 * transaction (or the statement) of the change it records, so neither exists without the other.
 */
export async function appendAudit(tx: ReliefDb | ReliefTx, entry: { at: Date; actor: string; action: string; applicationId?: string | null; details?: Record<string, unknown> }): Promise<void> {
  await tx
    .insertInto('audit_log')
    .values({ at: entry.at, actor: entry.actor, action: entry.action, application_id: entry.applicationId ?? null, details: toJson(entry.details ?? {}) })
    .execute()
}

export function auditOf(db: ReliefDb | ReliefTx, applicationId: string): Promise<AuditRow[]> {
  return db.selectFrom('audit_log').selectAll().where('application_id', '=', applicationId).orderBy('seq').execute()
}
