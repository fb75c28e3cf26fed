/** Applies the relief service's migrations to DATABASE_URL (an explicit deployment step). */
import { migrateStandalone } from '@sme/kit'
import { reliefService } from './service.js'

const applied = await migrateStandalone(reliefService())
console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema relief is up to date')
