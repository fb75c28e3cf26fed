/**
 * `npm run bench:overload` — relief's intake pushed to about three times saturation, with load
 * shedding on and off. Relief runs as an operator runs it (its own process, `main.ts`, on a database
 * of its own on the shared PostgreSQL, the in-process transport). First its peak goodput is measured
 * with a closed loop (`--connections`, default 16); then autocannon offers three times that rate
 * (`--factor`) from many connections, and the goodput (202 answers a second) is compared with the
 * peak. Shed requests are 429s with Retry-After; a request not answered within 10 s counts as lost
 * to the caller. Prints a Markdown table. Options: --duration S (default 15), --connections N,
 * --factor F, --overload-connections N (default 400).
 */
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
  },
})
const durationSec = Number(values.duration)
const AUTH = { secret: 'overload-bench-secret-0123456789abcdef01', issuer: 'bench', audience: 'sme-relief' }
const teardowns: (() => unknown)[] = []
const t = { teardown: (fn: () => unknown) => void teardowns.unshift(fn) }

interface Figures {
  goodput: number
  shed: number
  failed: number
  timeouts: number
  p99Ms: number
}

let run = 0
async function measure(proc: ServiceProcess, token: string, options: { connections: number; overallRate?: number; seconds: number }): Promise<Figures> {
  const prefix = `OVL${run++}-${Date.now()}`
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
  const count = (code: string) => (result.statusCodeStats as Record<string, { count: number }> | undefined)?.[code]?.count ?? 0
  latencies.sort((a, b) => a - b)
  return {
    goodput: count('202') / options.seconds,
    shed: count('429'),
    failed: result.non2xx - count('429'),
    timeouts: result.timeouts,
    p99Ms: latencies[Math.floor(latencies.length * 0.99)] ?? Number.NaN,
  }
}

async function contestant(shedding: 'on' | 'off'): Promise<{ peak: Figures; over: Figures; offered: number }> {
  const databaseUrl = await ownDatabase(t, `overload_${shedding}`)
  const env = { DATABASE_URL: databaseUrl, JWT_SECRET: AUTH.secret, JWT_ISSUER: AUTH.issuer, JWT_AUDIENCE: AUTH.audience, LOG_LEVEL: 'warn', LOAD_SHEDDING: shedding }
  await migrateStandalone(reliefService(), env)
  const proc = await startServiceProcess(t, 'relief', env)
  const token = await mintToken(AUTH.secret, { sub: 'bench-core', roles: ['core-banking'], branches: ['*'] }, { issuer: AUTH.issuer, audience: AUTH.audience })
  await measure(proc, token, { connections: Number(values.connections), seconds: 3 }) // warm-up
  const peak = await measure(proc, token, { connections: Number(values.connections), seconds: durationSec })
  const offered = Math.round(peak.goodput * Number(values.factor))
  const over = await measure(proc, token, { connections: Number(values['overload-connections']), overallRate: offered, seconds: durationSec })
  await proc.kill('SIGTERM')
  return { peak, over, offered }
}

try {
  const rows: string[] = []
  for (const shedding of ['on', 'off'] as const) {
    process.stderr.write(`overload: shedding ${shedding}…\n`)
    const { peak, over, offered } = await contestant(shedding)
    const pct = (100 * over.goodput) / peak.goodput
    rows.push(`| ${shedding} | ${peak.goodput.toFixed(0)} | ${offered} | ${over.goodput.toFixed(0)} | ${pct.toFixed(1)} % | ${over.shed} | ${over.failed} | ${over.timeouts} | ${peak.p99Ms.toFixed(0)} / ${over.p99Ms.toFixed(0)} |`)
  }
  process.stdout.write(`| load shedding | peak goodput (202/s, ${values.connections} connections) | offered at overload (req/s) | goodput at overload | of peak | shed (429) | other errors | timed out (10 s) | p99 of 202s, peak / overload (ms) |\n|---|---|---|---|---|---|---|---|---|\n${rows.join('\n')}\n`)
} finally {
  for (const fn of teardowns.splice(0)) await Promise.resolve().then(fn).catch(() => {})
}
