import { randomFillSync } from 'node:crypto'
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'
import {
  ROOT_CONTEXT,
  TraceFlags,
  isSpanContextValid,
  trace as otelTrace,
  type SpanContext,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import type { FastifyInstance, FastifyServerOptions } from 'fastify'
import fp from 'fastify-plugin'

/** The W3C trace context of one request, as this service continues it. */
export interface TraceContext {
  /** 32 lowercase hex digits; shared by every hop of the trace. */
  readonly traceId: string
  /** 16 hex digits identifying this service's span of the request. */
  readonly spanId: string
  /** The caller's span id, when the request continued a trace. */
  readonly parentSpanId: string | undefined
  /** `traceparent` naming this span: what to propagate downstream (HTTP calls, outbox events). */
  readonly traceparent: string
  /** `tracestate` to propagate unchanged, when the caller sent one. */
  readonly tracestate: string | undefined
}

const propagator = new W3CTraceContextPropagator()

const headerGetter: TextMapGetter<IncomingHttpHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key.toLowerCase()],
}
const recordSetter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value
  },
}

// Ids are cut from a pool of random bytes filled 4 KiB at a time: one getrandom call per ~170
// requests instead of two per request (measured: the two calls were ~5 % of a one-INSERT route).
// Still the operating system's CSPRNG, so ids stay unpredictable.
const POOL_BYTES = 4096
const pool = Buffer.allocUnsafe(POOL_BYTES)
let poolOffset = POOL_BYTES

function randomHex(bytes: number): string {
  // All-zero ids are invalid in W3C trace context; the odds are negligible but the fix is free.
  for (;;) {
    if (poolOffset + bytes > POOL_BYTES) {
      randomFillSync(pool)
      poolOffset = 0
    }
    const hex = pool.toString('hex', poolOffset, poolOffset + bytes)
    poolOffset += bytes
    if (!/^0+$/.test(hex)) return hex
  }
}

/**
 * Continues the caller's trace with a new span id, or starts a new trace when the headers carry no
 * valid `traceparent` (parsing and validation are OpenTelemetry's W3C propagator, not ours).
 * Unsampled callers stay unsampled; new traces are marked sampled, since we record every request.
 */
export function continueTrace(headers: IncomingHttpHeaders): TraceContext {
  // Most requests start a trace. Its context is ours to make, and the propagator, which builds
  // OpenTelemetry contexts to read a caller's header and write ours, was the larger part of this
  // function's cost on every request; a caller's context still goes through it. (A tracestate
  // without a traceparent is dropped either way: W3C trace context §3.3.)
  if (headers.traceparent === undefined) return newTrace()
  const extracted = otelTrace.getSpanContext(propagator.extract(ROOT_CONTEXT, headers, headerGetter))
  const parent = extracted && isSpanContextValid(extracted) ? extracted : undefined
  const span: SpanContext = {
    traceId: parent?.traceId ?? randomHex(16),
    spanId: randomHex(8),
    traceFlags: parent?.traceFlags ?? TraceFlags.SAMPLED,
    ...(parent?.traceState ? { traceState: parent.traceState } : {}),
  }
  return toTraceContext(span, parent?.spanId)
}

/** A new sampled trace, its `traceparent` in the W3C version 00 form (`00-<trace>-<span>-01`). */
function newTrace(): TraceContext {
  const traceId = randomHex(16)
  const spanId = randomHex(8)
  return { traceId, spanId, parentSpanId: undefined, traceparent: `00-${traceId}-${spanId}-01`, tracestate: undefined }
}

function toTraceContext(span: SpanContext, parentSpanId: string | undefined): TraceContext {
  const carrier: Record<string, string> = {}
  propagator.inject(otelTrace.setSpanContext(ROOT_CONTEXT, span), carrier, recordSetter)
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId,
    traceparent: carrier.traceparent ?? `00-${span.traceId}-${span.spanId}-0${span.traceFlags & 1}`,
    tracestate: carrier.tracestate,
  }
}

/** Parses a stored `traceparent` (e.g. from an outbox row) back into ids; undefined when invalid. */
export function parseTraceparent(traceparent: string, tracestate?: string): TraceContext | undefined {
  const headers: IncomingHttpHeaders = { traceparent, ...(tracestate ? { tracestate } : {}) }
  const span = otelTrace.getSpanContext(propagator.extract(ROOT_CONTEXT, headers, headerGetter))
  if (!span || !isSpanContextValid(span)) return undefined
  return toTraceContext(span, undefined)
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's trace context; set before any other hook runs. */
    trace: TraceContext
  }
}

/**
 * Trace context is computed when Fastify creates the request's child logger (the earliest point
 * that sees the raw request) so that every log line of the request, including "incoming request",
 * carries the traceId. The request decorator then reads the same object.
 */
export function createTracing(): {
  childLoggerFactory: NonNullable<FastifyServerOptions['childLoggerFactory']>
  plugin: (app: FastifyInstance) => Promise<void>
} {
  const traces = new WeakMap<IncomingMessage, TraceContext>()
  const childLoggerFactory: NonNullable<FastifyServerOptions['childLoggerFactory']> = function (
    logger,
    bindings,
    options,
    rawReq,
  ) {
    const context = continueTrace(rawReq.headers)
    traces.set(rawReq as IncomingMessage, context)
    return logger.child({ ...bindings, traceId: context.traceId, spanId: context.spanId }, options)
  }
  const plugin = fp(
    async (app: FastifyInstance) => {
      app.decorateRequest('trace', null as unknown as TraceContext)
      app.addHook('onRequest', async (request, reply) => {
        request.trace = traces.get(request.raw) ?? continueTrace(request.headers)
        reply.header('traceparent', request.trace.traceparent)
      })
    },
    { name: '@sme/kit/tracing', fastify: '5.x' },
  )
  return { childLoggerFactory, plugin }
}
