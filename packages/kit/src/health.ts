import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Type } from 'typebox'
import { problemResponse, sendProblem } from './errors.js'
import type { MessagingPartStatus } from './messaging.js'

/**
 * A readiness check: resolves truthy (or void) when the dependency is usable, false or a rejection
 * when it is not. Examples: `() => db.ping()`, `() => transport.ping()`.
 */
export type ReadinessCheck = () => Promise<boolean | void> | boolean | void

export interface HealthOptions {
  /** What the instance needs to serve its HTTP API (its database): one down makes it unready. */
  checks?: Record<string, ReadinessCheck>
  /**
   * What the instance can serve its API without (the broker: the outbox buffers): one down is
   * reported in readiness as `degraded` and leaves the instance ready, so a load balancer keeps
   * sending it requests it can answer.
   */
  advisoryChecks?: Record<string, ReadinessCheck>
  /** Messaging health, served apart at `/health/messaging`: the broker and each part's state. */
  messaging?: { broker: ReadinessCheck; parts: () => Record<string, MessagingPartStatus> }
  /** Per-check time limit in milliseconds; a slow dependency counts as down. Default 2000. */
  timeoutMs?: number
}

export interface CheckResult {
  status: 'up' | 'down'
  durationMs: number
  /** Why the check failed ("timed out", "returned false", an error message); absent when up. */
  reason?: string
}

const CheckResultSchema = Type.Object({
  status: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  durationMs: Type.Number(),
  reason: Type.Optional(Type.String()),
})

const ReadySchema = Type.Object({
  status: Type.Literal('ready'),
  checks: Type.Record(Type.String(), CheckResultSchema),
  degraded: Type.Optional(Type.Array(Type.String(), { description: 'Advisory checks that are down: the API serves, something behind it waits (e.g. publication to the broker)' })),
})

const MessagingPartSchema = Type.Object({
  state: Type.Union([Type.Literal('starting'), Type.Literal('retrying'), Type.Literal('running'), Type.Literal('stopped')]),
  since: Type.String({ format: 'date-time' }),
  failures: Type.Integer({ minimum: 0 }),
  lastError: Type.Optional(Type.String()),
})

const MessagingSchema = Type.Object({
  status: Type.Literal('up'),
  broker: CheckResultSchema,
  parts: Type.Record(Type.String(), MessagingPartSchema),
})

/** What a probe's 503 suggests as the time to ask again. */
const RETRY_AFTER_SECONDS = 5

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now()
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs)
  })
  try {
    const outcome = await Promise.race([Promise.resolve().then(check), timeout])
    const durationMs = Math.round(performance.now() - started)
    if (outcome === 'timeout') return { status: 'down', durationMs, reason: `timed out after ${timeoutMs} ms` }
    if (outcome === false) return { status: 'down', durationMs, reason: 'returned false' }
    return { status: 'up', durationMs }
  } catch (error) {
    // Check errors are about our own dependencies (e.g. "connection refused"), useful to operators
    // and not personal data; they stay short.
    const reason = error instanceof Error ? error.message.slice(0, 200) : 'failed'
    return { status: 'down', durationMs: Math.round(performance.now() - started), reason }
  } finally {
    clearTimeout(timer)
  }
}

/** Runs all checks concurrently, each with its own timeout. */
export async function runReadinessChecks(checks: Record<string, ReadinessCheck>, timeoutMs = 2000): Promise<Record<string, CheckResult>> {
  const entries = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await runCheck(check, timeoutMs)] as const))
  return Object.fromEntries(entries)
}

/**
 * Liveness says the process serves HTTP (restart it if not); readiness says it can serve its API
 * (route traffic elsewhere if not); messaging health says whether its events flow (alert if not,
 * but keep routing: intake goes on while the outbox buffers). All public: probes carry no tokens.
 */
export const healthPlugin = fp<HealthOptions>(
  async (app: FastifyInstance, options) => {
    const checks = options.checks ?? {}
    const advisory = options.advisoryChecks ?? {}
    const timeoutMs = options.timeoutMs ?? 2000

    app.get(
      '/health/live',
      {
        config: { auth: false },
        schema: {
          tags: ['health'],
          summary: 'Liveness: the process is up',
          security: [],
          response: { 200: Type.Object({ status: Type.Literal('live') }) },
        },
      },
      async () => ({ status: 'live' as const }),
    )

    app.get(
      '/health/ready',
      {
        config: { auth: false },
        schema: {
          tags: ['health'],
          summary: 'Readiness: the instance can serve its API (advisory checks down are reported as degraded)',
          security: [],
          response: { 200: ReadySchema, 503: problemResponse('Not ready: the failing checks') },
        },
      },
      async (_request, reply) => {
        const [required, optional] = await Promise.all([runReadinessChecks(checks, timeoutMs), runReadinessChecks(advisory, timeoutMs)])
        const results = { ...optional, ...required }
        const failing = Object.entries(required).filter(([, r]) => r.status === 'down').map(([name]) => name)
        const degraded = Object.entries(optional).filter(([, r]) => r.status === 'down').map(([name]) => name)
        if (failing.length > 0) {
          reply.header('retry-after', String(RETRY_AFTER_SECONDS))
          return sendProblem(reply, 'service_unavailable', {
            detail: `Not ready: ${failing.join(', ')} failing`,
            extra: { checks: results, ...(degraded.length > 0 ? { degraded } : {}) },
          })
        }
        return { status: 'ready' as const, checks: results, ...(degraded.length > 0 ? { degraded } : {}) }
      },
    )

    const messaging = options.messaging
    if (messaging) {
      app.get(
        '/health/messaging',
        {
          config: { auth: false },
          schema: {
            tags: ['health'],
            summary: 'Messaging: the broker answers and every part (topics, outbox relay, consumers) runs',
            security: [],
            response: { 200: MessagingSchema, 503: problemResponse('Messaging degraded: the broker or a part that does not run') },
          },
        },
        async (_request, reply) => {
          const broker = await runCheck(messaging.broker, timeoutMs)
          const parts = messaging.parts()
          const notRunning = Object.entries(parts).filter(([, p]) => p.state !== 'running').map(([name]) => name)
          if (broker.status === 'down' || notRunning.length > 0 || Object.keys(parts).length === 0) {
            reply.header('retry-after', String(RETRY_AFTER_SECONDS))
            const why = [...(broker.status === 'down' ? ['broker down'] : []), ...notRunning.map((name) => `${name} ${parts[name]!.state}`)]
            return sendProblem(reply, 'service_unavailable', {
              detail: `Messaging degraded: ${why.length > 0 ? why.join(', ') : 'not started'}`,
              extra: { broker, parts },
            })
          }
          return { status: 'up' as const, broker, parts }
        },
      )
    }
  },
  { name: '@sme/kit/health', fastify: '5.x' },
)
