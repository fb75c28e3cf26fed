// One application, one story: for every state an application can be in, every route that shows it
// (GET /applications/{id}, GET /applications, GET /review-queue, the answers of the review routes)
// and the event published for it (relief.decisions.v1) say the same: the rules' outcome, the outcome
// that stands, who decided, the revision, the pending proposal, the terms granted. Real PostgreSQL,
// in-process transport.
import t, { type Test } from 'tap'
import { ReliefDecided, ReliefDecidedV2 } from '@sme/contracts'
import { ApplicationSummary } from '../src/schemas.js'
import { GOOD, POOR, applicationBody, authHeader, decidedApplication, expectStatus, newKey, outboxEvents, reliefUnderTest, uscc, type ReliefUnderTest } from './helpers.js'

const SUMMARY_FIELDS = Object.keys(ApplicationSummary.properties)
const pick = (value: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(SUMMARY_FIELDS.map((k) => [k, value[k]]))



interface Expected {
  status: 'awaiting-score' | 'referred' | 'approved' | 'declined' | 'withdrawn'
  automatedOutcome: 'APPROVED' | 'DECLINED' | 'REFERRED' | null
  finalOutcome: 'APPROVED' | 'DECLINED' | null
  decidedBy: 'rules' | 'review' | null
  revision: number
  pending: 'APPROVED' | 'DECLINED' | null
}

/** Reads the application through every route and its events; asserts they agree with each other and with `expected`. */
async function agree(t: Test, s: ReliefUnderTest, id: string, expected: Expected, answered: Record<string, unknown>[] = []): Promise<any> {
  const risk = await authHeader('risk')
  const view = expectStatus(t, await s.app.inject({ method: 'GET', url: `/applications/${id}`, headers: risk }), 200, 'GET /applications/{id}')
  t.match(view, { status: expected.status, automatedOutcome: expected.automatedOutcome, finalOutcome: expected.finalOutcome, decidedBy: expected.decidedBy, revision: expected.revision }, 'the expected state')
  t.equal(view.pendingProposal?.outcome ?? null, expected.pending, 'the pending proposal')

  // Within the view: summary fields and the two decisions tell one story.
  t.equal(view.automatedOutcome, view.automatedDecision?.outcome ?? null, 'automatedOutcome is the rules’ decision')
  t.equal(view.finalOutcome, view.finalDecision?.outcome ?? null, 'finalOutcome is the decision that stands')
  t.equal(view.decidedBy, view.finalDecision?.decidedBy ?? null, 'decidedBy agrees')
  t.equal(view.revision, view.finalDecision?.revision ?? 0, 'revision agrees')
  t.equal(view.decidedAt, view.finalDecision?.decidedAt ?? null, 'decidedAt agrees')
  if (view.finalOutcome === 'APPROVED') {
    t.not(view.finalDecision.terms, null, 'an approval carries terms')
    t.same(view.finalDecision.terms, view.automatedDecision.terms, 'the terms the rules computed')
  }
  if (view.finalOutcome === 'DECLINED') t.equal(view.finalDecision.terms, null, 'a decline grants nothing')

  // The lists show the same summary.
  const list = expectStatus(t, await s.app.inject({ method: 'GET', url: '/applications?limit=500', headers: risk }), 200, 'GET /applications')
  t.same(list.applications.find((a: { id: string }) => a.id === id), pick(view), 'GET /applications agrees')
  const queue = expectStatus(t, await s.app.inject({ method: 'GET', url: '/review-queue?limit=500', headers: risk }), 200, 'GET /review-queue')
  const queued = queue.applications.find((a: { id: string }) => a.id === id)
  if (view.status === 'referred' || view.pendingProposal !== null) t.same(queued, pick(view), 'GET /review-queue agrees')
  else t.equal(queued, undefined, 'not in the review queue')
  for (const [i, answer] of answered.entries()) t.same(answer, pick(view), `the answer of review route ${i + 1} agrees`)

  // The event published last is the final decision shown (v2), and v1 says the same with the USCC.
  const events = (await outboxEvents(s, ReliefDecidedV2.type)).filter((e) => e.applicationId === id)
  t.same(events.map((e) => e.revision), Array.from({ length: view.revision }, (_, i) => i + 1), 'one event per revision')
  t.same(events.at(-1) ?? null, view.finalDecision, 'the last event published is the final decision shown')
  const v1 = (await outboxEvents(s, ReliefDecided.type)).filter((e) => e.applicationId === id)
  t.same(
    v1.map(({ uscc, ...rest }) => ({ ...rest, borrower: { kind: 'enterprise', uscc } })),
    events.map(({ borrower, ...rest }) => ({ ...rest, borrower })),
    'v1 publishes the same decisions, by USCC',
  )
  return view
}

t.test('every route and event agree about an application, in every state', async (t) => {
  const s = await reliefUnderTest(t, { now: () => new Date('2020-06-15T02:00:00Z') })
  const as = (role: 'officer' | 'supervisor', sub: string) => authHeader(role, { sub, branches: ['B1'] })

  t.test('awaiting its score', async (t) => {
    const body = applicationBody('extension', { uscc: uscc(301) })
    const res = await s.app.inject({ method: 'POST', url: '/applications', headers: { ...(await authHeader('core-banking', { branches: ['B1'] })), 'idempotency-key': newKey() }, payload: body })
    const { id } = expectStatus(t, res, 202, 'submitted, no score sent')
    await agree(t, s, id, { status: 'awaiting-score', automatedOutcome: null, finalOutcome: null, decidedBy: null, revision: 0, pending: null })
  })

  t.test('referred, then proposed, then approved on review', async (t) => {
    const { id } = await decidedApplication(s, 'extension', POOR, { uscc: uscc(302) })
    await agree(t, s, id, { status: 'referred', automatedOutcome: 'REFERRED', finalOutcome: null, decidedBy: null, revision: 0, pending: null })
    const proposed = expectStatus(t, await s.app.inject({ method: 'POST', url: `/applications/${id}/proposals`, headers: await as('officer', 'li'), payload: { outcome: 'APPROVED', reason: 'viable once the shop reopens' } }), 201, 'li proposes')
    await agree(t, s, id, { status: 'referred', automatedOutcome: 'REFERRED', finalOutcome: null, decidedBy: null, revision: 0, pending: 'APPROVED' }, [proposed.application])
    const confirmed = expectStatus(t, await s.app.inject({ method: 'POST', url: `/applications/${id}/proposals/${proposed.proposal.id}/confirm`, headers: await as('supervisor', 'wang') }), 200, 'wang confirms')
    const view = await agree(t, s, id, { status: 'approved', automatedOutcome: 'REFERRED', finalOutcome: 'APPROVED', decidedBy: 'review', revision: 1, pending: null }, [confirmed.application])
    t.match(view.finalDecision, { review: { proposalId: proposed.proposal.id, overturned: null }, reasons: [{ code: 'RV_APPROVED_ON_REVIEW' }], terms: { kind: 'extension', newMaturity: '2020-12-31' } })
  })

  t.test('referred, then declined on review', async (t) => {
    const { id } = await decidedApplication(s, 'extension', POOR, { uscc: uscc(303) })
    const proposed = expectStatus(t, await s.app.inject({ method: 'POST', url: `/applications/${id}/proposals`, headers: await as('officer', 'li'), payload: { outcome: 'DECLINED', reason: 'the firm has closed' } }), 201, 'li proposes')
    const confirmed = expectStatus(t, await s.app.inject({ method: 'POST', url: `/applications/${id}/proposals/${proposed.proposal.id}/confirm`, headers: await as('supervisor', 'wang') }), 200, 'wang confirms')
    await agree(t, s, id, { status: 'declined', automatedOutcome: 'REFERRED', finalOutcome: 'DECLINED', decidedBy: 'review', revision: 1, pending: null }, [confirmed.application])
  })

  t.test('approved by the rules, then overturned on review', async (t) => {
    const { id } = await decidedApplication(s, 'extension', GOOD, { uscc: uscc(304) })
    await agree(t, s, id, { status: 'approved', automatedOutcome: 'APPROVED', finalOutcome: 'APPROVED', decidedBy: 'rules', revision: 1, pending: null })
    const proposed = expectStatus(t, await s.app.inject({ method: 'POST', url: `/applications/${id}/proposals`, headers: await as('officer', 'li'), payload: { outcome: 'DECLINED', reason: 'premises sold' } }), 201, 'li proposes an overturn')
    await agree(t, s, id, { status: 'approved', automatedOutcome: 'APPROVED', finalOutcome: 'APPROVED', decidedBy: 'rules', revision: 1, pending: 'DECLINED' }, [proposed.application])
    const confirmed = expectStatus(t, await s.app.inject({ method: 'POST', url: `/applications/${id}/proposals/${proposed.proposal.id}/confirm`, headers: await as('supervisor', 'wang') }), 200, 'wang confirms')
    const view = await agree(t, s, id, { status: 'declined', automatedOutcome: 'APPROVED', finalOutcome: 'DECLINED', decidedBy: 'review', revision: 2, pending: null }, [confirmed.application])
    t.match(view.finalDecision, { review: { proposalId: proposed.proposal.id, overturned: 'APPROVED' }, reasons: [{ code: 'RV_OVERTURNED' }, { code: 'RV_DECLINED_ON_REVIEW' }] })
    t.not(view.automatedDecision.terms, null, 'the rules’ decision still shows the terms they computed, as the rules’ decision')
  })

  t.test('referred with a proposal, the proposal rejected, then withdrawn; the loan free again', async (t) => {
    const body = applicationBody('extension', { uscc: uscc(307) })
    const { id } = await decidedApplication(s, 'extension', POOR, { uscc: uscc(307) })
    const proposed = expectStatus(t, await s.app.inject({ method: 'POST', url: `/applications/${id}/proposals`, headers: await as('officer', 'li'), payload: { outcome: 'APPROVED', reason: 'viable' } }), 201, 'li proposes')
    const rejected = expectStatus(t, await s.app.inject({ method: 'POST', url: `/applications/${id}/proposals/${proposed.proposal.id}/reject`, headers: await as('supervisor', 'wang'), payload: { reason: 'the collateral is not sound' } }), 200, 'wang rejects')
    t.match(rejected.proposal, { status: 'rejected', rejectedBy: 'wang', rejectionReason: 'the collateral is not sound' })
    await agree(t, s, id, { status: 'referred', automatedOutcome: 'REFERRED', finalOutcome: null, decidedBy: null, revision: 0, pending: null }, [rejected.application])
    const again = expectStatus(t, await s.app.inject({ method: 'POST', url: `/applications/${id}/proposals`, headers: await as('officer', 'li'), payload: { outcome: 'DECLINED', reason: 'on reflection' } }), 201, 'li proposes again')
    const withdrawn = expectStatus(t, await s.app.inject({ method: 'POST', url: `/applications/${id}/withdraw`, headers: await authHeader('core-banking', { branches: ['B1'] }), payload: { reason: 'the borrower repaid the loan' } }), 200, 'core banking withdraws it')
    await agree(t, s, id, { status: 'withdrawn', automatedOutcome: 'REFERRED', finalOutcome: null, decidedBy: null, revision: 0, pending: null }, [withdrawn.application])
    const view = expectStatus(t, await s.app.inject({ method: 'GET', url: `/applications/${id}`, headers: await authHeader('risk') }), 200)
    t.equal(view.proposals.find((p: { id: string }) => p.id === again.proposal.id).status, 'superseded', 'the pending proposal is closed')
    const final = expectStatus(t, await s.app.inject({ method: 'POST', url: `/applications/${id}/withdraw`, headers: await authHeader('core-banking', { branches: ['B1'] }), payload: { reason: 'again' } }), 409, 'withdrawn twice')
    t.equal(final.reason, 'LC_WITHDRAWN', 'refused: already withdrawn')
    const loanAgain = await s.app.inject({ method: 'POST', url: '/applications', headers: { ...(await authHeader('core-banking', { branches: ['B1'] })), 'idempotency-key': newKey() }, payload: { ...body, loan: { ...body.loan, loanId: view.loanId } } })
    expectStatus(t, loanAgain, 202, 'a new application for the same loan is accepted')
  })

  t.test('declined by the rules', async (t) => {
    const { id } = await decidedApplication(s, 'extension-beyond-cap', GOOD, { uscc: uscc(305) })
    await agree(t, s, id, { status: 'declined', automatedOutcome: 'DECLINED', finalOutcome: 'DECLINED', decidedBy: 'rules', revision: 1, pending: null })
  })

  t.test('a mandatory grant', async (t) => {
    const { id } = await decidedApplication(s, 'mandatory-deferral', POOR, { uscc: uscc(306) })
    const view = await agree(t, s, id, { status: 'approved', automatedOutcome: 'APPROVED', finalOutcome: 'APPROVED', decidedBy: 'rules', revision: 1, pending: null })
    t.equal(view.finalDecision.mandatory, true)
  })
})
