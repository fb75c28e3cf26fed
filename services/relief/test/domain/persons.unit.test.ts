// Natural-person borrowers (POLICY §1, §2) as Given/When/Then tables: small-business owners (小微企业主),
// individual businesses known by their owner (个体工商户), farmers (农户) and truck drivers (货车司机),
// identified by core banking's pseudonymous id, covered by a programme only where its text names them,
// on the loans it names (经营性贷款 where it says so). Persons are not scored: a person's relief is
// referred to an officer unless a programme's mandatory grant holds (122号). Each row cites its text.
import { isDeepStrictEqual } from 'node:util'
import fc from 'fast-check'
import t from 'tap'
import type { PersonRole } from '@sme/contracts/vocabulary'
import {
  DEFAULT_POLICY_VERSIONS,
  RULE_GROUNDS,
  decide,
  policyAsOf,
  type Decision,
  type DecisionContext,
  intakeIssues,
  validateApplication,
  type Outcome,
  type PolicyVersion,
  type ReasonCode,
  type ReliefApplication,
} from '../../src/domain/index.js'
import { applicationCase } from './arbitraries.js'
import { IDENTITY_NUMBER, PERSON_ID, application, d, deferral, extension, personApplication, reasonCodes, renewal, ruleOf, run, wan, type Given } from './fixtures.js'


interface Row {
  readonly name: string
  /** The text the row rests on: the source of the record that decides it names it. */
  readonly cites: string
  readonly given: { readonly role: PersonRole; readonly request: ReliefApplication['request'] } & Given & { readonly person?: { businessLoan?: boolean; borrowerId?: string } }
  readonly when: string
  /** Decided under the shipped records, or under them without 40号's (as a replay of that time would). */
  readonly versions?: 'before 40号'
  readonly then: {
    readonly outcome: Outcome
    readonly mandatory?: boolean
    /** BORROWER_ELIGIBLE (deferral) or RENEWAL_BORROWER (renewal) of the record in `scope`. */
    readonly eligibility?: { readonly scope: string; readonly code: ReasonCode }
    readonly reasons: readonly ReasonCode[]
  }
}

// 6号: principal due since 2020-01-25, deferred to 2020-06-30 at most.
const march2020 = { loan: { startDate: d('2019-04-30'), maturityDate: d('2020-04-30') } } as const
// 122号: maturing 2020-06-01…2020-12-31, deferred to 2021-03-31 at most.
const june2020 = { loan: { startDate: d('2019-09-30'), maturityDate: d('2020-09-30') } } as const

const ROWS: readonly Row[] = [
  // 银保监发〔2020〕6号: 困难中小微企业（含小微企业主、个体工商户）贷款本金.
  {
    name: 'a small-business owner under 6号 → REFERRED: covered, but persons are not scored',
    cites: '银保监发〔2020〕6号',
    given: { role: 'small-business-owner', request: deferral('2020-06-30'), ...march2020 },
    when: '2020-04-15',
    then: { outcome: 'REFERRED', eligibility: { scope: 'deferral-2020-03', code: 'RL_PERSON_COVERED' }, reasons: ['RL_PERSON_NOT_SCORED'] },
  },
  {
    name: 'an individual business under 6号, a loan not for the business → REFERRED: 6号 names their loans whatever the purpose',
    cites: '银保监发〔2020〕6号',
    given: { role: 'individual-business', request: deferral('2020-06-30'), ...march2020, person: { businessLoan: false } },
    when: '2020-04-15',
    then: { outcome: 'REFERRED', eligibility: { scope: 'deferral-2020-03', code: 'RL_PERSON_COVERED' }, reasons: ['RL_PERSON_NOT_SCORED'] },
  },
  {
    name: 'a small-business owner’s interest too under 6号 → REFERRED: the text names persons for the principal; its interest clause says 中小微企业',
    cites: '银保监发〔2020〕6号',
    given: { role: 'small-business-owner', request: deferral('2020-06-30', { interest: true, interestDueDate: d('2020-03-21') }), ...march2020 },
    when: '2020-04-15',
    then: { outcome: 'REFERRED', eligibility: { scope: 'deferral-2020-03', code: 'RL_PERSON_INTEREST_NOT_NAMED' }, reasons: ['RL_PERSON_NOT_SCORED', 'RL_PERSON_INTEREST_NOT_NAMED'] },
  },
  {
    name: 'a farmer under 6号 → DECLINED: the notice does not name farmers',
    cites: '银保监发〔2020〕6号',
    given: { role: 'farmer', request: deferral('2020-06-30'), ...march2020 },
    when: '2020-04-15',
    then: { outcome: 'DECLINED', eligibility: { scope: 'deferral-2020-03', code: 'RL_PERSON_NOT_COVERED' }, reasons: ['RL_PERSON_NOT_COVERED'] },
  },
  // 银发〔2020〕122号: 普惠小微贷款（包括…个体工商户和小微企业主经营性贷款）, 应延尽延 when the conditions hold.
  {
    name: 'an individual business’s business loan under 122号, every condition met → APPROVED, a mandatory grant, though not scored',
    cites: '银发〔2020〕122号',
    given: { role: 'individual-business', request: deferral('2021-03-31'), ...june2020 },
    when: '2020-07-15',
    then: { outcome: 'APPROVED', mandatory: true, eligibility: { scope: 'deferral-2020-06', code: 'RL_PERSON_COVERED' }, reasons: ['RL_MANDATORY_GRANT'] },
  },
  {
    name: 'a small-business owner’s business loan under 122号 without the jobs commitment → REFERRED, not a mandatory grant',
    cites: '银发〔2020〕122号',
    given: { role: 'small-business-owner', request: deferral('2021-03-31'), ...june2020, keepJobs: false },
    when: '2020-07-15',
    then: { outcome: 'REFERRED', mandatory: false, eligibility: { scope: 'deferral-2020-06', code: 'RL_PERSON_COVERED' }, reasons: ['RL_PERSON_NOT_SCORED', 'RL_JOBS_NOT_COMMITTED'] },
  },
  {
    name: 'a small-business owner’s loan not for the business under 122号 → DECLINED: only 经营性贷款, and persons are not “other SMEs”',
    cites: '银发〔2020〕122号',
    given: { role: 'small-business-owner', request: deferral('2021-03-31'), ...june2020, person: { businessLoan: false } },
    when: '2020-07-15',
    then: { outcome: 'DECLINED', eligibility: { scope: 'deferral-2020-06', code: 'RL_PERSON_LOAN_NOT_BUSINESS' }, reasons: ['RL_PERSON_LOAN_NOT_BUSINESS'] },
  },
  {
    name: 'an individual business with CNY 12 million of credit under 122号 → REFERRED: beyond 普惠小微, agreed with the bank (自主协商)',
    cites: '银发〔2020〕122号',
    given: { role: 'individual-business', request: deferral('2021-03-31'), loan: { ...june2020.loan, totalCreditFen: wan(1_200) } },
    when: '2020-07-15',
    then: { outcome: 'REFERRED', mandatory: false, eligibility: { scope: 'deferral-2020-06', code: 'RL_BORROWER_INELIGIBLE' }, reasons: ['RL_PERSON_NOT_SCORED', 'RL_BORROWER_INELIGIBLE', 'RL_NEGOTIATED_ARRANGEMENT'] },
  },
  {
    name: 'a truck driver under 122号 → DECLINED: not named in 2020',
    cites: '银发〔2020〕122号',
    given: { role: 'truck-driver', request: deferral('2021-03-31'), ...june2020 },
    when: '2020-07-15',
    then: { outcome: 'DECLINED', eligibility: { scope: 'deferral-2020-06', code: 'RL_PERSON_NOT_COVERED' }, reasons: ['RL_PERSON_NOT_COVERED'] },
  },
  {
    name: 'a pseudonym holding an identity number, every 122号 condition met → DECLINED: no grant for a borrower the platform must not identify so',
    cites: '银发〔2020〕122号',
    given: { role: 'individual-business', request: deferral('2021-03-31'), ...june2020, person: { borrowerId: `CB-${IDENTITY_NUMBER}` } },
    when: '2020-07-15',
    then: { outcome: 'DECLINED', mandatory: false, eligibility: { scope: 'deferral-2020-06', code: 'RL_PERSON_COVERED' }, reasons: ['RL_BORROWER_ID_HOLDS_IDENTITY_NUMBER'] },
  },
  // 银发〔2020〕324号 and 银发〔2021〕81号: the same inclusive loans, by agreement.
  {
    name: 'a small-business owner’s business loan maturing in 2021 Q1 → REFERRED (324号)',
    cites: '银发〔2020〕324号',
    given: { role: 'small-business-owner', request: deferral('2021-05-15'), loan: { startDate: d('2020-02-15'), maturityDate: d('2021-02-15') } },
    when: '2021-02-01',
    then: { outcome: 'REFERRED', mandatory: false, eligibility: { scope: 'deferral-2021-q1', code: 'RL_PERSON_COVERED' }, reasons: ['RL_PERSON_NOT_SCORED'] },
  },
  {
    name: 'an individual business’s loan not for the business, maturing in 2021 Q3 → DECLINED (81号: 经营性贷款)',
    cites: '银发〔2021〕81号',
    given: { role: 'individual-business', request: deferral('2021-12-15'), loan: { startDate: d('2020-09-15'), maturityDate: d('2021-09-15') }, person: { businessLoan: false } },
    when: '2021-09-01',
    then: { outcome: 'DECLINED', eligibility: { scope: 'deferral-2021-81', code: 'RL_PERSON_LOAN_NOT_BUSINESS' }, reasons: ['RL_PERSON_LOAN_NOT_BUSINESS'] },
  },
  // 国发〔2022〕12号: 中小微企业和个体工商户贷款、货车司机贷款.
  {
    name: 'a truck driver’s loan due in 2022 → REFERRED (国发〔2022〕12号 names 货车司机贷款)',
    cites: '国发〔2022〕12号',
    given: { role: 'truck-driver', request: deferral('2022-12-31'), loan: { startDate: d('2021-08-15'), maturityDate: d('2022-08-15') }, person: { businessLoan: false } },
    when: '2022-08-01',
    then: { outcome: 'REFERRED', eligibility: { scope: 'deferral-2022', code: 'RL_PERSON_COVERED' }, reasons: ['RL_PERSON_NOT_SCORED'] },
  },
  {
    name: 'a small-business owner in mid-2022 → DECLINED: the package names individual businesses and truck drivers, not owners',
    cites: '国发〔2022〕12号',
    given: { role: 'small-business-owner', request: deferral('2022-12-31'), loan: { startDate: d('2021-08-15'), maturityDate: d('2022-08-15') } },
    when: '2022-08-01',
    // (and 40号 names truck drivers alone)
    then: { outcome: 'DECLINED', eligibility: { scope: 'deferral-2022', code: 'RL_PERSON_NOT_COVERED' }, reasons: ['RL_PERSON_NOT_COVERED', 'RL_PERSON_NOT_COVERED'] },
  },
  // 银保监办发〔2022〕40号: 对于因疫情影响货车司机偿还汽车贷款暂时存在困难的…均应视情合理给予延期、展期或续贷安排.
  {
    name: 'a truck driver’s instalment due in May 2022, before the package → REFERRED under 40号: named, and the date is the officer’s (no limit in the text)',
    cites: '银保监办发〔2022〕40号',
    given: { role: 'truck-driver', request: deferral('2022-11-30'), loan: { startDate: d('2021-05-10'), maturityDate: d('2022-05-10') }, person: { businessLoan: false } },
    when: '2022-04-20',
    then: { outcome: 'REFERRED', eligibility: { scope: 'deferral-2022-40', code: 'RL_PERSON_COVERED' }, reasons: ['RL_PERSON_NOT_SCORED', 'RL_DEFERRAL_DATE_FOR_OFFICER'] },
  },
  {
    name: 'a truck driver in 2023, after every round has ended → REFERRED under 40号, which set no end',
    cites: '银保监办发〔2022〕40号',
    given: { role: 'truck-driver', request: deferral('2024-03-31'), loan: { startDate: d('2022-09-30'), maturityDate: d('2023-09-30') } },
    when: '2023-08-01',
    then: { outcome: 'REFERRED', eligibility: { scope: 'deferral-2022-40', code: 'RL_PERSON_COVERED' }, reasons: ['RL_PERSON_NOT_SCORED', 'RL_DEFERRAL_DATE_FOR_OFFICER'] },
  },
  {
    name: 'an individual business in April 2022 → DECLINED: 40号 arranges deferral for truck drivers alone',
    cites: '银保监办发〔2022〕40号',
    given: { role: 'individual-business', request: deferral('2022-11-30'), loan: { startDate: d('2021-05-10'), maturityDate: d('2022-05-10') } },
    when: '2022-04-20',
    then: { outcome: 'DECLINED', eligibility: { scope: 'deferral-2022-40', code: 'RL_PERSON_NOT_COVERED' }, reasons: ['RL_PERSON_NOT_COVERED'] },
  },
  {
    name: 'a truck driver’s renewal in 2023 → REFERRED: 40号 names 续贷 for them beside the 2014 rules',
    cites: '银保监办发〔2022〕40号',
    given: { role: 'truck-driver', request: renewal('2024-06-30'), loan: { product: 'fixed-asset', startDate: d('2022-06-30'), maturityDate: d('2023-06-30') }, person: { businessLoan: false } },
    when: '2023-03-01',
    then: { outcome: 'REFERRED', eligibility: { scope: 'renewal', code: 'RL_PERSON_COVERED' }, reasons: ['RL_PERSON_NOT_SCORED', 'RL_LENDING_STANDARDS_UNKNOWN'] },
  },
  // The six departments' notice of 2022-11-14: 小微企业贷款（含个体工商户和小微企业主经营性贷款）.
  {
    name: 'a small-business owner’s business loan maturing in 2022 Q4 → REFERRED under the 2022-11-14 notice, though the package does not name owners',
    cites: '2022-11-14',
    given: { role: 'small-business-owner', request: deferral('2023-03-31'), loan: { startDate: d('2021-12-15'), maturityDate: d('2022-12-15') } },
    when: '2022-12-01',
    then: { outcome: 'REFERRED', eligibility: { scope: 'deferral-2022-q4', code: 'RL_PERSON_COVERED' }, reasons: ['RL_PERSON_NOT_SCORED'] },
  },
  // 金规〔2024〕13号: 小微企业主、个体工商户及农户经营性贷款, whatever the product.
  {
    name: 'a farmer’s business loan (a fixed-asset loan) for renewal → REFERRED: named, whatever the product; the officer judges the standards',
    cites: '金规〔2024〕13号',
    given: { role: 'farmer', request: renewal('2026-06-30'), loan: { product: 'fixed-asset', startDate: d('2024-06-30'), maturityDate: d('2025-06-30') } },
    when: '2025-03-01',
    then: { outcome: 'REFERRED', eligibility: { scope: 'renewal', code: 'RL_PERSON_COVERED' }, reasons: ['RL_PERSON_NOT_SCORED', 'RL_LENDING_STANDARDS_UNKNOWN'] },
  },
  {
    name: 'a small-business owner’s loan not for the business, for renewal → DECLINED: 13号 names their 经营性贷款',
    cites: '金规〔2024〕13号',
    given: { role: 'small-business-owner', request: renewal('2026-06-30'), loan: { startDate: d('2024-06-30'), maturityDate: d('2025-06-30') }, person: { businessLoan: false } },
    when: '2025-03-01',
    then: { outcome: 'DECLINED', eligibility: { scope: 'renewal', code: 'RL_PERSON_COVERED' }, reasons: ['RL_PERSON_LOAN_NOT_BUSINESS'] },
  },
  {
    name: 'a truck driver for renewal in 2025 → REFERRED: 13号 does not name truck drivers, 40号 does',
    cites: '银保监办发〔2022〕40号',
    given: { role: 'truck-driver', request: renewal('2026-06-30'), loan: { startDate: d('2024-06-30'), maturityDate: d('2025-06-30') } },
    when: '2025-03-01',
    then: { outcome: 'REFERRED', eligibility: { scope: 'renewal', code: 'RL_PERSON_COVERED' }, reasons: ['RL_PERSON_NOT_SCORED', 'RL_LENDING_STANDARDS_UNKNOWN'] },
  },
  {
    name: 'a truck driver for renewal in 2025 under 13号 alone (a replay of version 4) → DECLINED: 13号 does not name truck drivers',
    cites: '金规〔2024〕13号',
    given: { role: 'truck-driver', request: renewal('2026-06-30'), loan: { startDate: d('2024-06-30'), maturityDate: d('2025-06-30') } },
    when: '2025-03-01',
    versions: 'before 40号',
    then: { outcome: 'DECLINED', eligibility: { scope: 'renewal', code: 'RL_PERSON_NOT_COVERED' }, reasons: ['RL_RENEWAL_PRODUCT_INELIGIBLE', 'RL_PERSON_NOT_COVERED'] },
  },
  // 《贷款通则》art. 12 speaks of 借款人, whoever it is.
  {
    name: 'a truck driver’s extension within the cap → REFERRED: art. 12 applies to every borrower; not scored',
    cites: '《贷款通则》',
    given: { role: 'truck-driver', request: extension('2020-12-31'), loan: { startDate: d('2019-07-01'), maturityDate: d('2020-07-01') } },
    when: '2020-06-15',
    then: { outcome: 'REFERRED', reasons: ['RL_PERSON_NOT_SCORED'] },
  },
]

/** The shipped records without those 银保监办发〔2022〕40号 added. */
const WITHOUT_2022_40 = DEFAULT_POLICY_VERSIONS.filter((v) => !(v.citations ?? []).some((c) => c.number === '银保监办发〔2022〕40号'))

const decideOn = (app: ReliefApplication, context: DecisionContext, versions: readonly PolicyVersion[]): Decision => decide(app, policyAsOf(versions, context.applicationDate), context)

const recordOf = (scope: string, version: number): PolicyVersion | undefined => DEFAULT_POLICY_VERSIONS.find((v) => v.id === scope && v.version === version)

t.test('Given a natural person’s application, when decided under the shipped records, then the text’s words decide', async (t) => {
  for (const row of ROWS) {
    t.test(row.name, async (t) => {
      const { role, request, person, ...given } = row.given
      const app = personApplication(request, role, { ...given, ...(person === undefined ? {} : { person }) })
      const decision = run(app, row.when, 'unavailable', row.versions === undefined ? undefined : WITHOUT_2022_40)
      t.equal(decision.outcome, row.then.outcome, 'outcome')
      if (row.then.mandatory !== undefined) t.equal(decision.mandatory, row.then.mandatory, 'mandatory')
      t.same(reasonCodes(decision), row.then.reasons, 'reasons')
      t.same(decision.subject, { borrowerId: app.person.borrowerId, loanId: app.loan.loanId }, 'the subject is the pseudonym, no USCC')
      t.match(decision, { borrowerKind: 'person', personRole: role, size: 'not-applicable' })
      t.equal(ruleOf(decision, 'SCORING_AVAILABLE').code, 'RL_PERSON_NOT_SCORED', 'not scored, whatever scoring answered')
      if (row.then.eligibility !== undefined) {
        const { scope, code } = row.then.eligibility
        const ruleId = request.kind === 'renewal' ? 'RENEWAL_BORROWER' : 'BORROWER_ELIGIBLE'
        t.equal(ruleOf(decision, ruleId, scope).code, code, `${ruleId} of ${scope}`)
      }
      // The row's text is the one the deciding record cites.
      const sources = decision.policyVersions.map((v) => recordOf(v.id, v.version)?.source ?? '')
      t.ok(sources.some((s) => s.includes(row.cites)), `a record in force cites ${row.cites}`)
    })
  }
})

t.test('a person is decided the same whatever scoring answered: the platform scores enterprises', async (t) => {
  const app = personApplication(deferral('2021-03-31'), 'individual-business', june2020)
  t.same(run(app, '2020-07-15', 'unavailable'), run(app, '2020-07-15'))
})

t.test('the records before persons were decided here cover none: a replay under them declines a person', async (t) => {
  const before = DEFAULT_POLICY_VERSIONS.filter((v) => v.corrects?.naturalPersonsOnly !== true)
  const app = personApplication(deferral('2021-03-31'), 'individual-business', june2020)
  const decision = run(app, '2020-07-15', 'unavailable', before)
  t.equal(decision.outcome, 'DECLINED')
  t.equal(ruleOf(decision, 'BORROWER_ELIGIBLE', 'deferral-2020-06').code, 'RL_PERSON_NOT_COVERED')
})

t.test('a correction for persons only, and 40号’s records for truck drivers, decide every enterprise as before them', async (t) => {
  const before = WITHOUT_2022_40.filter((v) => v.corrects?.naturalPersonsOnly !== true)
  const cases: [ReliefApplication, string][] = [
    [application(deferral('2020-06-30'), march2020), '2020-04-15'],
    [application(deferral('2021-03-31'), june2020), '2020-07-15'],
    [application(deferral('2021-05-15'), { loan: { startDate: d('2020-02-15'), maturityDate: d('2021-02-15') } }), '2021-02-01'],
    [application(deferral('2022-12-31'), { loan: { startDate: d('2021-08-15'), maturityDate: d('2022-08-15') } }), '2022-08-01'],
    [application(renewal('2026-06-30'), { loan: { startDate: d('2024-06-30'), maturityDate: d('2025-06-30') } }), '2025-03-01'],
    [application(deferral('2022-11-30'), { loan: { startDate: d('2021-05-10'), maturityDate: d('2022-05-10') } }), '2022-04-20'],
    [application(deferral('2024-03-31'), { loan: { startDate: d('2022-09-30'), maturityDate: d('2023-09-30') } }), '2023-08-01'],
    [application(renewal('2024-06-30'), { loan: { startDate: d('2022-06-30'), maturityDate: d('2023-06-30') } }), '2023-03-01'],
  ]
  // The same decision but for the version numbers it names.
  const unversioned = (decision: Decision): unknown => JSON.parse(JSON.stringify({ ...decision, policyVersions: [] }).replace(/@\d+/g, '@n').replace(/"version":\d+/g, '"version":0'))
  for (const [app, date] of cases) t.same(unversioned(run(app, date)), unversioned(run(app, date, undefined, before)), `${app.request.kind} on ${date}`)
  // …and over a generated book of applications of every kind and date (its enterprises').
  fc.assert(
    fc.property(applicationCase, ({ application: app, context }) => {
      fc.pre(app.person === undefined && validateApplication(app, context).length === 0)
      const decide = (versions: readonly PolicyVersion[]) => unversioned(decideOn(app, context, versions))
      return isDeepStrictEqual(decide(DEFAULT_POLICY_VERSIONS), decide(before))
    }),
    { numRuns: 2_000, seed: 20261207 },
  )
  for (const version of DEFAULT_POLICY_VERSIONS.filter((v) => v.corrects?.naturalPersonsOnly === true)) {
    t.ok(version.kind === 'deferral-programme' ? version.borrowers.persons !== undefined : version.kind === 'renewal-rules' && version.withoutPrincipalRepayment.persons !== undefined, `${version.id}@${version.version} names persons`)
  }
})

t.test('BORROWER_ID binds like the USCC: an identity failure is hard', async (t) => {
  t.same(RULE_GROUNDS.BORROWER_ID, { hard: 'identity', discretionary: null })
})

t.test('Given an application, when validated, then it names exactly one borrower', async (t) => {
  const context = { applicationDate: d('2020-07-15'), scoring: 'unavailable' as const }
  const person = personApplication(deferral('2021-03-31'), 'farmer', june2020)
  const enterprise = application(deferral('2021-03-31'), june2020)
  t.same(validateApplication(person, context), [])
  t.same(validateApplication({ ...enterprise, person: person.person } as unknown as ReliefApplication, context).map((i) => i.path), ['/person'], 'both')
  const { enterprise: _dropped, ...neither } = enterprise
  t.same(validateApplication(neither as unknown as ReliefApplication, context).map((i) => i.path), ['/enterprise'], 'neither')
  const bad = { ...person, person: { ...person.person, borrowerId: 'short', role: 'landlord', regionCode: '4201', businessLoan: 'yes' } } as unknown as ReliefApplication
  t.same(validateApplication(bad, context).map((i) => i.path), ['/person/borrowerId', '/person/role', '/person/regionCode', '/person/businessLoan'])
})

t.test('Given a pseudonym holding an identity number, when received, then intake refuses it without repeating it', async (t) => {
  const rows: [string, boolean][] = [
    [PERSON_ID, false],
    [IDENTITY_NUMBER, true],
    [`CB:${IDENTITY_NUMBER.toLowerCase()}`, true],
    ['CB-110105491231002', true],
  ]
  for (const [borrowerId, refused] of rows) {
    const app = personApplication(deferral('2021-03-31'), 'individual-business', { ...june2020, person: { borrowerId } })
    const issues = intakeIssues(app, { applicationDate: d('2020-07-15'), usccExceptions: new Map() })
    t.same(issues.map((i) => i.path), refused ? ['/person/borrowerId'] : [], borrowerId)
    for (const issue of issues) t.notOk(issue.message.includes(borrowerId) || issue.message.includes(IDENTITY_NUMBER), 'the message does not repeat the value')
  }
})
