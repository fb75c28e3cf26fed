import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Database } from '@sme/data'
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifySchema,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify'
import { authPlugin, createTokenVerifier, type TokenVerificationOptions, type TokenVerifier } from './auth.js'
import { frameworkErrorHandler, installProblemHandlers, problemResponse } from './errors.js'
import { healthPlugin, type HealthOptions, type ReadinessCheck } from './health.js'
import { LoadShedder, type LoadSheddingOptions } from './load-shedder.js'
import { idempotencyPlugin } from './idempotency.js'
import { installInputGuard } from './input-guard.js'
import type { Logger } from './logger.js'
import { metricsPlugin } from './metrics.js'
import { openApiPlugin } from './openapi.js'
import { createTracing } from './tracing.js'
import { partAwareSchemaController } from './validation.js'

/** The Fastify instance every service builds on: TypeBox schemas give route types and validation. */
export type ServiceApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>

export interface ServiceAppOptions {
  /** Service name: logger binding, metrics label, OpenAPI title. */
  name: string
  version: string
  description?: string
  logger: Logger
  /** Token verification (secret or JWKS, issuer, audience), or a ready verifier. */
  auth: TokenVerificationOptions | { verifier: TokenVerifier }
  /**
   * The service's database. Enables the `database` readiness check and, with `idempotency`,
   * `reply.idempotent`. The caller owns it and closes it (e.g. in an `onClose` hook).
   */
  db?: Database<any>
  /** Idempotency-Key storage in the service's schema (needs `db` and `idempotencyMigrations`). */
  idempotency?: { schema: string; ttlMs?: number; purgeIntervalMs?: number; aroundTransaction?: <T>(transaction: () => Promise<T>) => Promise<T> }
  /** Extra readiness checks by name, for what the API cannot serve without. */
  readinessChecks?: Record<string, ReadinessCheck>
  /** Checks whose failure readiness reports as degraded without making the instance unready, e.g. `{ messaging: ... }`. */
  advisoryChecks?: Record<string, ReadinessCheck>
  /** Serves `/health/messaging` from the broker check and the messaging parts' states. */
  messagingHealth?: HealthOptions['messaging']
  /** Per-check readiness timeout in milliseconds; default 2000. */
  readinessTimeoutMs?: number
  /** Base URI of problem types; default `https://sme-relief.example/problems/`. */
  problemBaseUrl?: string
  /** Largest accepted request body in bytes; default 1 MiB (relief applications are small JSON). */
  bodyLimit?: number
  openapi?: { tags?: { name: string; description?: string }[]; servers?: { url: string; description?: string }[]; docsPath?: string | false }
  /**
   * Sheds requests with 429 at the HTTP server while the instance is overloaded (see
   * load-shedder.ts); off when absent. Only over a socket: `inject` goes around the server.
   */
  loadShedding?: LoadSheddingOptions
  /** Process metrics on the app's registry; default true. */
  defaultMetrics?: boolean
  /** Fastify `trustProxy`, for `request.ip` behind a load balancer. */
  trustProxy?: boolean | string | string[]
}

/** Inbound request ids we adopt: short, log-safe characters only; anything else gets a fresh UUID. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

const DEFAULT_BODY_LIMIT = 1024 * 1024

/**
 * Adds RFC 9457 problem schemas for 4xx/5xx to every route that declares responses, so errors are
 * serialized (and documented) as problems even where a route only lists its success responses.
 */
function withProblemResponses(schema: FastifySchema | undefined): FastifySchema | undefined {
  if (!schema?.response || typeof schema.response !== 'object') return schema
  const response = schema.response as Record<string, unknown>
  return {
    ...schema,
    response: {
      ...response,
      ...(response['4xx'] === undefined ? { '4xx': problemResponse('Client error') } : {}),
      ...(response['5xx'] === undefined ? { '5xx': problemResponse('Server error') } : {}),
    },
  }
}

/**
 * Builds a service's Fastify app with the kit's cross-cutting concerns in place, in this order:
 * problem handlers (so every later failure is a problem document), OpenAPI (must see every route),
 * tracing (first onRequest hook: errors below carry the traceId), authentication, idempotency keys,
 * metrics and health routes. It never listens: tests inject, `runServer` listens. The service then
 * registers its routes plugin on the returned app.
 */
export async function createServiceApp(options: ServiceAppOptions): Promise<ServiceApp> {
  const tracing = createTracing()
  const shedder = options.loadShedding
    ? new LoadShedder({ ...(options.problemBaseUrl ? { problemBaseUrl: options.problemBaseUrl } : {}), ...options.loadShedding, logger: options.logger })
    : undefined
  const app = Fastify({
    ...(shedder ? { serverFactory: sheddingServer(shedder) } : {}),
    loggerInstance: options.logger as FastifyBaseLogger,
    genReqId: (req) => {
      const inbound = req.headers['x-request-id']
      return typeof inbound === 'string' && REQUEST_ID.test(inbound) ? inbound : randomUUID()
    },
    childLoggerFactory: tracing.childLoggerFactory,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // While closing, answer 503 so load balancers move traffic before the socket goes away.
    return503OnClosing: true,
    // The router's own refusals (bad percent-encoding, over-long parameters) as problem documents.
    frameworkErrors: frameworkErrorHandler,
    // One line per request (below) instead of Fastify's two: logging is a large share of a small
    // route's cost.
    logController: new LogController({ disableRequestLogging: true }),
    schemaController: partAwareSchemaController(),
    ...(options.trustProxy === undefined ? {} : { trustProxy: options.trustProxy }),
  }).withTypeProvider<TypeBoxTypeProvider>()

  installProblemHandlers(app, options.problemBaseUrl ? { baseUrl: options.problemBaseUrl } : {})
  // The APIs speak JSON only. Fastify also parses text/plain by default, which would turn a
  // mislabelled body into a string and a confusing validation error instead of a clear 415.
  app.removeContentTypeParser('text/plain')
  // Depth, text PostgreSQL cannot store, unsafe integers: refused with a 400 before any handler.
  installInputGuard(app)

  const idempotencyEnabled = options.idempotency !== undefined
  if (idempotencyEnabled && !options.db) throw new Error('createServiceApp: idempotency needs db')
  app.addHook('onRoute', (route) => {
    route.schema = withProblemResponses(route.schema)
    // Fail at start, not at the first request, when a route asks for what the app does not provide.
    if (route.config?.idempotency !== undefined && !idempotencyEnabled) {
      throw new Error(`route ${route.method} ${route.url} uses idempotency but the app has no idempotency storage`)
    }
  })

  await app.register(openApiPlugin, {
    title: options.name,
    version: options.version,
    ...(options.description ? { description: options.description } : {}),
    ...(options.openapi?.tags ? { tags: options.openapi.tags } : {}),
    ...(options.openapi?.servers ? { servers: options.openapi.servers } : {}),
    ...(options.openapi?.docsPath !== undefined ? { docsPath: options.openapi.docsPath } : {}),
  })
  await app.register(tracing.plugin)
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  app.addHook('onResponse', async (request, reply) => {
    // Who asked (attribution), which route, how it ended. The route's pattern, never the URL: a path
    // or a query may hold an identity number or a name, whatever the route expects there.
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? null,
        subject: request.principalOrNull?.subject ?? null,
        statusCode: reply.statusCode,
        responseTimeMs: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request completed',
    )
  })

  const verifier = 'verifier' in options.auth ? options.auth.verifier : createTokenVerifier(options.auth)
  await app.register(authPlugin, { verifier })

  if (options.idempotency && options.db) {
    await app.register(idempotencyPlugin, {
      db: options.db.db,
      schema: options.idempotency.schema,
      ...(options.idempotency.aroundTransaction === undefined ? {} : { aroundTransaction: options.idempotency.aroundTransaction }),
      ...(options.idempotency.ttlMs === undefined ? {} : { ttlMs: options.idempotency.ttlMs }),
      ...(options.idempotency.purgeIntervalMs === undefined ? {} : { purgeIntervalMs: options.idempotency.purgeIntervalMs }),
    })
  }

  await app.register(metricsPlugin, { service: options.name, defaultMetrics: options.defaultMetrics ?? true })
  if (shedder) {
    shedder.exportMetrics(app.metrics)
    app.decorate('loadShedding', shedder)
    app.addHook('onClose', async () => shedder.close())
  }

  const db = options.db
  await app.register(healthPlugin, {
    checks: { ...(db ? { database: () => db.ping() } : {}), ...options.readinessChecks },
    ...(options.advisoryChecks ? { advisoryChecks: options.advisoryChecks } : {}),
    ...(options.messagingHealth ? { messaging: options.messagingHealth } : {}),
    ...(options.readinessTimeoutMs === undefined ? {} : { timeoutMs: options.readinessTimeoutMs }),
  })

  return app
}

/**
 * The HTTP server Fastify would create, with the shedder at its door: a request it refuses never
 * becomes a Fastify request. The server settings Fastify applies to a server of its own are applied
 * here the same way.
 */
function sheddingServer(shedder: LoadShedder) {
  return (handler: (request: IncomingMessage, response: ServerResponse) => void, settings: FastifyServerSettings) => {
    const server = createServer((request, response) => {
      if (shedder.admit(request, response)) handler(request, response)
    })
    if (settings.keepAliveTimeout !== undefined) server.keepAliveTimeout = settings.keepAliveTimeout
    if (settings.requestTimeout !== undefined) server.requestTimeout = settings.requestTimeout
    if (settings.connectionTimeout !== undefined) server.setTimeout(settings.connectionTimeout)
    if (settings.maxRequestsPerSocket) server.maxRequestsPerSocket = settings.maxRequestsPerSocket
    return server
  }
}

/** The settings Fastify hands a server factory that concern an HTTP/1 server. */
interface FastifyServerSettings {
  keepAliveTimeout?: number
  requestTimeout?: number
  connectionTimeout?: number
  maxRequestsPerSocket?: number | null
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The load shedder (diagnostics and tests), when the app sheds load. */
    loadShedding?: LoadShedder
  }
}
