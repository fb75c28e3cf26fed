import { divideRound, type Fen } from '@sme/domain'
import type { GuaranteeAgreement } from './agreement.js'

/** The agency's compensation for one bank and vintage (the year its loans were guaranteed). */
export interface VintageBook {
  /** What the agency guaranteed for the bank that year. */
  readonly guaranteed: Fen
  /** Claims it has paid or approved on that vintage. */
  readonly compensated: Fen
  /** What recoveries gave back to the paying layers; it tops the headroom up again. */
  readonly recoveredToPayers: Fen
}

export interface PortfolioCapCheck {
  readonly capBp: number
  readonly mode: 'enforce' | 'flag'
  /** guaranteed × cap, rounded down: the most the agency compensates net of recoveries. */
  readonly limit: Fen
  /** compensated − recovered: net compensation before this claim. */
  readonly used: Fen
  readonly headroom: Fen
  /** Whether this claim would take the net compensation past the limit. */
  readonly exceeded: boolean
}

/**
 * The portfolio cap of an agreement (compensation as a share of the guaranteed book, per bank and
 * vintage), tracked net of recoveries and checked at filing: an agreement that enforces it refuses
 * the claim, one that flags it files it and says so.
 */
export function checkPortfolioCap(agreement: Pick<GuaranteeAgreement, 'portfolioCap'>, book: VintageBook, claimed: Fen): PortfolioCapCheck {
  const { capBp, mode } = agreement.portfolioCap
  const limit = divideRound(book.guaranteed * BigInt(capBp), 10_000n, 'down')
  const used = book.compensated - book.recoveredToPayers
  const headroom = limit - used
  return { capBp, mode, limit, used, headroom, exceeded: claimed > headroom }
}
