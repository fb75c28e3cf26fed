export { claimsService } from './service.js'
export type { ClaimsOptions } from './service.js'
export * from './domain/index.js'
