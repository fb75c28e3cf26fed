// The JSON schema of each policy record kind: every default version fits it and comes back from its
// JSON form unchanged; each malformed field is refused by name, before the domain ever sees it.
import { createStrictAjv } from '@sme/kit'
import t from 'tap'
import { DEFAULT_POLICY_VERSIONS, type PolicyKind } from '../src/domain/index.js'
import { PolicyRecord, policyFromRecord, policyToRecord, type PolicyRecordJson } from '../src/policy-records.js'

// The request body's validator: strict (no coercion), formats on, discriminator on, as the kit builds it.
const validate = createStrictAjv().compile(PolicyRecord)
const json = (value: unknown): any => JSON.parse(JSON.stringify(value))
const defaultOf = (kind: PolicyKind): any => json(policyToRecord(DEFAULT_POLICY_VERSIONS.find((v) => v.kind === kind)!))

t.test('every default version fits its schema and survives the JSON round trip', async (t) => {
  for (const version of DEFAULT_POLICY_VERSIONS) {
    const record: unknown = json(policyToRecord(version))
    t.ok(validate(record), `${version.id}@${version.version} ${JSON.stringify(validate.errors ?? [])}`)
    t.same(policyFromRecord(record as PolicyRecordJson), version, `${version.id}@${version.version} back to the domain unchanged`)
  }
  const reference = policyFromRecord(defaultOf('reference-data'))
  t.equal(reference.kind === 'reference-data' && typeof reference.inclusiveLoan.maxTotalCreditFen, 'bigint', 'fen become bigint')
})

interface ShapeRow {
  readonly given: string
  readonly kind: PolicyKind
  readonly change: (record: any) => void
  readonly then: string
}

// Given a default record, when one field is changed so, then the validator names that field.
const SHAPES: readonly ShapeRow[] = [
  { given: 'an unknown kind', kind: 'bank-parameters', change: (r) => (r.kind = 'bonus-rules'), then: '' },
  { given: 'version 0', kind: 'bank-parameters', change: (r) => (r.version = 0), then: '/version' },
  { given: 'an id with capitals', kind: 'bank-parameters', change: (r) => (r.id = 'Bank'), then: '/id' },
  { given: 'a blank English title', kind: 'extension-rules', change: (r) => (r.title.en = '   '), then: '/title/en' },
  { given: 'no clause', kind: 'extension-rules', change: (r) => delete r.clause, then: '' },
  { given: 'a 30 February start', kind: 'renewal-rules', change: (r) => (r.effectiveFrom = '2024-02-30'), then: '/effectiveFrom' },
  { given: 'a field the record does not have', kind: 'renewal-rules', change: (r) => (r.maxRenewals = 2), then: '' },
  { given: 'an unknown borrower criterion', kind: 'deferral-programme', change: (r) => (r.borrowers.criterion = 'large'), then: '/borrowers/criterion' },
  { given: 'a region prefix of letters', kind: 'deferral-programme', change: (r) => (r.borrowers.allEnterprisesInRegions = ['HB']), then: '/borrowers/allEnterprisesInRegions/0' },
  { given: 'a condition as a string', kind: 'deferral-programme', change: (r) => (r.conditions.jobsCommitment = 'yes'), then: '/conditions/jobsCommitment' },
  { given: 'an unknown interest accrual', kind: 'deferral-programme', change: (r) => (r.effects.interestAccrual = 'waived'), then: '/effects/interestAccrual' },
  { given: 'a fraction cap over zero', kind: 'extension-rules', change: (r) => (r.caps.medium = { kind: 'term-fraction', numerator: 1, denominator: 0 }), then: '/caps/medium/denominator' },
  { given: 'a negative notice period', kind: 'extension-rules', change: (r) => (r.applyDaysBeforeMaturity = -1), then: '/applyDaysBeforeMaturity' },
  { given: 'an unknown product', kind: 'renewal-rules', change: (r) => (r.withoutPrincipalRepayment.products = ['mortgage']), then: '/withoutPrincipalRepayment/products/0' },
  { given: 'an answer deadline of 0 days', kind: 'bank-parameters', change: (r) => (r.answerDeadlineDays = 0), then: '/answerDeadlineDays' },
  { given: 'a PD limit above one million ppm', kind: 'bank-parameters', change: (r) => (r.referral.maxPdPpm = 1_000_001), then: '/referral/maxPdPpm' },
  { given: 'a negative PD limit', kind: 'bank-parameters', change: (r) => (r.lendingStandards.maxPdPpm = -1), then: '/lendingStandards/maxPdPpm' },
  { given: 'an unknown hardship signal', kind: 'bank-parameters', change: (r) => (r.referral.autoApproveHardship.renewal = ['bankrupt']), then: '/referral/autoApproveHardship/renewal/0' },
  { given: 'a crisis start as a number', kind: 'bank-parameters', change: (r) => (r.crisisStart = 20220301), then: '/crisisStart' },
  { given: 'a fen amount as a number', kind: 'reference-data', change: (r) => (r.inclusiveLoan.maxTotalCreditFen = 1_000_000_000), then: '/inclusiveLoan/maxTotalCreditFen' },
  { given: 'a USCC exception in lower case', kind: 'reference-data', change: (r) => (r.usccExceptions = [{ code: '91350100m000100y40', reason: 'x' }]), then: '/usccExceptions/0/code' },
  { given: 'a USCC exception without its reason', kind: 'reference-data', change: (r) => (r.usccExceptions = [{ code: '91350100M000100Y40', reason: ' ' }]), then: '/usccExceptions/0/reason' },
  { given: 'a size rule without a ceiling', kind: 'reference-data', change: (r) => (r.smeSizeTable[0].smeCeiling = []), then: '/smeSizeTable/0/smeCeiling' },
]

t.test('a malformed record is refused by the schema, naming the field', async (t) => {
  for (const row of SHAPES) {
    const record = defaultOf(row.kind)
    row.change(record)
    t.notOk(validate(record), `given ${row.given}: refused`)
    t.equal(validate.errors?.[0]?.instancePath, row.then, `given ${row.given}: names ${row.then || 'the record'} (${validate.errors?.[0]?.message})`)
  }
})
