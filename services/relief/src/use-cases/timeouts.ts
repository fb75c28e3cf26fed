import { continueTrace, type Logger } from '@sme/kit'
import { isReliefError } from '../domain/index.js'
import type { ScoringInput } from '../convert.js'
import { claimAwaitingScore } from '../store/applications.js'
import type { ReliefDb, ReliefTx } from '../store/tables.js'
import { computeDecision, storeDecision, type ReliefDeps } from './decision.js'
import { PeriodicJob } from './periodic.js'

export interface SweeperOptions {
  db: ReliefDb
  deps: ReliefDeps
  logger: Logger
  /** How long an application may wait for its score before it is decided without one. */
  timeoutMs: number
  /** How often to look. */
  intervalMs: number
  /** Applications decided per transaction. */
  batchSize?: number
}

/**
 * No request is left hanging: applications still waiting for their score after the
 * timeout are decided with scoring unavailable, which refers them to an officer (or, where the
 * rules do not need a score, settles them: a mandatory grant, a hard decline). Runs in every
 * instance; `FOR UPDATE SKIP LOCKED` makes instances take different applications, and a score
 * being applied by the consumer at the same moment holds the row lock, so each application is
 * decided exactly once (the loser sees it is no longer awaiting a score).
 */
export class TimeoutSweeper {
  readonly #o: Required<SweeperOptions>
  readonly #job: PeriodicJob

  constructor(options: SweeperOptions) {
    this.#o = { batchSize: 50, ...options }
    this.#job = new PeriodicJob({ intervalMs: this.#o.intervalMs, logger: this.#o.logger, failure: 'scoring timeout sweep failed', run: () => this.#drain() })
  }

  start(): void {
    this.#job.start()
  }

  /** Stops the timer and waits for a sweep in progress (the pool may close right after). */
  stop(): Promise<void> {
    return this.#job.stop()
  }

  /** One pass: decides every timed-out application (in batches); returns how many. */
  sweep(): Promise<number> {
    return this.#job.runOnce()
  }

  async #drain(): Promise<number> {
    let total = 0
    while (!this.#job.stopped) {
      const { claimed, decided } = await this.#o.deps.outbox.afterCommit(() => this.#o.db.transaction().execute((tx) => this.#batch(tx)))
      total += decided
      if (claimed < this.#o.batchSize) break
      // A full batch of undecidable applications would be claimed again and again: stop here.
      if (decided === 0) break
    }
    return total
  }

  async #batch(tx: ReliefTx): Promise<{ claimed: number; decided: number }> {
    const { deps, timeoutMs } = this.#o
    const cutoff = new Date(deps.now().getTime() - timeoutMs)
    const rows = await claimAwaitingScore(tx, cutoff, this.#o.batchSize)
    let decided = 0
    for (const row of rows) {
      const scoring: ScoringInput = { available: false, reason: 'timeout', detail: `scoring did not answer within ${timeoutMs} ms of the request's publication` }
      let decision
      try {
        decision = await computeDecision(tx, deps, row, scoring)
      } catch (err) {
        // Nothing was written for it: leave it (visible as overdue) and go on with the others.
        if (!isReliefError(err)) throw err
        this.#o.logger.error({ err, applicationId: row.id }, 'application cannot be decided')
        continue
      }
      // The decision continues the trace of the request that submitted the application (a span of
      // its own), so its event is found with the rest of the application's story.
      const traceparent = row.traceparent ? continueTrace({ traceparent: row.traceparent }).traceparent : undefined
      await storeDecision(tx, deps, row, decision, scoring, 'timeout', traceparent)
      decided++
    }
    if (decided > 0) this.#o.logger.info({ decided }, 'applications decided without a score after the timeout')
    return { claimed: rows.length, decided }
  }
}
