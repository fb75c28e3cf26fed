import { sql } from '@sme/data'
import { parseDate } from '@sme/domain'
import t from 'tap'
import type { BankParametersJson } from '../src/policy-records.js'
import type { ReliefDb } from '../src/store/tables.js'
import { activatePolicyVersion, addPolicyVersion, PolicyCache } from '../src/use-cases/policies.js'
import { applicationBody, expectProblem, expectStatus, newKey, reliefUnderTest, uscc } from './helpers.js'

const DAY = new Date('2020-06-15T02:00:00Z')

t.test('intake on PostgreSQL', async (t) => {
  let clock = DAY
  const s = await reliefUnderTest(t, { now: () => clock, startMessaging: false })
  const core = await s.auth('core-banking', { sub: 'core-fz', branches: ['*'] })
  const submit = (body: unknown, key = newKey()) => s.app.inject({ method: 'POST', url: '/applications', headers: { ...core, 'idempotency-key': key }, payload: body as object })
  const applications = (loanId: string) => s.db.selectFrom('applications').selectAll().where('loan_id', '=', loanId).execute()
  const auditEntries = (loanId: string) => s.db.selectFrom('audit_log').selectAll().where(sql<boolean>`details->>'loanId' = ${loanId}`).execute()

  t.test('the application, its audit entry and its scoring request are written together', async (t) => {
    const body = applicationBody('extension', { uscc: uscc(7001) })
    const accepted = expectStatus(t, await submit(body), 202, 'submitted')
    const [application] = await applications(body.loan.loanId)
    t.equal(application?.id, accepted.id)
    const audit = await auditEntries(body.loan.loanId)
    t.equal(audit.length, 1, 'one audit entry')
    t.match(audit[0], { action: 'application.submitted', actor: 'core-fz', application_id: accepted.id, details: { branchId: body.branchId, relief: 'extension', applicationDate: '2020-06-15' } })
    t.equal(audit[0]!.at.toISOString(), DAY.toISOString(), 'at the time of receipt')
    const requests = await s.db.selectFrom('outbox').select(['message_key', 'payload']).where(sql<boolean>`payload->>'correlationId' = ${accepted.id}`).execute()
    t.equal(requests.length, 1, 'one ScoringRequested event')
    t.match(requests[0], { message_key: body.enterprise.uscc, payload: { uscc: body.enterprise.uscc, asOf: '2020-06-15', requestedBy: 'relief' } })
  })

  t.test('twenty submissions for one loan at once, each under its own key: one application', async (t) => {
    const body = applicationBody('renewal', { uscc: uscc(7002) })
    const answers = await Promise.all(Array.from({ length: 20 }, () => submit(body)))
    const accepted = answers.filter((a) => a.statusCode === 202)
    t.equal(accepted.length, 1, 'one accepted')
    const id = accepted[0]!.json().id
    for (const refused of answers.filter((a) => a.statusCode !== 202)) {
      const problem = expectProblem(t, refused, 409, { code: 'conflict', what: 'a second application for the loan' })
      t.equal(problem?.applicationId, id, 'the refusal names the undecided application')
    }
    t.equal((await applications(body.loan.loanId)).length, 1, 'one application stored')
    t.equal((await auditEntries(body.loan.loanId)).length, 1, 'one audit entry')
    const requests = await s.db.selectFrom('outbox').select('event_id').where(sql<boolean>`payload->>'uscc' = ${body.enterprise.uscc}`).execute()
    t.equal(requests.length, 1, 'one scoring request')
  })

  t.test('thirty retries of one request at once, one key: one application, every answer the same', async (t) => {
    const body = applicationBody('extension', { uscc: uscc(7010) })
    const key = newKey('retry')
    const answers = await Promise.all(Array.from({ length: 30 }, () => submit(body, key)))
    t.same([...new Set(answers.map((a) => a.statusCode))], [202], 'all accepted')
    t.equal(new Set(answers.map((a) => a.body)).size, 1, 'byte-identical answers')
    t.equal(answers.filter((a) => a.headers['idempotent-replayed'] === undefined).length, 1, 'one original, the rest replays')
    t.equal(new Set(answers.map((a) => a.headers.location)).size, 1, 'one location')
    t.equal((await applications(body.loan.loanId)).length, 1, 'one application')
    t.equal((await auditEntries(body.loan.loanId)).length, 1, 'one audit entry')
    const requests = await s.db.selectFrom('outbox').select('event_id').where(sql<boolean>`payload->>'uscc' = ${body.enterprise.uscc}`).execute()
    t.equal(requests.length, 1, 'one scoring request')

    // Later, after the application has moved on, the retry still answers what the first call did.
    await s.db.updateTable('applications').set({ status: 'referred' }).where('loan_id', '=', body.loan.loanId).execute()
    const late = await submit(body, key)
    t.equal(late.statusCode, 202)
    t.equal(late.body, answers[0]!.body, 'the answer at acceptance')
    t.equal(late.headers['idempotent-replayed'], 'true')
  })

  t.test('a retry on a day the request would be refused still gets the first answer', async (t) => {
    const body = applicationBody('extension', { uscc: uscc(7040) })
    const key = newKey('late-retry')
    const first = await submit(body, key)
    expectStatus(t, first, 202, 'accepted on 2020-06-15')
    clock = new Date('2010-01-04T02:00:00Z') // no policy in force: a new request that day is refused
    try {
      expectProblem(t, await submit(applicationBody('extension', { uscc: uscc(7041) })), 422, { code: 'unprocessable', what: 'a new request on a day without policy' })
      const retry = await submit(body, key)
      t.equal(retry.statusCode, 202, 'the retry is answered, not judged again')
      t.equal(retry.body, first.body)
      t.equal(retry.headers['idempotent-replayed'], 'true')
      expectProblem(t, await submit(applicationBody('extension', { uscc: uscc(7042) }), key), 422, { code: 'idempotency_key_reused', what: 'the key with another request, that day' })
    } finally {
      clock = DAY
    }
  })

  t.test('one key, another request: 422, nothing written; the key belongs to its submitter', async (t) => {
    const key = newKey('reuse')
    const first = applicationBody('extension', { uscc: uscc(7011) })
    expectStatus(t, await submit(first, key), 202, 'first use')
    const other = applicationBody('extension', { uscc: uscc(7012) })
    expectProblem(t, await submit(other, key), 422, { code: 'idempotency_key_reused', what: 'the key with another body' })
    t.equal((await applications(other.loan.loanId)).length, 0, 'nothing stored for it')
    const elsewhere = await s.auth('core-banking', { sub: 'core-other', branches: ['*'] })
    const theirs = await s.app.inject({ method: 'POST', url: '/applications', headers: { ...elsewhere, 'idempotency-key': key }, payload: other })
    expectStatus(t, theirs, 202, 'the same key from another submitter is theirs')
  })

  t.test('the audit log is append-only in the database: updates, deletes and truncation are refused', async (t) => {
    const body = applicationBody('extension', { uscc: uscc(7020) })
    expectStatus(t, await submit(body), 202, 'submitted')
    const before = await auditEntries(body.loan.loanId)
    t.equal(before.length, 1)
    const refused = async (what: string, statement: Promise<unknown>) => {
      const err = await statement.then(() => undefined, (e: unknown) => e as { code?: string; message?: string })
      t.equal(err?.code, '42501', `${what}: refused (${err?.message ?? 'it was not'})`)
    }
    await refused('update', s.db.updateTable('audit_log').set({ actor: 'someone else' }).where('seq', '=', before[0]!.seq).execute())
    await refused('delete', s.db.deleteFrom('audit_log').where('seq', '=', before[0]!.seq).execute())
    await refused('truncate', sql`truncate ${sql.table(`${s.context.schema}.audit_log`)}`.execute(s.db))
    t.same(await auditEntries(body.loan.loanId), before, 'the entry is as written')
  })

  t.test('the answer deadline follows the bank parameters in force; an activation here is seen at once', async (t) => {
    const before = expectStatus(t, await submit(applicationBody('extension', { uscc: uscc(7003) })), 202, 'under bank-parameters@1')
    t.equal(before.answerBy, '2020-06-25', '10 days')
    const author = await s.auth('admin', { sub: 'policy-author' })
    const admin = await s.auth('admin', { sub: 'policy-checker' })
    const v1 = await storedBankParameters(s.db)
    expectStatus(t, await s.app.inject({ method: 'POST', url: '/policies', headers: author, payload: { status: 'draft', policy: { ...v1, version: 2, answerDeadlineDays: 5 } } }), 201, 'a draft with 5 days')
    const whileDraft = expectStatus(t, await submit(applicationBody('extension', { uscc: uscc(7004) })), 202, 'while it is a draft')
    t.equal(whileDraft.answerBy, '2020-06-25', 'drafts do not apply')
    expectProblem(t, await s.app.inject({ method: 'POST', url: '/policies/bank-parameters/versions/2/activate', headers: author }), 403, { code: 'forbidden', what: 'its author may not activate it' })
    const unchanged = expectStatus(t, await submit(applicationBody('extension', { uscc: uscc(7006) })), 202, 'after the refused activation')
    t.equal(unchanged.answerBy, '2020-06-25', 'still 10 days')
    expectStatus(t, await s.app.inject({ method: 'POST', url: '/policies/bank-parameters/versions/2/activate', headers: admin }), 200, 'activated by another admin')
    const after = expectStatus(t, await submit(applicationBody('extension', { uscc: uscc(7005) })), 202, 'right after')
    t.equal(after.answerBy, '2020-06-20', '5 days, at once')
  })

  t.test('the scoring request names the crisis of the bank parameters in force, or leaves it to scoring', async (t) => {
    const requestOf = async (id: string) =>
      (await s.db.selectFrom('outbox').select('payload').where(sql<boolean>`payload->>'correlationId' = ${id}`).executeTakeFirstOrThrow()).payload as Record<string, unknown>
    const before = expectStatus(t, await submit(applicationBody('extension', { uscc: uscc(7030) })), 202, 'under a version that names no crisis')
    t.notOk('crisisStart' in (await requestOf(before.id)), 'no crisis named: the scoring service default')
    const v1 = await storedBankParameters(s.db)
    await s.db.transaction().execute(async (tx) => {
      await addPolicyVersion(tx, { ...v1, version: 20, crisisStart: '2020-02-01' }, 'author', DAY)
      await activatePolicyVersion(tx, 'bank-parameters', 20, 'checker', DAY)
    })
    // Activated elsewhere (not through this instance's route): intake trusts its stamp for a second.
    await new Promise((r) => setTimeout(r, 1_100))
    const after = expectStatus(t, await submit(applicationBody('extension', { uscc: uscc(7031) })), 202, 'under bank-parameters@20')
    t.equal((await requestOf(after.id)).crisisStart, '2020-02-01', 'the crisis of the version in force')
  })
})

t.test('PolicyCache: decisions read the registry every time; intake trusts a stamp younger than recentMs', async (t) => {
  const s = await reliefUnderTest(t, { now: () => DAY, startMessaging: false })
  let ms = 0
  const cache = new PolicyCache({ recentMs: 1_000, clock: () => ms })
  const days = async (read: 'asOf' | 'asOfRecent') => (await cache[read](s.db, parseDate('2020-06-15'))).bank.answerDeadlineDays
  t.equal(await days('asOfRecent'), 10)

  // Another instance activates a version: nothing tells this one.
  const v1 = await storedBankParameters(s.db)
  await s.db.transaction().execute(async (tx) => {
    await addPolicyVersion(tx, { ...v1, version: 2, answerDeadlineDays: 7 }, 'author-elsewhere', DAY)
    await activatePolicyVersion(tx, 'bank-parameters', 2, 'admin-elsewhere', DAY)
  })
  ms = 999
  t.equal(await days('asOfRecent'), 10, 'within recentMs the stamp read at 0 ms is trusted')
  ms = 1_500
  t.equal(await days('asOfRecent'), 7, 'past recentMs the registry is read again')

  const version = async (n: number, answerDeadlineDays: number) =>
    s.db.transaction().execute(async (tx) => {
      await addPolicyVersion(tx, { ...v1, version: n, answerDeadlineDays }, 'author-elsewhere', DAY)
      await activatePolicyVersion(tx, 'bank-parameters', n, 'admin-elsewhere', DAY)
    })
  await version(3, 3)
  ms = 1_600
  t.equal(await days('asOfRecent'), 7, 'trusted again for recentMs')
  t.equal(await days('asOf'), 3, 'a decision reads the registry every time')
  await version(4, 4)
  ms = 1_700
  t.equal(await days('asOfRecent'), 3, 'trusted')
  cache.invalidate()
  t.equal(await days('asOfRecent'), 4, 'invalidate(): read at once')
})

t.test('PolicyCache: requests that find the stamp old together share one read; invalidate() is not undone by a read in flight', async (t) => {
  const s = await reliefUnderTest(t, { now: () => DAY, startMessaging: false })
  let ms = 0
  const cache = new PolicyCache({ recentMs: 1_000, clock: () => ms })
  let reads = 0
  // Counts the registry reads (the stamp, and the versions when it moved).
  const db = new Proxy(s.db, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown
      if (prop === 'selectFrom') return (...args: unknown[]) => ((reads += 1), (value as (...a: unknown[]) => unknown).apply(target, args))
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  const days = async () => (await cache.asOfRecent(db, parseDate('2020-06-15'))).bank.answerDeadlineDays
  t.equal(await days(), 10)
  ms = 2_000
  reads = 0
  t.same(await Promise.all(Array.from({ length: 20 }, days)), Array(20).fill(10))
  t.equal(reads, 1, 'twenty requests, one stamp read')

  ms = 4_000
  const inFlight = days() // a read of the registry as it is now
  const v1 = await storedBankParameters(s.db)
  await s.db.transaction().execute(async (tx) => {
    await addPolicyVersion(tx, { ...v1, version: 30, answerDeadlineDays: 6 }, 'author', DAY)
    await activatePolicyVersion(tx, 'bank-parameters', 30, 'checker', DAY)
  })
  cache.invalidate()
  t.equal(await days(), 6, 'after invalidate(): the registry as it is now, not the read in flight')
  t.ok([10, 6].includes(await inFlight), 'the earlier read answers its own caller')
  t.equal(await days(), 6, 'and what is trusted from then on is the new version')
})

/** The stored first version of the bank's parameters, in its JSON form. */
async function storedBankParameters(db: ReliefDb): Promise<BankParametersJson> {
  const { definition } = await db.selectFrom('policy_versions').select('definition').where('record_id', '=', 'bank-parameters').where('version', '=', 1).executeTakeFirstOrThrow()
  if (definition.kind !== 'bank-parameters') throw new Error(`bank-parameters@1 is a ${definition.kind} record`)
  return definition
}
