/**
 * Claims: filing throughput and p99 against the INSERT + outbox baselines in the same run, and the
 * latency of a filed claim's event to an agency's consumer on a real Kafka broker.
 *
 *   npm run bench:claims -- [--claims 80000] [--duration 10] [--warmup 3] [--connections 32] [--rate 50] [--rounds 2]
 *
 * 1. Infrastructure as `npm test` gets it (test/harness/infra.ts). Schemas of the run's own.
 * 2. Seed: `--claims` guaranteed loans (a million yuan outstanding, 95 days past due, under the
 *    4:2:2:2 agreement) each with a claim in draft, its documents attached — the state the demand and
 *    its outcome leave, folded by the claims domain itself — and the vintage's book.
 * 3. Throughput: the claims service (test/bench/server.ts `claim`, a process of its own, its relay on
 *    the in-process transport as the other services are measured) against the kit's INSERT + outbox
 *    route with its relay running (`relayed`) and the plain Fastify + pg INSERT + outbox (`plain-outbox`,
 *    nothing of ours), taking the load in turn for `--rounds` rounds: every request files the next
 *    seeded claim (eligibility, amount and split, portfolio cap, deadline, event appended, fold and
 *    outbox row written, audit entry), answered with the claim. Goal: ≥ 70 % of the baseline's
 *    throughput.
 * 4. Latency: a second claims server publishing to the real broker; claims filed at `--rate` a second
 *    (autocannon's overall rate) for `--duration` seconds while a plain kafkajs consumer (the agency)
 *    reads guarantee.claims.v1; each claim's time from the request sent to the event received.
 *    Goal: p99 under 1 s at 50 claims/s.
 * A benchmark, not a test: it asserts nothing about time. Exit 1 when a request failed or a count
 * does not add up.
 */
import { fork } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import kafkajs from 'kafkajs'
import { claimsService, claimTermsOf, decide, evolve, AGREEMENT_4222, type ClaimCommand, type ClaimEvent, type ClaimState } from '@sme/claims'
import { createPostgresDatabase, migrateSchema, sql, type Database } from '@sme/data'
import { migrateService, mintToken } from '@sme/kit'
import { toFenJson } from '../../services/claims/src/store/fen-json.js'
import { MissingInfrastructure, provideInfra } from '../harness/infra.js'
import { BENCH_AUDIENCE, BENCH_ISSUER, benchMigrations, SAMPLE_BODY, type Scenario, type ServerMessage } from './fixtures.js'

const SERVER_ENTRY = fileURLToPath(new URL('./server.ts', import.meta.url))
const PLAIN_ENTRY = fileURLToPath(new URL('./plain-server.ts', import.meta.url))
const SECRET = 'bench-claims-secret-0123456789abcdefghij'
const DOCUMENTS = AGREEMENT_4222.requiredDocuments.map((d) => d.code)

interface Server {
  url: string
  stop(): Promise<void>
}

function startServer(scenario: Scenario, env: Record<string, string>): Promise<Server> {
  const child = fork(scenario === 'plain-outbox' ? PLAIN_ENTRY : SERVER_ENTRY, [scenario], {
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [])],
    env: { ...process.env, BENCH_JWT_SECRET: SECRET, BENCH_LOG_LEVEL: 'warn', BENCH_POOL_SIZE: '10', ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  })
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(force)
  }
  return new Promise<Server>((ok, fail) => {
    child.on('message', (m: ServerMessage) => (m.type === 'listening' ? ok({ url: `http://127.0.0.1:${m.port}`, stop }) : m.type === 'error' ? fail(new Error(`${scenario}: ${m.message}`)) : undefined))
    child.once('exit', (code) => fail(new Error(`${scenario} exited (${code}) before listening`)))
  })
}

/** `count` drafts from `first` on: the loan, the claim folded from its demand and outcome, their events, the vintage's book. */
async function seedDrafts(database: Database<any>, schema: string, first: number, count: number, prefix: string): Promise<string[]> {
  const db = database.db.withSchema(schema)
  const terms = claimTermsOf(AGREEMENT_4222, true)
  const ids: string[] = []
  const now = new Date()
  for (let start = first; start < first + count; start += 1_000) {
    const n = Math.min(1_000, first + count - start)
    const loans = []
    const claims = []
    const events: { claim_id: string; seq: number; type: string; on: string; by_kind: string; by_id: string; body: string; recorded_at: Date }[] = []
    for (let i = start; i < start + n; i++) {
      const loanId = `${prefix}-L-${i}`
      const claimId = randomUUID()
      ids.push(claimId)
      loans.push({ loan_id: loanId, agreement_id: AGREEMENT_4222.id, guaranteed_on: '2020-03-01', guaranteed_fen: 100_000_000n, branch_id: 'B001', borrower: JSON.stringify({ kind: 'enterprise', uscc: '91350100M000100Y43' }), borrower_size: 'small', contract_rate_bp: 435, epidemic_affected: true, outstanding_principal_fen: 100_000_000n, days_past_due: 95, registered_by: 'bench', updated_at: now })
      const by = { kind: 'bank' as const, id: 'bench-officer' }
      const commands: ClaimCommand[] = [
        { kind: 'issue-demand', loanId, terms, amount: 101_500_000n, on: '2020-06-01' as never, by },
        { kind: 'resolve-demand', outcome: 'claim', on: '2020-06-10' as never, by },
      ]
      let state: ClaimState | null = null
      const history: ClaimEvent[] = []
      for (const c of commands) {
        const d = decide(state, c)
        if (!d.ok) throw new Error(`seeding: ${d.refused}`)
        for (const e of d.events) {
          history.push(e)
          state = evolve(state, e)
        }
      }
      claims.push({ claim_id: claimId, loan_id: loanId, agency_id: AGREEMENT_4222.agencyId, branch_id: 'B001', status: state!.status, version: history.length, state: toFenJson(state), documents: JSON.stringify(DOCUMENTS), vintage: 2020, opened_at: now, updated_at: now })
      history.forEach((e, k) => events.push({ claim_id: claimId, seq: k + 1, type: e.type, on: e.on, by_kind: e.by.kind, by_id: e.by.id, body: toFenJson(e), recorded_at: now }))
    }
    await db.insertInto('guaranteed_loans').values(loans).execute()
    await db.insertInto('claims').values(claims).execute()
    await db.insertInto('claim_events').values(events).execute()
  }
  await db
    .insertInto('vintage_books')
    .values({ agreement_id: AGREEMENT_4222.id, vintage: 2020, guaranteed_fen: BigInt(count) * 100_000_000n })
    .onConflict((oc) => oc.columns(['agreement_id', 'vintage']).doUpdateSet({ guaranteed_fen: sql`vintage_books.guaranteed_fen + excluded.guaranteed_fen` }))
    .execute()
  await sql`analyze ${sql.id(schema)}.claims, ${sql.id(schema)}.guaranteed_loans, ${sql.id(schema)}.claim_events`.execute(database.db)
  return ids
}

interface Figures {
  requests: number
  rps: number
  p50: number
  p99: number
  non2xx: number
  errors: number
}

/** One autocannon run, as a promise. */
function load(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((ok, fail) => void autocannon(options, (err, result) => (err ? fail(err) : ok(result))))
}

function figuresOf(r: autocannon.Result): Figures {
  return { requests: r.requests.total ?? 0, rps: r.requests.mean, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      claims: { type: 'string', default: '80000' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '32' },
      rate: { type: 'string', default: '50' },
      rounds: { type: 'string', default: '2' },
    },
  })
  const int = (name: string, raw: string, min: number) => {
    const v = Number(raw)
    if (!Number.isInteger(v) || v < min) throw new Error(`--${name} takes an integer ≥ ${min}`)
    return v
  }
  const total = int('claims', values.claims, 100)
  const duration = int('duration', values.duration, 1)
  const warmup = int('warmup', values.warmup, 0)
  const connections = int('connections', values.connections, 1)
  const rate = int('rate', values.rate, 1)
  const rounds = int('rounds', values.rounds, 1)

  let infra: Awaited<ReturnType<typeof provideInfra>>
  try {
    infra = await provideInfra()
  } catch (err) {
    if (err instanceof MissingInfrastructure) {
      console.error(`bench:claims: ${err.message}`)
      return 2
    }
    throw err
  }
  const run = randomBytes(3).toString('hex')
  const schemas = { claims: `bench_claims_${run}`, latency: `bench_claims_latency_${run}`, relayed: `bench_relayed_${run}`, plain: `bench_plain_outbox_${run}` }
  const database = createPostgresDatabase<any>({ connectionString: infra.env.DATABASE_URL, maxConnections: 4, applicationName: 'sme-bench-claims' })
  const servers: Server[] = []
  let failed = false
  try {
    await migrateService(database, { ...claimsService(), schema: schemas.claims })
    await migrateService(database, { ...claimsService(), schema: schemas.latency })
    for (const schema of [schemas.relayed, schemas.plain]) await migrateSchema(database.db, schema, benchMigrations)
    const seedStarted = performance.now()
    const ids = await seedDrafts(database, schemas.claims, 0, total, 'BC')
    const latencyIds = await seedDrafts(database, schemas.latency, 0, rate * (duration + warmup) * 2, 'BL')
    console.log(`bench:claims: seeded ${ids.length.toLocaleString('en')} + ${latencyIds.length.toLocaleString('en')} draft claims in ${Math.round(performance.now() - seedStarted)} ms`)

    const officer = await mintToken(SECRET, { sub: 'bench-officer', roles: ['officer'], branches: ['B001'] }, { issuer: BENCH_ISSUER, audience: BENCH_AUDIENCE })
    const common = { BENCH_DATABASE_URL: infra.env.DATABASE_URL }
    const claimServer = await startServer('claim', { ...common, BENCH_SCHEMA: schemas.claims })
    servers.push(claimServer)
    const relayed = await startServer('relayed', { ...common, BENCH_SCHEMA: schemas.relayed, BENCH_TOPIC: `bench-${run}.items.v1` })
    servers.push(relayed)
    const plain = await startServer('plain-outbox', { ...common, BENCH_SCHEMA: schemas.plain, BENCH_TOPIC: `bench-${run}.items.v1` })
    servers.push(plain)

    const auth = { authorization: `Bearer ${officer}`, 'content-type': 'application/json' }
    let next = 0
    const filing = (url: string, seconds: number, extra: Partial<autocannon.Options> = {}, claimIds = ids, sent?: Map<string, number>) =>
      load({
        url,
        connections,
        duration: seconds,
        ...extra,
        requests: [
          {
            method: 'POST',
            setupRequest: (request) => {
              const id = claimIds[next++]
              if (id === undefined) throw new Error('out of seeded claims: raise --claims')
              sent?.set(id, Date.now())
              return { ...request, path: `/claims/${id}/filing`, headers: auth, body: '{"unpaidInterestFen":"1500000"}' }
            },
          },
        ],
      })
    const items = (url: string, seconds: number) => load({ url: `${url}/items`, method: 'POST', connections, duration: seconds, headers: auth, body: JSON.stringify(SAMPLE_BODY) })

    if (warmup > 0) {
      await items(relayed.url, warmup)
      await items(plain.url, warmup)
      await filing(claimServer.url, warmup)
    }
    const results: { round: number; relayed: Figures; plain: Figures; claims: Figures }[] = []
    for (let round = 1; round <= rounds; round++) {
      const r = figuresOf(await items(relayed.url, duration))
      const p = figuresOf(await items(plain.url, duration))
      const c = figuresOf(await filing(claimServer.url, duration))
      results.push({ round, relayed: r, plain: p, claims: c })
      if (r.non2xx + r.errors + p.non2xx + p.errors + c.non2xx + c.errors > 0) failed = true
    }
    // Stopped first: a server closes once every request it received is answered, so the counts are final.
    for (const s of servers.splice(0)) await s.stop()
    const filed = await database.db.withSchema(schemas.claims).selectFrom('claims').select(sql<string>`count(*)`.as('n')).where('status', '=', 'filed').executeTakeFirstOrThrow()
    const outbox = await database.db.withSchema(schemas.claims).selectFrom('outbox').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()
    const answered = next

    console.log(`\nfiling, ${connections} connections, ${duration} s a run, ${rounds} round(s) (req/s, p50 / p99 ms)`)
    console.log('| round | claims POST /claims/:id/filing | kit INSERT + outbox, relay running | plain Fastify + pg INSERT + outbox | claims / kit | claims / plain | p99 × kit |')
    console.log('|---|---|---|---|---|---|---|')
    for (const x of results) {
      const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)} %`
      console.log(`| ${x.round} | ${Math.round(x.claims.rps).toLocaleString('en')}, ${x.claims.p50} / ${x.claims.p99} | ${Math.round(x.relayed.rps).toLocaleString('en')}, ${x.relayed.p50} / ${x.relayed.p99} | ${Math.round(x.plain.rps).toLocaleString('en')}, ${x.plain.p50} / ${x.plain.p99} | ${pct(x.claims.rps, x.relayed.rps)} | ${pct(x.claims.rps, x.plain.rps)} | ${(x.claims.p99 / x.relayed.p99).toFixed(2)}× |`)
    }
    console.log(`claims filed: ${Number(filed.n).toLocaleString('en')} (requests sent ${answered.toLocaleString('en')}), events in the outbox ${Number(outbox.n).toLocaleString('en')}`)
    if (Number(filed.n) !== Number(outbox.n)) {
      console.error('bench:claims: the filed claims and their events do not add up')
      failed = true
    }

    // Latency to an agency's consumer on the real broker.
    const namespace = `bench-claims-${run}`
    const latencyServer = await startServer('claim', { ...common, BENCH_SCHEMA: schemas.latency, BENCH_KAFKA_BROKERS: infra.env.KAFKA_BROKERS, BENCH_KAFKA_NAMESPACE: namespace })
    servers.push(latencyServer)
    const kafka = new kafkajs.Kafka({ clientId: 'bench-agency', brokers: infra.env.KAFKA_BROKERS.split(','), logLevel: kafkajs.logLevel.NOTHING })
    const consumer = kafka.consumer({ groupId: `${namespace}-agency` })
    await consumer.connect()
    const received = new Map<string, number>()
    await consumer.subscribe({ topic: `${namespace}.guarantee.claims.v1`, fromBeginning: true }).catch(async () => {
      // The topic appears with the first event: create it first so the consumer starts at its beginning.
      const admin = kafka.admin()
      await admin.connect()
      await admin.createTopics({ topics: [{ topic: `${namespace}.guarantee.claims.v1`, numPartitions: 3 }] })
      await admin.disconnect()
      await consumer.subscribe({ topic: `${namespace}.guarantee.claims.v1`, fromBeginning: true })
    })
    await consumer.run({ eachMessage: async ({ message }) => void received.set((JSON.parse(message.value!.toString()) as { claimId: string }).claimId, Date.now()) })
    next = 0
    const sent = new Map<string, number>()
    if (warmup > 0) await filing(latencyServer.url, warmup, { connections: 4, overallRate: rate }, latencyIds, sent)
    await new Promise((r) => setTimeout(r, 2_000))
    const measuredFrom = next
    const paced = figuresOf(await filing(latencyServer.url, duration, { connections: 4, overallRate: rate }, latencyIds, sent))
    const measured = latencyIds.slice(measuredFrom, next)
    const deadline = Date.now() + 30_000
    while (measured.some((id) => !received.has(id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    const latencies = measured.filter((id) => received.has(id)).map((id) => received.get(id)! - sent.get(id)!).sort((a, b) => a - b)
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN
    await consumer.disconnect()
    console.log(`\nagency event latency at ${rate} claims/s for ${duration} s: ${measured.length} filed (${paced.rps.toFixed(1)} req/s, HTTP p99 ${paced.p99} ms), ${latencies.length} received; request sent → event received p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${latencies.at(-1)} ms (goal: p99 under 1 s)`)
    if (latencies.length !== measured.length || paced.non2xx + paced.errors > 0) failed = true
  } finally {
    for (const s of servers) await s.stop().catch(() => {})
    for (const schema of Object.values(schemas)) await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db).catch(() => {})
    await database.close()
    await infra.stop()
  }
  return failed ? 1 : 0
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  },
)
