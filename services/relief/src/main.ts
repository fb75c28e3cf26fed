/** Standalone relief service: configured by the environment (see the README, "Running it"). */
import { runStandalone } from '@sme/kit'
import { reliefOptionsFrom } from './config.js'
import { reliefService } from './service.js'

try {
  await runStandalone(reliefService(reliefOptionsFrom()))
} catch (err) {
  console.error(`relief: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
}
