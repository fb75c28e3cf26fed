import { guardEvents, KeyListEntryRecorded, loanEvents, ReliefDecidedV2, ScoreCompleted, ScoringFailed } from '@sme/contracts'
import { EventCatalogue } from '@sme/events'

/**
 * Every event the guard publishes or consumes, all from `@sme/contracts`: its verdicts, the relief
 * decisions, the scores, the key-enterprise lists and core banking's loan events its read model is
 * built from.
 */
export const guardCatalogue = new EventCatalogue([...guardEvents, ReliefDecidedV2, ScoreCompleted, ScoringFailed, KeyListEntryRecorded, ...loanEvents])
