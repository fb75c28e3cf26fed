import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Parser } from '@asyncapi/parser'
import t from 'tap'
import { generateDocuments } from '../scripts/documents.js'
import { SERVICES } from '../scripts/services.js'

const root = join(import.meta.dirname, '..')
const documents = await generateDocuments(SERVICES)

t.test('the committed API documents are what the code generates (run `npm run docs` after a change)', async (t) => {
  for (const [path, content] of Object.entries(documents)) {
    const file = join(root, path)
    t.ok(existsSync(file), `${path} is committed`)
    if (existsSync(file)) t.equal(readFileSync(file, 'utf8'), content, `${path} is up to date`)
  }
  const stale = readdirSync(join(root, 'openapi')).filter((f) => f.endsWith('.json') && !(`openapi/${f}` in documents))
  t.same(stale, [], 'no document of a service that no longer exists')
})

t.test('the AsyncAPI document is valid AsyncAPI 3 (checked by @asyncapi/parser)', async (t) => {
  const { document, diagnostics } = await new Parser().parse(documents['openapi/events.asyncapi.json']!)
  const errors = diagnostics.filter((d) => d.severity === 0)
  t.same(errors.map((e) => `${e.path.join('.')}: ${e.message}`), [], 'no errors')
  t.ok(document, 'parsed')
  t.equal(document?.version(), '3.0.0')
})

t.test('each OpenAPI document is 3.1 and every route answers errors as problem documents', async (t) => {
  for (const [path, content] of Object.entries(documents)) {
    if (!path.endsWith('.openapi.json')) continue
    const doc = JSON.parse(content)
    t.match(doc.openapi, /^3\.1\./, `${path}: OpenAPI 3.1`)
    for (const [route, item] of Object.entries<Record<string, { responses?: Record<string, unknown> }>>(doc.paths ?? {})) {
      for (const [method, op] of Object.entries(item)) {
        if (!op.responses) continue
        t.ok(op.responses['4XX'] ?? op.responses['4xx'] ?? Object.keys(op.responses).some((c) => c.startsWith('4')), `${method.toUpperCase()} ${route} documents its 4xx`)
      }
    }
  }
})
