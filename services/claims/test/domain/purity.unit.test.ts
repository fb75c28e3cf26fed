// The claims domain promises no I/O, no clock, no randomness and no float rounding: guarded
// mechanically, like the other services' domains, so a later edit cannot slip one in unnoticed.
import { fileURLToPath } from 'node:url'
import { purityFindings } from '@sme/testing'
import t from 'tap'

t.test('src/domain has no I/O, clock, randomness or float rounding; imports only itself, @sme/domain and the shared vocabulary', async (t) => {
  const { files, findings } = purityFindings(fileURLToPath(new URL('../../src/domain/', import.meta.url)), {
    allowImports: ['@sme/domain', '@sme/contracts/vocabulary'],
    extra: [
      [/\.toFixed\s*\(/, 'float formatting'],
      [/\btodayIn\s*\(/, 'derives "today" (the day is a parameter)'],
    ],
  })
  t.ok(files >= 9, 'found the sources')
  t.same(findings, [])
})
