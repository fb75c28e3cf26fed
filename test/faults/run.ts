/**
 * `npm run faults` — the long fault suite: each fault on its own run (a platform of its own,
 * 20 applications/s, the fault after 10 s, 30 s of load after it), then the table of runs.
 * `npm run faults -- broker-kill scoring-kill` runs only those. Needs Java and Maven (the broker)
 * and the PostgreSQL server binaries (a cluster of the run's own). Prints the table in Markdown and
 * exits 1 if any run lost or duplicated anything.
 */
import { faultRun, tableRow, TABLE_HEADER, type Fault, type RunFigures } from './platform.js'

const ALL: Fault[] = ['broker-kill', 'relief-kill', 'scoring-kill', 'consumer-crash', 'postgres-restart-twice']
const chosen = process.argv.slice(2).filter((a): a is Fault => (ALL as string[]).includes(a))
const faults = chosen.length > 0 ? chosen : ALL
const teardowns: (() => unknown)[] = []
const t = { teardown: (fn: () => unknown) => void teardowns.unshift(fn) }
const rows: RunFigures[] = []
let failed = false
for (const fault of faults) {
  process.stderr.write(`faults: ${fault}…\n`)
  try {
    const f = await faultRun(t, fault, { perSecond: 20, beforeMs: 10_000, afterMs: 30_000, settleMs: 180_000 })
    rows.push(f)
    const ok = f.lost === 0 && f.duplicated === 0 && f.rows === f.acknowledged && f.decidedApplications === f.acknowledged && f.decisionEvents === f.finalDecisions && f.othersUntouched
    if (!ok) failed = true
    process.stderr.write(`faults: ${fault} ${ok ? 'ok' : 'FAILED'}: ${tableRow(f)}\n`)
  } catch (err) {
    failed = true
    process.stderr.write(`faults: ${fault} could not run: ${err instanceof Error ? err.stack : String(err)}\n`)
  } finally {
    for (const fn of teardowns.splice(0)) await Promise.resolve().then(fn).catch(() => {})
  }
}
process.stdout.write(`${TABLE_HEADER}\n${rows.map(tableRow).join('\n')}\n`)
process.stdout.write(`duplicates skipped by consumers after the fault (inbox): ${rows.map((r) => `${r.fault} ${r.duplicatesSkipped}`).join(', ')}\n`)
process.exit(failed ? 1 : 0)
