// The pricing service's public surface. Its domain (schedules first) is pure: no I/O, no clock.
export * from './domain/schedule.js'
