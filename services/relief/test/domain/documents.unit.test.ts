// Documents to follow (容缺办理) as Given/When/Then tables. The 2022-11-14 notice (关于进一步加大对小微
// 企业贷款延期还本付息支持力度的通知, six departments led by the PBoC; POLICY §2) lets the documents a
// deferral needs follow after it is granted: the relief is decided without them and the terms say
// which are due and by when. Under a programme that does not, documents outstanding refer the
// application to an officer; a mandatory grant (银发〔2020〕122号) stands without them and tracks them.
// Applications naming no documents are decided without the rule (replays unchanged).
import t from 'tap'
import type { DeferralTerms, Outcome, ReasonCode } from '../../src/domain/index.js'
import { validateApplication } from '../../src/domain/index.js'
import { SIZES, application, d, deferral, extension, reasonCodes, run, wan, type Given } from './fixtures.js'

const Q4: Given = { enterprise: SIZES.small, loan: { startDate: d('2021-12-15'), maturityDate: d('2022-12-15'), totalCreditFen: wan(500) } }
const JUNE_2020: Given = { enterprise: SIZES.small, loan: { startDate: d('2019-07-01'), maturityDate: d('2020-07-01'), totalCreditFen: wan(500) } }

interface Row {
  readonly name: string
  readonly given: { readonly app: ReturnType<typeof application>; readonly applied: string }
  readonly then: {
    readonly outcome: Outcome
    readonly mandatory?: boolean
    readonly rule: ReasonCode | null
    readonly scope?: string
    readonly toFollow: DeferralTerms['documentsToFollow'] | null
  }
}

const docs = (outstanding: string[], dueBy = '2022-12-20') => ({ outstanding, dueBy: d(dueBy) })
const withDocs = (app: ReturnType<typeof application>, documents: ReturnType<typeof docs>) => ({ ...app, documents })

const ROWS: readonly Row[] = [
  {
    name: '2022-Q4 (容缺办理): statements outstanding → approved without them, due by the agreed day',
    given: { app: withDocs(application(deferral('2023-03-31'), Q4), docs(['2022年三季度财务报表'])), applied: '2022-11-20' },
    then: { outcome: 'APPROVED', rule: 'RL_DOCUMENTS_TO_FOLLOW', scope: 'deferral-2022-q4', toFollow: { outstanding: ['2022年三季度财务报表'], dueBy: d('2022-12-20'), basis: 'programme allows them to follow' } },
  },
  {
    name: '2022-Q4: nothing outstanding → approved, documents complete, nothing to follow',
    given: { app: withDocs(application(deferral('2023-03-31'), Q4), docs([])), applied: '2022-11-20' },
    then: { outcome: 'APPROVED', rule: 'RL_DOCUMENTS_COMPLETE', scope: 'deferral-2022-q4', toFollow: null },
  },
  {
    name: 'an extension (no 容缺办理): documents outstanding → referred',
    given: { app: withDocs(application(extension('2020-12-31'), JUNE_2020), docs(['担保人书面同意书'], '2020-07-15')), applied: '2020-06-15' },
    then: { outcome: 'REFERRED', rule: 'RL_DOCUMENTS_MISSING', scope: 'extension-art12', toFollow: null },
  },
  {
    name: '122号 mandatory grant: documents outstanding do not stop it; they are tracked',
    given: { app: withDocs(application(deferral('2020-12-31'), JUNE_2020), docs(['稳岗承诺书'], '2020-07-15')), applied: '2020-06-15' },
    then: { outcome: 'APPROVED', mandatory: true, rule: 'RL_DOCUMENTS_MISSING', scope: 'deferral-2020-06', toFollow: { outstanding: ['稳岗承诺书'], dueBy: d('2020-07-15'), basis: 'mandatory grant' } },
  },
  {
    name: 'no documents named → no documents rule (decisions before it replay unchanged)',
    given: { app: application(deferral('2023-03-31'), Q4), applied: '2022-11-20' },
    then: { outcome: 'APPROVED', rule: null, toFollow: null },
  },
]

t.test('documents to follow', async (t) => {
  for (const row of ROWS) {
    t.test(row.name, async (t) => {
      const decision = run(row.given.app, row.given.applied)
      t.equal(decision.outcome, row.then.outcome, `outcome (${reasonCodes(decision).join(', ')})`)
      if (row.then.mandatory !== undefined) t.equal(decision.mandatory, row.then.mandatory, 'mandatory')
      const rules = decision.rules.filter((r) => r.rule === 'DOCUMENTS_COMPLETE')
      if (row.then.rule === null) t.same(rules, [], 'no documents rule')
      else t.equal(rules.find((r) => r.scope === row.then.scope)?.code, row.then.rule, 'the documents rule of the programme granted under')
      const terms = decision.terms as DeferralTerms | null
      t.same(terms?.kind === 'deferral' ? (terms.documentsToFollow ?? null) : null, row.then.toFollow, 'the terms')
      if (row.then.rule === 'RL_DOCUMENTS_MISSING' && !decision.mandatory) t.ok(reasonCodes(decision).includes('RL_DOCUMENTS_MISSING'), 'named as a reason for the referral')
    })
  }
})

t.test('the documents an application names are checked: names, no repeats, due after the application date', async (t) => {
  const app = application(deferral('2023-03-31'), Q4)
  const context = { applicationDate: d('2022-11-20'), scoring: 'unavailable' as const }
  t.same(validateApplication(withDocs(app, docs(['a', 'b'])), context), [])
  t.same(validateApplication(withDocs(app, docs(['a', 'a'])), context).map((i) => i.path), ['/documents/outstanding'])
  t.same(validateApplication(withDocs(app, docs([' '])), context).map((i) => i.path), ['/documents/outstanding'])
  t.same(validateApplication(withDocs(app, docs(['a'], '2022-11-20')), context).map((i) => i.path), ['/documents/dueBy'], 'due on the application date: too early')
})
