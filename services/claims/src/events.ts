import { agencyResponseEvents, claimEvents, loanEvents } from '@sme/contracts'
import { EventCatalogue } from '@sme/events'

/** Every event the claims service publishes or consumes, all from `@sme/contracts`. */
export const claimsCatalogue = new EventCatalogue([...claimEvents, ...agencyResponseEvents, ...loanEvents])
