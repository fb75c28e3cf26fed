import { loanEvents, pricingEvents, ReliefDecidedV2, ScoreCompleted, ScoringFailed } from '@sme/contracts'
import { EventCatalogue } from '@sme/events'

/**
 * Every event the pricing service publishes or consumes: its quotes, the relief decisions it
 * re-prices, the grades scoring publishes, and core banking's loan events, all from `@sme/contracts`.
 */
export const pricingCatalogue = new EventCatalogue([...pricingEvents, ReliefDecidedV2, ScoreCompleted, ScoringFailed, ...loanEvents])
