import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const script = resolve(dirname(fileURLToPath(import.meta.url)), '../../../infra/kafka/kafka.sh')

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer()
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port'))))
    })
  })
}

export interface LocalKafka {
  brokers: string[]
  start(): Promise<void>
  stop(): Promise<void>
  /** Stops the broker and deletes its data. */
  destroy(): Promise<void>
}

/** Why a local broker cannot be started here, or undefined when it can (Java and Maven present). */
export async function localKafkaUnavailable(): Promise<string | undefined> {
  if (!existsSync(script)) return `${script} is missing`
  for (const [tool, why] of [['java', 'a JDK 17+ runs the broker'], ['mvn', 'Maven fetches it from Maven Central']] as const) {
    try {
      await run('sh', ['-c', `command -v ${tool}`])
    } catch {
      return `'${tool}' is not installed (${why})`
    }
  }
  return undefined
}

/**
 * A real single-node Kafka broker of the caller's own (own ports, own data directory), started from
 * infra/kafka/kafka.sh. Fault tests use one so that stopping it disturbs no other test.
 */
export async function startLocalKafka(options: { runDir?: string } = {}): Promise<LocalKafka> {
  const [port, controllerPort] = [await freePort(), await freePort()]
  const runDir = options.runDir ?? mkdtempSync(join(tmpdir(), 'sme-kafka-'))
  const env = { ...process.env, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(controllerPort), KAFKA_RUN_DIR: runDir }
  const call = async (command: string) => {
    await run('bash', [script, command], { env, maxBuffer: 10 * 1024 * 1024 })
  }
  const kafka: LocalKafka = {
    brokers: [`127.0.0.1:${port}`],
    start: () => call('start'),
    stop: () => call('stop'),
    async destroy() {
      await call('stop').catch(() => {})
      rmSync(runDir, { recursive: true, force: true })
    },
  }
  await kafka.start()
  return kafka
}
