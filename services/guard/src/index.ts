export { guardService } from './service.js'
export type { GuardOptions } from './service.js'
export * from './domain/index.js'
