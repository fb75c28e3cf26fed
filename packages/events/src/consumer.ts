import { type Kysely, type Transaction } from 'kysely'
import type { Logger } from 'pino'
import type { Database } from '@sme/data'
import { dlqTopic, type EventCatalogue } from './catalogue.js'
import { fromTransportMessage, type CloudEvent } from './envelope.js'
import type { EventMetrics } from './metrics.js'
import type { EventTables } from './outbox.js'
import type { ReceivedMessage, Subscription, Transport } from './transport.js'

export interface HandlerContext {
  /** The transaction the inbox entry is written in: the handler's effects commit with it or not at all. */
  tx: Transaction<any>
  log: Logger
  message: ReceivedMessage
}

export type EventHandler = (event: CloudEvent<any>, context: HandlerContext) => Promise<void>

export interface ConsumerOptions {
  /** Consumer group and inbox name: one per service and purpose, e.g. `relief.scoring-results`. */
  name: string
  database: Database<any>
  schema: string
  transport: Transport
  catalogue: EventCatalogue
  logger: Logger
  /** Handlers by event type; events of other types on the same topics are recorded and skipped. */
  handlers: Record<string, EventHandler>
  topics: string[]
  metrics?: EventMetrics | undefined
  /** Attempts for a message whose handler fails, before it goes to `<topic>.dlq`. */
  maxAttempts?: number
  retryDelayMs?: number
  fromBeginning?: boolean
  /**
   * Runs each message's transaction (the service's outbox wakes its relay once a transaction that
   * wrote events has committed, see `Outbox.afterCommit`); default: runs it as it is.
   */
  aroundTransaction?: <T>(transaction: () => Promise<T>) => Promise<T>
}

class PermanentError extends Error {
  override name = 'PermanentError'
}

function traceIdOf(traceparent: string | undefined): string | undefined {
  const parts = traceparent?.split('-')
  return parts && parts.length >= 4 && parts[1]?.length === 32 ? parts[1] : undefined
}

/**
 * An idempotent consumer: each event's id goes into the service's inbox in the same transaction as
 * the handler's effects, so a redelivered event (Kafka is at-least-once) has no second effect.
 * A message that cannot be read is dead-lettered at once; one whose handler keeps failing is retried
 * a bounded number of times, then dead-lettered with the error, and the consumer goes on.
 */
export class EventConsumer {
  readonly #o: Required<Omit<ConsumerOptions, 'metrics'>> & { metrics: EventMetrics | undefined }
  readonly #db: Kysely<EventTables>
  #subscription: Subscription | undefined

  constructor(options: ConsumerOptions) {
    this.#o = {
      maxAttempts: 5,
      retryDelayMs: 200,
      fromBeginning: true,
      aroundTransaction: (transaction) => transaction(),
      ...options,
      metrics: options.metrics,
      logger: options.logger.child({ component: 'consumer', consumer: options.name }),
    }
    this.#db = options.database.db.withSchema(options.schema) as Kysely<EventTables>
  }

  /** Subscribes; `onInterruption` hears when the running subscription loses its broker and when it is back. */
  async start(onInterruption?: (why: Error | null) => void): Promise<void> {
    this.#subscription = await this.#o.transport.subscribe({
      ...(onInterruption ? { onInterruption } : {}),
      groupId: this.#o.name,
      topics: this.#o.topics,
      fromBeginning: this.#o.fromBeginning,
      handle: async (message, { lag }) => {
        this.#o.metrics?.lag.set({ group: this.#o.name, topic: message.topic, partition: String(message.partition) }, lag)
        await this.process(message)
      },
    })
  }

  async stop(): Promise<void> {
    await this.#subscription?.stop()
    this.#subscription = undefined
  }

  /** Processes one message to completion: effect, duplicate, skipped or dead-lettered. */
  async process(message: ReceivedMessage): Promise<'processed' | 'duplicate' | 'ignored' | 'dead-lettered'> {
    let event: CloudEvent
    try {
      event = fromTransportMessage(message)
      if (this.#o.catalogue.has(event.type)) this.#o.catalogue.validate(event.type, event.data)
    } catch (err) {
      return this.#deadLetter(message, err, 1)
    }
    const log = this.#o.logger.child({ eventId: event.id, eventType: event.type, traceId: traceIdOf(event.traceparent) })
    const handler = this.#o.handlers[event.type]
    let lastError: unknown
    for (let attempt = 1; attempt <= this.#o.maxAttempts; attempt++) {
      try {
        const transaction = () => this.#db.transaction().execute(async (tx) => {
          const inserted = await tx
            .insertInto('inbox')
            .values({ consumer: this.#o.name, event_id: event.id, event_type: event.type, topic: message.topic })
            .onConflict((c) => c.columns(['consumer', 'event_id']).doNothing())
            .returning('event_id')
            .executeTakeFirst()
          if (!inserted) return 'duplicate' as const
          if (!handler) return 'ignored' as const
          await handler(event, { tx, log, message })
          return 'processed' as const
        })
        const outcome = await this.#o.aroundTransaction(transaction)
        this.#o.metrics?.consumed.inc({ topic: message.topic, outcome })
        if (outcome === 'duplicate') log.debug('duplicate event skipped')
        return outcome
      } catch (err) {
        lastError = err
        if (err instanceof PermanentError) break
        log.warn({ err, attempt }, 'event handler failed')
        if (attempt < this.#o.maxAttempts) await new Promise((r) => setTimeout(r, this.#o.retryDelayMs * attempt))
      }
    }
    return this.#deadLetter(message, lastError, this.#o.maxAttempts)
  }

  async #deadLetter(message: ReceivedMessage, err: unknown, attempts: number): Promise<'dead-lettered'> {
    const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
    // Published straight to the broker, not via the outbox: the message's position only moves on once
    // the DLQ has it, so a failure here makes the transport deliver the message again.
    await this.#o.transport.publish([
      {
        topic: dlqTopic(message.topic),
        key: message.key,
        value: message.value,
        headers: {
          ...message.headers,
          dlq_error: error.slice(0, 2_000),
          dlq_original_topic: message.topic,
          dlq_original_partition: String(message.partition),
          dlq_original_offset: message.offset,
          dlq_consumer: this.#o.name,
          dlq_attempts: String(attempts),
          dlq_failed_at: new Date().toISOString(),
        },
      },
    ])
    this.#o.metrics?.dlq.inc({ topic: message.topic })
    this.#o.metrics?.consumed.inc({ topic: message.topic, outcome: 'dead-lettered' })
    this.#o.logger.error({ topic: message.topic, partition: message.partition, offset: message.offset, error }, 'message sent to dead-letter topic')
    return 'dead-lettered'
  }
}

export { PermanentError }
