import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client'

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * This app's metric registry. Other packages register their gauges here (outbox backlog,
     * consumer lag, DLQ size) so one scrape of `GET /metrics` covers the service.
     */
    metrics: Registry
  }
}

export interface MetricsOptions {
  /** Service name, added as the `service` label to every metric. */
  service: string
  /** Process metrics (CPU, memory, event loop lag, GC). Default true. */
  defaultMetrics?: boolean
  /** Exposition path; default `/metrics`. */
  path?: string
  /** Latency buckets in seconds. */
  buckets?: number[]
}

/** Label for requests that matched no route: raw URLs as labels would let any client create series. */
export const UNMATCHED_ROUTE = '(unmatched)'

/**
 * Prometheus metrics on a registry of the app's own (never prom-client's global one: two apps in
 * one process, as in the embedded runner and in tests, would collide on metric names).
 */
export const metricsPlugin = fp<MetricsOptions>(
  async (app: FastifyInstance, options) => {
    const registry = new Registry()
    registry.setDefaultLabels({ service: options.service })
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry })

    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route template, method and status code; its _count is the request rate',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: options.buckets ?? [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    })

    app.decorate('metrics', registry)

    app.addHook('onResponse', async (request, reply) => {
      const route = request.is404 ? UNMATCHED_ROUTE : (request.routeOptions.url ?? UNMATCHED_ROUTE)
      duration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000)
    })

    app.get(
      options.path ?? '/metrics',
      {
        // Scraped from inside the cluster; expose it on an internal port or network policy, not a token.
        config: { auth: false },
        schema: { hide: true },
      },
      async (_request, reply) => {
        const body = await registry.metrics()
        return reply.type(registry.contentType).send(body)
      },
    )

    app.addHook('onClose', async () => registry.clear())
  },
  { name: '@sme/kit/metrics', fastify: '5.x' },
)
