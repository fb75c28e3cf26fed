import { DomainError, domainErrorGuard } from '@sme/domain'

/**
 * What pricing refuses, by stable code (the kit answers each with a 422 problem naming the field):
 * `lpr-not-available` a date before the first LPR publication; `no-rate-card` no card in force;
 * `no-card-spread` the card prices no such product, term band and grade; `no-bridge-fund` no bridge
 * fund in force (or not the one named); `invalid-argument` terms
 * outside the engine's domain.
 */
export type PricingErrorCode = 'lpr-not-available' | 'no-rate-card' | 'no-card-spread' | 'no-bridge-fund' | 'invalid-argument'

export class PricingError extends DomainError<PricingErrorCode> {
  override readonly name: string = 'PricingError'
  /** The request field the refusal is about, as a JSON pointer, when there is one. */
  readonly field: string | null

  constructor(code: PricingErrorCode, message: string, field: string | null = null) {
    super(code, message, { issues: field === null ? [] : [{ path: field, message }] })
    this.field = field
  }
}

/** Type guard usable across module copies. */
export const isPricingError = domainErrorGuard<PricingError>('PricingError')
