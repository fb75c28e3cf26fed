// Shared givens of the claims domain tests: the two shipped agreements, a loan's debt, actors.
import { parseDate, type CalendarDate } from '@sme/domain'
import { AGREEMENT_4222, AGREEMENT_4321, claimAmount, claimTermsOf, type Actor, type ClaimAmount, type ClaimTerms, type GuaranteeAgreement } from '../../src/domain/index.js'

export const d = (text: string): CalendarDate => parseDate(text)

export const BANK: Actor = { kind: 'bank', id: 'officer-li' }
export const AGENCY: Actor = { kind: 'agency', id: AGREEMENT_4222.agencyId }
export const OTHER_AGENCY: Actor = { kind: 'agency', id: AGREEMENT_4321.agencyId }
export const TIMER: Actor = { kind: 'system', id: 'claims-timers' }

/** One million yuan outstanding at 4.35%, 15,000 yuan of interest unpaid. */
export const DEBT = { principal: 100_000_000n, unpaidInterest: 1_500_000n, contractRateBp: 435 } as const

export const TERMS: ClaimTerms = claimTermsOf(AGREEMENT_4222, true)
export const AMOUNT: ClaimAmount = claimAmount(AGREEMENT_4222, DEBT)

export function version(base: GuaranteeAgreement, over: Partial<GuaranteeAgreement>): GuaranteeAgreement {
  return { ...base, ...over }
}
