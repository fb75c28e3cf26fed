/** Applies the scoring service's migrations to DATABASE_URL (an explicit deployment step). */
import { migrateStandalone } from '@sme/kit'
import { scoringService } from './service.js'

const applied = await migrateStandalone(scoringService())
console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema scoring is up to date')
