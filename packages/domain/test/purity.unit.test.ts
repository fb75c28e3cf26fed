// @sme/domain promises no I/O, no clock, no randomness and no float money: guard the promise
// mechanically, so a later edit cannot slip an `fs` import or a `Date.now()` in unnoticed.
import { fileURLToPath } from 'node:url'
import { purityFindings } from '@sme/testing'
import t from 'tap'

t.test('src has no I/O, clock, randomness or float rounding, and imports only its own modules', async (t) => {
  const { files, findings } = purityFindings(fileURLToPath(new URL('../src/', import.meta.url)), { extra: [[/\.toFixed\s*\(/, 'float formatting']] })
  t.ok(files >= 10, 'found the sources')
  t.same(findings, [])
})
