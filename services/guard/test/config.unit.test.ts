// The guard's settings from the environment: defaults, accepted values, refusals naming the key.
import t from 'tap'
import { ConfigError } from '@sme/kit'
import { guardOptionsFrom } from '../src/config.js'
import { DEFAULT_READ_MODEL_CAPACITY } from '../src/service.js'

t.test('nothing set: the default capacity', async (t) => {
  t.same(guardOptionsFrom({}), { readModelCapacity: DEFAULT_READ_MODEL_CAPACITY })
  t.same(guardOptionsFrom({ GUARD_READ_MODEL_CAPACITY: '' }), { readModelCapacity: DEFAULT_READ_MODEL_CAPACITY }, 'empty counts as absent')
})

t.test('a capacity sized to the book, or none held', async (t) => {
  t.same(guardOptionsFrom({ GUARD_READ_MODEL_CAPACITY: '2000000' }), { readModelCapacity: 2_000_000 })
  t.same(guardOptionsFrom({ GUARD_READ_MODEL_CAPACITY: '0' }), { readModelCapacity: 0 })
})

for (const bad of ['-1', '1.5', 'lots', '10000001']) {
  t.test(`refused: GUARD_READ_MODEL_CAPACITY=${bad}`, async (t) => {
    let refusal: unknown
    try {
      guardOptionsFrom({ GUARD_READ_MODEL_CAPACITY: bad })
    } catch (err) {
      refusal = err
    }
    t.ok(refusal instanceof ConfigError, 'refused as configuration')
    const problems = refusal instanceof ConfigError ? refusal.problems : []
    t.ok(problems.length > 0 && problems.every((p) => p.startsWith('GUARD_READ_MODEL_CAPACITY:')), 'naming the key')
    t.notOk(problems.some((p) => p.includes(bad)), 'never echoing the value')
  })
}
