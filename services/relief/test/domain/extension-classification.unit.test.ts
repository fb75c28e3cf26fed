// The classification an extension gives the loan (POLICY §2 Risk classification), as Given/When/Then
// tables. An extension for a borrower in financial difficulty changes the contract in the debtor's
// favour: a restructured asset. 《贷款风险分类指引》(银监发〔2007〕54号, 2007-07-03) 第十二条: 需要重组的贷款
// 应至少归为次级类, not upgraded for 6 months; 《商业银行金融资产风险分类办法》(中国银保监会 中国人民银行令
// 2023年第1号, in force 2023-07-01) 第三章: a loan normal or special-mention before is at least special-
// mention, a worse one keeps its class, observed for at least a year and two repayment periods.
// Without financial difficulty an extension is no restructuring: only the overdue-day floor applies.
import { addDays, addMonths } from '@sme/domain'
import t from 'tap'
import type { HardshipSignal, LoanClassification } from '@sme/contracts/vocabulary'
import { DEFAULT_POLICY_VERSIONS, EXTENSION_RULES_1996_V3, financialDifficultySigns, restructuringEffect, type ExtensionTerms, type FinancialDifficultySign, type PolicyVersion } from '../../src/domain/index.js'
import { FIRST_RECORDS, GOOD_SCORE, application, d, extension, run } from './fixtures.js'

const RULES_2007 = '《贷款风险分类指引》(银监发〔2007〕54号) 第十二条'
const RULES_2023 = '《商业银行金融资产风险分类办法》(中国银保监会 中国人民银行令2023年第1号) 第三章'

interface Row {
  readonly name: string
  readonly given: { readonly applied: string; readonly classification: LoanClassification; readonly daysPastDue: number; readonly hardshipDeclared: boolean; readonly signal: HardshipSignal | 'unavailable' }
  readonly then: {
    readonly after: LoanClassification
    readonly signs: readonly FinancialDifficultySign[]
    readonly restructured: boolean
    readonly rules: string | null
    readonly basis: string
  }
}

const ROWS: readonly Row[] = [
  // 2023 rules (第三章): performing before → at least special-mention.
  { name: '2023 rules: normal loan, hardship declared → restructured, special-mention', given: { applied: '2024-03-01', classification: 'normal', daysPastDue: 0, hardshipDeclared: true, signal: 'none' }, then: { after: 'special-mention', signs: ['hardship-declared'], restructured: true, rules: RULES_2023, basis: 'restructured asset' } },
  { name: '2023 rules: normal loan, scoring signals a temporary shock → restructured', given: { applied: '2024-03-01', classification: 'normal', daysPastDue: 0, hardshipDeclared: false, signal: 'temporary-shock' }, then: { after: 'special-mention', signs: ['hardship-signal'], restructured: true, rules: RULES_2023, basis: 'restructured asset' } },
  { name: '2023 rules: normal loan, structural decline signalled → restructured', given: { applied: '2024-03-01', classification: 'normal', daysPastDue: 0, hardshipDeclared: false, signal: 'structural-decline' }, then: { after: 'special-mention', signs: ['hardship-signal'], restructured: true, rules: RULES_2023, basis: 'restructured asset' } },
  { name: '2023 rules: special-mention loan 10 days overdue → restructured, stays special-mention', given: { applied: '2024-03-01', classification: 'special-mention', daysPastDue: 10, hardshipDeclared: false, signal: 'none' }, then: { after: 'special-mention', signs: ['overdue'], restructured: true, rules: RULES_2023, basis: 'restructured asset' } },
  { name: '2023 rules: substandard before → keeps substandard (not upgraded)', given: { applied: '2024-03-01', classification: 'substandard', daysPastDue: 0, hardshipDeclared: false, signal: 'none' }, then: { after: 'substandard', signs: ['non-performing'], restructured: true, rules: RULES_2023, basis: 'restructured asset' } },
  { name: '2023 rules: normal but 120 days overdue → the overdue floor (substandard) is worse than the restructuring floor', given: { applied: '2024-03-01', classification: 'normal', daysPastDue: 120, hardshipDeclared: false, signal: 'none' }, then: { after: 'substandard', signs: ['overdue'], restructured: true, rules: RULES_2023, basis: 'restructured asset' } },
  { name: '2023 rules: no sign of financial difficulty → not restructured, stays normal', given: { applied: '2024-03-01', classification: 'normal', daysPastDue: 0, hardshipDeclared: false, signal: 'none' }, then: { after: 'normal', signs: [], restructured: false, rules: RULES_2023, basis: 'not restructured: no financial difficulty' } },
  { name: '2023 rules: no data for a signal, nothing declared → not restructured', given: { applied: '2024-03-01', classification: 'normal', daysPastDue: 0, hardshipDeclared: false, signal: 'insufficient-data' }, then: { after: 'normal', signs: [], restructured: false, rules: RULES_2023, basis: 'not restructured: no financial difficulty' } },
  { name: '2023 rules: first day in force (2023-07-01)', given: { applied: '2023-07-01', classification: 'normal', daysPastDue: 0, hardshipDeclared: true, signal: 'unavailable' }, then: { after: 'special-mention', signs: ['hardship-declared'], restructured: true, rules: RULES_2023, basis: 'restructured asset' } },
  // 2007 guidelines (第十二条): every restructured loan at least substandard.
  { name: '2007 guidelines: last day (2023-06-30), normal loan, hardship declared → substandard', given: { applied: '2023-06-30', classification: 'normal', daysPastDue: 0, hardshipDeclared: true, signal: 'unavailable' }, then: { after: 'substandard', signs: ['hardship-declared'], restructured: true, rules: RULES_2007, basis: 'restructured asset' } },
  { name: '2007 guidelines: doubtful before → keeps doubtful', given: { applied: '2021-03-01', classification: 'doubtful', daysPastDue: 0, hardshipDeclared: true, signal: 'none' }, then: { after: 'doubtful', signs: ['non-performing', 'hardship-declared'], restructured: true, rules: RULES_2007, basis: 'restructured asset' } },
  { name: '2007 guidelines: no financial difficulty → not restructured, stays normal', given: { applied: '2021-03-01', classification: 'normal', daysPastDue: 0, hardshipDeclared: false, signal: 'none' }, then: { after: 'normal', signs: [], restructured: false, rules: RULES_2007, basis: 'not restructured: no financial difficulty' } },
]

t.test('the class an extended loan takes', async (t) => {
  for (const row of ROWS) {
    t.test(row.name, async (t) => {
      const { applied, classification, daysPastDue, hardshipDeclared, signal } = row.given
      // A one-year loan maturing 60 days after the application, extended by three months.
      const maturity = addDays(d(applied), 60)
      const app = application(extension(addMonths(maturity, 3)), { loan: { startDate: addMonths(maturity, -12), maturityDate: maturity, classification, daysPastDue }, hardshipDeclared })
      const decision = run(app, applied, signal === 'unavailable' ? 'unavailable' : { ...GOOD_SCORE, hardship: signal })
      t.not(decision.terms, null, `terms are stated (${decision.outcome})`)
      const terms = decision.terms as ExtensionTerms
      t.match(terms.classification, {
        before: classification,
        after: row.then.after,
        daysPastDue,
        financialDifficulty: row.then.signs,
        restructured: row.then.restructured,
        rules: row.then.rules,
        basis: row.then.basis,
      })
      t.equal(terms.classification?.observation === null, !row.then.restructured, 'an observation period exactly when restructured')
    })
  }
})

t.test('the observation period and floor of each regime, as the record states them', async (t) => {
  const signs: FinancialDifficultySign[] = ['hardship-declared']
  const regimes = EXTENSION_RULES_1996_V3.restructuring ?? []
  const in2021 = restructuringEffect({ classification: 'normal', daysPastDue: 0 }, signs, d('2021-01-04'), regimes)
  t.same([in2021.restructuredFloor, in2021.observation], ['substandard', { minimumMonths: 6, minimumRepaymentPeriods: null }], '2007: substandard, 6 months')
  const in2024 = restructuringEffect({ classification: 'normal', daysPastDue: 0 }, signs, d('2024-01-04'), regimes)
  t.same([in2024.restructuredFloor, in2024.observation], ['special-mention', { minimumMonths: 12, minimumRepaymentPeriods: 2 }], '2023: special-mention, a year and two repayment periods')
  const before2007 = restructuringEffect({ classification: 'normal', daysPastDue: 5 }, signs, d('2007-07-02'), regimes)
  t.match(before2007, { after: 'special-mention', restructured: false, rules: null, restructuredFloor: null, observation: null, basis: 'no restructuring rules for the date' }, 'before the 2007 guidelines: none recorded, the overdue floor only')
  t.same(financialDifficultySigns({ daysPastDue: 400, classification: 'loss', hardshipDeclared: true, hardshipSignal: 'structural-decline' }), ['overdue', 'non-performing', 'hardship-declared', 'hardship-signal'])
})

t.test('decisions under the records before version 3 carry no classification (they replay as they were)', async (t) => {
  const app = application(extension('2021-06-01'), { loan: { startDate: d('2020-03-01'), maturityDate: d('2021-03-01') } })
  const without = (versions: readonly PolicyVersion[]): readonly PolicyVersion[] => versions.filter((v) => v !== EXTENSION_RULES_1996_V3)
  for (const [name, versions] of [['first records', FIRST_RECORDS], ['version 2', without(DEFAULT_POLICY_VERSIONS)]] as const) {
    const decision = run(app, '2021-02-01', GOOD_SCORE, versions)
    t.equal(decision.outcome, 'APPROVED', name)
    t.notOk(decision.terms !== null && 'classification' in decision.terms, `${name}: no classification on the terms`)
  }
  const current = run(app, '2021-02-01')
  t.equal(current.policyVersions.find((v) => v.id === 'extension-art12')?.version, 3)
  t.match(current.terms, { classification: { after: 'substandard', restructured: true } })
})
