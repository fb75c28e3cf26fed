import fc from 'fast-check'
import t from 'tap'
import { holdsResidentIdNumber, residentIdCheckCharacter } from '../src/index.js'

// The sample number printed in GB 11643-1999's annex and reproduced in every description of the
// check character: 11010519491231002X (Beijing Chaoyang, born 1949-12-31, check X).
const STANDARD_SAMPLE = '11010519491231002X'

/** An 18-character number built from its parts, with its own check character. */
const numberOf = (region: string, birth: string, sequence: string): string => {
  const first17 = `${region}${birth}${sequence}`
  return first17 + residentIdCheckCharacter(first17)
}

t.test('the check character of the standard sample is X (ISO 7064 MOD 11-2)', async (t) => {
  t.equal(residentIdCheckCharacter(STANDARD_SAMPLE.slice(0, 17)), 'X')
  t.throws(() => residentIdCheckCharacter('1101051949123100'), RangeError)
})

t.test('Given a value, when checked, then identity numbers are found wherever they are', async (t) => {
  const rows: readonly [given: string, holds: boolean, why: string][] = [
    [STANDARD_SAMPLE, true, 'the standard sample'],
    [STANDARD_SAMPLE.toLowerCase(), true, 'a lower-case x check character'],
    [`CB:${STANDARD_SAMPLE}`, true, 'a prefix and the number'],
    [`P-${STANDARD_SAMPLE}-01`, true, 'the number inside a longer id'],
    [`99${STANDARD_SAMPLE}`, true, 'the number at the end of a longer run of digits'],
    ['110105491231002', true, 'a first-generation 15-digit number (born 1949-12-31)'],
    ['11010519491231002', false, '17 characters: no check character'],
    ['110105194912310021', false, 'a wrong check character'],
    [numberOf('110105', '19490230', '002').slice(0, 17) + 'Z', false, 'a letter other than X'],
    [numberOf('110105', '19490230', '002'), false, '30 February is no birth date'],
    [numberOf('110105', '18991231', '002'), false, 'born before 1900'],
    [numberOf('420100', '20000229', '123'), true, 'born on 29 February of a leap year'],
    [numberOf('420100', '19000229', '123'), false, '1900 was not a leap year'],
    ['110105491331002', false, 'fifteen digits with month 13'],
    ['1101054912310021', false, 'sixteen digits: neither generation'],
    ['CB-BORROWER-000123', false, 'a pseudonym'],
    ['cust_8f3a9c2e41d7', false, 'a hexadecimal pseudonym'],
    ['0110105194912310021', false, 'no region code starts with 0, and 19 digits hold no valid window'],
  ]
  for (const [given, holds, why] of rows) t.equal(holdsResidentIdNumber(given), holds, `${why}: ${given}`)
})

t.test('every generated number with a valid date and its check character is found, with any prefix and suffix', async (t) => {
  const date = fc.date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true })
  const text = fc.stringMatching(/^[A-Za-z:_-]{0,8}$/)
  fc.assert(
    fc.property(fc.integer({ min: 110000, max: 659999 }), date, fc.integer({ min: 0, max: 999 }), text, text, (region, birth, sequence, before, after) => {
      const iso = birth.toISOString().slice(0, 10).replaceAll('-', '')
      const id = numberOf(String(region), iso, String(sequence).padStart(3, '0'))
      return holdsResidentIdNumber(`${before}${id}${after}`)
    }),
  )
})

t.test('a changed check character is not taken for a number', async (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 999 }), fc.constantFrom(...'0123456789X'), (sequence, check) => {
      const id = numberOf('110105', '19800101', String(sequence).padStart(3, '0'))
      fc.pre(check !== id[17])
      return !holdsResidentIdNumber(id.slice(0, 17) + check)
    }),
  )
})
