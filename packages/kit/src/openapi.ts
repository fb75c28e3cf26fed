import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance, FastifySchema } from 'fastify'
import fp from 'fastify-plugin'
import { IDEMPOTENCY_KEY_PATTERN } from './idempotency.js'
import { hoistDiscriminatedBranches } from './openapi-discriminator.js'

export interface OpenApiOptions {
  title: string
  version: string
  description?: string
  tags?: { name: string; description?: string }[]
  servers?: { url: string; description?: string }[]
  /** Where Swagger UI is served; default `/docs`. `false` serves no UI (the document still builds). */
  docsPath?: string | false
}

const pascal = (word: string): string => word.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')

/**
 * Declares the Idempotency-Key header on a write that takes one, in the document only (the
 * idempotency plugin checks it and answers its own problem codes), so clients and Swagger UI send it.
 */
function withIdempotencyKey<S extends FastifySchema>(schema: S, mode: 'required' | 'optional' | undefined): S {
  if (mode === undefined) return schema
  const given = (schema.headers ?? {}) as { properties?: Record<string, unknown>; required?: string[] }
  const header = {
    type: 'string',
    // The pattern the idempotency plugin checks: 1–200 printable ASCII characters, no spaces.
    pattern: IDEMPOTENCY_KEY_PATTERN.source,
    description:
      mode === 'required'
        ? 'Required. A key of your own per request: a retry with the same key and body answers what the first call answered (header idempotent-replayed: true) and writes nothing; the same key with another body is refused (422)'
        : 'Recommended for any retry: with the same key and body, a retry answers what the first call answered (header idempotent-replayed: true) and writes nothing; the same key with another body is refused (422)',
  }
  return {
    ...schema,
    headers: {
      type: 'object',
      ...given,
      properties: { ...(given.properties ?? {}), 'Idempotency-Key': header },
      ...(mode === 'required' ? { required: [...(given.required ?? []), 'Idempotency-Key'] } : {}),
    },
  }
}

/**
 * A stable operationId from the method and the path, for operations that do not name their own:
 * `POST /applications/:id/proposals/:proposalId/confirm` → `postApplicationsByIdProposalsByProposalIdConfirm`.
 * Client generators name their functions after it; deriving it keeps it unique and in step with the path.
 */
export function operationIdOf(method: string, url: string): string {
  const parts = url.split('/').filter(Boolean).map((segment) => (segment.startsWith(':') ? `By${pascal(segment.slice(1))}` : pascal(segment)))
  return `${method.toLowerCase()}${parts.join('') || 'Root'}`
}

/**
 * OpenAPI 3.1 generated from the route schemas (the single source of truth). Every operation
 * requires a bearer JWT unless its route is public (`config.auth: false`), in which case the
 * operation says `security: []` so the document matches what the server enforces.
 */
export const openApiPlugin = fp<OpenApiOptions>(
  async (app: FastifyInstance, options) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: options.title,
          version: options.version,
          ...(options.description ? { description: options.description } : {}),
          license: { name: 'Proprietary: for the bank and its partners under contract', identifier: 'LicenseRef-Proprietary' },
        },
        // Relative by default: the document is served by the service it describes, wherever it runs.
        servers: options.servers ?? [{ url: '/', description: 'This service (its base URL behind the bank’s gateway)' }],
        tags: [{ name: 'health', description: 'Liveness and readiness probes' }, ...(options.tags ?? [])],
        components: {
          securitySchemes: {
            bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          },
        },
        security: [{ bearerAuth: [] }],
      },
      // Shared schemas (e.g. Problem) appear under components.schemas by their $id, not as def-N.
      refResolver: {
        buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
      },
      // Discriminated unions as named schemas, so generators and linters can select a branch by its tag.
      transformObject: (documents) =>
        'openapiObject' in documents ? hoistDiscriminatedBranches(documents.openapiObject as Record<string, unknown>) : documents.swaggerObject,
      transform: ({ schema, url, route }) => {
        const given = (schema ?? {}) as FastifySchema & { security?: unknown; operationId?: string }
        const method = Array.isArray(route.method) ? String(route.method[0]) : String(route.method)
        const named = given.operationId === undefined ? { ...given, operationId: operationIdOf(method, url) } : given
        const current = withIdempotencyKey(named, route.config?.idempotency)
        if (route.config?.auth === false && current.security === undefined) {
          return { schema: { ...current, security: [] } as FastifySchema, url }
        }
        return { schema: current as FastifySchema, url }
      },
    })

    if (options.docsPath !== false) {
      const docsPath = options.docsPath ?? '/docs'
      // Encapsulated so the hook below marks only the UI's own routes public.
      await app.register(async (ui) => {
        ui.addHook('onRoute', (route) => {
          route.config = { ...(route.config ?? {}), auth: false }
        })
        await ui.register(swaggerUi, { routePrefix: docsPath })
      })
    }
  },
  { name: '@sme/kit/openapi', fastify: '5.x' },
)

/** The OpenAPI document of an app; call after `await app.ready()` (routes are then all known). */
export function openApiDocument(app: FastifyInstance): Record<string, unknown> {
  return app.swagger() as unknown as Record<string, unknown>
}
