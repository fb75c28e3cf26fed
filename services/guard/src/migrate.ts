/** Applies the guard service's migrations to DATABASE_URL (an explicit deployment step). */
import { migrateStandalone } from '@sme/kit'
import { guardService } from './service.js'

const applied = await migrateStandalone(guardService())
console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema guard is up to date')
