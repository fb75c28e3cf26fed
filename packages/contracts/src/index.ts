/**
 * `@sme/contracts`: the platform's published language. One module per producing context, each with
 * its event definitions; the wire building blocks and vocabularies they share. A service depends on
 * this package, never on another service (the dependency check in `npm test` enforces it).
 */
import { EventCatalogue } from '@sme/events'
import { agencyResponseEvents, claimEvents } from './claims.js'
import { guardEvents } from './guard.js'
import { loanEvents } from './loans.js'
import { pricingEvents } from './pricing.js'
import { reliefEvents } from './relief.js'
import { scoringEvents } from './scoring.js'

export * from './vocabulary.js'
export * from './wire.js'
export * from './scoring.js'
export * from './relief.js'
export * from './loans.js'
export * from './pricing.js'
export * from './guard.js'
export * from './claims.js'

/** Every event of the platform, for the AsyncAPI document and for tools (console consumers, replays). */
export const platformEvents = new EventCatalogue([...scoringEvents, ...reliefEvents, ...loanEvents, ...pricingEvents, ...guardEvents, ...claimEvents, ...agencyResponseEvents])
