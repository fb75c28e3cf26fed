// Escalated checks on the real PostgreSQL: a check that needs a risk officer's judgement opens an
// escalation in the statement that stores its verdict; risk officers decide it under four eyes; the
// decision is a verdict of its own, read back with the check and published; every step audited.
import t from 'tap'
import type { VerdictData } from '@sme/contracts'
import { eventually } from '@sme/testing'
import { applyReliefDecision } from '../src/store/read-model.js'
import { checkBody, deferralDecision, firm, guardUnderTest } from './helpers.js'

const deterioration = [{ code: 'non-epidemic-deterioration', evidence: [{ kind: 'financial-analysis', ref: 'FA-2020-09' }] }]

t.test('an escalated check, reviewed under four eyes', async (t) => {
  const s = await guardUnderTest(t)
  const core = await s.auth('core-banking', { sub: 'cbs', branches: ['*'] })
  const riskA = await s.auth('risk', { sub: 'risk-a' })
  const riskB = await s.auth('risk', { sub: 'risk-b' })
  const requester = await s.auth('risk', { sub: 'staff-0042' })
  const supervisorB002 = await s.auth('supervisor', { sub: 'sup-b002', branches: ['B002'] })
  let n = 0
  const escalate = async (loanId: string, uscc: string) => {
    await s.db.transaction().execute((tx) => applyReliefDecision(tx, deferralDecision(loanId, uscc)))
    const res = await s.app.inject({ method: 'POST', url: '/checks', headers: { ...core, 'idempotency-key': `esc-${n++}` }, payload: checkBody(loanId, uscc, { reasons: deterioration }) })
    t.equal(res.statusCode, 201)
    t.equal(res.json().outcome, 'ESCALATE')
    return res.json<VerdictData>().checkId
  }
  const review = (checkId: string, headers: Record<string, string>, outcome: 'ALLOW' | 'BLOCK') =>
    s.app.inject({ method: 'POST', url: `/escalations/${checkId}/reviews`, headers, payload: { outcome, reason: 'the accounts show a decline that began in 2019' } })

  await t.test('an override: the requester may not, one risk officer is not enough, a second makes it', async (t) => {
    const checkId = await escalate('CBS-X-1', firm(9101))
    const queue = await s.app.inject({ method: 'GET', url: '/escalations', headers: riskA })
    t.same(queue.json().items.map((i: { checkId: string }) => i.checkId), [checkId], 'in the queue')
    t.equal((await review(checkId, requester, 'ALLOW')).statusCode, 403, 'the requester of the action may not review it')
    const first = await review(checkId, riskA, 'ALLOW')
    t.equal(first.statusCode, 200)
    t.match(first.json(), { escalation: { status: 'awaiting-second', approvals: [{ by: 'risk-a', outcome: 'ALLOW' }] }, verdict: null })
    t.equal((await review(checkId, riskA, 'ALLOW')).statusCode, 403, 'the first approver again is not a second pair of eyes')
    const second = await review(checkId, riskB, 'ALLOW')
    t.equal(second.statusCode, 200)
    const verdict = second.json().verdict as VerdictData
    t.match(verdict, { checkId, origin: 'review', outcome: 'ALLOW' })
    t.equal(verdict.rules.at(-1)?.code, 'override')
    t.ok(verdict.rules.some((r) => r.code === 'reason-needs-review'), 'with the check’s own rules')
    t.equal((await review(checkId, await s.auth('risk', { sub: 'risk-c' }), 'BLOCK')).statusCode, 409, 'decided once')
    const read = await s.app.inject({ method: 'GET', url: `/checks/${checkId}`, headers: core })
    t.same(read.json().verdicts.map((v: VerdictData) => [v.origin, v.outcome]), [['check', 'ESCALATE'], ['review', 'ALLOW']], 'the check reads back with its review')
    const events = await s.db.selectFrom('outbox').select(['message_key', 'payload']).where('message_key', '=', 'CBS-X-1').execute()
    t.equal(events.length, 2, 'both verdicts published, keyed by the loan')
    // Refusals are recorded after their answers: wait for the three.
    const refusals = () => s.db.selectFrom('audit_log').select('id').where('subject', '=', `check:${checkId}`).where('action', '=', 'attempt.refused').execute()
    await eventually('the refusals recorded', async () => (await refusals()).length >= 3 || undefined, 10_000).catch(() => undefined)
    const audit = await s.db.selectFrom('audit_log').select(['actor', 'action']).where('subject', '=', `check:${checkId}`).orderBy('id').execute()
    t.same(
      audit.filter((a) => a.action !== 'attempt.refused').map((a) => [a.actor, a.action]),
      [['risk-a', 'escalation.approved'], ['risk-b', 'escalation.decided']],
      'each approval audited',
    )
    t.same(audit.filter((a) => a.action === 'attempt.refused').map((a) => a.actor), ['staff-0042', 'risk-a', 'risk-c'], 'and each refused attempt, with who tried')
  })

  await t.test('one risk officer upholds the protection; the queue empties; other branches see nothing', async (t) => {
    const checkId = await escalate('CBS-X-2', firm(9102))
    t.equal((await s.app.inject({ method: 'GET', url: `/escalations/${checkId}`, headers: supervisorB002 })).statusCode, 404, 'another branch’s supervisor does not see it')
    t.same((await s.app.inject({ method: 'GET', url: '/escalations', headers: supervisorB002 })).json().items, [], 'nor in the queue')
    const upheld = await review(checkId, riskA, 'BLOCK')
    t.match(upheld.json(), { escalation: { status: 'decided', outcome: 'BLOCK' }, verdict: { origin: 'review', outcome: 'BLOCK' } })
    t.same((await s.app.inject({ method: 'GET', url: '/escalations', headers: riskA })).json().items, [], 'nothing pending')
    const decided = await s.app.inject({ method: 'GET', url: '/escalations?status=decided&limit=1', headers: riskA })
    t.equal(decided.json().items.length, 1)
    t.type(decided.json().nextCursor, 'string', 'paged')
    const next = await s.app.inject({ method: 'GET', url: `/escalations?status=decided&limit=1&cursor=${decided.json().nextCursor}`, headers: riskA })
    t.equal(next.json().items.length, 1)
    t.not(next.json().items[0].checkId, decided.json().items[0].checkId, 'the next page moves on')
  })

  await t.test('two risk officers at once on one escalation: one first approval, then one decision', async (t) => {
    const checkId = await escalate('CBS-X-3', firm(9103))
    const [a, b] = await Promise.all([review(checkId, riskA, 'ALLOW'), review(checkId, riskB, 'ALLOW')])
    t.same([a.statusCode, b.statusCode], [200, 200], 'serialised on the row: the second sees the first')
    const outcomes = [a.json(), b.json()].map((x) => x.escalation.status).sort()
    t.same(outcomes, ['awaiting-second', 'decided'])
    const verdicts = await s.db.selectFrom('verdicts').select('origin').where('check_id', '=', checkId).execute()
    t.equal(verdicts.length, 2, 'one review verdict')
  })

  await t.test('a check that does not escalate opens nothing', async (t) => {
    const res = await s.app.inject({ method: 'POST', url: '/checks', headers: { ...core, 'idempotency-key': 'esc-none' }, payload: checkBody('CBS-X-4', firm(9104)) })
    t.equal(res.json().outcome, 'ALLOW')
    t.equal(await s.db.selectFrom('escalations').select('check_id').where('loan_id', '=', 'CBS-X-4').executeTakeFirst(), undefined)
  })
})
