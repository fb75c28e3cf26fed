// Applications for processes that run on the real clock (fault runs, the overload benchmark).
import { makeUscc } from '@sme/domain'
import { applicationBody } from '../../services/relief/test/helpers.js'

/**
 * A dated-today application for firm `n`: an extension within the cap for even `n` (referred when
 * scoring has no data on the firm), one past the cap for odd `n` (declined by a hard rule: final,
 * so published on relief.decisions.v1). `loanPrefix` keeps runs apart.
 */
export function applicationForToday(n: number, loanPrefix = 'FAULT') {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10)
  const body = applicationBody('extension', { branchId: 'FZ01', uscc: makeUscc(`9135010${String(n % 1_000_000_000).padStart(9, '0')}`), loanId: `${loanPrefix}-${n}` })
  return { ...body, loan: { ...body.loan, startDate: day(-200), maturityDate: day(30) }, request: { kind: 'extension' as const, newMaturity: day(n % 2 === 0 ? 120 : 600) } }
}
