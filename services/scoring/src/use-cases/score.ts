import { randomUUID } from 'node:crypto'
import { todayIn, validateUscc, type CalendarDate } from '@sme/domain'
import { AppError, canonicalJson } from '@sme/kit'
import type { Outbox } from '@sme/events'
import { compileModel, isScoringError, scoreEnterprise, selectModels, type CompiledModel, type EnterpriseScore, type HardshipAssessment, type ScorecardModel, type ScoreResult } from '../domain/index.js'
import { toDomainPoint } from '../convert.js'
import { asStored } from '../json.js'
import { ScoreCompleted } from '@sme/contracts'
import { currentPointsOf, pointsByIds } from '../store/data-points.js'
import { allModels, modelVersion, registryStamp } from '../store/models.js'
import { insertScore, scoreByCorrelation, type ScoreRow } from '../store/scores.js'
import type { ScoringDb, ScoringTx } from '../store/tables.js'

export const DEFAULT_SEGMENT = 'sme-general'
/**
 * Default crisis start for the hardship signal: 2020-01-25, the date from which principal falling due
 * qualified for the first relief programme (POLICY §2). A request may name another crisis.
 */
export const DEFAULT_CRISIS_START = '2020-01-25' as CalendarDate

/** Compiled models by id@version: a version's definition never changes, so compiling once is enough. */
export class ModelCache {
  readonly #compiled = new Map<string, CompiledModel>()
  #registry: { stamp: string; models: ScorecardModel[] } | undefined

  /**
   * The registry, re-read only when its stamp moved (one small query instead of every model's full
   * definition per score). Every instance sees a registration on its next score.
   */
  async registry(tx: ScoringTx): Promise<ScorecardModel[]> {
    const stamp = await registryStamp(tx)
    if (this.#registry?.stamp !== stamp) this.#registry = { stamp, models: await allModels(tx) }
    return this.#registry.models
  }

  compile(model: ScorecardModel): CompiledModel {
    const key = `${model.id}@${model.version}`
    let compiled = this.#compiled.get(key)
    if (!compiled) this.#compiled.set(key, (compiled = compileModel(model)))
    // Role and effective dates live in the registry and may have changed since compilation.
    return compiled.model.effectiveTo === model.effectiveTo && compiled.model.role === model.role ? compiled : compileModel(model)
  }
}

export interface ScoreCommand {
  uscc: string
  asOf?: string | undefined
  segment?: string | undefined
  crisisStart?: string | null | undefined
  requestedBy: string
  correlationId?: string | undefined
  traceparent?: string | undefined
}

export interface ScoringDeps {
  outbox: Outbox
  models: ModelCache
  now: () => Date
}

/** A stored champion score as callers see it. */
export function scoreView(row: ScoreRow) {
  const result = row.result as ScoreResult
  return {
    id: row.id,
    uscc: row.uscc,
    asOf: row.as_of,
    model: { id: row.model_id, version: row.model_version, segment: row.segment },
    score: row.score,
    probabilityOfDefaultPpm: row.pd_ppm,
    grade: row.grade,
    reasons: result.reasons.map((r) => ({ code: r.code, text: r.text, characteristic: r.characteristicId, pointsLost: r.pointsLost })),
    characteristics: result.characteristics.map((c) => ({ id: c.id, feature: c.feature, value: c.value, missing: c.missing, binId: c.binId, points: c.points, pointsLost: c.pointsLost, reasonCode: c.reasonCode, dataPointIds: [...c.dataPointIds] })),
    hardship: (row.hardship as HardshipAssessment | null) ?? null,
    dataPointIds: row.data_point_ids as string[],
    requestedBy: row.requested_by,
    correlationId: row.correlation_id,
    createdAt: row.created_at.toISOString(),
  }
}
export type ScoreViewData = ReturnType<typeof scoreView>

/** A request the service will not score; `field` names the input at fault (a JSON pointer into the request). */
export class ScoringRefused extends Error {
  constructor(
    readonly code: 'invalid-uscc' | 'no-model' | 'invalid-request',
    message: string,
    readonly field?: string,
  ) {
    super(message)
  }
}

/**
 * Scores an enterprise on its current data: champion (stored and returned), challengers (stored in
 * shadow), hardship signal; publishes the result on scoring.results.v1 through the outbox. Runs in
 * the caller's transaction so a request's inbox entry, its score and its reply commit together.
 */
export async function scoreInTransaction(tx: ScoringTx, deps: ScoringDeps, command: ScoreCommand): Promise<ScoreRow> {
  if (command.correlationId) {
    // The same request again (redelivered, or re-sent under a new event id): one score, one reply.
    const existing = await scoreByCorrelation(tx, command.correlationId)
    if (existing) return existing
  }
  const uscc = validateUscc(command.uscc)
  if (!uscc.valid) throw new ScoringRefused('invalid-uscc', `invalid USCC (${uscc.error}): ${uscc.detail}`, '/uscc')
  const today = todayIn(deps.now())
  const asOf = (command.asOf ?? today) as CalendarDate
  // A score describes the data known on a day that has come: a later date would score data that does
  // not exist yet, and look like a forecast.
  if (asOf > today) throw new ScoringRefused('invalid-request', `asOf ${asOf} is after today (${today}, Asia/Shanghai)`, '/asOf')
  const crisisStart = command.crisisStart === undefined ? DEFAULT_CRISIS_START : command.crisisStart
  // Hardship compares the firm after the crisis began with before it: the crisis must have begun by asOf.
  if (crisisStart !== null && crisisStart > asOf) throw new ScoringRefused('invalid-request', `crisisStart ${crisisStart} is after asOf ${asOf}`, '/crisisStart')
  const segment = command.segment ?? DEFAULT_SEGMENT
  let selection
  try {
    selection = selectModels(await deps.models.registry(tx), segment, asOf)
  } catch (err) {
    if (isScoringError(err) && err.code === 'no-champion') throw new ScoringRefused('no-model', err.message)
    throw err
  }
  const points = (await currentPointsOf(tx, command.uscc, asOf)).map(toDomainPoint)
  const outcome = scoreEnterprise(
    { champion: deps.models.compile(selection.champion), challengers: selection.challengers.map((m) => deps.models.compile(m)) },
    { uscc: command.uscc, asOf, points, ...(crisisStart ? { crisis: { start: crisisStart as CalendarDate } } : {}) },
  )
  const row = await storeScores(tx, outcome, command, asOf, crisisStart)
  await deps.outbox.enqueue(
    tx,
    ScoreCompleted,
    {
      correlationId: command.correlationId ?? null,
      scoreId: row.id,
      uscc: row.uscc,
      asOf: row.as_of,
      model: { id: row.model_id, version: row.model_version, segment: row.segment },
      score: row.score,
      probabilityOfDefaultPpm: row.pd_ppm,
      grade: row.grade,
      reasons: outcome.champion.reasons.map((r) => ({ code: r.code, text: r.text, pointsLost: r.pointsLost })),
      hardship: outcome.hardship && {
        classification: outcome.hardship.classification,
        crisisStart: outcome.hardship.crisisStart,
        reasons: outcome.hardship.reasons.map((r) => ({ code: r.code, text: r.text })),
      },
      figures: {
        declaredRevenue12mFen: outcome.figures.declaredRevenue12mFen?.toString() ?? null,
        employees: outcome.figures.employees,
        employeesMonth: outcome.figures.employeesMonth,
      },
    },
    { subject: row.uscc, traceparent: command.traceparent },
  )
  return row
}

async function storeScores(tx: ScoringTx, outcome: EnterpriseScore, command: ScoreCommand, asOf: string, crisisStart: string | null): Promise<ScoreRow> {
  const id = randomUUID()
  const base = { uscc: command.uscc, as_of: asOf, requested_by: command.requestedBy, crisis_start: crisisStart, hardship: outcome.hardship }
  const row = {
    ...base,
    id,
    model_id: outcome.champion.modelId,
    model_version: outcome.champion.modelVersion,
    segment: outcome.champion.segment,
    shadow: false,
    champion_score_id: null,
    score: outcome.champion.score,
    pd_ppm: outcome.champion.pdPpm,
    grade: outcome.champion.grade,
    result: outcome.champion,
    data_point_ids: [...new Set([...outcome.champion.dataPointIds, ...(outcome.hardship?.dataPointIds ?? [])])].sort(),
    correlation_id: command.correlationId ?? null,
  }
  // The stored timestamp, not the process clock: GET /scores/:id must answer what POST answered.
  const createdAt = await insertScore(tx, row)
  for (const challenger of outcome.challengers) {
    await insertScore(tx, {
      ...base,
      id: randomUUID(),
      model_id: challenger.modelId,
      model_version: challenger.modelVersion,
      segment: challenger.segment,
      shadow: true,
      champion_score_id: id,
      score: challenger.score,
      pd_ppm: challenger.pdPpm,
      grade: challenger.grade,
      result: challenger,
      data_point_ids: [...challenger.dataPointIds],
      correlation_id: command.correlationId ?? null,
    })
  }
  return { ...row, result: asStored(row.result), hardship: asStored(row.hardship), created_at: createdAt }
}

/** HTTP face of a refusal: 422 naming the field. */
export function refusalToProblem(err: unknown): never {
  if (err instanceof ScoringRefused) {
    throw new AppError('unprocessable', err.message, err.field === undefined ? {} : { extra: { errors: [{ field: `/body${err.field}`, message: err.message }] } })
  }
  throw err
}

export interface ReplayReport {
  identical: boolean
  stored: ScoreResult
  replayed: ScoreResult
  hardshipIdentical: boolean
}

/**
 * Re-scores a stored score from exactly what it read (the recorded data-point versions) under its
 * own recorded model version: the result must be identical, whatever models or corrections came since.
 */
export async function replayScore(db: ScoringDb, models: ModelCache, row: ScoreRow): Promise<ReplayReport> {
  const model = await modelVersion(db, row.model_id, row.model_version)
  if (!model) throw new AppError('conflict', `model ${row.model_id}@${row.model_version} no longer exists`)
  const points = (await pointsByIds(db, row.data_point_ids as string[])).map(toDomainPoint)
  const outcome = scoreEnterprise(
    { champion: models.compile({ ...model, role: 'champion' }) },
    { uscc: row.uscc, asOf: row.as_of as CalendarDate, points, ...(row.crisis_start ? { crisis: { start: row.crisis_start as CalendarDate } } : {}) },
  )
  const stored = row.result as ScoreResult
  const replayed = asStored({ ...outcome.champion, role: stored.role }) as ScoreResult
  return {
    // Compared as stored (JSON, bigints as strings) with keys sorted: the jsonb columns do not keep
    // key order, so a byte comparison with the freshly built result would always differ.
    identical: canonicalJson(replayed) === canonicalJson(stored),
    hardshipIdentical: canonicalJson(asStored(outcome.hardship)) === canonicalJson(row.hardship),
    stored,
    replayed,
  }
}
