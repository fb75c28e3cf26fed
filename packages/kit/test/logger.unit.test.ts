import t from 'tap'
import { createLogger, redactionPaths } from '../src/index.js'
import { memoryLogger } from './helpers.js'

t.test('redacts secrets, personal data and identity numbers at the top level and one level down, keeps record identifiers', async (t) => {
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
  for (const secret of ['91350100M000100Y43', 'hunter2', 'eyJhbGciOi', 'Zhang San', 'Li Si', '13800000000', 'li@example.com', '110101199003074514', '6222020000000000000', 'Bearer abc', 'sid=1', 'sid=2']) {
    t.notMatch(text, secret, `no ${secret}`)
  }
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
  const applicant = { loanId: 'L-7', phone: '13800000000' }
  const child = logger.child({ reqId: 'r-1', caller: { email: 'li@example.com', branch: 'BR-9' } })
  const err = Object.assign(new Error('upstream refused'), { token: 'eyJsecret', status: 401 })
  child.info({ applicant, err, items: [{ phone: 'kept-in-arrays-by-design' }] }, 'with nested data')
  const [line] = lines() as any[]
  const text = JSON.stringify(line)
  for (const secret of ['13800000000', 'li@example.com', 'eyJsecret']) t.notMatch(text, secret, `no ${secret}`)
  t.equal(line.applicant.loanId, 'L-7', 'other keys of the object stay')
  t.equal(line.caller.branch, 'BR-9', 'bindings keep their other keys')
  t.equal(line.err.message, 'upstream refused', 'the error keeps its message')
  t.match(line.err.stack, /upstream refused/, 'and its stack')
  t.equal(line.err.status, 401)
  t.equal(line.reqId, 'r-1')
  t.equal(applicant.phone, '13800000000', 'the caller’s object is not modified')
  t.equal(err.token, 'eyJsecret', 'nor is the error')
})

t.test('a database error is logged with its codes, never with the data of the statement', async (t) => {
  const pg = (await import('pg')).default
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' })
  await client.connect()
  t.teardown(() => client.end())
  const name = '福州 Canary-Enterprise-7731'
  const hardship = 'canary hardship text: our only customer failed'
  await client.query('create temp table applications (id int primary key, name text not null, hardship text, amount int check (amount > 0))')
  await client.query('insert into applications values (1, $1, $2, 5)', [name, hardship])
  const failures: Error[] = []
  for (const [sql, params] of [
    ['insert into applications values ($1, $2, $3, $4)', [2, name, hardship, -1]], // check violation: "Failing row contains (…)"
    ['insert into applications values ($1, $2, $3, $4)', [1, name, hardship, 5]], // duplicate key: "Key (id)=(1) already exists"
    ['select * from applications where id = $1::int', [name]], // invalid input syntax, the value quoted in the message
  ] as const) {
    failures.push(await client.query(sql, [...params]).then(() => new Error('did not fail'), (err: Error) => err))
  }
  const { logger, lines } = memoryLogger()
  for (const err of failures) logger.error({ err }, 'request failed')
  logger.error({ err: new Error('the statement failed', { cause: failures[2] }) }, 'request failed')
  const text = JSON.stringify(lines())
  t.notOk(text.includes('Canary-Enterprise'), 'no enterprise name')
  t.notOk(text.includes('canary hardship'), 'no hardship text')
  t.notOk(text.includes('Failing row'), 'no failing row')
  const [check, duplicate, syntax] = lines().map((l) => l.err as Record<string, unknown>)
  t.match(check, { code: '23514', constraint: 'applications_amount_check', table: 'applications', detail: '[redacted]' }, 'codes and names kept')
  t.match(duplicate, { code: '23505', constraint: 'applications_pkey' })
  t.match(syntax, { code: '22P02', message: 'invalid input syntax for type integer: "…"' })
  t.match(lines()[3]!.err, { message: 'the statement failed: invalid input syntax for type integer: "…"' }, 'a cause’s quoted value replaced too')
})
