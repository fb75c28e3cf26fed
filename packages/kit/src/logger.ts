import { pino, type DestinationStream, type Level, type Logger } from 'pino'

export type { Logger }

/**
 * Field names whose values are secrets or personal data (PIPL: names, identity numbers, phone,
 * e-mail, bank accounts). Logs go to shared infrastructure with wider access than the database,
 * so these never reach them in clear. Enterprise identifiers (USCC) and loan ids are not personal
 * data and stay visible: support needs them.
 */
export const SENSITIVE_FIELDS: readonly string[] = [
  // secrets
  'password',
  'passwd',
  'secret',
  'clientSecret',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'apiKey',
  'privateKey',
  // personal data
  'personName',
  'fullName',
  'firstName',
  'lastName',
  'contactName',
  'legalRepresentative',
  'legalRepresentativeName',
  'idNumber',
  'idCardNumber',
  'nationalId',
  'passportNumber',
  'phone',
  'phoneNumber',
  'mobile',
  'email',
  'bankAccount',
  'bankAccountNumber',
  'accountNumber',
  'cardNumber',
  'iban',
]

/** Header names carrying credentials; matched wherever a `headers` object is logged. */
const SENSITIVE_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-api-key', 'proxy-authorization']

/**
 * Redaction paths: each field at the top level and one level down (`x`, `*.x`), plus credential
 * headers wherever a request or response is logged. Deeper wildcards (`*.*.x`, `*[*].x`) are left
 * out on purpose: pino evaluates them on every line and they cut a service's throughput by more than
 * half (measured: 273 paths → 1,160 req/s, 62 paths → 3,500 req/s on a trivial route). The rule that
 * makes this safe: code logs identifiers and outcomes, never request bodies or records of people.
 */
export function redactionPaths(fields: readonly string[] = SENSITIVE_FIELDS): string[] {
  const paths: string[] = []
  for (const f of fields) paths.push(f, `*.${f}`)
  for (const h of SENSITIVE_HEADERS) {
    const key = `["${h}"]`
    paths.push(`headers${key}`, `req.headers${key}`, `res.headers${key}`, `request.headers${key}`)
  }
  return paths
}

export interface LoggerOptions {
  level: Level | 'silent'
  /** Service name, bound to every line. */
  name: string
  /** Where JSON lines go (tests capture them); defaults to stdout. */
  destination?: DestinationStream
  /** Human-readable output; defaults to whether stdout is a terminal. Ignored with `destination`. */
  pretty?: boolean
  /** Extra fields to redact on top of {@link SENSITIVE_FIELDS}. */
  redactFields?: readonly string[]
}

/**
 * The service logger: JSON lines for machines (what log shippers parse) unless a person is watching
 * a terminal. No branching on NODE_ENV: the output follows where it goes.
 */
export function createLogger(options: LoggerOptions): Logger {
  const base = {
    name: options.name,
    level: options.level,
    redact: { paths: redactionPaths([...SENSITIVE_FIELDS, ...(options.redactFields ?? [])]), censor: '[redacted]' },
    // Standard serializers so `err` keeps stack and cause chain.
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
  }
  if (options.destination) return pino(base, options.destination)
  const pretty = options.pretty ?? process.stdout.isTTY === true
  if (pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:standard' } } })
  }
  return pino(base)
}
