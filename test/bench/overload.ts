/**
 * `npm run bench:overload` — relief's intake pushed to about three times saturation, with load
 * shedding on and off. Relief runs as an operator runs it (its own process, `main.ts`, on a database
 * of its own on the shared PostgreSQL, the in-process transport). First its peak goodput is measured
 * with a closed loop (`--connections`, default 16); then three times that rate (`--factor`) is
 * offered from many clients (`--overload-connections`, default 400) twice: by autocannon, whose
 * clients send again at once whatever the answer, and by clients that honour `Retry-After` as the
 * API asks. The goodput (202 answers a second) is compared with the peak. A request not answered
 * within 10 s counts as lost to the caller. The service's CPU share and the shed requests by signal
 * come from its own metrics. Prints a Markdown table. Options: --duration S (default 15),
 * --connections N, --factor F, --overload-connections N, --shedding on,off. PIN_SERVICE_CPU=1 pins
 * the service to that CPU (run the bench itself under `taskset -c 0`).
 */
import { execFileSync } from 'node:child_process'
import os from 'node:os'
import { Agent, request as httpRequest } from 'node:http'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { migrateStandalone, mintToken } from '@sme/kit'
import { reliefService } from '../../services/relief/src/service.js'
import { applicationForToday } from '../harness/applications.js'
import { ownDatabase, startServiceProcess, type ServiceProcess } from '../harness/processes.js'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '15' },
    connections: { type: 'string', default: '16' },
    factor: { type: 'string', default: '3' },
    'overload-connections': { type: 'string', default: '400' },
    shedding: { type: 'string', default: 'on,off' },
  },
})
const durationSec = Number(values.duration)
const AUTH = { secret: 'overload-bench-secret-0123456789abcdef01', issuer: 'bench', audience: 'sme-relief' }
const teardowns: (() => unknown)[] = []
const t = { teardown: (fn: () => unknown) => void teardowns.unshift(fn) }

interface Figures {
  /** Share of one core the service used during the measurement (process_cpu_seconds_total). */
  cpu: number
  /** Shed requests by signal (http_requests_shed_total). */
  shedBy: Record<string, number>
  goodput: number
  shed: number
  failed: number
  timeouts: number
  p99Ms: number
}

/** The service's CPU seconds and shed requests so far, from its own metrics. */
async function processMetrics(proc: ServiceProcess): Promise<{ cpuSeconds: number; shed: Record<string, number> }> {
  const text = await (await fetch(`${proc.url}/metrics`)).text()
  const value = (line: string) => Number(line.split(' ').at(-1))
  const cpu = text.split('\n').find((l) => l.startsWith('process_cpu_seconds_total'))
  const shed: Record<string, number> = {}
  for (const line of text.split('\n').filter((l) => l.startsWith('http_requests_shed_total{'))) {
    const signal = /signal="([^"]+)"/.exec(line)?.[1]
    if (signal) shed[signal] = value(line)
  }
  return { cpuSeconds: cpu ? value(cpu) : Number.NaN, shed }
}

/** What the service's metrics say of a measurement (CPU share, refusals by signal), and the p99 of its 202s. */
function serviceFigures(before: Awaited<ReturnType<typeof processMetrics>>, after: Awaited<ReturnType<typeof processMetrics>>, seconds: number, latencies: number[]): Pick<Figures, 'cpu' | 'shedBy' | 'p99Ms'> {
  const sorted = [...latencies].sort((a, b) => a - b)
  return {
    cpu: (after.cpuSeconds - before.cpuSeconds) / seconds,
    shedBy: Object.fromEntries(Object.entries(after.shed).map(([k, v]) => [k, v - (before.shed[k] ?? 0)]).filter(([, v]) => Number(v) > 0)),
    p99Ms: sorted[Math.floor(sorted.length * 0.99)] ?? Number.NaN,
  }
}

let run = 0
async function measure(proc: ServiceProcess, token: string, options: { connections: number; overallRate?: number; seconds: number }): Promise<Figures> {
  const prefix = `OVL${run++}-${Date.now()}`
  const before = await processMetrics(proc)
  let seq = 0
  const latencies: number[] = []
  const result = await new Promise<autocannon.Result>((ok, fail) => {
    const instance = autocannon(
      {
        url: proc.url,
        connections: options.connections,
        duration: options.seconds,
        timeout: 10,
        ...(options.overallRate ? { overallRate: options.overallRate } : {}),
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        requests: [
          {
            method: 'POST',
            path: '/applications',
            setupRequest: (request) => {
              const n = seq++
              return { ...request, headers: { ...request.headers, 'idempotency-key': `${prefix}-${n}` }, body: JSON.stringify(applicationForToday(n, prefix)) }
            },
          },
        ],
      },
      (err, res) => (err ? fail(err) : ok(res)),
    )
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status === 202) latencies.push(ms)
    })
  })
  const after = await processMetrics(proc)
  const count = (code: string) => (result.statusCodeStats as Record<string, { count: number }> | undefined)?.[code]?.count ?? 0
  return {
    ...serviceFigures(before, after, options.seconds, latencies),
    goodput: count('202') / options.seconds,
    shed: count('429'),
    failed: result.non2xx - count('429'),
    timeouts: result.timeouts,
  }
}

/**
 * Clients that honour `Retry-After`, as the API asks its callers to: `clients` workers, each with one
 * request at a time at its share of `rate`; a worker answered 429 waits the `Retry-After` before its
 * next request (the refused application is counted as shed, not sent again). A request unanswered
 * after 10 s counts as timed out.
 */
async function measurePolite(proc: ServiceProcess, token: string, options: { clients: number; rate: number; seconds: number }): Promise<Figures> {
  const prefix = `POL${run++}-${Date.now()}`
  const before = await processMetrics(proc)
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients })
  const { hostname, port } = new URL(proc.url)
  const statuses: Record<string, number> = {}
  const latencies: number[] = []
  let seq = 0
  let timeouts = 0
  const send = (body: string, key: string) =>
    new Promise<{ status: number; retryAfter: number }>((resolve) => {
      const started = performance.now()
      const req = httpRequest(
        { agent, hostname, port, method: 'POST', path: '/applications', timeout: 10_000, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'idempotency-key': key } },
        (res) => {
          res.resume()
          res.once('end', () => {
            const status = res.statusCode ?? 0
            if (status === 202) latencies.push(performance.now() - started)
            resolve({ status, retryAfter: Number(res.headers['retry-after'] ?? 1) })
          })
        },
      )
      req.once('timeout', () => {
        timeouts++
        req.destroy()
      })
      req.once('error', () => resolve({ status: 0, retryAfter: 1 }))
      req.end(body)
    })
  const end = performance.now() + options.seconds * 1_000
  const interval = (1_000 * options.clients) / options.rate
  const worker = async (i: number) => {
    let next = performance.now() + (interval * i) / options.clients
    while (next < end) {
      const wait = next - performance.now()
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
      const n = seq++
      const { status, retryAfter } = await send(JSON.stringify(applicationForToday(n, prefix)), `${prefix}-${n}`)
      statuses[status] = (statuses[status] ?? 0) + 1
      next = Math.max(next + interval, performance.now()) + (status === 429 ? retryAfter * 1_000 : 0)
    }
  }
  await Promise.all(Array.from({ length: options.clients }, (_, i) => worker(i)))
  agent.destroy()
  const after = await processMetrics(proc)
  return {
    ...serviceFigures(before, after, options.seconds, latencies),
    goodput: (statuses['202'] ?? 0) / options.seconds,
    shed: statuses['429'] ?? 0,
    failed: Object.entries(statuses).filter(([s]) => s !== '202' && s !== '429').reduce((sum, [, n]) => sum + n, 0),
    timeouts,
  }
}

async function contestant(shedding: 'on' | 'off'): Promise<{ peak: Figures; over: Figures; polite: Figures; offered: number }> {
  const databaseUrl = await ownDatabase(t, `overload_${shedding}`)
  const env = { DATABASE_URL: databaseUrl, JWT_SECRET: AUTH.secret, JWT_ISSUER: AUTH.issuer, JWT_AUDIENCE: AUTH.audience, LOG_LEVEL: 'warn', LOAD_SHEDDING: shedding }
  await migrateStandalone(reliefService(), env)
  const proc = await startServiceProcess(t, 'relief', env)
  if (process.env.PIN_SERVICE_CPU) execFileSync('taskset', ['-a', '-p', '-c', process.env.PIN_SERVICE_CPU, String(proc.pid)], { stdio: 'ignore' })
  // The bench started under `nice`: the service is set back to normal priority, as PostgreSQL is, so
  // the load generator only takes what they leave, as clients on other machines would.
  if (os.getPriority() > 0) os.setPriority(proc.pid, 0)
  const token = await mintToken(AUTH.secret, { sub: 'bench-core', roles: ['core-banking'], branches: ['*'] }, { issuer: AUTH.issuer, audience: AUTH.audience })
  await measure(proc, token, { connections: Number(values.connections), seconds: 3 }) // warm-up
  const peak = await measure(proc, token, { connections: Number(values.connections), seconds: durationSec })
  const offered = Math.round(peak.goodput * Number(values.factor))
  const over = await measure(proc, token, { connections: Number(values['overload-connections']), overallRate: offered, seconds: durationSec })
  const polite = await measurePolite(proc, token, { clients: Number(values['overload-connections']), rate: offered, seconds: durationSec })
  await proc.kill('SIGTERM')
  return { peak, over, polite, offered }
}

try {
  const rows: string[] = []
  const row = (shedding: string, clients: string, peak: Figures, offered: number, over: Figures) => {
    const by = Object.entries(over.shedBy).map(([k, v]) => `${k} ${v}`).join(', ')
    const pct = (100 * over.goodput) / peak.goodput
    return `| ${shedding} | ${clients} | ${peak.goodput.toFixed(0)} | ${offered} | ${over.goodput.toFixed(0)} | ${pct.toFixed(1)} % | ${over.shed}${by ? ` (${by})` : ''} | ${over.failed} | ${over.timeouts} | ${peak.p99Ms.toFixed(0)} / ${over.p99Ms.toFixed(0)} | ${(100 * peak.cpu).toFixed(0)} % / ${(100 * over.cpu).toFixed(0)} % |`
  }
  for (const shedding of values.shedding.split(',').filter((v): v is 'on' | 'off' => v === 'on' || v === 'off')) {
    process.stderr.write(`overload: shedding ${shedding}…\n`)
    const { peak, over, polite, offered } = await contestant(shedding)
    rows.push(row(shedding, 'ignore Retry-After (autocannon)', peak, offered, over))
    rows.push(row(shedding, 'honour Retry-After', peak, offered, polite))
  }
  process.stdout.write(`| load shedding | clients at overload | peak goodput (202/s, ${values.connections} connections) | offered at overload (req/s, ${values['overload-connections']} clients) | goodput at overload | of peak | shed (429, by signal) | other errors | timed out (10 s) | p99 of 202s, peak / overload (ms) | service's CPU, peak / overload |\n|---|---|---|---|---|---|---|---|---|---|---|\n${rows.join('\n')}\n`)
} finally {
  for (const fn of teardowns.splice(0)) await Promise.resolve().then(fn).catch(() => {})
}
