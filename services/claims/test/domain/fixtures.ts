// Shared givens of the claims domain tests: the two shipped agreements, a pool, a loan's debt, actors.
import { parseDate, type CalendarDate } from '@sme/domain'
import { AGREEMENT_4222, AGREEMENT_4321, claimAmount, claimTermsOf, NOTICE_2020_14_ITEM_9, type Actor, type ClaimAmount, type ClaimTerms, type CompensationPool, type GuaranteeAgreement } from '../../src/domain/index.js'

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

/** A risk-compensation pool: the province 30 % on non-performance, the city 10 % more on final loss. */
export const POOL: CompensationPool = {
  id: 'ZJ-POOL-2020',
  version: 1,
  title: { zh: '小微企业贷款风险补偿资金', en: 'Small and micro loan risk-compensation pool' },
  citations: [NOTICE_2020_14_ITEM_9],
  loansIssuedFrom: parseDate('2020-02-01'),
  loansIssuedTo: parseDate('2020-12-31'),
  coveredSizes: ['micro', 'small'],
  excludesAgencyGuaranteed: true,
  tiers: [
    { payer: 'ZJ-PROVINCE', stage: 'non-performing', shareBp: 3_000 },
    { payer: 'HZ-CITY', stage: 'final-loss', shareBp: 1_000 },
  ],
  rounding: 'half-up',
}
