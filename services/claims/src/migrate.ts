/** Applies the claims service's migrations to DATABASE_URL (an explicit deployment step). */
import { migrateStandalone } from '@sme/kit'
import { claimsService } from './service.js'

const applied = await migrateStandalone(claimsService())
console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema claims is up to date')
