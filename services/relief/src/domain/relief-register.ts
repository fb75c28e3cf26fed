import type { ReliefKind } from '@sme/contracts/vocabulary'
import { csvDocument } from '@sme/domain'
import type { Decision } from './decision.js'

/**
 * The register of relief granted (专门统计, 银保监发〔2020〕6号: 对延期还本付息的贷款…专门统计、密切监测), by
 * month, branch, kind and programme, as a regulatory report counts it: what was granted, on how many
 * loans and how much principal, and the PBoC incentive the grants earn (122号, 81号: 1% of the
 * deferred principal, a loan counted once).
 */

/** One final approval, as the register reads it. */
export interface GrantedRelief {
  readonly applicationId: string
  readonly loanId: string
  readonly branchId: string
  /** Month of the final decision (Asia/Shanghai), `YYYY-MM`. */
  readonly month: string
  /** The rules' decision: its programme and the granted terms (an approval on review grants these too). */
  readonly decision: Pick<Decision, 'relief' | 'programme' | 'terms'>
  /** The loan's outstanding principal when the relief was asked for, fen. */
  readonly outstandingPrincipalFen: bigint
  /**
   * An earlier grant for the same loan, before the register's range, already earned the incentive:
   * this loan's incentive is counted there, never again.
   */
  readonly incentiveClaimedBefore: boolean
}

/** One line of the register. Fen as decimal strings. */
export interface RegisterLine {
  readonly month: string
  readonly branchId: string
  readonly relief: ReliefKind
  /** `id@version` of the programme or rule set granted under. */
  readonly programme: string
  readonly grants: number
  /** Distinct loans granted relief. */
  readonly loans: number
  /** Outstanding principal of the granted loans, each loan once per line. */
  readonly principalFen: string
  /** Principal deferred (deferrals of principal). */
  readonly deferredPrincipalFen: string
  /** Grants deferring interest. */
  readonly interestDeferrals: number
  /** The PBoC incentive earned, each loan counted once across all its grants. */
  readonly incentiveFen: string
  readonly incentiveLoans: number
  /** Grants eligible for the incentive on a loan whose incentive was already counted (not counted again). */
  readonly incentiveAlreadyClaimed: number
}

interface Accumulator {
  grants: number
  loans: Map<string, bigint>
  deferredPrincipal: bigint
  interestDeferrals: number
  incentive: bigint
  incentiveLoans: number
  alreadyClaimed: number
}

/**
 * The register of `grants`, which must be in the order they were decided (the first eligible grant
 * of a loan earns its incentive). Lines are ordered by month, branch, kind and programme.
 */
export function reliefRegister(grants: readonly GrantedRelief[]): RegisterLine[] {
  const lines = new Map<string, { key: Omit<RegisterLine, 'grants' | 'loans' | 'principalFen' | 'deferredPrincipalFen' | 'interestDeferrals' | 'incentiveFen' | 'incentiveLoans' | 'incentiveAlreadyClaimed'>; acc: Accumulator }>()
  const incentiveCounted = new Set<string>()
  for (const grant of grants) {
    const { programme, terms, relief } = grant.decision
    const programmeRef = programme === null ? 'none' : `${programme.id}@${programme.version}`
    const id = JSON.stringify([grant.month, grant.branchId, relief, programmeRef])
    let line = lines.get(id)
    if (line === undefined) {
      line = {
        key: { month: grant.month, branchId: grant.branchId, relief, programme: programmeRef },
        acc: { grants: 0, loans: new Map(), deferredPrincipal: 0n, interestDeferrals: 0, incentive: 0n, incentiveLoans: 0, alreadyClaimed: 0 },
      }
      lines.set(id, line)
    }
    const acc = line.acc
    acc.grants += 1
    acc.loans.set(grant.loanId, grant.outstandingPrincipalFen)
    if (terms?.kind === 'deferral') {
      if (terms.principal !== null) acc.deferredPrincipal += grant.outstandingPrincipalFen
      if (terms.interest !== null) acc.interestDeferrals += 1
      if (terms.pbocIncentive?.eligible === true) {
        if (grant.incentiveClaimedBefore || incentiveCounted.has(grant.loanId)) acc.alreadyClaimed += 1
        else {
          incentiveCounted.add(grant.loanId)
          acc.incentive += BigInt(terms.pbocIncentive.incentiveFen)
          acc.incentiveLoans += 1
        }
      }
    }
  }
  return [...lines.values()]
    .map(({ key, acc }) => ({
      ...key,
      grants: acc.grants,
      loans: acc.loans.size,
      principalFen: [...acc.loans.values()].reduce((a, b) => a + b, 0n).toString(),
      deferredPrincipalFen: acc.deferredPrincipal.toString(),
      interestDeferrals: acc.interestDeferrals,
      incentiveFen: acc.incentive.toString(),
      incentiveLoans: acc.incentiveLoans,
      incentiveAlreadyClaimed: acc.alreadyClaimed,
    }))
    .sort((a, b) => compare(a.month, b.month) || compare(a.branchId, b.branchId) || compare(a.relief, b.relief) || compare(a.programme, b.programme))
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const CSV_COLUMNS = [
  'month',
  'branch_id',
  'relief',
  'programme',
  'grants',
  'loans',
  'principal_fen',
  'deferred_principal_fen',
  'interest_deferrals',
  'incentive_fen',
  'incentive_loans',
  'incentive_already_claimed',
] as const

/** The register as CSV (RFC 4180, CRLF, a header row), fen as integers: the regulatory report's form. */
export function reliefRegisterCsv(lines: readonly RegisterLine[]): string {
  return csvDocument(
    CSV_COLUMNS,
    lines.map((l) => [l.month, l.branchId, l.relief, l.programme, l.grants, l.loans, l.principalFen, l.deferredPrincipalFen, l.interestDeferrals, l.incentiveFen, l.incentiveLoans, l.incentiveAlreadyClaimed]),
  )
}
