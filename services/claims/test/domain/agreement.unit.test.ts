// Guarantee agreements as dated data (POLICY §5): a version that contradicts itself is refused,
// naming the field; a loan is claimed under the version in force on the day it was guaranteed.
import t from 'tap'
import { agreementInForce, agreementIssues, AGREEMENT_4222, AGREEMENT_4321, DEFAULT_AGREEMENTS, type GuaranteeAgreement } from '../../src/domain/index.js'
import { d, version } from './fixtures.js'

t.test('the shipped agreements are consistent', async (t) => {
  for (const a of DEFAULT_AGREEMENTS) t.same(agreementIssues(a), [], a.id)
})

const BROKEN: readonly { name: string; given: GuaranteeAgreement; then: string }[] = [
  {
    name: 'shares summing to 90%',
    given: version(AGREEMENT_4222, { layers: AGREEMENT_4222.layers.map((l) => (l.party === 'national-fund' ? { ...l, shareBp: 1_000 } : l)), coveredShareBp: 7_000 }),
    then: '/layers',
  },
  {
    name: 'the bank keeping 10% (4:3:2:1 read as bank last)',
    given: version(AGREEMENT_4321, {
      layers: [
        { party: 'originating-agency', partyId: 'HZ-AGENCY-02', shareBp: 4_000 },
        { party: 'provincial-reguarantor', partyId: 'ZJ-REGUARANTEE', shareBp: 3_000 },
        { party: 'local-government', partyId: 'HZ-RISK-COMPENSATION', shareBp: 2_000 },
        { party: 'bank', partyId: 'BANK', shareBp: 1_000 },
      ],
      coveredShareBp: 9_000,
    }),
    then: '/layers',
  },
  { name: 'a covered share other than the paying layers’', given: version(AGREEMENT_4222, { coveredShareBp: 10_000 }), then: '/coveredShareBp' },
  { name: 'no bank layer', given: version(AGREEMENT_4222, { layers: AGREEMENT_4222.layers.map((l) => (l.party === 'bank' ? { ...l, party: 'national-fund' as const, partyId: 'X' } : l)), coveredShareBp: 10_000 }), then: '/layers' },
  { name: 'the remainder to the bank', given: version(AGREEMENT_4222, { rounding: { amount: 'half-up', remainderTo: 'bank' } }), then: '/rounding/remainderTo' },
  { name: 'the remainder to a layer it does not have', given: version(AGREEMENT_4222, { rounding: { amount: 'half-up', remainderTo: 'local-government' } }), then: '/rounding/remainderTo' },
  { name: 'an unknown rounding mode', given: version(AGREEMENT_4222, { rounding: { amount: 'nearest' as never, remainderTo: 'originating-agency' } }), then: '/rounding/amount' },
  { name: 'the agency not the originating layer', given: version(AGREEMENT_4222, { agencyId: 'ZJ-REGUARANTEE' }), then: '/agencyId' },
  { name: 'claims from day 0', given: version(AGREEMENT_4222, { claimAfterDaysPastDue: 0 }), then: '/claimAfterDaysPastDue' },
  { name: 'no payment deadline', given: version(AGREEMENT_4222, { paymentDeadlineBusinessDays: 0 }), then: '/paymentDeadlineBusinessDays' },
  { name: 'a fractional interest cap', given: version(AGREEMENT_4222, { interestCap: { maxDays: 1.5, rounding: 'half-up' } }), then: '/interestCap/maxDays' },
  { name: 'a negative recourse extension', given: version(AGREEMENT_4222, { recourse: { months: 24, epidemicExtensionMonths: -1 } }), then: '/recourse/epidemicExtensionMonths' },
  { name: 'a document listed twice', given: version(AGREEMENT_4222, { requiredDocuments: [...AGREEMENT_4222.requiredDocuments, AGREEMENT_4222.requiredDocuments[0]!] }), then: '/requiredDocuments/6/code' },
  { name: 'a portfolio cap of 0', given: version(AGREEMENT_4222, { portfolioCap: { capBp: 0, mode: 'flag' } }), then: '/portfolioCap/capBp' },
  { name: 'an end before its start', given: version(AGREEMENT_4222, { effectiveTo: d('2019-12-31') }), then: '/effectiveTo' },
  { name: 'serving no size', given: version(AGREEMENT_4222, { coveredSizes: [] }), then: '/coveredSizes' },
  { name: 'a layer repeated', given: version(AGREEMENT_4222, { layers: [...AGREEMENT_4222.layers.slice(0, 3), { ...AGREEMENT_4222.layers[2]!, shareBp: 1_000 }, { party: 'bank', partyId: 'BANK', shareBp: 1_000 }] }), then: '/layers/3' },
]

for (const row of BROKEN) {
  t.test(`refused: ${row.name} → ${row.then}`, async (t) => {
    const issues = agreementIssues(row.given)
    t.ok(issues.some((i) => i.path === row.then), `${JSON.stringify(issues)} names ${row.then}`)
  })
}

t.test('the version in force on the guarantee day, not today’s', async (t) => {
  const v1 = version(AGREEMENT_4222, { effectiveTo: d('2020-12-31') })
  const v2 = version(AGREEMENT_4222, { version: 2, effectiveFrom: d('2021-01-01'), claimAfterDaysPastDue: 60 })
  const versions = [v2, v1, AGREEMENT_4321]
  const rows: readonly [string, number | null][] = [
    ['2019-12-31', null],
    ['2020-01-01', 1],
    ['2020-12-31', 1],
    ['2021-01-01', 2],
    ['2026-12-07', 2],
  ]
  for (const [day, then] of rows) t.equal(agreementInForce(versions, AGREEMENT_4222.id, d(day))?.version ?? null, then, `guaranteed ${day} → ${then ?? 'none'}`)
  t.equal(agreementInForce(versions, 'NO-SUCH', d('2021-01-01')), null, 'another agreement id: none')
  const corrected = version(v2, { version: 3 })
  t.equal(agreementInForce([v1, v2, corrected], AGREEMENT_4222.id, d('2021-06-01'))?.version, 3, 'the highest version covering the day')
})
