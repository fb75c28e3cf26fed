// Policy as dated data: which versions are in force on a date (edges exact), drafts laid over the
// active versions, validation of the records; then replay and what-if: re-deciding under the
// recorded versions gives the same decision, a draft version shows how outcomes would change.
import { isDeepStrictEqual } from 'node:util'
import { SME_SIZE_TABLE_2011 } from '@sme/domain'
import fc from 'fast-check'
import t from 'tap'
import {
  BANK_PARAMETERS_DEFAULT,
  DEFERRAL_2020_03,
  DEFERRAL_2020_06_V1,
  EXTENSION_RULES_1996,
  REFERENCE_DATA_2011,
  RENEWAL_RULES_2024,
  isReliefError,
  policyAsOf,
  compareOutcomes,
  decide,
  validatePolicyVersions,
  type Decision,
  type DecisionContext,
  type DeferralProgramme,
  type PolicyVersion,
  type PolicyVersionRef,
  type ReliefApplication,
} from '../../src/domain/index.js'
import { applicationCase } from './arbitraries.js'
import { FIRST_RECORDS, GOOD_SCORE, application, d, deferral, extension, run as runUnder } from './fixtures.js'

// These tables are of the versions as first recorded (what their decisions replay under); the
// corrected versions have their own tables (deferral-corrections.unit.test.ts).
const run: typeof runUnder = (app, date, scoring, versions = FIRST_RECORDS) => runUnder(app, date, scoring, versions)

interface InForceRow {
  readonly when: string
  readonly then: { readonly deferral: readonly string[]; readonly renewal?: string }
}

// Programme effective periods: 2020-03 from 2020-03-01 to 2020-06-30; 2020-06 v1 2020-06-01 to
// 2020-12-31, v2 2021-01-01 to 2021-12-31; 2022-Q4 2022-11-01 to 2023-06-30. Renewal v2 from 2024-09-30.
const IN_FORCE: readonly InForceRow[] = [
  { when: '2020-02-29', then: { deferral: [] } },
  { when: '2020-03-01', then: { deferral: ['deferral-2020-03@1'] } },
  { when: '2020-05-31', then: { deferral: ['deferral-2020-03@1'] } },
  { when: '2020-06-01', then: { deferral: ['deferral-2020-03@1', 'deferral-2020-06@1'] } },
  { when: '2020-06-30', then: { deferral: ['deferral-2020-03@1', 'deferral-2020-06@1'] } },
  { when: '2020-07-01', then: { deferral: ['deferral-2020-06@1'] } },
  { when: '2020-12-31', then: { deferral: ['deferral-2020-06@1'] } },
  { when: '2021-01-01', then: { deferral: ['deferral-2020-06@2'] } },
  { when: '2021-12-31', then: { deferral: ['deferral-2020-06@2'] } },
  { when: '2022-01-01', then: { deferral: [] } },
  { when: '2022-10-31', then: { deferral: [] } },
  { when: '2022-11-01', then: { deferral: ['deferral-2022-q4@1'] } },
  { when: '2023-06-30', then: { deferral: ['deferral-2022-q4@1'] } },
  { when: '2023-07-01', then: { deferral: [] } },
  { when: '2024-09-29', then: { deferral: [], renewal: 'renewal@1' } },
  { when: '2024-09-30', then: { deferral: [], renewal: 'renewal@2' } },
]

t.test('policyAsOf: the versions in force on a date', async (t) => {
  for (const row of IN_FORCE) {
    t.test(`on ${row.when} → ${row.then.deferral.join(', ') || 'no deferral programme'}`, async (t) => {
      const policy = policyAsOf(FIRST_RECORDS, d(row.when))
      t.same(policy.deferralProgrammes.map((p) => `${p.id}@${p.version}`), row.then.deferral)
      t.equal(policy.bank.id, 'bank-parameters')
      t.equal(policy.extension?.id, 'extension-art12')
      if (row.then.renewal !== undefined) t.equal(`${policy.renewal?.id}@${policy.renewal?.version}`, row.then.renewal)
      t.same(
        policy.versions.filter((v) => v.kind === 'deferral-programme').map((v) => `${v.id}@${v.version}`),
        row.then.deferral,
        'recorded versions',
      )
    })
  }
})

t.test('a draft version is laid over the active ones: the highest version in force applies', async (t) => {
  const draft: DeferralProgramme = { ...DEFERRAL_2020_06_V1, version: 3, effectiveFrom: d('2020-09-01'), effectiveTo: null, deferUntilLatest: d('2021-06-30') }
  const versions = [...FIRST_RECORDS, draft]
  t.equal(policyAsOf(versions, d('2020-08-31')).deferralProgrammes[0]?.version, 1, 'before the draft takes effect')
  t.equal(policyAsOf(versions, d('2020-09-01')).deferralProgrammes[0]?.version, 3, 'from its effective date')
  t.equal(policyAsOf(versions, d('2021-01-01')).deferralProgrammes[0]?.version, 3, 'over version 2 as well')
})

t.test('policyAsOf refuses incomplete or ambiguous policy', async (t) => {
  const code = (fn: () => unknown): string | undefined => {
    try {
      fn()
      return undefined
    } catch (err) {
      return isReliefError(err) ? err.code : 'other'
    }
  }
  t.equal(code(() => policyAsOf([REFERENCE_DATA_2011], d('2020-06-01'))), 'no-policy', 'no bank parameters')
  t.equal(code(() => policyAsOf([BANK_PARAMETERS_DEFAULT], d('2020-06-01'))), 'no-policy', 'no reference data')
  t.equal(code(() => policyAsOf(FIRST_RECORDS, d('2013-12-31'))), 'no-policy', 'before the bank parameters start')
  t.equal(
    code(() => policyAsOf([...FIRST_RECORDS, { ...EXTENSION_RULES_1996, id: 'extension-bank' }], d('2020-06-01'))),
    'invalid-policy',
    'two extension rule sets at once',
  )
  t.equal(code(() => policyAsOf([...FIRST_RECORDS, { ...DEFERRAL_2020_03 }], d('2020-04-01'))), 'invalid-policy', 'a version twice')
  t.equal(
    code(() => {
      const backwards = { basis: 'amounts-due', principalDue: { from: d('2020-01-25'), to: null }, interestDue: { from: d('2020-06-30'), to: d('2020-01-25') } } as const
      return policyAsOf([...FIRST_RECORDS, { ...DEFERRAL_2020_03, version: 2, eligibility: backwards }], d('2020-04-01'))
    }),
    'invalid-policy',
    'an invalid version in force (a window that ends before it starts)',
  )
  t.equal(code(() => policyAsOf(FIRST_RECORDS, '2020-4-1' as never)), 'invalid-argument', 'a malformed date')
})

t.test('validatePolicyVersions: what the record schema cannot say (one field against another, one record against the others)', async (t) => {
  t.same(validatePolicyVersions(FIRST_RECORDS), [], 'the defaults are valid')
  const [firstRule, ...otherRules] = REFERENCE_DATA_2011.smeSizeTable
  const broken: PolicyVersion[] = [
    { ...DEFERRAL_2020_03, eligibility: { basis: 'amounts-due', principalDue: { from: d('2020-01-25'), to: null }, interestDue: { from: d('2020-06-30'), to: d('2020-01-25') } } },
    { ...RENEWAL_RULES_2024, effectiveFrom: d('2024-10-01'), effectiveTo: d('2024-09-30') },
    { ...REFERENCE_DATA_2011, version: 2, smeSizeTable: [{ ...firstRule!, smeCeiling: [] }, ...otherRules] },
    { ...DEFERRAL_2020_06_V1, eligibility: { basis: 'loan-maturity', maturity: { from: d('2020-12-31'), to: d('2020-06-01') } } },
    BANK_PARAMETERS_DEFAULT,
    { ...DEFERRAL_2020_03, id: 'bank-parameters' },
  ]
  t.same(
    validatePolicyVersions(broken).map((i) => i.path),
    [
      '/0/eligibility/interestDue/to',
      '/1/effectiveTo',
      '/2/smeSizeTable',
      '/3/eligibility/maturity/to',
      '/5/version', // bank-parameters@1 twice
      '/5/kind', // and an id of two kinds
    ],
  )
})

t.test('bank parameters may name the crisis whose hardship scoring measures', async (t) => {
  const wave = (crisisStart: string | undefined, effectiveTo: string | null = null) => {
    const { crisisStart: _none, ...v1 } = BANK_PARAMETERS_DEFAULT
    const version = { ...v1, version: 2, effectiveFrom: d('2022-10-01'), effectiveTo: effectiveTo === null ? null : d(effectiveTo) }
    return validatePolicyVersions([crisisStart === undefined ? version : { ...version, crisisStart: d(crisisStart) }]).map((i) => `${i.path} ${i.message}`)
  }
  t.same(wave('2022-03-01'), [], 'a date: valid')
  t.same(wave(undefined), [], 'absent: the scoring service default')
  t.same(wave('2022-12-31', '2022-12-31'), [], 'the last day of the period')
  t.same(wave('2023-01-01', '2022-12-31'), ['/0/crisisStart is after the period of the version'])
  t.equal(BANK_PARAMETERS_DEFAULT.crisisStart, undefined, 'version 1 names none (the 2020 crisis, scoring’s default)')
})

t.test('policy records are frozen data; the shared size table of @sme/domain is not touched', async (t) => {
  t.ok(Object.isFrozen(DEFERRAL_2020_03.eligibility))
  t.ok(Object.isFrozen(REFERENCE_DATA_2011.smeSizeTable[0]))
  t.notOk(Object.isFrozen(SME_SIZE_TABLE_2011), '@sme/domain constant left as it was')
  t.same(REFERENCE_DATA_2011.smeSizeTable, SME_SIZE_TABLE_2011)
  t.same(JSON.parse(JSON.stringify(DEFERRAL_2020_03)), DEFERRAL_2020_03, 'programmes are plain JSON data')
})

// ---- Replay and what-if ----

/** A draft of the 2020-06 programme's first version allowing deferral to 2021-06-30 instead of 2021-03-31. */
const DRAFT: DeferralProgramme = { ...DEFERRAL_2020_06_V1, version: 3, deferUntilLatest: d('2021-06-30') }

const decideUnder = (versions: readonly PolicyVersion[], c: { application: ReliefApplication; context: DecisionContext }): Decision =>
  decide(c.application, policyAsOf(versions, c.context.applicationDate), c.context)

const lookup = (refs: readonly PolicyVersionRef[]): PolicyVersion[] =>
  refs.map((ref) => {
    const found = FIRST_RECORDS.find((v) => v.id === ref.id && v.version === ref.version && v.kind === ref.kind)
    if (found === undefined) throw new Error(`unknown version ${ref.id}@${ref.version}`)
    return found
  })

// 1,000 generated applications across every programme and relief kind, fixed seed.
const CASES = fc.sample(applicationCase, { numRuns: 1_000, seed: 20200601 })

t.test('replay under the recorded versions only gives the identical decision (1,000 applications)', async (t) => {
  let identical = 0
  for (const c of CASES) {
    const original = decideUnder(FIRST_RECORDS, c)
    const replayed = decideUnder(lookup(original.policyVersions), c)
    if (isDeepStrictEqual(original, replayed)) identical += 1
  }
  t.equal(identical, CASES.length)
})

t.test('comparing a run with itself: nothing changes', async (t) => {
  const decisions = CASES.map((c) => decideUnder(FIRST_RECORDS, c))
  const report = compareOutcomes(decisions, decisions)
  t.equal(report.total, 1_000)
  t.equal(report.outcomeChanged, 0)
  t.same(report.changes, [])
  t.same(report.ruleDifferences, [])
  t.same(report.before, report.after)
  t.ok(report.transitions.every((x) => x.from === x.to))
  t.ok(report.before.APPROVED > 0 && report.before.DECLINED > 0 && report.before.REFERRED > 0, `a mix of outcomes: ${JSON.stringify(report.before)}`)
})

t.test('what-if over 1,000 applications: only 2020-06 deferrals in the draft period can change', async (t) => {
  const before = CASES.map((c) => decideUnder(FIRST_RECORDS, c))
  const after = CASES.map((c) => decideUnder([...FIRST_RECORDS, DRAFT], c))
  const report = compareOutcomes(before, after)
  t.equal(report.transitions.reduce((n, x) => n + x.count, 0), 1_000, 'every application counted once')
  t.equal(report.transitions.filter((x) => x.from !== x.to).reduce((n, x) => n + x.count, 0), report.outcomeChanged)
  for (const change of report.changes) {
    const c = CASES[change.index]!
    if (c.application.request.kind !== 'deferral' || c.context.applicationDate < '2020-06-01' || c.context.applicationDate > '2020-12-31') {
      t.fail(`unexpected change at ${change.index}`)
    }
    // Only the 2020-06 programme's rules, and the outcome-level results they drive, can move.
    t.ok(change.rules.every((r) => r.scope === 'deferral-2020-06'), `change ${change.index} is in the 2020-06 programme`)
  }
  t.ok(report.ruleDifferences.every((r) => r.scope === 'deferral-2020-06' && (r.rule === 'DEFERRAL_LIMIT' || r.rule === 'MANDATORY_GRANT')))
  t.ok(report.transitions.every((x) => x.from === x.to || x.to === 'APPROVED' || x.to === 'REFERRED'), 'a longer limit only ever helps')
})

t.test('what-if on crafted applications: exact counts', async (t) => {
  // 2020-06 v1 applications (2020-07-10, maturity 2020-08-31) and one extension.
  const apps = [
    application(deferral('2021-03-31'), { loan: { maturityDate: d('2020-08-31') } }),
    application(deferral('2021-05-31'), { loan: { maturityDate: d('2020-08-31') } }),
    application(deferral('2021-07-31'), { loan: { maturityDate: d('2020-08-31') } }),
    application(extension('2020-10-31'), { loan: { maturityDate: d('2020-08-31') } }),
  ]
  const before = apps.map((a) => run(a, '2020-07-10'))
  const after = apps.map((a) => run(a, '2020-07-10', GOOD_SCORE, [...FIRST_RECORDS, DRAFT]))
  const report = compareOutcomes(before, after)
  t.same(report.before, { APPROVED: 2, DECLINED: 2, REFERRED: 0 })
  t.same(report.after, { APPROVED: 3, DECLINED: 1, REFERRED: 0 })
  t.same(report.transitions, [
    { from: 'APPROVED', to: 'APPROVED', count: 2 },
    { from: 'DECLINED', to: 'APPROVED', count: 1 },
    { from: 'DECLINED', to: 'DECLINED', count: 1 },
  ])
  t.equal(report.outcomeChanged, 1)
  t.same(report.ruleDifferences, [
    { scope: 'deferral-2020-06', rule: 'DEFERRAL_LIMIT', from: 'fail', to: 'pass', count: 1 },
    { scope: 'deferral-2020-06', rule: 'MANDATORY_GRANT', from: 'fail', to: 'pass', count: 1 },
  ])
  // The first application keeps its outcome but is now decided under the draft version.
  t.same(
    report.changes.map((c) => [c.index, c.from, c.to, c.programmeFrom, c.programmeTo, c.mandatoryTo]),
    [
      [0, 'APPROVED', 'APPROVED', 'deferral-2020-06@1', 'deferral-2020-06@3', true],
      [1, 'DECLINED', 'APPROVED', null, 'deferral-2020-06@3', true],
    ],
  )
})

t.test('compareOutcomes refuses runs over different applications', async (t) => {
  const a = run(application(deferral('2021-03-31'), { loan: { maturityDate: d('2020-08-31') } }), '2020-07-10')
  const b = run(application(deferral('2021-03-31'), { loan: { loanId: 'LN-0002', maturityDate: d('2020-08-31') } }), '2020-07-10')
  t.throws(() => compareOutcomes([a], []), { name: 'ReliefError', code: 'invalid-argument' })
  t.throws(() => compareOutcomes([a], [b]), { name: 'ReliefError', code: 'invalid-argument' })
})
