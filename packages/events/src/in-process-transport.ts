import type { TransportMessage } from './envelope.js'
import type { ReceivedMessage, SubscribeOptions, Subscription, Transport } from './transport.js'

interface Group {
  options: SubscribeOptions
  /** Next offset to deliver, per topic. */
  positions: Map<string, number>
  running: boolean
  pumping: boolean
}

/**
 * The embedded mode's broker: one ordered log per topic in memory, consumer groups with their own
 * positions, at-least-once delivery (a handler that throws sees the message again after a pause).
 * It keeps nothing across restarts; the outbox is what makes events durable in the embedded mode
 * too, and a deployment uses Kafka.
 */
export class InProcessTransport implements Transport {
  readonly kind = 'in-process' as const
  readonly #logs = new Map<string, TransportMessage[]>()
  readonly #groups = new Map<string, Group>()
  readonly #redeliveryDelayMs: number
  #closed = false

  constructor(options: { redeliveryDelayMs?: number } = {}) {
    this.#redeliveryDelayMs = options.redeliveryDelayMs ?? 200
  }

  #log(topic: string): TransportMessage[] {
    let log = this.#logs.get(topic)
    if (!log) this.#logs.set(topic, (log = []))
    return log
  }

  async publish(messages: readonly TransportMessage[]): Promise<void> {
    if (this.#closed) throw new Error('transport closed')
    const touched = new Set<string>()
    for (const m of messages) {
      this.#log(m.topic).push({ ...m, headers: { ...m.headers } })
      touched.add(m.topic)
    }
    for (const group of this.#groups.values()) {
      if (group.options.topics.some((t) => touched.has(t))) this.#pump(group)
    }
  }

  async ensureTopics(topics: readonly string[]): Promise<void> {
    for (const t of topics) this.#log(t)
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    if (this.#groups.get(options.groupId)?.running) {
      throw new Error(`group ${options.groupId} already has a consumer in this process`)
    }
    const previous = this.#groups.get(options.groupId)
    const positions = previous?.positions ?? new Map<string, number>()
    for (const topic of options.topics) {
      if (!positions.has(topic)) positions.set(topic, options.fromBeginning === false ? this.#log(topic).length : 0)
    }
    const group: Group = { options, positions, running: true, pumping: false }
    this.#groups.set(options.groupId, group)
    this.#pump(group)
    return {
      stop: async () => {
        group.running = false
        while (group.pumping) await new Promise((r) => setTimeout(r, 5))
      },
    }
  }

  #pump(group: Group): void {
    if (group.pumping || !group.running) return
    group.pumping = true
    void (async () => {
      try {
        let delivered = true
        while (delivered && group.running && !this.#closed) {
          delivered = false
          for (const topic of group.options.topics) {
            const log = this.#log(topic)
            let position = group.positions.get(topic) ?? 0
            while (position < log.length && group.running && !this.#closed) {
              const message = log[position]!
              const received: ReceivedMessage = { ...message, partition: 0, offset: String(position) }
              try {
                await group.options.handle(received, { lag: log.length - position - 1 })
                position += 1
                group.positions.set(topic, position)
                delivered = true
              } catch {
                // Same as Kafka: the position does not move, the message comes again.
                await new Promise((r) => setTimeout(r, this.#redeliveryDelayMs))
              }
            }
          }
        }
      } finally {
        group.pumping = false
      }
    })()
  }

  async ping(): Promise<boolean> {
    return !this.#closed
  }

  async close(): Promise<void> {
    this.#closed = true
    for (const group of this.#groups.values()) group.running = false
    while ([...this.#groups.values()].some((g) => g.pumping)) await new Promise((r) => setTimeout(r, 5))
  }
}
