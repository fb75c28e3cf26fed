import type { Logger } from '@sme/kit'

/**
 * Work an instance does every `intervalMs` besides answering requests (the scoring timeout sweep,
 * the documents deadline watch): a run already in progress is joined, never doubled; a failed run
 * is logged and counts as nothing done; `stop()` waits for the run in progress, since the pool may
 * close right after. Runs in every instance: the work itself must tolerate that (row locks,
 * SKIP LOCKED).
 */
export class PeriodicJob {
  #timer: NodeJS.Timeout | undefined
  #running: Promise<number> | undefined
  #stopped = false

  constructor(private readonly options: { intervalMs: number; logger: Logger; failure: string; run: () => Promise<number> }) {}

  /** Whether stop() was called: a long run checks it between batches. */
  get stopped(): boolean {
    return this.#stopped
  }

  start(): void {
    if (this.#timer || this.#stopped) return
    this.#timer = setInterval(() => void this.runOnce(), this.options.intervalMs)
    this.#timer.unref()
  }

  async stop(): Promise<void> {
    this.#stopped = true
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = undefined
    await this.#running?.catch(() => 0)
  }

  /** One run now (or the one in progress); resolves to what the run counted. */
  runOnce(): Promise<number> {
    if (this.#running) return this.#running
    this.#running = this.options
      .run()
      .catch((err: unknown) => {
        this.options.logger.error({ err }, this.options.failure)
        return 0
      })
      .finally(() => {
        this.#running = undefined
      })
    return this.#running
  }
}
