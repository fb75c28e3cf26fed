import type { Teardown } from '@sme/testing'
import { serviceUnderTest, type ServiceUnderTest, type ServiceUnderTestOptions } from '@sme/testing/services'
import { AGREEMENT_4222, claimsService, POOL_ZJ_2020, type ClaimsOptions } from '../src/index.js'
import type { ClaimsTables } from '../src/store/tables.js'

const AUTH = { secret: 'claims-tests-secret-0123456789abcdefgh', issuer: 'tests', audience: 'sme-relief' }

export type ClaimsUnderTest = ServiceUnderTest<ClaimsTables>

/** The claims service on the real PostgreSQL in a schema of the test's own; no deadline timer unless asked. */
export function claimsUnderTest(t: Teardown, options: Omit<ServiceUnderTestOptions, 'auth'> = {}, claims: ClaimsOptions = {}): Promise<ClaimsUnderTest> {
  return serviceUnderTest(t, claimsService({ deadlineIntervalMs: 0, ...claims }), { ...options, auth: AUTH })
}

/** A clock the test moves: business days are counted from it. */
export function clock(start: string): { now: () => Date; set: (iso: string) => void } {
  let at = new Date(start)
  return { now: () => at, set: (iso) => (at = new Date(iso)) }
}

export const AGENCY_4222 = 'ZJ-AGENCY-01'
export const BRANCH = 'B001'

/** A guaranteed loan of a small firm under the 4:2:2:2 agreement, one million yuan at 4.35%, 95 days past due. */
export function loanBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    agreementId: 'ZJ-GUARANTEE-4222',
    guaranteedOn: '2020-03-01',
    guaranteedFen: '100000000',
    branchId: BRANCH,
    borrower: { kind: 'enterprise', uscc: '91350100M000100Y43' },
    borrowerSize: 'small',
    contractRateBp: 435,
    epidemicAffected: true,
    outstandingPrincipalFen: '100000000',
    daysPastDue: 95,
    ...over,
  }
}

export const ALL_DOCUMENTS = ['claim-application', 'loan-contract', 'guarantee-contract', 'overdue-notice', 'debt-statement', 'demand-outcome']

/** A version of the 4:2:2:2 agreement as an admin posts it (the shipped version 1, changed by `over`). */
export function agreementBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...(JSON.parse(JSON.stringify(AGREEMENT_4222)) as Record<string, unknown>), ...over }
}

/** A version of the shipped pool as an admin posts it, changed by `over`. */
export function poolBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...(JSON.parse(JSON.stringify(POOL_ZJ_2020)) as Record<string, unknown>), ...over }
}

/** A claim on the shipped pool for a covered micro loan of the branch. */
export function poolClaimBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { poolId: POOL_ZJ_2020.id, loanId: 'CBS-P-1', branchId: BRANCH, issuedOn: '2020-03-15', borrowerSize: 'micro', agencyGuaranteed: false, principalAtDefaultFen: '10000001', ...over }
}
