/**
 * What pricing refuses, by stable code (the edge maps each to an RFC 9457 problem):
 * `lpr-not-available` a date before the first LPR publication; `no-rate-card` no card in force;
 * `no-card-spread` the card prices no such product, term band and grade; `invalid-argument` terms
 * outside the engine's domain.
 */
export type PricingErrorCode = 'lpr-not-available' | 'no-rate-card' | 'no-card-spread' | 'invalid-argument'

export class PricingError extends Error {
  override readonly name = 'PricingError'
  constructor(
    readonly code: PricingErrorCode,
    message: string,
    /** The request field the refusal is about, as a JSON pointer, when there is one. */
    readonly field: string | null = null,
  ) {
    super(message)
  }
}
