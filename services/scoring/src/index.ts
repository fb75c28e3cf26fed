/**
 * `@sme/scoring`: the central credit-scoring service. Its package exports the service definition
 * only; other services learn of scores through the events in `@sme/contracts`, never from here.
 */
export { scoringService } from './service.js'
