import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { purityFindings } from '../src/index.js'

t.test('purity reaches into sub-folders; relative imports may move inside the folder, never out of it', async (t) => {
  const base = mkdtempSync(join(tmpdir(), 'purity-'))
  t.teardown(() => rmSync(base, { recursive: true, force: true }))
  const dir = join(base, 'domain')
  mkdirSync(join(dir, 'rules', 'deep'), { recursive: true })
  const files: Record<string, string> = {
    'index.ts': "export * from './rules/deferral.js'\n",
    'types.ts': 'export type X = 1\n',
    'rules/deferral.ts': "import type { X } from '../types.js'\nimport { y } from './deep/helper.js'\nexport const d: X = 1\nexport const z = y\n",
    'rules/deep/helper.ts': "import type { X } from '../../types.js'\nexport const y = 2\n",
    'rules/clock.ts': 'export const now = () => Date.now()\n',
    'rules/escape.ts': "import { secret } from '../../outside.js'\nexport const e = secret\n",
    'rules/lib.ts': "import { sql } from 'kysely'\nexport const q = sql\n",
  }
  for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text)
  writeFileSync(join(base, 'outside.ts'), 'export const secret = 1\n')
  const { files: n, findings } = purityFindings(dir, { allowImports: ['@sme/domain'] })
  t.equal(n, Object.keys(files).length, 'every file at every depth')
  t.same(
    findings.map((f) => `${f.file}: ${f.problem}`).sort(),
    ['rules/clock.ts: reads the clock', 'rules/escape.ts: imports ../../outside.js', 'rules/lib.ts: imports kysely'],
  )
})
