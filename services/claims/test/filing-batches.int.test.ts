// Filings that arrive together are committed together (group commit) against the real PostgreSQL:
// every claim filed once and exactly once, however its filings interleave; a duplicate filing of a
// claim in the same batch refused with the state it met; a refusal answering its own caller only;
// with an Idempotency-Key a filing goes alone and is replayed.
import t from 'tap'
import { ALL_DOCUMENTS, BRANCH, claimsUnderTest, clock, loanBody } from './helpers.js'

t.test('Given many claims ready to file, when their filings arrive at once, then each is filed once and a refusal stays with its caller', async (t) => {
  const c = clock('2020-06-15T02:00:00Z')
  const s = await claimsUnderTest(t, { now: c.now, startMessaging: false })
  const core = await s.auth('core-banking', { branches: [BRANCH] })
  const officer = await s.auth('officer', { sub: 'officer-li', branches: [BRANCH] })
  const ok = async (method: 'POST' | 'PUT', url: string, payload: object) => {
    const res = await s.app.inject({ method, url, headers: officer, payload })
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`)
    return res.json<any>()
  }
  const ready = async (n: number, documents = ALL_DOCUMENTS): Promise<string> => {
    const res = await s.app.inject({ method: 'PUT', url: `/guaranteed-loans/CBS-B-${n}`, headers: core, payload: loanBody() })
    if (res.statusCode >= 300) throw new Error(res.body)
    const { claimId } = await ok('POST', `/guaranteed-loans/CBS-B-${n}/demands`, { amountFen: '1000' })
    await ok('POST', `/claims/${claimId}/demand-outcome`, { outcome: 'claim' })
    await ok('PUT', `/claims/${claimId}/documents`, { documents })
    return claimId
  }
  const claims: string[] = []
  for (let i = 0; i < 40; i++) claims.push(await ready(i))
  const undocumented = await ready(99, ['claim-application'])

  const file = (claimId: string, headers: Record<string, string> = {}) => s.app.inject({ method: 'POST', url: `/claims/${claimId}/filing`, headers: { ...officer, ...headers }, payload: { unpaidInterestFen: '0' } })
  const calls = [...claims.map((id) => file(id)), ...claims.slice(0, 5).map((id) => file(id)), file(undocumented)]
  const answers = await Promise.all(calls)
  const byClaim = new Map<string, number[]>()
  answers.forEach((a, i) => {
    const id = i < 40 ? claims[i]! : i < 45 ? claims[i - 40]! : undocumented
    byClaim.set(id, [...(byClaim.get(id) ?? []), a.statusCode])
  })
  for (const id of claims) t.equal(byClaim.get(id)!.filter((code) => code === 200).length, 1, `claim ${claims.indexOf(id)} filed exactly once`)
  t.same(
    claims.slice(0, 5).map((id) => byClaim.get(id)!.sort()),
    claims.slice(0, 5).map(() => [200, 409]),
    'the second filing of a claim refused',
  )
  const refusedTwice = answers.slice(40, 45).concat(answers.slice(0, 5)).filter((a) => a.statusCode === 409)
  t.ok(refusedTwice.every((a) => a.json<any>().currentStatus === 'filed'), 'with the state it met')
  t.same([answers[45]!.statusCode, answers[45]!.json<any>().refusal], [422, 'CL_NOT_ELIGIBLE'], 'the claim missing documents refused, alone')

  const outbox = await s.db.selectFrom('outbox').select('message_key').where('event_type', '=', 'sme.claims.claim-filed.v1').execute()
  t.equal(outbox.length, 40, 'one claim-filed event per claim')
  const filedEvents = await s.db.selectFrom('claim_events').select(['claim_id', 'seq']).where('type', '=', 'claim-filed').execute()
  t.same(new Set(filedEvents.map((e) => e.claim_id)).size, 40, 'one filed event in each history')
  t.ok(filedEvents.every((e) => e.seq === 3), 'after the demand and its outcome, in order')
  const audited = await s.db.selectFrom('audit_log').select('actor').where('action', '=', 'claim.file').execute()
  t.equal(audited.length, 40, 'each filing audited on its own')
  t.ok(audited.every((a) => a.actor === 'officer-li'), 'attributed')
  const statuses = await s.db.selectFrom('claims').select(['status', 'version']).where('claim_id', 'in', claims).execute()
  t.ok(statuses.every((r) => r.status === 'filed' && r.version === 3), 'every fold says filed, at version 3')

  // With an Idempotency-Key a filing goes alone, and its answer is replayed.
  const single = await ready(200)
  const first = await file(single, { 'idempotency-key': 'file-200' })
  const again = await file(single, { 'idempotency-key': 'file-200' })
  t.same([first.statusCode, again.statusCode, again.headers['idempotent-replayed']], [200, 200, 'true'], 'filed once, the retry replayed')
})
