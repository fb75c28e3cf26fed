// The idempotency fingerprint is stored with every write: its canonical text may never change.
// Held here to the first implementation, kept verbatim as the oracle.
import fc from 'fast-check'
import t from 'tap'
import { canonicalJson } from '../src/index.js'

function firstCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map(firstCanonicalJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${firstCanonicalJson(v)}`).join(',')}}`
}

t.test('the same text as the first implementation, for any JSON and for undefined members', async (t) => {
  const withUndefined = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.jsonValue(),
      fc.constant(undefined),
      fc.array(tie('value'), { maxLength: 5 }),
      fc.dictionary(fc.string({ unit: 'binary' }), tie('value'), { maxKeys: 6 }),
    ),
  })).value
  fc.assert(
    fc.property(withUndefined, (value) => canonicalJson(value) === firstCanonicalJson(value)),
    { numRuns: 3_000 },
  )
  t.pass('3,000 generated values')
})

t.test('keys sorted at every level; undefined members left out; order of the input does not matter', async (t) => {
  t.equal(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }, null], é: 'x', Z: true }), '{"Z":true,"a":[{"d":2},null],"b":1,"é":"x"}')
  t.equal(canonicalJson({ a: 1, b: 2 }), canonicalJson({ b: 2, a: 1 }))
  t.equal(canonicalJson(undefined), 'null')
  t.equal(canonicalJson([undefined]), '[null]')
})
