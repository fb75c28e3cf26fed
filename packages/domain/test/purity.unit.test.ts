// @sme/domain promises no I/O, no clock, no randomness and no float money: guard the promise
// mechanically, so a later edit cannot slip an `fs` import or a `Date.now()` in unnoticed.
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const srcDir = fileURLToPath(new URL('../src/', import.meta.url))
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
  [/\bparseFloat\s*\(|\.toFixed\s*\(|\bMath\.round\s*\(/, 'float rounding'],
]

t.test('src has no I/O, clock, randomness or float rounding', async (t) => {
  t.ok(sources.length >= 10, 'found the sources')
  for (const { name, text } of sources) {
    for (const [pattern, why] of FORBIDDEN) t.notMatch(text, pattern, `${name}: ${why}`)
  }
})

t.test('src imports only its own modules, with .js specifiers', async (t) => {
  for (const { name, text } of sources) {
    for (const match of text.matchAll(/\bfrom\s+'([^']+)'/g)) {
      t.match(match[1], /^\.\/[a-z0-9-]+\.js$/, `${name} imports ${match[1]}`)
    }
  }
})
