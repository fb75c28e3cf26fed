import { type CalendarDate, type LocalizedText } from '@sme/domain'
import { agreementInForce, type CoveredSize, type DocumentRequirement, type GuaranteeAgreement } from './agreement.js'

/** Why a claim cannot be filed yet, or at all; stable codes with texts in both languages. */
export const INELIGIBILITY = {
  NO_AGREEMENT_IN_FORCE: { zh: '贷款担保之日没有生效的担保协议版本', en: 'No version of the agreement was in force on the day the loan was guaranteed' },
  SIZE_NOT_COVERED: { zh: '借款企业规模不在该担保业务的服务范围内', en: 'The borrower’s size is not one the programme serves' },
  NOTHING_OUTSTANDING: { zh: '贷款没有未偿本金，无可代偿金额', en: 'Nothing is outstanding on the loan: there is nothing to claim' },
  DAYS_PAST_DUE_NOT_REACHED: { zh: '逾期天数未达到协议约定的代偿申请条件', en: 'The loan is not yet past due for as many days as the agreement requires' },
  ALREADY_CLAIMED: { zh: '该笔贷款已有未终结的代偿申请', en: 'The loan already has a claim that has not ended' },
  DEMAND_NOT_CONCLUDED: { zh: '须先向借款人追索，且追索结论为申请代偿', en: 'A demand on the borrower must come first and end in a claim' },
  DOCUMENTS_MISSING: { zh: '代偿申请材料不齐', en: 'Documents the agreement requires are missing' },
} as const satisfies Record<string, LocalizedText>
export type IneligibilityCode = keyof typeof INELIGIBILITY

/** What eligibility looks at, as the claims service knows it on the day of the check. */
export interface EligibilityFacts {
  readonly agreementId: string
  readonly guaranteedOn: CalendarDate
  readonly borrowerSize: CoveredSize | 'large'
  readonly outstandingPrincipal: bigint
  readonly daysPastDue: number
  /** Another claim on the loan that has not ended (rejected, closed and reverted-then-abandoned claims have). */
  readonly openClaimOnLoan: boolean
  /** How the demand on the borrower ended; null while none has. */
  readonly demandOutcome: 'repaid' | 'cured' | 'no-claim' | 'claim' | null
  /** Codes of the documents attached so far. */
  readonly documents: readonly string[]
}

export interface Ineligibility {
  readonly code: IneligibilityCode
  readonly text: LocalizedText
  /** For DOCUMENTS_MISSING: what is missing. */
  readonly missing?: readonly DocumentRequirement[]
}

export interface Eligibility {
  /** The version the loan is claimed under (in force on the guarantee day), null when none is. */
  readonly agreement: GuaranteeAgreement | null
  readonly eligible: boolean
  /** Every reason it is not, in the order a bank would fix them; empty when eligible. */
  readonly reasons: readonly Ineligibility[]
  /** The documents still missing: the completeness check before submission. */
  readonly missing: readonly DocumentRequirement[]
  /** The day past due from which it may be filed (the loan's count), for "not yet". */
  readonly claimableFromDaysPastDue: number | null
}

/** The documents an agreement requires that are not among those attached. */
export function missingDocuments(agreement: Pick<GuaranteeAgreement, 'requiredDocuments'>, attached: readonly string[]): DocumentRequirement[] {
  const have = new Set(attached)
  return agreement.requiredDocuments.filter((d) => !have.has(d.code))
}

const reason = (code: IneligibilityCode, missing?: readonly DocumentRequirement[]): Ineligibility => (missing ? { code, text: INELIGIBILITY[code], missing } : { code, text: INELIGIBILITY[code] })

/**
 * Whether a guaranteed loan may be claimed now (POLICY §5; 工信明电〔2020〕14号 item 9: the agencies
 * pay promptly for small and micro firms that truly cannot repay): under the agreement version in
 * force when it was guaranteed, for a size the programme serves, with principal outstanding, past
 * due for the agreement's days, after a demand on the borrower that ended in a claim, with no other
 * claim open on it, every required document attached. Reports every reason, not the first.
 */
export function eligibility(versions: readonly GuaranteeAgreement[], facts: EligibilityFacts): Eligibility {
  const agreement = agreementInForce(versions, facts.agreementId, facts.guaranteedOn)
  if (agreement === null) return { agreement, eligible: false, reasons: [reason('NO_AGREEMENT_IN_FORCE')], missing: [], claimableFromDaysPastDue: null }
  const reasons: Ineligibility[] = []
  if (facts.borrowerSize === 'large' || !agreement.coveredSizes.includes(facts.borrowerSize)) reasons.push(reason('SIZE_NOT_COVERED'))
  if (facts.outstandingPrincipal <= 0n) reasons.push(reason('NOTHING_OUTSTANDING'))
  if (facts.daysPastDue < agreement.claimAfterDaysPastDue) reasons.push(reason('DAYS_PAST_DUE_NOT_REACHED'))
  if (facts.openClaimOnLoan) reasons.push(reason('ALREADY_CLAIMED'))
  if (facts.demandOutcome !== 'claim') reasons.push(reason('DEMAND_NOT_CONCLUDED'))
  const missing = missingDocuments(agreement, facts.documents)
  if (missing.length > 0) reasons.push(reason('DOCUMENTS_MISSING', missing))
  return { agreement, eligible: reasons.length === 0, reasons, missing, claimableFromDaysPastDue: agreement.claimAfterDaysPastDue }
}
