import { Ajv, type Options as AjvOptions, type AnySchema, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { FastifySchemaCompiler, FastifyServerOptions } from 'fastify'

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module.
const addFormats = addFormatsModule.default

/**
 * Options shared by every part. `removeAdditional: false`: an unknown property is either allowed
 * (the schema says nothing) or refused (`additionalProperties: false`), never silently dropped, so
 * a client learns about a misspelt field. `allErrors: false` (Fastify's default) because collecting
 * every error of a large hostile document is a known denial-of-service vector; the first error names
 * its field, which is what a caller needs to fix the request.
 */
const common: AjvOptions = {
  removeAdditional: false,
  useDefaults: true,
  allErrors: false,
  allowUnionTypes: true,
  addUsedSchema: false,
  // NaN and Infinity are not numbers a client can mean (`?limit=Infinity`, `1e309` coerced): refused.
  strictNumbers: true,
  // A `oneOf` carrying an OpenAPI `discriminator` picks its branch by that property, so an error
  // names the field inside the chosen branch instead of "matches no schema in oneOf".
  discriminator: true,
}

/**
 * Bodies are JSON and already typed by the client: coercing `"100"` into 100, or 100 into a money
 * string "100", would accept requests the contract refuses (and hide client bugs that later become
 * money errors). Querystring, params and headers only ever arrive as strings, so there coercion is
 * the point (`"array"` also lets a single `?x=1` satisfy an array schema).
 */
export const bodyAjvOptions: AjvOptions = { ...common, coerceTypes: false }
export const stringPartsAjvOptions: AjvOptions = { ...common, coerceTypes: 'array' }

function createAjv(options: AjvOptions, externalSchemas: Record<string, unknown>): Ajv {
  const ajv = new Ajv(options)
  addFormats(ajv)
  // OpenAPI annotations TypeBox users put on schemas; Ajv's strict mode would refuse them otherwise.
  ajv.addKeyword({ keyword: 'example' })
  for (const schema of Object.values(externalSchemas)) ajv.addSchema(schema as AnySchema)
  return ajv
}

function compileWith(ajv: Ajv, schema: AnySchema & { $id?: string }): ValidateFunction {
  // Ajv refuses to compile two schemas with one $id; shared schemas are compiled once.
  if (typeof schema === 'object' && schema.$id) {
    const stored = ajv.getSchema(schema.$id)
    if (stored) return stored
  }
  return ajv.compile(schema)
}

type BuildValidator = (externalSchemas: unknown, ajvServerOption: unknown) => FastifySchemaCompiler<unknown>

/**
 * A Fastify `schemaController.compilersFactory.buildValidator` that picks an Ajv instance per HTTP
 * part: a strict one for bodies, a coercing one for querystring, params and headers. Going through
 * the schema controller (rather than `setValidatorCompiler`) keeps `app.addSchema` shared schemas
 * working: Fastify hands them to this factory for each encapsulation context.
 */
export const buildPartAwareValidator: BuildValidator = (externalSchemas) => {
  const externals = (externalSchemas ?? {}) as Record<string, unknown>
  const body = createAjv(bodyAjvOptions, externals)
  const strings = createAjv(stringPartsAjvOptions, externals)
  return ({ schema, httpPart }) => compileWith(httpPart === 'body' ? body : strings, schema as AnySchema)
}

/** The `schemaController` server option installing {@link buildPartAwareValidator}. */
export function partAwareSchemaController(): NonNullable<FastifyServerOptions['schemaController']> {
  return { compilersFactory: { buildValidator: buildPartAwareValidator as never } }
}

/** A strict (non-coercing) Ajv with formats, for validating documents outside requests. */
export function createStrictAjv(): Ajv {
  return createAjv(bodyAjvOptions, {})
}

/** A coercing Ajv as used for querystring/params, for checking string inputs outside requests. */
export function createCoercingAjv(): Ajv {
  return createAjv(stringPartsAjvOptions, {})
}
