// When the read model counts as stale, and since when: Given/When/Then over its consumers' states.
import t from 'tap'
import type { MessagingPartStatus } from '@sme/kit'
import { readModelHealth } from '../src/read-model-health.js'

const running = (since: string): MessagingPartStatus => ({ state: 'running', since, failures: 0 })
const retrying = (since: string): MessagingPartStatus => ({ state: 'retrying', since, failures: 3, lastError: 'broker unreachable' })
const all = (over: Record<string, MessagingPartStatus> = {}) => ({
  'outbox-relay': running('2026-12-07T08:00:00.000Z'),
  'consumer:guard.relief-decisions': running('2026-12-07T08:00:00.000Z'),
  'consumer:guard.scores': running('2026-12-07T08:00:00.000Z'),
  'consumer:guard.key-lists': running('2026-12-07T08:00:00.000Z'),
  'consumer:guard.loans': running('2026-12-07T08:00:00.000Z'),
  ...over,
})

const ROWS = [
  { name: 'every consumer running', given: all(), then: { status: 'current', staleSince: null } },
  { name: 'the relay retrying (verdicts wait to be published, the model is current)', given: all({ 'outbox-relay': retrying('2026-12-07T09:00:00.000Z') }), then: { status: 'current', staleSince: null } },
  { name: 'the loans consumer retrying since 09:00', given: all({ 'consumer:guard.loans': retrying('2026-12-07T09:00:00.000Z') }), then: { status: 'stale', staleSince: '2026-12-07T09:00:00.000Z' } },
  {
    name: 'two consumers retrying: the earlier time',
    given: all({ 'consumer:guard.loans': retrying('2026-12-07T09:05:00.000Z'), 'consumer:guard.scores': retrying('2026-12-07T09:01:00.000Z') }),
    then: { status: 'stale', staleSince: '2026-12-07T09:01:00.000Z' },
  },
  { name: 'messaging never started', given: {}, then: { status: 'stale', staleSince: null } },
] as const

t.test('read model health', async (t) => {
  for (const row of ROWS) {
    const h = readModelHealth(row.given)
    t.same({ status: h.status, staleSince: h.staleSince }, row.then, `given ${row.name}`)
  }
  t.equal(readModelHealth(all({ 'consumer:guard.loans': retrying('2026-12-07T09:00:00.000Z') })).consumers['guard.loans']?.lastError, 'broker unreachable', 'the consumer’s error is reported')
})
