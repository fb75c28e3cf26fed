import t, { type Test } from 'tap'
import { kafkaBrokers, postgresSchema, testLogger } from '@sme/testing'
import { KafkaTransport } from '../src/index.js'
import { testMigrations } from './fixtures.js'
import { poisonGoesToDlq, roundTripWithRedelivery } from './scenarios.js'

async function infra(t: Test) {
  const { database, schema } = await postgresSchema(t, testMigrations, { prefix: 'ev' })
  const transport = new KafkaTransport({ brokers: kafkaBrokers(), clientId: 'events-test', logger: testLogger() })
  t.teardown(() => transport.close())
  return { database, schema, transport }
}

t.test('outbox → Kafka → inbox: every event once, in order, duplicates absorbed', async (t) => {
  await roundTripWithRedelivery(t, await infra(t))
})

t.test('a poison message goes to <topic>.dlq after bounded retries; later messages still flow', async (t) => {
  await poisonGoesToDlq(t, await infra(t))
})

t.test('readiness: ping answers for a live broker and not for a dead address', async (t) => {
  const live = new KafkaTransport({ brokers: kafkaBrokers(), clientId: 'ping', logger: testLogger() })
  const dead = new KafkaTransport({ brokers: ['127.0.0.1:1'], clientId: 'ping', logger: testLogger(), connection: { connectionTimeout: 300 } })
  t.teardown(() => Promise.all([live.close(), dead.close()]))
  t.equal(await live.ping(), true)
  t.equal(await dead.ping(), false)
})
