/**
 * Recognising a resident identity card number (居民身份证号码, GB 11643-1999) where none belongs.
 *
 * Natural-person borrowers are known to the platform by a pseudonymous id core banking keeps for
 * them; their identity number is sensitive personal information (个人信息保护法 art. 28) and must not
 * reach the platform's stores, events or logs. A pseudonym that holds an identity number (the number
 * itself, or a prefix and the number) is refused, so the check looks inside the value: any run of
 * 18 characters with a valid birth date and check character (ISO 7064 MOD 11-2), or a run of exactly
 * 15 digits with a valid birth date (the first-generation card, GB 11643-1989).
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const
const CHECK_CHARACTERS = '10X98765432'

/** The check character (position 18) of the first 17 digits: ISO 7064 MOD 11-2. */
export function residentIdCheckCharacter(first17: string): string {
  if (!/^[0-9]{17}$/.test(first17)) throw new RangeError('the first 17 characters must be digits')
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!
  return CHECK_CHARACTERS[sum % 11]!
}

function isBirthDate(year: number, month: number, day: number): boolean {
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return false
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!
  return day <= days
}

function isSecondGeneration(candidate: string): boolean {
  if (!/^[1-9][0-9]{16}[0-9X]$/.test(candidate)) return false
  const birth = candidate.slice(6, 14)
  if (!isBirthDate(Number(birth.slice(0, 4)), Number(birth.slice(4, 6)), Number(birth.slice(6, 8)))) return false
  return residentIdCheckCharacter(candidate.slice(0, 17)) === candidate[17]
}

function isFirstGeneration(candidate: string): boolean {
  if (!/^[1-9][0-9]{14}$/.test(candidate)) return false
  return isBirthDate(1900 + Number(candidate.slice(6, 8)), Number(candidate.slice(8, 10)), Number(candidate.slice(10, 12)))
}

/**
 * Whether `value` holds something that reads as a resident identity card number: an 18-character
 * number with a valid birth date and check character anywhere in it, or a run of exactly 15 digits
 * with a valid birth date. Case-insensitive for the check character `X`. False positives (a
 * pseudonym that happens to pass) cost a retry with another id; a false negative would store a
 * person's identity, so the test is wide.
 */
export function holdsResidentIdNumber(value: string): boolean {
  const upper = value.toUpperCase()
  for (const run of upper.match(/[0-9X]+/g) ?? []) {
    for (let start = 0; start + 18 <= run.length; start++) {
      if (isSecondGeneration(run.slice(start, start + 18))) return true
    }
    if (isFirstGeneration(run)) return true
  }
  return false
}
