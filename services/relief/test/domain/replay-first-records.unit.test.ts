// Decisions made before the records were corrected replay as they were: 400 generated applications
// decided by the relief domain as it was then (commit 7ecb6bf, under the first records), each stored
// with a digest of its decision (test/fixtures/first-records-decisions.json). Decided again today
// under the versions each recorded, every decision is the same to the byte, whatever the code and
// records have gained since (the corrections only apply to decisions under the correcting versions).
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import t from 'tap'
import { DEFAULT_POLICY_VERSIONS, decide, policyAsOf, type DecisionContext, type PolicyVersion, type ReliefApplication } from '../../src/domain/index.js'

interface Row {
  readonly application: ReliefApplication
  readonly context: DecisionContext
  readonly outcome: string
  readonly versions: readonly string[]
  readonly sha256: string
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/first-records-decisions.json', import.meta.url), 'utf8'), (_key, value: unknown) =>
  value !== null && typeof value === 'object' && '$fen' in value ? BigInt((value as { $fen: string }).$fen) : value,
) as { madeBy: string; rows: Row[] }

// Keys in code-point order at every level: the digest does not depend on the order fields are built in.
const sorted = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(sorted) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v

t.test(`${fixture.rows.length} decisions of the first records replay to the byte under the versions they recorded`, async (t) => {
  const byRef = new Map(DEFAULT_POLICY_VERSIONS.map((v) => [`${v.id}@${v.version}`, v]))
  const differing: string[] = []
  for (const [i, row] of fixture.rows.entries()) {
    const recorded: PolicyVersion[] = row.versions.map((ref) => byRef.get(ref)!)
    const decision = decide(row.application, policyAsOf(recorded, row.context.applicationDate), row.context)
    const digest = createHash('sha256').update(JSON.stringify(sorted(decision))).digest('hex')
    if (digest !== row.sha256 || decision.outcome !== row.outcome) differing.push(`${i}: ${row.application.request.kind} of ${row.context.applicationDate}, ${row.outcome} then, ${decision.outcome} now`)
  }
  t.same(differing, [], fixture.madeBy)
  t.ok(new Set(fixture.rows.map((r) => r.outcome)).size === 3, 'the book holds all three outcomes')
  t.ok(fixture.rows.every((r) => r.versions.every((v) => byRef.has(v))), 'every version they recorded still ships')
})
