import { Counter, Gauge, type Registry } from 'prom-client'

/** Messaging metrics of one service, registered on that service's registry. */
export interface EventMetrics {
  published: Counter
  dead: Counter
  /** 1 while the relay's LISTEN session is open (instant wake-up), 0 while it polls only. */
  listening: Gauge
  consumed: Counter<'topic' | 'outcome'>
  dlq: Counter<'topic'>
  lag: Gauge<'group' | 'topic' | 'partition'>
}

export function createEventMetrics(
  registry: Registry,
  backlog?: () => Promise<{ pending: number; oldestAgeSeconds: number }>,
): EventMetrics {
  if (backlog) {
    // Read at scrape time: the outbox table is the truth, not a counter that a restart resets.
    let last: Promise<{ pending: number; oldestAgeSeconds: number }> | undefined
    const read = () => (last ??= backlog().finally(() => setTimeout(() => (last = undefined), 0)))
    new Gauge({
      name: 'outbox_backlog_events',
      help: 'Events written to the outbox and not yet published',
      registers: [registry],
      async collect() {
        this.set((await read().catch(() => ({ pending: Number.NaN }))).pending)
      },
    })
    new Gauge({
      name: 'outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest unpublished outbox event',
      registers: [registry],
      async collect() {
        this.set((await read().catch(() => ({ oldestAgeSeconds: Number.NaN }))).oldestAgeSeconds)
      },
    })
  }
  return {
    published: new Counter({ name: 'outbox_published_total', help: 'Events published by the outbox relay', registers: [registry] }),
    dead: new Counter({ name: 'outbox_dead_total', help: 'Outbox events the broker refused as such (too large, invalid) and the relay set aside; an outage never sets one aside', registers: [registry] }),
    listening: new Gauge({
      name: 'outbox_relay_listening',
      help: '1 while the outbox relay listens for commits (publishes at once), 0 while it only polls (the session is being reopened)',
      registers: [registry],
    }),
    consumed: new Counter({
      name: 'events_consumed_total',
      help: 'Events received, by outcome (processed, duplicate, ignored, dead-lettered)',
      labelNames: ['topic', 'outcome'] as const,
      registers: [registry],
    }),
    dlq: new Counter({ name: 'events_dlq_total', help: 'Events sent to a dead-letter topic', labelNames: ['topic'] as const, registers: [registry] }),
    lag: new Gauge({
      name: 'consumer_lag_messages',
      help: 'Messages behind the end of the partition, per consumer group',
      labelNames: ['group', 'topic', 'partition'] as const,
      registers: [registry],
    }),
  }
}
