export { scoringService } from './service.js'
export { scoringCatalogue, EnterpriseDataRecorded, ScoringRequested, ScoreCompleted, ScoringFailed } from './events.js'
export type { ScoringTables } from './store/tables.js'
