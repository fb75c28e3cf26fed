import { createPostgresDatabase } from '@sme/data'
import { platformEvents } from '@sme/contracts'
import { asyncApiDocument, InProcessTransport } from '@sme/events'
import { buildService, openApiDocument, type ServiceDefinition } from '@sme/kit'
import pino from 'pino'

/**
 * The API documents the code defines: one OpenAPI 3.1 document per service and one AsyncAPI 3.0
 * document of the event catalogue. `npm run docs` writes them to openapi/; a test fails when the
 * committed copies differ from what this produces.
 */
export async function generateDocuments(services: readonly ServiceDefinition[]): Promise<Record<string, string>> {
  const documents: Record<string, string> = {}
  // Building an app needs a database handle, but generating documents runs no query: a pool that is
  // never used opens no connection, so no database has to be running.
  const database = createPostgresDatabase<any>({ connectionString: 'postgres://docs@127.0.0.1:1/unused' })
  const transport = new InProcessTransport()
  try {
    for (const definition of services) {
      const { app } = await buildService(definition, {
        database,
        transport,
        logger: pino({ level: 'silent' }),
        auth: { secret: 'x'.repeat(32), issuer: 'docs', audience: 'docs' },
      })
      await app.ready()
      documents[`openapi/${definition.name}.openapi.json`] = `${JSON.stringify(openApiDocument(app), null, 2)}\n`
      await app.close()
    }
  } finally {
    await transport.close()
    await database.close()
  }
  // From the contracts, not from the services: a topic is documented once it is published language,
  // including those the platform only receives (core banking's loan stream).
  const asyncapi = asyncApiDocument(platformEvents, {
    title: 'SME relief platform events',
    version: '1.0.0',
    description:
      'Every event the platform publishes or receives, by topic (`<context>.<name>.v<major>`). CloudEvents 1.0 in Kafka binary content mode: ce_* headers, JSON body. Keys keep per-enterprise (USCC) or per-loan order. A message a consumer cannot process after bounded retries goes to `<topic>.dlq`. Delivery is at least once: after a crash or a broker outage a producer may publish an event again, with the same `ce_id`, and a consumer may receive it again; deduplicate on `ce_id` (for example, insert it into a table of processed ids, unique per consumer, in the same transaction as the effect, and skip the message when the insert finds it there), never on offsets.',
  })
  documents['openapi/events.asyncapi.json'] = `${JSON.stringify(asyncapi, null, 2)}\n`
  return documents
}
