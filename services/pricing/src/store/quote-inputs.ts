import type { QuoteRequest } from '../domain/index.js'

/** A quote's request as stored beside it (`quotes.inputs`): the domain's request, fen as a decimal string. */
export type StoredInputs = Omit<QuoteRequest, 'principal'> & { readonly principal: string }

/**
 * The request a quote was priced from, as JSON text: what a what-if prices the book from again
 * (the borrower as pricing knew it that day: size, grade, affected, the key list, inclusive).
 */
export function inputsJson(request: QuoteRequest): string {
  const stored: StoredInputs = { ...request, principal: request.principal.toString() }
  return JSON.stringify(stored)
}

/** The request back from its stored form. */
export function requestOfInputs(stored: StoredInputs): QuoteRequest {
  return { ...stored, principal: BigInt(stored.principal) }
}
