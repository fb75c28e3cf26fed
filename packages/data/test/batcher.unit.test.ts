// Writes submitted concurrently, run together: alone an item waits for nothing, under load the
// waiting ones go as one batch, and a batch that fails fails only the items that fail alone.
import t from 'tap'
import { Batcher } from '../src/batcher.js'

/** A run whose batches finish when the test says so. */
function gated() {
  const batches: number[][] = []
  const gates: (() => void)[] = []
  const run = async (items: readonly number[]) => {
    batches.push([...items])
    await new Promise<void>((resolve) => gates.push(resolve))
    if (items.includes(13) && items.length > 1) throw new Error('the batch is refused')
    if (items.includes(13)) throw new Error('13 is refused')
    return items.map((i) => i * 10)
  }
  const openAll = async () => {
    while (gates.length > 0) {
      gates.splice(0).forEach((g) => g())
      await new Promise((r) => setImmediate(r))
    }
  }
  return { batches, run, openAll }
}

t.test('alone, an item goes at once; under load, those that waited go together, up to maxBatch', async (t) => {
  const g = gated()
  const b = new Batcher(g.run, { maxBatch: 3, maxInFlight: 1 })
  const first = b.submit(1)
  t.same(g.batches, [[1]], 'the first goes at once')
  const rest = [2, 3, 4, 5, 6].map((i) => b.submit(i))
  t.same(g.batches, [[1]], 'the others wait for the slot')
  await g.openAll()
  t.equal(await first, 10)
  t.same(await Promise.all(rest), [20, 30, 40, 50, 60], 'each gets its own result')
  t.same(g.batches, [[1], [2, 3, 4], [5, 6]], 'in batches of at most 3, in order')
  t.same(b.stats(), { batches: 3, items: 6, largest: 3 })
})

t.test('maxInFlight batches run at once', async (t) => {
  const g = gated()
  const b = new Batcher(g.run, { maxBatch: 10, maxInFlight: 2 })
  const all = [1, 2, 3, 4].map((i) => b.submit(i))
  t.same(g.batches, [[1], [2]], 'two at once')
  await g.openAll()
  await Promise.all(all)
  t.same(g.batches, [[1], [2], [3, 4]])
})

t.test('a batch that fails is run item by item: only the item refused alone fails', async (t) => {
  const g = gated()
  const b = new Batcher(g.run, { maxBatch: 10, maxInFlight: 1 })
  const first = b.submit(1)
  const waiting = [12, 13, 14].map((i) => b.submit(i).then((v) => ({ ok: v }), (err: Error) => ({ err: err.message })))
  await g.openAll()
  await first
  t.same(await Promise.all(waiting), [{ ok: 120 }, { err: '13 is refused' }, { ok: 140 }])
  t.same(g.batches, [[1], [12, 13, 14], [12], [13], [14]])
})

t.test('a run answering the wrong number of results fails its items', async (t) => {
  const b = new Batcher(async () => [], { maxBatch: 10, maxInFlight: 1 })
  await t.rejects(b.submit(1), /a batch of 1 answered 0 results/)
})

t.test('limits below one are refused', async (t) => {
  t.throws(() => new Batcher(async (x: readonly number[]) => x, { maxBatch: 0, maxInFlight: 1 }), RangeError)
})
