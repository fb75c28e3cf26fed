import type { CalendarDate } from '@sme/domain'
import type { ScorecardModel } from '../domain/index.js'
import type { ScoringDb, ScoringTx } from './tables.js'

export async function allModels(db: ScoringDb | ScoringTx): Promise<ScorecardModel[]> {
  const rows = await db.selectFrom('models').select(['definition', 'role', 'effective_from', 'effective_to']).orderBy('id').orderBy('version').execute()
  // The registry columns are the truth for role and effective period (they change when a successor
  // is activated); the definition holds everything that decides a score.
  return rows.map((r) => ({ ...r.definition, role: r.role, effectiveFrom: r.effective_from, effectiveTo: r.effective_to }))
}

export async function modelVersion(db: ScoringDb | ScoringTx, id: string, version: string): Promise<ScorecardModel | undefined> {
  const row = await db.selectFrom('models').select(['definition', 'role', 'effective_from', 'effective_to']).where('id', '=', id).where('version', '=', version).executeTakeFirst()
  return row && { ...row.definition, role: row.role, effectiveFrom: row.effective_from, effectiveTo: row.effective_to }
}

export async function insertModel(tx: ScoringTx, model: ScorecardModel, createdBy: string): Promise<void> {
  await tx
    .insertInto('models')
    .values({
      id: model.id,
      version: model.version,
      segment: model.segment,
      role: model.role,
      effective_from: model.effectiveFrom,
      effective_to: model.effectiveTo,
      definition: JSON.stringify(model),
      created_by: createdBy,
    })
    .execute()
}

export async function setEffectiveTo(tx: ScoringTx, id: string, version: string, effectiveTo: CalendarDate): Promise<void> {
  await tx.updateTable('models').set({ effective_to: effectiveTo }).where('id', '=', id).where('version', '=', version).execute()
}

/**
 * A cheap fingerprint of the registry: it changes whenever a version is registered (which is also
 * when a predecessor's period is closed, in the same transaction).
 */
export async function registryStamp(db: ScoringDb | ScoringTx): Promise<string> {
  const row = await db
    .selectFrom('models')
    .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.max('created_at').as('latest')])
    .executeTakeFirstOrThrow()
  return `${row.n}|${row.latest instanceof Date ? row.latest.toISOString() : String(row.latest)}`
}
