/**
 * Operator commands for messaging, configured like the services (DATABASE_URL, KAFKA_BROKERS,
 * KAFKA_NAMESPACE):
 *
 *   npm run ops -- dead-events --service relief
 *       lists the outbox events the broker refused as such (too large, invalid), with the refusal
 *   npm run ops -- resend-dead --service relief (--event <id>… | --all)
 *       gives them back to the relay once the cause is mended (the broker's limit raised, …)
 *   npm run ops -- replay-dlq --topic relief.decisions.v1 [--consumer relief.scoring-results] [--dry-run] [--idle-ms 5000]
 *       sends the messages of <topic>.dlq back to <topic> once the failing consumer is mended;
 *       consumers that had an event already skip it (their inbox), so a replay has no second effect
 *
 * Each prints one JSON line per item and a summary line, and exits 0; 2 on a usage error.
 */
import { parseArgs } from 'node:util'
import Type from 'typebox'
import { openDatabase } from '@sme/data'
import { listDeadEvents, replayDeadLetters, resendDeadEvents } from '@sme/events'
import { createLogger, loadConfig, transportFrom, ServiceConfigSchema } from '@sme/kit'
import { SERVICES } from './services.js'

const usage = `usage:
  npm run ops -- dead-events --service <${SERVICES.map((s) => s.name).join('|')}>
  npm run ops -- resend-dead --service <name> (--event <id>… | --all)
  npm run ops -- replay-dlq --topic <topic> [--consumer <name>] [--dry-run] [--idle-ms <ms>]`

function fail(message: string): never {
  console.error(`${message}\n${usage}`)
  process.exit(2)
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    service: { type: 'string' },
    event: { type: 'string', multiple: true },
    all: { type: 'boolean', default: false },
    topic: { type: 'string' },
    consumer: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    'idle-ms': { type: 'string', default: '5000' },
  },
})

const OpsConfigSchema = Type.Object({
  DATABASE_URL: ServiceConfigSchema.properties.DATABASE_URL,
  KAFKA_BROKERS: ServiceConfigSchema.properties.KAFKA_BROKERS,
  KAFKA_NAMESPACE: ServiceConfigSchema.properties.KAFKA_NAMESPACE,
  KAFKA_CLIENT_ID: ServiceConfigSchema.properties.KAFKA_CLIENT_ID,
  LOG_LEVEL: ServiceConfigSchema.properties.LOG_LEVEL,
})
const config = loadConfig(OpsConfigSchema, process.env, [])
const print = (line: unknown) => process.stdout.write(`${JSON.stringify(line)}\n`)

function schemaOf(name: string | undefined): string {
  const service = SERVICES.find((s) => s.name === name)
  if (!service) fail(`--service: one of ${SERVICES.map((s) => s.name).join(', ')}`)
  return service.schema
}

async function withDatabase<T>(work: (database: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  if (!config.DATABASE_URL) fail('DATABASE_URL: required (the service\'s PostgreSQL)')
  const database = await openDatabase({ url: config.DATABASE_URL, maxConnections: 2 })
  try {
    return await work(database)
  } finally {
    await database.close()
  }
}

switch (positionals[0]) {
  case 'dead-events': {
    const schema = schemaOf(values.service)
    const dead = await withDatabase((database) => listDeadEvents(database, schema))
    for (const event of dead) print(event)
    print({ dead: dead.length })
    break
  }
  case 'resend-dead': {
    const schema = schemaOf(values.service)
    if (!values.all && !values.event?.length) fail('resend-dead: name the events (--event <id>) or say --all')
    if (values.all && values.event?.length) fail('resend-dead: --event or --all, not both')
    const resent = await withDatabase((database) => resendDeadEvents(database, schema, values.all ? {} : { eventIds: values.event! }))
    print({ resent })
    break
  }
  case 'replay-dlq': {
    if (!values.topic) fail('replay-dlq: --topic is required')
    if (!config.KAFKA_BROKERS) fail('KAFKA_BROKERS: required (a DLQ is on the broker)')
    const idleMs = Number(values['idle-ms'])
    if (!Number.isInteger(idleMs) || idleMs < 100) fail('--idle-ms: an integer of at least 100')
    const logger = createLogger({ name: 'ops', level: config.LOG_LEVEL })
    const transport = transportFrom(config, 'ops', logger)
    try {
      const result = await replayDeadLetters(transport, {
        topic: values.topic,
        ...(values.consumer ? { consumer: values.consumer } : {}),
        dryRun: values['dry-run'],
        idleMs,
        onMessage: (m) => print({ replay: values['dry-run'] ? 'would' : 'done', ...m }),
      })
      print({ topic: values.topic, dryRun: values['dry-run'], ...result })
    } finally {
      await transport.close()
    }
    break
  }
  default:
    fail(positionals[0] ? `unknown command ${positionals[0]}` : 'a command is required')
}
