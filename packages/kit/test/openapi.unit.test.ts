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

t.test('a discriminated oneOf: titled inline branches become named schemas with a mapping; the route keeps its own', async (t) => {
  const Cat = Type.Object({ kind: Type.Literal('cat'), lives: Type.Integer() }, { title: 'Cat', additionalProperties: false })
  const Dog = Type.Object({ kind: Type.Literal('dog'), good: Type.Boolean() }, { title: 'Dog', additionalProperties: false })
  const Pet = Type.Unsafe<unknown>({ type: 'object', oneOf: [Cat, Dog], discriminator: { propertyName: 'kind' } })
  const Untitled = Type.Unsafe<unknown>({ oneOf: [Type.Object({ kind: Type.Literal('x') }), Type.Object({ kind: Type.Literal('y') })], discriminator: { propertyName: 'kind' } })
  const app = await testApp()
  app.post('/pets', { config: { auth: false }, schema: { body: Type.Object({ pet: Pet }) } }, async () => ({}))
  app.post('/litters', { config: { auth: false }, schema: { body: Type.Object({ pets: Type.Array(Pet), other: Untitled }) } }, async () => ({}))
  t.teardown(() => app.close())
  await app.ready()
  const doc = openApiDocument(app) as any
  const pet = doc.paths['/pets'].post.requestBody.content['application/json'].schema.properties.pet
  t.same(pet.oneOf, [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }])
  t.same(pet.discriminator, { propertyName: 'kind', mapping: { cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog' } })
  const litters = doc.paths['/litters'].post.requestBody.content['application/json'].schema.properties
  t.same(litters.pets.items.oneOf, pet.oneOf, 'the same branches used twice are named once')
  t.match(doc.components.schemas.Cat, { title: 'Cat', properties: { lives: { type: 'integer' } } })
  t.equal(litters.other.oneOf.length, 2, 'untitled branches stay inline: there is no name to give them')
  t.notOk(litters.other.oneOf.some((b: any) => b.$ref), 'no $ref for untitled branches')

  // The route's schema is not touched: validation still selects by kind and names the field.
  const refused = await app.inject({ method: 'POST', url: '/pets', payload: { pet: { kind: 'dog', good: 'yes' } } })
  t.equal(refused.statusCode, 400)
  const accepted = await app.inject({ method: 'POST', url: '/pets', payload: { pet: { kind: 'cat', lives: 9 } } })
  t.equal(accepted.statusCode, 200)
})
