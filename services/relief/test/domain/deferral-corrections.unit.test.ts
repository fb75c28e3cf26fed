// The deferral programmes as corrected against the notices (POLICY §2), as Given/When/Then tables:
// which programme is in force on a date; the 2021 rounds decided by bank and firm together
// (银发〔2020〕324号, 银发〔2021〕81号); interest-only deferral under 银发〔2020〕122号 whatever the
// maturity; what the notices leave to agreement referred, never declined (银保监发〔2020〕6号 另外的延期安排,
// 122号 自主协商); the March 2020 round acting on the firm's application; the 2022 rounds (国发〔2022〕12号;
// the six departments' notice of 2022-11-14), with limits "in principle". Each row also says what the
// first records decided on the same application, which is what a replay of those decisions shows.
import t from 'tap'
import { BANK_PARAMETERS_DEFAULT, classificationFloor, worseClassification, DEFAULT_POLICY_VERSIONS, DEFERRAL_2022_Q4_V2, policyAsOf, validatePolicyVersions, type DeferralProgramme, type Outcome, type PolicyVersion, type ReasonCode, type ScoringSignal } from '../../src/domain/index.js'
import { FIRST_RECORDS, GOOD_SCORE, POOR_SCORE, SIZES, application, d, deferral, reasonCodes, ruleOf, run, wan, type Given } from './fixtures.js'

t.test('the corrected records are valid and cite their texts with the clause quoted', async (t) => {
  t.same(validatePolicyVersions(DEFAULT_POLICY_VERSIONS), [])
  for (const version of DEFAULT_POLICY_VERSIONS) {
    if (version.corrects === undefined) continue
    t.ok(version.citations !== undefined && version.citations.length > 0, `${version.id}@${version.version} cites its text`)
    for (const c of version.citations ?? []) t.match(c.quote, /[\u4e00-\u9fff]/, `${version.id}@${version.version}: quoted in Chinese`)
  }
})

interface CalendarRow {
  readonly when: string
  readonly then: readonly string[]
}

// POLICY §2, by application date: the 2020-03 and 2020-06 rounds as corrected, the 2021 rounds as
// their own records, nothing from January to May 2022, the State Council's 2022 round, and the
// 2022-Q4 programme from its announcement (2022-11-14), not from 2022-11-01; each in the version
// that names the natural persons its text covers.
const CALENDAR: readonly CalendarRow[] = [
  { when: '2020-02-29', then: [] },
  { when: '2020-03-01', then: ['deferral-2020-03@3'] },
  { when: '2020-06-01', then: ['deferral-2020-03@3', 'deferral-2020-06@4'] },
  { when: '2020-12-31', then: ['deferral-2020-06@4'] },
  { when: '2021-01-01', then: ['deferral-2021-q1@2'] },
  { when: '2021-03-31', then: ['deferral-2021-q1@2'] },
  { when: '2021-04-01', then: ['deferral-2021-81@2'] },
  { when: '2021-12-31', then: ['deferral-2021-81@2'] },
  { when: '2022-01-01', then: [] },
  // 银保监办发〔2022〕40号 (truck drivers only, no end date set) from its publication.
  { when: '2022-04-14', then: [] },
  { when: '2022-04-15', then: ['deferral-2022-40@1'] },
  { when: '2022-05-30', then: ['deferral-2022-40@1'] },
  { when: '2022-05-31', then: ['deferral-2022-40@1', 'deferral-2022@2'] },
  { when: '2022-11-01', then: ['deferral-2022-40@1', 'deferral-2022@2'] },
  { when: '2022-11-13', then: ['deferral-2022-40@1', 'deferral-2022@2'] },
  { when: '2022-11-14', then: ['deferral-2022-40@1', 'deferral-2022@2', 'deferral-2022-q4@3'] },
  { when: '2023-01-01', then: ['deferral-2022-40@1', 'deferral-2022-q4@3'] },
  { when: '2023-06-30', then: ['deferral-2022-40@1', 'deferral-2022-q4@3'] },
  { when: '2023-07-01', then: ['deferral-2022-40@1'] },
]

t.test('the programmes in force on a date (corrected records; corrected versions apply to no new decision)', async (t) => {
  for (const row of CALENDAR) {
    const set = policyAsOf(DEFAULT_POLICY_VERSIONS, d(row.when))
    t.same(
      set.deferralProgrammes.map((p) => `${p.id}@${p.version}`),
      row.then,
      row.when,
    )
  }
  t.equal(policyAsOf(DEFAULT_POLICY_VERSIONS, d('2021-06-01')).extension?.version, 3, 'extension: the corrected version, with the classification stated (version 3)')
})

interface Row {
  readonly name: string
  readonly given: Given & { readonly request: ReturnType<typeof deferral> }
  readonly when: { readonly date: string; readonly scoring?: ScoringSignal | 'unavailable' }
  readonly then: { readonly outcome: Outcome; readonly mandatory?: boolean; readonly programme?: string | null; readonly reasons: readonly ReasonCode[] }
  /** What the first records decided on the same application (a replay shows it), when it differs. */
  readonly firstRecords?: { readonly outcome: Outcome; readonly mandatory?: boolean }
}

const inclusiveSmall = (start: string, maturity: string): Given => ({ enterprise: SIZES.small, loan: { startDate: d(start), maturityDate: d(maturity), totalCreditFen: wan(500) } })

const ROWS: readonly Row[] = [
  // 银发〔2020〕324号 and 银发〔2021〕81号: 由银行和企业自主协商确定, not a mandatory grant.
  {
    name: '2021 Q1 maturity, every condition of 122号 met → APPROVED on its merits, not a mandatory grant (324号)',
    given: { ...inclusiveSmall('2020-02-15', '2021-02-15'), request: deferral('2021-05-15') },
    when: { date: '2021-02-01' },
    then: { outcome: 'APPROVED', mandatory: false, programme: 'deferral-2021-q1', reasons: ['RL_ALL_RULES_PASSED'] },
    firstRecords: { outcome: 'APPROVED', mandatory: true },
  },
  {
    name: '2021 Q1 maturity, poor score → REFERRED: the bank decides with the firm (324号)',
    given: { ...inclusiveSmall('2020-02-15', '2021-02-15'), request: deferral('2021-05-15') },
    when: { date: '2021-02-01', scoring: POOR_SCORE },
    then: { outcome: 'REFERRED', mandatory: false, programme: 'deferral-2021-q1', reasons: ['RL_SCORE_BELOW_THRESHOLD', 'RL_HARDSHIP_STRUCTURAL'] },
    firstRecords: { outcome: 'APPROVED', mandatory: true },
  },
  {
    name: '2021 Q3 maturity, poor score → REFERRED (81号)',
    given: { ...inclusiveSmall('2020-08-20', '2021-08-20'), request: deferral('2021-11-20') },
    when: { date: '2021-08-01', scoring: POOR_SCORE },
    then: { outcome: 'REFERRED', mandatory: false, programme: 'deferral-2021-81', reasons: ['RL_SCORE_BELOW_THRESHOLD', 'RL_HARDSHIP_STRUCTURAL'] },
    firstRecords: { outcome: 'APPROVED', mandatory: true },
  },
  {
    name: '2021 Q4 maturity deferred past the bank’s default limit (the notice sets none) → REFERRED (81号)',
    given: { ...inclusiveSmall('2020-12-20', '2021-12-20'), request: deferral('2022-06-20') },
    when: { date: '2021-12-01' },
    then: { outcome: 'REFERRED', programme: 'deferral-2021-81', reasons: ['RL_DEFERRAL_BEYOND_LIMIT_IN_PRINCIPLE'] },
    firstRecords: { outcome: 'DECLINED' },
  },
  {
    name: 'a medium firm in 2021 → DECLINED: the 2021 rounds are for inclusive small/micro loans',
    given: { enterprise: SIZES.medium, loan: { startDate: d('2020-08-20'), maturityDate: d('2021-08-20') }, request: deferral('2021-11-20') },
    when: { date: '2021-08-01' },
    then: { outcome: 'DECLINED', programme: null, reasons: ['RL_BORROWER_INELIGIBLE'] },
  },
  // 银发〔2020〕122号: interest payable 2020-06-01…2020-12-31, whatever the maturity.
  {
    name: 'interest due 2020-09-20 on a loan maturing in 2022, deferred to 2021-03-20 → mandatory grant (122号)',
    given: { ...inclusiveSmall('2019-06-30', '2022-06-30'), request: deferral('2021-03-20', { principal: false, interest: true, interestDueDate: d('2020-09-20') }) },
    when: { date: '2020-09-01' },
    then: { outcome: 'APPROVED', mandatory: true, programme: 'deferral-2020-06', reasons: ['RL_MANDATORY_GRANT'] },
    firstRecords: { outcome: 'DECLINED' },
  },
  {
    name: 'interest due 2021-01-05 → outside 122号’s interest window, DECLINED',
    given: { ...inclusiveSmall('2019-06-30', '2022-06-30'), request: deferral('2021-03-20', { principal: false, interest: true, interestDueDate: d('2021-01-05') }) },
    when: { date: '2020-12-20' },
    then: { outcome: 'DECLINED', programme: null, reasons: ['RL_DUE_OUTSIDE_WINDOW'] },
  },
  {
    name: 'interest due 2020-09-20 deferred to 2021-04-01 → beyond 122号’s limit, DECLINED',
    given: { ...inclusiveSmall('2019-06-30', '2022-06-30'), request: deferral('2021-04-01', { principal: false, interest: true, interestDueDate: d('2020-09-20') }) },
    when: { date: '2020-09-01' },
    then: { outcome: 'DECLINED', programme: null, reasons: ['RL_DEFERRAL_BEYOND_LIMIT'] },
  },
  // 122号: 其他中小微企业贷款和大型国际产业链企业（外贸企业）等有特殊困难企业的贷款，可由企业与银行业金融机构自主协商.
  {
    name: 'a medium firm’s loan maturing 2020-08-31 → REFERRED for agreement (122号 自主协商)',
    given: { enterprise: SIZES.medium, loan: { startDate: d('2019-08-31'), maturityDate: d('2020-08-31') }, request: deferral('2021-02-28') },
    when: { date: '2020-08-01' },
    then: { outcome: 'REFERRED', programme: 'deferral-2020-06', reasons: ['RL_BORROWER_INELIGIBLE', 'RL_NEGOTIATED_ARRANGEMENT'] },
    firstRecords: { outcome: 'DECLINED' },
  },
  {
    name: 'a large industrial firm (foreign trade, special difficulty) maturing 2020-10-31 → REFERRED for agreement',
    given: { enterprise: SIZES.largeIndustrial, loan: { startDate: d('2019-10-31'), maturityDate: d('2020-10-31') }, request: deferral('2021-01-31') },
    when: { date: '2020-10-01' },
    then: { outcome: 'REFERRED', programme: 'deferral-2020-06', reasons: ['RL_BORROWER_INELIGIBLE', 'RL_NEGOTIATED_ARRANGEMENT'] },
    firstRecords: { outcome: 'DECLINED' },
  },
  {
    name: 'a medium firm past 122号’s limit too → DECLINED: only the borrower condition is left to agreement',
    given: { enterprise: SIZES.medium, loan: { startDate: d('2019-08-31'), maturityDate: d('2020-08-31') }, request: deferral('2021-04-30') },
    when: { date: '2020-08-01' },
    then: { outcome: 'DECLINED', programme: null, reasons: ['RL_BORROWER_INELIGIBLE', 'RL_DEFERRAL_BEYOND_LIMIT'] },
  },
  // 银保监发〔2020〕6号: 应根据企业申请; 另外的延期安排.
  {
    name: 'March 2020 round started by the bank → REFERRED: the notice acts on the firm’s application (6号)',
    given: { enterprise: SIZES.small, loan: { startDate: d('2019-04-15'), maturityDate: d('2020-04-15') }, initiatedBy: 'bank', request: deferral('2020-06-15') },
    when: { date: '2020-04-01' },
    then: { outcome: 'REFERRED', programme: 'deferral-2020-03', reasons: ['RL_BANK_INITIATED'] },
    firstRecords: { outcome: 'APPROVED' },
  },
  {
    name: 'March 2020 round, a deferral to 2020-09-30 → REFERRED for a further arrangement (6号 另外的延期安排)',
    given: { enterprise: SIZES.small, loan: { startDate: d('2019-04-15'), maturityDate: d('2020-04-15') }, request: deferral('2020-09-30') },
    when: { date: '2020-04-01' },
    then: { outcome: 'REFERRED', programme: 'deferral-2020-03', reasons: ['RL_DEFERRAL_BEYOND_LIMIT', 'RL_NEGOTIATED_ARRANGEMENT'] },
    firstRecords: { outcome: 'DECLINED' },
  },
  {
    name: 'March 2020 round, a large firm outside Hubei → DECLINED: the further arrangement is for SMEs',
    given: { enterprise: SIZES.largeIndustrial, loan: { startDate: d('2019-04-15'), maturityDate: d('2020-04-15') }, request: deferral('2020-06-15') },
    when: { date: '2020-04-01' },
    then: { outcome: 'DECLINED', programme: null, reasons: ['RL_BORROWER_INELIGIBLE'] },
  },
  // 国发〔2022〕12号: 原则上不超过2022年底.
  {
    name: '2022: principal due 2022-08-15 deferred to 2022-12-31 → APPROVED (State Council package)',
    given: { enterprise: SIZES.small, loan: { startDate: d('2021-08-15'), maturityDate: d('2022-08-15') }, request: deferral('2022-12-31') },
    when: { date: '2022-08-01' },
    then: { outcome: 'APPROVED', programme: 'deferral-2022', reasons: ['RL_ALL_RULES_PASSED'] },
    firstRecords: { outcome: 'DECLINED' },
  },
  {
    name: '2022: deferred to 2023-02-28, past the limit in principle → REFERRED',
    given: { enterprise: SIZES.small, loan: { startDate: d('2021-08-15'), maturityDate: d('2022-08-15') }, request: deferral('2023-02-28') },
    when: { date: '2022-08-01' },
    then: { outcome: 'REFERRED', programme: 'deferral-2022', reasons: ['RL_DEFERRAL_BEYOND_LIMIT_IN_PRINCIPLE'] },
    firstRecords: { outcome: 'DECLINED' },
  },
  {
    name: 'applied on 2022-03-01 → DECLINED: no programme was in force',
    given: { enterprise: SIZES.small, loan: { startDate: d('2021-03-15'), maturityDate: d('2022-03-15') }, request: deferral('2022-06-15') },
    when: { date: '2022-03-01' },
    then: { outcome: 'DECLINED', programme: null, reasons: ['RL_NO_PROGRAMME_IN_FORCE'] },
  },
  // The six departments' notice of 2022-11-14: 原则上最长可延至2023年6月30日.
  {
    name: '2022-Q4 maturity, applied 2022-11-14, deferred to 2023-03-31 → APPROVED under the Q4 programme',
    given: { enterprise: SIZES.small, loan: { startDate: d('2021-11-30'), maturityDate: d('2022-11-30') }, request: deferral('2023-03-31') },
    when: { date: '2022-11-14' },
    then: { outcome: 'APPROVED', programme: 'deferral-2022-q4', reasons: ['RL_ALL_RULES_PASSED'] },
  },
  {
    name: 'the same applied on 2022-11-05, before the notice → REFERRED under the 2022 round (past its limit in principle)',
    given: { enterprise: SIZES.small, loan: { startDate: d('2021-11-30'), maturityDate: d('2022-11-30') }, request: deferral('2023-03-31') },
    when: { date: '2022-11-05' },
    then: { outcome: 'REFERRED', programme: 'deferral-2022', reasons: ['RL_DEFERRAL_BEYOND_LIMIT_IN_PRINCIPLE'] },
    firstRecords: { outcome: 'APPROVED' },
  },
  {
    name: '2022-Q4 maturity deferred to 2023-07-31, past both limits in principle → REFERRED (ties go to the earlier programme)',
    given: { enterprise: SIZES.small, loan: { startDate: d('2021-11-30'), maturityDate: d('2022-11-30') }, request: deferral('2023-07-31') },
    when: { date: '2022-11-20' },
    then: { outcome: 'REFERRED', programme: 'deferral-2022', reasons: ['RL_DEFERRAL_BEYOND_LIMIT_IN_PRINCIPLE'] },
    firstRecords: { outcome: 'DECLINED' },
  },
]

t.test('deferral under the corrected records, and what the first records decided', async (t) => {
  for (const row of ROWS) {
    t.test(row.name, async (t) => {
      const { request, ...given } = row.given
      const app = application(request, given)
      const decision = run(app, row.when.date, row.when.scoring ?? GOOD_SCORE)
      t.equal(decision.outcome, row.then.outcome, 'outcome')
      if (row.then.mandatory !== undefined) t.equal(decision.mandatory, row.then.mandatory, 'mandatory')
      if (row.then.programme !== undefined) t.equal(decision.programme?.id ?? null, row.then.programme, 'programme')
      t.same(reasonCodes(decision), row.then.reasons, 'reasons')
      const first = run(app, row.when.date, row.when.scoring ?? GOOD_SCORE, FIRST_RECORDS)
      t.equal(first.outcome, row.firstRecords?.outcome ?? row.then.outcome, 'first records: outcome')
      if (row.firstRecords?.mandatory !== undefined) t.equal(first.mandatory, row.firstRecords.mandatory, 'first records: mandatory')
    })
  }
})

t.test('a negotiated referral names what was beyond the programme and the clause that allows it', async (t) => {
  const app = application(deferral('2021-02-28'), { enterprise: SIZES.medium, loan: { startDate: d('2019-08-31'), maturityDate: d('2020-08-31') } })
  const decision = run(app, '2020-08-01')
  const negotiated = ruleOf(decision, 'NEGOTIATED_ARRANGEMENT', 'deferral-2020-06')
  t.match(negotiated, { result: 'fail', effect: 'refer', details: { beyond: 'BORROWER_ELIGIBLE', borrowers: 'any' } })
  t.equal(ruleOf(decision, 'BORROWER_ELIGIBLE', 'deferral-2020-06').effect, 'refer', 'the failure refers')
  t.equal(decision.mandatory, false)
  const eligible = run(application(deferral('2021-02-28'), inclusiveSmall('2019-08-31', '2020-08-31')), '2020-08-01')
  t.match(ruleOf(eligible, 'NEGOTIATED_ARRANGEMENT', 'deferral-2020-06'), { result: 'not-applicable', code: 'RL_NEGOTIATED_NOT_NEEDED' })
})

/** A city's own programme (GB/T 2260 prefix 4201, Wuhan) for 2024, laid over the shipped records. */
const { corrects: _corrects, citations: _citations, ...Q4_FIELDS } = DEFERRAL_2022_Q4_V2
const WUHAN_2024: DeferralProgramme = {
  ...Q4_FIELDS,
  id: 'deferral-wuhan-2024',
  version: 1,
  effectiveFrom: d('2024-01-01'),
  effectiveTo: d('2024-12-31'),
  regions: ['4201'],
  eligibility: { basis: 'loan-maturity', maturity: { from: d('2024-01-01'), to: d('2024-12-31') } },
  deferUntilLatest: d('2025-06-30'),
}
const WITH_WUHAN: readonly PolicyVersion[] = [...DEFAULT_POLICY_VERSIONS, WUHAN_2024]

t.test('a programme limited to a region covers the firms there only (region codes as data)', async (t) => {
  const rows: readonly { name: string; region: string; then: { outcome: Outcome; reasons: readonly ReasonCode[]; rule: 'pass' | 'fail' } }[] = [
    { name: 'a Wuhan firm (420100) → APPROVED', region: '420100', then: { outcome: 'APPROVED', reasons: ['RL_ALL_RULES_PASSED'], rule: 'pass' } },
    { name: 'a firm in a Wuhan district (420102) → APPROVED', region: '420102', then: { outcome: 'APPROVED', reasons: ['RL_ALL_RULES_PASSED'], rule: 'pass' } },
    { name: 'a firm elsewhere in Hubei (420500, Yichang) → DECLINED', region: '420500', then: { outcome: 'DECLINED', reasons: ['RL_OUTSIDE_PROGRAMME_REGION'], rule: 'fail' } },
    { name: 'a Fuzhou firm (350100) → DECLINED', region: '350100', then: { outcome: 'DECLINED', reasons: ['RL_OUTSIDE_PROGRAMME_REGION'], rule: 'fail' } },
  ]
  for (const row of rows) {
    const app = application(deferral('2024-12-31'), { enterprise: { ...SIZES.small, regionCode: row.region }, loan: { startDate: d('2023-08-31'), maturityDate: d('2024-08-31') } })
    const decision = run(app, '2024-08-01', GOOD_SCORE, WITH_WUHAN)
    t.equal(decision.outcome, row.then.outcome, row.name)
    t.same(reasonCodes(decision), row.then.reasons, `${row.name}: reasons`)
    t.equal(ruleOf(decision, 'PROGRAMME_REGION', 'deferral-wuhan-2024').result, row.then.rule, `${row.name}: region rule`)
  }
  const nationwide = run(application(deferral('2023-03-31'), { enterprise: SIZES.small, loan: { startDate: d('2021-11-30'), maturityDate: d('2022-11-30') } }), '2022-11-20')
  t.notOk(nationwide.rules.some((r) => r.rule === 'PROGRAMME_REGION'), 'a nationwide programme has no region rule')
})

t.test('due-diligence exemption (尽职免责) is recorded on relief granted under the texts that grant it', async (t) => {
  const q4 = run(application(deferral('2023-03-31'), { enterprise: SIZES.small, loan: { startDate: d('2021-11-30'), maturityDate: d('2022-11-30') } }), '2022-11-20')
  t.equal(q4.programme?.id, 'deferral-2022-q4')
  t.match(q4.terms, { kind: 'deferral', effects: { dueDiligenceExemption: true, documentsMayFollow: true, interestAccrual: 'normal' } })
  const june2020 = run(application(deferral('2021-02-28'), inclusiveSmall('2019-08-31', '2020-08-31')), '2020-08-01')
  t.equal(june2020.terms?.kind === 'deferral' && june2020.terms.effects.dueDiligenceExemption, undefined, '122号 says nothing of it')
  const renewal = run(
    application({ kind: 'renewal', withoutPrincipalRepayment: true, newMaturity: d('2026-06-30'), standing: { lawfulAndStable: true, fundsDiverted: false, interestUnpaid: false, debtEvasion: false } }, { loan: { startDate: d('2024-06-30'), maturityDate: d('2025-06-30') } }),
    '2025-06-01',
  )
  t.match(renewal.terms, { kind: 'renewal', dueDiligenceExemption: true }, '金规〔2024〕13号')
})

/** The bank's parameters as a local legal-person bank (a city commercial bank, say), from 2020. */
const LOCAL_BANK: readonly PolicyVersion[] = [
  ...DEFAULT_POLICY_VERSIONS,
  { ...BANK_PARAMETERS_DEFAULT, version: 2, effectiveFrom: d('2020-01-01'), localLegalPersonBank: true },
]

t.test('the PBoC incentive for local legal-person banks: 1% of the principal deferred at least 6 months, once per loan (122号; 81号)', async (t) => {
  // A loan of CNY 3 million (300,000,000 fen) maturing 2021-08-20, under 81号.
  const rows: readonly { name: string; request: ReturnType<typeof deferral>; versions: readonly PolicyVersion[]; principal?: bigint; then: { eligible: boolean; reason: string; incentiveFen: string; deferToAtLeast: string | null } }[] = [
    { name: 'a local bank, deferred exactly 6 months → 1%', request: deferral('2022-02-20'), versions: LOCAL_BANK, then: { eligible: true, reason: 'eligible', incentiveFen: '3000000', deferToAtLeast: '2022-02-20' } },
    { name: 'a local bank, a day short of 6 months → none', request: deferral('2022-02-19'), versions: LOCAL_BANK, then: { eligible: false, reason: 'deferral-shorter-than-minimum', incentiveFen: '0', deferToAtLeast: '2022-02-20' } },
    { name: 'interest only → none (the incentive is on principal)', request: deferral('2022-03-20', { principal: false, interest: true, interestDueDate: d('2021-08-20') }), versions: LOCAL_BANK, then: { eligible: false, reason: 'principal-not-deferred', incentiveFen: '0', deferToAtLeast: null } },
    { name: 'a national bank (the default parameters) → none', request: deferral('2022-02-20'), versions: DEFAULT_POLICY_VERSIONS, then: { eligible: false, reason: 'not-a-local-legal-person-bank', incentiveFen: '0', deferToAtLeast: '2022-02-20' } },
    { name: '12,345 fen: 123.45 rounds half up to 123', request: deferral('2022-02-20'), versions: LOCAL_BANK, principal: 12_345n, then: { eligible: true, reason: 'eligible', incentiveFen: '123', deferToAtLeast: '2022-02-20' } },
    { name: '12,350 fen: 123.5 rounds half up to 124', request: deferral('2022-02-20'), versions: LOCAL_BANK, principal: 12_350n, then: { eligible: true, reason: 'eligible', incentiveFen: '124', deferToAtLeast: '2022-02-20' } },
  ]
  for (const row of rows) {
    const given = inclusiveSmall('2020-08-20', '2021-08-20')
    const app = application(row.request, { ...given, loan: { ...given.loan, outstandingPrincipalFen: row.principal ?? wan(300) } })
    const decision = run(app, '2021-08-01', GOOD_SCORE, row.versions)
    t.equal(decision.programme?.id, 'deferral-2021-81', `${row.name}: under 81号`)
    t.match(decision.terms, { kind: 'deferral', pbocIncentive: { ...row.then, rateBp: 100, oncePerLoan: true } }, row.name)
  }
  const q4 = run(application(deferral('2023-03-31'), { enterprise: SIZES.small, loan: { startDate: d('2021-11-30'), maturityDate: d('2022-11-30') } }), '2022-11-20', GOOD_SCORE, LOCAL_BANK)
  t.notOk(q4.terms !== null && 'pbocIncentive' in q4.terms, 'the 2022-Q4 programme has no such incentive')
})

t.test('credit-report instructions and the classification effect on the granted terms (不影响征信记录; 不单独因疫情因素下调贷款风险分类; 2023 floors)', async (t) => {
  const q4 = (loan: Given['loan'], request = deferral('2023-03-31')) =>
    run(application(request, { enterprise: SIZES.small, loan: { startDate: d('2021-11-30'), maturityDate: d('2022-11-30'), ...loan } }), '2022-11-20', { ...GOOD_SCORE })
  const rows: readonly { name: string; loan: Given['loan']; request?: ReturnType<typeof deferral>; then: { reporting: readonly object[]; classification: object } }[] = [
    {
      name: 'a normal loan, principal deferred → reported on the adjusted schedule, no overdue entry; stays normal',
      loan: {},
      then: {
        reporting: [{ amount: 'principal', contractDueDate: '2022-11-30', reportedDueDate: '2023-03-31', schedule: 'adjusted', overdueEntry: false }],
        classification: { before: 'normal', after: 'normal', floor: 'normal', daysPastDue: 0, basis: 'kept: no downgrade for the epidemic alone' },
      },
    },
    {
      name: 'principal and interest → one instruction each',
      loan: {},
      request: deferral('2023-03-31', { interest: true, interestDueDate: d('2022-11-21') }),
      then: {
        reporting: [
          { amount: 'principal', contractDueDate: '2022-11-30', reportedDueDate: '2023-03-31', schedule: 'adjusted', overdueEntry: false },
          { amount: 'interest', contractDueDate: '2022-11-21', reportedDueDate: '2023-03-31', schedule: 'adjusted', overdueEntry: false },
        ],
        classification: { after: 'normal' },
      },
    },
    {
      name: 'special-mention, 5 days past due → the floor is special-mention: kept',
      loan: { classification: 'special-mention', daysPastDue: 5 },
      then: { reporting: [{ amount: 'principal' }], classification: { before: 'special-mention', after: 'special-mention', floor: 'special-mention', basis: 'kept: no downgrade for the epidemic alone' } },
    },
  ]
  for (const row of rows) {
    const decision = q4(row.loan, row.request)
    t.equal(decision.programme?.id, 'deferral-2022-q4', `${row.name}: under the Q4 programme`)
    t.match(decision.terms, { kind: 'deferral', creditReporting: row.then.reporting, classification: row.then.classification }, row.name)
    if (decision.terms?.kind === 'deferral') t.equal(decision.terms.creditReporting?.length, row.then.reporting.length, `${row.name}: instructions`)
  }
  const first = run(application(deferral('2023-03-31'), { enterprise: SIZES.small, loan: { startDate: d('2021-11-30'), maturityDate: d('2022-11-30') } }), '2022-11-20', GOOD_SCORE, FIRST_RECORDS)
  t.notOk(first.terms !== null && ('creditReporting' in first.terms || 'classification' in first.terms), 'decisions under the first records carry neither (they replay as they were)')
})

t.test('the overdue-day floors of the 2023 classification rules, at each boundary', async (t) => {
  const rows: readonly [number, string][] = [
    [0, 'normal'],
    [1, 'special-mention'],
    [90, 'special-mention'],
    [91, 'substandard'],
    [270, 'substandard'],
    [271, 'doubtful'],
    [360, 'doubtful'],
    [361, 'loss'],
  ]
  for (const [days, floor] of rows) t.equal(classificationFloor(days), floor, `${days} days past due → at least ${floor}`)
  t.equal(worseClassification('special-mention', 'substandard'), 'substandard')
  t.equal(worseClassification('doubtful', 'normal'), 'doubtful')
})
