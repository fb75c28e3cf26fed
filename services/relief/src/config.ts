import Type from 'typebox'
import { loadConfig } from '@sme/kit'
import type { ReliefServiceOptions } from './service.js'

/** The relief service's own settings (the kit reads the common ones: DATABASE_URL, KAFKA_BROKERS, JWT_*, …). */
export const ReliefConfigSchema = Type.Object({
  RELIEF_SCORING_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 30_000, description: 'How long an application waits for its score before it is referred' }),
  RELIEF_SWEEP_INTERVAL_MS: Type.Optional(Type.Integer({ minimum: 50, maximum: 600_000, description: 'How often the timeout sweeper looks (default: a quarter of the timeout, 250 ms – 5 s)' })),
  RELIEF_DOCUMENTS_CHECK_INTERVAL_MS: Type.Integer({ minimum: 50, maximum: 3_600_000, default: 60_000, description: 'How often documents to follow past their day are looked for' }),
  RELIEF_SHIPPED_POLICIES: Type.Union([Type.Literal('active'), Type.Literal('draft')], {
    default: 'active',
    description: 'Shipped policy versions new to the registry: active at once, or drafts an admin activates',
  }),
})

/** Options from the environment, validated once at start. */
export function reliefOptionsFrom(env: Record<string, string | undefined> = process.env): ReliefServiceOptions {
  const config = loadConfig(ReliefConfigSchema, env, [])
  return {
    scoringTimeoutMs: config.RELIEF_SCORING_TIMEOUT_MS,
    ...(config.RELIEF_SWEEP_INTERVAL_MS === undefined ? {} : { sweepIntervalMs: config.RELIEF_SWEEP_INTERVAL_MS }),
    documentsCheckIntervalMs: config.RELIEF_DOCUMENTS_CHECK_INTERVAL_MS,
    shippedPolicies: config.RELIEF_SHIPPED_POLICIES,
  }
}
