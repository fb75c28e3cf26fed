/**
 * `npm run bench`: what the platform's building blocks cost on this machine, measured in one run.
 * A command, not a test: timed assertions flake on shared machines, figures do not.
 *
 *   npm run bench
 *   npm run bench -- --connections 64 --duration 20
 *
 * Flags: --connections N (32), --duration S (10, per HTTP route), --warmup S (5, not counted: the JIT needs it for the larger routes),
 * --events N (20000, messaging), --batch N (200, Kafka batch and relay batch), --keys N (1000
 * distinct message keys), --log-level L (info, the kit servers' request logging), --pool N (10,
 * the kit servers' PostgreSQL pool), --evaluations N (1000000, scorecard evaluations measured),
 * --assessments N (5000, full scoreEnterprise calls measured), --firms N (20, firms seeded into the
 * scoring service and rotated over by POST /scores), --only S,S (the HTTP scenarios to measure, all by
 * default; with small --evaluations, --assessments and --events, a quick run while tuning one route),
 * --slices N (5: intake and its baseline run side by side and take the load in turn, N slices of
 * --duration / N seconds each, so both see the same moments of the machine).
 *
 * 0. Scorecard in-process (test/bench/scorecard.ts), first, in this process, before any
 *    infrastructure or server starts, so that nothing of the benchmark competes for the core:
 *    `compiled.evaluate` over 1,024 pre-derived varied feature sets (goal: over 100,000
 *    evaluations per second per core) and the full `scoreEnterprise` over ~150 data points a firm.
 * 1. Infrastructure exactly as `npm test` gets it (test/harness/infra.ts): DATABASE_URL and
 *    KAFKA_BROKERS when set, else a throwaway database on local PostgreSQL and a local Kafka broker.
 * 2. HTTP: each server runs in a child process (test/bench/server.ts) so that it does not share an
 *    event loop with autocannon, which runs here; warm-up first, then the measured run.
 *    (a) bare Fastify GET, (b) kit POST with one INSERT, (c) kit POST with INSERT + outbox in one
 *    transaction, no relay running (the write path alone), (c') the same with its outbox relay
 *    publishing every event on the in-process transport, as services run, (d) the real relief
 *    service's intake POST /applications, measured right after (c'), its baseline (goal:
 *    at least 70 % of (c')'s throughput, p99 within 1.5×; the ratios to (c) are printed beside):
 *    every request a new application (its own loan id and Idempotency-Key), stored with its audit
 *    entry and its ScoringRequested outbox event in one transaction, (e) the real scoring service's
 *    POST /scores over --firms seeded firms (data read, scored, score row + outbox event written in
 *    one transaction). (d) and (e) run as deployed, relay and consumers included (in-process
 *    transport in place of Kafka).
 *    (p) The plain baselines (test/bench/plain-server.ts): the same one INSERT, and the same INSERT
 *    + outbox row in one transaction, on Fastify + pg with nothing of ours, so the kit's own cost
 *    shows: the kit's one-INSERT route is measured side by side with the plain one (goal ≥ 80 % of
 *    its throughput), intake side by side with the plain INSERT + outbox (goal ≥ 70 %, p99 ≤ 1.5×).
 * 3. Messaging against the same broker: a raw kafkajs producer (idempotent, acks=all, sequential
 *    batches) and the outbox relay draining pre-written events through KafkaTransport, with messages
 *    of the same shape (CloudEvents binary mode: JSON value, ce_* headers, the enterprise as key).
 *    The relay is timed on an ANALYZEd outbox, then run for a bounded window on one PostgreSQL has
 *    no statistics on yet: its claim query's plan depends on them (see the report line).
 * 4. Tables on stdout and the figures in test/bench/results.json. Exit 1 when any request failed or
 *    a check did not hold (rows written, messages delivered, identical scores for identical
 *    inputs), 2 when infrastructure is missing.
 */
import { fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import kafkajs from 'kafkajs'
import pino from 'pino'
import { createPostgresDatabase, inTransaction, migrateSchema, sql, type Database, type Kysely } from '@sme/data'
import { KafkaTransport, newEvent, Outbox, outboxBacklog, OutboxRelay, toTransportMessage, type TransportMessage } from '@sme/events'
import { migrateService, mintToken } from '@sme/kit'
import { guardService } from '@sme/guard'
import { pricingService } from '@sme/pricing'
import { reliefService } from '@sme/relief'
import { ScoringRequested } from '@sme/contracts'
import { scoringService } from '@sme/scoring'
import { MissingInfrastructure, provideInfra } from '../harness/infra.js'
import {
  BENCH_AUDIENCE,
  CHECK_FIRMS,
  checkBodies,
  checkFirm,
  BENCH_ISSUER,
  benchMigrations,
  INTAKE_CLOCK_START,
  INTAKE_FIRMS,
  intakeBodies,
  itemEvents,
  QUOTE_BODY,
  SAMPLE_BODY,
  sampleEventData,
  PLAIN_SCENARIOS,
  SCENARIOS,
  type BenchDB,
  type Scenario,
  type ServerMessage,
  isQuoteScenario,
} from './fixtures.js'
import { benchUscc, SCORE_AS_OF } from './firms.js'
import { measureSchedules, type ScheduleFigures } from './schedules.js'
import { measureScorecard, ScorecardInterrupted, type ScorecardFigures } from './scorecard.js'

// kafkajs is CommonJS: under ESM take its classes from the default export.
const { Kafka, Partitioners, logLevel } = kafkajs

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '../..')
const SERVER_ENTRY = join(here, 'server.ts')
const PLAIN_SERVER_ENTRY = join(here, 'plain-server.ts')
const RESULTS_FILE = join(here, 'results.json')
const SOURCE = '/sme-relief/bench'
/** A fixed W3C trace context, so benchmark messages carry the headers real ones do. */
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'

// ---------------------------------------------------------------------------------------------
// Settings

interface Settings {
  connections: number
  durationSec: number
  warmupSec: number
  events: number
  batch: number
  keys: number
  logLevel: string
  poolSize: number
  evaluations: number
  assessments: number
  schedules: number
  firms: number
  /** The HTTP scenarios to measure (all by default). */
  scenarios: readonly Scenario[]
  /** Intake and its baseline are measured in turn, in this many slices of --duration / slices each. */
  slices: number
}

const USAGE = `usage: npm run bench -- [--connections N] [--duration S] [--warmup S] [--events N] [--batch N] [--keys N] [--log-level L] [--pool N] [--evaluations N] [--assessments N] [--schedules N] [--firms N] [--only ${SCENARIOS.join(',')}] [--slices N]`

function loadSettings(argv: readonly string[]): Settings {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      connections: { type: 'string', default: '32' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '5' },
      events: { type: 'string', default: '20000' },
      batch: { type: 'string', default: '200' },
      keys: { type: 'string', default: '1000' },
      'log-level': { type: 'string', default: 'info' },
      pool: { type: 'string', default: '10' },
      evaluations: { type: 'string', default: '1000000' },
      assessments: { type: 'string', default: '5000' },
      schedules: { type: 'string', default: '50000' },
      firms: { type: 'string', default: '20' },
      only: { type: 'string', default: SCENARIOS.join(',') },
      slices: { type: 'string', default: '5' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  })
  if (values.help) {
    console.log(USAGE)
    process.exit(0)
  }
  const int = (name: string, raw: string, min: number): number => {
    const n = Number(raw)
    if (!Number.isInteger(n) || n < min) throw new SettingsError(`--${name} must be an integer ≥ ${min}; got ${raw}`)
    return n
  }
  const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']
  if (!logLevels.includes(values['log-level'])) throw new SettingsError(`--log-level must be one of ${logLevels.join(', ')}`)
  return {
    connections: int('connections', values.connections, 1),
    durationSec: int('duration', values.duration, 1),
    warmupSec: int('warmup', values.warmup, 0),
    events: int('events', values.events, 1),
    batch: int('batch', values.batch, 1),
    keys: int('keys', values.keys, 1),
    logLevel: values['log-level'],
    poolSize: int('pool', values.pool, 1),
    evaluations: int('evaluations', values.evaluations, 1),
    assessments: int('assessments', values.assessments, 1),
    schedules: int('schedules', values.schedules, 5),
    firms: int('firms', values.firms, 1),
    scenarios: scenariosOf(values.only),
    slices: int('slices', values.slices, 1),
  }
}

function scenariosOf(raw: string): Scenario[] {
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean)
  const unknown = names.filter((n) => !SCENARIOS.includes(n as Scenario))
  if (unknown.length > 0 || names.length === 0) throw new SettingsError(`--only takes a comma-separated list of ${SCENARIOS.join(', ')}; got ${raw}`)
  return SCENARIOS.filter((s) => names.includes(s))
}

class SettingsError extends Error {}

// ---------------------------------------------------------------------------------------------
// Clean-up: everything started is stopped in reverse order, on success, failure and SIGINT/SIGTERM.

const cleanups: { what: string; run: () => Promise<unknown> }[] = []
let cleaning: Promise<void> | undefined
let currentLoad: autocannon.Instance | undefined

function onCleanup(what: string, run: () => Promise<unknown>): void {
  cleanups.push({ what, run })
}

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const { what, run } of cleanups.splice(0).reverse()) {
      await run().catch((err: unknown) => console.error(`bench: cleanup (${what}) failed:`, err))
    }
  })()
  return cleaning
}

let interrupted = false
let interruptedAt = 0
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) {
      // One Ctrl-C often arrives twice: from the terminal, and relayed by tsx when our report of it
      // reaches tsx late. Only a later one means "now": give up waiting for the clean-up then.
      if (Date.now() - interruptedAt > 2_000) process.exit(130)
      return
    }
    interrupted = true
    interruptedAt = Date.now()
    console.error(`\nbench: ${signal}: stopping and cleaning up (Ctrl-C again after 2 s to force) …`)
    currentLoad?.stop()
    void cleanup().finally(() => process.exit(130))
  })
}

// ---------------------------------------------------------------------------------------------
// HTTP

interface HttpFigures {
  scenario: Scenario
  label: string
  route: string
  requestsPerSecMean: number
  requestsTotal: number
  durationSec: number
  /** Milliseconds, from every measured response (float precision, not autocannon's 1 ms buckets). */
  latencyMs: { p50: number; p90: number; p99: number; mean: number; max: number }
  errors: number
  timeouts: number
  non2xx: number
  statusCodes: Record<string, number>
  warmup: { requests: number; non2xx: number; errors: number }
  /** Rows the route wrote (warm-up included), checked against the 2xx answers. */
  rowsWritten?: number
  outboxRowsWritten?: number
  /**
   * 201 answers: received by autocannon (warm-up included), and sent by the server (score scenario),
   * which also counts those to requests cut off when autocannon stopped.
   */
  created?: { received: number; sentByServer: number }
  /** POST /scores: what the scoring service did with the scores' outbox events and their inputs. */
  scoring?: ScoreRouteFigures
  /** POST /applications against the INSERT + outbox baseline. */
  intake?: IntakeGoal
  percentOfBare?: number
  /** The kit's routes against their plain twins (Fastify + pg, nothing of ours), measured side by side. */
  kitCost?: KitCostGoal
  /**
   * CPU time per answered request during the measured slices (Linux: /proc), in microseconds: the
   * server process, and the PostgreSQL backends of its pool when PostgreSQL runs on this machine.
   * On a shared machine throughput moves with the moment; what a request costs each process moves
   * far less, and says where the time went.
   */
  cpuMicrosPerRequest?: { server: number; postgres: number | null; walBytes: number }
}

/**
 * The kit's cost: relief intake at least 70 % of the plain INSERT + outbox route's throughput with
 * p99 within 1.5×, and the kit's one-INSERT route at least 80 % of the plain one-INSERT route's.
 */
interface KitCostGoal {
  /** The baseline: a plain twin (Fastify + pg, nothing of ours), or the kit's one-INSERT route (pricing's quote). */
  against: 'plain-insert' | 'plain-outbox' | 'insert'
  percentOfThroughput: number
  p99Multiple: number
  goalPercentOfThroughput: number
  goalP99Multiple: number | null
  met: boolean
}

/** The pricing service's quote with a 360-month schedule stored, against the kit's one-INSERT route. */
const QUOTE_GOAL_PERCENT = 50
/** The guard's check against the kit's one-INSERT route in the same run: at least 80 % of its throughput, p99 within 1.2×. */
const CHECK_GOAL = { percent: 80, p99: 1.2 }

const KIT_COST_GOALS = { insert: { percent: 80, p99: null }, intake: { percent: 70, p99: 1.5 } } as const

/**
 * Intake's goal: throughput ≥ 70 % of the INSERT + outbox route's, p99 ≤ 1.5× its p99.
 * Judged against that route with its relay running (`relayed`), as intake runs with its own; the
 * figures against the write path alone (`outbox`) are kept beside.
 */
interface IntakeGoal {
  baseline: 'relayed'
  percentOfBaselineThroughput: number
  p99MultipleOfBaseline: number
  goalPercentOfThroughput: 70
  goalP99Multiple: 1.5
  throughputMet: boolean
  p99Met: boolean
  met: boolean
  /** The same two ratios against the write path alone (no relay running), when measured. */
  againstWritePathOnly?: { percentOfThroughput: number; p99Multiple: number }
}

const INTAKE_GOAL = { percent: 70, p99: 1.5 } as const

interface ScoreRouteFigures {
  firms: number
  /** Data points seeded, over all firms. */
  dataPoints: number
  asOf: string
  /** Outbox events the service's relay had published (in-process transport) when it stopped, of those written. */
  relayPublished: number
  outboxPending: number
  outboxDead: number
  /** Firms whose stored scores (all on the same data and model) are not all the same: must be 0. */
  firmsWithDifferingScores: number
  scoreRange: { min: number; max: number }
  grades: Record<string, number>
}

const LABELS: Record<Scenario, { label: string; route: string }> = {
  bare: { label: 'bare Fastify GET (baseline)', route: 'GET /hello' },
  insert: { label: 'kit POST, one INSERT', route: 'POST /items' },
  'plain-insert': { label: 'plain Fastify + pg POST, one INSERT (no kit)', route: 'POST /items' },
  'plain-outbox': { label: 'plain Fastify + pg POST, INSERT + outbox (no kit)', route: 'POST /items' },
  outbox: { label: 'kit POST, INSERT + outbox (1 tx)', route: 'POST /items' },
  relayed: { label: 'the same, its relay running', route: 'POST /items' },
  intake: { label: 'relief service POST /applications', route: 'POST /applications' },
  score: { label: 'scoring service POST /scores', route: 'POST /scores' },
  quote: { label: 'pricing service POST /quotes (360 months)', route: 'POST /quotes' },
  'quote-minimal': { label: 'the same, Prefer: return=minimal (schedule stored, not answered)', route: 'POST /quotes' },
  check: { label: 'guard service POST /checks (read model held or read, verdict + event stored)', route: 'POST /checks' },
  claim: { label: 'claims service POST /claims/:id/filing (npm run bench:claims)', route: 'POST /claims/:claimId/filing' },
}

interface Server {
  url: string
  /** The child process, for its CPU time. */
  pid: number | undefined
  /** The application_name its PostgreSQL pool connects with. */
  applicationName: string
  stop(): Promise<void>
  /** After stop(): the 201/202 answers the server reported sending (score, intake), if it did. */
  served(): number | undefined
}

/** Starts test/bench/server.ts in a child process and waits until it listens. */
async function startServer(scenario: Scenario, env: Record<string, string>): Promise<Server> {
  let stderr = ''
  const child = fork(PLAIN_SCENARIOS.includes(scenario) ? PLAIN_SERVER_ENTRY : SERVER_ENTRY, [scenario], {
    cwd: root,
    // BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the server.
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [])],
    env: { ...process.env, ...env },
    // stdout (the kit's JSON logs) goes to /dev/null: written, as in production, but not kept.
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000)
  })
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  let served: number | undefined
  child.on('message', (message: ServerMessage) => {
    if (message.type === 'served') served = message.created
  })
  let stopping: Promise<void> | undefined
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(force)
    })()
    return stopping
  }
  onCleanup(`${scenario} server`, stop)
  try {
    const port = await new Promise<number>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`${scenario} server did not listen within 60 s`)), 60_000)
      child.on('message', (message: ServerMessage) => {
        clearTimeout(timer)
        if (message.type === 'listening') ok(message.port)
        else if (message.type === 'error') fail(new Error(`${scenario} server failed to start: ${message.message}`))
      })
      child.once('exit', (code, signal) => {
        clearTimeout(timer)
        fail(new Error(`${scenario} server exited (${code ?? signal}) before listening:\n${stderr}`))
      })
    })
    return { url: `http://127.0.0.1:${port}`, pid: child.pid, applicationName: applicationNameOf(scenario), stop, served: () => served }
  } catch (err) {
    await stop()
    throw err
  }
}

/** The application_name each server's PostgreSQL pool uses (test/bench/server.ts, plain-server.ts). */
function applicationNameOf(scenario: Scenario): string {
  return scenario === 'score' ? 'sme-bench-score' : `sme-bench-${scenario}`
}

const CLOCK_TICKS_PER_SECOND = 100 // USER_HZ: 100 on every Linux build Node supports

/** CPU seconds (user + system) a process has used, from /proc; undefined where there is none. */
function cpuSecondsOf(pid: number): number | undefined {
  try {
    // The command name in parentheses may hold spaces: count fields after its closing one.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').at(-1)!.trim().split(' ')
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND
  } catch {
    return undefined
  }
}

/**
 * The CPU a server and its PostgreSQL backends use while it takes load. Backends are found by the
 * pool's application_name, and counted only when they are processes of this machine named
 * `postgres` (a remote DATABASE_URL gives no figure rather than another process's). A backend that
 * ends in the middle of a slice is left out of it (pools here keep theirs open).
 */
function cpuMeter(database: Kysely<any>, server: Server): { start(): Promise<void>; stop(): Promise<void>; figures(requests: number): { server: number; postgres: number | null; walBytes: number } | undefined } {
  let begin: { server: number | undefined; backends: Map<number, number>; lsn: string } | undefined
  let walBytes = 0
  let serverSec = 0
  let postgresSec = 0
  let postgresSeen = false
  let measured = true
  return {
    async start() {
      const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity where application_name = ${server.applicationName}`.execute(database)
      const backends = new Map<number, number>()
      for (const { pid } of rows) {
        let local = false
        try {
          local = readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('postgres')
        } catch {
          // not a process of this machine
        }
        const cpu = local ? cpuSecondsOf(pid) : undefined
        if (cpu !== undefined) backends.set(pid, cpu)
      }
      postgresSeen ||= backends.size > 0
      begin = { server: server.pid === undefined ? undefined : cpuSecondsOf(server.pid), backends, lsn: await currentWalLsn(database) }
    },
    async stop() {
      const end = server.pid === undefined ? undefined : cpuSecondsOf(server.pid)
      if (begin?.server === undefined || end === undefined) measured = false
      else serverSec += end - begin.server
      for (const [pid, before] of begin?.backends ?? []) {
        const after = cpuSecondsOf(pid)
        if (after !== undefined) postgresSec += after - before
      }
      if (begin) walBytes += await walBytesSince(database, begin.lsn)
    },
    figures(requests) {
      if (!measured || requests === 0) return undefined
      return { server: round((1e6 * serverSec) / requests, 0), postgres: postgresSeen ? round((1e6 * postgresSec) / requests, 0) : null, walBytes: round(walBytes / requests, 0) }
    },
  }
}

async function currentWalLsn(database: Kysely<any>): Promise<string> {
  const { rows } = await sql<{ lsn: string }>`select pg_current_wal_lsn()::text as lsn`.execute(database)
  return rows[0]!.lsn
}

/** WAL written since `lsn`, by the whole cluster (the other servers of a group idle meanwhile). */
async function walBytesSince(database: Kysely<any>, lsn: string): Promise<number> {
  const { rows } = await sql<{ bytes: string }>`select pg_wal_lsn_diff(pg_current_wal_lsn(), ${lsn}::pg_lsn)::text as bytes`.execute(database)
  return Number(rows[0]!.bytes)
}

/** One autocannon run; with `latencies`, every response time is kept for exact percentiles. */
function load(options: autocannon.Options, latencies?: number[]): Promise<autocannon.Result> {
  return new Promise((ok, fail) => {
    const instance = autocannon(options, (err, result) => {
      currentLoad = undefined
      if (err) fail(err)
      else ok(result)
    })
    currentLoad = instance
    if (latencies) instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms))
  })
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits

/** Rows a route writes (its own table: bench_items, or the scoring service's champion scores) and outbox rows. */
type RowCounter = () => Promise<{ rows: number; outbox: number }>

function itemRows(db: Kysely<BenchDB>): RowCounter {
  return async () => {
    const [items, outbox] = await Promise.all([
      db.selectFrom('bench_items').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
      db.selectFrom('outbox').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    ])
    return { rows: Number(items.n), outbox: Number(outbox.n) }
  }
}

/** The scoring service's tables, untyped here: only counted. */
function scoreRows(db: Kysely<any>): RowCounter {
  return async () => {
    const [scores, outbox] = await Promise.all([
      // Shadow (challenger) scores are rows too; the default model set has no challenger, but count champions only.
      db.selectFrom('scores').select(sql<string>`count(*)`.as('n')).where('shadow', '=', false).executeTakeFirstOrThrow(),
      db.selectFrom('outbox').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    ])
    return { rows: Number(scores.n), outbox: Number(outbox.n) }
  }
}

/** The relief service's applications and its ScoringRequested outbox events (one per application). */
function intakeRows(db: Kysely<any>): RowCounter {
  return async () => {
    const [applications, outbox] = await Promise.all([
      db.selectFrom('applications').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
      // Only the scoring requests: a decision event (none expected during the run) is not intake's.
      db.selectFrom('outbox').select(sql<string>`count(*)`.as('n')).where('event_type', '=', ScoringRequested.type).executeTakeFirstOrThrow(),
    ])
    return { rows: Number(applications.n), outbox: Number(outbox.n) }
  }
}

/** The pricing service's quotes and their QuoteIssued outbox events (one per quote). */
function quoteRows(db: Kysely<any>): RowCounter {
  return async () => {
    const [quotes, outbox] = await Promise.all([
      db.selectFrom('quotes').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
      db.selectFrom('outbox').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    ])
    return { rows: Number(quotes.n), outbox: Number(outbox.n) }
  }
}

/** The guard's verdicts and their events (one per verdict). */
function verdictRows(db: Kysely<any>): RowCounter {
  return async () => {
    const [verdicts, outbox] = await Promise.all([
      db.selectFrom('verdicts').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
      db.selectFrom('outbox').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    ])
    return { rows: Number(verdicts.n), outbox: Number(outbox.n) }
  }
}

/**
 * The guard's read model as its consumers would have built it: CHECK_FIRMS loans booked at B001,
 * every other firm under an approved deferral to 2020-06-30, and the sources' marks.
 */
async function seedGuard(database: Kysely<any>, schema: string): Promise<void> {
  const db = database.withSchema(schema)
  const firms = Array.from({ length: CHECK_FIRMS }, (_, i) => i)
  await db
    .insertInto('loans')
    .values(firms.map((i) => ({ loan_id: `BENCH-L-${i}`, sequence: 1, borrower_key: `uscc:${checkFirm(i)}`, branch_id: 'B001', days_past_due: 0, classification: 'normal', status: 'active', as_of: new Date('2020-01-02T01:00:00Z') })))
    .execute()
  await db
    .insertInto('reliefs')
    .values(
      firms
        .filter((i) => i % 2 === 0)
        .map((i) => ({ application_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, revision: 1, borrower_key: `uscc:${checkFirm(i)}`, loan_id: `BENCH-L-${i}`, relief: 'deferral', outcome: 'APPROVED', decided_on: '2020-03-10', terms_end: '2020-06-30', event_at: new Date('2020-03-10T02:00:00Z') })),
    )
    .execute()
  await db
    .insertInto('source_marks')
    .values([
      { source: 'relief', last_event_at: new Date('2020-03-10T02:00:00Z'), last_event_id: 'seed', applied_at: new Date() },
      { source: 'loans', last_event_at: new Date('2020-01-02T01:00:00Z'), last_event_id: 'seed', applied_at: new Date() },
    ])
    .execute()
  await sql`analyze ${sql.table(`${schema}.loans`)}, ${sql.table(`${schema}.reliefs`)}`.execute(database)
}

/** After the score run: what the relay published, and whether equal inputs gave equal scores. */
async function scoreRouteFigures(db: Kysely<any>, firms: number, problems: string[]): Promise<ScoreRouteFigures> {
  const backlog = await outboxBacklog(db)
  const published = await db.selectFrom('outbox').select(sql<string>`count(*)`.as('n')).where('published_at', 'is not', null).executeTakeFirstOrThrow()
  const perFirm = await db
    .selectFrom('scores')
    .select(['uscc', sql<string>`count(distinct score)`.as('distinct'), sql<number>`min(score)`.as('min'), sql<number>`max(score)`.as('max')])
    .where('shadow', '=', false)
    .groupBy('uscc')
    .execute()
  const grades = await db.selectFrom('scores').select(['grade', sql<string>`count(*)`.as('n')]).where('shadow', '=', false).groupBy('grade').orderBy('grade').execute()
  const differing = perFirm.filter((r) => Number(r.distinct) !== 1).length
  if (differing > 0) problems.push(`scoring service POST /scores: ${differing} firms got different scores for the same data and model`)
  if (perFirm.length !== firms) problems.push(`scoring service POST /scores: scores for ${perFirm.length} firms, ${firms} seeded and requested`)
  if (backlog.dead > 0) problems.push(`scoring service POST /scores: ${backlog.dead} outbox events dead`)
  const points = await db.selectFrom('data_points').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()
  return {
    firms: perFirm.length,
    dataPoints: Number(points.n),
    asOf: SCORE_AS_OF,
    relayPublished: Number(published.n),
    outboxPending: backlog.pending,
    outboxDead: backlog.dead,
    firmsWithDifferingScores: differing,
    scoreRange: { min: Math.min(...perFirm.map((r) => Number(r.min))), max: Math.max(...perFirm.map((r) => Number(r.max))) },
    grades: Object.fromEntries(grades.map((g) => [g.grade as string, Number(g.n)])),
  }
}

/** The load of a scenario: one fixed request, or POST /scores rotating over the seeded firms. */
function loadOptions(scenario: Scenario, url: string, token: string, firms: number, run: string): autocannon.Options {
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  switch (scenario) {
    case 'bare':
      return { url: `${url}/hello`, method: 'GET' }
    case 'insert':
    case 'outbox':
    case 'relayed':
    case 'plain-insert':
    case 'plain-outbox':
      // The plain server has no authentication: the header is sent and ignored there.
      return { url: `${url}/items`, method: 'POST', headers: auth, body: JSON.stringify(SAMPLE_BODY) }
    case 'score': {
      // Every request asks for the next firm in turn, across all connections.
      const bodies = Array.from({ length: firms }, (_, n) => JSON.stringify({ uscc: benchUscc(n), asOf: SCORE_AS_OF }))
      let next = 0
      return {
        url,
        method: 'POST',
        headers: auth,
        requests: [{ method: 'POST', path: '/scores', setupRequest: (request) => ({ ...request, body: bodies[next++ % firms] as string }) }],
      }
    }
    case 'quote':
    case 'quote-minimal': {
      // Every request a new quote (its own Idempotency-Key): a 360-period schedule priced and stored;
      // answered whole, or brief where the client prefers (RFC 7240).
      let seq = 0
      const body = JSON.stringify(QUOTE_BODY)
      return {
        url,
        method: 'POST',
        headers: scenario === 'quote-minimal' ? { ...auth, prefer: 'return=minimal' } : auth,
        requests: [{ method: 'POST', path: '/quotes', setupRequest: (request) => ({ ...request, headers: { ...request.headers, 'idempotency-key': `bench-quote-${run}-${seq++}` }, body }) }],
      }
    }
    case 'check': {
      // Core banking asking before calling a loan early, every request its own Idempotency-Key,
      // rotating over the seeded firms (half protected): the read model read, judged, the verdict
      // and its event stored in one statement.
      let seq = 0
      const bodyOf = checkBodies()
      return {
        url,
        method: 'POST',
        headers: auth,
        requests: [{ method: 'POST', path: '/checks', setupRequest: (request) => ({ ...request, headers: { ...request.headers, 'idempotency-key': `bench-check-${run}-${seq}` }, body: bodyOf(seq++) }) }],
      }
    }
    case 'claim':
      throw new Error('the claims filing is measured by npm run bench:claims (test/bench/claims.ts), against its own seed')
    case 'intake': {
      // Every request a new application: its own loan id and Idempotency-Key (shared counter across
      // connections, warm-up and measured run), rotating over INTAKE_FIRMS borrowers.
      let seq = 0
      const bodyOf = intakeBodies(run)
      return {
        url,
        method: 'POST',
        headers: auth,
        requests: [
          {
            method: 'POST',
            path: '/applications',
            setupRequest: (request) => {
              const n = seq++
              return { ...request, headers: { ...request.headers, 'idempotency-key': `bench-intake-${run}-${n}` }, body: bodyOf(n) }
            },
          },
        ],
      }
    }
  }
}

/** One server measured by {@link measureInterleaved}. */
interface Contestant {
  scenario: Scenario
  serverEnv: Record<string, string>
  token: string
  counter: RowCounter | undefined
  run: string
}

function measureHttp(
  database: Kysely<any>,
  scenario: Scenario,
  settings: Settings,
  serverEnv: Record<string, string>,
  token: string,
  counter: RowCounter | undefined,
  problems: string[],
  run: string,
): Promise<HttpFigures> {
  return measureInterleaved(database, [{ scenario, serverEnv, token, counter, run }], settings, problems, { slices: 1, sliceSec: settings.durationSec }).then(([f]) => f!)
}

/**
 * Measures routes side by side: every server runs throughout, and the load goes to each in turn,
 * `slices` times for `sliceSec` seconds, so that all of them see the same moments of a shared
 * machine (one 10 s run can move by tens of percent with the machine's other work). Throughput is
 * every measured answer over the time spent on that server; latencies are every measured answer's.
 */
async function measureInterleaved(database: Kysely<any>, contestants: Contestant[], settings: Settings, problems: string[], plan: { slices: number; sliceSec: number }): Promise<HttpFigures[]> {
  const started: { c: Contestant; server: Server; meter: ReturnType<typeof cpuMeter>; base: autocannon.Options; before?: { rows: number; outbox: number } | undefined }[] = []
  const labels = contestants.map((c) => LABELS[c.scenario].label).join(' | ')
  process.stdout.write(`bench: HTTP ${labels}: starting server${contestants.length > 1 ? 's' : ''}${contestants.some((c) => c.scenario === 'score') ? ` (seeding ${settings.firms} firms)` : ''} … `)
  const results = contestants.map(() => ({ runs: [] as autocannon.Result[], warm: undefined as autocannon.Result | undefined, latencies: [] as number[] }))
  try {
    for (const c of contestants) {
      const server = await startServer(c.scenario, c.serverEnv)
      started.push({ c, server, meter: cpuMeter(database, server), base: loadOptions(c.scenario, server.url, c.token, settings.firms, c.run), before: c.counter ? await c.counter() : undefined })
    }
    if (settings.warmupSec > 0) {
      process.stdout.write(`warm-up ${settings.warmupSec} s each … `)
      for (const [i, s] of started.entries()) results[i]!.warm = await load({ ...s.base, connections: settings.connections, duration: settings.warmupSec })
    }
    process.stdout.write(plan.slices > 1 ? `measuring ${plan.slices} × ${plan.sliceSec} s each, in turn … ` : `measuring ${plan.sliceSec} s … `)
    for (let slice = 0; slice < plan.slices && !interrupted; slice++) {
      for (const [i, s] of started.entries()) {
        await s.meter.start()
        results[i]!.runs.push(await load({ ...s.base, connections: settings.connections, duration: plan.sliceSec }, results[i]!.latencies))
        await s.meter.stop()
      }
    }
  } finally {
    // Stopped before counting rows: closing lets in-flight requests finish.
    for (const s of started) await s.server.stop()
  }

  const figures = started.map(({ c, server, meter, before }, i): [HttpFigures, typeof server, typeof before, Contestant] => {
    const cpu = meter.figures(results[i]!.runs.reduce((n, r) => n + r['2xx'] + r.non2xx, 0))
    const { runs, warm, latencies } = results[i]!
    const { label, route } = LABELS[c.scenario]
    const sum = (f: (r: autocannon.Result) => number) => runs.reduce((n, r) => n + f(r), 0)
    const duration = sum((r) => r.duration)
    const answered = sum((r) => r['2xx'] + r.non2xx)
    const statusCodes: Record<string, number> = {}
    for (const r of runs) for (const [code, st] of Object.entries(r.statusCodeStats)) statusCodes[code] = (statusCodes[code] ?? 0) + st.count
    const sorted = Float64Array.from(latencies).sort()
    const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : 0
    return [
      {
        scenario: c.scenario,
        label,
        route,
        requestsPerSecMean: round(duration > 0 ? answered / duration : 0, 1),
        requestsTotal: answered,
        durationSec: round(duration, 2),
        latencyMs: {
          p50: round(percentile(sorted, 50)),
          p90: round(percentile(sorted, 90)),
          p99: round(percentile(sorted, 99)),
          mean: round(mean),
          max: round(sorted.at(-1) ?? 0),
        },
        errors: sum((r) => r.errors),
        timeouts: sum((r) => r.timeouts),
        non2xx: sum((r) => r.non2xx),
        statusCodes,
        warmup: { requests: warm ? warm['2xx'] + warm.non2xx : 0, non2xx: warm?.non2xx ?? 0, errors: warm ? warm.errors + warm.timeouts : 0 },
        ...(cpu ? { cpuMicrosPerRequest: cpu } : {}),
      },
      server,
      before,
      c,
    ]
  })
  console.log(figures.map(([f]) => `${f.requestsPerSecMean} req/s`).join(' | '))

  for (const [i, [f, server, before, c]] of figures.entries()) {
    const ok = results[i]!.runs.reduce((n, r) => n + r['2xx'], 0) + (results[i]!.warm?.['2xx'] ?? 0)
    if (f.errors + f.timeouts + f.non2xx + f.warmup.errors + f.warmup.non2xx > 0) {
      problems.push(`${f.label}: ${f.errors} errors, ${f.timeouts} timeouts, ${f.non2xx} non-2xx (status ${JSON.stringify(f.statusCodes)}); warm-up ${f.warmup.errors} errors, ${f.warmup.non2xx} non-2xx`)
    }
    if (!before || !c.counter) continue
    // Every 2xx answer must be a committed row; requests cut off when autocannon stops may still
    // commit, so up to one per connection and run more is fine.
    const after = await c.counter()
    f.rowsWritten = after.rows - before.rows
    f.outboxRowsWritten = after.outbox - before.outbox
    const slack = 2 * settings.connections * plan.slices
    const code = c.scenario === 'intake' ? 202 : 201
    if (f.rowsWritten < ok || f.rowsWritten > ok + slack) problems.push(`${f.label}: ${ok} answers ${code} but ${f.rowsWritten} rows written`)
    // (A quote asked for over HTTP is published when accepted, not when issued.)
    const expectedOutbox = c.scenario === 'insert' || c.scenario === 'plain-insert' || isQuoteScenario(c.scenario) ? 0 : f.rowsWritten
    if (f.outboxRowsWritten !== expectedOutbox) problems.push(`${f.label}: ${f.rowsWritten} rows but ${f.outboxRowsWritten} outbox rows written (expected ${expectedOutbox})`)
    // The server's own count of its 201 answers (score) or 202 answers (intake) includes those
    // cut-off requests: it must match the rows exactly.
    const sent = server.served()
    if (sent !== undefined) {
      f.created = { received: ok, sentByServer: sent }
      if (f.rowsWritten !== sent) problems.push(`${f.label}: the server answered ${code} ${sent} times but ${f.rowsWritten} rows were written`)
    } else if (c.scenario === 'score' || c.scenario === 'intake' || isQuoteScenario(c.scenario) || c.scenario === 'check') problems.push(`${f.label}: the server did not report its ${code} count`)
  }
  return figures.map(([f]) => f)
}

// ---------------------------------------------------------------------------------------------
// Messaging

interface MessagingFigures {
  messages: number
  batch: number
  keys: number
  partitions: number
  avgValueBytes: number
  avgHeaderBytes: number
  rawProducer: { messagesPerSec: number; seconds: number; rounds: { messagesPerSec: number; seconds: number }[] }
  relay: { eventsPerSec: number; seconds: number; delivered: number; prewriteSeconds: number; percentOfRaw: number; analyzedBeforeDrain: true }
  /** The same drain on an outbox PostgreSQL has no statistics on yet, for a bounded window. */
  relayWithoutStatistics: {
    windowSec: number
    published: number
    eventsPerSec: number
    /** Claims cancelled by the statement timeout (the relay logs them and retries). */
    failedBatches: number
    statementTimeoutMs: number
    reltuplesBefore: number
  }
}

const PARTITIONS = 3
/** How long the relay runs on an outbox without planner statistics. */
const COLD_WINDOW_MS = 8_000
/** Statement timeout of the cold relay's pool, so that stopping it never waits for a 30 s claim. */
const COLD_STATEMENT_TIMEOUT_MS = 5_000

/** kafkajs log entries as pino lines on stderr, like KafkaTransport's. */
function kafkaLog(logger: pino.Logger): kafkajs.logCreator {
  const log = logger.child({ component: 'kafkajs' })
  return () => ({ level, log: entry }) => {
    const { message, ...rest } = entry
    if (level <= logLevel.ERROR) log.error(rest, message)
    else log.warn(rest, message)
  }
}

function kafkaMessage(m: TransportMessage): { key: string | null; value: Buffer; headers: Record<string, string> } {
  return { key: m.key, value: m.value, headers: m.headers }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0

/** Writes `n` events through Outbox.enqueue (validation, envelope, pg_notify, as routes do) in a few concurrent transactions. */
async function prewrite(db: Kysely<BenchDB>, outbox: Outbox, definition: ReturnType<typeof itemEvents>['ItemRecorded'], n: number, keys: number): Promise<number> {
  const writers = 4
  const start = performance.now()
  await Promise.all(
    Array.from({ length: writers }, (_, w) =>
      inTransaction(db, async (tx) => {
        for (let i = w; i < n; i += writers) {
          const data = sampleEventData(i, keys)
          await outbox.enqueue(tx, definition, data, { subject: data.enterpriseId, traceparent: TRACEPARENT })
        }
      }),
    ),
  )
  return (performance.now() - start) / 1000
}

async function pendingRows(db: Kysely<BenchDB>): Promise<boolean> {
  const row = await db.selectFrom('outbox').select('seq').where('published_at', 'is', null).where('dead_at', 'is', null).limit(1).executeTakeFirst()
  return row !== undefined
}

async function reltuples(database: Database<BenchDB>, schema: string): Promise<number> {
  const { rows } = await sql<{ reltuples: number }>`select reltuples from pg_class where oid = ${`${schema}.outbox`}::regclass`.execute(database.db)
  return Number(rows[0]?.reltuples ?? -1)
}

async function measureMessaging(
  settings: Settings,
  brokers: string[],
  database: Database<BenchDB>,
  databaseUrl: string,
  schemas: { relay: string; cold: string },
  topics: { raw: string; relay: string; cold: string },
  problems: string[],
): Promise<MessagingFigures> {
  const logger = pino({ level: 'warn' }, pino.destination(2))
  const { events: n, batch, keys } = settings
  const transport = new KafkaTransport({ brokers, clientId: 'sme-bench-relay', logger, partitions: PARTITIONS })
  onCleanup('relay transport', () => transport.close())
  // The same partitions for every topic: KafkaTransport creates them (3 partitions, replication 1).
  await transport.ensureTopics([topics.raw, topics.relay, topics.cold])

  const kafka = new Kafka({ clientId: 'sme-bench-raw', brokers, logLevel: logLevel.WARN, logCreator: kafkaLog(logger) })
  const admin = kafka.admin()
  await admin.connect()
  onCleanup('kafka admin', () => admin.disconnect())
  const inTopic = async (topic: string) => (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0)

  const { ItemRecorded, catalogue } = itemEvents(topics.relay)
  const build = (topic: string, i: number) => {
    const data = sampleEventData(i, keys)
    catalogue.validate(ItemRecorded.type, data)
    const event = newEvent({ source: SOURCE, type: ItemRecorded.type, data, subject: data.enterpriseId, traceparent: TRACEPARENT })
    return toTransportMessage(topic, ItemRecorded.keyOf(data), event)
  }
  const warmCount = Math.min(n, 2 * batch)

  // (a) Raw kafkajs producer: the client settings of KafkaTransport (idempotent, one request in
  // flight, acks=all), sequential batches, messages built before the clock starts. A round is short,
  // so it runs three times and the median counts.
  const rounds = 3
  process.stdout.write(`bench: Kafka raw producer: ${rounds} × ${n} messages in batches of ${batch} … `)
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner })
  await producer.connect()
  onCleanup('raw producer', () => producer.disconnect())
  const send = async (messages: TransportMessage[]) => {
    for (let i = 0; i < messages.length; i += batch) {
      await producer.send({ topic: topics.raw, acks: -1, messages: messages.slice(i, i + batch).map(kafkaMessage) })
    }
  }
  await send(Array.from({ length: warmCount }, (_, i) => build(topics.raw, n + i)))
  const rawMessages = Array.from({ length: n }, (_, i) => build(topics.raw, i))
  const rawRounds: { messagesPerSec: number; seconds: number }[] = []
  for (let r = 0; r < rounds; r++) {
    const start = performance.now()
    await send(rawMessages)
    const seconds = (performance.now() - start) / 1000
    rawRounds.push({ messagesPerSec: round(n / seconds, 0), seconds: round(seconds, 3) })
  }
  await producer.disconnect()
  const rawInTopic = (await inTopic(topics.raw)) - warmCount
  if (rawInTopic !== rounds * n) problems.push(`raw producer: ${rounds * n} sent but ${rawInTopic} in the topic`)
  const rawRate = median(rawRounds.map((r) => r.messagesPerSec))
  console.log(`${fmt(rawRate)} msg/s (median of ${rawRounds.map((r) => fmt(r.messagesPerSec)).join(', ')})`)

  // The relay's producer connects before any clock starts, like the raw producer's did.
  for (const topic of [topics.relay, topics.cold]) {
    const warm = Array.from({ length: warmCount }, (_, i) => build(topic, n + i))
    for (let i = 0; i < warm.length; i += batch) await transport.publish(warm.slice(i, i + batch))
  }

  // (b) The relay draining n events written beforehand (not timed), on an outbox that has been
  // ANALYZEd, as autovacuum keeps a busy table: from start() until no row is pending.
  process.stdout.write(`bench: outbox relay: writing ${n} events … `)
  const db = database.db.withSchema(schemas.relay) as Kysely<BenchDB>
  const prewriteSeconds = await prewrite(db, new Outbox({ catalogue, source: SOURCE, schema: schemas.relay }), ItemRecorded, n, keys)
  await sql`analyze ${sql.table(`${schemas.relay}.outbox`)}`.execute(database.db)
  process.stdout.write(`${round(prewriteSeconds, 1)} s; ANALYZE; draining … `)
  const relay = new OutboxRelay({ database, schema: schemas.relay, transport, logger, batchSize: batch })
  onCleanup('relay', () => relay.stop())
  const deadline = Date.now() + 120_000
  const relayStart = performance.now()
  await relay.start()
  while (await pendingRows(db)) {
    if (Date.now() > deadline) throw new Error('the relay did not drain the outbox within 120 s')
    await sleep(20)
  }
  const relaySeconds = (performance.now() - relayStart) / 1000
  await relay.stop()
  const backlog = await outboxBacklog(db)
  if (backlog.pending !== 0 || backlog.dead !== 0) problems.push(`relay: ${backlog.pending} events pending and ${backlog.dead} dead after draining`)
  const relayInTopic = (await inTopic(topics.relay)) - warmCount
  // At least once: more than n would be redeliveries (a lease ran out), which is worth knowing.
  if (relayInTopic !== n) problems.push(`relay: ${n} events in the outbox but ${relayInTopic} messages in the topic`)
  const relayRate = n / relaySeconds
  console.log(`${fmt(relayRate)} events/s`)

  // (c) The same on an outbox PostgreSQL has no statistics on yet: a new service's table, or any
  // table right after a burst. The claim's plan depends on them; this shows what the relay manages
  // then, for a bounded window, on a pool whose statement timeout keeps stopping it quick.
  process.stdout.write(`bench: outbox relay without planner statistics: writing ${n} events … `)
  const coldDb = database.db.withSchema(schemas.cold) as Kysely<BenchDB>
  await prewrite(coldDb, new Outbox({ catalogue, source: SOURCE, schema: schemas.cold }), itemEvents(topics.cold).ItemRecorded, n, keys)
  const reltuplesBefore = await reltuples(database, schemas.cold)
  process.stdout.write(`running ${COLD_WINDOW_MS / 1000} s … `)
  const coldDatabase = createPostgresDatabase<BenchDB>({ connectionString: databaseUrl, maxConnections: 3, statementTimeoutMs: COLD_STATEMENT_TIMEOUT_MS, applicationName: 'sme-bench-cold' })
  onCleanup('cold relay database', () => coldDatabase.close())
  let failedBatches = 0
  const countingLogger = pino({ level: 'warn' }, {
    write(line: string) {
      if (line.includes('outbox publication failed')) failedBatches += 1
      else process.stderr.write(line)
    },
  })
  const coldRelay = new OutboxRelay({ database: coldDatabase, schema: schemas.cold, transport, logger: countingLogger, batchSize: batch })
  onCleanup('cold relay', () => coldRelay.stop())
  const coldStart = performance.now()
  await coldRelay.start()
  const coldDeadline = Date.now() + COLD_WINDOW_MS
  while (Date.now() < coldDeadline && (await pendingRows(coldDb))) await sleep(20)
  const coldSeconds = (performance.now() - coldStart) / 1000
  await coldRelay.stop()
  const published = Number(
    (await coldDb.selectFrom('outbox').select(sql<string>`count(*)`.as('n')).where('published_at', 'is not', null).executeTakeFirstOrThrow()).n,
  )
  const coldRate = published / coldSeconds
  console.log(`${fmt(published)} events in ${coldSeconds.toFixed(1)} s (${fmt(coldRate)} events/s)${failedBatches ? `, ${failedBatches} claims cancelled by the statement timeout` : ''}`)

  return {
    messages: n,
    batch,
    keys,
    partitions: PARTITIONS,
    avgValueBytes: Math.round(rawMessages.reduce((s, m) => s + m.value.length, 0) / n),
    avgHeaderBytes: Math.round(rawMessages.reduce((s, m) => s + Object.entries(m.headers).reduce((h, [k, v]) => h + k.length + Buffer.byteLength(v), 0), 0) / n),
    rawProducer: { messagesPerSec: rawRate, seconds: median(rawRounds.map((r) => r.seconds)), rounds: rawRounds },
    relay: {
      eventsPerSec: round(relayRate, 0),
      seconds: round(relaySeconds, 3),
      delivered: relayInTopic,
      prewriteSeconds: round(prewriteSeconds, 2),
      percentOfRaw: round((100 * relayRate) / rawRate, 1),
      analyzedBeforeDrain: true,
    },
    relayWithoutStatistics: {
      windowSec: round(coldSeconds, 2),
      published,
      eventsPerSec: round(coldRate, 0),
      failedBatches,
      statementTimeoutMs: COLD_STATEMENT_TIMEOUT_MS,
      reltuplesBefore,
    },
  }
}

// ---------------------------------------------------------------------------------------------
// Report

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })

const counts = (tally: Record<string, number>) =>
  Object.entries(tally)
    .map(([k, v]) => `${k} ${fmt(v)}`)
    .join(', ')

function reportScorecard(sc: ScorecardFigures): void {
  const e = sc.evaluate
  const a = sc.scoreEnterprise
  const row = (what: string, r: { calls: number; perSec: number; usPerCall: number }) => [what, fmt(r.calls), fmt(r.perSec), r.usPerCall.toFixed(2)]
  console.log(`Scorecard in-process: ${sc.model}; in this process on one core, before any infrastructure or server started.`)
  console.log(
    table(
      ['what', 'calls', 'per second', 'µs per call'],
      [
        row(`compiled.evaluate over ${fmt(e.featureSets)} pre-derived feature sets`, e),
        row('  diagnostic: the same sets as derived (scattered in memory)', e.diagnostics.scatteredAmongDataPoints),
        row('  diagnostic: the same sets without lineage ids', e.diagnostics.withoutLineageIds),
        row(`scoreEnterprise (features + champion + hardship), ${a.firms} firms`, a),
        row('  deriveFeatures alone', a.deriveFeatures),
        row('  assessHardship alone', a.assessHardship),
      ],
    ),
  )
  console.log(
    `Goal: over ${fmt(e.goalPerSec)} scorecard evaluations per second per core: ${e.goalMet ? 'MET' : 'NOT MET'} ` +
      `(${fmt(e.perSec)}/s over ${fmt(e.calls)} evaluations; rounds of ${fmt(e.calls / e.rounds.length)}: ${fmt(e.rounds[0] ?? 0)} … ${fmt(e.rounds.at(-1) ?? 0)}/s).`,
  )
  console.log(
    `Feature sets: ${e.avgLineageIds} lineage ids each on average (their union is computed once when features are derived; a model reading every feature records it as is); ${e.binsExercised} of ${e.binsTotal} bins exercised; grades ${counts(e.grades)}.`,
  )
  console.log(`scoreEnterprise: ${a.avgPoints} data points per firm on average (${counts(a.profiles)}); hardship verdicts ${counts(a.hardship)}.`)
}

function report(settings: Settings, scorecard: ScorecardFigures, schedules: ScheduleFigures, http: HttpFigures[], messaging: MessagingFigures, infra: string[], loadBefore: number[]): void {
  const cpus = os.cpus()
  console.log('')
  console.log(`Node ${process.version} on ${os.platform()}/${os.arch()}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}; load average at start ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`)
  for (const line of infra) console.log(line)
  console.log('')
  reportScorecard(scorecard)
  console.log(
    `Pricing schedules in-process: ${fmt(schedules.perSec)} schedules of 360 months a second (median of 5 rounds; slowest ${fmt(schedules.slowestRoundPerSec)}; ${schedules.usPerSchedule} µs each; ${fmt(schedules.periodsPerSec)} periods/s) over 64 varied terms (rates to 36%, three methods). ` +
      `Goal: at least ${fmt(schedules.goalPerSec)} a second on one core: ${schedules.goalMet ? 'MET' : 'NOT MET'}.`,
  )
  console.log('')
  console.log(`HTTP: ${settings.connections} connections, ${settings.durationSec} s per route after a ${settings.warmupSec} s warm-up; autocannon in this process, each server in a child process.`)
  console.log(
    table(
      ['route', 'req/s (mean)', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', '% of bare', 'server CPU µs/req', 'PostgreSQL CPU µs/req', 'WAL bytes/req'],
      http.map((f) => [
        f.label,
        fmt(f.requestsPerSecMean, 0),
        f.latencyMs.p50.toFixed(2),
        f.latencyMs.p99.toFixed(2),
        String(f.errors + f.timeouts),
        String(f.non2xx),
        `${(f.percentOfBare ?? 0).toFixed(1)} %`,
        f.cpuMicrosPerRequest ? fmt(f.cpuMicrosPerRequest.server) : '–',
        f.cpuMicrosPerRequest?.postgres != null ? fmt(f.cpuMicrosPerRequest.postgres) : '–',
        f.cpuMicrosPerRequest ? fmt(f.cpuMicrosPerRequest.walBytes) : '–',
      ]),
    ),
  )
  console.log(`Kit servers: request logging at "${settings.logLevel}" (JSON lines to /dev/null), PostgreSQL pool ${settings.poolSize}, HS256 bearer token verified per request.`)
  console.log('CPU per request: the server process, and the backends of its PostgreSQL pool (when PostgreSQL runs here), over the measured slices divided by the answers (Linux /proc; background work such as the relay counted in): steadier than req/s on a shared machine, and where the time went. WAL bytes per request: pg_current_wal_lsn() before and after each slice, written by the whole cluster (the other servers of a group idle meanwhile, but for the polls of their relays).')
  console.log('Kit routes: "INSERT + outbox" measures the transactional write alone (no relay running); "its relay running" adds the outbox relay publishing every event, as services run.')
  const plainNote = http.some((f) => PLAIN_SCENARIOS.includes(f.scenario))
  if (plainNote) {
    console.log('Plain routes: test/bench/plain-server.ts, Fastify + pg and nothing of ours (no auth; Fastify\'s own schema validation and request logging at the same level), the same INSERT (+ outbox row in one transaction); measured side by side with the kit routes they pair with.')
  }
  for (const f of http) {
    if (!f.kitCost || f.kitCost.goalPercentOfThroughput === 0) {
      if (f.kitCost) console.log(`  ${f.label}: ${f.kitCost.percentOfThroughput.toFixed(1)} % of the plain INSERT + outbox throughput, p99 ${f.kitCost.p99Multiple.toFixed(2)}×.`)
      continue
    }
    const g = f.kitCost
    const plain = http.find((p) => p.scenario === g.against)!
    console.log(
      `Kit cost goal: ${f.label} at least ${g.goalPercentOfThroughput} % of "${plain.label}"${g.goalP99Multiple === null ? '' : `, p99 within ${g.goalP99Multiple}×`}: ${g.met ? 'MET' : 'NOT MET'} ` +
        `(${fmt(f.requestsPerSecMean)} vs ${fmt(plain.requestsPerSecMean)} req/s = ${g.percentOfThroughput.toFixed(1)} %; p99 ${f.latencyMs.p99.toFixed(2)} vs ${plain.latencyMs.p99.toFixed(2)} ms = ${g.p99Multiple.toFixed(2)}×).`,
    )
  }
  const score = http.find((f) => f.scenario === 'score')
  const bare = http.find((f) => f.scenario === 'bare')
  const intake = http.find((f) => f.scenario === 'intake')
  const baseline = http.find((f) => f.scenario === 'relayed')
  if (intake?.intake && baseline) {
    const g = intake.intake
    const rows = intake.rowsWritten ?? 0
    const sent = intake.created?.sentByServer ?? 0
    console.log(
      `Relief intake: the real service as deployed (buildService, own schema migrated with migrateService, relay, consumers and sweeper running on the in-process transport, clock at ${INTAKE_CLOCK_START.slice(0, 10)}; scoring timeout 15 min, as no scoring service answers here); ` +
        `core-banking token (branches '*'); every request a new application (own loan id and Idempotency-Key; ${fmt(INTAKE_FIRMS)} borrowers): application (with its key) + audit entry, and the ScoringRequested outbox event, in one transaction.`,
    )
    console.log(
      `  Writes: ${fmt(rows)} applications ${rows === sent ? '=' : '≠'} ${fmt(sent)} answers 202 sent by the server (warm-up included; autocannon received ${fmt(intake.created?.received ?? 0)}); ${fmt(intake.outboxRowsWritten ?? 0)} ScoringRequested outbox events.`,
    )
    console.log(
      `Goal: intake at least ${INTAKE_GOAL.percent} % of the INSERT + outbox throughput, p99 within ${INTAKE_GOAL.p99}× (both with their relays running): ${g.met ? 'MET' : 'NOT MET'} ` +
        `(${fmt(intake.requestsPerSecMean)} vs ${fmt(baseline.requestsPerSecMean)} req/s = ${g.percentOfBaselineThroughput.toFixed(1)} % ${g.throughputMet ? '≥' : '<'} ${INTAKE_GOAL.percent} %; ` +
        `p99 ${intake.latencyMs.p99.toFixed(2)} vs ${baseline.latencyMs.p99.toFixed(2)} ms = ${g.p99MultipleOfBaseline.toFixed(2)}× ${g.p99Met ? '≤' : '>'} ${INTAKE_GOAL.p99}×).`,
    )
    console.log(
      `  Measured side by side: the INSERT + outbox servers (with and without relay) and intake running throughout, the load going to each in turn (${settings.slices} slices of ${Math.max(1, Math.round(settings.durationSec / settings.slices))} s each).`,
    )
    if (g.againstWritePathOnly) {
      console.log(
        `  Against the write path alone (INSERT + outbox, no relay): ${g.againstWritePathOnly.percentOfThroughput.toFixed(1)} % of its throughput, p99 ${g.againstWritePathOnly.p99Multiple.toFixed(2)}×.`,
      )
    }
  }
  if (score?.scoring) {
    const sc = score.scoring
    const created = score.created
    const rows = score.rowsWritten ?? 0
    const sent = created?.sentByServer ?? 0
    console.log(
      `Scoring service: the real service as deployed (buildService, own schema migrated with migrateService, relay and consumers running on the in-process transport); ` +
        `${sc.firms} firms seeded through POST /data-points/batch (${fmt(sc.dataPoints)} data points); POST /scores { uscc, asOf: ${sc.asOf} } rotating over them, officer token.`,
    )
    console.log(`  p99 ${score.latencyMs.p99.toFixed(1)} ms against ${bare?.latencyMs.p99.toFixed(1) ?? '?'} ms for the bare route; ${(score.percentOfBare ?? 0).toFixed(1)} % of its throughput.`)
    console.log(
      `  Writes: ${fmt(rows)} score rows ${rows === sent ? '=' : '≠'} ${fmt(sent)} answers 201 sent by the server (warm-up included; autocannon received ${fmt(created?.received ?? 0)}, the other ${fmt(sent - (created?.received ?? 0))} went to requests it had stopped waiting for); ` +
        `${fmt(score.outboxRowsWritten ?? 0)} outbox events, ${fmt(sc.relayPublished)} published by the relay when the server stopped (${fmt(sc.outboxPending)} pending, ${sc.outboxDead} dead).`,
    )
    console.log(
      `  Same inputs, same result: ${sc.firmsWithDifferingScores === 0 ? 'every firm got the same score every time' : `${sc.firmsWithDifferingScores} firms got differing scores`} (scores ${sc.scoreRange.min} … ${sc.scoreRange.max}; grades ${counts(sc.grades)}).`,
    )
  }
  console.log('')
  const m = messaging
  const cold = m.relayWithoutStatistics
  console.log(`Messaging: ${fmt(m.messages)} messages per run (value ~${m.avgValueBytes} B, key 18 B, ~${m.avgHeaderBytes} B of ce_* headers; ${m.keys} keys), topics of ${m.partitions} partitions, batches of ${m.batch}, acks=all, idempotent producer.`)
  console.log(
    table(
      ['path', 'msg/s', 'seconds', 'messages', '% of raw'],
      [
        ['raw kafkajs producer (baseline, median of 3)', fmt(m.rawProducer.messagesPerSec), m.rawProducer.seconds.toFixed(2), fmt(m.messages), '100.0 %'],
        ['outbox relay → KafkaTransport (analyzed)', fmt(m.relay.eventsPerSec), m.relay.seconds.toFixed(2), fmt(m.messages), `${m.relay.percentOfRaw.toFixed(1)} %`],
        ['outbox relay, no planner statistics', fmt(cold.eventsPerSec), cold.windowSec.toFixed(2), fmt(cold.published), `${((100 * cold.eventsPerSec) / Math.max(1, m.rawProducer.messagesPerSec)).toFixed(1)} %`],
      ],
    ),
  )
  console.log(`Relay: timed from start() until no outbox row was pending (claim, publish, mark per batch), over events written beforehand through Outbox.enqueue (${m.relay.prewriteSeconds} s, not timed) and ANALYZEd, as autovacuum keeps a busy table.`)
  const coldDrainSec = cold.published < m.messages ? ` (${fmt(m.messages - cold.published)} still pending when stopped)` : ''
  const warn = cold.eventsPerSec < m.relay.eventsPerSec / 5 ? 'WARNING: ' : ''
  console.log(
    `${warn}Without statistics (a fresh outbox, reltuples ${cold.reltuplesBefore}) the relay ran ${cold.windowSec.toFixed(1)} s and published ${fmt(cold.published)} events${coldDrainSec}` +
      `${cold.failedBatches ? `; ${cold.failedBatches} claims were cancelled by the ${cold.statementTimeoutMs / 1000} s statement timeout` : ''}.`,
  )
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  let settings: Settings
  try {
    settings = loadSettings(process.argv.slice(2))
  } catch (err) {
    if (err instanceof SettingsError || (err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`bench: ${err.message}\n${USAGE}`)
      return 2
    }
    throw err
  }
  const loadBefore = os.loadavg()
  const startedAt = new Date()

  // The scorecard first: pure CPU in this process, while nothing else of the benchmark runs yet.
  // Also nothing to clean up yet: a Ctrl-C that arrives while a measuring loop holds the event loop
  // is not acknowledged in time, and tsx then kills this process outright (its signal relay).
  process.stdout.write('bench: scorecard in-process (this process, one core): ')
  let scorecard: ScorecardFigures
  try {
    scorecard = await measureScorecard(
      { evaluations: settings.evaluations, featureSets: 1_024, assessments: settings.assessments },
      (text) => process.stdout.write(text),
      () => interrupted,
    )
  } catch (err) {
    if (err instanceof ScorecardInterrupted) return 130
    throw err
  }
  console.log(`${fmt(scorecard.evaluate.perSec)} evaluations/s, ${fmt(scorecard.scoreEnterprise.perSec)} scoreEnterprise/s`)
  process.stdout.write('bench: pricing schedules in-process (360 months, one core): ')
  const schedules = measureSchedules(settings.schedules)
  console.log(`${fmt(schedules.perSec)} schedules/s`)

  console.log('bench: providing PostgreSQL and Kafka (test/harness/infra.ts) …')
  let infra
  try {
    infra = await provideInfra()
  } catch (err) {
    if (err instanceof MissingInfrastructure) {
      console.error(`bench: ${err.message}`)
      return 2
    }
    throw err
  }
  onCleanup('infrastructure', () => infra.stop())
  for (const line of infra.describe) console.log(`bench: ${line}`)
  if (interrupted) return 130

  const run = randomBytes(3).toString('hex')
  const schemas = { http: `bench_http_${run}`, plainInsert: `bench_plain_insert_${run}`, plainOutbox: `bench_plain_outbox_${run}`, relayed: `bench_relayed_${run}`, relay: `bench_relay_${run}`, cold: `bench_cold_${run}`, score: `bench_scoring_${run}`, relief: `bench_relief_${run}`, pricing: `bench_pricing_${run}`, pricingMinimal: `bench_pricing_minimal_${run}`, guard: `bench_guard_${run}` }
  const topics = { http: `bench-${run}.items-http.v1`, raw: `bench-${run}.items-raw.v1`, relay: `bench-${run}.items-relay.v1`, cold: `bench-${run}.items-cold.v1` }
  const database = createPostgresDatabase<BenchDB>({ connectionString: infra.env.DATABASE_URL, maxConnections: 10, applicationName: 'sme-bench' })
  onCleanup('database', async () => {
    // Needed where DATABASE_URL came from outside; a throwaway database is dropped anyway.
    for (const schema of Object.values(schemas)) await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db)
    await database.close()
  })
  for (const schema of [schemas.http, schemas.plainInsert, schemas.plainOutbox, schemas.relayed, schemas.relay, schemas.cold]) await migrateSchema(database.db, schema, benchMigrations)
  // The scoring and relief services' own tables (and the kit's), as their runners migrate them.
  await migrateService(database, { ...scoringService(), schema: schemas.score })
  await migrateService(database, { ...reliefService(), schema: schemas.relief })
  await migrateService(database, { ...pricingService(), schema: schemas.pricing })
  // Its own schema, so its rows, pool and CPU are counted apart from the whole answer's.
  await migrateService(database, { ...pricingService(), schema: schemas.pricingMinimal })
  await migrateService(database, { ...guardService(), schema: schemas.guard })
  await seedGuard(database.db as Kysely<any>, schemas.guard)

  const problems: string[] = []

  // HTTP
  const secret = randomBytes(32).toString('hex')
  const token = await mintToken(secret, { sub: 'bench-officer', roles: ['officer'], branches: [SAMPLE_BODY.branchId] }, { issuer: BENCH_ISSUER, audience: BENCH_AUDIENCE, expiresInSec: 3_600 })
  const serverEnv = {
    BENCH_DATABASE_URL: infra.env.DATABASE_URL,
    BENCH_SCHEMA: schemas.http,
    BENCH_TOPIC: topics.http,
    BENCH_JWT_SECRET: secret,
    BENCH_LOG_LEVEL: settings.logLevel,
    BENCH_POOL_SIZE: String(settings.poolSize),
  }
  const httpDb = database.db.withSchema(schemas.http) as Kysely<BenchDB>
  const scoreDb = database.db.withSchema(schemas.score) as Kysely<any>
  const reliefDb = database.db.withSchema(schemas.relief) as Kysely<any>
  const pricingDb = database.db.withSchema(schemas.pricing) as Kysely<any>
  const pricingMinimalDb = database.db.withSchema(schemas.pricingMinimal) as Kysely<any>
  const quoteContestant = (scenario: 'quote' | 'quote-minimal') =>
    scenario === 'quote'
      ? { serverEnv: { ...serverEnv, BENCH_SCHEMA: schemas.pricing }, counter: quoteRows(pricingDb) }
      : { serverEnv: { ...serverEnv, BENCH_SCHEMA: schemas.pricingMinimal }, counter: quoteRows(pricingMinimalDb) }
  // Core banking, as it submits relief applications: every branch.
  const coreBanking = await mintToken(secret, { sub: 'bench-core-banking', roles: ['core-banking'], branches: ['*'] }, { issuer: BENCH_ISSUER, audience: BENCH_AUDIENCE, expiresInSec: 3_600 })
  const checkContestant = { serverEnv: { ...serverEnv, BENCH_SCHEMA: schemas.guard }, counter: verdictRows(database.db.withSchema(schemas.guard) as Kysely<any>) }
  const http: HttpFigures[] = []
  // The relayed route has a schema of its own: the outbox route's events, never published, must
  // not be drained there.
  const measureRelayed = () =>
    measureHttp(database.db, 'relayed', settings, { ...serverEnv, BENCH_SCHEMA: schemas.relayed }, token, itemRows(database.db.withSchema(schemas.relayed) as Kysely<BenchDB>), problems, run)
  const measureIntake = () => measureHttp(database.db, 'intake', settings, { ...serverEnv, BENCH_SCHEMA: schemas.relief }, coreBanking, intakeRows(reliefDb), problems, run)
  const pairs = settings.scenarios.includes('relayed') && settings.scenarios.includes('intake')
  const plainContestant = (scenario: 'plain-insert' | 'plain-outbox'): Contestant => {
    const schema = scenario === 'plain-insert' ? schemas.plainInsert : schemas.plainOutbox
    return { scenario, serverEnv: { ...serverEnv, BENCH_SCHEMA: schema }, token, counter: itemRows(database.db.withSchema(schema) as Kysely<BenchDB>), run }
  }
  // The kit's one-INSERT route and its plain twin, side by side like intake and its baselines.
  const insertPair = settings.scenarios.includes('insert') && settings.scenarios.includes('plain-insert')
  for (const scenario of settings.scenarios) {
    if (interrupted) return 130
    // Measured with the relayed route and intake, below (it comes right before them).
    if ((scenario === 'outbox' || scenario === 'plain-outbox') && pairs) continue
    if ((scenario === 'plain-insert' || isQuoteScenario(scenario) || scenario === 'check') && insertPair) continue
    if (scenario === 'check') {
      http.push(await measureHttp(database.db, scenario, settings, checkContestant.serverEnv, coreBanking, checkContestant.counter, problems, run))
      continue
    }
    if (isQuoteScenario(scenario)) {
      const q = quoteContestant(scenario)
      http.push(await measureHttp(database.db, scenario, settings, q.serverEnv, token, q.counter, problems, run))
      continue
    }
    if (scenario === 'insert' && insertPair) {
      const sliceSec = Math.max(1, Math.round(settings.durationSec / settings.slices))
      // The pricing service's quote route takes the load in turn with them: its goal is against the kit's one INSERT.
      const group: Contestant[] = [
        { scenario: 'insert', serverEnv, token, counter: itemRows(httpDb), run },
        plainContestant('plain-insert'),
        ...settings.scenarios.filter(isQuoteScenario).map((scenario) => ({ scenario, ...quoteContestant(scenario), token, run })),
        // The guard's check too: its goal is against the kit's one INSERT (80 %, p99 within 1.2×).
        ...(settings.scenarios.includes('check') ? [{ scenario: 'check' as const, ...checkContestant, token: coreBanking, run }] : []),
      ]
      http.push(...(await measureInterleaved(database.db, group, settings, problems, { slices: settings.slices, sliceSec })))
      continue
    }
    if (scenario === 'plain-insert' || scenario === 'plain-outbox') {
      const c = plainContestant(scenario)
      http.push(await measureHttp(database.db, scenario, settings, c.serverEnv, token, c.counter, problems, run))
      continue
    }
    if (scenario === 'score') {
      const figures = await measureHttp(database.db, scenario, settings, { ...serverEnv, BENCH_SCHEMA: schemas.score, BENCH_SCORE_FIRMS: String(settings.firms) }, token, scoreRows(scoreDb), problems, run)
      figures.scoring = await scoreRouteFigures(scoreDb, settings.firms, problems)
      http.push(figures)
    } else if (scenario === 'relayed' && pairs) {
      // Intake and its baselines side by side, taking the load in turn: on a shared machine the
      // load of the moment moves one 10 s run by tens of percent, and all must see the same moments.
      const sliceSec = Math.max(1, Math.round(settings.durationSec / settings.slices))
      const group: Contestant[] = [
        ...(settings.scenarios.includes('outbox') ? [{ scenario: 'outbox' as const, serverEnv, token, counter: itemRows(httpDb), run }] : []),
        { scenario: 'relayed', serverEnv: { ...serverEnv, BENCH_SCHEMA: schemas.relayed }, token, counter: itemRows(database.db.withSchema(schemas.relayed) as Kysely<BenchDB>), run },
        ...(settings.scenarios.includes('plain-outbox') ? [plainContestant('plain-outbox')] : []),
        { scenario: 'intake', serverEnv: { ...serverEnv, BENCH_SCHEMA: schemas.relief }, token: coreBanking, counter: intakeRows(reliefDb), run },
      ]
      const measured = await measureInterleaved(database.db, group, settings, problems, { slices: settings.slices, sliceSec })
      http.push(...measured)
    } else if (scenario === 'intake') {
      if (!pairs) http.push(await measureIntake())
    } else if (scenario === 'relayed') {
      http.push(await measureRelayed())
    } else {
      http.push(await measureHttp(database.db, scenario, settings, serverEnv, token, scenario === 'bare' ? undefined : itemRows(httpDb), problems, run))
    }
  }
  const bare = http.find((f) => f.scenario === 'bare')?.requestsPerSecMean ?? 0
  for (const f of http) f.percentOfBare = bare > 0 ? round((100 * f.requestsPerSecMean) / bare, 1) : 0
  const intakeRoute = http.find((f) => f.scenario === 'intake')
  const ratios = (baseline: HttpFigures, route: HttpFigures) => ({
    percent: baseline.requestsPerSecMean > 0 ? round((100 * route.requestsPerSecMean) / baseline.requestsPerSecMean, 1) : 0,
    multiple: baseline.latencyMs.p99 > 0 ? round(route.latencyMs.p99 / baseline.latencyMs.p99, 2) : Infinity,
  })
  const relayedRoute = http.find((f) => f.scenario === 'relayed')
  if (relayedRoute && intakeRoute) {
    const { percent, multiple } = ratios(relayedRoute, intakeRoute)
    const throughputMet = percent >= INTAKE_GOAL.percent
    const p99Met = multiple <= INTAKE_GOAL.p99
    const writePathOnly = http.find((f) => f.scenario === 'outbox')
    intakeRoute.intake = {
      baseline: 'relayed',
      percentOfBaselineThroughput: percent,
      p99MultipleOfBaseline: multiple,
      goalPercentOfThroughput: INTAKE_GOAL.percent,
      goalP99Multiple: INTAKE_GOAL.p99,
      throughputMet,
      p99Met,
      met: throughputMet && p99Met,
      ...(writePathOnly ? { againstWritePathOnly: (({ percent, multiple }) => ({ percentOfThroughput: percent, p99Multiple: multiple }))(ratios(writePathOnly, intakeRoute)) } : {}),
    }
  }

  const plainInsert = http.find((f) => f.scenario === 'plain-insert')
  const kitInsert = http.find((f) => f.scenario === 'insert')
  if (plainInsert && kitInsert) {
    const { percent, multiple } = ratios(plainInsert, kitInsert)
    const goal = KIT_COST_GOALS.insert
    kitInsert.kitCost = { against: 'plain-insert', percentOfThroughput: percent, p99Multiple: multiple, goalPercentOfThroughput: goal.percent, goalP99Multiple: goal.p99, met: percent >= goal.percent }
  }
  for (const quoteRoute of http.filter((f) => isQuoteScenario(f.scenario))) {
    if (!kitInsert) break
    const { percent, multiple } = ratios(kitInsert, quoteRoute)
    quoteRoute.kitCost = { against: 'insert', percentOfThroughput: percent, p99Multiple: multiple, goalPercentOfThroughput: QUOTE_GOAL_PERCENT, goalP99Multiple: null, met: percent >= QUOTE_GOAL_PERCENT }
  }
  const checkRoute = http.find((f) => f.scenario === 'check')
  if (checkRoute && kitInsert) {
    const { percent, multiple } = ratios(kitInsert, checkRoute)
    checkRoute.kitCost = { against: 'insert', percentOfThroughput: percent, p99Multiple: multiple, goalPercentOfThroughput: CHECK_GOAL.percent, goalP99Multiple: CHECK_GOAL.p99, met: percent >= CHECK_GOAL.percent && multiple <= CHECK_GOAL.p99 }
  }
  const plainOutbox = http.find((f) => f.scenario === 'plain-outbox')
  if (plainOutbox && intakeRoute) {
    const { percent, multiple } = ratios(plainOutbox, intakeRoute)
    const goal = KIT_COST_GOALS.intake
    intakeRoute.kitCost = { against: 'plain-outbox', percentOfThroughput: percent, p99Multiple: multiple, goalPercentOfThroughput: goal.percent, goalP99Multiple: goal.p99, met: percent >= goal.percent && multiple <= goal.p99 }
  }
  const kitOutbox = http.find((f) => f.scenario === 'outbox')
  if (plainOutbox && kitOutbox) {
    const { percent, multiple } = ratios(plainOutbox, kitOutbox)
    kitOutbox.kitCost = { against: 'plain-outbox', percentOfThroughput: percent, p99Multiple: multiple, goalPercentOfThroughput: 0, goalP99Multiple: null, met: true }
  }

  // Messaging
  if (interrupted) return 130
  const brokers = infra.env.KAFKA_BROKERS.split(',').map((b) => b.trim()).filter(Boolean)
  const messaging = await measureMessaging(settings, brokers, database, infra.env.DATABASE_URL, schemas, topics, problems)
  if (process.env.KAFKA_BROKERS) {
    // A broker of someone else's: leave no benchmark topics behind (a local one is deleted whole).
    const admin = new Kafka({ clientId: 'sme-bench-cleanup', brokers, logLevel: logLevel.ERROR }).admin()
    onCleanup('benchmark topics', async () => {
      await admin.connect()
      await admin.deleteTopics({ topics: [topics.raw, topics.relay, topics.cold] }).finally(() => admin.disconnect())
    })
  }

  report(settings, scorecard, schedules, http, messaging, infra.describe, loadBefore)

  const cpus = os.cpus()
  const results = {
    ok: problems.length === 0,
    problems,
    date: startedAt.toISOString(),
    machine: {
      node: process.version,
      platform: `${os.platform()}/${os.arch()}`,
      cpus: cpus.length,
      cpuModel: cpus[0]?.model.trim() ?? 'unknown',
      memoryGiB: round(os.totalmem() / 2 ** 30, 1),
      loadAverageBefore: loadBefore.map((l) => round(l)),
      loadAverageAfter: os.loadavg().map((l) => round(l)),
    },
    infrastructure: infra.describe,
    settings,
    scorecard: {
      note: 'in-process, in the main bench process before any infrastructure or server started (one core); evaluate: compileModel(DEFAULT_MODEL).evaluate over 1,024 feature sets pre-derived by deriveFeatures from varied firms (test/bench/firms.ts), in a compact copy; scoreEnterprise: features + champion + hardship over those firms\' data points (recordToDomain)',
      ...scorecard,
    },
    schedules: { note: 'buildSchedule of @sme/pricing in-process, in the main bench process before any server started (one core), 360-month terms varied over amounts, rates to 36%, value dates and methods', ...schedules },
    http: {
      note: 'autocannon in the parent process, each server in a child process; latency percentiles from every measured response; the outbox relay was not running during the kit routes (insert, outbox); the scoring service (score) and the relief service (intake, measured right after its baseline outbox; every request a new application) ran as deployed, with their relays and consumers on the in-process transport',
      routes: http,
    },
    messaging: {
      note: 'raw kafkajs producer (median of 3 rounds) vs OutboxRelay + KafkaTransport; same broker, partitions, batch size, message shape; relay timed from start() until no outbox row is pending, on an ANALYZEd outbox; relayWithoutStatistics: the same relay for a bounded window on an outbox never analyzed',
      ...messaging,
    },
  }
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`)
  console.log(`\nbench: figures written to ${relative(root, RESULTS_FILE)}`)
  if (problems.length > 0) {
    console.error(`bench: FAILED checks:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    return 1
  }
  return 0
}

main()
  .catch((err: unknown) => {
    // After SIGINT the clean-up closes what the run still uses: those errors are expected noise.
    if (!interrupted) console.error('bench: failed:', err)
    return 1
  })
  .then(async (code) => {
    await cleanup()
    process.exit(interrupted ? 130 : code)
  })
