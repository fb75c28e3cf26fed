/** Standalone guard service: configured by the environment (see the README, "Running it distributed"). */
import { runStandalone } from '@sme/kit'
import { guardOptionsFrom } from './config.js'
import { guardService } from './service.js'

try {
  await runStandalone(guardService(guardOptionsFrom()))
} catch (err) {
  console.error(`guard: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
}
