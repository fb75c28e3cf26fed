// The published OpenAPI documents, checked by a peer's tool rather than ours: Redocly's linter with
// its recommended rules. Errors and warnings both fail the suite: a warning today (an inline
// discriminated branch a generator cannot select) is a client's broken type tomorrow.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import t from 'tap'

const root = fileURLToPath(new URL('..', import.meta.url))
const redocly = fileURLToPath(new URL('../node_modules/.bin/redocly', import.meta.url))

for (const document of ['openapi/relief.openapi.json', 'openapi/scoring.openapi.json']) {
  t.test(`redocly lint ${document}: no errors, no warnings`, async (t) => {
    const result = await promisify(execFile)(redocly, ['lint', document, '--format=summary'], { cwd: root, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } }).then(
      ({ stdout, stderr }) => ({ code: 0, output: `${stdout}${stderr}` }),
      (err: { code?: number; stdout?: string; stderr?: string }) => ({ code: err.code ?? 1, output: `${err.stdout ?? ''}${err.stderr ?? ''}` }),
    )
    const summary = result.output.split('\n').filter((line) => /^(error|warning)\s/.test(line.trim()))
    t.equal(result.code, 0, `exit code 0${summary.length ? `; ${summary.map((l) => l.trim()).join('; ')}` : ''}`)
    t.notOk(summary.some((line) => line.trim().startsWith('error')), 'no error')
    t.notOk(/You have \d+ warnings?/.test(result.output), `no warning${summary.length ? `: ${summary.join('; ')}` : ''}`)
  })
}

// Writes a system or a person may retry declare their Idempotency-Key, so clients and Swagger UI
// send it. The POSTs that change nothing (replays and what-if runs compute answers) are listed here.
const READS_BY_POST = new Set(['relief POST /applications/{id}/replay', 'relief POST /what-if', 'scoring POST /scores/{id}/replay'])
const REQUIRED_KEY = new Set(['relief POST /applications', 'scoring POST /data-points/batch'])

t.test('every write declares the Idempotency-Key header', async (t) => {
  const { readFile } = await import('node:fs/promises')
  for (const service of ['relief', 'scoring']) {
    const document = JSON.parse(await readFile(`${root}openapi/${service}.openapi.json`, 'utf8')) as { paths: Record<string, Record<string, { parameters?: { in: string; name: string; required?: boolean }[] }>> }
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!['post', 'put', 'patch', 'delete'].includes(method)) continue
        const name = `${service} ${method.toUpperCase()} ${path}`
        if (READS_BY_POST.has(name)) continue
        const key = operation.parameters?.find((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key')
        t.ok(key, `${name} declares Idempotency-Key`)
        t.equal(key?.required === true, REQUIRED_KEY.has(name), `${name}: ${REQUIRED_KEY.has(name) ? 'required' : 'optional'}`)
      }
    }
  }
})

t.test('every example in the documents is valid by its own schema', async (t) => {
  const { readFile } = await import('node:fs/promises')
  const { refusedExamples } = await import('@sme/testing/services')
  for (const service of ['relief', 'scoring']) {
    const document = JSON.parse(await readFile(`${root}openapi/${service}.openapi.json`, 'utf8'))
    t.same(refusedExamples(document), [], `${service}: no example its schema refuses`)
  }
  // The check can fail: an example that breaks its pattern is found.
  t.equal(refusedExamples({ components: { schemas: { X: { type: 'string', pattern: '^[0-9]+$', examples: ['12a'] } } } }).length, 1, 'a refused example is reported')
})
