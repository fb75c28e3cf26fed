// The size figures on an application against the scored data (POLICY §1 Size, SME size standard,
// 工信部联企业〔2011〕300号, 2011-06-18; the data of POLICY §6): an order of magnitude between them
// refers the application, and a mandatory grant (银发〔2020〕122号, 2020-06-01) that rests on the
// firm's size is not made on figures the data contradicts.
import t from 'tap'
import { checkFigures, ordersApart, type ObservedSizeFigures, type ReasonCode, type ScoringSignal } from '../../src/domain/index.js'
import { GOOD_SCORE, INDIVIDUAL_USCC, SIZES, application, d, deferral, extension, reasonCodes, ruleOf, run as runUnder, wan, FIRST_RECORDS } from './fixtures.js'

// Decided under the versions as first recorded (the 2020-06 programme's mandatory grant).
const run: typeof runUnder = (app, date, scoring, versions = FIRST_RECORDS) => runUnder(app, date, scoring, versions)

t.test('ordersApart: tenfold or more, each side counted as at least the floor', async (t) => {
  const rows: readonly (readonly [bigint, bigint, bigint, boolean])[] = [
    [100n, 999n, 1n, false],
    [100n, 1_000n, 1n, true],
    [1_000n, 100n, 1n, true],
    [0n, 9n, 1n, false],
    [0n, 10n, 1n, true],
    [0n, 0n, 1n, false],
    [wan(0), wan(99), wan(10), false],
    [wan(0), wan(100), wan(10), true],
    [wan(300), wan(2_999), wan(10), false],
    [wan(300), wan(3_000), wan(10), true],
  ]
  for (const [a, b, floor, then] of rows) t.equal(ordersApart(a, b, floor), then, `${a} vs ${b} (floor ${floor})`)
})

t.test('checkFigures compares what both sides have', async (t) => {
  const small = SIZES.small // 20 employees, CNY 3 million
  t.same(checkFigures(small, { revenue12mFen: wan(360), employees: 18 }), {
    compared: [
      { field: 'revenueFen', application: wan(300).toString(), observed: wan(360).toString(), implausible: false },
      { field: 'employees', application: '20', observed: '18', implausible: false },
    ],
    implausible: [],
  })
  t.same(checkFigures(small, { revenue12mFen: wan(3_000), employees: null }).implausible, ['revenueFen'])
  t.same(checkFigures({ employees: 20 }, { revenue12mFen: wan(3_000), employees: 200 }).implausible, ['employees'], 'no revenue on the application: only staff compared')
  t.same(checkFigures(small, { revenue12mFen: null, employees: null }), { compared: [], implausible: [] })
})

const withFigures = (figures: ObservedSizeFigures, base: ScoringSignal = GOOD_SCORE): ScoringSignal => ({ ...base, figures })

interface Row {
  readonly given: string
  readonly app: ReturnType<typeof application>
  readonly date: string
  readonly scoring: ScoringSignal
  readonly then: { readonly outcome: 'APPROVED' | 'REFERRED'; readonly mandatory: boolean; readonly rule: ReasonCode | null; readonly reasons?: readonly ReasonCode[] }
}

// The fixture firm: small retail, 20 employees, CNY 3 million revenue; a one-year loan maturing
// 2020-07-01. Its extension to 2020-12-31, asked on 2020-06-20, passes every rule.
const ROWS: readonly Row[] = [
  {
    given: 'an extension, the data close to the application (CNY 3.6 million, 18 insured)',
    app: application(extension('2020-12-31')),
    date: '2020-06-20',
    scoring: withFigures({ revenue12mFen: wan(360), employees: 18 }),
    then: { outcome: 'APPROVED', mandatory: false, rule: 'RL_FIGURES_CONSISTENT' },
  },
  {
    given: 'an extension, tax returns showing CNY 30 million (the application typed ten thousand yuan as yuan?)',
    app: application(extension('2020-12-31')),
    date: '2020-06-20',
    scoring: withFigures({ revenue12mFen: wan(3_000), employees: 20 }),
    then: { outcome: 'REFERRED', mandatory: false, rule: 'RL_FIGURES_IMPLAUSIBLE', reasons: ['RL_FIGURES_IMPLAUSIBLE'] },
  },
  {
    given: 'an extension, 250 insured employees against 20 declared',
    app: application(extension('2020-12-31')),
    date: '2020-06-20',
    scoring: withFigures({ revenue12mFen: wan(300), employees: 250 }),
    then: { outcome: 'REFERRED', mandatory: false, rule: 'RL_FIGURES_IMPLAUSIBLE', reasons: ['RL_FIGURES_IMPLAUSIBLE'] },
  },
  {
    given: 'an extension, the scored data without returns or headcount',
    app: application(extension('2020-12-31')),
    date: '2020-06-20',
    scoring: withFigures({ revenue12mFen: null, employees: null }),
    then: { outcome: 'APPROVED', mandatory: false, rule: 'RL_FIGURES_NOT_COMPARABLE' },
  },
  {
    given: 'an extension decided on a scoring answer from before figures were reported',
    app: application(extension('2020-12-31')),
    date: '2020-06-20',
    scoring: GOOD_SCORE,
    then: { outcome: 'APPROVED', mandatory: false, rule: null },
  },
  {
    given: 'a 2020-06 deferral (应延尽延) of a firm the data shows ten times larger: the size is not established',
    app: application(deferral('2021-03-31'), { loan: { maturityDate: d('2020-07-01') } }),
    date: '2020-06-15',
    scoring: withFigures({ revenue12mFen: wan(3_000), employees: 20 }),
    then: { outcome: 'REFERRED', mandatory: false, rule: 'RL_FIGURES_IMPLAUSIBLE', reasons: ['RL_FIGURES_IMPLAUSIBLE'] },
  },
  {
    given: 'the same deferral with consistent figures: the mandatory grant',
    app: application(deferral('2021-03-31'), { loan: { maturityDate: d('2020-07-01') } }),
    date: '2020-06-15',
    scoring: withFigures({ revenue12mFen: wan(300), employees: 20 }),
    then: { outcome: 'APPROVED', mandatory: true, rule: 'RL_FIGURES_CONSISTENT' },
  },
  {
    given: 'an individual business (eligible whatever its size) with figures off: the mandatory grant stands',
    app: application(deferral('2021-03-31'), { enterprise: { uscc: INDIVIDUAL_USCC }, loan: { maturityDate: d('2020-07-01') } }),
    date: '2020-06-15',
    scoring: withFigures({ revenue12mFen: wan(3_000), employees: 20 }),
    then: { outcome: 'APPROVED', mandatory: true, rule: 'RL_FIGURES_IMPLAUSIBLE' },
  },
]

for (const row of ROWS) {
  t.test(`given ${row.given}`, async (t) => {
    const decision = run(row.app, row.date, row.scoring)
    t.equal(decision.outcome, row.then.outcome, 'outcome')
    t.equal(decision.mandatory, row.then.mandatory, 'mandatory grant')
    const rule = decision.rules.find((r) => r.rule === 'FIGURES_CONSISTENT')
    t.equal(rule?.code ?? null, row.then.rule, 'FIGURES_CONSISTENT')
    if (rule !== undefined) t.equal(rule.effect, 'refer', 'never declines: an officer checks the statements')
    if (row.then.reasons !== undefined) t.same(reasonCodes(decision), row.then.reasons, 'reasons')
  })
}

t.test('the rule shows both figures and the fields in doubt', async (t) => {
  const decision = run(application(extension('2020-12-31')), '2020-06-20', withFigures({ revenue12mFen: wan(3_000), employees: 21 }))
  t.same(ruleOf(decision, 'FIGURES_CONSISTENT').details, {
    factor: 10,
    revenueFenApplication: wan(300).toString(),
    revenueFenObserved: wan(3_000).toString(),
    employeesApplication: '20',
    employeesObserved: '21',
    implausible: 'revenueFen',
  })
})

t.test('a mandatory grant held back by the figures names them among its unmet conditions', async (t) => {
  const decision = run(application(deferral('2021-03-31'), { loan: { maturityDate: d('2020-07-01') } }), '2020-06-15', withFigures({ revenue12mFen: null, employees: 300 }))
  const grant = decision.rules.find((r) => r.rule === 'MANDATORY_GRANT' && r.code === 'RL_MANDATORY_CONDITIONS_NOT_MET')
  t.ok(grant, 'the 2020-06 programme’s grant is not made')
  t.match(String(grant?.details.unmet), /FIGURES_CONSISTENT/)
})
