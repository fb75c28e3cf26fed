import type { IncomingMessage, ServerResponse } from 'node:http'
import { Counter, Gauge, type Registry } from 'prom-client'
import { DEFAULT_PROBLEM_BASE_URL, PROBLEM_CONTENT_TYPE, problem } from './errors.js'
import type { Logger } from './logger.js'

/** Why an instance sheds load: the signal over its limit. */
export type OverloadSignal = 'in-flight' | 'event-loop-delay' | 'pool-wait' | 'outbox-backlog'

export interface LoadSignals {
  /** How long the caller first in line for a database connection has waited, in ms (0 when none waits). */
  poolWaitMs?: () => number
  /** Events written and not yet published (a query: read at most once per `backlogEveryMs`). */
  outboxBacklog?: () => Promise<number>
}

export interface LoadSheddingOptions {
  signals: LoadSignals
  /**
   * The most requests admitted and not yet answered; beyond it new ones are shed. The limit in force
   * moves below it while the database pool is congested (see `maxPoolWaitMs`). Default 256.
   */
  maxInFlight?: number
  /** The least the limit in force goes down to: enough to keep a pool of ten connections busy. Default 40. */
  minInFlight?: number
  /** Event-loop delay (how late a 20 ms probe fires, smoothed over its last ticks) above which requests are shed. Default 200 ms. */
  maxEventLoopDelayMs?: number
  /**
   * Wait of the caller first in line for a database connection above which the pool counts as
   * congested: every 100 ms of congestion the limit of requests in flight is cut by a tenth, and
   * every 100 ms without it raised by one, up to `maxInFlight` (additive increase, multiplicative
   * decrease). Only the requests beyond the limit are shed, one by one, instead of everything for
   * as long as a signal stays high, which sends every client away at once, all of them back at once
   * when `Retry-After` has passed, and leaves the pool idle in between. Default 100 ms.
   */
  maxPoolWaitMs?: number
  /** Unpublished outbox events above which writes are shed (the broker is not keeping up). Default 100,000. */
  maxOutboxBacklog?: number
  /** The outbox backlog is a query: read at most this often, in the background. Default 1,000 ms. */
  backlogEveryMs?: number
  /**
   * `Retry-After` of a shed request, in seconds. Default 1: clients that honour it come back soon
   * enough to keep the instance busy (with 2 s, at three times saturation, they kept 75 % of peak
   * goodput instead of 87 %, sleeping while capacity was free).
   */
  retryAfterSeconds?: number
  /** Paths never shed: probes, metrics and documentation answer whatever the load. */
  exempt?: (url: string) => boolean
  /** Base URI of the problem `type`. */
  problemBaseUrl?: string
}

const DEFAULT_EXEMPT = (url: string) => url.startsWith('/health/') || url === '/metrics' || url.startsWith('/docs')
const SIGNALS: readonly OverloadSignal[] = ['in-flight', 'event-loop-delay', 'pool-wait', 'outbox-backlog']

/**
 * Sheds load at the door: while a signal is over its limit, a new request is answered 429 with
 * `Retry-After` by the HTTP server itself, before the framework sees it (no request object, no
 * routing, no hooks, no token verification, its body never parsed, nothing written). At three times
 * saturation two requests in three are refused, so a refusal must cost a small fraction of the work
 * it protects, or the refusals eat the capacity they were meant to save.
 *
 * Signals: requests in flight beyond a limit that the wait for database connections moves (the
 * pool is the bottleneck), the event loop's smoothed delay (the CPU is), and for writes the outbox
 * backlog (the broker is). `http_requests_shed_total{signal}` and
 * `load_shedding_active{signal}` say so; a summary is logged once a second while shedding.
 */
export class LoadShedder {
  readonly #maxInFlight: number
  readonly #minInFlight: number
  #limit: number
  /** Why the limit in force is below the ceiling, for the shed requests' signal. */
  #limitedBy: OverloadSignal = 'in-flight'
  readonly #maxDelayMs: number
  readonly #maxPoolWaitMs: number
  readonly #maxBacklog: number
  readonly #backlogEveryMs: number
  readonly #exempt: (url: string) => boolean
  readonly #signals: LoadSignals
  readonly #logger: Logger
  readonly #head: Record<string, string | number>
  readonly #bodies = new Map<OverloadSignal, Buffer>()
  readonly #timers: NodeJS.Timeout[] = []
  #inFlight = 0
  #smoothedDelayMs = 0
  #backlogOver = false
  #readingBacklog = false
  #backlogReadAt = Number.NEGATIVE_INFINITY
  #shedSinceLog = 0
  #lastSignal: OverloadSignal | undefined
  // Counts from the first request on; a registry shows it once the app has one (exportMetrics).
  readonly #counter = new Counter({
    name: 'http_requests_shed_total',
    help: 'Requests answered 429 because the instance was overloaded, by signal',
    labelNames: ['signal'] as const,
    registers: [],
  })

  constructor(options: LoadSheddingOptions & { logger: Logger }) {
    this.#maxInFlight = options.maxInFlight ?? 256
    this.#minInFlight = Math.min(options.minInFlight ?? 40, this.#maxInFlight)
    this.#limit = this.#maxInFlight
    this.#maxDelayMs = options.maxEventLoopDelayMs ?? 200
    this.#maxPoolWaitMs = options.maxPoolWaitMs ?? 100
    this.#maxBacklog = options.maxOutboxBacklog ?? 100_000
    this.#backlogEveryMs = options.backlogEveryMs ?? 1_000
    this.#exempt = options.exempt ?? DEFAULT_EXEMPT
    this.#signals = options.signals
    this.#logger = options.logger
    const retryAfter = String(options.retryAfterSeconds ?? 1)
    const baseUrl = options.problemBaseUrl ?? DEFAULT_PROBLEM_BASE_URL
    for (const signal of SIGNALS) {
      const body = problem('too_many_requests', { baseUrl, detail: `The service is overloaded (${signal}); retry after ${retryAfter} s` })
      this.#bodies.set(signal, Buffer.from(JSON.stringify(body)))
    }
    this.#head = { 'content-type': PROBLEM_CONTENT_TYPE, 'retry-after': retryAfter }

    // Event-loop delay measured by a timer of our own, how late it fires (perf_hooks' histogram did
    // not register a 400 ms block on Node 20 here), smoothed over the last ticks (weight 0.2): one
    // long pause (a process starting, a large GC) is not overload, a loop late tick after tick is.
    const probeMs = 20
    let expected = performance.now() + probeMs
    this.#every(probeMs, () => {
      const now = performance.now()
      this.#smoothedDelayMs += 0.2 * (Math.max(0, now - expected) - this.#smoothedDelayMs)
      expected = now + probeMs
    })
    if (options.signals.poolWaitMs) {
      const poolWaitMs = options.signals.poolWaitMs
      this.#every(100, () => {
        if (poolWaitMs() > this.#maxPoolWaitMs) {
          this.#limit = Math.max(this.#minInFlight, Math.floor(this.#limit * 0.9))
          this.#limitedBy = 'pool-wait'
        } else {
          this.#limit = Math.min(this.#maxInFlight, this.#limit + 1)
          if (this.#limit === this.#maxInFlight) this.#limitedBy = 'in-flight'
        }
      })
    }
    if (options.signals.outboxBacklog) this.#every(Math.max(50, Math.min(250, this.#backlogEveryMs)), () => this.#readBacklog())
    // A summary line per second while shedding, rather than a line per refused request: logging
    // each would cost as much as what is shed.
    this.#every(1_000, () => {
      if (this.#shedSinceLog === 0) return
      this.#logger.warn({ shed: this.#shedSinceLog, signal: this.#lastSignal, inFlight: this.#inFlight }, 'shedding load: requests answered 429')
      this.#shedSinceLog = 0
    })
  }

  /**
   * Called by the HTTP server for each request before the framework: true to go on (the request is
   * counted in flight until its response closes); false when it was answered 429 here.
   */
  admit(request: IncomingMessage, response: ServerResponse): boolean {
    const url = request.url ?? '/'
    if (this.#exempt(url)) return true
    const signal = this.overloadedBy(request.method !== 'GET' && request.method !== 'HEAD')
    if (signal === undefined) {
      this.#inFlight++
      response.once('close', () => void this.#inFlight--)
      return true
    }
    this.#counter.inc({ signal })
    this.#shedSinceLog++
    this.#lastSignal = signal
    const body = this.#bodies.get(signal)!
    response.writeHead(429, { ...this.#head, 'content-length': body.length })
    response.end(body)
    return false
  }

  /** The signal over its limit now, if any (a write is also refused for the outbox backlog). */
  overloadedBy(write: boolean): OverloadSignal | undefined {
    if (this.#inFlight >= this.#limit) return this.#limitedBy
    if (this.#smoothedDelayMs > this.#maxDelayMs) return 'event-loop-delay'
    if (write && this.#backlogOver) return 'outbox-backlog'
    return undefined
  }

  /** Requests admitted and not yet answered. */
  get inFlight(): number {
    return this.#inFlight
  }

  /** The limit of requests in flight in force now (at most `maxInFlight`). */
  get limit(): number {
    return this.#limit
  }

  /** Requests shed so far, by signal (what `http_requests_shed_total` says). */
  async shed(): Promise<Partial<Record<OverloadSignal, number>>> {
    return Object.fromEntries((await this.#counter.get()).values.map((v) => [v.labels.signal as OverloadSignal, v.value]))
  }

  /** Exports `http_requests_shed_total{signal}` and `load_shedding_active{signal}` on the app's registry. */
  exportMetrics(registry: Registry): void {
    registry.registerMetric(this.#counter)
    const limit = () => this.#limit
    new Gauge({
      name: 'http_in_flight_limit',
      help: 'Requests that may be in flight now; below the configured ceiling while the database pool is congested',
      registers: [registry],
      collect() {
        this.set(limit())
      },
    })
    const overloadedBy = () => this.overloadedBy(true)
    new Gauge({
      name: 'load_shedding_active',
      help: '1 while a signal is over its limit (new requests are shed), by signal',
      labelNames: ['signal'] as const,
      registers: [registry],
      collect() {
        const now = overloadedBy()
        for (const signal of SIGNALS) this.set({ signal }, signal === now ? 1 : 0)
      },
    })
  }

  close(): void {
    for (const timer of this.#timers) clearInterval(timer)
  }

  #every(ms: number, fn: () => void): void {
    const timer = setInterval(fn, ms)
    timer.unref()
    this.#timers.push(timer)
  }

  #readBacklog(): void {
    const backlog = this.#signals.outboxBacklog
    if (!backlog || this.#readingBacklog || performance.now() - this.#backlogReadAt < this.#backlogEveryMs) return
    this.#readingBacklog = true
    this.#backlogReadAt = performance.now()
    backlog()
      .then((n) => void (this.#backlogOver = n > this.#maxBacklog))
      .catch(() => {
        // The database is away: the pool signal and the 503s say so; the backlog is unknown.
      })
      .finally(() => void (this.#readingBacklog = false))
  }
}
