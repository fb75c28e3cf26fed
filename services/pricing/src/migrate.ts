/** Applies the pricing service's migrations to DATABASE_URL (an explicit deployment step). */
import { migrateStandalone } from '@sme/kit'
import { pricingService } from './service.js'

const applied = await migrateStandalone(pricingService())
console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema pricing is up to date')
