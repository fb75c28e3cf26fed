import { scoringEvents } from '@sme/contracts'
import { EventCatalogue } from '@sme/events'

/** Every event the scoring service publishes or consumes: all of them its own context's contracts. */
export const scoringCatalogue = new EventCatalogue(scoringEvents)
