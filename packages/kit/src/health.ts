import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Type } from 'typebox'
import { problemResponse, sendProblem } from './errors.js'

/**
 * A readiness check: resolves truthy (or void) when the dependency is usable, false or a rejection
 * when it is not. Examples: `() => db.ping()`, `() => transport.ping()`.
 */
export type ReadinessCheck = () => Promise<boolean | void> | boolean | void

export interface HealthOptions {
  checks?: Record<string, ReadinessCheck>
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
})

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
 * Liveness says the process serves HTTP (restart it if not); readiness says its dependencies answer
 * (route traffic elsewhere if not). Both are public: probes carry no tokens.
 */
export const healthPlugin = fp<HealthOptions>(
  async (app: FastifyInstance, options) => {
    const checks = options.checks ?? {}
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
          summary: 'Readiness: every dependency answers',
          security: [],
          response: { 200: ReadySchema, 503: problemResponse('Not ready: the failing checks') },
        },
      },
      async (_request, reply) => {
        const results = await runReadinessChecks(checks, timeoutMs)
        const failing = Object.entries(results).filter(([, r]) => r.status === 'down').map(([name]) => name)
        if (failing.length > 0) {
          return sendProblem(reply, 'service_unavailable', {
            detail: `Not ready: ${failing.join(', ')} failing`,
            extra: { checks: results },
          })
        }
        return { status: 'ready' as const, checks: results }
      },
    )
  },
  { name: '@sme/kit/health', fastify: '5.x' },
)
