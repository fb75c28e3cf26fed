// Eligibility of a claim (POLICY §5; 工信明电〔2020〕14号 item 9) as Given/When/Then rows: each
// condition at its edge, the completeness check naming what is missing, every reason reported.
import t from 'tap'
import { AGREEMENT_4222, AGREEMENT_4321, CLAIM_DOCUMENTS, eligibility, missingDocuments, type EligibilityFacts, type IneligibilityCode } from '../../src/domain/index.js'
import { d, version } from './fixtures.js'

const ALL_DOCUMENTS = AGREEMENT_4222.requiredDocuments.map((x) => x.code)
const VERSIONS = [AGREEMENT_4222, AGREEMENT_4321]

const facts = (over: Partial<EligibilityFacts> = {}): EligibilityFacts => ({
  agreementId: AGREEMENT_4222.id,
  guaranteedOn: d('2020-03-01'),
  borrowerSize: 'small',
  outstandingPrincipal: 100_000_000n,
  daysPastDue: 90,
  openClaimOnLoan: false,
  demandOutcome: 'claim',
  documents: ALL_DOCUMENTS,
  ...over,
})

const ROWS: readonly { name: string; given: EligibilityFacts; then: readonly IneligibilityCode[] }[] = [
  { name: 'everything in order, 90 days past due (the agreement’s 90)', given: facts(), then: [] },
  { name: '89 days past due: not yet', given: facts({ daysPastDue: 89 }), then: ['DAYS_PAST_DUE_NOT_REACHED'] },
  { name: 'a micro firm', given: facts({ borrowerSize: 'micro' }), then: [] },
  { name: 'a medium firm: not served by the programme', given: facts({ borrowerSize: 'medium' }), then: ['SIZE_NOT_COVERED'] },
  { name: 'a large firm', given: facts({ borrowerSize: 'large' }), then: ['SIZE_NOT_COVERED'] },
  { name: 'nothing outstanding', given: facts({ outstandingPrincipal: 0n }), then: ['NOTHING_OUTSTANDING'] },
  { name: 'another claim open on the loan', given: facts({ openClaimOnLoan: true }), then: ['ALREADY_CLAIMED'] },
  { name: 'no demand on the borrower yet', given: facts({ demandOutcome: null }), then: ['DEMAND_NOT_CONCLUDED'] },
  { name: 'the demand cured the loan', given: facts({ demandOutcome: 'cured' }), then: ['DEMAND_NOT_CONCLUDED'] },
  { name: 'the demand ended in no claim', given: facts({ demandOutcome: 'no-claim' }), then: ['DEMAND_NOT_CONCLUDED'] },
  { name: 'the overdue notice missing', given: facts({ documents: ALL_DOCUMENTS.filter((c) => c !== CLAIM_DOCUMENTS.overdueNotice.code) }), then: ['DOCUMENTS_MISSING'] },
  { name: 'guaranteed before the agreement began', given: facts({ guaranteedOn: d('2019-12-31') }), then: ['NO_AGREEMENT_IN_FORCE'] },
  { name: 'under another agreement’s threshold (4:3:2:1 claims from 60 days)', given: facts({ agreementId: AGREEMENT_4321.id, daysPastDue: 60 }), then: [] },
  {
    name: 'everything wrong at once: every reason, in order',
    given: facts({ borrowerSize: 'medium', outstandingPrincipal: 0n, daysPastDue: 10, openClaimOnLoan: true, demandOutcome: null, documents: [] }),
    then: ['SIZE_NOT_COVERED', 'NOTHING_OUTSTANDING', 'DAYS_PAST_DUE_NOT_REACHED', 'ALREADY_CLAIMED', 'DEMAND_NOT_CONCLUDED', 'DOCUMENTS_MISSING'],
  },
]

for (const row of ROWS) {
  t.test(row.name, async (t) => {
    const e = eligibility(VERSIONS, row.given)
    t.same(e.reasons.map((r) => r.code), row.then)
    t.equal(e.eligible, row.then.length === 0)
    for (const r of e.reasons) t.ok(r.text.zh.length > 0 && r.text.en.length > 0, `${r.code} says why in both languages`)
  })
}

t.test('the completeness check names what is missing before submission', async (t) => {
  const e = eligibility(VERSIONS, facts({ documents: ['claim-application', 'loan-contract'] }))
  t.same(e.missing.map((m) => m.code), ['guarantee-contract', 'overdue-notice', 'debt-statement', 'demand-outcome'])
  t.same(e.reasons.find((r) => r.code === 'DOCUMENTS_MISSING')?.missing?.map((m) => m.code), e.missing.map((m) => m.code))
  t.same(missingDocuments(AGREEMENT_4321, ['claim-application', 'loan-contract', 'guarantee-contract', 'overdue-notice', 'debt-statement']), [], 'the 4:3:2:1 agreement does not ask for the demand account')
})

t.test('judged under the version in force on the guarantee day', async (t) => {
  const v1 = version(AGREEMENT_4222, { effectiveTo: d('2020-12-31') })
  const v2 = version(AGREEMENT_4222, { version: 2, effectiveFrom: d('2021-01-01'), claimAfterDaysPastDue: 120 })
  const early = eligibility([v1, v2], facts({ guaranteedOn: d('2020-12-31'), daysPastDue: 100 }))
  const late = eligibility([v1, v2], facts({ guaranteedOn: d('2021-01-01'), daysPastDue: 100 }))
  t.equal(early.agreement?.version, 1)
  t.ok(early.eligible, 'guaranteed under version 1: 90 days suffice')
  t.equal(late.agreement?.version, 2)
  t.same(late.reasons.map((r) => r.code), ['DAYS_PAST_DUE_NOT_REACHED'], 'guaranteed under version 2: 120 days')
  t.equal(late.claimableFromDaysPastDue, 120)
})
