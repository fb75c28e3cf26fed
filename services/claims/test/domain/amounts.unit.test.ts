// The claim amount and its split (POLICY §5): outstanding principal plus capped interest, times the
// covered share, split across the layers to the fen with the remainder rule the agreement states;
// recoveries shared back pro rata to the loss each layer bore. Worked examples for 4:2:2:2 and
// 4:3:2:1, then properties against an independent decimal computation.
import { Decimal } from 'decimal.js'
import fc from 'fast-check'
import t from 'tap'
import { addShares, AGREEMENT_4222, AGREEMENT_4321, claimAmount, lossBorne, shareRecovery, splitAcrossPayingLayers, type GuaranteeAgreement, type LayerShare } from '../../src/domain/index.js'
import { DEBT } from './fixtures.js'

const byParty = (shares: readonly LayerShare[]) => Object.fromEntries(shares.map((s) => [s.party, s.amount]))

t.test('4:2:2:2: one million yuan at 4.35%, 15,000 yuan unpaid interest capped at 90 days', async (t) => {
  const a = claimAmount(AGREEMENT_4222, DEBT)
  t.equal(a.interestCap, 1_087_500n, '90 days of 4.35% on 1,000,000.00 (ACT/360) = 10,875.00')
  t.equal(a.interest, 1_087_500n, 'the unpaid 15,000.00 is capped')
  t.equal(a.base, 101_087_500n)
  t.equal(a.claimed, 80_870_000n, '80% of 1,010,875.00')
  t.equal(a.retainedByBank, 20_217_500n)
  t.same(byParty(a.layers), { 'originating-agency': 40_435_000n, 'provincial-reguarantor': 20_217_500n, 'national-fund': 20_217_500n })
  t.match(a.rule, /fen left over to the originating-agency/)
})

t.test('4:2:2:2: an odd fen goes to the originating agency', async (t) => {
  const a = claimAmount(AGREEMENT_4222, { principal: 100_000_001n, unpaidInterest: 0n, contractRateBp: 435 })
  t.equal(a.claimed, 80_000_001n, '80,000,000.8 fen rounded half-up')
  t.same(byParty(a.layers), { 'originating-agency': 40_000_001n, 'provincial-reguarantor': 20_000_000n, 'national-fund': 20_000_000n })
  t.equal(a.retainedByBank, 20_000_000n)
})

t.test('4:3:2:1: interest under its cap, amounts rounded down, the remainder to the agency', async (t) => {
  const a = claimAmount(AGREEMENT_4321, { principal: 33_333_333n, unpaidInterest: 200_000n, contractRateBp: 385 })
  t.equal(a.interestCap, 213_888n, '60 days of 3.85% on 333,333.33, rounded down')
  t.equal(a.interest, 200_000n, 'the unpaid interest is under the cap: all of it')
  t.equal(a.claimed, 26_826_666n, '80% of 335,333.33 = 268,266.664, rounded down')
  t.same(byParty(a.layers), { 'originating-agency': 13_413_334n, 'provincial-reguarantor': 10_059_999n, 'local-government': 3_353_333n })
  t.equal(a.retainedByBank, 6_706_667n, 'the bank keeps its 20% and the rounding')
})

t.test('no interest claimable when the cap is 0 days', async (t) => {
  const a = claimAmount({ ...AGREEMENT_4222, interestCap: { maxDays: 0, rounding: 'half-up' } }, DEBT)
  t.equal(a.interest, 0n)
  t.equal(a.base, DEBT.principal)
})

const agreements = fc.constantFrom<GuaranteeAgreement>(AGREEMENT_4222, AGREEMENT_4321)
const fen = (max: bigint) => fc.bigInt({ min: 0n, max })

t.test('property: the claim matches an independent decimal computation, and its parts sum exactly', async (t) => {
  fc.assert(
    fc.property(agreements, fen(10n ** 13n), fen(10n ** 11n), fc.integer({ min: 1, max: 2_400 }), (agreement, principal, unpaidInterest, rateBp) => {
      const a = claimAmount(agreement, { principal, unpaidInterest, contractRateBp: rateBp })
      const down = agreement.interestCap.rounding === 'down' ? Decimal.ROUND_DOWN : Decimal.ROUND_HALF_UP
      const cap = new Decimal(principal.toString()).mul(rateBp).mul(agreement.interestCap.maxDays).div(3_600_000).toDecimalPlaces(0, down)
      const interest = Decimal.min(cap, unpaidInterest.toString())
      const base = interest.add(principal.toString())
      const mode = agreement.rounding.amount === 'down' ? Decimal.ROUND_DOWN : Decimal.ROUND_HALF_UP
      const claimed = base.mul(agreement.coveredShareBp).div(10_000).toDecimalPlaces(0, mode)
      if (a.interestCap.toString() !== cap.toFixed(0)) return false
      if (a.claimed.toString() !== claimed.toFixed(0)) return false
      if (a.claimed + a.retainedByBank !== a.base) return false
      if (a.layers.reduce((s, l) => s + l.amount, 0n) !== a.claimed) return false
      // Every layer but the remainder's is its exact share rounded down; the remainder's within (layers − 1) fen of exact.
      return a.layers.every((l) => {
        const share = agreement.layers.find((x) => x.partyId === l.partyId)!.shareBp
        const exact = new Decimal(a.claimed.toString()).mul(share).div(agreement.coveredShareBp)
        const off = new Decimal(l.amount.toString()).sub(exact)
        return l.party === agreement.rounding.remainderTo ? off.gte(0) && off.lt(agreement.layers.length - 1) : off.lte(0) && off.gt(-1)
      })
    }),
    { numRuns: 2_000 },
  )
  t.pass('2,000 random claims')
})

t.test('recoveries after a full payment: shared by the agreement’s shares', async (t) => {
  const a = claimAmount(AGREEMENT_4222, DEBT)
  const borne = lossBorne(AGREEMENT_4222, a.base, a.claimed)
  t.same(byParty(borne), { 'originating-agency': 40_435_000n, 'provincial-reguarantor': 20_217_500n, 'national-fund': 20_217_500n, bank: 20_217_500n })
  t.same(byParty(shareRecovery(borne, [], 1_000_000n)), { 'originating-agency': 400_000n, 'provincial-reguarantor': 200_000n, 'national-fund': 200_000n, bank: 200_000n })
  t.same(byParty(shareRecovery(borne, [], 1n)), { 'originating-agency': 1n, 'provincial-reguarantor': 0n, 'national-fund': 0n, bank: 0n }, 'one fen: to the largest remainder')
})

t.test('recoveries after a partial settlement: the bank bore more, and gets more back', async (t) => {
  const a = claimAmount(AGREEMENT_4222, DEBT)
  const borne = lossBorne(AGREEMENT_4222, a.base, 40_000_000n)
  t.same(byParty(borne), { 'originating-agency': 20_000_000n, 'provincial-reguarantor': 10_000_000n, 'national-fund': 10_000_000n, bank: 61_087_500n })
  const shares = byParty(shareRecovery(borne, [], 10_108_750n))
  t.same(shares, { 'originating-agency': 2_000_000n, 'provincial-reguarantor': 1_000_000n, 'national-fund': 1_000_000n, bank: 6_108_750n }, 'a tenth of the loss: a tenth of what each bore')
})

t.test('what is recovered beyond the whole loss is the bank’s alone', async (t) => {
  const borne = lossBorne(AGREEMENT_4222, 10_000n, 8_000n)
  const first = shareRecovery(borne, [], 9_000n)
  t.same(byParty(first), { 'originating-agency': 3_600n, 'provincial-reguarantor': 1_800n, 'national-fund': 1_800n, bank: 1_800n })
  const second = shareRecovery(borne, first, 3_000n)
  t.same(byParty(second), { 'originating-agency': 400n, 'provincial-reguarantor': 200n, 'national-fund': 200n, bank: 2_200n }, '1,000 shared, 2,000 beyond the loss')
  const both = addShares(first, second)
  t.same(byParty(shareRecovery(borne, both, 500n)), { 'originating-agency': 0n, 'provincial-reguarantor': 0n, 'national-fund': 0n, bank: 500n })
  t.same(byParty(shareRecovery(borne, both, -2_500n)), { 'originating-agency': -200n, 'provincial-reguarantor': -100n, 'national-fund': -100n, bank: -2_100n }, 'a correction taking back 2,500 undoes the excess first')
})

t.test('property: recoveries and corrections sum exactly; no layer passes what it bore or goes below 0; each stays within a fen of its exact share', async (t) => {
  const step = fc.oneof(fen(10n ** 9n), fc.bigInt({ min: -(10n ** 9n), max: -1n }), fc.bigInt({ min: 1n, max: 5n }))
  fc.assert(
    fc.property(agreements, fen(10n ** 11n), fc.integer({ min: 1, max: 10_000 }), fc.array(step, { minLength: 1, maxLength: 40 }), (agreement, base, settledBp, steps) => {
      fc.pre(base > 10n)
      const claimed = (base * BigInt(agreement.coveredShareBp)) / 10_000n
      const settled = (claimed * BigInt(settledBp)) / 10_000n
      const borne = lossBorne(agreement, base, settled)
      let got: LayerShare[] = []
      let total = 0n
      for (const wanted of steps) {
        const amount = total + wanted < 0n ? -total : wanted // a correction never takes back more than came in
        const shares = shareRecovery(borne, got, amount)
        if (shares.reduce((s, x) => s + x.amount, 0n) !== amount) return false
        got = addShares(got, shares)
        total += amount
        const shared = total < base ? total : base
        for (const b of borne) {
          const had = got.find((g) => g.partyId === b.partyId)?.amount ?? 0n
          const beyond = b.party === 'bank' ? total - shared : 0n
          if (had - beyond < 0n || had - beyond > b.amount) return false
          const exact = new Decimal(shared.toString()).mul(b.amount.toString()).div(base.toString())
          if (new Decimal((had - beyond).toString()).sub(exact).abs().gte(1)) return false
        }
      }
      return true
    }),
    { numRuns: 1_000 },
  )
  t.pass('1,000 random histories of recoveries and corrections')
})

t.test('a settlement split across the paying layers sums exactly', async (t) => {
  const parts = splitAcrossPayingLayers(AGREEMENT_4321, 7n)
  t.same(byParty(parts), { 'originating-agency': 5n, 'provincial-reguarantor': 2n, 'local-government': 0n })
})
