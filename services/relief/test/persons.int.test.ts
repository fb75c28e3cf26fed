// Natural-person borrowers through the service on PostgreSQL: a person's application is decided at
// intake (the platform scores enterprises, so nothing is asked of scoring), published on
// relief.decisions.v2 only (v1 requires a USCC), found by its pseudonym; an identity number in place
// of the pseudonym, or a body naming both borrowers or neither, is refused with nothing written.
import { sql } from '@sme/data'
import { ReliefDecided, ReliefDecidedV2, ScoringRequested } from '@sme/contracts'
import t from 'tap'
import { Compile } from 'typebox/compile'
import type { ApplicationInput } from '../src/schemas.js'
import { applicationBody, expectProblem, expectStatus, GOOD, newKey, newLoanId, reliefUnderTest, sendScore, uscc } from './helpers.js'
import { eventually } from '@sme/testing'

const DAY = new Date('2020-06-15T02:00:00Z')
const IDENTITY_NUMBER = '11010519491231002X'

/** The helpers' loan, borrowed by a natural person of `role` known by `borrowerId`. */
function personBody(kind: Parameters<typeof applicationBody>[0], person: Partial<NonNullable<ApplicationInput['person']>> = {}, loanId = newLoanId('P')): ApplicationInput {
  const { enterprise: _enterprise, ...rest } = applicationBody(kind, { loanId })
  return { ...rest, person: { borrowerId: `CB-P-${loanId}`, role: 'individual-business', regionCode: '350100', businessLoan: true, ...person } }
}

t.test('natural-person borrowers on PostgreSQL', async (t) => {
  const s = await reliefUnderTest(t, { now: () => DAY, startMessaging: false })
  const core = await s.auth('core-banking', { sub: 'core-fz', branches: ['*'] })
  const officer = await s.auth('officer', { branches: ['B1'] })
  const submit = (body: unknown, key = newKey('person')) => s.app.inject({ method: 'POST', url: '/applications', headers: { ...core, 'idempotency-key': key }, payload: body as object })
  const rowsOfLoan = (loanId: string) => s.db.selectFrom('applications').selectAll().where('loan_id', '=', loanId).execute()
  const eventsOf = (id: string) =>
    s.db.selectFrom('outbox').select(['event_type', 'message_key', 'payload']).where(sql<boolean>`payload->>'applicationId' = ${id} or payload->>'correlationId' = ${id}`).orderBy('seq').execute()

  t.test('an individual business’s 122号 deferral: decided at intake, a mandatory grant, published on v2 only', async (t) => {
    const body = personBody('mandatory-deferral')
    const accepted = expectStatus(t, await submit(body), 202, 'accepted')
    t.equal(accepted.status, 'approved', 'the answer carries the status the rules left')
    const [row] = await rowsOfLoan(body.loan.loanId)
    t.match(row, { uscc: null, borrower_id: body.person!.borrowerId, status: 'approved', scoring_status: 'not-requested', final_outcome: 'APPROVED', decided_by: 'rules' })
    const decision = await s.db.selectFrom('decisions').selectAll().where('application_id', '=', accepted.id).executeTakeFirstOrThrow()
    t.match(decision, { trigger: 'intake', outcome: 'APPROVED', mandatory: true, scoring: { available: false, reason: 'not-scored' } })
    const events = await eventsOf(accepted.id)
    t.same(events.map((e) => e.event_type), [ReliefDecidedV2.type], 'no scoring request, no v1 event: one v2 decision')
    t.match(events[0], { message_key: body.loan.loanId, payload: { borrower: { kind: 'person', borrowerId: body.person!.borrowerId, role: 'individual-business' }, outcome: 'APPROVED', mandatory: true } })
    t.ok(Compile(ReliefDecidedV2.schema).Check(events[0]!.payload), 'the payload meets the v2 schema')

    const view = expectStatus(t, await s.app.inject({ method: 'GET', url: `/applications/${accepted.id}`, headers: officer }), 200, 'read by the branch’s officer')
    t.match(view, { uscc: null, enterpriseName: null, borrower: { kind: 'person', borrowerId: body.person!.borrowerId, role: 'individual-business' }, scoringStatus: 'not-requested' })
    t.match(view.automatedDecision, { borrowerKind: 'person', personRole: 'individual-business', size: 'not-applicable', trigger: 'intake' })
    t.match(view.finalDecision, { borrower: { kind: 'person' }, outcome: 'APPROVED' })
    const listed = expectStatus(t, await s.app.inject({ method: 'GET', url: `/applications?borrowerId=${body.person!.borrowerId}`, headers: officer }), 200, 'listed by pseudonym')
    t.same(listed.applications.map((a: { id: string }) => a.id), [accepted.id])
    const feed = async (url: string) => (expectStatus(t, await s.app.inject({ method: 'GET', url: `${url}?limit=500`, headers: core }), 200, url).events as { data: { applicationId: string } }[]).map((e) => e.data.applicationId)
    t.ok((await feed('/decisions/feed/v2')).includes(accepted.id), 'on the v2 feed')
    t.notOk((await feed('/decisions/feed')).includes(accepted.id), 'not on the v1 feed, which requires a USCC')
  })

  t.test('a farmer’s deferral: the 2020 notices do not name farmers, so it is declined at once', async (t) => {
    const body = personBody('mandatory-deferral', { role: 'farmer' })
    const accepted = expectStatus(t, await submit(body), 202, 'accepted')
    t.equal(accepted.status, 'declined')
    const [event] = await eventsOf(accepted.id)
    t.match(event?.payload, { outcome: 'DECLINED', reasons: [{ code: 'RL_PERSON_NOT_COVERED' }] })
  })

  t.test('an extension for a person: referred to an officer (not scored), nothing published yet', async (t) => {
    const body = personBody('extension', { role: 'truck-driver' })
    const accepted = expectStatus(t, await submit(body), 202, 'accepted')
    t.equal(accepted.status, 'referred')
    t.same(await eventsOf(accepted.id), [], 'a referral is the bank’s internal work until an officer decides')
    const queue = expectStatus(t, await s.app.inject({ method: 'GET', url: '/review-queue', headers: officer }), 200, 'the review queue')
    t.ok(queue.applications.some((a: { id: string }) => a.id === accepted.id), 'in the branch’s review queue')
  })

  t.test('thirty retries under one key at once: one application, one decision, the same answer', async (t) => {
    const body = personBody('mandatory-deferral')
    const key = newKey('person-retry')
    const answers = await Promise.all(Array.from({ length: 30 }, () => submit(body, key)))
    t.same([...new Set(answers.map((a) => a.statusCode))], [202])
    t.equal(new Set(answers.map((a) => a.body)).size, 1, 'byte-identical answers')
    t.equal(answers.filter((a) => a.headers['idempotent-replayed'] === undefined).length, 1, 'one original')
    const rows = await rowsOfLoan(body.loan.loanId)
    t.equal(rows.length, 1, 'one application')
    t.equal((await eventsOf(rows[0]!.id)).length, 1, 'one decision event')
  })

  t.test('refused with the field named and nothing written', async (t) => {
    const cases: [string, ApplicationInput, string][] = [
      ['an identity number as the pseudonym', personBody('extension', { borrowerId: IDENTITY_NUMBER }), '/body/person/borrowerId'],
      ['an identity number inside the pseudonym', personBody('extension', { borrowerId: `CB:${IDENTITY_NUMBER}` }), '/body/person/borrowerId'],
      ['both an enterprise and a person', { ...personBody('extension'), enterprise: applicationBody('extension').enterprise }, '/body/person'],
      ['neither', (({ person: _p, ...rest }) => rest)(personBody('extension')), '/body/enterprise'],
    ]
    for (const [name, body, field] of cases) {
      const res = await submit(body)
      const problem = expectProblem(t, res, 422, { code: 'unprocessable', what: name })
      t.ok(problem?.errors?.some((e: { field: string }) => e.field === field), `${name}: names ${field}`)
      t.notOk(res.body.includes(IDENTITY_NUMBER), `${name}: the answer does not repeat the number`)
      t.same(await rowsOfLoan(body.loan.loanId), [], `${name}: nothing stored`)
    }
    const unknownRole = await submit(personBody('extension', { role: 'landlord' as never }))
    expectProblem(t, unknownRole, 400, { what: 'an unknown role' })
  })
})

t.test('an enterprise’s final decision goes out on v1 and on v2, same application and revision', async (t) => {
  const s = await reliefUnderTest(t, { now: () => DAY })
  const core = await s.auth('core-banking', { sub: 'core-fz', branches: ['*'] })
  const submit = (body: unknown) => s.app.inject({ method: 'POST', url: '/applications', headers: { ...core, 'idempotency-key': newKey('ent') }, payload: body as object })
  const eventsOf = (id: string) =>
    s.db.selectFrom('outbox').select(['event_type', 'message_key', 'payload']).where(sql<boolean>`payload->>'applicationId' = ${id} or payload->>'correlationId' = ${id}`).orderBy('seq').execute()
  const body = applicationBody('mandatory-deferral', { uscc: uscc(8801) })
  const accepted = expectStatus(t, await submit(body), 202, 'accepted')
  t.equal(accepted.status, 'awaiting-score')
  await sendScore(s.transport, accepted.id, body.enterprise.uscc, GOOD)
  const events = await eventually(
    'decided',
    async () => {
      const all = await eventsOf(accepted.id)
      return all.length === 3 ? all : undefined
    },
    10_000,
    20,
  )
  t.same(events.map((e) => e.event_type), [ScoringRequested.type, ReliefDecided.type, ReliefDecidedV2.type])
  const [, v1, v2] = events
  t.match(v1, { message_key: body.enterprise.uscc, payload: { uscc: body.enterprise.uscc, revision: 1 } })
  t.match(v2, { message_key: body.loan.loanId, payload: { borrower: { kind: 'enterprise', uscc: body.enterprise.uscc }, revision: 1 } })
  const { uscc: _u, ...v1Rest } = v1!.payload as Record<string, unknown>
  const { borrower: _b, ...v2Rest } = v2!.payload as Record<string, unknown>
  t.same(v1Rest, v2Rest, 'the same decision in both')
})
