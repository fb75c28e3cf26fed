import Type, { type Static } from 'typebox'
import { parseDate, SIZE_METRICS, SME_INDUSTRIES, type CalendarDate } from '@sme/domain'
import { enumOf, Fen, IsoDate, LineText, OneOfKind, Uscc } from '@sme/contracts'
import { HARDSHIP_SIGNALS, LOAN_CLASSIFICATIONS, LOAN_PRODUCTS, PERSON_ROLES } from '@sme/contracts/vocabulary'
import type { DateWindow, DeferralEligibility, PolicyVersion } from './domain/index.js'

/**
 * Policy records in their JSON form (an admin's draft, a what-if's inline version, the stored
 * definition), described once: the request schemas of `POST /policies` and `POST /what-if` use
 * these, so the OpenAPI document shows every field of each kind, and a record that reaches the domain
 * already has its shape. The domain's `validatePolicyVersions` is left with what a schema cannot say
 * (windows in order, ids unique per kind, the size table consistent).
 *
 * The compiler keeps these schemas and the domain's interfaces (src/domain/policy.ts) the same:
 * {@link policyFromRecord} builds each domain record from its JSON form without a cast, and
 * {@link policyToRecord} the other way; a required field added to one side and not the other fails the build.
 * Fen travel as decimal strings; everything else is as in the domain.
 */

// At least one visible character and no control characters: a title, clause or reason of spaces says nothing.
const Text = (maxLength: number, description?: string) => LineText(maxLength, description)
const List = <T extends Parameters<typeof Type.Array>[0]>(item: T, options: { maxItems: number; minItems?: number; description?: string }) =>
  Type.Immutable(Type.Array(item, options))
const Closed = { additionalProperties: false } as const
const Count = (description: string, minimum = 0) => Type.Integer({ minimum, maximum: 36_500, description })
const PpmLimit = (description: string) => Type.Integer({ minimum: 0, maximum: 1_000_000, description })
const Score = (description: string) => Type.Integer({ minimum: -100_000, maximum: 100_000, description })

const Window = (description: string) =>
  Type.Object({ from: IsoDate, to: Type.Union([IsoDate, Type.Null()], { description: '`null`: open-ended' }) }, { ...Closed, description: `${description} (both ends included)` })

/** Fields every record has; `kind` is the discriminator. */
const base = <K extends string>(kind: K) => ({
  kind: Type.Literal(kind),
  id: Type.String({ pattern: '^[a-z0-9][a-z0-9.-]{0,63}$', description: 'Stable id of the record across versions' }),
  version: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'The highest version in force on a date applies' }),
  effectiveFrom: { ...IsoDate, description: 'First day in force, inclusive' },
  effectiveTo: Type.Union([IsoDate, Type.Null()], { description: 'Last day in force, inclusive; `null` while open-ended' }),
  title: Type.Object({ zh: Text(200), en: Text(200) }, Closed),
  clause: Text(500, 'The POLICY clause the record implements'),
  source: Text(500, 'The official source (notice and number) or the bank’s own decision'),
  citations: Type.Optional(
    List(
      Type.Object(
        {
          title: Text(200, 'The official title, in Chinese as published'),
          number: Type.Union([Text(100), Type.Null()], { description: 'Document number; `null` when it has none' }),
          issuers: List(Text(100), { minItems: 1, maxItems: 20 }),
          date: { ...IsoDate, description: 'Date of issue or publication' },
          article: Text(100, 'The article or section applied'),
          quote: Text(4000, 'The clause, quoted in Chinese'),
        },
        Closed,
      ),
      { maxItems: 20, description: 'The official texts the record implements' },
    ),
  ),
  corrects: Type.Optional(
    Type.Object(
      {
        versions: List(Type.Integer({ minimum: 1, maximum: 1_000_000 }), { minItems: 1, maxItems: 100 }),
        reason: Text(1000),
        naturalPersonsOnly: Type.Optional(Type.Boolean({ description: 'The correction concerns natural-person borrowers only: enterprises are decided as under the versions it corrects' })),
      },
      { ...Closed, description: 'This version corrects earlier versions of the same record: they apply to no new decision, and decisions made under them replay under them' },
    ),
  ),
})

const PersonScopeRecord = Type.Object(
  {
    roles: List(
      Type.Object({ role: enumOf(PERSON_ROLES), businessLoansOnly: Type.Boolean({ description: 'Only their business loans (经营性贷款)' }) }, Closed),
      { minItems: 1, maxItems: PERSON_ROLES.length },
    ),
    principalOnly: Type.Optional(Type.Boolean({ description: 'The text names them for the principal only: a person’s interest deferral is referred to an officer' })),
    quote: Text(4000, 'The words of the text that name them, quoted in Chinese'),
  },
  { ...Closed, description: 'Natural persons the text names among the borrowers it covers (absent: none)' },
)

export const DeferralProgrammeRecord = Type.Object(
  {
    ...base('deferral-programme'),
    borrowers: Type.Object(
      {
        criterion: enumOf(['sme', 'small-micro', 'inclusive-small-micro', 'persons-only'] as const),
        allEnterprisesInRegions: List(Type.String({ pattern: '^[0-9]{2,6}$' }), { maxItems: 100, description: 'Region-code prefixes (GB/T 2260) where all enterprises qualify whatever their size' }),
        persons: Type.Optional(PersonScopeRecord),
      },
      Closed,
    ),
    eligibility: Type.Union([
      Type.Object({ basis: Type.Literal('amounts-due'), principalDue: Window('Principal due dates eligible'), interestDue: Window('Interest due dates eligible') }, Closed),
      Type.Object(
        {
          basis: Type.Literal('loan-maturity'),
          maturity: Window('Loan maturities eligible'),
          interestDue: Type.Optional(Window('Interest due dates eligible whatever the maturity')),
        },
        Closed,
      ),
    ]),
    pbocIncentive: Type.Optional(
      Type.Object(
        { rateBp: Type.Integer({ minimum: 0, maximum: 10_000 }), minDeferralMonths: Type.Integer({ minimum: 0, maximum: 120 }) },
        { ...Closed, description: 'The PBoC’s incentive for local legal-person banks: rateBp of the deferred principal for a deferral of at least minDeferralMonths, once per loan' },
      ),
    ),
    regions: Type.Optional(List(Type.String({ pattern: '^[0-9]{2,6}$' }), { maxItems: 100, description: 'Region-code prefixes (GB/T 2260) the programme is limited to; absent or empty: nationwide' })),
    deferUntilLatest: Type.Union([IsoDate, Type.Null()], { description: 'Latest date amounts may be deferred to, inclusive; null where the text sets none (the officer agrees the date: referred)' }),
    deferUntilLatestInPrinciple: Type.Optional(Type.Boolean({ description: 'The limit holds in principle (原则上): beyond it, referred rather than declined' })),
    negotiable: Type.Optional(
      Type.Object(
        {
          borrowers: enumOf(['sme', 'any'] as const),
          maturity: Type.Union([Window('Maturities covered'), Type.Null()]),
          rules: List(enumOf(['BORROWER_ELIGIBLE', 'DUE_DATE_WINDOW', 'DEFERRAL_LIMIT'] as const), { minItems: 1, maxItems: 3 }),
          quote: Text(4000, 'The clause, quoted in Chinese'),
        },
        { ...Closed, description: 'What the programme leaves to agreement between bank and firm (自主协商): referred, never declined' },
      ),
    ),
    conditions: Type.Object(
      { borrowerApplication: Type.Boolean(), effectiveGuarantee: Type.Boolean(), jobsCommitment: Type.Boolean(), hardshipDeclared: Type.Boolean() },
      { ...Closed, description: 'Conditions the programme asks of the application' },
    ),
    mandatory: Type.Boolean({ description: 'The bank must grant the deferral when every condition holds' }),
    effects: Type.Object(
      {
        penaltyInterestWaived: Type.Boolean(),
        noDowngradeForEpidemicAlone: Type.Boolean(),
        creditReportOnAdjustedSchedule: Type.Boolean(),
        overdueDaysOnRevisedSchedule: Type.Boolean(),
        interestAccrual: enumOf(['normal', 'per-contract'] as const),
        documentsMayFollow: Type.Boolean(),
        dueDiligenceExemption: Type.Optional(Type.Boolean({ description: 'The notice grants staff who relieved with due diligence exemption from liability (尽职免责)' })),
        instructionsOnTerms: Type.Optional(Type.Boolean({ description: 'The granted terms state the credit-report instruction of each deferred amount and the classification effect' })),
      },
      { ...Closed, description: 'What an approved deferral does to the loan' },
    ),
  },
  { ...Closed, title: 'DeferralProgramme', description: 'A temporary deferral programme (延期还本付息), POLICY §2' },
)

const Fraction = { numerator: Type.Integer({ minimum: 0, maximum: 1000 }), denominator: Type.Integer({ minimum: 1, maximum: 1000 }) }
const Cap = Type.Union([
  Type.Object({ kind: Type.Literal('term-fraction'), ...Fraction }, { ...Closed, description: 'A fraction of the original term counted in actual days' }),
  Type.Object({ kind: Type.Literal('term-months'), ...Fraction }, { ...Closed, description: 'A fraction of the original term counted in calendar months' }),
  Type.Object({ kind: Type.Literal('calendar-years'), years: Type.Integer({ minimum: 0, maximum: 100 }) }, Closed),
])
const Caps = Type.Object({ short: Cap, medium: Cap, long: Cap }, { ...Closed, description: 'Cumulative caps by the class of the original term' })

const StateException = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9.-]{0,63}$' }),
    title: Type.Object({ zh: Text(200), en: Text(200) }, Closed),
    source: Text(500, 'The state provision (title, number, date)'),
    maturity: Window('Current maturities the provision covers'),
    regions: List(Type.String({ pattern: '^[0-9]{2,6}$' }), { maxItems: 100, description: 'Region-code prefixes (GB/T 2260); empty: everywhere' }),
    caps: Caps,
  },
  { ...Closed, description: '国家另有规定者除外: a state provision whose caps replace art. 12’s for the loans it names' },
)

const RestructuringRegime = Type.Object(
  {
    effective: Window('Decision dates the rules apply to'),
    source: Text(500, 'The rules and article (title, number)'),
    floor: enumOf(LOAN_CLASSIFICATIONS, 'The least severe class of a restructured loan'),
    observationMonths: Type.Integer({ minimum: 0, maximum: 120, description: 'The class is not raised for at least this many months' }),
    observationRepaymentPeriods: Type.Union([Type.Integer({ minimum: 1, maximum: 120 }), Type.Null()], {
      description: '…and at least this many repayment periods from the first repayment after the change; `null`: months only',
    }),
  },
  { ...Closed, description: 'How restructured assets are classified over one period' },
)

export const ExtensionRulesRecord = Type.Object(
  {
    ...base('extension-rules'),
    applyDaysBeforeMaturity: Count('The application is dated at least this many days before the current maturity (1 = strictly before)'),
    caps: Caps,
    guarantorConsentRequired: Type.Boolean(),
    contractConsentCounts: Type.Optional(Type.Boolean({ description: 'Consent already given in the security contract counts (已有约定的，按照约定执行)' })),
    stateExceptions: Type.Optional(List(StateException, { maxItems: 50 })),
    restructuring: Type.Optional(List(RestructuringRegime, { maxItems: 20, description: 'The classification rules for restructured assets, by period: an extension for a borrower in financial difficulty is classified under the rules in force on the decision date' })),
  },
  { ...Closed, title: 'ExtensionRules', description: 'Extension rules (展期), General Rules on Loans art. 12' },
)

export const RenewalRulesRecord = Type.Object(
  {
    ...base('renewal-rules'),
    withoutPrincipalRepayment: Type.Object(
      {
        products: List(enumOf(LOAN_PRODUCTS), { maxItems: LOAN_PRODUCTS.length }),
        sizes: List(enumOf(['large', 'medium', 'small', 'micro'] as const), { maxItems: 4 }),
        individualBusinesses: Type.Boolean(),
        individualBusinessLoansAnyProduct: Type.Optional(Type.Boolean({ description: 'Individual businesses’ business loans qualify whatever their product' })),
        persons: Type.Optional(PersonScopeRecord),
        mediumEnterprises: Type.Union(
          [
            Type.Object(
              { maturityBefore: IsoDate, includingThatDay: Type.Optional(Type.Boolean({ description: 'A loan maturing on `maturityBefore` qualifies too' })) },
              Closed,
            ),
            Type.Null(),
          ],
          { description: '`null`: medium enterprises not eligible' },
        ),
        dueDiligenceExemption: Type.Optional(Type.Boolean({ description: 'The notice grants staff who renewed with due diligence exemption from liability (尽职免责)' })),
        conditions: Type.Optional(
          Type.Object(
            { borrowerApplication: Type.Boolean(), temporaryDifficulty: Type.Boolean() },
            { ...Closed, description: 'The debtor applied itself (经其主动申请) and is in temporary funding difficulty (临时存在资金困难); not met: referred' },
          ),
        ),
        signDaysBeforeMaturity: Count('The new contract is signed at least this many days before the old loan matures (1 = strictly before)'),
      },
      Closed,
    ),
  },
  { ...Closed, title: 'RenewalRules', description: 'Renewal rules (续贷, 无还本续贷), POLICY §2' },
)

/** One list per relief kind (the domain's `Record<ReliefKind, …>`: the compiler checks the kinds match). */
const HardshipList = List(enumOf(HARDSHIP_SIGNALS), { maxItems: HARDSHIP_SIGNALS.length })

export const BankParametersRecord = Type.Object(
  {
    ...base('bank-parameters'),
    answerDeadlineDays: Count('The bank answers within this many calendar days of the application date', 1),
    referral: Type.Object(
      {
        minScore: Score('Lowest score approved automatically'),
        maxPdPpm: PpmLimit('Highest probability of default approved automatically, parts per million'),
        referGrades: List(Text(20), { maxItems: 50, description: 'Grades always referred' }),
        autoApproveHardship: Type.Object(
          { deferral: HardshipList, extension: HardshipList, renewal: HardshipList },
          { ...Closed, description: 'Hardship signals approved automatically, by relief kind' },
        ),
      },
      Closed,
    ),
    lendingStandards: Type.Object({ minScore: Score('Lowest score meeting lending standards'), maxPdPpm: PpmLimit('Highest PD meeting lending standards, ppm') }, Closed),
    crisisStart: Type.Optional({ ...IsoDate, description: 'Start of the crisis whose hardship scoring measures; absent: scoring’s default' }),
    localLegalPersonBank: Type.Optional(Type.Boolean({ description: 'The bank is a local legal-person bank (the kind the PBoC’s deferral incentive is for); absent: it is not' })),
  },
  { ...Closed, title: 'BankParameters', description: 'The bank’s own parameters (service level, referral thresholds)' },
)

const Floors = Type.Object(
  { employees: Type.Optional(Type.Integer({ minimum: 0 })), revenue: Type.Optional(Type.Integer({ minimum: 0 })), assets: Type.Optional(Type.Integer({ minimum: 0 })) },
  { ...Closed, description: 'Inclusive lower bounds: persons, or wan yuan (万元)' },
)

export const ReferenceDataRecord = Type.Object(
  {
    ...base('reference-data'),
    smeSizeTable: List(
      Type.Object(
        {
          industry: enumOf(SME_INDUSTRIES),
          gb4754Sections: List(Type.String({ maxLength: 20 }), { maxItems: 50 }),
          medium: Floors,
          small: Floors,
          smeCeiling: List(Type.Object({ metric: enumOf(SIZE_METRICS), below: Type.Integer({ minimum: 0 }) }, Closed), { minItems: 1, maxItems: 3 }),
        },
        Closed,
      ),
      { maxItems: 100, description: 'The SME size standard in force, one rule per industry' },
    ),
    inclusiveLoan: Type.Object({ maxTotalCreditFen: { ...Fen, description: 'Highest total credit to one borrower that is still an inclusive small/micro loan, fen' } }, Closed),
    usccExceptions: List(Type.Object({ code: Uscc, reason: Text(500, 'The documented reason (never a silent pass)') }, Closed), {
      maxItems: 1000,
      description: 'Genuine USCCs known to fail a check',
    }),
  },
  { ...Closed, title: 'ReferenceData', description: 'Reference data used by every decision (POLICY §1)' },
)

/** One policy version, of any kind (told apart by `kind`). */
export const PolicyRecord = OneOfKind([DeferralProgrammeRecord, ExtensionRulesRecord, RenewalRulesRecord, BankParametersRecord, ReferenceDataRecord], {
  description: 'A policy version; `kind` says which record it is. Fen as decimal strings, dates YYYY-MM-DD (Asia/Shanghai).',
})
export type PolicyRecordJson = Static<typeof PolicyRecord>
export type BankParametersJson = Static<typeof BankParametersRecord>

// ---------------------------------------------------------------------------------------------
// JSON form ↔ domain form

// Dates the schema has checked (`format: date`), branded by the domain's own parser (no cast).
const date = parseDate
const optionalDate = (value: string | null): CalendarDate | null => (value === null ? null : date(value))
const window = (w: { from: string; to: string | null }): DateWindow => ({ from: date(w.from), to: optionalDate(w.to) })

/** A record with its own dates (period, citations) as domain dates; each kind's fields left to the caller. */
function datedRecord<R extends PolicyRecordJson>(record: R): Omit<R, 'effectiveFrom' | 'effectiveTo' | 'citations'> & Pick<PolicyVersion, 'effectiveFrom' | 'effectiveTo' | 'citations'> {
  const { effectiveFrom, effectiveTo, citations, ...rest } = record
  return {
    ...rest,
    effectiveFrom: date(effectiveFrom),
    effectiveTo: optionalDate(effectiveTo),
    ...(citations === undefined ? {} : { citations: citations.map((c) => ({ ...c, date: date(c.date) })) }),
  }
}

/** The domain record of a JSON record (a request already validated, or a stored definition). */
export function policyFromRecord(record: PolicyRecordJson): PolicyVersion {
  switch (record.kind) {
    case 'deferral-programme': {
      const e = record.eligibility
      const eligibility: DeferralEligibility =
        e.basis === 'amounts-due'
          ? { basis: e.basis, principalDue: window(e.principalDue), interestDue: window(e.interestDue) }
          : { basis: e.basis, maturity: window(e.maturity), ...(e.interestDue === undefined ? {} : { interestDue: window(e.interestDue) }) }
      const { negotiable, ...rest } = datedRecord(record)
      return {
        ...rest,
        eligibility,
        deferUntilLatest: record.deferUntilLatest === null ? null : date(record.deferUntilLatest),
        ...(negotiable === undefined ? {} : { negotiable: { ...negotiable, maturity: negotiable.maturity === null ? null : window(negotiable.maturity) } }),
      }
    }
    case 'extension-rules': {
      const { stateExceptions, restructuring, ...rest } = datedRecord(record)
      return {
        ...rest,
        ...(stateExceptions === undefined ? {} : { stateExceptions: stateExceptions.map((e) => ({ ...e, maturity: window(e.maturity) })) }),
        ...(restructuring === undefined ? {} : { restructuring: restructuring.map((r) => ({ ...r, effective: window(r.effective) })) }),
      }
    }
    case 'renewal-rules': {
      const rules = record.withoutPrincipalRepayment
      const medium = rules.mediumEnterprises === null ? null : { ...rules.mediumEnterprises, maturityBefore: date(rules.mediumEnterprises.maturityBefore) }
      return { ...datedRecord(record), withoutPrincipalRepayment: { ...rules, mediumEnterprises: medium } }
    }
    case 'bank-parameters': {
      const { crisisStart, ...rest } = datedRecord(record)
      return { ...rest, ...(crisisStart === undefined ? {} : { crisisStart: date(crisisStart) }) }
    }
    case 'reference-data':
      return { ...datedRecord(record), inclusiveLoan: { maxTotalCreditFen: BigInt(record.inclusiveLoan.maxTotalCreditFen) } }
  }
}

/** The JSON form of a domain record: what is stored, and what `GET /policies` shows. */
export function policyToRecord(policy: PolicyVersion): PolicyRecordJson {
  switch (policy.kind) {
    case 'reference-data':
      return { ...policy, inclusiveLoan: { maxTotalCreditFen: policy.inclusiveLoan.maxTotalCreditFen.toString() } }
    default:
      return policy
  }
}
