import { addDays, type CalendarDate } from '@sme/domain'
import { AppError } from '@sme/kit'
import { sql } from 'kysely'
import { DEFAULT_MODEL, validateModel, validateModelSet, type ScorecardModel } from '../domain/index.js'
import { allModels, insertModel, setEffectiveTo } from '../store/models.js'
import type { ScoringTx } from '../store/tables.js'

/**
 * Registers a model version. A new champion whose segment already has an open-ended champion takes
 * over from its effective date: the predecessor's period is closed the day before, so exactly one
 * champion is in force per segment on any date. Any other overlap of champions is refused (409).
 * Only the registry's role and effective period ever change; a version's scoring content never does.
 */
export async function registerModel(tx: ScoringTx, model: ScorecardModel, createdBy: string): Promise<{ closed: { id: string; version: string; effectiveTo: CalendarDate }[] }> {
  const issues = validateModel(model)
  if (issues.length) {
    throw new AppError('unprocessable', `the model is invalid: ${issues[0]!.path} ${issues[0]!.message}`, {
      extra: { errors: issues.slice(0, 50).map((i) => ({ field: `/body${i.path}`, message: i.message })) },
    })
  }
  // Serialise registry changes: two admins activating champions at once must not both succeed.
  await sql`select pg_advisory_xact_lock(hashtext('scoring-model-registry'))`.execute(tx)
  const existing = await allModels(tx)
  if (existing.some((m) => m.id === model.id && m.version === model.version)) {
    throw new AppError('conflict', `model ${model.id}@${model.version} already exists; versions are immutable, register a new version`)
  }
  const closed: { id: string; version: string; effectiveTo: CalendarDate }[] = []
  let registry = existing
  if (model.role === 'champion') {
    const predecessor = existing.find((m) => m.role === 'champion' && m.segment === model.segment && m.effectiveTo === null && m.effectiveFrom < model.effectiveFrom)
    if (predecessor) {
      const effectiveTo = addDays(model.effectiveFrom, -1)
      closed.push({ id: predecessor.id, version: predecessor.version, effectiveTo })
      registry = existing.map((m) => (m === predecessor ? { ...m, effectiveTo } : m))
    }
  }
  const setIssues = validateModelSet([...registry, model])
  if (setIssues.length) {
    throw new AppError('conflict', `the model registry would be inconsistent: ${setIssues[0]!.message}`)
  }
  for (const c of closed) await setEffectiveTo(tx, c.id, c.version, c.effectiveTo)
  await insertModel(tx, model, createdBy)
  return { closed }
}

/** Installs the shipped default model once, when the registry is empty. */
export async function ensureDefaultModel(tx: ScoringTx): Promise<boolean> {
  await sql`select pg_advisory_xact_lock(hashtext('scoring-model-registry'))`.execute(tx)
  const any = await tx.selectFrom('models').select('id').limit(1).executeTakeFirst()
  if (any) return false
  await insertModel(tx, DEFAULT_MODEL, 'system')
  return true
}
