// Records and requests several pricing tests price with: one copy each.
import { parseDate } from '@sme/domain'
import type { InterestSubsidy, QuoteRequest } from '../src/index.js'

const d = parseDate

/**
 * A local interest subsidy stacked on the central one (example figures): 25 % of the rate paid by
 * key-list firms, for the first year of contracts from 2020, in force through 2020.
 */
export const LOCAL_SUBSIDY_2020: InterestSubsidy = {
  kind: 'interest-subsidy',
  id: 'local-subsidy-2020',
  version: 1,
  effectiveFrom: d('2020-02-01'),
  effectiveTo: d('2020-12-31'),
  title: { zh: '地方财政贴息', en: 'Local interest subsidy' },
  source: 'local finance bureau (example)',
  precedence: 31,
  eligible: 'key-list',
  payer: 'local-treasury',
  shareBp: 2_500,
  basis: { kind: 'rate-paid' },
  maxMonths: 12,
  contractsFrom: d('2020-01-01'),
}

/**
 * ¥1,000,000 interest-only for a year from 2020-02-10 to a small firm on the national key list
 * (the 2020 case the notices publish: capped at 3.15 %, the treasury pays half).
 */
export const KEY_LIST_LOAN: QuoteRequest = {
  borrower: { kind: 'enterprise', size: 'small', grade: 'BBB', affected: true, keyList: { list: 'national', listedOn: d('2020-02-01') }, inclusiveSmallMicro: false },
  product: 'working-capital',
  principal: 1_000_000_00n,
  termMonths: 12,
  method: 'interest-only',
  pricingDate: d('2020-02-10'),
  startDate: d('2020-02-10'),
}
