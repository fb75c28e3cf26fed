import { claimsService } from '@sme/claims'
import { guardService } from '@sme/guard'
import type { ServiceDefinition } from '@sme/kit'
import { pricingService } from '@sme/pricing'
import { reliefService } from '@sme/relief'
import { scoringService } from '@sme/scoring'

/**
 * Every service of the platform, in start order. The embedded runner, the document generator and
 * the cross-service tests take them from here; each also has a standalone entry point of its own.
 */
export const SERVICES: ServiceDefinition[] = [scoringService(), reliefService(), pricingService(), guardService(), claimsService()]

/** Default port of each service, embedded and standalone alike. */
export const PORTS: Record<string, number> = {
  scoring: 4001,
  relief: 4002,
  pricing: 4003,
  guard: 4004,
  claims: 4005,
}
