/** Standalone scoring service: configured by the environment (see the README, "Running it distributed"). */
import { runStandalone } from '@sme/kit'
import { scoringService } from './service.js'

await runStandalone(scoringService())
