import { AppError, type Principal } from '@sme/kit'
import type { AgreementBody } from '../agreement-schema.js'
import type { GuaranteeAgreement } from '../domain/index.js'
import { agreementOf } from '../store/agreements.js'
import { datedRows, insertDatedVersion, type DatedVersionRow } from '../store/dated-versions.js'
import type { ClaimsDb, ClaimsTx } from '../store/tables.js'
import { activateDatedVersion, addDatedVersion, datedVersionHeader, SEED_AUTHOR } from './dated-versions.js'

/** A posted agreement in the domain's terms, or 422 naming every field that contradicts the rest. */
export function postedAgreement(body: AgreementBody, at: string): GuaranteeAgreement {
  const { agreement, issues } = agreementOf(body)
  if (issues.length > 0) {
    throw new AppError('unprocessable', 'the agreement contradicts itself', { extra: { errors: issues.map((i) => ({ field: `${at}${i.path}`, message: i.message })) } })
  }
  return agreement
}

/** Adds a version of an agreement as a draft; its originating agency is that of its earlier versions. */
export async function addAgreementVersion(tx: ClaimsTx, body: AgreementBody, by: string, now: Date): Promise<DatedVersionRow> {
  const agreement = postedAgreement(body, '/body/agreement')
  return addDatedVersion(tx, 'agreement', agreement, agreement.agencyId, by, now)
}

/** Activates a draft version: demands on loans guaranteed in its window are judged under it from now on (four eyes). */
export function activateAgreementVersion(tx: ClaimsTx, agreementId: string, version: number, by: string, now: Date): Promise<DatedVersionRow> {
  return activateDatedVersion(tx, 'agreement', agreementId, version, by, now)
}

/** Seeds the shipped versions, active, where they are not stored yet (a stored version is never overwritten). */
export async function seedAgreements(db: ClaimsDb, shipped: readonly GuaranteeAgreement[], now: Date): Promise<void> {
  for (const agreement of shipped) await insertDatedVersion(db, 'agreement', agreement, agreement.agencyId, SEED_AUTHOR, 'active', now)
}

/**
 * The versions a principal may read: the bank's people and systems every version and the drafts;
 * an agency only the active versions of its own agreements (their terms are between it and the bank).
 */
export async function agreementsFor(db: ClaimsDb, principal: Principal): Promise<DatedVersionRow[]> {
  if (principal.roles.includes('agency')) {
    if (principal.agency === undefined) return []
    return datedRows(db, 'agreement', { scopeId: principal.agency, activeOnly: true })
  }
  return datedRows(db, 'agreement')
}

/** A version as the API shows it. */
export function agreementVersionView(row: DatedVersionRow) {
  return { ...datedVersionHeader(row), agreement: row.definition as AgreementBody }
}
