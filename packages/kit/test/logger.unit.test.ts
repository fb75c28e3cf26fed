import t from 'tap'
import { createLogger, redactionPaths } from '../src/index.js'
import { memoryLogger } from './helpers.js'

t.test('redacts secrets and personal data at the top level and one level down, keeps business identifiers', async (t) => {
  const { logger, lines } = memoryLogger()
  logger.info(
    {
      password: 'hunter2',
      token: 'eyJhbGciOi',
      fullName: 'Li Si',
      applicant: {
        uscc: '91350100M000100Y43',
        legalRepresentative: 'Zhang San',
        phone: '13800000000',
        email: 'li@example.com',
        idNumber: '110101199003074514',
        bankAccountNumber: '6222020000000000000',
        branch: 'BR-001',
      },
      req: { headers: { authorization: 'Bearer abc', cookie: 'sid=1', 'set-cookie': 'sid=2', host: 'x' } },
      loanId: 'L-1',
    },
    'application received',
  )
  const [line] = lines()
  const text = JSON.stringify(line)
  for (const secret of ['hunter2', 'eyJhbGciOi', 'Zhang San', 'Li Si', '13800000000', 'li@example.com', '110101199003074514', '6222020000000000000', 'Bearer abc', 'sid=1', 'sid=2']) {
    t.notMatch(text, secret, `no ${secret}`)
  }
  t.match(text, '91350100M000100Y43', 'USCC is not personal data')
  t.match(text, 'BR-001')
  t.match(text, 'L-1')
  t.equal((line as { name?: string }).name, 'kit-test', 'logger name is not redacted')
  t.match(text, '[redacted]')
})

t.test('redaction covers extra fields and request headers', async (t) => {
  const paths = redactionPaths(['taxNumber'])
  t.ok(paths.includes('*.taxNumber'))
  t.ok(paths.includes('req.headers["authorization"]'))
})

t.test('JSON when not a terminal, pretty transport only on request', async (t) => {
  const json = createLogger({ level: 'warn', name: 'svc', pretty: false })
  t.equal(json.level, 'warn')
  const silent = createLogger({ level: 'silent', name: 'svc' })
  t.equal(silent.level, 'silent')
})

t.test('one level down also in child-logger bindings and in serialized errors; the logged objects are not changed', async (t) => {
  const { logger, lines } = memoryLogger()
  const applicant = { uscc: '91350100M000100Y43', phone: '13800000000' }
  const child = logger.child({ reqId: 'r-1', caller: { email: 'li@example.com', branch: 'BR-9' } })
  const err = Object.assign(new Error('upstream refused'), { token: 'eyJsecret', status: 401 })
  child.info({ applicant, err, items: [{ phone: 'kept-in-arrays-by-design' }] }, 'with nested data')
  const [line] = lines() as any[]
  const text = JSON.stringify(line)
  for (const secret of ['13800000000', 'li@example.com', 'eyJsecret']) t.notMatch(text, secret, `no ${secret}`)
  t.equal(line.applicant.uscc, '91350100M000100Y43', 'other keys of the object stay')
  t.equal(line.caller.branch, 'BR-9', 'bindings keep their other keys')
  t.equal(line.err.message, 'upstream refused', 'the error keeps its message')
  t.match(line.err.stack, /upstream refused/, 'and its stack')
  t.equal(line.err.status, 401)
  t.equal(line.reqId, 'r-1')
  t.equal(applicant.phone, '13800000000', 'the caller’s object is not modified')
  t.equal(err.token, 'eyJsecret', 'nor is the error')
})
