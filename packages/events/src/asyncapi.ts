import type { EventCatalogue } from './catalogue.js'
import { dlqTopic } from './catalogue.js'

/**
 * The AsyncAPI 3.0 document of an event catalogue: one channel per topic (and its dead-letter
 * topic), one message per event type with its JSON Schema payload and CloudEvents headers.
 */
export function asyncApiDocument(catalogue: EventCatalogue, info: { title: string; version: string; description: string }): Record<string, unknown> {
  const channels: Record<string, unknown> = {}
  const operations: Record<string, unknown> = {}
  const messages: Record<string, unknown> = {}
  const id = (s: string) => s.replace(/[^A-Za-z0-9]/g, '_')
  for (const topic of catalogue.topics) {
    const defs = catalogue.definitions.filter((d) => d.topic === topic)
    const channelMessages: Record<string, unknown> = {}
    for (const d of defs) {
      messages[id(d.type)] = {
        name: d.type,
        title: d.type,
        summary: d.summary,
        contentType: 'application/json',
        headers: { $ref: '#/components/schemas/CloudEventHeaders' },
        payload: JSON.parse(JSON.stringify(d.schema)),
        bindings: { kafka: { key: { type: 'string', description: d.keyDescription } } },
      }
      channelMessages[id(d.type)] = { $ref: `#/components/messages/${id(d.type)}` }
    }
    channels[id(topic)] = { address: topic, messages: channelMessages }
    const producer = defs.find((d) => d.externalProducer)?.externalProducer
    if (producer) {
      channels[id(topic)] = { address: topic, description: `Published by ${producer}, not by the platform.`, messages: channelMessages }
      operations[`receive_${id(topic)}`] = { action: 'receive', channel: { $ref: `#/channels/${id(topic)}` } }
    } else {
      operations[`publish_${id(topic)}`] = { action: 'send', channel: { $ref: `#/channels/${id(topic)}` } }
    }
    channels[id(dlqTopic(topic))] = {
      address: dlqTopic(topic),
      description: `Messages of ${topic} that a consumer could not process after bounded retries; headers carry dlq_error, dlq_original_topic, dlq_original_partition, dlq_original_offset, dlq_consumer, dlq_attempts, dlq_failed_at.`,
      messages: Object.fromEntries(Object.keys(channelMessages).map((m) => [m, { $ref: `#/components/messages/${m}` }])),
    }
  }
  return {
    asyncapi: '3.0.0',
    info: { title: info.title, version: info.version, description: info.description },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: {
      messages,
      schemas: {
        CloudEventHeaders: {
          type: 'object',
          description: 'CloudEvents 1.0 attributes in Kafka binary content mode',
          required: ['ce_specversion', 'ce_id', 'ce_source', 'ce_type'],
          properties: {
            ce_specversion: { type: 'string', const: '1.0' },
            ce_id: {
              type: 'string',
              description: 'Unique event id. Delivery is at least once: the same event (same ce_id) may arrive again after a crash or an outage, even at another offset; consumers deduplicate on it',
            },
            ce_source: { type: 'string' },
            ce_type: { type: 'string' },
            ce_time: { type: 'string', format: 'date-time' },
            ce_subject: { type: 'string' },
            ce_traceparent: { type: 'string', description: 'W3C trace context' },
            traceparent: { type: 'string', description: 'W3C trace context (copy for non-CloudEvents tooling)' },
            'content-type': { type: 'string', const: 'application/json' },
          },
        },
      },
    },
  }
}
