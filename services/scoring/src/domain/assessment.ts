import type { CalendarDate } from '@sme/domain'
import type { DataPoint } from './data-points.js'
import { deriveFeatures, type FeatureSet } from './features.js'
import { observedFigures, type ObservedFigures } from './figures.js'
import { assessHardship, type HardshipAssessment, type HardshipPolicy } from './hardship.js'
import type { CompiledModel, ScoreResult } from './scorecard.js'

export interface EnterpriseScoringInput {
  readonly uscc: string
  /** Scoring date (Asia/Shanghai), from the caller's clock or the date being replayed. */
  readonly asOf: CalendarDate
  /** Current versions of the enterprise's data points. */
  readonly points: readonly DataPoint[]
  readonly usccExceptions?: ReadonlyMap<string, string>
  /** When given, the hardship signal is assessed against the baseline before `start`. */
  readonly crisis?: { readonly start: CalendarDate; readonly policy?: HardshipPolicy }
}

/** Everything one scoring produces, ready to store: features (with lineage), scores, hardship. */
export interface EnterpriseScore {
  /** The features the champion scored. */
  readonly features: FeatureSet
  readonly champion: ScoreResult
  /** Challengers scored in shadow, each on features derived under its own freshness windows. */
  readonly challengers: readonly ScoreResult[]
  /** `null` when no crisis was given. */
  readonly hardship: HardshipAssessment | null
  /** The firm's size figures as the data the champion read shows them (reported, never scored). */
  readonly figures: ObservedFigures
}

/**
 * Derives the features, scores them with the champion and every challenger, and assesses hardship:
 * the one call the scoring service needs per request. Pure: the same input gives a deep-equal
 * result. Models are picked beforehand (`selectModels`).
 */
export function scoreEnterprise(
  models: { readonly champion: CompiledModel; readonly challengers?: readonly CompiledModel[] },
  input: EnterpriseScoringInput,
): EnterpriseScore {
  const derive = (model: CompiledModel): FeatureSet =>
    deriveFeatures({
      uscc: input.uscc,
      asOf: input.asOf,
      points: input.points,
      freshness: model.model.freshness,
      ...(input.usccExceptions === undefined ? {} : { usccExceptions: input.usccExceptions }),
    })
  const features = derive(models.champion)
  const championFreshness = JSON.stringify(models.champion.model.freshness)
  return {
    features,
    champion: models.champion.evaluate(features),
    challengers: (models.challengers ?? []).map((challenger) =>
      challenger.evaluate(JSON.stringify(challenger.model.freshness) === championFreshness ? features : derive(challenger)),
    ),
    hardship:
      input.crisis === undefined
        ? null
        : assessHardship({
            points: input.points,
            asOf: input.asOf,
            crisisStart: input.crisis.start,
            ...(input.crisis.policy === undefined ? {} : { policy: input.crisis.policy }),
          }),
    figures: observedFigures(input.points, input.asOf, models.champion.model.freshness),
  }
}
