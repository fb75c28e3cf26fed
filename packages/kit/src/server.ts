import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'

export interface RunServerOptions {
  host: string
  port: number
  /** Milliseconds in-flight requests get to finish after SIGTERM/SIGINT before the process exits. */
  graceMs?: number
}

export interface RunningServer {
  /** The address the server listens on, e.g. `http://127.0.0.1:3000`. */
  address: string
  /** Stops listening, lets in-flight requests finish, runs `onClose` hooks; removes signal handlers. */
  close(): Promise<void>
}

/**
 * Listens and installs graceful shutdown: on SIGTERM/SIGINT (or an uncaught error) the app stops
 * accepting connections, answers 503 to new requests on kept-alive sockets, finishes in-flight
 * requests, runs its `onClose` hooks (database, consumers, relays close there), and the process
 * exits; if that takes longer than `graceMs`, it exits anyway with status 1.
 */
export async function runServer(app: FastifyInstance, options: RunServerOptions): Promise<RunningServer> {
  const grace = closeWithGrace({ delay: options.graceMs ?? 10_000, logger: { error: (msg: unknown) => app.log.error(msg) } }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an uncaught error')
    else app.log.info({ signal }, 'shutting down')
    await app.close()
  })
  try {
    const address = await app.listen({ host: options.host, port: options.port })
    return {
      address,
      async close() {
        grace.uninstall()
        await app.close()
      },
    }
  } catch (error) {
    grace.uninstall()
    throw error
  }
}
