import type { Ajv, ValidateFunction } from 'ajv'
import fc from 'fast-check'
import type { FastifyInstance, FastifySchema, InjectOptions } from 'fastify'
import { createCoercingAjv, createStrictAjv } from '@sme/kit'

/** A JSON Schema as plain data (TypeBox schemas are exactly that). */
export type JsonSchema = object

/** The same, for reading keywords. */
type Schema = { readonly [keyword: string]: unknown }

export type RequestPart = 'body' | 'querystring' | 'params'

export interface RouteSchemas {
  body?: JsonSchema | undefined
  querystring?: JsonSchema | undefined
  params?: JsonSchema | undefined
}

/** A request valid in every part; each malformed request breaks exactly one thing in one part. */
export interface ValidRequest {
  body?: unknown
  querystring?: Record<string, string>
  params?: Record<string, string>
}

export interface MalformedRequest {
  /** What was broken, e.g. `body /loan/principal: wrong type (number 12345)`. */
  name: string
  part: RequestPart
  /**
   * JSON pointer (prefixed by the part, e.g. `/body/loan/principal`) the problem must name: an
   * entry of `errors[].field` equal to it or below it. Undefined for random documents.
   */
  field: string | undefined
  body: unknown
  querystring: Record<string, string> | undefined
  params: Record<string, string> | undefined
}

export interface MalformedOptions {
  /** Seed for the random documents (fast-check); fixed by default so runs are repeatable. */
  seed?: number
  /** How many random bodies to add (only those the schema refuses are kept). Default 40. */
  randomBodies?: number
  /** A valid request; parts not given are synthesized from their schemas. */
  valid?: ValidRequest
}

type Path = (string | number)[]

interface Mutation {
  label: string
  /** Where the change is; `delete` removes the property at the path. */
  path: Path
  op: 'set' | 'delete'
  value?: unknown
}

/** The JSON pointer of `path` in a request part (`/body/loan/principal`), RFC 6901 escapes applied. */
export function pointer(part: RequestPart, path: readonly (string | number)[]): string {
  return `/${part}${path.map((t) => `/${String(t).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('')}`
}

function typesOf(schema: Schema): string[] {
  const t = schema.type
  if (typeof t === 'string') return [t]
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string')
  if (schema.properties) return ['object']
  if (schema.items) return ['array']
  const values = Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const] : []
  return [...new Set(values.map(jsonType))]
}

function jsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return `${jsonType(value)} ${text.length > 24 ? `${text.slice(0, 24)}…` : text}`
}

/** Values of JSON types a node does not declare; `"100"` for integers and 12345 for strings on purpose (no coercion). */
function wrongTypeValues(types: string[]): unknown[] {
  const byType: Record<string, unknown[]> = {
    string: [12345, true, {}, []],
    integer: ['100', 1.5, true, {}, []],
    number: ['1.5', true, {}, []],
    boolean: ['true', 1, {}],
    object: [[], 'x', 1, true],
    array: [{}, 'x', 1],
    null: ['x', 0],
  }
  return types.flatMap((t) => byType[t] ?? [])
}

/** String-part equivalents: querystring and params values are always strings. */
function wrongStringValues(types: string[]): string[] {
  const out: string[] = []
  if (types.includes('integer')) out.push('abc', '1.5', '')
  else if (types.includes('number')) out.push('abc', '')
  if (types.includes('boolean')) out.push('maybe', '2')
  return out
}

const PATTERN_VIOLATORS = [
  '',
  ' ',
  'x',
  '-1',
  '01',
  '1.5',
  '1,000',
  '\uff11\uff10\uff10',
  '1e3',
  '0x10',
  ' 1',
  '1 ',
  '9'.repeat(19),
  'NaN',
  'null',
  "'; drop table x; --",
]

const FORMAT_VIOLATORS: Record<string, string[]> = {
  date: ['2024-02-30', '2023-02-29', '2024-13-01', '20240115', '2024-1-5', 'yesterday', '2024-01-15T00:00:00Z'],
  'date-time': ['2024-01-15', '2024-01-15 08:00', '2024-01-15T25:00:00Z', 'now'],
  time: ['25:00:00', 'noon'],
  uuid: ['not-a-uuid', '123', 'g0000000-0000-0000-0000-000000000000'],
  email: ['no-at-sign', 'a@', '@b'],
  uri: ['not a uri', '://x'],
  ipv4: ['256.0.0.1'],
}

function stringViolations(schema: Schema, current: unknown): { label: string; value: string }[] {
  const out: { label: string; value: string }[] = []
  if (typeof schema.pattern === 'string') {
    const re = new RegExp(schema.pattern, 'u')
    for (const s of PATTERN_VIOLATORS) if (!re.test(s)) out.push({ label: `pattern violated (${JSON.stringify(s)})`, value: s })
  }
  if (typeof schema.format === 'string') {
    for (const s of FORMAT_VIOLATORS[schema.format] ?? ['', '%%%']) out.push({ label: `format ${schema.format} violated (${JSON.stringify(s)})`, value: s })
  }
  if (typeof schema.maxLength === 'number') {
    const base = typeof current === 'string' && current.length > 0 ? current : 'a'
    out.push({ label: `longer than maxLength ${schema.maxLength}`, value: base.repeat(Math.ceil((schema.maxLength + 1) / base.length)).slice(0, schema.maxLength + 1) })
  }
  if (typeof schema.minLength === 'number' && schema.minLength > 0) {
    out.push({ label: `shorter than minLength ${schema.minLength}`, value: 'a'.repeat(schema.minLength - 1) })
  }
  const allowed = Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const] : undefined
  if (allowed) {
    out.push({ label: 'not an allowed value', value: 'NOT_AN_ALLOWED_VALUE' })
    const first = allowed.find((v): v is string => typeof v === 'string')
    if (first !== undefined) {
      out.push({ label: 'allowed value in other case', value: first === first.toUpperCase() ? first.toLowerCase() : first.toUpperCase() })
      out.push({ label: 'allowed value with trailing space', value: `${first} ` })
    }
  }
  return out
}

function numberViolations(schema: Schema, types: string[]): { label: string; value: number }[] {
  const out: { label: string; value: number }[] = []
  const step = types.includes('integer') ? 1 : 0.5
  if (typeof schema.minimum === 'number') out.push({ label: `below minimum ${schema.minimum}`, value: schema.minimum - step })
  if (typeof schema.exclusiveMinimum === 'number') out.push({ label: `at exclusiveMinimum ${schema.exclusiveMinimum}`, value: schema.exclusiveMinimum })
  if (typeof schema.maximum === 'number') out.push({ label: `above maximum ${schema.maximum}`, value: schema.maximum + step })
  if (typeof schema.exclusiveMaximum === 'number') out.push({ label: `at exclusiveMaximum ${schema.exclusiveMaximum}`, value: schema.exclusiveMaximum })
  if (types.includes('integer') && !types.includes('number')) out.push({ label: 'not an integer', value: 2.5 })
  if (Array.isArray(schema.enum) || 'const' in schema) out.push({ label: 'not an allowed value', value: 987654321 })
  return out
}

/**
 * Mutations of one schema node. `present` is false for an optional property absent from the
 * valid request: then only values are set there (the children have no valid base to break).
 */
function* nodeMutations(schema: Schema, value: unknown, path: Path, stringsOnly: boolean, present: boolean): Generator<Mutation> {
  const types = typesOf(schema)
  const nullable = types.includes('null')
  const composite = schema.anyOf !== undefined || schema.oneOf !== undefined || schema.allOf !== undefined || schema.$ref !== undefined

  if (stringsOnly) {
    // Querystring and params: every value is a string, so "wrong type" means unparsable text.
    if (types.includes('object')) {
      yield* objectMutations(schema, value, path, true)
      return
    }
    for (const v of wrongStringValues(types)) yield { label: `wrong type (${JSON.stringify(v)})`, path, op: 'set', value: v }
    if (types.includes('string') || composite || types.length === 0) {
      for (const { label, value: v } of stringViolations(schema, value)) yield { label, path, op: 'set', value: v }
    }
    if (types.includes('integer') || types.includes('number')) {
      for (const { label, value: v } of numberViolations(schema, types)) yield { label, path, op: 'set', value: String(v) }
    }
    if (composite) for (const v of ['NOT_AN_ALLOWED_VALUE', '']) yield { label: `not matching (${JSON.stringify(v)})`, path, op: 'set', value: v }
    return
  }

  if (!nullable) yield { label: 'null', path, op: 'set', value: null }
  if (composite) {
    // Unions and references: break the node as a whole; which branch a value matched is Ajv's business.
    for (const v of [12345, 'NOT_AN_ALLOWED_VALUE', true, {}, []]) yield { label: `not matching (${describe(v)})`, path, op: 'set', value: v }
    return
  }
  for (const v of wrongTypeValues(types)) yield { label: `wrong type (${describe(v)})`, path, op: 'set', value: v }
  if (types.includes('string')) for (const { label, value: v } of stringViolations(schema, value)) yield { label, path, op: 'set', value: v }
  if (types.includes('integer') || types.includes('number')) for (const { label, value: v } of numberViolations(schema, types)) yield { label, path, op: 'set', value: v }
  if (!present) return

  if (types.includes('object')) {
    if (path.length === 0 && value !== null && typeof value === 'object') yield { label: 'array instead of object', path, op: 'set', value: [value] }
    yield* objectMutations(schema, value, path, false)
  }

  if (types.includes('array') && Array.isArray(value)) {
    const items = schema.items as Schema | undefined
    if (typeof schema.maxItems === 'number') {
      const filler = value[0] ?? 'x'
      yield { label: `more than maxItems ${schema.maxItems}`, path, op: 'set', value: Array.from({ length: schema.maxItems + 1 }, () => structuredClone(filler)) }
    }
    if (typeof schema.minItems === 'number' && schema.minItems > 0) {
      yield { label: `fewer than minItems ${schema.minItems}`, path, op: 'set', value: value.slice(0, schema.minItems - 1) }
    }
    if (schema.uniqueItems === true && value.length > 0) yield { label: 'duplicate items', path, op: 'set', value: [value[0], value[0]] }
    if (items && typeof items === 'object' && !Array.isArray(items) && value.length > 0) {
      yield* nodeMutations(items, value[0], [...path, 0], false, true)
    }
  }
}

/** Missing required properties, a forbidden extra property, then each property's own mutations. */
function* objectMutations(schema: Schema, value: unknown, path: Path, stringsOnly: boolean): Generator<Mutation> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return
  const record = value as Record<string, unknown>
  const properties = (schema.properties ?? {}) as Record<string, Schema>
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : []
  for (const name of required) yield { label: 'required property missing', path: [...path, name], op: 'delete' }
  if (schema.additionalProperties === false) {
    yield { label: 'unexpected property', path: [...path, 'unexpectedProperty'], op: 'set', value: 'x' }
  }
  for (const [name, child] of Object.entries(properties)) {
    yield* nodeMutations(child, record[name], [...path, name], stringsOnly, name in record)
  }
}

function apply(base: unknown, mutation: Mutation): unknown {
  if (mutation.path.length === 0) return structuredClone(mutation.value)
  const root = structuredClone(base) as Record<string | number, unknown>
  let node: Record<string | number, unknown> = root
  for (const token of mutation.path.slice(0, -1)) node = node[token] as Record<string | number, unknown>
  const last = mutation.path[mutation.path.length - 1] as string | number
  if (mutation.op === 'delete') delete node[last]
  else node[last] = structuredClone(mutation.value)
  return root
}

const FORMAT_SAMPLES: Record<string, string> = {
  date: '2024-01-15',
  'date-time': '2024-01-15T08:00:00Z',
  time: '08:00:00Z',
  uuid: '0b7c8f3e-2c1a-4e5b-9f00-6d2b1a3c4e5f',
  email: 'someone@example.com',
  uri: 'https://example.com/x',
  ipv4: '192.0.2.1',
}

/** A valid value of `schema`, best effort: examples, defaults, enums, formats, patterns (via fast-check), bounds. */
export function sampleOf(jsonSchema: JsonSchema, seed = 1): unknown {
  const schema = jsonSchema as Schema
  if ('const' in schema) return schema.const
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0]
  if ('default' in schema) return schema.default
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0]
  const branches = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined
  if (Array.isArray(branches)) {
    const branch = branches.find((b) => b.type !== 'null') ?? branches[0]
    return branch ? sampleOf(branch, seed) : null
  }
  const types = typesOf(schema)
  const type = types.find((t) => t !== 'null') ?? types[0]
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {}
      for (const [name, child] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) out[name] = sampleOf(child, seed)
      return out
    }
    case 'array': {
      const n = Math.max(1, typeof schema.minItems === 'number' ? schema.minItems : 1)
      return Array.from({ length: n }, () => sampleOf((schema.items ?? {}) as Schema, seed))
    }
    case 'integer':
    case 'number': {
      if (typeof schema.minimum === 'number') return schema.minimum
      if (typeof schema.exclusiveMinimum === 'number') return type === 'integer' ? Math.floor(schema.exclusiveMinimum) + 1 : schema.exclusiveMinimum + 0.5
      if (typeof schema.maximum === 'number') return Math.min(schema.maximum, 1)
      return 1
    }
    case 'boolean':
      return true
    case 'null':
      return null
    case 'string': {
      if (typeof schema.format === 'string' && FORMAT_SAMPLES[schema.format]) return FORMAT_SAMPLES[schema.format]
      const min = typeof schema.minLength === 'number' ? schema.minLength : 0
      const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity
      if (typeof schema.pattern === 'string') {
        const re = new RegExp(schema.pattern, 'u')
        const fits = fc.sample(fc.stringMatching(re), { seed, numRuns: 200 }).find((s) => s.length >= min && s.length <= max)
        if (fits !== undefined) return fits
      }
      return 'a'.repeat(Math.max(1, min))
    }
    default:
      return {}
  }
}

function compile(ajv: Ajv, schema: JsonSchema): ValidateFunction {
  return ajv.compile(schema as object)
}

function refuses(validate: ValidateFunction, value: unknown): boolean {
  // Validation may coerce or fill defaults in place: validate a copy.
  return !validate(structuredClone(value))
}

const DEFAULT_SEED = 20200214

/**
 * The valid request the malformed ones are derived from: the parts given in `options.valid`, the
 * rest synthesized with {@link sampleOf}. Send it first: if it is refused, the refusals prove nothing.
 */
export function validRequestFor(schemas: RouteSchemas, options: Pick<MalformedOptions, 'valid' | 'seed'> = {}): ValidRequest {
  const seed = options.seed ?? DEFAULT_SEED
  return {
    ...(schemas.body ? { body: options.valid?.body ?? sampleOf(schemas.body, seed) } : {}),
    ...(schemas.querystring ? { querystring: options.valid?.querystring ?? stringify(sampleOf(schemas.querystring, seed)) } : {}),
    ...(schemas.params ? { params: options.valid?.params ?? stringify(sampleOf(schemas.params, seed)) } : {}),
  }
}

/**
 * Generates malformed requests for one route, deterministically. Every candidate is checked against
 * the schema (strict for bodies, coercing for querystring/params, as the kit validates) and kept
 * only if the schema refuses it, so each one must be answered with a 4xx problem naming `field`.
 */
export function malformedRequests(schemas: RouteSchemas, options: MalformedOptions = {}): MalformedRequest[] {
  const seed = options.seed ?? DEFAULT_SEED
  const strict = createStrictAjv()
  const coercing = createCoercingAjv()
  const valid = validRequestFor(schemas, options)
  const out: MalformedRequest[] = []
  const seen = new Set<string>()

  for (const part of ['body', 'querystring', 'params'] as const) {
    const schema = schemas[part]
    if (!schema) continue
    const validate = compile(part === 'body' ? strict : coercing, schema)
    const base = valid[part]
    if (refuses(validate, base)) {
      throw new Error(`malformedRequests: the valid ${part} does not satisfy its schema; pass options.valid.${part}`)
    }
    for (const m of nodeMutations(schema as Schema, base, [], part !== 'body', true)) {
      // A path parameter must stay routable: empty or slash-containing values would not reach the route.
      if (part === 'params' && (m.op === 'delete' || typeof m.value !== 'string' || m.value === '' || m.value.includes('/'))) continue
      const candidate = apply(base, m)
      if (!refuses(validate, candidate)) continue
      const name = `${part} ${m.path.length ? pointer(part, m.path).slice(part.length + 1) : '/'}: ${m.label}`
      if (seen.has(name)) continue
      seen.add(name)
      out.push({ name, part, field: pointer(part, m.path), ...request(valid, part, candidate) })
    }
  }

  if (schemas.body && (options.randomBodies ?? 40) > 0) {
    const validate = compile(strict, schemas.body)
    const n = options.randomBodies ?? 40
    const shaped = schemaShapedArbitrary(schemas.body as Schema)
    const randoms = [...fc.sample(fc.jsonValue(), { seed, numRuns: n }), ...(shaped ? fc.sample(shaped, { seed: seed + 1, numRuns: n }) : [])]
    randoms.forEach((body, i) => {
      if (!refuses(validate, body)) return
      out.push({ name: `body: random document #${i}`, part: 'body', field: undefined, ...request(valid, 'body', body) })
    })
  }
  return out
}

/** Objects with the schema's own property names but arbitrary JSON values: gets past "wrong type" at the root. */
function schemaShapedArbitrary(schema: Schema): fc.Arbitrary<unknown> | undefined {
  const properties = schema.properties as Record<string, unknown> | undefined
  if (!properties) return undefined
  const model = Object.fromEntries(Object.keys(properties).map((k) => [k, fc.jsonValue()]))
  return fc.record(model, { requiredKeys: [] })
}

function stringify(value: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries((value ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]))
}

function request(valid: ValidRequest, part: RequestPart, value: unknown): Omit<MalformedRequest, 'name' | 'part' | 'field'> {
  return {
    body: part === 'body' ? value : valid.body,
    querystring: part === 'querystring' ? (value as Record<string, string>) : valid.querystring,
    params: part === 'params' ? (value as Record<string, string>) : valid.params,
  }
}

/** Transport-level garbage: what a body parser must refuse before validation ever runs. */
export interface MalformedPayload {
  name: string
  payload: string | Buffer
  headers: Record<string, string>
  /** The status the kit answers with. */
  status: number
  code: string
}

export function malformedPayloads(options: { bodyLimit?: number } = {}): MalformedPayload[] {
  const json = { 'content-type': 'application/json' }
  const limit = options.bodyLimit ?? 1024 * 1024
  return [
    { name: 'truncated JSON', payload: '{"loan":', headers: json, status: 400, code: 'malformed_json' },
    { name: 'unquoted keys', payload: '{loan: 1}', headers: json, status: 400, code: 'malformed_json' },
    { name: 'single quotes', payload: "{'loan': 1}", headers: json, status: 400, code: 'malformed_json' },
    { name: 'trailing comma', payload: '{"a":1,}', headers: json, status: 400, code: 'malformed_json' },
    { name: 'NaN literal', payload: '{"a":NaN}', headers: json, status: 400, code: 'malformed_json' },
    // Invalid bytes decode to U+FFFD; placed outside a string they leave the JSON unparsable.
    { name: 'invalid UTF-8', payload: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), headers: json, status: 400, code: 'malformed_json' },
    { name: 'empty JSON body', payload: '', headers: json, status: 400, code: 'malformed_json' },
    { name: '__proto__ poisoning', payload: '{"__proto__":{"admin":true}}', headers: json, status: 400, code: 'malformed_json' },
    { name: 'constructor poisoning', payload: '{"constructor":{"prototype":{"admin":true}}}', headers: json, status: 400, code: 'malformed_json' },
    { name: 'text/plain body', payload: '{}', headers: { 'content-type': 'text/plain' }, status: 415, code: 'unsupported_media_type' },
    { name: 'XML body', payload: '<loan/>', headers: { 'content-type': 'application/xml' }, status: 415, code: 'unsupported_media_type' },
    { name: 'form body', payload: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'unsupported_media_type' },
    { name: 'body over the limit', payload: `{"x":"${'a'.repeat(limit)}"}`, headers: json, status: 413, code: 'payload_too_large' },
    { name: 'deeply nested arrays', payload: `${'['.repeat(5000)}${']'.repeat(5000)}`, headers: json, status: 400, code: 'validation_failed' },
  ]
}

/** A route as registered, with its schema: what the malformed-input generator works from. */
export interface CollectedRoute {
  method: string
  url: string
  schema: FastifySchema | undefined
  config: Record<string, unknown> | undefined
}

/**
 * Collects routes as they are registered. Call it before registering routes (it adds an `onRoute`
 * hook); the returned array fills as the app loads.
 */
export function routesOf(app: FastifyInstance): CollectedRoute[] {
  const routes: CollectedRoute[] = []
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    for (const method of methods) {
      routes.push({ method, url: route.url, schema: route.schema, config: route.config as Record<string, unknown> | undefined })
    }
  })
  return routes
}

/**
 * The routes that ask for a token, as `METHOD /url` (HEAD and the kit's public probes, docs and
 * metrics left out): what a role-by-route test must cover, every one.
 */
export function authenticatedRoutes(routes: readonly CollectedRoute[]): string[] {
  return routes.filter((r) => r.method !== 'HEAD' && r.config?.auth !== false).map((r) => `${r.method} ${r.url}`)
}

/** The part schemas of a collected route, as the generator takes them. */
export function schemasOf(route: CollectedRoute): RouteSchemas {
  const s = (route.schema ?? {}) as Record<string, unknown>
  return {
    body: s.body as JsonSchema | undefined,
    querystring: s.querystring as JsonSchema | undefined,
    params: s.params as JsonSchema | undefined,
  }
}

/** `app.inject` options for a malformed request against a route; `headers` adds e.g. Authorization. */
export function injectOptionsFor(
  route: Pick<CollectedRoute, 'method' | 'url'>,
  req: Pick<MalformedRequest, 'body' | 'querystring' | 'params'> | ValidRequest,
  headers: Record<string, string> = {},
): InjectOptions {
  const url = route.url.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => encodeURIComponent(req.params?.[name] ?? 'x'))
  return {
    method: route.method as InjectOptions['method'],
    url,
    ...(req.querystring ? { query: req.querystring } : {}),
    ...(req.body === undefined ? {} : { payload: JSON.stringify(req.body) }),
    headers: { ...(req.body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
  }
}
