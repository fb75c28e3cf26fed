import t from 'tap'
import { Type } from 'typebox'
import { ConfigError, loadConfig, ServiceConfigSchema, splitList } from '../src/index.js'

const base = { JWT_SECRET: 's'.repeat(32), JWT_ISSUER: 'https://idp', JWT_AUDIENCE: 'sme-relief' }

t.test('applies defaults, coerces types and ignores unrelated variables', async (t) => {
  const config = loadConfig(ServiceConfigSchema, { ...base, PORT: '8080', PATH: '/usr/bin', KAFKA_BROKERS: 'a:9092,b:9092' })
  t.equal(config.PORT, 8080)
  t.equal(config.HOST, '127.0.0.1')
  t.equal(config.LOG_LEVEL, 'info')
  t.equal(config.DATABASE_URL, undefined, 'absent DATABASE_URL selects embedded PGlite')
  t.same(splitList(config.KAFKA_BROKERS), ['a:9092', 'b:9092'])
  t.notOk('PATH' in config)
})

t.test('prepared statements: on unless a deployment turns them off (a pooler in transaction mode)', async (t) => {
  t.equal(loadConfig(ServiceConfigSchema, base).DATABASE_PREPARED_STATEMENTS, 'on')
  t.equal(loadConfig(ServiceConfigSchema, { ...base, DATABASE_PREPARED_STATEMENTS: 'off' }).DATABASE_PREPARED_STATEMENTS, 'off')
  t.throws(() => loadConfig(ServiceConfigSchema, { ...base, DATABASE_PREPARED_STATEMENTS: 'no' }), /DATABASE_PREPARED_STATEMENTS/)
})

t.test('empty strings count as absent', async (t) => {
  const config = loadConfig(ServiceConfigSchema, { ...base, DATABASE_URL: '', PORT: '' })
  t.equal(config.DATABASE_URL, undefined)
  t.equal(config.PORT, 3000)
})

t.test('names every bad key and never echoes values', async (t) => {
  const secret = 'too-short-secret'
  try {
    loadConfig(ServiceConfigSchema, { PORT: 'eighty', LOG_LEVEL: 'loud', JWT_SECRET: secret, DATABASE_URL: 'mysql://x', KAFKA_BROKERS: 'a:1,,b:2' })
    t.fail('should throw')
  } catch (error) {
    t.ok(error instanceof ConfigError)
    const message = (error as Error).message
    for (const key of ['PORT', 'LOG_LEVEL', 'JWT_SECRET', 'DATABASE_URL', 'KAFKA_BROKERS', 'JWT_ISSUER', 'JWT_AUDIENCE']) {
      t.match(message, key, `names ${key}`)
    }
    t.notMatch(message, secret, 'secret value not echoed')
    t.ok((error as ConfigError).problems.length >= 7)
  }
})

t.test('exactly one of JWT_SECRET and JWT_JWKS_URL', async (t) => {
  const { JWT_SECRET: _unused, ...noKey } = base
  t.throws(() => loadConfig(ServiceConfigSchema, noKey), /JWT_SECRET or JWT_JWKS_URL: one must be set/)
  t.throws(() => loadConfig(ServiceConfigSchema, { ...base, JWT_JWKS_URL: 'https://idp/jwks.json' }), /set only one/)
  const jwks = loadConfig(ServiceConfigSchema, { ...noKey, JWT_JWKS_URL: 'https://idp/jwks.json' })
  t.equal(jwks.JWT_JWKS_URL, 'https://idp/jwks.json')
  t.throws(() => loadConfig(ServiceConfigSchema, { ...noKey, JWT_JWKS_URL: 'ftp://idp/jwks.json' }), /JWT_JWKS_URL/)
})

t.test('services extend the common schema', async (t) => {
  const Schema = Type.Object({ ...ServiceConfigSchema.properties, SCORING_TIMEOUT_MS: Type.Integer({ minimum: 1, default: 500 }) })
  const config = loadConfig(Schema, base)
  t.equal(config.SCORING_TIMEOUT_MS, 500)
  t.throws(() => loadConfig(Schema, { ...base, SCORING_TIMEOUT_MS: '0' }), /SCORING_TIMEOUT_MS/)
})

t.test('reads process.env by default', async (t) => {
  const saved = { ...process.env }
  t.teardown(() => {
    process.env = saved
  })
  Object.assign(process.env, base, { PORT: '4321' })
  t.equal(loadConfig(ServiceConfigSchema).PORT, 4321)
})
