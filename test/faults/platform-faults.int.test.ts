// Faults under a steady load, the platform run distributed (scoring and relief as processes, a
// PostgreSQL cluster and a Kafka broker of the run's own). After the faults, every acknowledged
// application has its row, its scoring request on the topic, its decision, and (when final) its
// decision event, each once; the process not killed was never restarted. The short version runs
// here (scoring's consumer killed with -9 between its effects and its offset commit, then
// PostgreSQL restarted in immediate mode twice, in one run); `npm run faults` runs each fault of
// the suite on its own, longer, and prints the table of runs.
import t from 'tap'
import { localKafkaUnavailable, postgresBinaries } from '@sme/testing'
import { faultRun, tableRow, TABLE_HEADER } from './platform.js'

const missing = (await localKafkaUnavailable()) ?? (postgresBinaries() === undefined ? "no PostgreSQL server binaries for a cluster of the run's own" : undefined)

t.test('a consumer killed between its effects and its offset commit, then PostgreSQL restarted twice, under load: nothing lost, nothing twice, relief never restarted', { skip: missing ?? false, timeout: 480_000 }, async (t) => {
  const f = await faultRun(t, ['consumer-crash', 'postgres-restart-twice'], { perSecond: 10, beforeMs: 4_000, betweenMs: 4_000, afterMs: 6_000 })
  t.comment(TABLE_HEADER)
  t.comment(tableRow(f))
  t.ok(f.acknowledged > 100, `load acknowledged (${f.acknowledged})`)
  t.equal(f.rows, f.acknowledged, 'a row for every acknowledged application, and none other')
  t.equal(f.requestsPublished, f.rows, 'a scoring request on the topic for every row')
  t.equal(f.answered, f.rows, 'scoring answered each request')
  t.equal(f.answers, f.answered, 'and each once')
  t.ok((f.uncommittedAtCrash ?? 0) > 0, `scoring was killed with effects committed past its group's committed offsets (${f.uncommittedAtCrash})`)
  t.ok(f.duplicatesSkipped >= (f.uncommittedAtCrash ?? 0), `those events came again and were skipped (${f.duplicatesSkipped} duplicates skipped)`)
  t.equal(f.decidedApplications, f.acknowledged, 'every acknowledged application decided')
  t.equal(f.decisions, f.decidedApplications, 'none decided twice')
  t.ok(f.finalDecisions > f.acknowledged / 3, `final decisions among them (${f.finalDecisions})`)
  t.equal(f.decisionEvents, f.finalDecisions, 'a decision event for every final decision')
  t.equal(f.lost, 0, 'nothing lost')
  t.equal(f.duplicated, 0, 'no effect twice')
  t.ok(f.othersUntouched, 'relief ran throughout, never restarted')
  const unexpected = Object.keys(f.statuses).filter((s) => !['202', '200', '429', '503', 'network'].includes(s))
  t.same(unexpected, [], 'the load saw 202/200, 429 (shed), 503 or a refused connection, never a 500')
})
