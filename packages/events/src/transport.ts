import type { TransportMessage } from './envelope.js'

export interface ReceivedMessage extends TransportMessage {
  partition: number
  /** Kafka offset as a decimal string (int64). */
  offset: string
}

export interface DeliveryContext {
  /** Messages behind the end of the partition after this one: consumer lag. */
  lag: number
}

export interface SubscribeOptions {
  groupId: string
  topics: string[]
  /** Where a group with no committed position starts. Default true: a new consumer misses nothing. */
  fromBeginning?: boolean
  /**
   * Called once per message, in order per partition. Resolving commits the position; throwing
   * makes the transport deliver the same message again later (at-least-once).
   */
  handle: (message: ReceivedMessage, context: DeliveryContext) => Promise<void>
  /**
   * Told when a running subscription stops hearing from its broker (with why) and when it hears
   * again (null): subscribing succeeded long ago, but what it delivers may have stopped. A transport
   * that cannot lose its broker never calls it.
   */
  onInterruption?: (why: Error | null) => void
}

export interface Subscription {
  stop(): Promise<void>
}

/**
 * What the platform needs from a message broker. Kafka (kafkajs) and the in-process transport of
 * the embedded mode implement it; nothing outside this package imports a Kafka client, so the
 * client can be replaced without touching services.
 */
export interface Transport {
  readonly kind: 'kafka' | 'in-process'
  /** Resolves once every message is durably accepted (Kafka: acks from all in-sync replicas). */
  publish(messages: readonly TransportMessage[]): Promise<void>
  subscribe(options: SubscribeOptions): Promise<Subscription>
  ensureTopics(topics: readonly string[]): Promise<void>
  /** True when the broker answers; used by readiness. */
  ping(): Promise<boolean>
  close(): Promise<void>
}

/**
 * The broker refused these messages as such (too large, a record it calls invalid or corrupt, a
 * topic name it cannot have): sending them again cannot succeed, so the relay sets them aside (dead,
 * counted, re-sendable by an operator). Any other failure of `publish` (the broker down, a leader
 * moving, a timeout) is an outage, and the messages are sent again until they are accepted: an
 * unavailable broker never kills an event.
 */
export class UndeliverableMessageError extends Error {
  override readonly name = 'UndeliverableMessageError'
}

export function isUndeliverable(error: unknown): error is UndeliverableMessageError {
  return error instanceof UndeliverableMessageError
}
