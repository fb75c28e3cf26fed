export { guardService } from './service.js'
export * from './domain/index.js'
