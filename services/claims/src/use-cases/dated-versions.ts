import { AppError } from '@sme/kit'
import { audit } from '../store/claims.js'
import { datedRows, insertDatedVersion, lockDatedVersions, markDatedActive, type DatedKind, type DatedVersionRow } from '../store/dated-versions.js'
import type { ClaimsTx } from '../store/tables.js'

/** The author of the shipped versions, seeded active at start. */
export const SEED_AUTHOR = 'system:seed'

/**
 * Adds a version of an agreement or a pool as a draft: it governs nothing until another admin
 * activates it. Versions of a record only increase (the highest in force on a day applies, so a
 * lower one could never take effect) and never change; `scopeId` (an agreement's originating
 * agency) stays the same across them: the claims under an agreement are that agency's to answer.
 */
export async function addDatedVersion(tx: ClaimsTx, kind: DatedKind, record: { readonly id: string; readonly version: number }, scopeId: string | null, by: string, now: Date): Promise<DatedVersionRow> {
  await lockDatedVersions(tx, kind)
  const versions = await datedRows(tx, kind, { recordId: record.id })
  if (versions.some((r) => r.version === record.version)) throw new AppError('conflict', `that version of the ${kind} exists already; versions never change: add a higher one`)
  const highest = Math.max(0, ...versions.map((r) => r.version))
  if (record.version <= highest) throw new AppError('conflict', `a new version of a ${kind} must be higher than its last`, { extra: { highestVersion: highest } })
  if (versions.some((r) => r.scope_id !== scopeId)) throw new AppError('conflict', `the originating agency of an ${kind} does not change between versions: record a new one`)
  await insertDatedVersion(tx, kind, record, scopeId, by, 'draft', now)
  await audit(tx, { at: now, actor: by, action: `${kind}.added`, subject: `${kind}:${record.id}@${record.version}`, details: { scopeId, status: 'draft' } })
  return (await datedRows(tx, kind, { recordId: record.id })).find((r) => r.version === record.version)!
}

/**
 * Activates a draft: claims on loans in its window are judged under it from now on. Four eyes: the
 * admin who activates a version is not the one who added it.
 */
export async function activateDatedVersion(tx: ClaimsTx, kind: DatedKind, recordId: string, version: number, by: string, now: Date): Promise<DatedVersionRow> {
  await lockDatedVersions(tx, kind)
  const row = (await datedRows(tx, kind, { recordId })).find((r) => r.version === version)
  if (row === undefined) throw new AppError('not_found', `no such ${kind} version`)
  if (row.status === 'active') throw new AppError('conflict', 'the version is active already', { extra: { currentStatus: 'active' } })
  if (row.created_by === by) throw new AppError('forbidden', 'the version was added by you: another admin activates it (four eyes)')
  const activated = await markDatedActive(tx, kind, recordId, version, by, now)
  await audit(tx, { at: now, actor: by, action: `${kind}.activated`, subject: `${kind}:${recordId}@${version}`, details: { addedBy: row.created_by } })
  return activated
}

/** What every version shows besides its record: who added and activated it, and when. */
export function datedVersionHeader(row: DatedVersionRow) {
  return {
    id: row.record_id,
    version: row.version,
    status: row.status,
    addedBy: row.created_by,
    addedAt: row.created_at.toISOString(),
    activatedBy: row.activated_by,
    activatedAt: row.activated_at?.toISOString() ?? null,
  }
}
