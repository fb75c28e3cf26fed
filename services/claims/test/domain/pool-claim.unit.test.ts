// Claims on a risk-compensation pool (POLICY §5; 工信明电〔2020〕14号 item 9), as Given/When/Then rows:
// what falls due on non-performance and on the final loss, what the bank pays back when the loss
// turned out smaller, which payments are accepted, and which pool versions are refused.
import t from 'tap'
import {
  applyPoolEntries,
  claimOnFinalLoss,
  claimOnNonPerformance,
  outstandingByPayer,
  poolInForce,
  poolIssues,
  recordPoolPayment,
  type CompensationPool,
  type PoolClaimState,
  type PoolLoan,
} from '../../src/domain/index.js'
import { d, POOL } from './fixtures.js'

const LOAN: PoolLoan = { issuedOn: d('2020-03-15'), borrowerSize: 'micro', agencyGuaranteed: false, principalAtDefault: 10_000_001n }

function opened(): PoolClaimState {
  const decision = claimOnNonPerformance(POOL, LOAN, d('2021-01-10'))
  if (!decision.ok) throw new Error('the loan is covered')
  return applyPoolEntries({ poolId: POOL.id, poolVersion: 1, loan: LOAN, stage: 'non-performing', loss: null, entries: [] }, decision.entries)
}
const amounts = (s: PoolClaimState) => outstandingByPayer(POOL, s).map((l) => [l.payer, l.due, l.paid, l.outstanding])

t.test('Given a covered loan, when it becomes non-performing, then each non-performing tier’s share of the principal falls due', async (t) => {
  t.same(amounts(opened()), [
    ['ZJ-PROVINCE', 3_000_000n, 0n, 3_000_000n],
    ['HZ-CITY', 0n, 0n, 0n],
  ], '30% of 10,000,001 fen, rounded half-up')
  const refused = claimOnNonPerformance(POOL, { ...LOAN, agencyGuaranteed: true, borrowerSize: 'medium' }, d('2021-01-10'))
  t.same(refused, { ok: false, refused: 'PC_NOT_COVERED', reasons: ['SIZE_NOT_COVERED', 'AGENCY_GUARANTEED'] }, 'every reason it is not covered')
})

t.test('Given a claim on non-performance, when the final loss is known, then the rest falls due, never more than the loss, or the excess is owed back', async (t) => {
  const rows: readonly [string, bigint, [string, bigint, bigint, bigint][]][] = [
    ['a loss of the whole principal: the city’s 10% falls due', 10_000_001n, [['ZJ-PROVINCE', 3_000_000n, 0n, 3_000_000n], ['HZ-CITY', 1_000_000n, 0n, 1_000_000n]]],
    ['a loss of 35%: the city pays what is left up to the loss', 3_500_000n, [['ZJ-PROVINCE', 3_000_000n, 0n, 3_000_000n], ['HZ-CITY', 500_000n, 0n, 500_000n]]],
    ['a loss of 20%: the bank owes the province back what exceeded it', 2_000_000n, [['ZJ-PROVINCE', 2_000_000n, 0n, 2_000_000n], ['HZ-CITY', 0n, 0n, 0n]]],
    ['no loss at all: everything claimed is given back', 0n, [['ZJ-PROVINCE', 0n, 0n, 0n], ['HZ-CITY', 0n, 0n, 0n]]],
  ]
  for (const [why, loss, expected] of rows) {
    const s = opened()
    const decision = claimOnFinalLoss(POOL, s, loss, d('2022-01-10'))
    if (!decision.ok) throw new Error(why)
    t.same(amounts(applyPoolEntries(s, decision.entries, loss)), expected, why)
  }
  const once = opened()
  const first = claimOnFinalLoss(POOL, once, 10_000_001n, d('2022-01-10'))
  if (!first.ok) throw new Error('first')
  t.same(claimOnFinalLoss(POOL, applyPoolEntries(once, first.entries, 10_000_001n), 1n, d('2022-01-11')), { ok: false, refused: 'PC_FINAL_LOSS_RECORDED' }, 'the final loss is recorded once')
  t.same(claimOnFinalLoss(POOL, once, 1n, d('2021-01-09')), { ok: false, refused: 'PC_DATED_BEFORE' }, 'never dated before the last entry')
})

t.test('Given what is due, when a payment is recorded, then only what is outstanding, in its direction, once per reference', async (t) => {
  const s = opened()
  const pay = (payer: string, amount: bigint, reference = 'P1', state = s) => recordPoolPayment(POOL, state, { payer, amount, reference, on: d('2021-02-01') })
  const paid = pay('ZJ-PROVINCE', 1_000_000n)
  t.ok(paid.ok, 'part of what the province owes')
  if (!paid.ok) return
  const after = applyPoolEntries(s, paid.entries)
  t.same(amounts(after)[0], ['ZJ-PROVINCE', 3_000_000n, 1_000_000n, 2_000_000n])
  t.same(pay('ZJ-PROVINCE', 1_000_000n, 'P1', after), { ok: true, entries: [] }, 'the same payment again changes nothing')
  t.same(pay('ZJ-PROVINCE', 2_000_001n, 'P2', after), { ok: false, refused: 'PC_MORE_THAN_OUTSTANDING' }, 'a fen more than is outstanding')
  t.same(pay('ZJ-PROVINCE', -1n, 'P2', after), { ok: false, refused: 'PC_MORE_THAN_OUTSTANDING' }, 'back to the province while it owes')
  t.same(pay('HZ-CITY', 1n), { ok: false, refused: 'PC_MORE_THAN_OUTSTANDING' }, 'from the city before anything is due from it')
  t.same(pay('SOMEONE-ELSE', 1n), { ok: false, refused: 'PC_NOT_A_PAYER' })

  const full = pay('ZJ-PROVINCE', 3_000_000n)
  if (!full.ok) throw new Error('the whole of what the province owes')
  const fullyPaid = applyPoolEntries(s, full.entries)
  const small = claimOnFinalLoss(POOL, fullyPaid, 2_000_000n, d('2022-01-10'))
  if (!small.ok) throw new Error('final')
  const owedBack = applyPoolEntries(fullyPaid, small.entries, 2_000_000n)
  t.same(amounts(owedBack)[0], ['ZJ-PROVINCE', 2_000_000n, 3_000_000n, -1_000_000n], 'the province paid 3,000,000; the loss was 2,000,000: 1,000,000 is owed back')
  const back = recordPoolPayment(POOL, owedBack, { payer: 'ZJ-PROVINCE', amount: -1_000_000n, reference: 'B1', on: d('2022-02-01') })
  t.ok(back.ok, 'the bank pays it back')
  if (back.ok) t.same(amounts(applyPoolEntries(owedBack, back.entries))[0], ['ZJ-PROVINCE', 2_000_000n, 2_000_000n, 0n], 'settled')
})

t.test('Given pool versions, when they are checked, then contradictions are named and the version covering an issue day is found', async (t) => {
  const rows: readonly [string, Partial<CompensationPool>, string[]][] = [
    ['the shipped shape', {}, []],
    ['more than the principal', { tiers: [{ payer: 'A', stage: 'non-performing', shareBp: 6_000 }, { payer: 'B', stage: 'final-loss', shareBp: 5_000 }] }, ['/tiers']],
    ['no tier on non-performance', { tiers: [{ payer: 'B', stage: 'final-loss', shareBp: 1_000 }] }, ['/tiers']],
    ['a payer twice at a stage', { tiers: [{ payer: 'A', stage: 'non-performing', shareBp: 1_000 }, { payer: 'A', stage: 'non-performing', shareBp: 1_000 }] }, ['/tiers/1']],
    ['a window ending before it starts', { loansIssuedTo: d('2019-12-31') }, ['/loansIssuedTo']],
    ['no size', { coveredSizes: [] }, ['/coveredSizes']],
  ]
  for (const [why, over, paths] of rows) t.same(poolIssues({ ...POOL, ...over }).map((i) => i.path), paths, why)
  const v2 = { ...POOL, version: 2, loansIssuedFrom: d('2020-07-01'), tiers: [{ payer: 'ZJ-PROVINCE', stage: 'non-performing' as const, shareBp: 4_000 }] }
  t.equal(poolInForce([POOL, v2], POOL.id, d('2020-03-15'))?.version, 1, 'issued before version 2’s window: version 1')
  t.equal(poolInForce([POOL, v2], POOL.id, d('2020-08-01'))?.version, 2, 'in both windows: the higher version')
  t.equal(poolInForce([POOL, v2], POOL.id, d('2021-01-01')), null, 'issued after every window: none')
})
