import Type from 'typebox'
import { loadConfig } from '@sme/kit'
import { DEFAULT_READ_MODEL_CAPACITY, type GuardOptions } from './service.js'

/** The guard's own settings (the kit reads the common ones: DATABASE_URL, KAFKA_BROKERS, JWT_*, …). */
export const GuardConfigSchema = Type.Object({
  GUARD_READ_MODEL_CAPACITY: Type.Integer({
    minimum: 0,
    maximum: 10_000_000,
    default: DEFAULT_READ_MODEL_CAPACITY,
    description: 'Borrowers, and loans, each instance holds in memory for checks (0: every check reads the database)',
  }),
})

/** Options from the environment, validated once at start. */
export function guardOptionsFrom(env: Record<string, string | undefined> = process.env): GuardOptions {
  const config = loadConfig(GuardConfigSchema, env, [])
  return { readModelCapacity: config.GUARD_READ_MODEL_CAPACITY }
}
