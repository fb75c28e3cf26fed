// Core banking's sweep, on the real PostgreSQL (and once on PGlite, the embedded mode): every line is
// judged as the single check judges it, on one snapshot; lines that cannot be judged are refused one
// by one with the field named; everything is stored before the answer; a retry answers the same
// sweep; the verdicts stream back as NDJSON to whom may read them.
import fc from 'fast-check'
import t from 'tap'
import type { VerdictData } from '@sme/contracts'
import { createPgliteDatabase } from '@sme/data'
import { applyLoanEvent, applyReliefDecision, markSource, readModelChannel } from '../src/store/read-model.js'
import { booked, checkBody, deferralDecision, firm, guardUnderTest, type GuardUnderTest } from './helpers.js'

const NDJSON = 'application/x-ndjson'
const A = firm(9301)
const B = firm(9302)

async function seed(s: GuardUnderTest): Promise<void> {
  await s.db.transaction().execute(async (tx) => {
    await applyLoanEvent(tx, booked('CBS-S-1', A), booked('CBS-S-1', A))
    await applyLoanEvent(tx, booked('CBS-S-2', B), booked('CBS-S-2', B))
    await applyReliefDecision(tx, deferralDecision('CBS-S-1', A))
    await markSource(tx, readModelChannel(s.schema), 'relief', { at: new Date('2020-03-10T02:00:00.000Z'), id: 'relief-event-1', touched: { borrowerKey: `uscc:${A}` } }, new Date())
  })
}

const fraud = [{ code: 'fraud', evidence: [{ kind: 'investigation-report', ref: 'INV-S-1' }] }]
const judged = [
  checkBody('CBS-S-1', A),
  checkBody('CBS-S-2', B),
  checkBody('CBS-S-1', A, { reasons: fraud }),
  checkBody('CBS-S-9', A, { action: 'freeze-line' }),
]
const body = (lines: (Record<string, unknown> | string)[]) => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n'
const SWEEP = body([
  ...judged,
  '{"loanId": "CBS-S-1", ',
  checkBody('CBS-S-1', A, { reasons: [{ code: 'looks-risky', evidence: [] }] }),
  checkBody('CBS-S-1', B),
  '',
  checkBody('CBS-S-2', B, { branchId: 'B002' }),
  checkBody('CBS-S-2', B, { action: 'sell-the-loan' }),
])

type Line = { line: number; loanId: string | null; branchId: string | null; outcome: string; request: unknown; verdict: { outcome: string; rules: VerdictData['rules']; protections: VerdictData['protections']; policy: VerdictData['policy']; expiresAt: string } | null; refusal: { field: string; message: string }[] | null }
const linesOf = (text: string): Line[] => text.trim().split('\n').map((l) => JSON.parse(l) as Line)

t.test('a sweep judges every line as a single check would, refuses what it cannot judge line by line, and stores it all before answering', async (t) => {
  const s = await guardUnderTest(t)
  await seed(s)
  const core = await s.auth('core-banking', { sub: 'cbs-night', branches: ['B001'] })
  const sweep = (key: string, payload: string, type = NDJSON) => s.app.inject({ method: 'POST', url: '/sweeps', headers: { ...core, 'idempotency-key': key, 'content-type': type }, payload })

  const res = await sweep('night-1', SWEEP)
  t.equal(res.statusCode, 201, res.body.slice(0, 300))
  const summary = res.json()
  t.equal(summary.lines, 9, 'nine checks: the blank line is no check')
  t.same(summary.outcomes, { ALLOW: 2, BLOCK: 2, ESCALATE: 0, REFUSED: 5 })
  t.same(
    summary.refused.map((r: { line: number; errors: { field: string }[] }) => [r.line, r.errors[0]!.field]),
    [
      [5, '/line'],
      [6, '/line/reasons/0/code'],
      [7, '/line/borrower'],
      [8, '/line/branchId'],
      [9, '/line/action'],
    ],
    'each refusal names its line and field',
  )
  t.same(summary.policies, [{ id: 'no-blind-withdrawal', version: 1 }])
  t.equal(summary.readModelAsOf.relief, '2020-03-10T02:00:00.000Z', 'the snapshot it was judged on')
  t.equal(res.headers.location, `/sweeps/${summary.sweepId}`)

  const stored = await s.db.selectFrom('sweep_verdicts').select(['line', 'outcome']).where('sweep_id', '=', summary.sweepId).orderBy('line').execute()
  t.same(stored.map((r) => r.outcome), ['BLOCK', 'ALLOW', 'ALLOW', 'BLOCK', 'REFUSED', 'REFUSED', 'REFUSED', 'REFUSED', 'REFUSED'], 'a verdict row per line, stored')

  const read = await s.app.inject({ method: 'GET', url: `/sweeps/${summary.sweepId}/verdicts`, headers: core })
  t.equal(read.statusCode, 200)
  t.equal(read.headers['content-type'], NDJSON)
  const lines = linesOf(read.body)
  t.same(lines.map((l) => l.line), [1, 2, 3, 4, 5, 6, 7, 8, 9])
  t.same(lines[0]!.request, judged[0], 'each line carries the check as asked')
  t.same(lines[4]!.request, '{"loanId": "CBS-S-1", ', 'a line that was not JSON, as the text it was')

  // The same lines asked one by one: the same outcome, rules and protections.
  for (const [i, check] of judged.entries()) {
    const single = await s.app.inject({ method: 'POST', url: '/checks', headers: { ...core, 'idempotency-key': `single-${i}` }, payload: check })
    const v = single.json<VerdictData>()
    t.same({ outcome: lines[i]!.outcome, rules: lines[i]!.verdict!.rules, protections: lines[i]!.verdict!.protections, policy: lines[i]!.verdict!.policy }, { outcome: v.outcome, rules: v.rules, protections: v.protections, policy: v.policy }, `line ${i + 1} as the single check judges it (${v.outcome})`)
  }

  const blocked = linesOf((await s.app.inject({ method: 'GET', url: `/sweeps/${summary.sweepId}/verdicts?outcome=BLOCK`, headers: core })).body)
  t.same(blocked.map((l) => l.line), [1, 4], 'filtered by outcome (line 4: a loan core banking never booked, of a protected borrower)')

  const again = await sweep('night-1', SWEEP)
  t.equal(again.statusCode, 201)
  t.equal(again.headers['idempotent-replayed'], 'true')
  t.same(again.json(), summary, 'a retry answers the sweep stored')
  t.equal((await s.db.selectFrom('sweeps').select('id').execute()).length, 1, 'and stores no second one')
  const other = await sweep('night-1', body(judged.slice(0, 2)))
  t.equal(other.statusCode, 422, 'the key with another body is refused')

  t.equal((await sweep('night-2', '\n\n')).statusCode, 400, 'a sweep of no line is refused')
  t.equal((await sweep('night-3', JSON.stringify(judged[0]), 'application/json')).statusCode, 415, 'a sweep is NDJSON')
  t.equal((await s.app.inject({ method: 'POST', url: '/sweeps', headers: { ...core, 'content-type': NDJSON }, payload: SWEEP })).statusCode, 400, 'a sweep needs an Idempotency-Key')
  t.equal((await s.db.selectFrom('sweeps').select('id').execute()).length, 1, 'nothing stored for the refused sweeps')

  const stranger = await s.auth('core-banking', { sub: 'another-system', branches: ['*'] })
  t.equal((await s.app.inject({ method: 'GET', url: `/sweeps/${summary.sweepId}`, headers: stranger })).statusCode, 404, 'another system does not see the sweep')
  const officer = await s.auth('officer', { branches: ['B001'] })
  t.equal((await s.app.inject({ method: 'GET', url: `/sweeps/${summary.sweepId}`, headers: officer })).statusCode, 403, 'a loan officer may not read sweeps')
  const supervisor = await s.auth('supervisor', { branches: ['B002'] })
  const theirs = await s.app.inject({ method: 'GET', url: `/sweeps/${summary.sweepId}/verdicts`, headers: supervisor })
  t.equal(theirs.statusCode, 200)
  t.same(theirs.body, '', 'a supervisor of B002 sees none of these B001 lines')
  const risk = await s.auth('risk')
  t.equal(linesOf((await s.app.inject({ method: 'GET', url: `/sweeps/${summary.sweepId}/verdicts`, headers: risk })).body).length, 9, 'risk sees every line')
})

t.test('the embedded mode sweeps too (PGlite, COPY through its blob device)', async (t) => {
  const database = await createPgliteDatabase<any>()
  t.teardown(() => database.close())
  const s = await guardUnderTest(t, { database })
  await seed(s)
  const core = await s.auth('core-banking', { sub: 'cbs-night', branches: ['B001'] })
  const res = await s.app.inject({ method: 'POST', url: '/sweeps', headers: { ...core, 'idempotency-key': 'embedded-1', 'content-type': NDJSON }, payload: SWEEP })
  t.equal(res.statusCode, 201, res.body.slice(0, 300))
  t.same(res.json().outcomes, { ALLOW: 2, BLOCK: 2, ESCALATE: 0, REFUSED: 5 })
  const lines = linesOf((await s.app.inject({ method: 'GET', url: `/sweeps/${res.json().sweepId}/verdicts`, headers: core })).body)
  t.same(lines.map((l) => l.outcome), ['BLOCK', 'ALLOW', 'ALLOW', 'BLOCK', 'REFUSED', 'REFUSED', 'REFUSED', 'REFUSED', 'REFUSED'])
})

t.test('no line, however malformed, gets the sweep a 500: each is judged or refused on its own', async (t) => {
  const s = await guardUnderTest(t)
  await seed(s)
  const core = await s.auth('core-banking', { sub: 'cbs-fuzz', branches: ['B001'] })
  const valid = checkBody('CBS-S-1', A, { reasons: fraud })
  // Lines beyond what the schema generates: any text (lone surrogates, NUL, control characters),
  // any JSON, and valid checks with one field replaced by any JSON value or any string.
  const anyText = fc.string({ unit: 'binary', maxLength: 60 })
  const replaced = fc.tuple(fc.constantFrom(...Object.keys(valid), 'reasons.0.evidence.0.ref', 'borrower.uscc', 'extra'), fc.oneof(fc.jsonValue({ maxDepth: 3 }), anyText)).map(([field, value]) => {
    const line = structuredClone(valid) as Record<string, any>
    const path = field.split('.')
    let at = line
    for (const step of path.slice(0, -1)) at = at[step]
    at[path.at(-1)!] = value
    return JSON.stringify(line)
  })
  const line = fc.oneof(anyText.filter((x) => !x.includes('\n')), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'), replaced, fc.constant(JSON.stringify(valid)))
  let n = 0
  await fc.assert(
    fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 12 }), async (lines) => {
      const payload = lines.join('\n') + '\n'
      const res = await s.app.inject({ method: 'POST', url: '/sweeps', headers: { ...core, 'idempotency-key': `fuzz-${n++}`, 'content-type': NDJSON }, payload })
      const counted = payload.split('\n').filter((l) => l.trim().length > 0).length
      if (counted === 0) return res.statusCode === 400
      if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body.slice(0, 300)} for ${JSON.stringify(lines).slice(0, 300)}`)
      const summary = res.json()
      const { ALLOW, BLOCK, ESCALATE, REFUSED } = summary.outcomes
      if (ALLOW + BLOCK + ESCALATE + REFUSED !== summary.lines) throw new Error(`outcomes do not add up: ${res.body}`)
      const read = await s.app.inject({ method: 'GET', url: `/sweeps/${summary.sweepId}/verdicts`, headers: core })
      const back = read.body.trim().split('\n').map((l) => JSON.parse(l) as Line)
      return read.statusCode === 200 && back.length === summary.lines
    }),
    { numRuns: 60 },
  )
  t.pass('every sweep answered 201 (or 400 for no line), its outcomes adding up, its verdicts readable')
})

t.test('a sweep whose caller goes away mid-body stores nothing, and its key serves the retry', async (t) => {
  const s = await guardUnderTest(t)
  await seed(s)
  const core = await s.auth('core-banking', { sub: 'cbs-abort', branches: ['B001'] })
  const address = await s.app.listen({ host: '127.0.0.1', port: 0 })
  const { request } = await import('node:http')
  const half = `${JSON.stringify(checkBody('CBS-S-1', A))}\n`.repeat(5_000)
  await new Promise<void>((done) => {
    const req = request(`${address}/sweeps`, { method: 'POST', headers: { ...core, 'idempotency-key': 'abort-1', 'content-type': NDJSON, 'transfer-encoding': 'chunked' } })
    req.on('error', () => done())
    req.write(half, () => setTimeout(() => req.destroy(), 200))
    req.on('close', () => done())
  })
  const { eventually } = await import('@sme/testing')
  await eventually('the sweep rolled back', async () => ((await s.db.selectFrom('sweeps').select('id').execute()).length === 0 ? true : undefined), 10_000)
  await new Promise((r) => setTimeout(r, 500))
  t.equal((await s.db.selectFrom('sweeps').select('id').execute()).length, 0, 'no sweep stored')
  t.equal((await s.db.selectFrom('sweep_verdicts').select('line').execute()).length, 0, 'no verdict row of it')
  const retry = await s.app.inject({ method: 'POST', url: '/sweeps', headers: { ...core, 'idempotency-key': 'abort-1', 'content-type': NDJSON }, payload: half })
  t.equal(retry.statusCode, 201, 'the retry under the same key is judged whole')
  t.equal(retry.json().lines, 5_000)
  t.equal(retry.json().outcomes.BLOCK, 5_000)
  t.notOk(retry.headers['idempotent-replayed'], 'judged anew: the broken one was never committed, not even the lines it had read')
  t.equal((await s.db.selectFrom('sweeps').select('id').execute()).length, 1, 'one sweep, the retry')
})
