/** Standalone claims service: configured by the environment (see the README, "Running it distributed"). */
import { runStandalone } from '@sme/kit'
import { claimsService } from './service.js'

try {
  await runStandalone(claimsService())
} catch (err) {
  console.error(`claims: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
}
