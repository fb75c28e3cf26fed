import t, { type Test } from 'tap'
import { pgliteSchema } from '@sme/testing'
import { InProcessTransport } from '../src/index.js'
import { testMigrations } from './fixtures.js'
import { poisonGoesToDlq, roundTripWithRedelivery } from './scenarios.js'

// The embedded mode (PGlite + in-process transport) passes the same event scenarios as Kafka.
async function infra(t: Test) {
  const { database, schema } = await pgliteSchema(t, testMigrations, { prefix: 'ev' })
  const transport = new InProcessTransport({ redeliveryDelayMs: 20 })
  t.teardown(() => transport.close())
  return { database, schema, transport }
}

t.test('embedded: outbox → in-process → inbox, duplicates absorbed', async (t) => {
  await roundTripWithRedelivery(t, await infra(t))
})

t.test('embedded: poison message to the DLQ, later messages still flow', async (t) => {
  await poisonGoesToDlq(t, await infra(t))
})
