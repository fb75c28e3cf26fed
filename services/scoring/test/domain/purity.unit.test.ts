// The scoring domain promises no I/O, no clock, no randomness and no float rounding of figures:
// guard it mechanically, like @sme/domain does, so a later edit cannot slip one in unnoticed.
import { fileURLToPath } from 'node:url'
import { purityFindings } from '@sme/testing'
import t from 'tap'

t.test('src/domain has no I/O, clock, randomness or float rounding; imports only itself and @sme/domain', async (t) => {
  const toFixed = /\.toFixed\s*\(/
  const { files, findings } = purityFindings(fileURLToPath(new URL('../../src/domain/', import.meta.url)), {
    allowImports: ['@sme/domain'],
    extra: [[/\bMath\.exp\s*\(/, 'engine-dependent maths'], [toFixed, 'float formatting']],
    // Formatting floats is for the generated documentation only.
    except: { 'model-doc.ts': [toFixed] },
  })
  t.ok(files >= 10, 'found the sources')
  t.same(findings, [])
})
