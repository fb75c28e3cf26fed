/**
 * `npm start`: every service in one process on an embedded PGlite database (kept in .data/embedded)
 * with the in-process transport in place of Kafka. Same code as the distributed deployment.
 */
import { join } from 'node:path'
import closeWithGrace from 'close-with-grace'
import { createPgliteDatabase } from '@sme/data'
import { InProcessTransport } from '@sme/events'
import { buildService, createLogger, migrateService, type BuiltService } from '@sme/kit'
import { EMBEDDED_AUDIENCE, EMBEDDED_DIR, EMBEDDED_ISSUER, embeddedSecret } from './embedded-config.js'
import { PORTS, SERVICES } from './services.js'

const logger = createLogger({ name: 'embedded', level: (process.env.LOG_LEVEL ?? 'info') as 'info' })
const host = process.env.HOST ?? '127.0.0.1'
const secret = embeddedSecret(true)!

const database = await createPgliteDatabase<any>({ dataDir: join(EMBEDDED_DIR, 'pglite') })
const transport = new InProcessTransport()
const services: { name: string; built: BuiltService; url: string }[] = []

const grace = closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) logger.error({ err }, 'shutting down after an uncaught error')
  else logger.info({ signal }, 'shutting down')
  for (const s of services.reverse()) await s.built.app.close()
  await transport.close()
  await database.close()
})

try {
  for (const definition of SERVICES) {
    const applied = await migrateService(database, definition)
    if (applied.length) logger.info({ service: definition.name, applied }, 'migrated')
    const built = await buildService(definition, {
      database,
      transport,
      logger,
      auth: { secret, issuer: EMBEDDED_ISSUER, audience: EMBEDDED_AUDIENCE },
    })
    await built.startMessaging()
    const port = Number(process.env[`${definition.name.toUpperCase()}_PORT`] ?? PORTS[definition.name] ?? 0)
    const url = await built.app.listen({ host, port })
    services.push({ name: definition.name, built, url })
  }
} catch (err) {
  logger.error({ err }, 'embedded start failed')
  await grace.close()
  process.exit(1)
}

const lines = [
  '',
  'SME relief platform — embedded mode (PGlite in .data/embedded, in-process events)',
  ...(services.length === 0 ? ['  no services are registered yet (scripts/services.ts)'] : []),
  ...services.map((s) => `  ${s.name.padEnd(8)} ${s.url}   API docs ${s.url}/docs   OpenAPI ${s.url}/docs/json   health ${s.url}/health/ready`),
  '',
  'Tokens: npm run token -- --role officer --branch BJ001   (roles: officer supervisor risk core-banking agency admin)',
  '        then: curl -H "Authorization: Bearer $TOKEN" …',
  'Stop with Ctrl-C.',
  '',
]
process.stdout.write(lines.join('\n'))
