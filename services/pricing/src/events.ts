import { pricingEvents } from '@sme/contracts'
import { EventCatalogue } from '@sme/events'

/** Every event the pricing service publishes or consumes. */
export const pricingCatalogue = new EventCatalogue([...pricingEvents])
