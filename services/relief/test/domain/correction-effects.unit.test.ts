// What the corrections of the policy records change, on a generated book (POLICY §2): decisions
// made under the first records and under the corrected ones both replay identically under the
// versions they recorded; every decision that differs is attributed to a version of the later
// generation with its reason; outcomes move only where a corrected or new record applies; and a
// crafted 2021 case is attributed to the 2021 notice and to the correction of the 2020-06 programme.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { DEFAULT_POLICY_VERSIONS, compareOutcomes, correctionEffects } from '../../src/domain/index.js'
import { README_BOOK, correctionsReport, decideBook, replaysIdentically } from '../../scripts/policy-corrections.js'
import { FIRST_RECORDS, POOR_SCORE, SIZES, application, d, deferral, run, wan } from './fixtures.js'

const { book: BOOK, before: BEFORE, after: AFTER } = decideBook(1_000, 20261206)

t.test('decisions of both generations replay identically under the versions they recorded', async (t) => {
  t.equal(replaysIdentically(FIRST_RECORDS, BOOK, BEFORE), BOOK.length, 'under the first records')
  t.equal(replaysIdentically(DEFAULT_POLICY_VERSIONS, BOOK, AFTER), BOOK.length, 'under the corrected records')
})

t.test('every decision that differs is attributed to a version with its reason', async (t) => {
  const comparison = compareOutcomes(BEFORE, AFTER)
  t.ok(comparison.outcomeChanged > 0, `the corrections change outcomes: ${comparison.outcomeChanged} of ${BOOK.length}`)
  const unattributed = comparison.changes.filter((change) => correctionEffects({ ...comparison, changes: [change] }, BEFORE, AFTER, DEFAULT_POLICY_VERSIONS).length === 0)
  t.same(unattributed.map((c) => c.index), [])
  const effects = correctionEffects(comparison, BEFORE, AFTER, DEFAULT_POLICY_VERSIONS)
  t.ok(effects.every((e) => e.why.trim() !== ''), 'each with its reason')
  t.equal(
    effects.reduce((n, e) => n + e.transitions.reduce((m, x) => m + x.count, 0), 0) >= comparison.outcomeChanged,
    true,
    'every outcome change counted at least once',
  )
})

t.test('outcomes move only where a corrected or new record applies', async (t) => {
  const comparison = compareOutcomes(BEFORE, AFTER)
  const changedIds = new Set(DEFAULT_POLICY_VERSIONS.filter((v) => !FIRST_RECORDS.includes(v)).map((v) => v.id))
  const stray = comparison.changes.filter((c) => c.from !== c.to && !c.rules.every((r) => changedIds.has(r.scope) || (r.scope === 'application' && r.rule === 'POLICY_IN_FORCE')))
  t.same(stray.map((c) => ({ index: c.index, rules: c.rules })), [])
})

t.test('a 2021 Q1 deferral with a poor score: the mandatory grant of the first records becomes a referral, attributed to 324号 and the correction of 122号', async (t) => {
  const app = application(deferral('2021-05-15'), { enterprise: SIZES.small, loan: { startDate: d('2020-02-15'), maturityDate: d('2021-02-15'), totalCreditFen: wan(500) } })
  const before = [run(app, '2021-02-01', POOR_SCORE, FIRST_RECORDS)]
  const after = [run(app, '2021-02-01', POOR_SCORE)]
  const effects = correctionEffects(compareOutcomes(before, after), before, after, DEFAULT_POLICY_VERSIONS)
  t.same(
    effects.map((e) => [e.version, e.transitions.map((x) => `${x.from}>${x.to}`).join()]),
    [
      ['deferral-2020-06@3', 'APPROVED>REFERRED'],
      ['deferral-2021-q1@1', 'APPROVED>REFERRED'],
    ],
  )
  t.match(effects.find((e) => e.version === 'deferral-2020-06@3')!.why, /2021 rounds/)
  t.match(effects.find((e) => e.version === 'deferral-2021-q1@1')!.why, /^new record: 银发〔2020〕324号/)
})

t.test('the README shows the report npm run policy-corrections prints', async (t) => {
  const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8')
  t.ok(readme.includes(correctionsReport(README_BOOK.count, README_BOOK.seed)), 'regenerate the README’s report after changing the records or the generator')
})
