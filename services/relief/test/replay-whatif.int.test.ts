// Replay identity and what-if runs over a set of generated stored applications, on the
// real PostgreSQL. The applications go in through the use cases (intake, then the scoring answer),
// many per transaction, exactly as the routes and the consumer store them.
import { randomUUID } from 'node:crypto'
import t from 'tap'
import { addDays, makeUscc, type CalendarDate } from '@sme/domain'
import { PERSON_ROLES } from '@sme/contracts/vocabulary'
import type { ApplicationInput } from '../src/schemas.js'
import { applicationById } from '../src/store/applications.js'
import { replayApplication } from '../src/use-cases/analysis.js'
import { applyScoringAnswer, type ReliefDeps } from '../src/use-cases/decision.js'
import { submitApplication } from '../src/use-cases/intake.js'
import { PolicyCache } from '../src/use-cases/policies.js'
import { applicationBody, expectProblem, expectStatus, newKey, reliefUnderTest, scoreData, sendScore, uscc, type Signal } from './helpers.js'
import { eventually } from '@sme/testing'
import { applicationStatements } from '../src/store/applications.js'

const COUNT = 1_200

/** A small deterministic PRNG (mulberry32): the same applications on every run. */
function prng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]! }
}

// Application dates across every programme and rule set: none yet (2019), the 2020-03 and 2020-06
// deferrals (overlapping in June), the extended 2020-06 programme (2021), 2022-Q4, renewal v2 (2024).
const DATES = ['2019-08-01', '2020-03-10', '2020-06-15', '2020-09-01', '2021-05-10', '2022-11-20', '2024-11-01'] as const
const SIZES = [
  { employees: 5, revenueFen: '50000000' }, // micro retail
  { employees: 20, revenueFen: '300000000' }, // small
  { employees: 100, revenueFen: '1000000000' }, // medium
] as const

interface Generated {
  date: CalendarDate
  /** An enterprise's application, or one time in ten a natural person's (decided at intake). */
  input: ApplicationInput
  answer: Signal | 'failed'
}

function generate(n: number): Generated[] {
  const r = prng(20200615)
  const out: Generated[] = []
  for (let i = 0; i < n; i++) {
    const date = DATES[i % DATES.length] as CalendarDate
    const maturity = addDays(date, r.int(5, 200))
    const kind = r.pick(['deferral', 'deferral', 'extension', 'renewal'] as const)
    const request: ApplicationInput['request'] =
      kind === 'deferral'
        ? { kind: 'deferral', principal: true, interest: false, deferTo: addDays(maturity, r.int(30, 300)) }
        : kind === 'extension'
          ? { kind: 'extension', newMaturity: addDays(maturity, r.int(30, 300)) }
          : { kind: 'renewal', withoutPrincipalRepayment: r.next() < 0.8, newMaturity: addDays(maturity, 365), standing: { lawfulAndStable: r.next() < 0.9, fundsDiverted: r.next() < 0.05, interestUnpaid: r.next() < 0.05, debtEvasion: false } }
    const score = r.int(520, 760)
    const answer: Signal | 'failed' =
      r.next() < 0.05
        ? 'failed'
        : {
            score,
            grade: score >= 700 ? 'A' : score >= 650 ? 'BBB' : score >= 590 ? 'B' : score >= 560 ? 'CCC' : 'D',
            pdPpm: Math.max(5_000, 200_000 - (score - 500) * 700),
            hardship: r.pick(['temporary-shock', 'temporary-shock', 'none', 'structural-decline', 'insufficient-data'] as const),
          }
    const input = applicationBody('extension', { branchId: r.pick(['B1', 'B2', 'B3']), uscc: makeUscc(`91${r.pick(['350100', '420100', '310000'])}${String(i).padStart(8, '0')}`), loanId: `GEN-${i}` })
    const borrower =
      r.next() < 0.1
        ? { person: { borrowerId: `CB-GEN-${String(i).padStart(6, '0')}`, role: r.pick(PERSON_ROLES), regionCode: input.enterprise.uscc.slice(2, 8), businessLoan: r.next() < 0.8 } }
        : { enterprise: { ...input.enterprise, ...r.pick(SIZES), regionCode: input.enterprise.uscc.slice(2, 8) } }
    const { enterprise: _enterprise, ...withoutBorrower } = input
    out.push({
      date,
      answer,
      input: {
        ...withoutBorrower,
        ...borrower,
        initiatedBy: r.next() < 0.9 ? 'borrower' : 'bank',
        loan: {
          ...input.loan,
          startDate: addDays(date, -r.int(200, 700)),
          maturityDate: maturity,
          product: r.next() < 0.8 ? 'working-capital' : 'fixed-asset',
          guarantee: { kind: r.pick(['none', 'guarantee', 'collateral'] as const), guarantorConsent: r.next() < 0.85 },
          // At least the loan's own 300万 outstanding: the total credit includes it.
          totalCreditFen: String(r.int(300, 1_500) * 1_000_000),
          previousExtensionDays: r.next() < 0.8 ? 0 : r.int(1, 60),
        },
        request,
        hardship: { declared: r.next() < 0.9, text: '疫情影响' },
        commitments: { keepJobs: r.next() < 0.9, keepGuarantee: r.next() < 0.9 },
      },
    })
  }
  return out
}

t.test('replay identity and what-if over generated stored applications', async (t) => {
  let clock = new Date('2020-06-15T02:00:00Z')
  const s = await reliefUnderTest(t, { now: () => clock })
  const risk = await s.auth('risk')
  const admin = await s.auth('admin')

  // ----- 1,200 applications, stored and decided through the use cases, four transactions at a time.
  const started = Date.now()
  const generated = generate(COUNT)
  const policies = new PolicyCache()
  const depsAt = (date: string): ReliefDeps => ({ outbox: s.context.outbox, policies, now: () => new Date(`${date}T02:00:00Z`), statements: applicationStatements(s.context.schema) })
  const batches: Generated[][] = []
  for (let i = 0; i < generated.length; i += 100) batches.push(generated.slice(i, i + 100))
  for (let i = 0; i < batches.length; i += 4) {
    await Promise.all(
      batches.slice(i, i + 4).map((batch) =>
        s.db.transaction().execute(async (tx) => {
          for (const g of batch) {
            const deps = depsAt(g.date)
            const { row } = await submitApplication(tx, deps, { input: g.input, submittedBy: 'generator', idempotency: { key: g.input.loan.loanId, fingerprint: 'generated' } })
            // A person is not scored: the rules decided at intake.
            if (g.input.enterprise === undefined) continue
            const data = scoreData(row.id, g.input.enterprise.uscc, g.answer === 'failed' ? { score: 0, grade: 'D', pdPpm: 0, hardship: 'none' } : g.answer, g.date)
            await applyScoringAnswer(
              tx,
              deps,
              g.answer === 'failed'
                ? { kind: 'failed', eventId: randomUUID(), eventType: 'sme.scoring.failed.v1', data: { correlationId: row.id, uscc: g.input.enterprise.uscc, code: 'no-model', detail: 'generated' } }
                : { kind: 'completed', eventId: randomUUID(), eventType: 'sme.scoring.completed.v1', data },
            )
          }
        }),
      ),
    )
  }
  const rows = await s.db.selectFrom('decisions').select(['application_id', 'outcome']).execute()
  t.equal(rows.length, COUNT, `${COUNT} applications stored and decided in ${Date.now() - started} ms`)
  const stored = { APPROVED: 0, DECLINED: 0, REFERRED: 0 } as Record<string, number>
  for (const r of rows) stored[r.outcome]!++
  t.ok(stored.APPROVED! > 50 && stored.DECLINED! > 50 && stored.REFERRED! > 50, `every outcome occurs (${JSON.stringify(stored)})`)
  const mandatory = await s.db.selectFrom('decisions').select((eb) => eb.fn.countAll<string>().as('n')).where('mandatory', '=', true).executeTakeFirstOrThrow()
  t.ok(Number(mandatory.n) > 0, `mandatory grants among them (${mandatory.n})`)

  t.test('every stored decision replays identically under its recorded versions', async (t) => {
    const startedReplay = Date.now()
    const ids = rows.map((r) => r.application_id)
    let identical = 0
    for (const id of ids) {
      const report = await replayApplication(s.db, (await applicationById(s.db, id))!)
      if (report.identical) identical++
      else t.fail(`replay of ${id} differs: ${JSON.stringify(report.differences)}`)
    }
    t.equal(identical, COUNT, `all ${COUNT} identical (${Date.now() - startedReplay} ms)`)
    for (const id of ids.slice(0, 10)) {
      const res = expectStatus(t, await s.app.inject({ method: 'POST', url: `/applications/${id}/replay`, headers: risk }), 200, 'POST /applications/:id/replay')
      t.equal(res.identical, true)
      t.equal(res.storedOutcome, res.replayedOutcome)
      t.ok(res.policyVersions.some((v: { id: string }) => v.id === 'bank-parameters'), 'names the versions it used')
    }
  })

  // A stricter draft of the bank's parameters: higher score and lower PD for automatic approval.
  const bankV1 = (await s.db.selectFrom('policy_versions').select('definition').where('record_id', '=', 'bank-parameters').where('version', '=', 1).executeTakeFirstOrThrow()).definition as Record<string, any>
  const draft = { ...bankV1, version: 2, title: { zh: '本行参数（收紧草案）', en: 'Bank parameters (stricter draft)' }, referral: { ...bankV1.referral, minScore: 650, maxPdPpm: 40_000 } }

  t.test('a draft version: what-if report before activation, live decisions untouched', async (t) => {
    const added = expectStatus(t, await s.app.inject({ method: 'POST', url: '/policies', headers: admin, payload: { status: 'draft', policy: draft } }), 201, 'the draft is stored')
    t.equal(added.status, 'draft')

    const startedWhatIf = Date.now()
    const res = await s.app.inject({ method: 'POST', url: '/what-if', headers: risk, payload: { drafts: [{ id: 'bank-parameters', version: 2 }], limit: 5000 } })
    const whatIf = expectStatus(t, res, 200, `POST /what-if over ${COUNT} applications (${Date.now() - startedWhatIf} ms)`)
    t.equal(whatIf.evaluated, COUNT)
    t.same(whatIf.overlay, [{ kind: 'bank-parameters', id: 'bank-parameters', version: 2 }])
    const report = whatIf.report
    t.equal(report.total, COUNT)
    t.same(report.before, stored, 'the baseline (active versions) is what was decided')
    t.ok(report.outcomeChanged > 0, `${report.outcomeChanged} outcomes would change`)
    const transition = (from: string, to: string) => report.transitions.find((x: any) => x.from === from && x.to === to)?.count ?? 0
    t.ok(transition('APPROVED', 'REFERRED') > 0, `APPROVED → REFERRED: ${transition('APPROVED', 'REFERRED')}`)
    t.equal(transition('REFERRED', 'APPROVED') + transition('DECLINED', 'APPROVED') + transition('REFERRED', 'DECLINED'), 0, 'stricter thresholds never approve more, never decline (a weak score refers)')
    t.equal(report.changes.filter((c: any) => c.from !== c.to).length, report.outcomeChanged, 'each change listed, with its application')
    t.ok(report.changes.every((c: any) => typeof c.applicationId === 'string' && c.rules.length > 0), 'with the rules that moved')
    t.ok(report.ruleDifferences.some((d: any) => d.rule === 'CREDIT_SCORE' && d.from === 'pass' && d.to === 'fail'), 'CREDIT_SCORE pass → fail is the reason')
    t.ok(report.changes.every((c: any) => !(c.mandatoryFrom && c.to !== 'APPROVED')), 'no mandatory grant is lost')

    // The same draft given inline (not stored), over a date range and a set of ids.
    const inline = expectStatus(t, await s.app.inject({ method: 'POST', url: '/what-if', headers: risk, payload: { versions: [{ ...draft, version: 3 }], from: '2020-06-15', to: '2020-06-15' } }), 200, 'inline, one date')
    t.ok(inline.evaluated > 0 && inline.evaluated < COUNT, `only applications of 2020-06-15 (${inline.evaluated})`)
    const someIds = rows.slice(0, 25).map((r) => r.application_id)
    t.equal(expectStatus(t, await s.app.inject({ method: 'POST', url: '/what-if', headers: risk, payload: { drafts: [{ id: 'bank-parameters', version: 2 }], applicationIds: someIds } }), 200, 'by ids').evaluated, 25)
    t.equal(expectStatus(t, await s.app.inject({ method: 'POST', url: '/what-if', headers: risk, payload: { drafts: [{ id: 'bank-parameters', version: 2 }], limit: 100 } }), 200, 'limited').limited, true)
    expectProblem(t, await s.app.inject({ method: 'POST', url: '/what-if', headers: risk, payload: { drafts: [{ id: 'bank-parameters', version: 2 }], limit: 5001 } }), 400, { code: 'validation_failed', what: 'more than 5,000' })
    expectProblem(t, await s.app.inject({ method: 'POST', url: '/what-if', headers: risk, payload: {} }), 400, { code: 'validation_failed', what: 'no draft named' })
    expectProblem(t, await s.app.inject({ method: 'POST', url: '/what-if', headers: risk, payload: { drafts: [{ id: 'bank-parameters', version: 9 }] } }), 404, { code: 'not_found', what: 'an unknown draft' })
    const refused = expectProblem(t, await s.app.inject({ method: 'POST', url: '/what-if', headers: risk, payload: { versions: [{ ...draft, version: 3, referral: { ...draft.referral, maxPdPpm: -1 } }] } }), 400, {
      code: 'validation_failed',
      what: 'an inline version the record schema refuses',
    })
    t.equal(refused.errors?.[0]?.field, '/body/versions/0/referral/maxPdPpm', 'the field named')
    expectProblem(t, await s.app.inject({ method: 'POST', url: '/what-if', headers: risk, payload: { versions: [{ ...draft, version: 3, effectiveFrom: '2021-01-01', effectiveTo: '2020-12-31' }] } }), 422, {
      code: 'unprocessable',
      what: 'an inline version whose period ends before it starts',
    })

    // Live decisions ignore the draft: a renewal scored 620 (≥ 590, < 650) is approved under v1.
    const live = await submitAndScore(s, { score: 620, grade: 'B', pdPpm: 30_000, hardship: 'none' }, 80)
    t.equal(live.automatedDecision.outcome, 'APPROVED', 'approved under the active version')
    t.ok(live.automatedDecision.policyVersions.some((v: any) => v.id === 'bank-parameters' && v.version === 1), 'decided under bank-parameters@1')
    const stillDraft = expectStatus(t, await s.app.inject({ method: 'GET', url: '/policies?status=draft', headers: risk }), 200, 'GET /policies?status=draft')
    t.same(stillDraft.policies.map((p: any) => `${p.id}@${p.version}`), ['bank-parameters@2'])
  })

  t.test('activated, the version decides new applications; stored decisions still replay identically', async (t) => {
    expectProblem(t, await s.app.inject({ method: 'POST', url: '/policies/bank-parameters/versions/2/activate', headers: admin }), 403, { code: 'forbidden', what: 'its author activating it' })
    expectStatus(t, await s.app.inject({ method: 'POST', url: '/policies/bank-parameters/versions/2/activate', headers: await s.auth('admin', { sub: 'second-admin' }) }), 200, 'another admin activates the draft')
    const after = await submitAndScore(s, { score: 620, grade: 'B', pdPpm: 30_000, hardship: 'none' }, 81)
    t.equal(after.automatedDecision.outcome, 'REFERRED', 'the same case is now referred')
    t.ok(after.automatedDecision.policyVersions.some((v: any) => v.id === 'bank-parameters' && v.version === 2), 'decided under bank-parameters@2')
    let identical = 0
    for (const r of rows.slice(0, 300)) if ((await replayApplication(s.db, (await applicationById(s.db, r.application_id))!)).identical) identical++
    t.equal(identical, 300, 'decisions made under v1 replay identically under v1')
    const conflicting = { ...bankV1, id: 'bank-parameters-bis', version: 1 }
    expectProblem(t, await s.app.inject({ method: 'POST', url: '/policies', headers: admin, payload: { status: 'draft', policy: conflicting } }), 409, { code: 'conflict', what: 'a second bank-parameters record over the same period' })
    expectProblem(t, await s.app.inject({ method: 'POST', url: '/policies', headers: admin, payload: { status: 'draft', policy: { ...draft, version: 1 } } }), 409, { code: 'conflict', what: 'a version that is not higher' })
    const before = (await s.db.selectFrom('policy_versions').select(s.db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n
    const misspelt = expectProblem(t, await s.app.inject({ method: 'POST', url: '/policies', headers: admin, payload: { status: 'draft', policy: { ...draft, version: 9, referral: { ...draft.referral, minScroe: 600 } } } }), 400, {
      code: 'validation_failed',
      what: 'a misspelt field',
    })
    t.match(misspelt.errors?.[0], { field: '/body/policy/referral' }, 'named, never silently dropped')
    t.equal((await s.db.selectFrom('policy_versions').select(s.db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n, before, 'nothing written')
  })

  async function submitAndScore(svc: typeof s, signal: Signal, n: number) {
    clock = new Date('2020-06-15T02:00:00Z')
    const body = applicationBody('renewal', { uscc: uscc(n) })
    const res = await svc.app.inject({ method: 'POST', url: '/applications', headers: { ...(await svc.auth('core-banking', { branches: ['*'] })), 'idempotency-key': newKey() }, payload: body })
    const { id } = expectStatus(t, res, 202, 'submitted')
    await sendScore(svc.transport, id, body.enterprise.uscc, signal)
    return eventually('decided', async () => {
      const view = (await svc.app.inject({ method: 'GET', url: `/applications/${id}`, headers: risk })).json()
      return view.automatedDecision ? view : undefined
    })
  }
})
