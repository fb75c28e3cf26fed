import { loanEvents, reliefEvents, ScoreCompleted, ScoringFailed, ScoringRequested } from '@sme/contracts'
import { EventCatalogue } from '@sme/events'

/**
 * Every event the relief service publishes or consumes: its own decisions, the scoring request and
 * answers it exchanges with the scoring service, and core banking's loan events, all from
 * `@sme/contracts`.
 */
export const reliefCatalogue = new EventCatalogue([ScoringRequested, ScoreCompleted, ScoringFailed, ...reliefEvents, ...loanEvents])
