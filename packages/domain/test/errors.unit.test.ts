import t from 'tap'
import { DomainError, domainErrorGuard, isDomainError } from '../src/index.js'

class LendingError extends DomainError<'invalid-loan' | 'no-policy'> {
  override readonly name: string = 'LendingError'
}
const isLendingError = domainErrorGuard<LendingError>('LendingError')

t.test('one kind of domain error: code, issues listed in the message, cause kept', async (t) => {
  const cause = new Error('underlying')
  const plain = new DomainError('invalid-date', '2021-02-29 does not exist', { cause })
  t.equal(plain.message, '2021-02-29 does not exist')
  t.same(plain.issues, [])
  t.equal(plain.cause, cause)
  const listed = new LendingError('invalid-loan', 'invalid loan', { issues: [{ path: '/maturityDate', message: 'is before the start' }, { path: '/principal', message: 'must be positive' }] })
  t.equal(listed.message, 'invalid loan: /maturityDate is before the start; /principal must be positive')
  t.equal(listed.code, 'invalid-loan')
  t.equal(listed.issues.length, 2)
})

t.test('guards: any context for isDomainError, one context by name for its guard', async (t) => {
  const primitive = new DomainError('invalid-money', 'bad')
  const lending = new LendingError('no-policy', 'none')
  t.ok(isDomainError(primitive))
  t.ok(isDomainError(lending))
  t.ok(isLendingError(lending))
  t.notOk(isLendingError(primitive))
  t.notOk(isDomainError(new Error('plain')))
  t.notOk(isDomainError({ name: 'DomainError', code: 'invalid-money', message: 'look-alike' }), 'a plain object is not one')
  const lookAlike = Object.assign(new Error('x'), { name: 'LendingError', code: 'no-policy' })
  t.notOk(isLendingError(lookAlike), 'an Error that only borrows the name is not one')
})
