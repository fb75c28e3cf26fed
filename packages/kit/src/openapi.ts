import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance, FastifySchema } from 'fastify'
import fp from 'fastify-plugin'

export interface OpenApiOptions {
  title: string
  version: string
  description?: string
  tags?: { name: string; description?: string }[]
  servers?: { url: string; description?: string }[]
  /** Where Swagger UI is served; default `/docs`. `false` serves no UI (the document still builds). */
  docsPath?: string | false
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
        },
        ...(options.servers ? { servers: options.servers } : {}),
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
      transform: ({ schema, url, route }) => {
        const current = (schema ?? {}) as FastifySchema & { security?: unknown }
        if (route.config?.auth === false && current.security === undefined) {
          return { schema: { ...current, security: [] } as FastifySchema, url }
        }
        return { schema: current, url }
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
