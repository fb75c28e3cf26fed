import fc from 'fast-check'
import t from 'tap'
import {
  USCC_CHARSET,
  computeOrgCodeCheck,
  computeUsccCheck,
  makeUscc,
  normalizeUsccInput,
  usccRegistrantKind,
  validateUscc,
} from '../src/index.js'

/**
 * Codes of well-known companies as shown in public registration records. Six independent genuine
 * codes passing both checks would be a ~1 in 10^15 coincidence for a wrong algorithm.
 */
const GENUINE = [
  '91350100M000100Y43', // the example commonly cited for GB 32100 (letters in the organisation code)
  '9144030071526726XG', // Shenzhen Tencent Computer Systems (org check X)
  '914403001922038216', // Huawei Technologies
  '91100000100003962T', // ICBC (region 100000: registered centrally, not a GB/T 2260 code)
  '91110108551385082Q', // Beijing Xiaomi Technology
  '91330100799655058B', // Alibaba (China)
] as const

const charsetChar = fc.constantFrom(...USCC_CHARSET)
const digit = fc.constantFrom(...'0123456789')
/** Positions 1–16 of a structurally valid code: any charset characters, digits at 3–8. */
const prefix16 = fc
  .tuple(fc.array(charsetChar, { minLength: 2, maxLength: 2 }), fc.array(digit, { minLength: 6, maxLength: 6 }), fc.array(charsetChar, { minLength: 8, maxLength: 8 }))
  .map(([head, region, org]) => [...head, ...region, ...org].join(''))

t.test('genuine codes validate and split into their parts', async (t) => {
  for (const code of GENUINE) {
    const result = validateUscc(code)
    t.ok(result.valid, code)
    t.equal(computeUsccCheck(code.slice(0, 17)), code.charAt(17), `${code} final check`)
    t.equal(computeOrgCodeCheck(code.slice(8, 16)), code.charAt(16), `${code} organisation code check`)
    t.equal(makeUscc(code.slice(0, 16)), code, `${code} rebuilt by makeUscc`)
  }
  t.strictSame(validateUscc('91350100M000100Y43'), {
    valid: true,
    code: '91350100M000100Y43',
    parts: {
      registrationAuthority: '9',
      entityType: '1',
      region: '350100',
      organisationCode: 'M000100Y4',
      checkCharacter: '3',
    },
  })
})

t.test('organisation code check (GB 11714)', async (t) => {
  // M000100Y: letters count by alphabet position (M = 22, Y = 34), not USCC value.
  // 22×3 + 1×5 + 34×2 = 139; 139 mod 11 = 7; 11 − 7 = 4.
  t.equal(computeOrgCodeCheck('M000100Y'), '4')
  t.equal(computeOrgCodeCheck('71526726'), 'X', '11 − (199 mod 11) = 10 → X')
  t.equal(computeOrgCodeCheck('00000000'), '0', '11 − 0 = 11 → 0')
  t.equal(computeOrgCodeCheck('19220382'), '1')
  for (const bad of ['1234567', '123456789', 'm000100Y', '1234567-', '']) {
    t.throws(() => computeOrgCodeCheck(bad), { code: 'invalid-argument' }, JSON.stringify(bad))
  }
})

t.test('final check character (GB 32100)', async (t) => {
  t.equal(computeUsccCheck('91350100M000100Y4'), '3')
  t.equal(computeUsccCheck('00000000000000000'), '0', '31 − 0 = 31 → 0')
  t.throws(() => computeUsccCheck('91350100M000100Y'), { code: 'invalid-argument' }, '16 characters')
  t.throws(() => computeUsccCheck('91350100M000100YI'), { code: 'invalid-argument' }, 'I is not in the set')
})

t.test('structural errors', async (t) => {
  const cases: [string, string][] = [
    ['', 'length'],
    ['91350100M000100Y4', 'length'],
    ['91350100M000100Y433', 'length'],
    ['91350100M000100Y4I', 'charset'], // I
    ['91350100O000100Y43', 'charset'], // O
    ['91350100M000100Z43', 'charset'], // Z
    ['91350100M000100S43', 'charset'], // S
    ['91350100M000100V43', 'charset'], // V
    ['91350100m000100Y43', 'charset'], // lowercase
    ['91350100M000100Y4 ', 'charset'], // space
    ['91350100M000100Y4３', 'charset'], // full-width digit
    ['91A50100M000100Y43', 'region'],
    ['9135010AM000100Y43', 'region'],
  ]
  for (const [code, error] of cases) {
    const result = validateUscc(code)
    t.equal(result.valid ? 'valid' : result.error, error, JSON.stringify(code))
  }
  const lower = validateUscc('91350100m000100y43')
  t.match(lower, { valid: false, error: 'charset', detail: /lowercase/ }, 'lowercase is refused with a hint, not folded')
  t.match(validateUscc(' 91350100M000100Y43'), { valid: false, error: 'length' }, 'no silent trimming')
})

t.test('check failures', async (t) => {
  t.match(validateUscc('91350100M000100Y44'), { valid: false, error: 'check', detail: /should be 3, got 4/ })
  // Changing the organisation check also breaks the final check; the first failure is reported, both described.
  const both = validateUscc('91350100M000100Y53')
  t.match(both, { valid: false, error: 'org-check', detail: /position 17.*position 18/ })
  // A code with a consistent final check but a wrong organisation check.
  const first17 = '91350100M000100Y5'
  t.match(validateUscc(first17 + computeUsccCheck(first17)), { valid: false, error: 'org-check' })
})

t.test('exception list: accepted with the reason, never silently', async (t) => {
  const pilot = '91350100M000100Y44' // fails the final check
  const orgPilot = '91350100M000100Y5' + computeUsccCheck('91350100M000100Y5') // fails only the org check
  const exceptions = new Map([
    [pilot, 'issued in the 2015 Fujian pilot before the check rule was enforced; confirmed with the registry 2020-03-02'],
    [orgPilot, 'legacy organisation code; registry letter 2020-04-01'],
    ['9135010OM000100Y43', 'not a real exception: bad charset'],
    ['91350100M000100Y43', 'redundant entry for a valid code'],
  ])
  t.strictSame(validateUscc(pilot, { exceptions }), {
    valid: true,
    code: pilot,
    parts: { registrationAuthority: '9', entityType: '1', region: '350100', organisationCode: 'M000100Y4', checkCharacter: '4' },
    exception: { reason: exceptions.get(pilot), failedChecks: ['check'] },
  })
  t.match(validateUscc(orgPilot, { exceptions }), { valid: true, exception: { failedChecks: ['org-check'] } })
  t.match(validateUscc('91350100M000100Y53', { exceptions: new Map([['91350100M000100Y53', 'both']]) }), {
    valid: true,
    exception: { reason: 'both', failedChecks: ['org-check', 'check'] },
  })
  t.match(validateUscc(pilot), { valid: false, error: 'check' }, 'default: rejected')
  t.match(validateUscc(pilot, { exceptions: new Map() }), { valid: false, error: 'check' }, 'not on the list: rejected')
  t.match(validateUscc('9135010OM000100Y43', { exceptions }), { valid: false, error: 'charset' }, 'the list cannot excuse structure')
  const valid = validateUscc('91350100M000100Y43', { exceptions })
  t.ok(valid.valid)
  t.notOk('exception' in valid, 'a passing code carries no exception even if listed')
})

t.test('makeUscc builds valid fixtures', async (t) => {
  t.equal(makeUscc('91350100M000100Y'), '91350100M000100Y43')
  t.throws(() => makeUscc('91350100M000100'), { code: 'invalid-argument' }, 'too short')
  t.throws(() => makeUscc('91350100M00010OY'), { code: 'invalid-argument' }, 'O not allowed')
  t.throws(() => makeUscc('91A50100M000100Y'), { code: 'invalid-argument' }, 'region must be digits')
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(prefix16, (prefix) => {
        const code = makeUscc(prefix)
        const result = validateUscc(code)
        return code.startsWith(prefix) && result.valid && result.exception === undefined
      }),
      { numRuns: 1000 },
    ),
  )
})

t.test('every single-character substitution is detected', async (t) => {
  // 31 is prime and no weight is 0 mod 31, so any one changed character changes the check sum.
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(prefix16, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 30 }), (prefix, position, shift) => {
        const code = makeUscc(prefix)
        const original = USCC_CHARSET.indexOf(code.charAt(position))
        const replacement = USCC_CHARSET.charAt((original + shift) % 31)
        const mutated = code.slice(0, position) + replacement + code.slice(position + 1)
        return !validateUscc(mutated).valid
      }),
      { numRuns: 1000 },
    ),
  )
})

t.test('normalizeUsccInput is explicit clean-up for forms', async (t) => {
  t.equal(normalizeUsccInput('  91350100m000100y43\n'), '91350100M000100Y43')
  t.ok(validateUscc(normalizeUsccInput(' 91350100m000100y43 ')).valid)
  t.equal(normalizeUsccInput('9135O100'), '9135O100', 'look-alikes are not mapped')
})

t.test('registrant kind from positions 1–2', async (t) => {
  t.equal(usccRegistrantKind({ registrationAuthority: '9', entityType: '1' }), 'enterprise')
  t.equal(usccRegistrantKind({ registrationAuthority: '9', entityType: '2' }), 'individual-business')
  t.equal(usccRegistrantKind({ registrationAuthority: '9', entityType: '3' }), 'farmers-cooperative')
  t.equal(usccRegistrantKind({ registrationAuthority: '9', entityType: '9' }), 'other')
  t.equal(usccRegistrantKind({ registrationAuthority: '1', entityType: '1' }), 'other', 'government body')
  t.equal(usccRegistrantKind({ registrationAuthority: '5', entityType: '2' }), 'other', 'social organisation')
  const individual = validateUscc(makeUscc('92440300MA5F0001'))
  t.ok(individual.valid && usccRegistrantKind(individual.parts) === 'individual-business')
})
