export interface BatcherOptions {
  /** Items one batch takes at most. */
  readonly maxBatch: number
  /** Batches running at once at most (each holds a connection while it runs). */
  readonly maxInFlight: number
}

interface Waiting<I, O> {
  readonly item: I
  readonly resolve: (out: O) => void
  readonly reject: (err: unknown) => void
}

/**
 * Writes submitted concurrently, run together: what a hot path gains from group commit. An item
 * goes at once when fewer than `maxInFlight` batches run; otherwise it waits for the next free slot
 * and goes with everything that waited meanwhile (up to `maxBatch`) as one batch, one statement and
 * one commit. No timer holds anything back: alone, an item waits for nothing; under load, the
 * batches grow by themselves and the round trips, statements and commits per item fall.
 *
 * `run` answers one result per item, in order. When a batch of several fails, each of its items is
 * run alone, so that an item the database refuses fails only its own caller.
 */
export class Batcher<I, O> {
  readonly #run: (items: readonly I[]) => Promise<readonly O[]>
  readonly #options: BatcherOptions
  #waiting: Waiting<I, O>[] = []
  #inFlight = 0
  #batches = 0
  #items = 0
  #largest = 0

  constructor(run: (items: readonly I[]) => Promise<readonly O[]>, options: BatcherOptions) {
    if (options.maxBatch < 1 || options.maxInFlight < 1) throw new RangeError('maxBatch and maxInFlight must be at least 1')
    this.#run = run
    this.#options = options
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject })
      this.#next()
    })
  }

  /** Batches run and items they carried (retries alone not counted), and the largest batch. */
  stats(): { readonly batches: number; readonly items: number; readonly largest: number } {
    return { batches: this.#batches, items: this.#items, largest: this.#largest }
  }

  #next(): void {
    while (this.#inFlight < this.#options.maxInFlight && this.#waiting.length > 0) {
      const batch = this.#waiting.splice(0, this.#options.maxBatch)
      this.#batches++
      this.#items += batch.length
      this.#largest = Math.max(this.#largest, batch.length)
      this.#inFlight++
      void this.#settle(batch).finally(() => {
        this.#inFlight--
        this.#next()
      })
    }
  }

  async #settle(batch: readonly Waiting<I, O>[]): Promise<void> {
    try {
      const outs = await this.#run(batch.map((w) => w.item))
      if (outs.length !== batch.length) throw new Error(`a batch of ${batch.length} answered ${outs.length} results`)
      batch.forEach((w, i) => w.resolve(outs[i]!))
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err)
      await Promise.all(batch.map((w) => this.#settle([w])))
    }
  }
}
