import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Counter, Gauge, type Registry } from 'prom-client'
import { sendProblem } from './errors.js'

/** Why an instance sheds load: the signal over its limit. */
export type OverloadSignal = 'in-flight' | 'event-loop-delay' | 'pool-waiting' | 'outbox-backlog'

export interface LoadSignals {
  /** Callers waiting for a database connection. */
  poolWaiting?: () => number
  /** Events written and not yet published (a query: read at most once per `backlogEveryMs`). */
  outboxBacklog?: () => Promise<number>
}

export interface LoadSheddingOptions {
  signals: LoadSignals
  /**
   * Requests admitted and not yet answered above which new ones are shed: the instance always has
   * work queued to keep it busy, and what comes beyond is refused at once instead of waiting behind
   * it. Default 64.
   */
  maxInFlight?: number
  /** Event-loop delay (how late a 20 ms probe fires, averaged over its last ticks, weight 0.2) above which requests are shed. Default 200 ms. */
  maxEventLoopDelayMs?: number
  /** Callers waiting for a database connection above which requests are shed. Default 20. */
  maxPoolWaiting?: number
  /** Unpublished outbox events above which writes are shed (the broker is not keeping up). Default 100,000. */
  maxOutboxBacklog?: number
  /** How often the outbox backlog is looked at (read when `backlogEveryMs` has passed). Default 250 ms. */
  sampleMs?: number
  /** The outbox backlog is a query: read at most this often. Default 1,000 ms. */
  backlogEveryMs?: number
  /** `Retry-After` of a shed request, in seconds. Default 2. */
  retryAfterSeconds?: number
  /** The app's metrics registry, read once the app is ready (it may be registered after this plugin). */
  registry?: () => Registry | undefined
  /** Paths never shed: probes, metrics and documentation answer whatever the load. */
  exempt?: (url: string) => boolean
}

const DEFAULT_EXEMPT = (url: string) => url.startsWith('/health/') || url === '/metrics' || url.startsWith('/docs')
const SIGNALS: readonly OverloadSignal[] = ['in-flight', 'event-loop-delay', 'pool-waiting', 'outbox-backlog']

/**
 * Sheds load before it piles up: while the event loop lags, callers queue for database connections
 * or the outbox grows faster than the broker takes it, new requests are answered 429 with
 * `Retry-After` at once, before their body is parsed, their token verified or anything written, so
 * the instance keeps serving what it accepted at full speed instead of slowing every request down
 * until all of them time out. The event-loop delay and the pool's waiting callers are read per
 * request (two numbers); the backlog, a query, once a second, and it sheds writes only (reads do
 * not add to it). `http_requests_shed_total{signal}` and `load_shedding_active{signal}` say so.
 */
export const loadSheddingPlugin = fp<LoadSheddingOptions>(
  async (app: FastifyInstance, options) => {
    const maxInFlight = options.maxInFlight ?? 64
    const maxDelayMs = options.maxEventLoopDelayMs ?? 200
    const maxWaiting = options.maxPoolWaiting ?? 20
    const maxBacklog = options.maxOutboxBacklog ?? 100_000
    const backlogEveryMs = options.backlogEveryMs ?? 1_000
    const retryAfter = String(options.retryAfterSeconds ?? 2)
    const exempt = options.exempt ?? DEFAULT_EXEMPT

    // Event-loop delay measured by a timer of our own, how late it fires (perf_hooks' histogram did
    // not register a 400 ms block on Node 20 here), smoothed over the last ticks: one long pause (a
    // process starting, a large GC) is not overload, a loop late tick after tick is.
    const probeMs = 20
    const weight = 0.2
    let expected = performance.now() + probeMs
    let smoothed = 0
    const probe = setInterval(() => {
      const now = performance.now()
      smoothed += weight * (Math.max(0, now - expected) - smoothed)
      expected = now + probeMs
    }, probeMs)
    probe.unref()
    const delayMs = () => smoothed

    let backlogOver = false
    let readingBacklog = false
    let backlogReadAt = Number.NEGATIVE_INFINITY
    const readBacklog = () => {
      const backlog = options.signals.outboxBacklog
      if (!backlog || readingBacklog || performance.now() - backlogReadAt < backlogEveryMs) return
      readingBacklog = true
      backlogReadAt = performance.now()
      backlog()
        .then((n) => void (backlogOver = n > maxBacklog))
        .catch(() => {
          // The database is away: the pool signal and the 503s say so; the backlog is unknown.
        })
        .finally(() => void (readingBacklog = false))
    }
    const timer = setInterval(readBacklog, options.sampleMs ?? 250)
    timer.unref()

    let inFlight = 0
    const admitted = new WeakSet<object>()
    const done = (request: object) => {
      if (admitted.delete(request)) inFlight--
    }

    /** The signal over its limit now, if any. */
    const overloadedBy = (write: boolean): OverloadSignal | undefined => {
      if (inFlight >= maxInFlight) return 'in-flight'
      if (delayMs() > maxDelayMs) return 'event-loop-delay'
      if ((options.signals.poolWaiting?.() ?? 0) > maxWaiting) return 'pool-waiting'
      if (write && backlogOver) return 'outbox-backlog'
      return undefined
    }

    let shed: Counter<'signal'> | undefined
    app.addHook('onReady', async () => {
      const registry = options.registry?.()
      if (!registry) return
      shed = new Counter({ name: 'http_requests_shed_total', help: 'Requests answered 429 because the instance was overloaded, by signal', labelNames: ['signal'] as const, registers: [registry] })
      new Gauge({
        name: 'load_shedding_active',
        help: '1 while a signal is over its limit (new requests are shed), by signal',
        labelNames: ['signal'] as const,
        registers: [registry],
        collect() {
          const now = overloadedBy(true)
          for (const signal of SIGNALS) this.set({ signal }, signal === now ? 1 : 0)
        },
      })
    })
    app.addHook('onClose', async () => {
      clearInterval(timer)
      clearInterval(probe)
    })

    // A summary line per second while shedding, rather than a line per refused request (the
    // per-request line is written at debug): logging each would cost as much as what is shed.
    let shedSinceLog = 0
    let lastSignal: OverloadSignal | undefined
    const summary = setInterval(() => {
      if (shedSinceLog === 0) return
      app.log.warn({ shed: shedSinceLog, signal: lastSignal, inFlight }, 'shedding load: requests answered 429')
      shedSinceLog = 0
    }, 1_000)
    summary.unref()
    app.addHook('onClose', async () => clearInterval(summary))

    app.addHook('onRequest', async (request, reply) => {
      if (exempt(request.url)) return
      const signal = overloadedBy(request.method !== 'GET' && request.method !== 'HEAD')
      if (signal === undefined) {
        admitted.add(request)
        inFlight++
        return
      }
      shed?.inc({ signal })
      shedSinceLog++
      lastSignal = signal
      markShed(request)
      reply.header('retry-after', retryAfter)
      return sendProblem(reply, 'too_many_requests', { detail: `The service is overloaded (${signal}); retry after ${retryAfter} s` })
    })
    app.addHook('onResponse', async (request) => done(request))
    app.addHook('onRequestAbort', async (request) => done(request))

    app.decorate('loadShedding', {
      state: () => overloadedBy(true),
      readBacklogNow: () => {
        backlogReadAt = Number.NEGATIVE_INFINITY
        readBacklog()
      },
    })
  },
  { name: '@sme/kit/load-shedding', fastify: '5.x' },
)

const shedRequests = new WeakSet<object>()
function markShed(request: object): void {
  shedRequests.add(request)
}
/** True for a request this plugin answered 429: the app logs it at debug, not as a request line. */
export function wasShed(request: object): boolean {
  return shedRequests.has(request)
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The load-shedding state (for tests and diagnostics): the signal over its limit now, if any. */
    loadShedding?: { state(): OverloadSignal | undefined; readBacklogNow(): void }
  }
}
