// The pricing domain: pure, no I/O, no clock.
export * from './annualized.js'
export * from './default-programmes.js'
export * from './errors.js'
export * from './programmes.js'
export * from './quote.js'
export * from './rate.js'
export * from './schedule.js'
export * from './subsidy.js'
