import type { CalendarDate } from '@sme/domain'
import { ScoringError, type ValidationIssue } from './errors.js'
import { validateModel, type ScorecardModel } from './model.js'

/** Is `model` in force on `date` (both ends of its effective period inclusive)? */
export function isInForce(model: Pick<ScorecardModel, 'effectiveFrom' | 'effectiveTo'>, date: CalendarDate): boolean {
  return model.effectiveFrom <= date && (model.effectiveTo === null || date <= model.effectiveTo)
}

/**
 * Checks a set of models meant to be deployed together: each model valid, `id`+`version` unique,
 * and **at most one champion per segment on any date** (no two champions' effective periods
 * overlap). A segment may have gaps without a champion; {@link selectModels} reports them.
 * Paths point into the array: `/2/characteristics/0/bins`.
 */
export function validateModelSet(models: readonly ScorecardModel[]): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const versions = new Set<string>()
  models.forEach((model, index) => {
    for (const issue of validateModel(model)) issues.push({ path: `/${index}${issue.path}`, message: issue.message })
    const key = `${model?.id}@${model?.version}`
    if (versions.has(key)) issues.push({ path: `/${index}/version`, message: `model ${key} appears twice` })
    versions.add(key)
  })
  const champions = models
    .map((model, index) => ({ model, index }))
    .filter(({ model }) => model?.role === 'champion')
  for (let a = 0; a < champions.length; a++) {
    for (let b = a + 1; b < champions.length; b++) {
      const x = champions[a]
      const y = champions[b]
      if (x === undefined || y === undefined || x.model.segment !== y.model.segment) continue
      if (overlaps(x.model, y.model)) {
        issues.push({
          path: `/${y.index}/effectiveFrom`,
          message: `champion ${y.model.id}@${y.model.version} overlaps champion ${x.model.id}@${x.model.version} in segment ${x.model.segment}`,
        })
      }
    }
  }
  return issues
}

function overlaps(a: ScorecardModel, b: ScorecardModel): boolean {
  const aEndsBeforeB = a.effectiveTo !== null && a.effectiveTo < b.effectiveFrom
  const bEndsBeforeA = b.effectiveTo !== null && b.effectiveTo < a.effectiveFrom
  return !aEndsBeforeB && !bEndsBeforeA
}

/** The models to run for one enterprise: the champion decides, challengers score in shadow. */
export interface ModelSelection<M> {
  readonly champion: M
  /** In force on the date, same segment, ordered by id then version. */
  readonly challengers: readonly M[]
}

/**
 * Picks the champion and the challengers of `segment` in force on `date`. Works on plain models or
 * on anything carrying one as `model` (compiled models), so a registry can hold either.
 *
 * @throws ScoringError `no-champion` when no champion is in force, `invalid-model` when more than
 *   one is (the set was not checked with {@link validateModelSet}).
 */
export function selectModels<M extends ScorecardModel | { readonly model: ScorecardModel }>(
  models: readonly M[],
  segment: string,
  date: CalendarDate,
): ModelSelection<M> {
  const of = (m: M): ScorecardModel => ('model' in m ? m.model : m)
  const live = models.filter((m) => of(m).segment === segment && isInForce(of(m), date))
  const champions = live.filter((m) => of(m).role === 'champion')
  if (champions.length === 0) throw new ScoringError('no-champion', `no champion model for segment ${segment} on ${date}`)
  if (champions.length > 1) {
    throw new ScoringError('invalid-model', `${champions.length} champion models for segment ${segment} on ${date}: ${champions.map((m) => `${of(m).id}@${of(m).version}`).join(', ')}`)
  }
  const challengers = live
    .filter((m) => of(m).role === 'challenger')
    .sort((x, y) => {
      const a = `${of(x).id}\u0000${of(x).version}`
      const b = `${of(y).id}\u0000${of(y).version}`
      return a < b ? -1 : a > b ? 1 : 0
    })
  return { champion: champions[0] as M, challengers }
}
