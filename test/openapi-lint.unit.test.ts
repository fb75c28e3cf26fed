// The published OpenAPI documents, checked by a peer's tool rather than ours: Redocly's linter with
// its recommended rules. Errors fail the suite; warnings are printed so they stay visible.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import t from 'tap'

const root = fileURLToPath(new URL('..', import.meta.url))
const redocly = fileURLToPath(new URL('../node_modules/.bin/redocly', import.meta.url))

for (const document of ['openapi/relief.openapi.json', 'openapi/scoring.openapi.json']) {
  t.test(`redocly lint ${document}: no errors`, async (t) => {
    const result = await promisify(execFile)(redocly, ['lint', document, '--format=summary'], { cwd: root, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } }).then(
      ({ stdout, stderr }) => ({ code: 0, output: `${stdout}${stderr}` }),
      (err: { code?: number; stdout?: string; stderr?: string }) => ({ code: err.code ?? 1, output: `${err.stdout ?? ''}${err.stderr ?? ''}` }),
    )
    const summary = result.output.split('\n').filter((line) => /^(error|warning)\s/.test(line.trim()))
    t.equal(result.code, 0, `exit code 0${summary.length ? `; ${summary.map((l) => l.trim()).join('; ')}` : ''}`)
    t.notOk(summary.some((line) => line.trim().startsWith('error')), 'no error')
  })
}
