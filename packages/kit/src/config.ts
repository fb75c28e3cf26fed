import { Ajv, type ErrorObject } from 'ajv'
import addFormatsModule from 'ajv-formats'
import envSchema from 'env-schema'
import { Type, type Static, type TObject, type TProperties } from 'typebox'

const addFormats = addFormatsModule.default

/**
 * Keys every service reads. Services extend them:
 * `Type.Object({ ...ServiceConfigSchema.properties, MY_KEY: Type.String() })`.
 * Absent optional infrastructure keys select the embedded default (PGlite, in-process transport),
 * so one command runs the platform; a deployment sets them.
 */
export const ServiceConfigSchema = Type.Object({
  HOST: Type.String({ default: '127.0.0.1', minLength: 1, description: 'Interface to listen on' }),
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
  DATABASE_URL: Type.Optional(
    Type.String({ pattern: '^postgres(ql)?://', description: 'PostgreSQL URL; absent: embedded PGlite' }),
  ),
  DATABASE_PREPARED_STATEMENTS: Type.Enum(['on', 'off'], {
    default: 'on',
    description: 'Run hot-path statements as named prepared statements; off behind a pooler in transaction mode that cannot follow them (PgBouncer before 1.21)',
  }),
  DATA_DIR: Type.Optional(Type.String({ minLength: 1, description: 'PGlite data directory; absent: in memory' })),
  KAFKA_BROKERS: Type.Optional(
    Type.String({
      pattern: '^[^,\\s]+(,[^,\\s]+)*$',
      description: 'Comma-separated host:port list; absent: in-process transport',
    }),
  ),
  KAFKA_CLIENT_ID: Type.Optional(Type.String({ minLength: 1 })),
  KAFKA_NAMESPACE: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,31}$', description: 'Prefix of topics and consumer groups, for environments sharing a cluster' })),
  JWT_SECRET: Type.Optional(
    Type.String({ minLength: 32, description: 'HS256 shared secret, for development and tests only' }),
  ),
  JWT_JWKS_URL: Type.Optional(Type.String({ format: 'uri', pattern: '^https?://', description: 'JWKS of the identity provider (RS256/ES256)' })),
  JWT_ISSUER: Type.String({ minLength: 1 }),
  JWT_AUDIENCE: Type.String({ minLength: 1 }),
  LOAD_SHEDDING: Type.Enum(['on', 'off'], { default: 'on', description: 'Answer 429 with Retry-After at the HTTP server while the instance is overloaded' }),
  SHED_MAX_IN_FLIGHT: Type.Integer({ minimum: 1, maximum: 100_000, default: 256, description: 'The most requests in flight; beyond it new ones are shed' }),
  SHED_MIN_IN_FLIGHT: Type.Integer({ minimum: 1, maximum: 100_000, default: 40, description: 'The least the limit of requests in flight goes down to while the database pool is congested' }),
  SHED_EVENT_LOOP_DELAY_MS: Type.Integer({ minimum: 20, maximum: 60_000, default: 200, description: 'Smoothed event-loop delay above which requests are shed' }),
  SHED_POOL_WAIT_MS: Type.Integer({ minimum: 1, maximum: 60_000, default: 100, description: 'Wait of the first caller in line for a database connection above which the pool counts as congested (the limit of requests in flight goes down)' }),
  SHED_OUTBOX_BACKLOG: Type.Integer({ minimum: 1, maximum: 100_000_000, default: 100_000, description: 'Unpublished events above which writes are shed' }),
  SHED_RETRY_AFTER_SECONDS: Type.Integer({ minimum: 1, maximum: 3_600, default: 1, description: 'Retry-After of a shed request' }),
})
export type ServiceConfig = Static<typeof ServiceConfigSchema>

/** A check across keys; returns the message for each violation (naming the keys), none when fine. */
export type ConfigRule = (config: Record<string, unknown>, schema: TObject) => string[]

/**
 * Exactly one token verification method: a deployment with both would silently accept tokens signed
 * with the shared development secret. Applies to any schema that declares both keys.
 */
export const exactlyOneJwtKeySource: ConfigRule = (config, schema) => {
  if (!('JWT_SECRET' in schema.properties) || !('JWT_JWKS_URL' in schema.properties)) return []
  const set = ['JWT_SECRET', 'JWT_JWKS_URL'].filter((k) => config[k] !== undefined && config[k] !== '')
  if (set.length === 1) return []
  return set.length === 0
    ? ['JWT_SECRET or JWT_JWKS_URL: one must be set']
    : ['JWT_SECRET and JWT_JWKS_URL: set only one']
}

export const defaultConfigRules: readonly ConfigRule[] = [exactlyOneJwtKeySource]

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`)
    this.name = 'ConfigError'
  }
}

function describe(error: ErrorObject): string {
  const key = error.instancePath.replace(/^\//, '')
  if (error.keyword === 'required') return `${String(error.params.missingProperty)}: is required`
  // Values are never echoed: they may be secrets.
  return `${key}: ${error.message ?? 'is invalid'}`
}

/**
 * Reads and validates configuration once, at start. `env` is injectable so tests never touch
 * `process.env`. Coerces strings to the schema's types, applies defaults, ignores unrelated
 * variables, and throws a {@link ConfigError} naming every bad key (never its value).
 */
export function loadConfig<P extends TProperties>(
  schema: TObject<P>,
  env: Record<string, string | undefined> = process.env,
  rules: readonly ConfigRule[] = defaultConfigRules,
): Static<TObject<P>> {
  // Only the declared keys, and empty strings count as absent (a common shell idiom: `KEY= cmd`).
  const data: Record<string, string> = {}
  for (const key of Object.keys(schema.properties)) {
    const value = env[key]
    if (value !== undefined && value !== '') data[key] = value
  }
  const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, removeAdditional: true, allowUnionTypes: true })
  addFormats(ajv)
  let config: Record<string, unknown>
  try {
    // env-schema mutates the schema it is given (additionalProperties); hand it a copy.
    config = envSchema({ schema: { ...schema }, data, env: false, dotenv: false, ajv }) as Record<string, unknown>
  } catch (error) {
    const errors = (error as { errors?: ErrorObject[] }).errors
    if (!errors) throw error
    const problems = [...new Set(errors.map(describe))]
    throw new ConfigError(problems)
  }
  const problems = rules.flatMap((rule) => rule(config, schema))
  if (problems.length > 0) throw new ConfigError(problems)
  return config as Static<TObject<P>>
}

/** Splits a comma list such as KAFKA_BROKERS. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0)
}
