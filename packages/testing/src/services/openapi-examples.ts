import { Ajv } from 'ajv'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** An example in an OpenAPI document that its own schema refuses. */
export interface RefusedExample {
  /** JSON pointer of the schema (or media type) carrying the example. */
  readonly at: string
  readonly example: unknown
  readonly errors: string
}

/**
 * Every example an OpenAPI 3.1 document gives (`examples` and `example` of schemas, and of media
 * types against their schema), validated against the schema it stands beside, with references to
 * `#/components/schemas` resolved. A client copies examples: one the service would refuse is a bug.
 * Formats are not checked here (the services' validators check them); types, patterns, bounds,
 * enums and required members are.
 */
export function refusedExamples(document: Json): RefusedExample[] {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false })
  const components = isObject(document) && isObject(document.components) && isObject(document.components.schemas) ? document.components.schemas : {}
  const resolve = (schema: Json, depth = 0): Json => {
    if (depth > 32 || schema === null || typeof schema !== 'object') return schema
    if (Array.isArray(schema)) return schema.map((s) => resolve(s, depth + 1))
    const ref = schema.$ref
    if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) return resolve(components[ref.slice('#/components/schemas/'.length)] ?? {}, depth + 1)
    return Object.fromEntries(Object.entries(schema).filter(([k]) => k !== 'example' && k !== 'examples').map(([k, v]) => [k, resolve(v, depth + 1)]))
  }
  const refused: RefusedExample[] = []
  const check = (at: string, schema: Json, examples: readonly unknown[]) => {
    const validate = ajv.compile(resolve(schema) as object)
    for (const example of examples) {
      if (!validate(example)) refused.push({ at, example, errors: ajv.errorsText(validate.errors) })
    }
  }
  const walk = (node: Json, at: string) => {
    if (node === null || typeof node !== 'object') return
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}/${i}`))
    const isMediaType = isObject(node.schema) && (node.example !== undefined || isObject(node.examples))
    if (isMediaType) {
      const examples = node.example !== undefined ? [node.example] : Object.values(node.examples as Record<string, Json>).map((e) => (isObject(e) ? e.value : undefined))
      check(at, node.schema as Json, examples)
    } else if (looksLikeSchema(node)) {
      const examples = Array.isArray(node.examples) ? node.examples : node.example !== undefined ? [node.example] : []
      if (examples.length > 0) check(at, node, examples)
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'example' && key !== 'examples') walk(value, `${at}/${key}`)
  }
  walk(document, '')
  return refused
}

function isObject(value: unknown): value is { [key: string]: Json } {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function looksLikeSchema(node: { [key: string]: Json }): boolean {
  return ['type', 'pattern', 'enum', 'properties', 'anyOf', 'oneOf', 'format', 'const'].some((k) => k in node)
}
