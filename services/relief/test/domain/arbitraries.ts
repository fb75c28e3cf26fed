// fast-check generators of valid relief applications across all programmes, terms and outcomes.
import { addDays, fromEpochDay, maxDate, toEpochDay, type CalendarDate } from '@sme/domain'
import fc from 'fast-check'
import { GUARANTEE_KINDS, HARDSHIP_SIGNALS, LOAN_CLASSIFICATIONS, LOAN_PRODUCTS, PERSON_ROLES } from '@sme/contracts/vocabulary'
import {
  type DecisionContext,
  type ReliefApplication,
  type ReliefRequest,
  type ScoringSignal,
} from '../../src/domain/index.js'
import { BAD_USCC, HUBEI_USCC, IDENTITY_NUMBER, INDIVIDUAL_USCC, SIZES, USCC, application, d, personApplication, wan, type Given } from './fixtures.js'

export const dateBetween = (from: string, to: string): fc.Arbitrary<CalendarDate> =>
  fc.integer({ min: toEpochDay(d(from)), max: toEpochDay(d(to)) }).map(fromEpochDay)

const scoring: fc.Arbitrary<ScoringSignal | 'unavailable'> = fc.oneof(
  { weight: 1, arbitrary: fc.constant('unavailable' as const) },
  {
    weight: 5,
    arbitrary: fc.record({
      score: fc.oneof(fc.integer({ min: 600, max: 800 }), fc.integer({ min: 450, max: 800 })),
      grade: fc.constantFrom('AAA', 'A', 'BBB', 'B', 'B', 'CCC', 'D'),
      pdPpm: fc.oneof(fc.integer({ min: 0, max: 60_000 }), fc.integer({ min: 0, max: 200_000 })),
      hardship: fc.constantFrom('temporary-shock', 'temporary-shock', ...HARDSHIP_SIGNALS),
      // Answers from before scoring reported figures carry none; later ones may lack either figure.
      figures: fc.option(
        fc.record({
          revenue12mFen: fc.option(fc.oneof(fc.constantFrom(wan(50), wan(300), wan(1_000), wan(30_000)), fc.bigInt({ min: 0n, max: wan(100_000) }))),
          employees: fc.option(fc.oneof(fc.constantFrom(5, 20, 100, 400), fc.integer({ min: 0, max: 5_000 }))),
        }, { noNullPrototype: true }),
        { nil: undefined },
      ),
    }, { noNullPrototype: true }).map(({ figures, ...signal }): ScoringSignal => (figures === undefined ? signal : { ...signal, figures })),
  },
)

/**
 * A valid application and its context, dated 2019–2028 so every programme and rule set is hit; the
 * borrower an enterprise, or one time in six a natural person (sometimes with an identity number in
 * the pseudonym, which intake refuses and the rules never act on).
 */
export const applicationCase: fc.Arbitrary<{ application: ReliefApplication; context: DecisionContext }> = fc
  .record({
    size: fc.constantFrom(...(Object.keys(SIZES) as (keyof typeof SIZES)[])),
    uscc: fc.constantFrom(USCC, USCC, USCC, USCC, HUBEI_USCC, INDIVIDUAL_USCC, INDIVIDUAL_USCC, BAD_USCC),
    region: fc.constantFrom('350100', '420100', '310000'),
    // Weighted towards the programme windows so every path is exercised, not only declines.
    maturity: fc.oneof(dateBetween('2020-01-01', '2021-12-31'), dateBetween('2022-09-01', '2023-01-31'), dateBetween('2018-06-01', '2028-12-31')),
    termDays: fc.oneof(fc.integer({ min: 30, max: 400 }), fc.integer({ min: 30, max: 2_500 })),
    previous: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 300 })),
    appOffset: fc.oneof(fc.integer({ min: -60, max: -1 }), fc.integer({ min: -400, max: 120 })),
    product: fc.constantFrom('working-capital', ...LOAN_PRODUCTS),
    guaranteeKind: fc.constantFrom(...GUARANTEE_KINDS),
    consent: fc.constantFrom(true, true, true, false),
    classification: fc.constantFrom('normal', 'normal', 'normal', ...LOAN_CLASSIFICATIONS),
    daysPastDue: fc.constantFrom(0, 0, 0, 5, 95),
    totalCreditWan: fc.oneof(fc.integer({ min: 50, max: 1_000 }), fc.integer({ min: 50, max: 2_000 })),
    kind: fc.constantFrom('deferral', 'extension', 'renewal'),
    principal: fc.boolean(),
    interest: fc.boolean(),
    deferDays: fc.oneof(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1, max: 400 })),
    interestBefore: fc.integer({ min: 0, max: 200 }),
    newMaturityDays: fc.oneof(fc.integer({ min: 1, max: 180 }), fc.integer({ min: 1, max: 1_200 })),
    withoutPrincipalRepayment: fc.boolean(),
    standing: fc.record(
      {
        lawfulAndStable: fc.constantFrom(true, true, true, true, false),
        fundsDiverted: fc.constantFrom(false, false, false, false, true),
        interestUnpaid: fc.constantFrom(false, false, false, false, true),
        debtEvasion: fc.constantFrom(false, false, false, false, true),
      },
      { noNullPrototype: true },
    ),
    initiatedBy: fc.constantFrom('borrower' as const, 'bank' as const),
    hardshipDeclared: fc.boolean(),
    keepJobs: fc.boolean(),
    keepGuarantee: fc.boolean(),
    scoring,
    // One application in six is a natural person's, of every role, on a business loan or not.
    person: fc.oneof(
      { weight: 5, arbitrary: fc.constant(undefined) },
      {
        weight: 1,
        arbitrary: fc.record(
          { role: fc.constantFrom(...PERSON_ROLES), businessLoan: fc.constantFrom(true, true, false), borrowerId: fc.constantFrom('CB-PERSON-00042', 'CB-PERSON-00042', 'CB-PERSON-00042', `CB-${IDENTITY_NUMBER}`) },
          { noNullPrototype: true },
        ),
      },
    ),
  })
  .map((g) => {
    const maturity = g.maturity
    const start = addDays(maturity, -g.termDays)
    const interestDue = addDays(maturity, -g.interestBefore)
    const principal = g.principal || !g.interest
    let request: ReliefRequest
    switch (g.kind) {
      case 'deferral':
        request = {
          kind: 'deferral',
          principal,
          interest: g.interest,
          deferTo: addDays(maturity, g.deferDays),
          ...(g.interest ? { interestDueDate: interestDue } : {}),
        }
        break
      case 'extension':
        request = { kind: 'extension', newMaturity: addDays(maturity, g.newMaturityDays) }
        break
      default:
        request = { kind: 'renewal', withoutPrincipalRepayment: g.withoutPrincipalRepayment, newMaturity: addDays(maturity, g.newMaturityDays), standing: g.standing }
    }
    const given: Given = {
      loan: {
        loanId: `LN-${start}-${g.termDays}`,
        product: g.product,
        startDate: start,
        maturityDate: maturity,
        previousExtensionDays: Math.min(g.previous, g.termDays - 1),
        guarantee: { kind: g.guaranteeKind, guarantorConsent: g.consent },
        classification: g.classification,
        daysPastDue: g.daysPastDue,
        totalCreditFen: wan(g.totalCreditWan),
      },
      initiatedBy: g.initiatedBy,
      hardshipDeclared: g.hardshipDeclared,
      keepJobs: g.keepJobs,
      keepGuarantee: g.keepGuarantee,
    }
    const app: ReliefApplication =
      g.person === undefined
        ? application(request, { ...given, enterprise: { uscc: g.uscc, ...SIZES[g.size], regionCode: g.region } })
        : personApplication(request, g.person.role, { ...given, person: { borrowerId: g.person.borrowerId, businessLoan: g.person.businessLoan, regionCode: g.region } })
    const applicationDate = maxDate(d('2019-01-01'), addDays(maturity, g.appOffset))
    return { application: app, context: { applicationDate, scoring: g.scoring } }
  })
