/** Standalone pricing service: configured by the environment (see the README, "Running it distributed"). */
import { runStandalone } from '@sme/kit'
import { pricingService } from './service.js'

try {
  await runStandalone(pricingService())
} catch (err) {
  console.error(`pricing: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
}
