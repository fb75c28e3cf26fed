import kafkajs, { type Admin, type Consumer, type KafkaConfig, type Producer } from 'kafkajs'
import type { Logger } from 'pino'
import type { TransportMessage } from './envelope.js'
import { UndeliverableMessageError, type ReceivedMessage, type SubscribeOptions, type Subscription, type Transport } from './transport.js'

// kafkajs is CommonJS: under ESM only some named exports exist, so take them from the default.
const { Kafka, Partitioners, logLevel } = kafkajs

export interface KafkaTransportOptions {
  brokers: string[]
  clientId: string
  logger: Logger
  /** Partitions of topics this transport creates; consumers scale up to this count. */
  partitions?: number
  replicationFactor?: number
  /**
   * Prefix of every topic and consumer group on the cluster (`<namespace>.<topic>`), so several
   * environments or test runs can share one cluster without seeing each other's messages.
   */
  namespace?: string
  /** Extra kafkajs settings (TLS, SASL) for deployments. */
  connection?: Pick<KafkaConfig, 'ssl' | 'sasl' | 'connectionTimeout' | 'requestTimeout'>
  /** How long a running consumer may go without a fetch or heartbeat answered before it counts as interrupted. Default 15 s. */
  stallMs?: number
}

function headersToStrings(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined || value === null) continue
    const first = Array.isArray(value) ? value[0] : value
    out[name] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first)
  }
  return out
}

export class KafkaTransport implements Transport {
  readonly kind = 'kafka' as const
  readonly #kafka: InstanceType<typeof Kafka>
  readonly #adminKafka: InstanceType<typeof Kafka>
  readonly #options: KafkaTransportOptions
  #producer: Promise<Producer> | undefined
  #admin: Promise<Admin> | undefined
  readonly #consumers = new Set<Consumer>()
  readonly #unwatch = new WeakMap<Consumer, () => void>()
  /** Every client ever created, so close() can disconnect one that is still connecting. */
  readonly #clients = new Set<Producer | Admin>()

  constructor(options: KafkaTransportOptions) {
    this.#options = options
    const log = options.logger.child({ component: 'kafkajs' })
    const logCreator = () => ({ level, log: entry }: { level: number; log: { message: string } & Record<string, unknown> }) => {
      const { message, ...rest } = entry
      if (level <= logLevel.ERROR) log.error(rest, message)
      else if (level <= logLevel.WARN) log.warn(rest, message)
      else log.debug(rest, message)
    }
    const client = (retry: NonNullable<KafkaConfig['retry']>) =>
      new Kafka({ clientId: options.clientId, brokers: options.brokers, ...options.connection, retry, logLevel: logLevel.WARN, logCreator })
    // Producer and consumers ride out a broker restart without losing their place (a consumer that
    // gave up would rejoin its group as a new member and wait for the old one's session to expire).
    this.#kafka = client({ initialRetryTime: 200, maxRetryTime: 5_000, retries: 12 })
    // The admin client serves readiness probes and topic set-up: those must fail fast.
    this.#adminKafka = client({ initialRetryTime: 100, maxRetryTime: 1_000, retries: 3 })
  }

  #connectedProducer(): Promise<Producer> {
    this.#producer ??= (async () => {
      // Idempotent producer: a retried send after a lost ack does not write a second copy.
      const producer = this.#kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: true,
      })
      this.#clients.add(producer)
      await producer.connect()
      return producer
    })().catch((err) => {
      this.#producer = undefined
      throw err
    })
    return this.#producer
  }

  #connectedAdmin(): Promise<Admin> {
    this.#admin ??= (async () => {
      // Few retries: the admin client serves readiness probes and topic set-up, which must fail fast.
      const admin = this.#adminKafka.admin()
      this.#clients.add(admin)
      await admin.connect()
      return admin
    })().catch((err) => {
      this.#admin = undefined
      throw err
    })
    return this.#admin
  }

  #physical(name: string): string {
    return this.#options.namespace ? `${this.#options.namespace}.${name}` : name
  }

  #logical(name: string): string {
    const prefix = this.#options.namespace ? `${this.#options.namespace}.` : ''
    return name.startsWith(prefix) ? name.slice(prefix.length) : name
  }

  async publish(messages: readonly TransportMessage[]): Promise<void> {
    if (messages.length === 0) return
    const byTopic = new Map<string, TransportMessage[]>()
    for (const m of messages) byTopic.set(this.#physical(m.topic), [...(byTopic.get(this.#physical(m.topic)) ?? []), m])
    const producer = await this.#connectedProducer()
    try {
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, list]) => ({
          topic,
          messages: list.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
        })),
      })
    } catch (err) {
      const refusal = refusalOf(err)
      throw refusal === undefined ? err : new UndeliverableMessageError(`the broker refused the messages: ${refusal}`, { cause: err })
    }
  }

  async ensureTopics(topics: readonly string[]): Promise<void> {
    const admin = await this.#connectedAdmin()
    const existing = new Set(await admin.listTopics())
    const missing = topics.map((t) => this.#physical(t)).filter((t) => !existing.has(t))
    if (missing.length === 0) return
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: this.#options.partitions ?? 3,
        replicationFactor: this.#options.replicationFactor ?? 1,
      })),
    })
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const consumer = this.#kafka.consumer({
      groupId: this.#physical(options.groupId),
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      retry: { initialRetryTime: 300, maxRetryTime: 5_000, retries: 20 },
    })
    const watch = options.onInterruption ? this.#watch(consumer, options.onInterruption) : () => {}
    try {
      await consumer.connect()
      await consumer.subscribe({ topics: options.topics.map((t) => this.#physical(t)), fromBeginning: options.fromBeginning ?? true })
      await this.#run(consumer, options)
    } catch (error) {
      // A consumer that could not start is let go, so that a retry starts a clean one.
      watch()
      await consumer.disconnect().catch(() => {})
      throw error
    }
    this.#consumers.add(consumer)
    this.#unwatch.set(consumer, watch)
    return {
      stop: async () => {
        this.#consumers.delete(consumer)
        this.#unwatch.get(consumer)?.()
        await consumer.disconnect()
      },
    }
  }

  /**
   * kafkajs keeps a running consumer's promise resolved while it retries a lost broker for minutes,
   * so its silence is what tells: a fetch answers at least every `maxWaitTimeInMs` (5 s) and a
   * heartbeat every 3 s while the broker is there. Reports an interruption after `stallMs` without
   * either (or at once when kafkajs gives up and restarts the consumer), and the end of it at the
   * next sign of life. Returns what stops watching.
   */
  #watch(consumer: Consumer, report: (why: Error | null) => void): () => void {
    const stallMs = this.#options.stallMs ?? 15_000
    let lastSign = Date.now()
    let interrupted = false
    const alive = () => {
      lastSign = Date.now()
      if (interrupted) {
        interrupted = false
        report(null)
      }
    }
    const { FETCH, HEARTBEAT, END_BATCH_PROCESS, GROUP_JOIN, CRASH } = consumer.events
    const removers = [FETCH, HEARTBEAT, END_BATCH_PROCESS, GROUP_JOIN].map((event) => consumer.on(event, alive))
    removers.push(
      consumer.on(CRASH, (e) => {
        interrupted = true
        report(e.payload.error)
      }),
    )
    const timer = setInterval(() => {
      if (interrupted || Date.now() - lastSign < stallMs) return
      interrupted = true
      report(new Error(`no fetch or heartbeat answered by the broker for ${Math.round((Date.now() - lastSign) / 1000)} s`))
    }, Math.min(2_000, stallMs))
    timer.unref()
    return () => {
      clearInterval(timer)
      for (const remove of removers) remove()
    }
  }

  #run(consumer: Consumer, options: SubscribeOptions): Promise<void> {
    return consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }) => {
        const high = BigInt(batch.highWatermark)
        for (const m of batch.messages) {
          if (!isRunning() || isStale()) break
          const received: ReceivedMessage = {
            topic: this.#logical(batch.topic),
            partition: batch.partition,
            offset: m.offset,
            key: m.key ? m.key.toString('utf8') : null,
            value: m.value ?? Buffer.alloc(0),
            headers: headersToStrings(m.headers),
          }
          await options.handle(received, { lag: Number(high - BigInt(m.offset) - 1n) })
          resolveOffset(m.offset)
          await heartbeat()
        }
        await commitOffsetsIfNecessary()
      },
    })
  }

  /** Readiness must answer quickly: kafkajs alone would retry for many seconds against a dead broker. */
  async ping(timeoutMs = 2_000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)))
    const probe = (async () => {
      const admin = await this.#connectedAdmin()
      await admin.describeCluster()
      return true
    })().catch(() => false)
    try {
      return await Promise.race([probe, timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  async close(): Promise<void> {
    const consumers = [...this.#consumers]
    this.#consumers.clear()
    for (const c of consumers) this.#unwatch.get(c)?.()
    await Promise.allSettled(consumers.map((c) => c.disconnect()))
    this.#producer = undefined
    this.#admin = undefined
    const clients = [...this.#clients]
    this.#clients.clear()
    await Promise.allSettled(clients.map((c) => c.disconnect()))
  }
}

/** Kafka's answers that refuse a message as such: resending it can never succeed. */
const REFUSALS = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD', 'CORRUPT_MESSAGE', 'INVALID_TOPIC_EXCEPTION'])

/** The refusal in an error of kafkajs or in what it wraps (its retrier nests the broker's answer in `cause`). */
function refusalOf(error: unknown): string | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    const { type, cause } = current as { type?: unknown; cause?: unknown }
    if (typeof type === 'string' && REFUSALS.has(type)) return type
    current = cause
  }
  return undefined
}
