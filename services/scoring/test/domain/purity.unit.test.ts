// The scoring domain promises no I/O, no clock, no randomness and no float rounding of figures:
// guard it mechanically, like @sme/domain does, so a later edit cannot slip one in unnoticed.
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const srcDir = fileURLToPath(new URL('../../src/domain/', import.meta.url))
const sources = readdirSync(srcDir)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => ({ name, text: readFileSync(srcDir + name, 'utf8') }))

const FORBIDDEN: [RegExp, string][] = [
  [/\bDate\.now\s*\(/, 'reads the clock'],
  [/\bnew Date\s*\(/, 'creates a Date (reads the clock when called without arguments)'],
  [/\bperformance\.now\s*\(/, 'reads the clock'],
  [/\bMath\.random\s*\(/, 'randomness'],
  [/\bprocess\./, 'reads the environment'],
  [/\b(?:fetch|require)\s*\(/, 'I/O or CommonJS'],
  [/\bconsole\./, 'logging is I/O'],
  [/\bparseFloat\s*\(|\bMath\.round\s*\(|\bMath\.exp\s*\(/, 'float rounding or engine-dependent maths'],
]

t.test('src/domain has no I/O, clock, randomness or float rounding', async (t) => {
  t.ok(sources.length >= 10, 'found the sources')
  for (const { name, text } of sources) {
    for (const [pattern, why] of FORBIDDEN) t.notMatch(text, pattern, `${name}: ${why}`)
    // Formatting floats is for the generated documentation only.
    if (name !== 'model-doc.ts') t.notMatch(text, /\.toFixed\s*\(/, `${name}: float formatting`)
  }
})

t.test('src/domain imports only its own modules (.js specifiers) and @sme/domain', async (t) => {
  for (const { name, text } of sources) {
    for (const match of text.matchAll(/\bfrom\s+'([^']+)'/g)) {
      t.match(match[1], /^(?:\.\/[a-z0-9-]+\.js|@sme\/domain)$/, `${name} imports ${match[1]}`)
    }
  }
})
