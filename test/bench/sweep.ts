/**
 * The guard's batch sweep over a whole book, against a plain COPY of the same lines in the same run.
 *
 *   npm run bench:sweep -- [--facilities 1000000]
 *
 * On the machine's PostgreSQL (or DATABASE_URL's server), in a database of the run's own (dropped at the end): the
 * guard's read model seeded as its consumers would have built it — every facility booked at B001,
 * one firm in ten under an approved deferral, one in five scored (one in ten of those a viable firm
 * hit by the shock), one in fifty on a key-enterprise list — then the guard (test/bench/server.ts, a
 * process of its own, as in the HTTP benchmark) is sent one NDJSON sweep of a check per facility
 * over HTTP, streamed as generated. Measured: the time from the first byte sent to the answer (every
 * verdict stored), and rows/s; then the plain COPY (test/bench/plain-copy.ts, pg and
 * pg-copy-streams only) of the same lines into a table of one JSON column. Checked: the answer
 * counts every line, the rows stored match, and the outcomes are the ones the seed implies.
 * This is a benchmark, not a test: it asserts nothing about time.
 */
import { fork } from 'node:child_process'
import { request } from 'node:http'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createPostgresDatabase, sql, type CopyRow } from '@sme/data'
import { makeUscc } from '@sme/domain'
import { guardService } from '@sme/guard'
import { migrateService, mintToken } from '@sme/kit'
import { BENCH_AUDIENCE, BENCH_ISSUER, type ServerMessage } from './fixtures.js'
import { plainCopy } from './plain-copy.js'

const SERVER_ENTRY = fileURLToPath(new URL('./server.ts', import.meta.url))
const SECRET = 'bench-sweep-secret-0123456789abcdefghij'

const uscc = (i: number) => makeUscc(`91350200${String(i).padStart(8, '0')}`)
const FRAUD = [{ code: 'fraud', evidence: [{ kind: 'investigation-report', ref: 'INV-1' }] }]

/** Core banking's line for facility `i`: calling it early, one in a hundred for documented fraud. */
function lineOf(i: number, firm: string): string {
  return JSON.stringify({ loanId: `SW-L-${i}`, branchId: 'B001', borrower: { kind: 'enterprise', uscc: firm }, action: 'call-early', actionDate: '2020-04-15', reasons: i % 100 === 7 ? FRAUD : [], requestedBy: 'night-batch' })
}

/** What the seed implies for facility `i` on 2020-04-15. */
function expectedOutcome(i: number): 'ALLOW' | 'BLOCK' {
  if (i % 100 === 7) return 'ALLOW'
  const protectedFirm = i % 10 === 0 || (i % 5 === 0 && i % 50 === 5) || i % 50 === 3
  return protectedFirm ? 'BLOCK' : 'ALLOW'
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { facilities: { type: 'string', default: '1000000' } } })
  const facilities = Number(values.facilities)
  if (!Number.isInteger(facilities) || facilities < 1) throw new Error('--facilities takes a positive integer')
  // A database of the run's own on the server DATABASE_URL names (default: this machine's), dropped at the end.
  const server = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')
  const name = `sme_bench_sweep_${Date.now().toString(36)}`
  const admin = createPostgresDatabase<any>({ connectionString: server.href, maxConnections: 1 })
  await sql`create database ${sql.id(name)}`.execute(admin.db)
  const url = Object.assign(new URL(server.href), { pathname: `/${name}` }).href
  const database = createPostgresDatabase<any>({ connectionString: url, maxConnections: 2 })
  const schema = `bench_sweep_${Date.now().toString(36)}`
  const plainSchema = `${schema}_plain`
  let guard: ReturnType<typeof fork> | undefined
  try {
    const firms = Array.from({ length: facilities }, (_, i) => uscc(i))
    await migrateService(database, { ...guardService(), schema })
    const seedStarted = performance.now()
    await database.bulk(async (s) => {
      const q = `"${schema}"`
      const all = function* <T>(f: (i: number) => T | undefined): Generator<T> {
        for (let i = 0; i < facilities; i++) {
          const row = f(i)
          if (row !== undefined) yield row
        }
      }
      await s.copyIn(`${q}.loans`, ['loan_id', 'sequence', 'borrower_key', 'branch_id', 'days_past_due', 'classification', 'status', 'as_of'], all((i): CopyRow => [`SW-L-${i}`, '1', `uscc:${firms[i]}`, 'B001', '0', 'normal', 'active', '2020-01-02T01:00:00Z']))
      await s.copyIn(
        `${q}.reliefs`,
        ['application_id', 'revision', 'borrower_key', 'loan_id', 'relief', 'outcome', 'decided_on', 'terms_end', 'event_at'],
        all((i): CopyRow | undefined => (i % 10 === 0 ? [`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, '1', `uscc:${firms[i]}`, `SW-L-${i}`, 'deferral', 'APPROVED', '2020-03-10', '2020-06-30', '2020-03-10T02:00:00Z'] : undefined)),
      )
      await s.copyIn(
        `${q}.scores`,
        ['borrower_key', 'score_id', 'as_of', 'grade', 'hardship', 'event_at'],
        all((i): CopyRow | undefined => (i % 5 === 0 ? [`uscc:${firms[i]}`, `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`, '2020-03-01', i % 50 === 5 ? 'BB' : 'A', i % 50 === 5 ? 'temporary-shock' : 'none', '2020-03-01T02:00:00Z'] : undefined)),
      )
      await s.copyIn(`${q}.key_lists`, ['borrower_key', 'list', 'listed_on', 'delisted_on', 'event_at'], all((i): CopyRow | undefined => (i % 50 === 3 ? [`uscc:${firms[i]}`, 'mofcom-2020-02', '2020-02-01', null, '2020-02-01T02:00:00Z'] : undefined)))
      for (const [source, at] of [['relief', '2020-03-10T02:00:00Z'], ['scoring', '2020-03-01T02:00:00Z'], ['loans', '2020-01-02T01:00:00Z'], ['keyLists', '2020-02-01T02:00:00Z']] as const) {
        await s.query({ sql: `insert into ${q}.source_marks (source, last_event_at, last_event_id, applied_at) values ($1, $2, 'seed', now())`, parameters: [source, at] })
      }
    })
    await sql`analyze ${sql.id(schema)}.loans, ${sql.id(schema)}.reliefs, ${sql.id(schema)}.scores, ${sql.id(schema)}.key_lists`.execute(database.db)
    console.log(`seeded ${facilities.toLocaleString('en')} facilities in ${Math.round(performance.now() - seedStarted)} ms`)

    const child = fork(SERVER_ENTRY, ['check'], {
      // BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the guard.
      execArgv: ['--import', 'tsx', ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [])],
      env: { ...process.env, BENCH_DATABASE_URL: url, BENCH_SCHEMA: schema, BENCH_JWT_SECRET: SECRET, BENCH_LOG_LEVEL: 'warn', BENCH_POOL_SIZE: '4', BENCH_TOPIC: 'unused' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    })
    guard = child
    const port = await new Promise<number>((ok, fail) => {
      child.on('message', (m: ServerMessage) => (m.type === 'listening' ? ok(m.port) : m.type === 'error' ? fail(new Error(m.message)) : undefined))
      child.once('exit', (code) => fail(new Error(`the guard exited (${code}) before listening`)))
    })
    const token = await mintToken(SECRET, { sub: 'bench-core-banking', roles: ['core-banking'], branches: ['*'] }, { issuer: BENCH_ISSUER, audience: BENCH_AUDIENCE })

    async function* body(): AsyncGenerator<string> {
      let chunk = ''
      for (let i = 0; i < facilities; i++) {
        chunk += lineOf(i, firms[i]!) + '\n'
        if (chunk.length >= 65_536) {
          yield chunk
          chunk = ''
        }
      }
      if (chunk) yield chunk
    }
    const started = performance.now()
    const answer = await new Promise<{ status: number; text: string }>((ok, fail) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/sweeps', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson', 'idempotency-key': `bench-${schema}` } }, (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (text += c))
        res.on('end', () => ok({ status: res.statusCode ?? 0, text }))
      })
      req.on('error', fail)
      Readable.from(body()).pipe(req)
    })
    const sweepMs = performance.now() - started
    if (answer.status !== 201) throw new Error(`the sweep answered ${answer.status}: ${answer.text.slice(0, 500)}`)
    const summary = JSON.parse(answer.text) as { sweepId: string; lines: number; outcomes: Record<string, number> }

    // Core banking reads the verdicts back: every line, as NDJSON, streamed.
    const readStarted = performance.now()
    const readBack = await new Promise<{ status: number; lines: number; blocked: number }>((ok, fail) => {
      const req = request({ host: '127.0.0.1', port, method: 'GET', path: `/sweeps/${summary.sweepId}/verdicts`, headers: { authorization: `Bearer ${token}` } }, (res) => {
        let lines = 0
        let blocked = 0
        let rest = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => {
          const text = rest + c
          const parts = text.split('\n')
          rest = parts.pop()!
          lines += parts.length
          for (const p of parts) if (p.includes('"outcome":"BLOCK"')) blocked++
        })
        res.on('end', () => ok({ status: res.statusCode ?? 0, lines, blocked }))
      })
      req.on('error', fail)
      req.end()
    })
    const readMs = performance.now() - readStarted

    const problems: string[] = []
    if (readBack.status !== 200 || readBack.lines !== facilities) problems.push(`reading the verdicts back answered ${readBack.status} with ${readBack.lines} lines`)
    if (readBack.blocked !== summary.outcomes.BLOCK) problems.push(`${readBack.blocked} BLOCK lines read back, the answer counted ${summary.outcomes.BLOCK}`)
    const expected = { ALLOW: 0, BLOCK: 0, ESCALATE: 0, REFUSED: 0 }
    for (let i = 0; i < facilities; i++) expected[expectedOutcome(i)]++
    if (summary.lines !== facilities) problems.push(`the sweep counted ${summary.lines} lines, not ${facilities}`)
    if (JSON.stringify(summary.outcomes) !== JSON.stringify(expected)) problems.push(`outcomes ${JSON.stringify(summary.outcomes)}, the seed implies ${JSON.stringify(expected)}`)
    const stored = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(schema)}.sweep_verdicts where sweep_id = ${summary.sweepId}`.execute(database.db)
    if (stored.rows[0]!.n !== facilities) problems.push(`${stored.rows[0]!.n} verdict rows stored, not ${facilities}`)
    const size = await sql<{ bytes: string }>`select pg_total_relation_size(${`"${schema}".sweep_verdicts`}::regclass)::text as bytes`.execute(database.db)

    await sql`create schema ${sql.id(plainSchema)}`.execute(database.db)
    const plain = await plainCopy(url, plainSchema, async function* () {
      for (let i = 0; i < facilities; i++) yield lineOf(i, firms[i]!)
    })
    if (plain.rows !== facilities) problems.push(`the plain COPY copied ${plain.rows} rows`)

    const rate = (ms: number) => Math.round(facilities / (ms / 1000))
    console.log('')
    console.log('| run | facilities | time | rows/s | vs plain COPY |')
    console.log('|---|---|---|---|---|')
    console.log(`| guard POST /sweeps (validate, judge on the read model, store every verdict) | ${facilities.toLocaleString('en')} | ${(sweepMs / 1000).toFixed(1)} s | ${rate(sweepMs).toLocaleString('en')} | ${Math.round((100 * plain.ms) / sweepMs)} % of its rate |`)
    console.log(`| guard GET /sweeps/:id/verdicts (every verdict streamed back as NDJSON) | ${facilities.toLocaleString('en')} | ${(readMs / 1000).toFixed(1)} s | ${rate(readMs).toLocaleString('en')} | |`)
    console.log(`| plain COPY of the same lines (pg + pg-copy-streams, nothing of ours) | ${facilities.toLocaleString('en')} | ${(plain.ms / 1000).toFixed(1)} s | ${rate(plain.ms).toLocaleString('en')} | 100 % |`)
    console.log('')
    console.log(JSON.stringify({ facilities, sweepMs: Math.round(sweepMs), readBackMs: Math.round(readMs), plainCopyMs: Math.round(plain.ms), outcomes: summary.outcomes, verdictTableBytes: Number(size.rows[0]!.bytes) }))
    if (problems.length > 0) {
      console.error(`bench:sweep: FAILED checks:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
      process.exitCode = 1
    }
  } finally {
    if (guard && guard.exitCode === null) {
      const exited = new Promise((done) => guard!.once('exit', done))
      guard.kill('SIGTERM')
      await exited
    }
    await database.close()
    await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin.db).catch((err: unknown) => console.error(`could not drop ${name}:`, err))
    await admin.close()
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
