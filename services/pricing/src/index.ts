// The pricing service's public surface. Its domain is pure: no I/O, no clock.
export * from './domain/annualized.js'
export * from './domain/default-programmes.js'
export * from './domain/errors.js'
export * from './domain/programmes.js'
export * from './domain/quote.js'
export * from './domain/rate.js'
export * from './domain/schedule.js'
export * from './domain/subsidy.js'
