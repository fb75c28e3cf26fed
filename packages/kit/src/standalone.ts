import { openDatabase, type Database } from '@sme/data'
import { InProcessTransport, KafkaTransport, type Transport } from '@sme/events'
import type { Static } from 'typebox'
import { loadConfig, ServiceConfigSchema, splitList } from './config.js'
import type { TokenVerificationOptions } from './auth.js'
import { createLogger, type Logger } from './logger.js'
import { runServer, type RunningServer } from './server.js'
import { buildService, migrateService, pendingMigrations, type ServiceDefinition } from './service.js'

type Config = Static<typeof ServiceConfigSchema>

export function authOptionsFrom(config: Config): TokenVerificationOptions {
  const common = { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }
  return config.JWT_JWKS_URL ? { ...common, jwksUrl: config.JWT_JWKS_URL } : { ...common, secret: config.JWT_SECRET! }
}

export function transportFrom(config: Pick<Config, 'KAFKA_BROKERS' | 'KAFKA_CLIENT_ID' | 'KAFKA_NAMESPACE'>, name: string, logger: Logger): Transport {
  const brokers = splitList(config.KAFKA_BROKERS)
  return brokers.length > 0
    ? new KafkaTransport({ brokers, clientId: config.KAFKA_CLIENT_ID ?? `sme-relief-${name}`, logger, ...(config.KAFKA_NAMESPACE ? { namespace: config.KAFKA_NAMESPACE } : {}) })
    : new InProcessTransport()
}

function databaseFrom(config: Config, name: string): Promise<Database<any>> {
  return openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR ?? `.data/${name}`, preparedStatements: config.DATABASE_PREPARED_STATEMENTS === 'on' })
}

/**
 * Runs one service as its own process, configured by the environment (DATABASE_URL, KAFKA_BROKERS,
 * PORT, JWT_*). Migrations are an explicit step (`migrate` below): a service whose schema is behind
 * refuses to start rather than run against tables it does not know.
 */
export async function runStandalone(definition: ServiceDefinition, env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  const config = loadConfig(ServiceConfigSchema, env)
  const logger = createLogger({ name: definition.name, level: config.LOG_LEVEL })
  const database = await databaseFrom(config, definition.name)
  const pending = await pendingMigrations(database, definition)
  if (pending.length > 0) {
    await database.close()
    throw new Error(`schema ${definition.schema} has ${pending.length} pending migration(s) (${pending.join(', ')}): run the service's migrate command first`)
  }
  const transport = transportFrom(config, definition.name, logger)
  const service = await buildService(definition, {
    database,
    transport,
    logger,
    auth: authOptionsFrom(config),
    ...(config.LOAD_SHEDDING === 'on'
      ? {
          loadShedding: {
            maxInFlight: config.SHED_MAX_IN_FLIGHT,
            minInFlight: config.SHED_MIN_IN_FLIGHT,
            maxEventLoopDelayMs: config.SHED_EVENT_LOOP_DELAY_MS,
            maxPoolWaitMs: config.SHED_POOL_WAIT_MS,
            maxOutboxBacklog: config.SHED_OUTBOX_BACKLOG,
            retryAfterSeconds: config.SHED_RETRY_AFTER_SECONDS,
          },
        }
      : {}),
  })
  service.app.addHook('onClose', async () => {
    await transport.close()
    await database.close()
  })
  // HTTP first: the API serves (the outbox buffers) while the broker is away or a consumer group is
  // still being rejoined; messaging starts in the background and keeps trying until it runs.
  const server = await runServer(service.app, { host: config.HOST, port: config.PORT })
  await service.startMessaging({ background: true })
  return server
}

/** Applies a service's pending migrations to DATABASE_URL (or its PGlite directory) and exits. */
export async function migrateStandalone(definition: ServiceDefinition, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const config = loadConfig(ServiceConfigSchema, env)
  const database = await databaseFrom(config, definition.name)
  try {
    return await migrateService(database, definition)
  } finally {
    await database.close()
  }
}
