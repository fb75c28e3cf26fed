import t from 'tap'
import { Type } from 'typebox'
import { openApiDocument, problemResponse } from '../src/index.js'
import { testApp } from './helpers.js'

t.test('OpenAPI 3.1 document', async (t) => {
  const app = await testApp({ description: 'test service', openapi: { tags: [{ name: 'loans', description: 'Loans' }] } })
  app.post(
    '/loans',
    {
      schema: {
        tags: ['loans'],
        body: Type.Object({ principal: Type.String({ pattern: '^(0|[1-9][0-9]{0,17})$' }) }),
        response: { 201: Type.Object({ id: Type.String() }), 409: problemResponse('Already exists') },
      },
    },
    async (_request, reply) => reply.code(201).send({ id: 'L-1' }),
  )
  t.teardown(() => app.close())
  await app.ready()
  const doc = openApiDocument(app) as any
  t.equal(doc.openapi, '3.1.0')
  t.match(doc.info, { title: 'kit-test', version: '0.0.0', description: 'test service' })
  t.same(doc.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
  t.same(doc.security, [{ bearerAuth: [] }])
  t.ok(doc.tags.some((tag: { name: string }) => tag.name === 'loans'))
  t.ok(doc.components.schemas.Problem, 'problem schema listed once under components')

  const create = doc.paths['/loans'].post
  t.equal(create.security, undefined, 'protected operation inherits the global bearer requirement')
  t.ok(create.responses['201'])
  t.same(create.responses['409'].content['application/problem+json'].schema, { $ref: '#/components/schemas/Problem' })
  t.same(create.responses['4XX'].content['application/problem+json'].schema, { $ref: '#/components/schemas/Problem' }, 'default problem responses added')
  t.same(doc.paths['/health/live'].get.security, [], 'public operations say so')
  t.notOk(doc.paths['/metrics'], 'metrics endpoint hidden')
  t.notOk(Object.keys(doc.paths).some((p) => p.startsWith('/docs')), 'UI routes hidden')

  const ui = await app.inject({ method: 'GET', url: '/docs' })
  t.ok(ui.statusCode < 400, 'Swagger UI served without a token')
  const json = await app.inject({ method: 'GET', url: '/docs/json' })
  t.equal(json.statusCode, 200)
  t.equal(json.json().openapi, '3.1.0')
})
