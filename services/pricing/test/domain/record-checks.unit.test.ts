// What an admin's record must be beyond its shape (the API schema checks types and ranges), as
// Given/When/Then rows: each wrong record names the field, the bundled records are all sound.
import t from 'tap'
import { parseDate } from '@sme/domain'
import { DEFAULT_BRIDGE_FUND, DEFAULT_PROGRAMMES, DEFAULT_RATE_CARD, recordIssues, type PricingRecord } from '../../src/index.js'

const d = parseDate
const CARD = DEFAULT_RATE_CARD
const FUND = DEFAULT_BRIDGE_FUND
const CUT: PricingRecord = {
  kind: 'rate-cut',
  id: 'relief-cut',
  version: 1,
  effectiveFrom: d('2020-02-01'),
  effectiveTo: d('2020-12-31'),
  title: { zh: '纾困降息', en: 'Relief rate cut' },
  source: 'bank policy',
  precedence: 10,
  requiresAffected: true,
  segments: [{ sizes: ['small', 'micro'], grades: null, cutBp: 30 }],
}

const ROWS: { name: string; given: PricingRecord; then: string[] }[] = [
  ...[CARD, FUND, CUT, ...DEFAULT_PROGRAMMES].map((r) => ({ name: `the record ${r.id}@${r.version} as bundled: sound`, given: r, then: [] })),
  { name: 'a record that ends before it starts', given: { ...CUT, effectiveTo: d('2020-01-31') }, then: ['/effectiveTo'] },
  { name: 'a record in force one day (ends the day it starts): sound', given: { ...CUT, effectiveTo: d('2020-02-01') }, then: [] },
  {
    name: 'a rate card giving one product, band and grade twice: the second is named',
    given: { ...CARD, spreads: [CARD.spreads[0]!, CARD.spreads[1]!, { ...CARD.spreads[0]!, spreadBp: 10 }] },
    then: ['/spreads/2'],
  },
  { name: 'a rate cut segment naming no size (null is any)', given: { ...CUT, segments: [{ sizes: [], grades: null, cutBp: 30 }] }, then: ['/segments/0/sizes'] },
  { name: 'a rate cut segment naming no grade', given: { ...CUT, segments: [{ sizes: null, grades: [], cutBp: 30 }] }, then: ['/segments/0/grades'] },
  {
    name: 'a subsidy for contracts from a day after it ends',
    given: { ...DEFAULT_PROGRAMMES[1]!, effectiveTo: d('2020-02-06'), contractsFrom: d('2020-03-01') } as PricingRecord,
    then: ['/contractsFrom'],
  },
  {
    name: 'bridge tiers out of order',
    given: { ...FUND, tiers: [{ throughDay: 5, dailyPpm: 200 }, { throughDay: 3, dailyPpm: 400 }, { throughDay: null, dailyPpm: 500 }] },
    then: ['/tiers/1/throughDay'],
  },
  { name: 'a bridge tier running on before the last', given: { ...FUND, tiers: [{ throughDay: null, dailyPpm: 200 }, { throughDay: 9, dailyPpm: 400 }] }, then: ['/tiers/0/throughDay', '/tiers/1/throughDay'] },
  { name: 'bridge tiers ending on day 10 with no limit on days: day 11 has no fee', given: { ...FUND, tiers: [{ throughDay: 10, dailyPpm: 200 }] }, then: ['/tiers/0/throughDay'] },
  { name: 'bridge tiers ending on day 10 for a fund of at most 15 days', given: { ...FUND, tiers: [{ throughDay: 10, dailyPpm: 200 }], maxDays: 15 }, then: ['/tiers/0/throughDay'] },
  { name: 'bridge tiers ending on day 10 for a fund of at most 10 days: sound', given: { ...FUND, tiers: [{ throughDay: 10, dailyPpm: 200 }], maxDays: 10 }, then: [] },
]

t.test('Given a record an admin adds, when checked, then each fault is named by its field', async (t) => {
  for (const row of ROWS) {
    t.test(row.name, async (t) => {
      t.same(
        recordIssues(row.given).map((i) => i.field),
        row.then,
      )
    })
  }
})
