/**
 * The plain baseline: the benchmark's write routes as an engineer would write them with Fastify and
 * pg alone, importing nothing of this project (no kit, no @sme packages, not even the bench's
 * fixtures), so that the kit's cost is measured against code that owes it nothing.
 *
 *   node --import tsx test/bench/plain-server.ts plain-insert|plain-outbox
 *
 * - `plain-insert`: POST /items validates a small JSON body (Fastify's own JSON Schema validation)
 *   and INSERTs one row;
 * - `plain-outbox`: the same INSERT and an outbox row (a CloudEvents envelope as JSON, the same
 *   columns the kit's outbox has) in one transaction, BEGIN … COMMIT.
 * Request logging as Fastify ships it (pino, one line per request and per response) at
 * BENCH_LOG_LEVEL, like the kit servers. No authentication: the baseline has none, and the
 * report says so beside the figures.
 *
 * The same IPC protocol and BENCH_* variables as test/bench/server.ts: `{ type: 'listening', port }`
 * once it listens; closes on SIGTERM/SIGINT or when the parent goes away.
 */
import { randomUUID } from 'node:crypto'
import Fastify from 'fastify'
import pg from 'pg'

const scenario = process.argv[2]
if (scenario !== 'plain-insert' && scenario !== 'plain-outbox') throw new Error(`scenario must be plain-insert or plain-outbox; got ${String(scenario)}`)
const env = (name: string): string => {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set (test/bench/run.ts sets it)`)
  return value
}
const schema = env('BENCH_SCHEMA')
const topic = scenario === 'plain-outbox' ? env('BENCH_TOPIC') : ''
const level = process.env.BENCH_LOG_LEVEL ?? 'info'

const pool = new pg.Pool({ connectionString: env('BENCH_DATABASE_URL'), max: Number(process.env.BENCH_POOL_SIZE ?? '10'), application_name: `sme-bench-${scenario}` })
pool.on('error', () => {})
const quoted = `"${schema.replace(/"/g, '""')}"`
const INSERT_ITEM = `insert into ${quoted}.bench_items (enterprise_id, branch_id, amount_fen, purpose) values ($1, $2, $3, $4) returning id, created_at`
const INSERT_OUTBOX = `insert into ${quoted}.outbox (event_id, topic, message_key, event_type, headers, payload) values ($1, $2, $3, $4, $5, $6)`

const app = Fastify({ logger: level === 'silent' ? false : { level } })
const body = {
  type: 'object',
  additionalProperties: false,
  required: ['enterpriseId', 'branchId', 'amountFen', 'purpose'],
  properties: {
    enterpriseId: { type: 'string', pattern: '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$' },
    branchId: { type: 'string', pattern: '^BR-[0-9]{6}$' },
    amountFen: { type: 'string', pattern: '^(0|[1-9][0-9]{0,17})$' },
    purpose: { type: 'string', minLength: 1, maxLength: 200 },
  },
} as const
const created = { type: 'object', additionalProperties: false, properties: { id: { type: 'string' } } } as const

interface Item {
  enterpriseId: string
  branchId: string
  amountFen: string
  purpose: string
}

app.post<{ Body: Item }>('/items', { schema: { body, response: { 201: created } } }, async (request, reply) => {
  const { enterpriseId, branchId, amountFen, purpose } = request.body
  const values = [enterpriseId, branchId, amountFen, purpose]
  if (scenario === 'plain-insert') {
    const { rows } = await pool.query<{ id: string }>(INSERT_ITEM, values)
    return reply.code(201).send({ id: String(rows[0]!.id) })
  }
  const client = await pool.connect()
  try {
    await client.query('begin')
    const { rows } = await client.query<{ id: string; created_at: Date }>(INSERT_ITEM, values)
    const row = rows[0]!
    const id = randomUUID()
    const data = { itemId: String(row.id), enterpriseId, branchId, amountFen, currency: 'CNY', purpose, recordedAt: row.created_at.toISOString() }
    const headers = {
      ce_specversion: '1.0',
      ce_id: id,
      ce_source: '/sme-relief/bench-plain',
      ce_type: 'sme.bench.item-recorded.v1',
      ce_time: new Date().toISOString(),
      ce_subject: enterpriseId,
      'content-type': 'application/json',
    }
    await client.query(INSERT_OUTBOX, [id, topic, enterpriseId, headers.ce_type, JSON.stringify(headers), JSON.stringify(data)])
    await client.query('commit')
    return reply.code(201).send({ id: String(row.id) })
  } catch (err) {
    await client.query('rollback').catch(() => {})
    throw err
  } finally {
    client.release()
  }
})

let closing: Promise<void> | undefined
const shutdown = () => {
  closing ??= app
    .close()
    .then(() => pool.end())
    .then(
      () => process.exit(0),
      () => process.exit(1),
    )
}
process.once('SIGTERM', shutdown)
process.once('SIGINT', shutdown)
process.once('disconnect', shutdown)

app
  .listen({ host: '127.0.0.1', port: 0 })
  .then(() => {
    const address = app.server.address()
    if (address === null || typeof address === 'string') throw new Error('server has no TCP address')
    process.send?.({ type: 'listening', port: address.port })
  })
  .catch((err: unknown) => {
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err)
    if (process.send) process.send({ type: 'error', message }, () => process.exit(1))
    else {
      console.error(message)
      process.exit(1)
    }
  })
