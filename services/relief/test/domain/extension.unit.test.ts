// Extension (展期), General Rules on Loans art. 12 (POLICY §2), as Given/When/Then tables: each cap
// by term class at and beyond it, cumulative with earlier extensions, the 1-year and 5-year term
// boundaries, applying before maturity, and the guarantor's consent.
import { addDays, fromEpochDay, maxCumulativeExtension, toEpochDay } from '@sme/domain'
import fc from 'fast-check'
import t from 'tap'
import { EXTENSION_RULES_1996, extensionLimit, type Outcome, type ReasonCode, type RuleOutcome, type ScoringSignal } from '../../src/domain/index.js'
import { GOOD_SCORE, POOR_SCORE, application, d, extension, reasonCodes, ruleOf, run, type Given } from './fixtures.js'

interface CapRow {
  readonly name: string
  /** Start, current maturity and earlier extension days of the loan. */
  readonly given: { readonly start: string; readonly maturity: string; readonly previous?: number }
  readonly when: { readonly newMaturity: string }
  readonly then: { readonly termClass: 'short' | 'medium' | 'long'; readonly cap: RuleOutcome; readonly maxDays: number; readonly latest: string; readonly cumulative: number }
}

// Expected figures worked out by hand (actual days, 算头不算尾):
// 2020-03-01 → 2021-03-01 is 365 days (short, exactly one year): cap 365 days → 2022-03-01.
// 2020-03-01 → 2021-03-02 is 366 days (medium, one year and a day): cap ⌊366/2⌋ = 183 → 2021-09-01.
// 2020-01-01 → 2021-07-01 is 547 days (medium): cap 273 → 2022-03-31.
// 2020-01-01 → 2025-01-01 is 1,827 days (medium, exactly five years): cap 913 → 2027-07-03.
// 2020-01-01 → 2025-01-02 (long, five years and a day): cap 3 calendar years → 2028-01-02 (1,095 days).
const CAPS: readonly CapRow[] = [
  { name: 'short (exactly 1 year): extend by the whole original term → at the cap', given: { start: '2020-03-01', maturity: '2021-03-01' }, when: { newMaturity: '2022-03-01' }, then: { termClass: 'short', cap: 'pass', maxDays: 365, latest: '2022-03-01', cumulative: 365 } },
  { name: 'short: one day beyond the original term → beyond the cap', given: { start: '2020-03-01', maturity: '2021-03-01' }, when: { newMaturity: '2022-03-02' }, then: { termClass: 'short', cap: 'fail', maxDays: 365, latest: '2022-03-01', cumulative: 366 } },
  { name: 'short (6 months): 183-day term, extend 183 days → at the cap', given: { start: '2020-01-01', maturity: '2020-07-02' }, when: { newMaturity: '2021-01-01' }, then: { termClass: 'short', cap: 'pass', maxDays: 183, latest: '2021-01-01', cumulative: 183 } },
  { name: 'medium (1 year and a day): half the term → at the cap', given: { start: '2020-03-01', maturity: '2021-03-02' }, when: { newMaturity: '2021-09-01' }, then: { termClass: 'medium', cap: 'pass', maxDays: 183, latest: '2021-09-01', cumulative: 183 } },
  { name: 'medium (1 year and a day): one day more → beyond', given: { start: '2020-03-01', maturity: '2021-03-02' }, when: { newMaturity: '2021-09-02' }, then: { termClass: 'medium', cap: 'fail', maxDays: 183, latest: '2021-09-01', cumulative: 184 } },
  { name: 'medium (547 days): half rounds down to 273 → at the cap', given: { start: '2020-01-01', maturity: '2021-07-01' }, when: { newMaturity: '2022-03-31' }, then: { termClass: 'medium', cap: 'pass', maxDays: 273, latest: '2022-03-31', cumulative: 273 } },
  { name: 'medium (547 days): 274 days → beyond', given: { start: '2020-01-01', maturity: '2021-07-01' }, when: { newMaturity: '2022-04-01' }, then: { termClass: 'medium', cap: 'fail', maxDays: 273, latest: '2022-03-31', cumulative: 274 } },
  { name: 'medium (exactly 5 years): half the term → at the cap', given: { start: '2020-01-01', maturity: '2025-01-01' }, when: { newMaturity: '2027-07-03' }, then: { termClass: 'medium', cap: 'pass', maxDays: 913, latest: '2027-07-03', cumulative: 913 } },
  { name: 'medium (exactly 5 years): one day more → beyond', given: { start: '2020-01-01', maturity: '2025-01-01' }, when: { newMaturity: '2027-07-04' }, then: { termClass: 'medium', cap: 'fail', maxDays: 913, latest: '2027-07-03', cumulative: 914 } },
  { name: 'long (5 years and a day): 3 years → at the cap', given: { start: '2020-01-01', maturity: '2025-01-02' }, when: { newMaturity: '2028-01-02' }, then: { termClass: 'long', cap: 'pass', maxDays: 1_095, latest: '2028-01-02', cumulative: 1_095 } },
  { name: 'long (5 years and a day): 3 years and a day → beyond', given: { start: '2020-01-01', maturity: '2025-01-02' }, when: { newMaturity: '2028-01-03' }, then: { termClass: 'long', cap: 'fail', maxDays: 1_095, latest: '2028-01-02', cumulative: 1_096 } },
  { name: 'long (10 years, maturity 29 Feb): 3 years clamp to 28 Feb → at the cap', given: { start: '2018-02-28', maturity: '2028-02-29' }, when: { newMaturity: '2031-02-28' }, then: { termClass: 'long', cap: 'pass', maxDays: 1_095, latest: '2031-02-28', cumulative: 1_095 } },
  // Cumulative: the current maturity already includes earlier extensions; the cap is on the total.
  { name: 'short, 100 days extended before: 265 more → at the cap', given: { start: '2020-03-01', maturity: '2021-06-09', previous: 100 }, when: { newMaturity: '2022-03-01' }, then: { termClass: 'short', cap: 'pass', maxDays: 365, latest: '2022-03-01', cumulative: 365 } },
  { name: 'short, 100 days extended before: 266 more → beyond', given: { start: '2020-03-01', maturity: '2021-06-09', previous: 100 }, when: { newMaturity: '2022-03-02' }, then: { termClass: 'short', cap: 'fail', maxDays: 365, latest: '2022-03-01', cumulative: 366 } },
  { name: 'short, the whole cap used before: any further day → beyond', given: { start: '2020-03-01', maturity: '2022-03-01', previous: 365 }, when: { newMaturity: '2022-03-02' }, then: { termClass: 'short', cap: 'fail', maxDays: 365, latest: '2022-03-01', cumulative: 366 } },
  { name: 'medium (exactly 5 years), 900 days before: 13 more → at the cap', given: { start: '2020-01-01', maturity: '2027-06-20', previous: 900 }, when: { newMaturity: '2027-07-03' }, then: { termClass: 'medium', cap: 'pass', maxDays: 913, latest: '2027-07-03', cumulative: 913 } },
  { name: 'medium (exactly 5 years), 900 days before: 14 more → beyond', given: { start: '2020-01-01', maturity: '2027-06-20', previous: 900 }, when: { newMaturity: '2027-07-04' }, then: { termClass: 'medium', cap: 'fail', maxDays: 913, latest: '2027-07-03', cumulative: 914 } },
  { name: 'long, 1,000 days before: 95 more → at the cap', given: { start: '2020-01-01', maturity: '2027-09-29', previous: 1_000 }, when: { newMaturity: '2028-01-02' }, then: { termClass: 'long', cap: 'pass', maxDays: 1_095, latest: '2028-01-02', cumulative: 1_095 } },
  { name: 'long, 1,000 days before: 96 more → beyond', given: { start: '2020-01-01', maturity: '2027-09-29', previous: 1_000 }, when: { newMaturity: '2028-01-03' }, then: { termClass: 'long', cap: 'fail', maxDays: 1_095, latest: '2028-01-02', cumulative: 1_096 } },
  {
    name: 'the term class is the original one: a short loan extended into a longer term keeps the short cap',
    given: { start: '2020-03-01', maturity: '2021-09-01', previous: 184 },
    when: { newMaturity: '2022-03-01' },
    then: { termClass: 'short', cap: 'pass', maxDays: 365, latest: '2022-03-01', cumulative: 365 },
  },
]

t.test('extension caps', async (t) => {
  for (const row of CAPS) {
    t.test(row.name, async (t) => {
      const given: Given = { loan: { startDate: d(row.given.start), maturityDate: d(row.given.maturity), previousExtensionDays: row.given.previous ?? 0 } }
      const applied = addDays(d(row.given.maturity), -10)
      const decision = run(application(extension(row.when.newMaturity), given), applied)
      const cap = ruleOf(decision, 'EXTENSION_CAP', 'extension-art12')
      t.equal(cap.result, row.then.cap, 'cap rule')
      t.match(cap.details, {
        termClass: row.then.termClass,
        maxCumulativeExtensionDays: row.then.maxDays,
        latestMaturity: row.then.latest,
        cumulativeExtensionDays: row.then.cumulative,
        previousExtensionDays: row.given.previous ?? 0,
      })
      t.equal(decision.outcome, row.then.cap === 'pass' ? 'APPROVED' : 'DECLINED', 'outcome')
      if (row.then.cap === 'fail') t.same(reasonCodes(decision), ['RL_EXTENSION_BEYOND_CAP'])
    })
  }
})

interface ExtensionRow {
  readonly name: string
  readonly given: Given
  readonly when: { readonly date: string; readonly scoring?: ScoringSignal | 'unavailable' }
  readonly then: { readonly outcome: Outcome; readonly reasons: readonly ReasonCode[] }
}

// A one-year loan 2020-03-01 → 2021-03-01, collateral with the mortgagor's consent, extended 3 months.
const LOAN = { startDate: d('2020-03-01'), maturityDate: d('2021-03-01'), guarantee: { kind: 'collateral', guarantorConsent: true } } as const
const EXTENSIONS: readonly ExtensionRow[] = [
  { name: 'applied the day before maturity → in time, APPROVED', given: {}, when: { date: '2021-02-28' }, then: { outcome: 'APPROVED', reasons: ['RL_ALL_RULES_PASSED'] } },
  { name: 'applied on the maturity date → not before maturity, DECLINED', given: {}, when: { date: '2021-03-01' }, then: { outcome: 'DECLINED', reasons: ['RL_EXTENSION_APPLIED_LATE'] } },
  { name: 'applied the day after maturity (already overdue) → DECLINED', given: {}, when: { date: '2021-03-02' }, then: { outcome: 'DECLINED', reasons: ['RL_EXTENSION_APPLIED_LATE'] } },
  {
    name: 'mortgagor has not consented in writing → DECLINED',
    given: { loan: { guarantee: { kind: 'collateral', guarantorConsent: false } } },
    when: { date: '2021-02-01' },
    then: { outcome: 'DECLINED', reasons: ['RL_GUARANTOR_NO_CONSENT'] },
  },
  {
    name: 'guarantor has not consented in writing → DECLINED',
    given: { loan: { guarantee: { kind: 'guarantee', guarantorConsent: false } } },
    when: { date: '2021-02-01' },
    then: { outcome: 'DECLINED', reasons: ['RL_GUARANTOR_NO_CONSENT'] },
  },
  {
    name: 'pledgor has not consented in writing → DECLINED',
    given: { loan: { guarantee: { kind: 'pledge', guarantorConsent: false } } },
    when: { date: '2021-02-01' },
    then: { outcome: 'DECLINED', reasons: ['RL_GUARANTOR_NO_CONSENT'] },
  },
  {
    name: 'unsecured loan: no consent needed → APPROVED',
    given: { loan: { guarantee: { kind: 'none', guarantorConsent: false } } },
    when: { date: '2021-02-01' },
    then: { outcome: 'APPROVED', reasons: ['RL_ALL_RULES_PASSED'] },
  },
  { name: 'scoring unavailable → REFERRED', given: {}, when: { date: '2021-02-01', scoring: 'unavailable' }, then: { outcome: 'REFERRED', reasons: ['RL_SCORING_UNAVAILABLE'] } },
  { name: 'poor score and structural decline → REFERRED', given: {}, when: { date: '2021-02-01', scoring: POOR_SCORE }, then: { outcome: 'REFERRED', reasons: ['RL_SCORE_BELOW_THRESHOLD', 'RL_HARDSHIP_STRUCTURAL'] } },
  { name: 'no hardship in the data is fine for an extension → APPROVED', given: {}, when: { date: '2021-02-01', scoring: { ...GOOD_SCORE, hardship: 'none' } }, then: { outcome: 'APPROVED', reasons: ['RL_ALL_RULES_PASSED'] } },
  {
    name: 'late and without consent, poor score → DECLINED with both hard reasons only',
    given: { loan: { guarantee: { kind: 'guarantee', guarantorConsent: false } } },
    when: { date: '2021-03-05', scoring: POOR_SCORE },
    then: { outcome: 'DECLINED', reasons: ['RL_EXTENSION_APPLIED_LATE', 'RL_GUARANTOR_NO_CONSENT'] },
  },
]

t.test('extension: applied before maturity, guarantor consent, referrals', async (t) => {
  for (const row of EXTENSIONS) {
    t.test(row.name, async (t) => {
      const decision = run(application(extension('2021-06-01'), { ...row.given, loan: { ...LOAN, ...row.given.loan } }), row.when.date, row.when.scoring ?? GOOD_SCORE)
      t.equal(decision.outcome, row.then.outcome)
      t.same(reasonCodes(decision), row.then.reasons)
      t.equal(decision.mandatory, false)
    })
  }
})

t.test('extension terms: the new maturity, the days used, and the rate tier when the term crosses one', async (t) => {
  const decision = run(application(extension('2021-06-01'), { loan: LOAN }), '2021-02-01')
  t.same(decision.terms, {
    kind: 'extension',
    previousMaturity: '2021-03-01',
    newMaturity: '2021-06-01',
    extensionDays: 92,
    cumulativeExtensionDays: 92,
    maxCumulativeExtensionDays: 365,
    latestMaturity: '2022-03-01',
    termClass: 'short',
    termClassAfterExtension: 'medium',
    newRateTierFrom: '2021-03-01',
  })
  t.same(decision.programme, { kind: 'extension-rules', id: 'extension-art12', version: 1, title: EXTENSION_RULES_1996.title })
  const withinTier = run(application(extension('2021-06-01'), { loan: { ...LOAN, startDate: d('2019-01-01') } }), '2021-02-01')
  t.match(withinTier.terms, { termClass: 'medium', termClassAfterExtension: 'medium', newRateTierFrom: null })
})

t.test('with the art. 12 caps, extensionLimit agrees with @sme/domain maxCumulativeExtension', async (t) => {
  const base = toEpochDay(d('2000-01-01'))
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 12_000 }), fc.integer({ min: 1, max: 4_000 }), (offset, termDays) => {
      const start = fromEpochDay(base + offset)
      const maturity = addDays(start, termDays)
      t.strictSame(extensionLimit(start, maturity, EXTENSION_RULES_1996.caps), maxCumulativeExtension(start, maturity))
    }),
    { numRuns: 500 },
  )
})
