/**
 * `@sme/relief`: relief decisions on existing SME loans. Its package exports the service definition
 * only: other services learn of decisions from `relief.decisions.v1` (its contract is in
 * `@sme/contracts`), never by calling relief's rules.
 */
export { reliefService, type ReliefServiceOptions } from './service.js'
