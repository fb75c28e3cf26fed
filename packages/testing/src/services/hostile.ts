import type { InjectOptions } from 'fastify'
import { injectOptionsFor, pointer, type CollectedRoute, type ValidRequest } from './malformed.js'

/**
 * Requests an outside fuzzer sends, not derived from the route's schema: where the schema-driven
 * generator (malformed.ts) breaks what a schema describes, these break what no schema says —
 * text PostgreSQL cannot store (NUL, lone surrogates), control and direction characters, numbers
 * JSON allows and JavaScript cannot hold (1e309, 2^53 + 1), bodies nested 100,000 levels, prototype
 * keys, wrong and missing content types, hostile path and query values. Each starts from a valid
 * request and breaks one thing.
 */
export interface HostileRequest {
  /** What was broken, e.g. `/body/enterprise/name: NUL`. */
  readonly name: string
  readonly inject: InjectOptions
}

const HOSTILE_TEXTS: readonly [string, string][] = [
  ['NUL', 'Acme\u0000Ltd'],
  ['lone high surrogate', 'x\ud800y'],
  ['lone low surrogate', '\udc00'],
  ['C0 controls', '\u0001\u0008\u001b\u001f'],
  ['right-to-left override', 'abc\u202edef'],
  ['emoji', '企业😀'],
  ['only spaces', '   '],
  ['70,000 characters', 'x'.repeat(70_000)],
]

/** Raw JSON number tokens, spliced into the text (JSON.stringify cannot write them). */
const HOSTILE_NUMBERS: readonly string[] = ['1e309', '-1e309', '1e300', '9007199254740993', '-0', '0.5', '-1', '1e-400']

const HOSTILE_PARAMS: readonly [string, string][] = [
  ['NUL', '%00'],
  ['invalid UTF-8 (an encoded lone surrogate)', '%ED%A0%80'],
  ['path traversal', '..%2F..%2Fetc%2Fpasswd'],
  ['5,000 characters', 'x'.repeat(5000)],
  ['emoji', '%F0%9F%98%80'],
  ['spaces', '%20%20'],
]

const HOSTILE_QUERY_VALUES: readonly [string, string][] = [
  ['Infinity', 'Infinity'],
  ['1e309', '1e309'],
  ['-0', '-0'],
  ['NUL', '\u0000'],
  ['30 digits', '9'.repeat(30)],
  ['lone surrogate', '\ud800'],
]

const RAW = '\u0001raw:'
const PROTO_MARKER = 'hostile-proto-marker'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** Every string and number leaf of a value, as paths. */
function leaves(value: unknown, path: (string | number)[] = [], out: { path: (string | number)[]; kind: 'string' | 'number' }[] = []): typeof out {
  if (typeof value === 'string') out.push({ path, kind: 'string' })
  else if (typeof value === 'number') out.push({ path, kind: 'number' })
  else if (Array.isArray(value)) value.forEach((v, i) => leaves(v, [...path, i], out))
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) leaves(v, [...path, k], out)
  return out
}

function objects(value: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (Array.isArray(value)) value.forEach((v, i) => objects(v, [...path, i], out))
  else if (typeof value === 'object' && value !== null) {
    out.push(path)
    for (const [k, v] of Object.entries(value)) objects(v, [...path, k], out)
  }
  return out
}

function setAt(base: unknown, path: (string | number)[], change: (current: unknown) => unknown): unknown {
  const copy = structuredClone(base) as Json
  if (path.length === 0) return change(copy)
  let node: any = copy
  for (const key of path.slice(0, -1)) node = node[key]
  const last = path[path.length - 1]!
  node[last] = change(node[last])
  return copy
}

/** JSON text of `value`, with `RAW` markers replaced by the raw tokens they carry. */
function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0001raw:([^"]*)"/g, (_m, token: string) => token)
}

/**
 * The hostile requests for one route, from a valid request (see `validRequestFor`). `maxLeaves`
 * bounds how many string and number fields of the body get each hostile value (the first ones, in
 * document order), so that large bodies do not multiply the run.
 */
export function hostileRequests(route: Pick<CollectedRoute, 'method' | 'url'>, valid: ValidRequest, headers: Record<string, string>, options: { maxLeaves?: number } = {}): HostileRequest[] {
  const maxLeaves = options.maxLeaves ?? 40
  const out: HostileRequest[] = []
  const urlWith = (params: Record<string, string>, rawName?: string, rawValue?: string): string =>
    route.url.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => (name === rawName ? (rawValue ?? '') : encodeURIComponent(params[name] ?? 'x')))
  const params = valid.params ?? {}
  // The valid request as the schema-driven generator sends it, with one thing changed.
  const sent = injectOptionsFor(route, valid, headers)
  const base = (overrides: Partial<InjectOptions>): InjectOptions => ({ ...sent, ...overrides, headers: { ...sent.headers, ...(overrides.headers ?? {}) } })

  if (valid.body !== undefined) {
    const bodyLeaves = leaves(valid.body)
    for (const leaf of bodyLeaves.filter((l) => l.kind === 'string').slice(0, maxLeaves)) {
      for (const [label, text] of HOSTILE_TEXTS) {
        out.push({ name: `${pointer('body', leaf.path)}: ${label}`, inject: base({ payload: JSON.stringify(setAt(valid.body, leaf.path, () => text)) }) })
      }
    }
    for (const leaf of bodyLeaves.filter((l) => l.kind === 'number').slice(0, maxLeaves)) {
      for (const token of HOSTILE_NUMBERS) {
        out.push({ name: `${pointer('body', leaf.path)}: number ${token}`, inject: base({ payload: jsonText(setAt(valid.body, leaf.path, () => `${RAW}${token}`)) }) })
      }
    }
    for (const path of objects(valid.body).slice(0, 4)) {
      out.push({ name: `${pointer('body', path)}: a NUL property name`, inject: base({ payload: JSON.stringify(setAt(valid.body, path, (o) => ({ ...(o as object), 'k\u0000': 1 }))) }) })
      const marked = JSON.stringify(setAt(valid.body, path, (o) => ({ ...(o as object), [PROTO_MARKER]: 1 })))
      out.push({ name: `${pointer('body', path)}: __proto__`, inject: base({ payload: marked.replace(`"${PROTO_MARKER}":1`, '"__proto__":{"isAdmin":true}') }) })
    }
    const deep = (n: number, open: string, close: string) => open.repeat(n) + close.repeat(n)
    const wholeBodies: [string, string][] = [
      ['nested 100,000 arrays', deep(100_000, '[', ']')],
      ['nested 100,000 objects', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`],
      ['nested 1,000 arrays', deep(1_000, '[', ']')],
      ['1e309 as the body', '1e309'],
      ['null as the body', 'null'],
      ['a string as the body', '"x"'],
      ['an empty array', '[]'],
      ['truncated', JSON.stringify(valid.body).slice(0, -1)],
      ['a byte-order mark first', `\ufeff${JSON.stringify(valid.body)}`],
      ['__proto__ at the top', JSON.stringify(valid.body).replace(/^\{/, '{"__proto__":{"isAdmin":true},')],
      ['constructor.prototype', JSON.stringify(valid.body).replace(/^\{/, '{"constructor":{"prototype":{"isAdmin":true}},')],
    ]
    for (const [label, payload] of wholeBodies) out.push({ name: `body: ${label}`, inject: base({ payload }) })
    const contentTypes: [string, Record<string, string>][] = [
      ['text/plain', { 'content-type': 'text/plain' }],
      ['application/xml', { 'content-type': 'application/xml' }],
      ['a form', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['JSON in UTF-16', { 'content-type': 'application/json; charset=utf-16' }],
      ['multipart', { 'content-type': 'multipart/form-data; boundary=x' }],
      ['a garbled media type', { 'content-type': ';;;/' }],
    ]
    for (const [label, h] of contentTypes) out.push({ name: `content-type: ${label}`, inject: base({ headers: h }) })
  } else if (route.method !== 'GET' && route.method !== 'DELETE') {
    out.push({ name: 'an unexpected JSON body', inject: base({ payload: '{"unexpected":true}', headers: { 'content-type': 'application/json' } }) })
    out.push({ name: 'an unexpected deep body', inject: base({ payload: '['.repeat(100_000) + ']'.repeat(100_000), headers: { 'content-type': 'application/json' } }) })
  }

  for (const name of Object.keys(params)) {
    for (const [label, raw] of HOSTILE_PARAMS) out.push({ name: `param ${name}: ${label}`, inject: base({ url: urlWith(params, name, raw) }) })
  }

  const queryKeys = [...new Set([...Object.keys(valid.querystring ?? {}), ...(route.method === 'GET' ? ['limit', 'cursor'] : [])])]
  for (const key of queryKeys) {
    for (const [label, value] of HOSTILE_QUERY_VALUES) out.push({ name: `query ${key}: ${label}`, inject: base({ query: { ...(valid.querystring ?? {}), [key]: value } }) })
    out.push({ name: `query ${key}: given twice`, inject: base({ url: `${urlWith(params)}?${encodeURIComponent(key)}=1&${encodeURIComponent(key)}=2` , query: {} }) })
  }

  out.push({ name: 'idempotency-key: 300 characters', inject: base({ headers: { 'idempotency-key': 'k'.repeat(300) } }) })
  out.push({ name: 'idempotency-key: non-ASCII', inject: base({ headers: { 'idempotency-key': encodeURIComponent('键😀') + '\u00e9' } }) })
  out.push({ name: 'x-request-id: 10,000 characters', inject: base({ headers: { 'x-request-id': 'r'.repeat(10_000) } }) })
  out.push({ name: 'traceparent: garbage', inject: base({ headers: { traceparent: '00-zz-yy-01' } }) })
  return out
}
