export { pricingService } from './service.js'
export * from './domain/index.js'
