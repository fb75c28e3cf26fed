import { AppError, type Principal } from '@sme/kit'
import type { AgreementBody } from '../agreement-schema.js'
import type { GuaranteeAgreement } from '../domain/index.js'
import { agreementOf, agreementRows, insertAgreementVersion, lockAgreements, markAgreementActive, type AgreementVersionRow } from '../store/agreements.js'
import { audit } from '../store/claims.js'
import type { ClaimsDb, ClaimsTx } from '../store/tables.js'

/** The author of the shipped versions, seeded active at start. */
export const SEED_AUTHOR = 'system:seed'

/** A posted agreement in the domain's terms, or 422 naming every field that contradicts the rest. */
export function postedAgreement(body: AgreementBody, at: string): GuaranteeAgreement {
  const { agreement, issues } = agreementOf(body)
  if (issues.length > 0) {
    throw new AppError('unprocessable', 'the agreement contradicts itself', { extra: { errors: issues.map((i) => ({ field: `${at}${i.path}`, message: i.message })) } })
  }
  return agreement
}

/**
 * Adds a version of an agreement as a draft: it governs no loan until another admin activates it.
 * Versions of an agreement only increase (the highest in force on a guarantee day applies, so a
 * lower one could never take effect), never change, and keep the originating agency: the claims
 * under an agreement are that agency's to answer.
 */
export async function addAgreementVersion(tx: ClaimsTx, body: AgreementBody, by: string, now: Date): Promise<AgreementVersionRow> {
  const agreement = postedAgreement(body, '/body/agreement')
  await lockAgreements(tx)
  const versions = await agreementRows(tx, { agreementId: agreement.id })
  if (versions.some((r) => r.version === agreement.version)) throw new AppError('conflict', 'that version of the agreement exists already; versions never change: add a higher one')
  const highest = Math.max(0, ...versions.map((r) => r.version))
  if (agreement.version <= highest) throw new AppError('conflict', 'a new version of an agreement must be higher than its last', { extra: { highestVersion: highest } })
  if (versions.some((r) => r.agency_id !== agreement.agencyId)) throw new AppError('conflict', 'the originating agency of an agreement does not change between versions: record a new agreement')
  await insertAgreementVersion(tx, agreement, by, 'draft', now)
  await audit(tx, { at: now, actor: by, action: 'agreement.added', subject: `agreement:${agreement.id}@${agreement.version}`, details: { agencyId: agreement.agencyId, status: 'draft' } })
  return (await agreementRows(tx, { agreementId: agreement.id })).find((r) => r.version === agreement.version)!
}

/**
 * Activates a draft: demands on loans guaranteed in its window are judged under it from now on.
 * Four eyes: the admin who activates a version is not the one who added it.
 */
export async function activateAgreementVersion(tx: ClaimsTx, agreementId: string, version: number, by: string, now: Date): Promise<AgreementVersionRow> {
  await lockAgreements(tx)
  const row = (await agreementRows(tx, { agreementId })).find((r) => r.version === version)
  if (row === undefined) throw new AppError('not_found', 'no such agreement version')
  if (row.status === 'active') throw new AppError('conflict', 'the version is active already', { extra: { currentStatus: 'active' } })
  if (row.created_by === by) throw new AppError('forbidden', 'the version was added by you: another admin activates it (four eyes)')
  const activated = await markAgreementActive(tx, agreementId, version, by, now)
  await audit(tx, { at: now, actor: by, action: 'agreement.activated', subject: `agreement:${agreementId}@${version}`, details: { addedBy: row.created_by } })
  return activated
}

/** Seeds the shipped versions, active, where they are not stored yet (a stored version is never overwritten). */
export async function seedAgreements(db: ClaimsDb, shipped: readonly GuaranteeAgreement[], now: Date): Promise<void> {
  for (const agreement of shipped) await insertAgreementVersion(db, agreement, SEED_AUTHOR, 'active', now)
}

/**
 * The versions a principal may read: the bank's people and systems every version and the drafts;
 * an agency only the active versions of its own agreements (their terms are between it and the bank).
 */
export async function agreementsFor(db: ClaimsDb, principal: Principal): Promise<AgreementVersionRow[]> {
  if (principal.roles.includes('agency')) {
    if (principal.agency === undefined) return []
    return agreementRows(db, { agencyId: principal.agency, activeOnly: true })
  }
  return agreementRows(db)
}

/** A version as the API shows it. */
export function agreementVersionView(row: AgreementVersionRow) {
  return {
    id: row.agreement_id,
    version: row.version,
    status: row.status,
    addedBy: row.created_by,
    addedAt: row.created_at.toISOString(),
    activatedBy: row.activated_by,
    activatedAt: row.activated_at?.toISOString() ?? null,
    agreement: row.definition as AgreementBody,
  }
}
