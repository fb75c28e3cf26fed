import { Stream } from 'node:stream'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from './errors.js'

/**
 * What no schema says but every route needs: input the platform cannot store or compute with is
 * refused at the edge with a 400 naming the field, before any handler runs, so that no input can
 * reach PostgreSQL or a recursive walk and come back as a 500.
 *
 * - **Depth**: a JSON body nested deeper than {@link MAX_JSON_DEPTH} levels is refused while it is
 *   still text (a linear scan), before `JSON.parse`, the schema validator, the idempotency
 *   fingerprint or any other recursive walk sees it. Every body of the platform's APIs fits in a
 *   dozen levels.
 * - **Text PostgreSQL cannot store**: a NUL character (`text` and `jsonb` refuse U+0000) or a lone
 *   UTF-16 surrogate (not UTF-8 at all), in any string or object key of the body, the path parameters
 *   or the query string.
 * - **Numbers that are not safe integers where integers are meant**: the validator is strict about
 *   `NaN` and `Infinity` (see validation.ts); a number beyond ±2^53 − 1 (`1e300`, which JSON Schema
 *   calls an integer) is refused here, as no field of the platform holds one (money travels as
 *   decimal strings).
 */
export const MAX_JSON_DEPTH = 64

/** The nesting depth of a JSON text, counting `[` and `{` outside strings; stops past `limit`. */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true
    } else if (c === 0x7d || c === 0x5d) depth--
  }
  return false
}

export interface InputProblem {
  readonly field: string
  readonly message: string
}

/** Why a string cannot be accepted, or undefined. */
function textProblem(value: string): string | undefined {
  if (value.includes('\u0000')) return 'contains a NUL character (U+0000), which cannot be stored'
  // A high surrogate not followed by a low one, or a low one not preceded by a high one.
  if (!value.isWellFormed()) return 'contains a lone UTF-16 surrogate (not valid Unicode text)'
  return undefined
}

const escapePointer = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1')

/**
 * The first value under `root` the platform cannot take, as a JSON pointer prefixed by `at`
 * (`/body/enterprise/name`). Iterative, so no depth of input can overflow the stack.
 */
export function findInputProblem(root: unknown, at: string): InputProblem | undefined {
  // Every request walks this: nodes are kept in flat arrays and a node's pointer is built only for
  // the one refused (from its parent chain), not for each of the hundreds that pass.
  const values: unknown[] = [root]
  const parents: number[] = [-1]
  const keys: string[] = ['']
  const pending: number[] = [0]
  const pointer = (node: number): string => {
    const parts: string[] = []
    for (let n = node; n > 0; n = parents[n]!) parts.push(escapePointer(keys[n]!))
    return parts.length === 0 ? at : `${at}/${parts.reverse().join('/')}`
  }
  while (pending.length > 0) {
    const node = pending.pop()!
    const value = values[node]
    if (typeof value === 'string') {
      const message = textProblem(value)
      if (message) return { field: pointer(node), message }
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) return { field: pointer(node), message: 'must be a finite number' }
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) return { field: pointer(node), message: 'is beyond the safe integer range (±9,007,199,254,740,991)' }
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        values.push(value[i])
        parents.push(node)
        keys.push(String(i))
        pending.push(values.length - 1)
      }
    } else if (typeof value === 'object' && value !== null) {
      const names = Object.keys(value)
      for (let i = names.length - 1; i >= 0; i--) {
        const key = names[i]!
        const keyProblem = textProblem(key)
        // The key itself is not repeated in the pointer: it is what cannot be shown or stored.
        if (keyProblem) return { field: pointer(node), message: `has a property name that ${keyProblem}` }
        values.push((value as Record<string, unknown>)[key])
        parents.push(node)
        keys.push(key)
        pending.push(values.length - 1)
      }
    }
  }
  return undefined
}

function refuse(problem: InputProblem): AppError {
  return new AppError('validation_failed', `${problem.field} ${problem.message}`, { extra: { errors: [problem] } })
}

/** Refuses what {@link findInputProblem} finds in the parts of a request, body last. */
export function checkRequestInput(request: Pick<FastifyRequest, 'params' | 'query' | 'body'>): void {
  // A body a route takes as a stream (an NDJSON sweep) is not data to walk but a socket's whole
  // object graph, cycles included: that route reads and checks each line itself.
  const body = request.body instanceof Stream ? undefined : request.body
  const problem = findInputProblem(request.params, '/params') ?? findInputProblem(request.query, '/querystring') ?? findInputProblem(body, '/body')
  if (problem) throw refuse(problem)
}

/**
 * Installs the guard: a JSON body parser that refuses deep nesting before parsing (then Fastify's
 * own parser, with its prototype-poisoning protection), and a hook after validation (so query
 * values are already coerced to numbers) that checks every part before the handler runs.
 */
export function installInputGuard(app: FastifyInstance, options: { maxDepth?: number } = {}): void {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8')
    if (jsonDepthExceeds(text, maxDepth)) {
      done(refuse({ field: '/body', message: `is nested more than ${maxDepth} levels deep` }), undefined)
      return
    }
    parseJson(request, text, done)
  })
  app.addHook('preHandler', async (request) => {
    checkRequestInput(request)
  })
}
