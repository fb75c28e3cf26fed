/**
 * The part of autocannon 9's programmatic API the benchmark uses. autocannon ships no types, and
 * this small declaration spares the workspace another dependency (@types/autocannon).
 * Shapes follow autocannon's README and lib/aggregateResult.js; latencies are milliseconds.
 */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events'

  namespace autocannon {
    /** One request of a sequence (`Options.requests`); unset fields come from the options. */
    interface Request {
      method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
      path?: string
      headers?: Record<string, string>
      body?: string | Buffer
      /**
       * Called before each send of this request (a request with it is rebuilt every time); returns
       * the request to send, built from the one given.
       */
      setupRequest?: (request: Request & { headers: Record<string, string> }, context: Record<string, unknown>) => Request
    }

    interface Options {
      url: string
      connections?: number
      /** Seconds. */
      duration?: number
      /** Seconds to wait for a response before counting a timeout. */
      timeout?: number
      pipelining?: number
      /** Requests per second across all connections, at most (a paced load rather than all it can take). */
      overallRate?: number
      method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
      headers?: Record<string, string>
      body?: string | Buffer
      title?: string
      /** Each connection sends these in turn, over and over. */
      requests?: Request[]
    }

    interface Stats {
      mean: number
      stddev: number
      min: number
      max: number
      total?: number
      p50: number
      p90: number
      p99: number
    }

    interface Result {
      title?: string
      url: string
      connections: number
      /** Seconds actually run. */
      duration: number
      errors: number
      timeouts: number
      mismatches: number
      non2xx: number
      resets: number
      '1xx': number
      '2xx': number
      '3xx': number
      '4xx': number
      '5xx': number
      statusCodeStats: Record<string, { count: number }>
      /** Milliseconds, recorded by autocannon at 1 ms resolution. */
      latency: Stats & { totalCount: number }
      /** Requests per second, sampled each second. */
      requests: Stats & { sent: number }
      /** Bytes per second. */
      throughput: Stats
    }

    interface Instance extends EventEmitter {
      stop(): void
      on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTimeMs: number) => void): this
      on(event: string, listener: (...args: any[]) => void): this
    }
  }

  function autocannon(options: autocannon.Options, callback: (err: Error | null, result: autocannon.Result) => void): autocannon.Instance

  export = autocannon
}
