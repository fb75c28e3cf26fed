/**
 * `@sme/relief`: relief decisions on existing SME loans (issue 4): deferral, extension and renewal,
 * decided under dated policy versions, explainable, reviewable and replayable. Exports the service
 * definition, its events and the pure decision domain.
 */
export * from './domain/index.js'
export { reliefService, type ReliefServiceOptions } from './service.js'
export { reliefCatalogue, ReliefDecided, type ReliefDecidedData } from './events.js'
export type { ReliefTables } from './store/tables.js'
