import { sql, type Selectable } from 'kysely'
import { isCalendarDate, type CalendarDate, type ValidationIssue } from '@sme/domain'
import type { AgreementBody } from '../agreement-schema.js'
import { agreementInForce, agreementIssues, type GuaranteeAgreement } from '../domain/index.js'
import type { AgreementVersionsTable, ClaimsDb, ClaimsTx } from './tables.js'

export type AgreementVersionRow = Selectable<AgreementVersionsTable>

/**
 * An agreement in the domain's terms from its wire (or stored) form, with every issue the shape
 * could not judge (dates that do not exist, contradictions between fields), each naming its field.
 */
export function agreementOf(body: AgreementBody): { agreement: GuaranteeAgreement; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = []
  const date = (text: string, path: string): CalendarDate => {
    if (!isCalendarDate(text)) issues.push({ path, message: 'is not a date of the calendar' })
    return text as CalendarDate
  }
  const agreement: GuaranteeAgreement = {
    ...body,
    effectiveFrom: date(body.effectiveFrom, '/effectiveFrom'),
    effectiveTo: body.effectiveTo === null ? null : date(body.effectiveTo, '/effectiveTo'),
    citations: body.citations.map((c, i) => ({ ...c, date: date(c.date, `/citations/${i}/date`) })),
  }
  if (issues.length > 0) return { agreement, issues }
  return { agreement, issues: agreementIssues(agreement) }
}

/** A stored version as the domain reads it: it was judged whole when added, so it is not judged again. */
function storedAgreement(row: Pick<AgreementVersionRow, 'definition'>): GuaranteeAgreement {
  return agreementOf(row.definition as AgreementBody).agreement
}

/** Serializes the agreement versions an admin adds or activates (one writer at a time, by transaction). */
export async function lockAgreements(tx: ClaimsTx): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('claims-agreement-versions'))`.execute(tx)
}

export async function agreementRows(db: ClaimsDb | ClaimsTx, where: { agreementId?: string; agencyId?: string; activeOnly?: boolean } = {}): Promise<AgreementVersionRow[]> {
  let q = db.selectFrom('agreement_versions').selectAll().orderBy('agreement_id').orderBy('version')
  if (where.agreementId !== undefined) q = q.where('agreement_id', '=', where.agreementId)
  if (where.agencyId !== undefined) q = q.where('agency_id', '=', where.agencyId)
  if (where.activeOnly) q = q.where('status', '=', 'active')
  return q.execute()
}

/** Stores a version; false when that id and version exist already (it is never overwritten). */
export async function insertAgreementVersion(db: ClaimsDb | ClaimsTx, agreement: GuaranteeAgreement, by: string, status: 'draft' | 'active', at: Date): Promise<boolean> {
  const result = await db
    .insertInto('agreement_versions')
    .values({
      agreement_id: agreement.id,
      version: agreement.version,
      agency_id: agreement.agencyId,
      status,
      definition: JSON.stringify(agreement),
      created_by: by,
      created_at: at,
      activated_by: status === 'active' ? by : null,
      activated_at: status === 'active' ? at : null,
    })
    .onConflict((oc) => oc.columns(['agreement_id', 'version']).doNothing())
    .executeTakeFirst()
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n
}

export async function markAgreementActive(tx: ClaimsTx, agreementId: string, version: number, by: string, at: Date): Promise<AgreementVersionRow> {
  return tx
    .updateTable('agreement_versions')
    .set({ status: 'active', activated_by: by, activated_at: at })
    .where('agreement_id', '=', agreementId)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/**
 * The agreement versions claims are judged under, read from the database. An active version never
 * changes, so each is parsed once and kept; which versions are active is asked of the database
 * every time, so an activation on any instance governs the next demand everywhere.
 */
export class AgreementBook {
  readonly #active = new Map<string, GuaranteeAgreement>()

  #keep(row: AgreementVersionRow): GuaranteeAgreement {
    const key = `${row.agreement_id}@${row.version}`
    let agreement = this.#active.get(key)
    if (agreement === undefined) {
      agreement = storedAgreement(row)
      this.#active.set(key, agreement)
    }
    return agreement
  }

  /** The version of agreement `id` in force on a guarantee day, or null when none is (POLICY §5: not today's). */
  async inForce(db: ClaimsDb | ClaimsTx, agreementId: string, guaranteedOn: CalendarDate): Promise<GuaranteeAgreement | null> {
    const rows = await agreementRows(db, { agreementId, activeOnly: true })
    return agreementInForce(rows.map((r) => this.#keep(r)), agreementId, guaranteedOn)
  }

  /** The version a claim was opened under (its demand pinned it): active, so kept after the first read. */
  async pinned(db: ClaimsDb | ClaimsTx, agreementId: string, version: number): Promise<GuaranteeAgreement> {
    const kept = this.#active.get(`${agreementId}@${version}`)
    if (kept !== undefined) return kept
    const row = await db.selectFrom('agreement_versions').selectAll().where('agreement_id', '=', agreementId).where('version', '=', version).where('status', '=', 'active').executeTakeFirst()
    if (row === undefined) throw new Error(`agreement version ${agreementId}@${version} a claim was opened under is not stored`)
    return this.#keep(row)
  }
}
