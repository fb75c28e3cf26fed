import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { localKafkaUnavailable, startLocalKafka } from '@sme/testing'

/**
 * Finds or starts what the tests need, in this order:
 *  1. what the environment gives (DATABASE_URL, KAFKA_BROKERS);
 *  2. PostgreSQL on 127.0.0.1:5432 (a database of this run's own, dropped afterwards) and a Kafka
 *     broker started here from Maven Central artifacts (infra/kafka);
 *  3. testcontainers, where a Docker engine runs;
 * otherwise it stops and says exactly what is missing.
 */
export interface Infra {
  env: { DATABASE_URL: string; KAFKA_BROKERS: string }
  describe: string[]
  stop(): Promise<void>
}

const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres'

export class MissingInfrastructure extends Error {}

function dockerAvailable(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5_000 })
    return true
  } catch {
    return false
  }
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 })
  try {
    await client.connect()
    await client.query('select 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

async function postgres(stops: (() => Promise<void>)[], describe: string[]): Promise<string> {
  if (process.env.DATABASE_URL) {
    describe.push('PostgreSQL: DATABASE_URL from the environment')
    return process.env.DATABASE_URL
  }
  if (await canConnect(LOCAL_POSTGRES)) {
    const name = `sme_test_${randomBytes(4).toString('hex')}`
    const admin = new pg.Client({ connectionString: LOCAL_POSTGRES })
    await admin.connect()
    await admin.query(`create database ${name}`)
    await admin.end()
    stops.push(async () => {
      const c = new pg.Client({ connectionString: LOCAL_POSTGRES })
      await c.connect()
      await c.query(`drop database if exists ${name} with (force)`)
      await c.end()
    })
    describe.push(`PostgreSQL: 127.0.0.1:5432, database ${name} (dropped afterwards)`)
    return LOCAL_POSTGRES.replace(/\/postgres$/, `/${name}`)
  }
  if (dockerAvailable()) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql')
    const container = await new PostgreSqlContainer('postgres:16-alpine').start()
    stops.push(async () => void (await container.stop()))
    describe.push('PostgreSQL: testcontainers postgres:16-alpine')
    return container.getConnectionUri()
  }
  throw new MissingInfrastructure(
    'No PostgreSQL: DATABASE_URL is not set, nothing answers on 127.0.0.1:5432 (user postgres, trust auth), and no Docker engine runs for testcontainers. Start PostgreSQL 15+ locally or set DATABASE_URL.',
  )
}

async function kafka(stops: (() => Promise<void>)[], describe: string[]): Promise<string> {
  if (process.env.KAFKA_BROKERS) {
    describe.push('Kafka: KAFKA_BROKERS from the environment')
    return process.env.KAFKA_BROKERS
  }
  const missing = await localKafkaUnavailable()
  if (!missing) {
    const broker = await startLocalKafka()
    stops.push(() => broker.destroy())
    describe.push(`Kafka: local broker from Maven Central artifacts on ${broker.brokers.join(',')}`)
    return broker.brokers.join(',')
  }
  if (dockerAvailable()) {
    const { KafkaContainer } = await import('@testcontainers/kafka')
    const container = await new KafkaContainer('confluentinc/cp-kafka:8.0.0').withKraft().start()
    stops.push(async () => void (await container.stop()))
    describe.push('Kafka: testcontainers confluentinc/cp-kafka:8.0.0 (KRaft)')
    return `${container.getHost()}:${container.getMappedPort(9093)}`
  }
  throw new MissingInfrastructure(
    `No Kafka: KAFKA_BROKERS is not set, a local broker cannot be started (${missing}), and no Docker engine runs for testcontainers. Install a JDK 17+ and Maven, or set KAFKA_BROKERS.`,
  )
}

export async function provideInfra(): Promise<Infra> {
  const stops: (() => Promise<void>)[] = []
  const describe: string[] = []
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((err) => console.error('harness: teardown failed:', err))
  }
  try {
    const [DATABASE_URL, KAFKA_BROKERS] = await Promise.all([postgres(stops, describe), kafka(stops, describe)])
    return { env: { DATABASE_URL, KAFKA_BROKERS }, describe, stop }
  } catch (err) {
    await stop()
    throw err
  }
}
