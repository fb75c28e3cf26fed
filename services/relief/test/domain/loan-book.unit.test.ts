// The application checked against core banking's loan book, as a Given/When/Then table. Which loan
// event supersedes which (the per-loan sequence) is one SQL condition, tested against real Kafka and
// PostgreSQL in loan-book.int.test.ts.
import t from 'tap'
import { checkAgainstLoanBook, type ApplicationLoanFacts, type LoanBookCheck, type LoanBookPosition } from '../../src/domain/index.js'

const STATED: ApplicationLoanFacts = { outstandingPrincipalFen: 300_000_000n, daysPastDue: 0, classification: 'normal' }
const BOOK: LoanBookPosition = { loanId: 'L1', sequence: 7, asOf: '2020-06-04T00:00:00.000Z', outstandingPrincipalFen: 300_000_000n, daysPastDue: 0, classification: 'normal', status: 'active' }

const CHECKS: readonly { name: string; given: LoanBookPosition | null; when: ApplicationLoanFacts; then: LoanBookCheck }[] = [
  { name: 'core banking never published the loan → unknown, nothing compared', given: null, when: STATED, then: { known: false } },
  { name: 'the books agree → matches', given: BOOK, when: STATED, then: { known: true, sequence: 7, asOf: BOOK.asOf, matches: true, differences: [] } },
  {
    name: 'one fen more outstanding on the books → the principal differs (exact fen, no rounding)',
    given: { ...BOOK, outstandingPrincipalFen: 300_000_001n },
    when: STATED,
    then: { known: true, sequence: 7, asOf: BOOK.asOf, matches: false, differences: [{ field: 'outstandingPrincipalFen', application: '300000000', loanBook: '300000001' }] },
  },
  {
    name: 'arrears and a downgrade the application does not state → both differ',
    given: { ...BOOK, daysPastDue: 31, classification: 'substandard' },
    when: STATED,
    then: {
      known: true,
      sequence: 7,
      asOf: BOOK.asOf,
      matches: false,
      differences: [
        { field: 'daysPastDue', application: 0, loanBook: 31 },
        { field: 'classification', application: 'normal', loanBook: 'substandard' },
      ],
    },
  },
  {
    name: 'a written-off loan → the status differs (relief concerns an active loan)',
    given: { ...BOOK, status: 'written-off' },
    when: STATED,
    then: { known: true, sequence: 7, asOf: BOOK.asOf, matches: false, differences: [{ field: 'status', application: 'active', loanBook: 'written-off' }] },
  },
]

t.test('an application against the loan book', async (t) => {
  for (const row of CHECKS) t.same(checkAgainstLoanBook(row.when, row.given), row.then, row.name)
})
