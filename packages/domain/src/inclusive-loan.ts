import { DomainError } from './errors.js'
import type { Fen } from './money.js'
import type { SmeSize } from './sme-size.js'

/**
 * Who borrows, for the inclusive small/micro category (普惠小微, POLICY §1): enterprises by size,
 * plus individual businesses (个体工商户) and small/micro business owners (小微企业主), which count
 * whatever the size of their business.
 */
export type InclusiveLoanBorrower =
  | { readonly borrowerKind: 'enterprise'; readonly size: SmeSize }
  | { readonly borrowerKind: 'individual-business' | 'small-business-owner' }

/** Parameters of the inclusive small/micro category; a dated policy value, not a constant. */
export interface InclusiveLoanRules {
  /** Highest total credit to one borrower (单户授信总额) that still qualifies, fen, inclusive. */
  readonly maxTotalCreditFen: Fen
}

/** The POLICY §1 default: total credit ≤ CNY 10 million = 1,000,000,000 fen. */
export const DEFAULT_INCLUSIVE_LOAN_RULES: InclusiveLoanRules = { maxTotalCreditFen: 1_000_000_000n }

/**
 * Is a loan to this borrower an inclusive small/micro loan (普惠小微贷款)? POLICY §1: total credit
 * to the borrower at most CNY 10 million (inclusive), and the borrower a small or micro
 * enterprise, an individual business or a small-business owner. Medium and large enterprises
 * never qualify, whatever the amount.
 *
 * For individual businesses and business owners only business-purpose (经营性) loans count; the
 * caller checks the purpose.
 *
 * @param input.totalCreditFen total credit granted to the borrower across the bank (授信总额), fen,
 *   not the single loan amount
 * @throws DomainError `invalid-argument` for a negative total credit.
 */
export function isInclusiveSmallMicroLoan(
  input: InclusiveLoanBorrower & { readonly totalCreditFen: Fen },
  rules: InclusiveLoanRules = DEFAULT_INCLUSIVE_LOAN_RULES,
): boolean {
  if (input.totalCreditFen < 0n) throw new DomainError('invalid-argument', `total credit must not be negative, got ${input.totalCreditFen} fen`)
  if (input.totalCreditFen > rules.maxTotalCreditFen) return false
  if (input.borrowerKind === 'enterprise') return input.size === 'small' || input.size === 'micro'
  return true
}
