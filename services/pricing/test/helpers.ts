import type { Transport } from '@sme/events'
import type { ServiceApp } from '@sme/kit'
import type { Teardown } from '@sme/testing'
import { serviceUnderTest, type ServiceUnderTest } from '@sme/testing/services'
import { pricingService } from '../src/index.js'
import type { PricingTables } from '../src/store/tables.js'

const AUTH = { secret: 'pricing-tests-secret-0123456789abcdef', issuer: 'tests', audience: 'sme-relief' }

export type PricingUnderTest = ServiceUnderTest<PricingTables>

/** The pricing service on the real PostgreSQL in a schema of the test's own. */
export function pricingUnderTest(t: Teardown, options: { transport?: Transport; now?: () => Date; beforeRoutes?: (app: ServiceApp) => void } = {}): Promise<PricingUnderTest> {
  return serviceUnderTest(t, pricingService(), { ...options, auth: AUTH })
}

/** A quote request for a small firm of branch B001 on the 2020 key list's terms. */
export function quoteBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    branchId: 'B001',
    borrower: { kind: 'enterprise', uscc: '91350100M000100Y43', size: 'small', inclusiveSmallMicro: false },
    grade: 'BBB',
    affected: true,
    product: 'working-capital',
    principalFen: '100000000',
    termMonths: 12,
    method: 'equal-instalments',
    pricingDate: '2020-02-10',
    startDate: '2020-02-10',
    ...overrides,
  }
}
