/**
 * The dependency rules (`.dependency-cruiser.cjs`), checked with dependency-cruiser's own command
 * line as a reviewer would run it: the project obeys them, and they do fire on a tree that breaks
 * them (so this test cannot pass by checking nothing).
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const root = resolve(fileURLToPath(import.meta.url), '../..')
const config = join(root, '.dependency-cruiser.cjs')
const depcruise = join(root, 'node_modules', '.bin', 'depcruise')

function cruise(cwd: string, ...paths: string[]) {
  const run = spawnSync(depcruise, ['--config', config, '--output-type', 'err', ...paths], { cwd, encoding: 'utf8' })
  return { status: run.status, output: `${run.stdout}${run.stderr}` }
}

t.test('no service imports another, and no package imports a service', async (t) => {
  const { status, output } = cruise(root, 'packages', 'services')
  t.equal(status, 0, output)
  t.match(output, /no dependency violations found/)
})

t.test('the rules fire on a tree that breaks them', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sme-deps-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  copyFileSync(join(root, 'tsconfig.base.json'), join(dir, 'tsconfig.base.json'))
  const files: Record<string, string> = {
    'services/alpha/src/rules.ts': 'export const rule = 1\n',
    'services/alpha/src/own.ts': "import { rule } from './rules.js'\nexport const own = rule\n",
    'services/beta/src/uses-alpha.ts': "import { rule } from '../../alpha/src/rules.js'\nexport const borrowed = rule\n",
    'services/beta/src/types-of-alpha.ts': "import type { own } from '../../alpha/src/own.js'\nexport type Own = typeof own\n",
    'packages/kit/src/reaches-up.ts': "import { rule } from '../../../services/alpha/src/rules.js'\nexport const up = rule\n",
    'packages/kit/src/fine.ts': 'export const fine = true\n',
  }
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  const { status, output } = cruise(dir, 'packages', 'services')
  t.not(status, 0, 'depcruise exits non-zero')
  t.match(output, /service-imports-service: services\/beta\/src\/uses-alpha\.ts → services\/alpha\/src\/rules\.ts/)
  t.match(output, /service-imports-service: services\/beta\/src\/types-of-alpha\.ts → services\/alpha\/src\/own\.ts/, 'a type-only import counts')
  t.match(output, /package-imports-service: packages\/kit\/src\/reaches-up\.ts → services\/alpha\/src\/rules\.ts/)
  t.notMatch(output, /services\/alpha\/src\/own\.ts → services\/alpha\/src\/rules\.ts/, 'a service may import itself')
  t.match(output, /3 dependency violations/)
})
