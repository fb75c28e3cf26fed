// Checks that arrive together are stored together (one statement, one commit for many): each still
// gets its own verdict, its own event and, when escalated, its own escalation; a retry racing its
// first attempt in the same statement answers the first's verdict; a key reused for another check in
// the same statement is refused; nothing is stored twice.
import t from 'tap'
import type { VerdictData } from '@sme/contracts'
import type { VerdictWriter } from '../src/store/verdicts.js'
import { applyLoanEvent, applyReliefDecision } from '../src/store/read-model.js'
import { booked, checkBody, deferralDecision, firm, guardUnderTest } from './helpers.js'

const deterioration = [{ code: 'non-epidemic-deterioration', evidence: [{ kind: 'financial-analysis', ref: 'FA-2020-09' }] }]

t.test('a burst of checks is stored in shared statements, each check as if alone', async (t) => {
  let writer: VerdictWriter | undefined
  // One statement at a time: the checks arriving while it runs wait and go together.
  const s = await guardUnderTest(t, {}, { verdictBatches: { maxBatch: 64, maxInFlight: 1 }, onParts: (parts) => (writer = parts.verdicts) })
  const core = await s.auth('core-banking', { sub: 'cbs', branches: ['*'] })
  const firms = Array.from({ length: 10 }, (_, i) => firm(9500 + i))
  await s.db.transaction().execute(async (tx) => {
    for (const [i, uscc] of firms.entries()) {
      await applyLoanEvent(tx, booked(`CBS-B-${i}`, uscc), booked(`CBS-B-${i}`, uscc))
      if (i % 2 === 0) await applyReliefDecision(tx, deferralDecision(`CBS-B-${i}`, uscc))
    }
  })
  // 40 checks at once: protected and not, some escalating (deterioration against a protected firm),
  // a retry of check 0 under its own key, and check 1's key reused for another loan.
  const asks = Array.from({ length: 40 }, (_, n) => {
    const i = n % firms.length
    return { key: `burst-${n}`, body: checkBody(`CBS-B-${i}`, firms[i]!, n % 4 === 0 ? { reasons: deterioration } : {}) }
  })
  asks.push({ key: 'burst-0', body: asks[0]!.body }, { key: 'burst-1', body: checkBody('CBS-B-3', firms[3]!) })
  const answers = await Promise.all(asks.map((a) => s.app.inject({ method: 'POST', url: '/checks', headers: { ...core, 'idempotency-key': a.key }, payload: a.body })))

  const stats = writer!.stats()
  t.ok(stats.largest > 1, `checks shared statements: ${JSON.stringify(stats)}`)
  t.ok(stats.batches < stats.items, 'fewer statements than checks')

  const firstOf = (key: string) => answers[asks.findIndex((a) => a.key === key)]!
  for (const [n, res] of answers.slice(0, 40).entries()) t.equal(res.statusCode, 201, `check ${n}: ${res.statusCode} ${res.body.slice(0, 200)}`)
  const retry = answers[40]!
  t.equal(retry.statusCode, 201)
  t.same(retry.json(), firstOf('burst-0').json(), 'the retry answers the first verdict')
  t.same([firstOf('burst-0'), retry].map((r) => r.headers['idempotent-replayed'] === 'true').sort(), [false, true], 'exactly one of the two is the replay')
  t.equal(answers[41]!.statusCode, 422, 'a key reused for another check is refused')

  const verdicts: VerdictData[] = answers.slice(0, 40).map((r) => r.json())
  const rows = await s.db.selectFrom('verdicts').select(['id', 'outcome', 'idempotency_key', 'verdict']).execute()
  t.equal(rows.length, 40, 'one verdict row per key')
  t.same(new Set(rows.map((r) => r.id)), new Set(verdicts.map((v) => v.verdictId)), 'the rows are the verdicts answered')
  for (const r of rows) t.same(r.verdict, verdicts.find((v) => v.verdictId === r.id), `${r.idempotency_key} stored as answered`)
  const events = await s.db.selectFrom('outbox').select(['payload', 'message_key']).execute()
  t.equal(events.length, 40, 'one event per verdict')
  t.same(new Set(events.map((e) => (e.payload as VerdictData).verdictId)), new Set(verdicts.map((v) => v.verdictId)), 'each verdict’s own event')
  for (const e of events) t.equal(e.message_key, (e.payload as VerdictData).loanId, 'keyed by its loan')
  const escalated = verdicts.filter((v) => v.outcome === 'ESCALATE')
  t.ok(escalated.length > 0, 'some checks escalated')
  const escalations = await s.db.selectFrom('escalations').select(['check_id', 'loan_id', 'status']).execute()
  t.same(new Set(escalations.map((e) => e.check_id)), new Set(escalated.map((v) => v.checkId)), 'an escalation for each escalated check, none for the others')
  t.ok(escalations.every((e) => e.status === 'open'))
})
