/**
 * `@sme/relief`: relief decisions on existing SME loans (issue 4): deferral, extension and renewal,
 * decided under dated policy versions, explainable and replayable. Exports the pure decision domain.
 */
export * from './domain/index.js'
