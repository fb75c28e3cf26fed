// What intake refuses before storing anything, as a Given/When/Then table: an identity that fails its
// check characters (GB 32100-2015; the reference data's exception list excepted), and facts that cannot
// be true on the day of the application. Every refusal names its field and never repeats the code.
import t from 'tap'
import { intakeIssues, type ReliefApplication } from '../../src/domain/index.js'
import { BAD_USCC, USCC, application, d, deferral, extension, renewal, wan, type Given } from './fixtures.js'

interface Row {
  readonly name: string
  readonly given?: Given
  readonly when?: ReliefApplication['request']
  readonly exceptions?: readonly string[]
  readonly then: readonly string[]
}

// Applied on 2020-06-15 for the fixture's loan (2019-07-01 → 2020-07-01, 300万 of 500万 credit, 4.35%).
const TODAY = '2020-06-15'

const ROWS: readonly Row[] = [
  { name: 'a sound application → accepted', then: [] },
  { name: 'a wrong check character → /enterprise/uscc', given: { enterprise: { uscc: BAD_USCC } }, then: ['/enterprise/uscc'] },
  { name: 'a wrong check character on the exception list → accepted (the rule records the exception)', given: { enterprise: { uscc: BAD_USCC } }, exceptions: [BAD_USCC], then: [] },
  { name: 'a code of 17 characters → /enterprise/uscc', given: { enterprise: { uscc: USCC.slice(0, 17) } }, then: ['/enterprise/uscc'] },
  { name: 'a loan starting tomorrow → /loan/startDate', given: { loan: { startDate: d('2020-06-16'), maturityDate: d('2021-06-16') } }, when: extension('2021-12-31'), then: ['/loan/startDate'] },
  { name: 'a loan starting today → accepted', given: { loan: { startDate: d(TODAY), maturityDate: d('2021-06-15') } }, when: extension('2021-12-31'), then: [] },
  { name: 'a loan starting next year → /loan/startDate', given: { loan: { startDate: d('2021-01-04'), maturityDate: d('2022-01-04') } }, when: extension('2022-06-30'), then: ['/loan/startDate'] },
  { name: 'past due as many days as the loan has existed → accepted', given: { loan: { daysPastDue: 350 } }, then: [] },
  { name: 'past due a day longer than the loan has existed → /loan/daysPastDue', given: { loan: { daysPastDue: 351 } }, then: ['/loan/daysPastDue'] },
  { name: 'outstanding principal equal to the total credit → accepted', given: { loan: { outstandingPrincipalFen: wan(500) } }, then: [] },
  { name: 'outstanding principal above the total credit → /loan/outstandingPrincipalFen', given: { loan: { outstandingPrincipalFen: wan(500) + 1n } }, then: ['/loan/outstandingPrincipalFen'] },
  { name: 'a rate of 36% a year → accepted', given: { loan: { rateBp: 3_600 } }, then: [] },
  { name: 'a rate of 435% (per cent sent as basis points ×100) → /loan/rateBp', given: { loan: { rateBp: 43_500 } }, then: ['/loan/rateBp'] },
  { name: 'an extension to a date already past → /request/newMaturity', when: extension('2020-06-15'), then: ['/request/newMaturity'] },
  { name: 'a renewal to a date already past → /request/newMaturity', when: renewal('2020-06-01'), then: ['/request/newMaturity'] },
  { name: 'a deferral to a date already past → /request/deferTo', given: { loan: { maturityDate: d('2020-05-01') } }, when: deferral('2020-06-14'), then: ['/request/deferTo'] },
  {
    name: 'several impossible facts → each named',
    given: { enterprise: { uscc: BAD_USCC }, loan: { rateBp: 50_000, outstandingPrincipalFen: wan(900) } },
    then: ['/enterprise/uscc', '/loan/outstandingPrincipalFen', '/loan/rateBp'],
  },
]

t.test('intake refuses what cannot be true, naming the field', async (t) => {
  for (const row of ROWS) {
    const app = application(row.when ?? extension('2020-12-31'), row.given)
    const issues = intakeIssues(app, { applicationDate: d(TODAY), usccExceptions: new Map((row.exceptions ?? []).map((c) => [c, 'issued with a wrong check character'])) })
    t.same(
      issues.map((i) => i.path),
      row.then,
      row.name,
    )
    for (const issue of issues) t.notOk(issue.message.includes(app.enterprise.uscc), `${row.name}: the message does not repeat the code`)
  }
})
