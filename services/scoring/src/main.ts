/** Standalone scoring service: configured by the environment (see the README, "Running it distributed"). */
import { runStandalone } from '@sme/kit'
import { scoringService } from './service.js'

try {
  await runStandalone(scoringService())
} catch (err) {
  console.error(`scoring: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
}
