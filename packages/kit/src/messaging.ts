import { Gauge, type Registry } from 'prom-client'
import type { Logger } from './logger.js'

/**
 * One part of a service's messaging (its topics, its outbox relay, each consumer): what it is doing
 * now. `starting` is the first attempt; `retrying` follows a failed one (the broker away, a group
 * not yet joined); `running` is the steady state; `stopped`, a part nobody tries to start any more
 * (one `startNow` could not start, or the supervisor was stopped first).
 */
export type MessagingPartState = 'starting' | 'retrying' | 'running' | 'stopped'

export interface MessagingPartStatus {
  state: MessagingPartState
  /** When it entered this state (ISO 8601). */
  since: string
  /** Failed attempts to start it so far. */
  failures: number
  /** Why the last attempt failed (a broker's error message, no personal data); absent once running. */
  lastError?: string
}

/**
 * A part of messaging and how to start it; `start` resolves once it runs and rejects when it could
 * not start. A part that can lose its broker while running calls `interrupted` with why when it does
 * (it is reported `retrying` from then) and with null when it is back (`running` again).
 */
export interface MessagingPart {
  name: string
  start(interrupted: (why: Error | null) => void): Promise<void>
}

export interface MessagingSupervisorOptions {
  logger: Logger
  /** Backoff between attempts: the first wait, doubling up to the last. Defaults 200 ms and 5 s. */
  initialRetryMs?: number
  maxRetryMs?: number
  /** How long stop() waits for an attempt still under way (a broker client connecting) before it goes on. */
  stopWaitMs?: number
}

/**
 * Starts a service's messaging apart from its HTTP API, so that neither waits for the other: the
 * API serves while the broker is away or a consumer group is still being rejoined (which can take a
 * dead member's whole session timeout), and each part keeps being retried until it runs. Its status
 * is what the messaging health endpoint and metrics report.
 */
export class MessagingSupervisor {
  readonly #o: Required<MessagingSupervisorOptions>
  readonly #parts = new Map<string, MessagingPartStatus>()
  #gauge: Gauge<'part'> | undefined
  #stopping = false
  #task: Promise<void> | undefined
  readonly #cancelWaits = new Set<() => void>()
  /** Parts that have run: only theirs are interruptions (a part still starting reports by failing). */
  readonly #ran = new Set<string>()

  constructor(options: MessagingSupervisorOptions) {
    this.#o = {
      initialRetryMs: 200,
      maxRetryMs: 5_000,
      stopWaitMs: 5_000,
      ...options,
      logger: options.logger.child({ component: 'messaging' }),
    }
  }

  /** Exports `messaging_part_running{part}` on the service's registry (which exists once its app does). */
  exportMetrics(registry: Registry): void {
    const gauge = new Gauge({
      name: 'messaging_part_running',
      help: '1 while a part of the service\'s messaging (topics, relay, each consumer) runs, 0 while it is being started, retried or stopped',
      labelNames: ['part'] as const,
      registers: [registry],
    })
    for (const [name, status] of this.#parts) gauge.set({ part: name }, status.state === 'running' ? 1 : 0)
    this.#gauge = gauge
  }

  /** Every part declared so far and its state. */
  status(): Record<string, MessagingPartStatus> {
    return Object.fromEntries([...this.#parts].map(([name, status]) => [name, { ...status }]))
  }

  /** True when every declared part runs (and at least one was declared). */
  running(): boolean {
    return this.#parts.size > 0 && [...this.#parts.values()].every((p) => p.state === 'running')
  }

  /**
   * Starts the parts now, in order, and fails with the first that cannot start (tests, and callers
   * that want messaging up before anything else).
   */
  async startNow(parts: readonly MessagingPart[]): Promise<void> {
    for (const part of parts) this.#set(part.name, 'starting')
    for (const [i, part] of parts.entries()) {
      try {
        await part.start(this.#interruptions(part.name))
        this.#running(part.name)
      } catch (error) {
        // Nobody retries it or those after it: the caller decides what a failed start means.
        this.#set(part.name, 'stopped', error)
        for (const later of parts.slice(i + 1)) this.#set(later.name, 'stopped')
        throw error
      }
    }
  }

  /**
   * Reports `parts` as starting before they are started: a caller with work to do first (the
   * service's own start-up) declares them at once, so health never shows a service without them.
   */
  expect(parts: readonly Pick<MessagingPart, 'name'>[]): void {
    for (const part of parts) if (!this.#parts.has(part.name)) this.#set(part.name, 'starting')
  }

  /**
   * Starts the parts in the background and returns at once: the `first` ones in order (topics must
   * exist before anything publishes or subscribes), then the `rest` side by side, each retried with
   * backoff until it runs or {@link stop} is called.
   */
  startInBackground(first: readonly MessagingPart[], rest: readonly MessagingPart[]): void {
    for (const part of [...first, ...rest]) this.#set(part.name, 'starting')
    this.#task = (async () => {
      for (const part of first) if (!(await this.#keepTrying(part))) return
      await Promise.all(rest.map((part) => this.#keepTrying(part)))
    })()
  }

  /** Stops retrying; waits a bounded time for an attempt under way. Stopping the parts themselves is their owner's. */
  async stop(): Promise<void> {
    this.#stopping = true
    for (const cancel of this.#cancelWaits) cancel()
    if (!this.#task) return
    let timer: NodeJS.Timeout | undefined
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.#o.stopWaitMs)))
    await Promise.race([this.#task, waited])
    clearTimeout(timer)
    for (const [name, status] of this.#parts) if (status.state !== 'running') this.#set(name, 'stopped')
  }

  async #keepTrying(part: MessagingPart): Promise<boolean> {
    for (let failures = 0; !this.#stopping; ) {
      try {
        await part.start(this.#interruptions(part.name))
        if (failures > 0) this.#o.logger.info({ part: part.name, failures }, 'messaging part running')
        this.#running(part.name)
        return true
      } catch (error) {
        failures++
        const delay = Math.min(this.#o.maxRetryMs, this.#o.initialRetryMs * 2 ** Math.min(failures - 1, 16))
        this.#set(part.name, 'retrying', error)
        this.#o.logger.warn({ part: part.name, failures, retryInMs: delay, err: error }, 'messaging part could not start; retrying')
        await this.#wait(delay)
      }
    }
    return false
  }

  #running(name: string): void {
    this.#ran.add(name)
    this.#set(name, 'running')
  }

  /** What a part calls when, running, it loses its broker (why) or has it back (null). */
  #interruptions(name: string): (why: Error | null) => void {
    return (why) => {
      if (this.#stopping || !this.#ran.has(name)) return
      const state = this.#parts.get(name)?.state
      if (why !== null && state === 'running') {
        this.#set(name, 'retrying', why)
        this.#o.logger.warn({ part: name, err: why }, 'messaging part interrupted')
      } else if (why === null && state === 'retrying') {
        this.#set(name, 'running')
        this.#o.logger.info({ part: name }, 'messaging part running again')
      }
    }
  }

  #wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.#cancelWaits.delete(done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      this.#cancelWaits.add(done)
    })
  }

  #set(name: string, state: MessagingPartState, error?: unknown): void {
    const previous = this.#parts.get(name)
    const failures = (previous?.failures ?? 0) + (error === undefined ? 0 : 1)
    const status: MessagingPartStatus = {
      state,
      since: previous?.state === state ? previous.since : new Date().toISOString(),
      failures,
      ...(error !== undefined
        ? { lastError: (error instanceof Error ? error.message : String(error)).slice(0, 200) }
        : state !== 'running' && previous?.lastError !== undefined
          ? { lastError: previous.lastError }
          : {}),
    }
    this.#parts.set(name, status)
    this.#gauge?.set({ part: name }, state === 'running' ? 1 : 0)
  }
}
