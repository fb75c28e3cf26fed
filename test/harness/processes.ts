// Processes run as an operator runs them: a service as its own Node.js process
// (services/<name>/src/main.ts) or a script, configured by the environment, on a database of the
// test's own on the shared server.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createPostgresDatabase, sql } from '@sme/data'
import { freePort, requireEnv, uniqueName, type Teardown } from '@sme/testing'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

export interface ServiceProcess {
  url: string
  pid: number
  /** What the process wrote (pino JSON lines and anything else), for a failing test's message. */
  output(): string
  /** Sends the signal and waits for the process to end; resolves with its exit code or signal. */
  kill(signal: NodeJS.Signals): Promise<string>
  exited(): boolean
}

/** A database of the test's own on the shared server (created, dropped at teardown), and its URL. */
export async function ownDatabase(t: Teardown, prefix: string): Promise<string> {
  const admin = createPostgresDatabase<any>({ connectionString: requireEnv('DATABASE_URL'), maxConnections: 1 })
  const name = uniqueName(prefix)
  await sql`create database ${sql.id(name)}`.execute(admin.db)
  t.teardown(async () => {
    await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin.db)
    await admin.close()
  })
  const url = new URL(requireEnv('DATABASE_URL'))
  url.pathname = `/${name}`
  return url.toString()
}

/** Starts `services/<name>/src/main.ts` as a child process on a free port; resolves once it answers liveness. */
export async function startServiceProcess(t: Teardown, name: string, env: Record<string, string>): Promise<ServiceProcess> {
  const port = env.PORT ?? String(await freePort())
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', `services/${name}/src/main.ts`], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env, PORT: port, HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (chunk) => (output += String(chunk)))
  child.stderr!.on('data', (chunk) => (output += String(chunk)))
  let exit: string | undefined
  const ended = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve((exit = signal ?? String(code)))))
  const proc: ServiceProcess = {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    output: () => output,
    exited: () => exit !== undefined,
    async kill(signal) {
      if (exit === undefined) child.kill(signal)
      return ended
    },
  }
  t.teardown(() => proc.kill('SIGKILL'))
  for (const deadline = Date.now() + 60_000; ; await new Promise((r) => setTimeout(r, 50))) {
    if (exit !== undefined) throw new Error(`${name} exited (${exit}) before serving:\n${output.slice(-4_000)}`)
    if (Date.now() > deadline) throw new Error(`${name} did not answer liveness within 60 s:\n${output.slice(-4_000)}`)
    const res = await fetch(`${proc.url}/health/live`).catch(() => undefined)
    if (res?.status === 200) return proc
  }
}

/** Runs `scripts/<name>.ts` to its end; resolves with its exit code and output (never rejects on a non-zero exit). */
export function runScript(name: string, args: readonly string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', `scripts/${name}.ts`, ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error && typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : error ? 1 : 0
      resolve({ code, stdout, stderr })
    })
  })
}
