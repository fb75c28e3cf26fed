// The platform run distributed, as an operator runs it, for fault runs: a PostgreSQL cluster and a
// Kafka broker of the run's own (so either may be killed without touching anything else), scoring
// and relief as separate processes, a steady load of applications over HTTP, and an independent
// reader of the topics. After the fault, everything is counted from the tables and the topics.
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { mkdtempSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { tmpdir } from 'node:os'
import { createPostgresDatabase, sql, type Database } from '@sme/data'
import { ReliefDecided, ScoreCompleted, ScoringFailed, ScoringRequested } from '@sme/contracts'
import { KafkaTransport, type Subscription } from '@sme/events'
import { migrateStandalone, mintToken } from '@sme/kit'
import { freePort, startLocalKafka, startPostgresCluster, testLogger, uniqueName, type LocalKafka, type PostgresCluster, type Teardown } from '@sme/testing'
import { reliefService } from '../../services/relief/src/service.js'
import { scoringService } from '../../services/scoring/src/service.js'
import { applicationForToday } from '../harness/applications.js'
import { startServiceProcess, type ServiceProcess } from '../harness/processes.js'

const AUTH = { secret: 'fault-suite-secret-0123456789abcdef0123', issuer: 'faults', audience: 'sme-relief' }

export type Fault = 'none' | 'broker-kill' | 'relief-kill' | 'scoring-kill' | 'postgres-restart-twice' | 'consumer-crash'

/** The consumer the consumer-crash fault kills: scoring's, which answers relief's scoring requests. */
const CRASHED_CONSUMER = 'scoring.requests'

export interface RunFigures {
  /** The faults of the run, in order. */
  fault: string
  /** Applications answered 202 (or 200 for a retried key), each once. */
  acknowledged: number
  /** Rows in relief.applications. */
  rows: number
  /** Distinct scoring requests read from scoring.requests.v1 (messages read, duplicates included). */
  requestsPublished: number
  requestMessages: number
  /** Requests scoring answered (distinct correlation ids among its answers in its outbox). */
  answered: number
  /** Answers scoring wrote (more than `answered` when a request was answered twice). */
  answers: number
  /** Relief decisions (rows; distinct applications). */
  decisions: number
  decidedApplications: number
  /** Final decisions (published) and the decision events read: distinct ids, and messages. */
  finalDecisions: number
  decisionEvents: number
  decisionMessages: number
  lost: number
  /** Effects recorded twice: a second decision for an application, a second answer for a request. */
  duplicated: number
  /** HTTP statuses the load saw (`network` for a refused or dropped connection). */
  statuses: Record<string, number>
  /** Readiness answers of the instance not killed (relief unless relief was killed) during the run. */
  readiness: Record<string, number>
  /** From the fault until the load was answered 202 again (0 when it never saw an error). */
  recoveryMs: number
  /** The processes the run did not kill kept their PID and ran throughout. */
  othersUntouched: boolean
  /** Duplicates the consumers skipped (events_consumed_total{outcome="duplicate"} after the fault). */
  duplicatesSkipped: number
  /**
   * For a consumer crash: the effects its consumer had committed to the database beyond the offsets
   * its group had committed to Kafka when it was killed (read with Kafka's consumer-group tool):
   * events it will be given again.
   */
  uncommittedAtCrash?: number
}

interface Platform {
  t: Teardown
  cluster: PostgresCluster
  kafka: LocalKafka
  kafkaRunDir: string
  env: Record<string, string>
  database: Database<any>
  relief: ServiceProcess
  scoring: ServiceProcess
  reliefPort: string
  scoringPort: string
  namespace: string
  uncommittedAtCrash?: number
}

async function startPlatform(t: Teardown): Promise<Platform> {
  const cluster = await startPostgresCluster()
  t.teardown(() => cluster.destroy())
  const kafkaRunDir = mkdtempSync(join(tmpdir(), 'sme-fault-kafka-'))
  const kafka = await startLocalKafka({ runDir: kafkaRunDir })
  t.teardown(() => kafka.destroy())
  const namespace = uniqueName('fault').replace(/_/g, '-')
  const [reliefPort, scoringPort] = [String(await freePort()), String(await freePort())]
  const env = {
    DATABASE_URL: cluster.url,
    KAFKA_BROKERS: kafka.brokers.join(','),
    KAFKA_NAMESPACE: namespace,
    JWT_SECRET: AUTH.secret,
    JWT_ISSUER: AUTH.issuer,
    JWT_AUDIENCE: AUTH.audience,
    LOG_LEVEL: 'warn',
  }
  await migrateStandalone(scoringService(), env)
  await migrateStandalone(reliefService(), env)
  const database = createPostgresDatabase<any>({ connectionString: cluster.url, maxConnections: 2 })
  t.teardown(() => database.close())
  const scoring = await startServiceProcess(t, 'scoring', { ...env, PORT: scoringPort })
  const relief = await startServiceProcess(t, 'relief', { ...env, PORT: reliefPort })
  return { t, cluster, kafka, kafkaRunDir, env, database, relief, scoring, reliefPort, scoringPort, namespace }
}

/** Reads both topics from the beginning with a group of its own, as an outside consumer would. */
async function topicReader(p: Platform): Promise<{ requests: string[]; decisions: string[]; stop(): Promise<void> }> {
  const transport = new KafkaTransport({ brokers: p.kafka.brokers, clientId: 'fault-reader', logger: testLogger(), namespace: p.namespace })
  const requests: string[] = []
  const decisions: string[] = []
  const subscriptions: Subscription[] = []
  await transport.ensureTopics([ScoringRequested.topic, ReliefDecided.topic])
  subscriptions.push(await transport.subscribe({ groupId: uniqueName('reader'), topics: [ScoringRequested.topic, ReliefDecided.topic], handle: async (m) => void (m.topic === ScoringRequested.topic ? requests : decisions).push(m.headers.ce_id ?? '') }))
  return {
    requests,
    decisions,
    async stop() {
      await Promise.all(subscriptions.map((s) => s.stop()))
      await transport.close()
    },
  }
}

interface Load {
  acknowledged: Set<string>
  statuses: Record<string, number>
  /** When each non-2xx answer (or network error) was seen. */
  failures: number[]
  stop(): Promise<void>
}

/** Submits `perSecond` applications a second; each is retried with its key until answered 202/200. */
function steadyLoad(p: Platform, perSecond: number, authorization: string): Load {
  const acknowledged = new Set<string>()
  const statuses: Record<string, number> = {}
  const failures: number[] = []
  const pending = new Set<Promise<void>>()
  let n = 0
  let stopping = false
  const submit = async (i: number) => {
    const body = JSON.stringify(applicationForToday(i))
    for (const deadline = Date.now() + 180_000; Date.now() < deadline; ) {
      let status = 'network'
      try {
        const res = await fetch(`http://127.0.0.1:${p.reliefPort}/applications`, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/json', 'idempotency-key': `fault-load-${i}` },
          body,
          signal: AbortSignal.timeout(10_000),
        })
        status = String(res.status)
        const answer = (await res.json().catch(() => ({}))) as { id?: string }
        if ((res.status === 202 || res.status === 200) && answer.id) {
          statuses[status] = (statuses[status] ?? 0) + 1
          acknowledged.add(answer.id)
          return
        }
      } catch {
        status = 'network'
      }
      statuses[status] = (statuses[status] ?? 0) + 1
      failures.push(Date.now())
      await new Promise((r) => setTimeout(r, 250))
    }
  }
  const timer = setInterval(() => {
    if (stopping) return
    const job = submit(n++).finally(() => pending.delete(job))
    pending.add(job)
  }, 1000 / perSecond)
  return {
    acknowledged,
    statuses,
    failures,
    async stop() {
      stopping = true
      clearInterval(timer)
      while (pending.size > 0) await Promise.all([...pending])
    },
  }
}

function sampleReadiness(url: () => string): { seen: Record<string, number>; stop(): void } {
  const seen: Record<string, number> = {}
  const timer = setInterval(() => {
    void fetch(`${url()}/health/ready`, { signal: AbortSignal.timeout(3_000) })
      .then(async (res) => {
        const body = (await res.json().catch(() => ({}))) as { degraded?: string[] }
        const key = res.status === 200 && body.degraded?.length ? `200 degraded` : String(res.status)
        seen[key] = (seen[key] ?? 0) + 1
      })
      .catch(() => void (seen.network = (seen.network ?? 0) + 1))
  }, 500)
  return { seen, stop: () => clearInterval(timer) }
}

async function duplicatesSkipped(url: string): Promise<number> {
  const text = await fetch(`${url}/metrics`).then((r) => r.text(), () => '')
  return text
    .split('\n')
    .filter((l) => l.startsWith('events_consumed_total') && l.includes('outcome="duplicate"'))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0)
}

async function injectFault(p: Platform, fault: Fault): Promise<void> {
  switch (fault) {
    case 'none':
      return
    case 'broker-kill': {
      const pid = Number(readFileSync(join(p.kafkaRunDir, 'kafka.pid'), 'utf8').trim())
      process.kill(pid, 'SIGKILL')
      await new Promise((r) => setTimeout(r, 8_000))
      await p.kafka.start()
      return
    }
    case 'relief-kill':
      await p.relief.kill('SIGKILL')
      p.relief = await startServiceProcess(p.t, 'relief', { ...p.env, PORT: p.reliefPort })
      return
    case 'scoring-kill':
      await p.scoring.kill('SIGKILL')
      p.scoring = await startServiceProcess(p.t, 'scoring', { ...p.env, PORT: p.scoringPort })
      return
    case 'consumer-crash':
      p.uncommittedAtCrash = await crashConsumerMidBatch(p)
      p.scoring = await startServiceProcess(p.t, 'scoring', { ...p.env, PORT: p.scoringPort })
      return
    case 'postgres-restart-twice':
      await p.cluster.restart('immediate')
      await new Promise((r) => setTimeout(r, 3_000))
      await p.cluster.restart('immediate')
      return
  }
}

/** Events the crashed consumer has handled: its inbox rows, written in the transaction of each effect. */
async function handledBy(p: Platform, consumer: string): Promise<number> {
  return (await sql<{ n: number }>`select count(*)::int as n from scoring.inbox where consumer = ${consumer}`.execute(p.database.db)).rows[0]!.n
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** Offsets a consumer group has committed, summed over its partitions, as Kafka's own consumer-group tool reports them. */
function committedOffsets(p: Platform, group: string): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile('bash', ['infra/kafka/kafka.sh', 'groups', '--describe', '--group', group], { cwd: ROOT, env: { ...process.env, KAFKA_BOOTSTRAP: p.kafka.brokers[0]! }, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`kafka-consumer-groups failed: ${stderr.slice(-1_000)}`))
      // GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG …; '-' when nothing was committed yet.
      const lines = stdout.split('\n').map((l) => l.trim().split(/\s+/))
      const header = lines.find((cols) => cols.includes('CURRENT-OFFSET'))
      if (!header) return reject(new Error(`kafka-consumer-groups printed no offsets:\n${stdout}\n${stderr.slice(-1_000)}`))
      const at = header.indexOf('CURRENT-OFFSET')
      const rows = lines.filter((cols) => cols[0] === group && cols.length > at)
      resolve(rows.reduce((sum, cols) => sum + (cols[at] === '-' ? 0 : Number(cols[at])), 0))
    })
  })
}

/**
 * Kills scoring with -9 in the middle of a batch, after it has committed effects (score, reply in
 * its outbox, inbox row) whose offsets its consumer group has not committed yet: it is paused
 * (SIGSTOP) while relief publishes requests, so that its next fetch brings a long batch, resumed,
 * and killed once ten more events were handled. Returns how many effects were beyond the committed
 * offsets at the kill (more than none, or the fault did not happen).
 */
async function crashConsumerMidBatch(p: Platform): Promise<number> {
  process.kill(p.scoring.pid, 'SIGSTOP')
  await new Promise((r) => setTimeout(r, 8_000))
  const before = await handledBy(p, CRASHED_CONSUMER)
  process.kill(p.scoring.pid, 'SIGCONT')
  for (const deadline = Date.now() + 30_000; (await handledBy(p, CRASHED_CONSUMER)) < before + 10; ) {
    if (Date.now() > deadline) throw new Error('scoring handled fewer than ten requests within 30 s of being resumed')
    await new Promise((r) => setTimeout(r, 5))
  }
  await p.scoring.kill('SIGKILL')
  const handled = await handledBy(p, CRASHED_CONSUMER)
  const committed = await committedOffsets(p, `${p.namespace}.${CRASHED_CONSUMER}`)
  // Every request on the topic was handled at most once (the inbox's key), and relief publishes each
  // once outside faults of its own: the handled events past the committed offsets are the difference.
  return handled - committed
}

/**
 * One run: the platform up, `perSecond` applications a second for `beforeMs`, the fault, the load
 * for `afterMs` more, then the load stops and the run waits until every acknowledged application
 * is decided and every decision is on the topic, and counts.
 */
export async function faultRun(t: Teardown, faults: Fault | readonly Fault[], options: { perSecond: number; beforeMs: number; betweenMs?: number; afterMs: number; settleMs?: number }): Promise<RunFigures> {
  const sequence: readonly Fault[] = typeof faults === 'string' ? [faults] : faults
  const fault = sequence.join(' + ')
  const p = await startPlatform(t)
  const token = await mintToken(AUTH.secret, { sub: 'core-fz', roles: ['core-banking'], branches: ['*'] }, { issuer: AUTH.issuer, audience: AUTH.audience })
  const reader = await topicReader(p)
  t.teardown(() => reader.stop())
  const pids = { relief: p.relief.pid, scoring: p.scoring.pid }
  const killsRelief = sequence.includes('relief-kill')
  const killsScoring = sequence.includes('scoring-kill') || sequence.includes('consumer-crash')
  const watched = killsRelief ? () => p.scoring.url : () => p.relief.url
  const readiness = sampleReadiness(watched)
  const load = steadyLoad(p, options.perSecond, `Bearer ${token}`)
  await new Promise((r) => setTimeout(r, options.beforeMs))
  const faultAt = Date.now()
  for (const [i, each] of sequence.entries()) {
    if (i > 0) await new Promise((r) => setTimeout(r, options.betweenMs ?? 5_000))
    await injectFault(p, each)
  }
  await new Promise((r) => setTimeout(r, options.afterMs))
  await load.stop()
  readiness.stop()
  const acked = load.acknowledged.size
  const count = async () => {
    const r = (await sql<{ rows: number; decisions: number; decided: number; finals: number; answers: number; answered: number }>`
      select (select count(*)::int from relief.applications) as rows,
             (select count(*)::int from relief.decisions) as decisions,
             (select count(distinct application_id)::int from relief.decisions) as decided,
             (select count(*)::int from relief.applications where final_outcome is not null) as finals,
             (select count(*)::int from scoring.outbox where event_type in (${ScoreCompleted.type}, ${ScoringFailed.type}) and payload->>'correlationId' is not null) as answers,
             (select count(distinct payload->>'correlationId')::int from scoring.outbox where event_type in (${ScoreCompleted.type}, ${ScoringFailed.type})) as answered`.execute(p.database.db)).rows[0]!
    return r
  }
  const deadline = Date.now() + (options.settleMs ?? 120_000)
  let figures = await count()
  while (Date.now() < deadline) {
    figures = await count()
    if (figures.decided >= acked && new Set(reader.decisions).size >= figures.finals && new Set(reader.requests).size >= figures.rows) break
    await new Promise((r) => setTimeout(r, 500))
  }
  // A moment more, for a duplicate still on its way.
  await new Promise((r) => setTimeout(r, 1_000))
  figures = await count()
  const requestIds = new Set(reader.requests)
  const decisionIds = new Set(reader.decisions)
  const lastFailure = load.failures.filter((at) => at >= faultAt).at(-1)
  const others = [...(killsRelief ? [] : [p.relief]), ...(killsScoring ? [] : [p.scoring])]
  const untouched = others.every((proc) => !proc.exited() && proc.pid === (proc === p.relief ? pids.relief : pids.scoring))
  return {
    fault,
    acknowledged: acked,
    rows: figures.rows,
    requestsPublished: requestIds.size,
    requestMessages: reader.requests.length,
    answered: figures.answered,
    answers: figures.answers,
    decisions: figures.decisions,
    decidedApplications: figures.decided,
    finalDecisions: figures.finals,
    decisionEvents: decisionIds.size,
    decisionMessages: reader.decisions.length,
    lost: Math.max(0, acked - figures.decided) + Math.max(0, figures.rows - requestIds.size) + Math.max(0, figures.finals - decisionIds.size),
    duplicated: figures.decisions - figures.decided + (figures.answers - figures.answered) + Math.max(0, figures.rows - acked),
    statuses: load.statuses,
    readiness: readiness.seen,
    recoveryMs: lastFailure === undefined ? 0 : lastFailure - faultAt,
    othersUntouched: untouched,
    duplicatesSkipped: (await duplicatesSkipped(p.relief.url)) + (await duplicatesSkipped(p.scoring.url)),
    ...(p.uncommittedAtCrash === undefined ? {} : { uncommittedAtCrash: p.uncommittedAtCrash }),
  }
}

/** A run's figures as a row of the table in the notes and the README. */
export function tableRow(f: RunFigures): string {
  const statuses = Object.entries(f.statuses).map(([s, n]) => `${s}×${n}`).join(' ')
  const ready = Object.entries(f.readiness).map(([s, n]) => `${s}×${n}`).join(' ')
  const fault = f.uncommittedAtCrash === undefined ? f.fault : `${f.fault} (${f.uncommittedAtCrash} effects past the committed offsets)`
  return `| ${fault} | ${f.acknowledged} | ${f.rows} | ${f.requestsPublished} (${f.requestMessages} msgs) | ${f.decisions} | ${f.finalDecisions} / ${f.decisionEvents} (${f.decisionMessages} msgs) | ${f.lost} | ${f.duplicated} | ${statuses} | ${ready} | ${(f.recoveryMs / 1000).toFixed(1)} s |`
}

export const TABLE_HEADER = `| fault | acknowledged | rows | scoring requests published | decisions | final decisions / decision events | lost | duplicated | statuses seen by the load | readiness seen | recovery |
|---|---|---|---|---|---|---|---|---|---|---|`
