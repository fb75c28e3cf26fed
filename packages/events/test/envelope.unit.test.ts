import t from 'tap'
import Type from 'typebox'
import { defineEvent, dlqTopic, EnvelopeError, EventCatalogue, EventValidationError, fromTransportMessage, newEvent, toTransportMessage } from '../src/index.js'

const Scored = defineEvent({
  type: 'sme.scoring.result.v1',
  topic: 'scoring.results.v1',
  summary: 'A score',
  keyDescription: 'USCC',
  schema: Type.Object({ uscc: Type.String({ minLength: 18, maxLength: 18 }), score: Type.Integer() }, { additionalProperties: false }),
  keyOf: (d) => d.uscc,
})

t.test('binary content mode: ce_* headers and a JSON body survive the round trip', async (t) => {
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
  const event = newEvent({ source: '/sme-relief/scoring', type: Scored.type, data: { uscc: '91350100M000100Y43', score: 612 }, subject: '91350100M000100Y43', traceparent })
  const message = toTransportMessage(Scored.topic, Scored.keyOf(event.data), event)
  t.equal(message.key, '91350100M000100Y43')
  t.equal(message.headers.ce_specversion, '1.0')
  t.equal(message.headers.ce_type, 'sme.scoring.result.v1')
  t.equal(message.headers['content-type'], 'application/json')
  t.equal(message.headers.traceparent, traceparent, 'trace context travels in the headers')
  t.same(JSON.parse(message.value.toString()), event.data, 'the body is the data alone')
  t.same(fromTransportMessage(message), event)
})

t.test('a message that is not a CloudEvent is refused with the reason', async (t) => {
  const good = toTransportMessage('a.b.v1', null, newEvent({ source: '/s', type: 'x', data: {} }))
  t.throws(() => fromTransportMessage({ ...good, headers: { ...good.headers, ce_id: '' } }), EnvelopeError)
  t.throws(() => fromTransportMessage({ ...good, headers: { ...good.headers, ce_specversion: '0.3' } }), /specversion/)
  t.throws(() => fromTransportMessage({ ...good, headers: { ...good.headers, 'content-type': 'text/plain' } }), /content-type/)
  t.throws(() => fromTransportMessage({ ...good, value: Buffer.from('{') }), /not JSON/)
})

t.test('the catalogue validates data against each type\'s schema, naming the field', async (t) => {
  const catalogue = new EventCatalogue([Scored])
  t.doesNotThrow(() => catalogue.validate(Scored.type, { uscc: '91350100M000100Y43', score: 1 }))
  const err = t.throws(() => catalogue.validate(Scored.type, { uscc: 'short', score: 1.5 })) as EventValidationError
  t.type(err, EventValidationError)
  t.match(err.message, /\/uscc/)
  t.match(err.message, /\/score/)
  t.throws(() => catalogue.validate('nope.v1', {}), /unknown event type/)
  t.throws(() => new EventCatalogue([Scored, Scored]), /defined twice/)
  t.same(catalogue.topics, ['scoring.results.v1'])
})

t.test('topic names follow <context>.<name>.v<major>; dead letters go to <topic>.dlq', async (t) => {
  for (const bad of ['scoring.results', 'Scoring.results.v1', 'scoring.results.v0', 'scoring_results.v1']) {
    t.throws(() => defineEvent({ ...Scored, topic: bad }), /does not follow/, bad)
  }
  t.equal(dlqTopic('scoring.results.v1'), 'scoring.results.v1.dlq')
})
