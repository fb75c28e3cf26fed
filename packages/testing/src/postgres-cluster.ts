import { execFile } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort } from './local-kafka.js'

/**
 * A PostgreSQL cluster of a test's own, which the test may stop, kill and restart: the machine's
 * shared server is never restarted (other work depends on it). Made with the server binaries that
 * are installed (initdb, pg_ctl), on a free port, in a temporary directory, trust authentication for
 * 127.0.0.1. PostgreSQL refuses to run as root: when the tests run as root the cluster belongs to
 * the `postgres` system user and its commands run through `runuser`.
 */
export interface PostgresCluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  readonly url: string
  readonly port: number
  /** Stops and starts the server; `immediate` is the crash-like stop (no checkpoint, backends killed). */
  restart(mode?: 'fast' | 'immediate'): Promise<void>
  stop(mode?: 'fast' | 'immediate'): Promise<void>
  start(): Promise<void>
  /** Stops the server and removes its directory. */
  destroy(): Promise<void>
}

const run = promisify(execFile)

/** Where the installed server binaries are, or undefined when none are (the test then skips). */
export function postgresBinaries(): string | undefined {
  for (const version of ['17', '16', '15', '14']) {
    const dir = `/usr/lib/postgresql/${version}/bin`
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir
  }
  return undefined
}

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = postgresBinaries()
  if (bin === undefined) throw new Error('no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql')
  const asRoot = process.getuid?.() === 0
  const dir = mkdtempSync(join(tmpdir(), 'sme-pg-'))
  const data = join(dir, 'data')
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres'])
    const { stdout: group } = await run('id', ['-g', 'postgres'])
    chownSync(dir, Number(stdout.trim()), Number(group.trim()))
    chmodSync(dir, 0o700)
  }
  const as = (command: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, command), ...args]) : run(join(bin, command), args))
  const port = await freePort()
  await as('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8'])
  // Small and quick: no fsync (a test cluster), the socket in the cluster's own directory.
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off -c max_connections=50`
  const pgCtl = (...args: string[]) => as('pg_ctl', ['-D', data, '-w', '-t', '30', ...args])
  const start = async () => void (await pgCtl('-o', options, '-l', join(dir, 'log'), 'start'))
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => void (await pgCtl('-m', mode, 'stop'))
  await start()
  let destroyed = false
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    async restart(mode = 'fast') {
      await stop(mode)
      await start()
    },
    async destroy() {
      if (destroyed) return
      destroyed = true
      await stop('immediate').catch(() => {})
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
