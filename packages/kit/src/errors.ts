import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { isDomainError } from '@sme/domain'
import { isDatabaseUnavailable } from '@sme/data'

/**
 * The one error catalogue of the platform. Codes are stable identifiers clients may branch on; the
 * status and title belong to the code, so one code always means one status. Adding a code is a
 * compatible change; renaming or re-statusing one is not.
 */
export const problemCatalogue = {
  validation_failed: { status: 400, title: 'Request validation failed' },
  malformed_json: { status: 400, title: 'Malformed JSON body' },
  bad_request: { status: 400, title: 'Bad request' },
  idempotency_key_required: { status: 400, title: 'Idempotency-Key header required' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  not_acceptable: { status: 406, title: 'Not acceptable' },
  conflict: { status: 409, title: 'Conflict' },
  idempotency_in_progress: { status: 409, title: 'A request with this Idempotency-Key is in progress' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  uri_too_long: { status: 414, title: 'URI too long' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  idempotency_key_reused: { status: 422, title: 'Idempotency-Key reused with a different request' },
  unprocessable: { status: 422, title: 'Unprocessable request' },
  too_many_requests: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal server error' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string }>

/** A stable problem code; the closed union of the catalogue's keys. */
export type ProblemCode = keyof typeof problemCatalogue

export function isProblemCode(value: unknown): value is ProblemCode {
  return typeof value === 'string' && Object.hasOwn(problemCatalogue, value)
}

/** One field-level validation failure; `field` is a JSON pointer prefixed by the request part. */
export const FieldErrorSchema = Type.Object({
  field: Type.String({ description: 'JSON pointer into the request, prefixed by the part, e.g. /body/loan/principal' }),
  message: Type.String(),
})
export type FieldError = Static<typeof FieldErrorSchema>

/**
 * RFC 9457 problem details as this platform emits them. Extension members beyond the declared ones
 * are allowed (RFC 9457 §3.2), so the schema stays open: a route's response serializer must not
 * strip members such as `checks` that a particular problem carries.
 */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'URI identifying the problem type; one per code' }),
    title: Type.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String({ description: 'The route the request matched, as its pattern (parameter values are never echoed; traceId identifies the occurrence)' })),
    code: Type.String({ description: 'Stable problem code from the catalogue' }),
    traceId: Type.Optional(Type.String({ description: 'W3C trace id of the request, for support' })),
    errors: Type.Optional(Type.Array(FieldErrorSchema)),
  },
  { additionalProperties: true, description: 'RFC 9457 problem details' },
)
export type Problem = Static<typeof ProblemSchema> & Record<string, unknown>

/** `$id` under which {@link installProblemHandlers} registers {@link ProblemSchema} as a shared schema. */
export const PROBLEM_SCHEMA_ID = 'Problem'

/**
 * A response entry for error statuses in route schemas: `response: { 404: problemResponse('No such application') }`.
 * It names the `application/problem+json` media type (what the handler sends) and references the
 * shared schema, so the OpenAPI document lists the problem shape once under components.
 */
export function problemResponse(description = 'RFC 9457 problem details') {
  return {
    description,
    content: { 'application/problem+json': { schema: { $ref: `${PROBLEM_SCHEMA_ID}#` } } },
  }
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8'
export const DEFAULT_PROBLEM_BASE_URL = 'https://sme-relief.example/problems/'

export interface AppErrorOptions {
  /** Extension members merged into the problem document (e.g. `errors`, `checks`). */
  extra?: Record<string, unknown>
  /** Response headers to send with the problem (e.g. `Retry-After`). */
  headers?: Record<string, string>
  cause?: unknown
}

/**
 * The only error type application code should throw for an expected failure. Its code fixes the
 * status; `detail` is written for the client (for 4xx). A 5xx detail is never sent: the handler
 * replaces it with a generic text and logs the error with its cause instead.
 */
export class AppError extends Error {
  readonly code: ProblemCode
  readonly status: number
  readonly detail: string | undefined
  readonly extra: Record<string, unknown>
  readonly headers: Record<string, string>

  constructor(code: ProblemCode, detail?: string, options: AppErrorOptions = {}) {
    super(detail ?? problemCatalogue[code].title, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.status = problemCatalogue[code].status
    this.detail = detail
    this.extra = options.extra ?? {}
    this.headers = options.headers ?? {}
  }
}

export interface ProblemOptions {
  baseUrl: string
  instance?: string
  traceId?: string | undefined
  detail?: string | undefined
  extra?: Record<string, unknown>
}

/** Builds a problem document for `code`. Extension members never override the standard ones. */
export function problem(code: ProblemCode, options: ProblemOptions): Problem {
  const { status, title } = problemCatalogue[code]
  return {
    ...options.extra,
    type: new URL(code, options.baseUrl).href,
    title,
    status,
    ...(options.detail === undefined ? {} : { detail: options.detail }),
    ...(options.instance === undefined ? {} : { instance: options.instance }),
    code,
    ...(options.traceId === undefined ? {} : { traceId: options.traceId }),
  }
}

/** Statuses that map to exactly one code, for errors that carry only a status (plugins, http-errors). */
const codeByStatus: Record<number, ProblemCode> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'too_many_requests',
  503: 'service_unavailable',
}

interface AjvLikeError {
  instancePath?: string
  keyword?: string
  message?: string
  params?: Record<string, unknown>
}

function escapePointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1')
}

/**
 * Turns Ajv errors into `{ field, message }` pairs whose field points at the offending property,
 * including the property that is missing or not allowed (Ajv reports those on the parent object).
 */
export function fieldErrors(part: string, errors: readonly AjvLikeError[]): FieldError[] {
  return errors.map((e) => {
    let pointer = `/${part}${e.instancePath ?? ''}`
    const params = e.params ?? {}
    if (e.keyword === 'required' && typeof params.missingProperty === 'string') {
      pointer += `/${escapePointerToken(params.missingProperty)}`
    } else if (e.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
      pointer += `/${escapePointerToken(params.additionalProperty)}`
    } else if (e.keyword === 'dependentRequired' && typeof params.missingProperty === 'string') {
      pointer += `/${escapePointerToken(params.missingProperty)}`
    } else if (e.keyword === 'discriminator' && typeof params.tag === 'string') {
      // A discriminated oneOf refuses the tag's value (or its absence): the tag is the field at fault.
      pointer += `/${escapePointerToken(params.tag)}`
    }
    let message = e.message ?? 'is invalid'
    if (e.keyword === 'additionalProperties') message = 'is not allowed'
    if (e.keyword === 'required') message = 'is required'
    return { field: pointer, message }
  })
}

interface Classified {
  code: ProblemCode
  status: number
  detail: string | undefined
  extra: Record<string, unknown>
  headers: Record<string, string>
}

/**
 * Maps anything thrown during a request onto the catalogue. Fastify's own client errors (bad media
 * type, oversize or unparsable body, schema validation) become their 4xx codes, so no bad input can
 * surface as a 500; everything unrecognised is an internal error.
 */
export function classifyError(error: unknown): Classified {
  if (error instanceof AppError) {
    return { code: error.code, status: error.status, detail: error.detail, extra: error.extra, headers: error.headers }
  }
  // A pure domain refused a value the schema let through (dates in the wrong order, a rate the
  // arithmetic cannot take): the request is well formed and cannot be carried out, a 422. A route
  // that can name the field catches the error and says which; this is the floor, never a 500.
  if (isDomainError(error)) {
    const errors = error.issues.map((issue) => ({ field: issue.path, message: issue.message }))
    return { code: 'unprocessable', status: 422, detail: error.message, extra: errors.length > 0 ? { errors, reason: error.code } : { reason: error.code }, headers: {} }
  }
  const err = (error ?? {}) as Partial<FastifyError> & { validation?: AjvLikeError[]; validationContext?: string }
  if (Array.isArray(err.validation)) {
    const part = err.validationContext ?? 'body'
    const errors = fieldErrors(part, err.validation)
    const detail = errors.map((e) => `${e.field} ${e.message}`).join('; ')
    return { code: 'validation_failed', status: 400, detail, extra: { errors }, headers: {} }
  }
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: 'unsupported_media_type', status: 415, detail: 'Content-Type is not supported by this route; send application/json', extra: {}, headers: {} }
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'payload_too_large', status: 413, detail: 'Request body exceeds the size limit', extra: {}, headers: {} }
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { code: 'malformed_json', status: 400, detail: 'Request body is not valid JSON', extra: {}, headers: {} }
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: 'malformed_json', status: 400, detail: 'Request body is empty but Content-Type is application/json', extra: {}, headers: {} }
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { code: 'bad_request', status: 400, detail: 'Request body does not match Content-Length', extra: {}, headers: {} }
    case 'FST_ERR_BAD_URL':
      return { code: 'bad_request', status: 400, detail: 'Request URL is malformed (a path segment is not valid percent-encoded UTF-8)', extra: {}, headers: {} }
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { code: 'uri_too_long', status: 414, detail: 'A path parameter is longer than this API accepts', extra: {}, headers: {} }
  }
  // A SyntaxError with a 4xx status comes from a body parser (prototype poisoning, a custom parser).
  if (error instanceof SyntaxError && typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    return { code: 'malformed_json', status: 400, detail: 'Request body is not valid JSON', extra: {}, headers: {} }
  }
  const statusCode = typeof err.statusCode === 'number' ? err.statusCode : 500
  if (statusCode >= 400 && statusCode < 500) {
    const code = codeByStatus[statusCode] ?? 'bad_request'
    return { code, status: problemCatalogue[code].status, detail: typeof err.message === 'string' ? err.message : undefined, extra: {}, headers: {} }
  }
  if (statusCode === 503) return { code: 'service_unavailable', status: 503, detail: undefined, extra: {}, headers: {} }
  // The database is down or restarting: an outage to wait out, not a fault of the request.
  if (isDatabaseUnavailable(error)) {
    return { code: 'service_unavailable', status: 503, detail: undefined, extra: {}, headers: { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) } }
  }
  return { code: 'internal', status: 500, detail: undefined, extra: {}, headers: {} }
}

/** What a client is told to wait while the database is unavailable: a restart takes seconds. */
export const DATABASE_RETRY_AFTER_SECONDS = 5

const GENERIC_5XX_DETAIL = 'The service could not complete the request; quote the traceId when reporting it'

export interface ProblemHandlerOptions {
  /** Base URI the code is resolved against to form each problem's `type`. */
  baseUrl?: string
}

function traceIdOf(request: FastifyRequest): string | undefined {
  return (request as { trace?: { traceId: string } }).trace?.traceId
}

/**
 * A problem's `instance`: the pattern of the route the request matched (`/applications/:id`), never
 * the values the caller put in the path or the query; they may be an identity number or a name, and a
 * problem document is stored and forwarded by clients like any answer. The occurrence itself is
 * identified by `traceId`. Undefined when no route matched: nothing of that path is known to be safe.
 */
function instanceOf(request: FastifyRequest): string | undefined {
  return request.routeOptions.url
}

/** Sends `code` as a problem document; for handlers that answer with a problem without throwing. */
export function sendProblem(
  reply: FastifyReply,
  code: ProblemCode,
  options: { baseUrl?: string; detail?: string; extra?: Record<string, unknown> } = {},
): FastifyReply {
  const body = problem(code, {
    baseUrl: options.baseUrl ?? reply.server.problemBaseUrl ?? DEFAULT_PROBLEM_BASE_URL,
    instance: instanceOf(reply.request),
    traceId: traceIdOf(reply.request),
    detail: options.detail,
    ...(options.extra ? { extra: options.extra } : {}),
  })
  noteRefusal(reply.request, body)
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body)
}

/** What a request was refused with: its status, stable code and (life-cycle) reason, for attribution. */
export interface Refusal {
  readonly status: number
  readonly code: string
  readonly reason: string | null
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Base URI of problem `type`s for this app. */
    problemBaseUrl: string
  }
  interface FastifyRequest {
    /** Set when the request was answered with a problem: services record refused attempts from it. */
    refusal: Refusal | null
  }
}

function noteRefusal(request: FastifyRequest, body: Problem): void {
  request.refusal = { status: body.status, code: String(body.code), reason: typeof body.reason === 'string' ? body.reason : null }
}

/** Logs `error` as its class requires and answers it as a problem document. */
function answerError(error: unknown, request: FastifyRequest, reply: FastifyReply, baseUrl: string): FastifyReply {
  const classified = classifyError(error)
  if (classified.status === 503) {
    // An outage (the database restarting, say): expected to pass, each occurrence is not a bug.
    request.log.warn({ err: error }, 'request refused: service unavailable')
  } else if (classified.status >= 500) {
    // Full error (stack, cause) goes to the log; the client gets a generic detail and the traceId.
    request.log.error({ err: error }, 'request failed')
  } else {
    request.log.info({ code: classified.code, status: classified.status }, 'request refused')
  }
  for (const [name, value] of Object.entries(classified.headers)) reply.header(name, value)
  const body = problem(classified.code, {
    baseUrl,
    instance: instanceOf(request),
    traceId: traceIdOf(request),
    detail: classified.status >= 500 ? GENERIC_5XX_DETAIL : classified.detail,
    extra: classified.extra,
  })
  noteRefusal(request, body)
  return reply.code(classified.status).type(PROBLEM_CONTENT_TYPE).send(body)
}

/**
 * Fastify's `frameworkErrors` option: what the router refuses before any route or hook runs (a path
 * that is not valid UTF-8, a parameter over the length limit) answered as a problem document like
 * everything else, instead of Fastify's own JSON.
 */
export function frameworkErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  void answerError(error, request, reply, reply.server.problemBaseUrl ?? DEFAULT_PROBLEM_BASE_URL)
}

/**
 * Installs the app-wide error handler and not-found handler. Called on the root instance (not as an
 * encapsulated plugin) so every route registered afterwards, in any plugin, answers errors the same
 * way.
 */
export function installProblemHandlers(app: FastifyInstance, options: ProblemHandlerOptions = {}): void {
  const baseUrl = options.baseUrl ?? DEFAULT_PROBLEM_BASE_URL
  app.decorate('problemBaseUrl', baseUrl)
  app.decorateRequest('refusal', null)
  app.addSchema({ ...ProblemSchema, $id: PROBLEM_SCHEMA_ID })

  app.setErrorHandler((error: unknown, request, reply) => answerError(error, request, reply, baseUrl))

  app.setNotFoundHandler((request, reply) => {
    return sendProblem(reply, 'not_found', { baseUrl, detail: `No route for ${request.method} at this path` })
  })
}
