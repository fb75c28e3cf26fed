// Faults under a steady load, the platform run distributed (scoring and relief as processes, a
// PostgreSQL cluster and a Kafka broker of the run's own). After the faults, every acknowledged
// application has its row, its scoring request on the topic, its decision, and (when final) its
// decision event, each once; the process not killed was never restarted. The short version runs
// here (relief killed with -9, then PostgreSQL restarted in immediate mode twice, in one run);
// `npm run faults` runs each fault of the suite on its own, longer, and prints the table of runs.
import t from 'tap'
import { localKafkaUnavailable, postgresBinaries } from '@sme/testing'
import { faultRun, tableRow, TABLE_HEADER } from './platform.js'

const missing = (await localKafkaUnavailable()) ?? (postgresBinaries() === undefined ? "no PostgreSQL server binaries for a cluster of the run's own" : undefined)

t.test('relief killed, then PostgreSQL restarted twice, under load: nothing lost, nothing twice, scoring never restarted', { skip: missing ?? false, timeout: 480_000 }, async (t) => {
  const f = await faultRun(t, ['relief-kill', 'postgres-restart-twice'], { perSecond: 10, beforeMs: 4_000, betweenMs: 4_000, afterMs: 6_000 })
  t.comment(TABLE_HEADER)
  t.comment(tableRow(f))
  t.ok(f.acknowledged > 100, `load acknowledged (${f.acknowledged})`)
  t.equal(f.rows, f.acknowledged, 'a row for every acknowledged application, and none other')
  t.equal(f.requestsPublished, f.rows, 'a scoring request on the topic for every row')
  t.equal(f.answered, f.rows, 'scoring answered each request once')
  t.equal(f.decidedApplications, f.acknowledged, 'every acknowledged application decided')
  t.equal(f.decisions, f.decidedApplications, 'none decided twice')
  t.ok(f.finalDecisions > f.acknowledged / 3, `final decisions among them (${f.finalDecisions})`)
  t.equal(f.decisionEvents, f.finalDecisions, 'a decision event for every final decision')
  t.equal(f.lost, 0, 'nothing lost')
  t.equal(f.duplicated, 0, 'no effect twice')
  t.ok(f.othersUntouched, 'scoring ran throughout, never restarted')
  const unexpected = Object.keys(f.statuses).filter((s) => !['202', '200', '429', '503', 'network'].includes(s))
  t.same(unexpected, [], 'the load saw 202/200, 429 (shed), 503 or a refused connection, never a 500')
})
