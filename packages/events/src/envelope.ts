import { randomUUID } from 'node:crypto'

/**
 * A CloudEvents 1.0 event with a JSON body. `traceparent`/`tracestate` are the CloudEvents
 * distributed-tracing extension: they carry the W3C trace context of the request that caused the
 * event from the HTTP edge, through the outbox, into Kafka headers and into the consumer's logs.
 */
export interface CloudEvent<T = unknown> {
  specversion: '1.0'
  /** Unique per event; consumers deduplicate on it (the inbox). */
  id: string
  /** URI-reference of the producing service, e.g. `/sme-relief/scoring`. */
  source: string
  /** Reverse-DNS event type with its major version, e.g. `sme.scoring.result.v1`. */
  type: string
  /** RFC 3339 UTC instant at which the change happened (the outbox write). */
  time: string
  /** What the event is about within the source, e.g. the enterprise's USCC. */
  subject?: string
  datacontenttype: 'application/json'
  data: T
  traceparent?: string
  tracestate?: string
}

/** A message as every transport sees it: Kafka binary content mode (ce_* headers, JSON value). */
export interface TransportMessage {
  topic: string
  /** Partition key: the enterprise's USCC or the loan id, so per-entity order holds. */
  key: string | null
  value: Buffer
  headers: Record<string, string>
}

export class EnvelopeError extends Error {
  override name = 'EnvelopeError'
}

const REQUIRED = ['id', 'source', 'type', 'specversion'] as const
const OPTIONAL = ['time', 'subject', 'traceparent', 'tracestate'] as const
const HEADER_FIELDS = [...REQUIRED, ...OPTIONAL] as const

export function newEvent<T>(fields: { source: string; type: string; data: T; subject?: string | undefined; traceparent?: string | undefined; tracestate?: string | undefined; time?: Date; id?: string }): CloudEvent<T> {
  const event: CloudEvent<T> = {
    specversion: '1.0',
    id: fields.id ?? randomUUID(),
    source: fields.source,
    type: fields.type,
    time: (fields.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    data: fields.data,
  }
  if (fields.subject !== undefined) event.subject = fields.subject
  if (fields.traceparent !== undefined) event.traceparent = fields.traceparent
  if (fields.tracestate !== undefined) event.tracestate = fields.tracestate
  return event
}

/** Headers of the Kafka binary content mode (CloudEvents Kafka protocol binding §3.2). */
export function eventHeaders(event: CloudEvent): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  for (const name of HEADER_FIELDS) {
    const value = event[name]
    if (value !== undefined) headers[`ce_${name}`] = value
  }
  // Plain `traceparent` too, so tracing tools that know nothing of CloudEvents follow the trace.
  if (event.traceparent) headers.traceparent = event.traceparent
  return headers
}

export function toTransportMessage(topic: string, key: string | null, event: CloudEvent): TransportMessage {
  return { topic, key, value: Buffer.from(JSON.stringify(event.data)), headers: eventHeaders(event) }
}

/** Reads a binary-mode message back into an event; a message that is not one is an EnvelopeError. */
export function fromTransportMessage(message: Pick<TransportMessage, 'value' | 'headers'>): CloudEvent {
  const h = message.headers
  for (const name of REQUIRED) {
    if (!h[`ce_${name}`]) throw new EnvelopeError(`missing header ce_${name}`)
  }
  if (h.ce_specversion !== '1.0') throw new EnvelopeError(`unsupported ce_specversion ${h.ce_specversion}`)
  const contentType = h['content-type']
  if (contentType !== undefined && !contentType.startsWith('application/json')) {
    throw new EnvelopeError(`unsupported content-type ${contentType}`)
  }
  let data: unknown
  try {
    data = JSON.parse(message.value.toString('utf8'))
  } catch (err) {
    throw new EnvelopeError('body is not JSON', { cause: err })
  }
  const event: CloudEvent = {
    specversion: '1.0',
    id: h.ce_id!,
    source: h.ce_source!,
    type: h.ce_type!,
    time: h.ce_time ?? '',
    datacontenttype: 'application/json',
    data,
  }
  if (h.ce_subject) event.subject = h.ce_subject
  const traceparent = h.ce_traceparent ?? h.traceparent
  if (traceparent) event.traceparent = traceparent
  if (h.ce_tracestate) event.tracestate = h.ce_tracestate
  return event
}
