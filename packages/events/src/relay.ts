import { sql, type Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { Database } from '@sme/data'
import type { TransportMessage } from './envelope.js'
import { outboxChannel, type EventTables, type OutboxRow } from './outbox.js'
import { isUndeliverable, type Transport } from './transport.js'
import type { EventMetrics } from './metrics.js'

export interface RelayOptions {
  database: Database<any>
  /** The service's schema: the relay reads `<schema>.outbox` and listens on its channel. */
  schema: string
  transport: Transport
  logger: Logger
  metrics?: EventMetrics | undefined
  batchSize?: number
  /** How long a claimed batch is ours; a relay that dies releases its batch when this passes. */
  leaseMs?: number
  /**
   * How long the relay waits for the broker to accept a claimed batch before it gives the batch
   * back as an outage. Must be shorter than the lease: a publication still running when the lease
   * ends would let a second instance claim and send the same batch. Default: half the lease.
   */
  publishTimeoutMs?: number
  /** Fallback polling when no notification arrives (lost LISTEN connection, PGlite restart). */
  pollIntervalMs?: number
  maxBackoffMs?: number
  /**
   * How long the relay lingers after a notification before it claims, so that events committed
   * meanwhile go out in the same batch (Kafka producers' `linger.ms`). Each claim costs five
   * statements; under a steady stream of single-event commits, lingering turns a claim per event
   * into one per batch. Default 10 ms; 0 claims at once.
   */
  lingerMs?: number
}

/**
 * Publishes the outbox. It claims a batch with a short lease in one short transaction, publishes
 * with no transaction open (no database lock is held across broker I/O), then marks the batch done.
 * A crash between publish and mark republishes the batch: consumers deduplicate on the event id.
 *
 * Claims are serialised per schema (an advisory lock held for the claim only) and skip every key
 * that has an event leased to another relay, so several instances share the work while every key's
 * events still reach Kafka in commit order.
 */
export class OutboxRelay {
  readonly #o: Required<Omit<RelayOptions, 'metrics' | 'publishTimeoutMs'>> & { metrics: EventMetrics | undefined; publishTimeoutMs: number }
  readonly #db: Kysely<EventTables>
  #running = false
  #loop: Promise<void> | undefined
  #wake: (() => void) | undefined
  #unlisten: (() => Promise<void>) | undefined
  #failures = 0
  #notified = false

  constructor(options: RelayOptions) {
    const leaseMs = options.leaseMs ?? 15_000
    const publishTimeoutMs = options.publishTimeoutMs ?? Math.floor(leaseMs / 2)
    if (!(publishTimeoutMs > 0 && publishTimeoutMs < leaseMs)) {
      throw new RangeError(`the relay's publication timeout (${publishTimeoutMs} ms) must be positive and shorter than its lease (${leaseMs} ms)`)
    }
    this.#o = {
      batchSize: 200,
      pollIntervalMs: 1_000,
      maxBackoffMs: 10_000,
      lingerMs: 10,
      ...options,
      leaseMs,
      publishTimeoutMs,
      metrics: options.metrics,
      logger: options.logger.child({ component: 'outbox-relay', schema: options.schema }),
    }
    this.#db = options.database.db.withSchema(options.schema) as Kysely<EventTables>
  }

  async start(): Promise<void> {
    if (this.#running) return
    this.#running = true
    try {
      let lost = false
      this.#unlisten = await this.#o.database.listen(
        outboxChannel(this.#o.schema),
        () => this.wake(),
        (listening) => {
          this.#o.metrics?.listening.set(listening ? 1 : 0)
          if (!listening) this.#o.logger.warn('LISTEN session lost; polling until it is reopened')
          else if (lost) this.#o.logger.info('LISTEN session reopened')
          lost = !listening
        },
      )
    } catch (err) {
      this.#o.metrics?.listening.set(0)
      this.#o.logger.warn({ err }, 'LISTEN failed; relying on polling')
    }
    this.#loop = this.#run()
  }

  /**
   * New events have committed: claim soon (after the linger), not at the next poll. Called for each
   * NOTIFY on the schema's channel, and by this process's {@link Outbox} after its writes commit.
   */
  wake(): void {
    this.#notified = true
    this.#wake?.()
  }

  async stop(): Promise<void> {
    this.#running = false
    this.#wake?.()
    await this.#loop
    await this.#unlisten?.().catch(() => {})
    this.#unlisten = undefined
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let published = 0
      // What commits from here on notifies again; what committed before is in this claim.
      this.#notified = false
      try {
        published = await this.publishBatch()
        this.#failures = 0
      } catch (err) {
        this.#failures += 1
        const delay = Math.min(this.#o.maxBackoffMs, 100 * 2 ** Math.min(this.#failures, 10))
        this.#o.logger.warn({ err, attempt: this.#failures, retryInMs: delay }, 'outbox publication failed; will retry')
        await this.#sleep(delay, false)
        continue
      }
      // A full batch means more is waiting: go on at once. Otherwise wait for NOTIFY or the poll,
      // then linger a moment so that what commits next joins the batch.
      if (published < this.#o.batchSize) {
        await this.#sleep(this.#o.pollIntervalMs, true)
        if (this.#o.lingerMs > 0 && this.#running) await this.#sleep(this.#o.lingerMs, false)
      }
    }
  }

  #sleep(ms: number, wakeable: boolean): Promise<void> {
    // Stopped while publishing: stop() found nothing to wake, so do not start waiting now.
    if (!this.#running) return Promise.resolve()
    // A notification that came while we were publishing must not wait for the next poll.
    if (wakeable && this.#notified) {
      this.#notified = false
      return Promise.resolve()
    }
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer)
        this.#wake = undefined
        resolve()
      }
      const timer = setTimeout(finish, ms)
      this.#wake = () => {
        if (wakeable) this.#notified = false
        if (wakeable || !this.#running) finish()
      }
    })
  }

  /**
   * Claims, publishes and marks one batch; returns how many events it published. An event the broker
   * refuses as such is set aside (dead) and the others go on; an outage releases the batch to be
   * sent again, however long it lasts.
   */
  async publishBatch(): Promise<number> {
    const batch = await this.#claim()
    if (batch.length === 0) return 0
    const { published, refused, failed } = await this.#deliver(batch)
    if (published.length > 0) {
      await this.#db
        .updateTable('outbox')
        .set({ published_at: sql`now()`, lease_until: null, last_error: null })
        .where('seq', 'in', published.map((r) => r.seq))
        .execute()
      this.#o.metrics?.published.inc(published.length)
    }
    for (const { row, error } of refused) await this.#setAside(row, error)
    if (failed) {
      await this.#release(failed.rows, failed.error)
      throw failed.error
    }
    return published.length
  }

  /**
   * Publishes the batch; when the broker refuses some of it as such, each event alone, to find which.
   * The whole delivery ends by one deadline inside the lease: what the broker has not accepted by
   * then is given back as an outage (it may still land from the abandoned attempt: at least once).
   */
  async #deliver(batch: OutboxRow[]): Promise<{ published: OutboxRow[]; refused: { row: OutboxRow; error: unknown }[]; failed?: { rows: OutboxRow[]; error: unknown } }> {
    const deadline = Date.now() + this.#o.publishTimeoutMs
    const publish = (messages: TransportMessage[]) =>
      Date.now() >= deadline
        ? Promise.reject(new PublicationTimeoutError('the publication deadline passed before this send began'))
        : withDeadline(this.#o.transport.publish(messages), deadline, this.#o.publishTimeoutMs)
    try {
      await publish(batch.map(toMessage))
      return { published: batch, refused: [] }
    } catch (error) {
      if (!isUndeliverable(error)) return { published: [], refused: [], failed: { rows: batch, error } }
      if (batch.length === 1) return { published: [], refused: [{ row: batch[0]!, error }] }
    }
    const published: OutboxRow[] = []
    const refused: { row: OutboxRow; error: unknown }[] = []
    for (const [i, row] of batch.entries()) {
      try {
        await publish([toMessage(row)])
        published.push(row)
      } catch (error) {
        if (!isUndeliverable(error)) return { published, refused, failed: { rows: batch.slice(i), error } }
        refused.push({ row, error })
      }
    }
    return { published, refused }
  }

  /** An event the broker will never take: kept in the outbox as dead, counted and logged, for an operator. */
  async #setAside(row: OutboxRow, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error)
    await this.#db.updateTable('outbox').set({ dead_at: sql`now()`, lease_until: null, last_error: message }).where('seq', '=', row.seq).execute()
    this.#o.metrics?.dead.inc()
    this.#o.logger.error({ seq: String(row.seq), eventId: row.event_id, eventType: row.event_type, error: message }, 'outbox event refused by the broker; set aside')
  }

  async #claim(): Promise<OutboxRow[]> {
    const { batchSize, leaseMs, schema } = this.#o
    return this.#db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${`outbox-claim:${schema}`}))`.execute(tx)
      const outbox = sql.table(`${schema}.outbox`)
      // Keys with a live lease are computed once per claim (a correlated NOT EXISTS per row was
      // planned badly on a large backlog in a table not yet analysed: seconds per claim).
      const rows = await sql<OutboxRow>`
        with leased as (
          select distinct message_key from ${outbox}
          where published_at is null and dead_at is null and lease_until >= now() and message_key is not null)
        update ${outbox} set lease_until = now() + make_interval(secs => ${leaseMs / 1000}), attempts = attempts + 1
        where seq in (
          select o.seq from ${outbox} o
          where o.published_at is null and o.dead_at is null
            and (o.lease_until is null or o.lease_until < now())
            and (o.message_key is null or o.message_key not in (select message_key from leased))
          order by o.seq
          limit ${batchSize})
        returning *`.execute(tx)
      return rows.rows.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0))
    })
  }

  /** Gives a batch back after an outage: sent again on a later claim (the lease is lifted now, not waited out). */
  async #release(batch: OutboxRow[], err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message : String(err)
    try {
      await this.#db.updateTable('outbox').set({ lease_until: null, last_error: message }).where('seq', 'in', batch.map((r) => r.seq)).execute()
    } catch {
      // The lease expires on its own; nothing is lost.
    }
  }

  /** Deletes published events older than `olderThanMs` (they are in Kafka; the outbox is not an archive). */
  async purgePublished(olderThanMs: number): Promise<number> {
    const result = await this.#db
      .deleteFrom('outbox')
      .where('published_at', '<', sql<Date>`now() - make_interval(secs => ${olderThanMs / 1000})`)
      .executeTakeFirst()
    return Number(result.numDeletedRows)
  }
}

/** The broker did not accept a publication before the relay's deadline: an outage, sent again later. */
export class PublicationTimeoutError extends Error {
  override readonly name = 'PublicationTimeoutError'
}

/** Races a send against the delivery's deadline; the error names the configured timeout, not what was left of it. */
function withDeadline(work: Promise<void>, deadline: number, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PublicationTimeoutError(`the broker did not accept the publication within ${timeoutMs} ms`)), Math.max(0, deadline - Date.now()))
  })
  // The abandoned send may still settle later; its outcome no longer matters here.
  work.catch(() => {})
  return Promise.race([work, expired]).finally(() => clearTimeout(timer))
}

function toMessage(row: OutboxRow): TransportMessage {
  return { topic: row.topic, key: row.message_key, value: Buffer.from(JSON.stringify(row.payload)), headers: row.headers }
}
