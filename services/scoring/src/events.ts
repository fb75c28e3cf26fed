import { LoanBooked, scoringEvents } from '@sme/contracts'
import { EventCatalogue } from '@sme/events'

/**
 * Every event the scoring service publishes or consumes: its own context's contracts, and core
 * banking's loan bookings (which branches serve which firm).
 */
export const scoringCatalogue = new EventCatalogue([...scoringEvents, LoanBooked])
