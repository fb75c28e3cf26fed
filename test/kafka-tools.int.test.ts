// Our events read with Kafka's own console consumer (`infra/kafka/kafka.sh consume`), as an operator
// reads a topic: the CloudEvents headers, the key and the JSON value are there as the AsyncAPI
// document says, and the consumer-group tool lists a service's group.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { ScoringRequested } from '@sme/contracts'
import { KafkaTransport, newEvent, toTransportMessage } from '@sme/events'
import { kafkaBrokers, localKafkaUnavailable, testLogger, uniqueName } from '@sme/testing'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const missing = await localKafkaUnavailable()

function kafkaSh(args: readonly string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['infra/kafka/kafka.sh', ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 300_000, maxBuffer: 10 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr })
    })
  })
}

t.test('the console consumer prints an event with its CloudEvents headers, key and value', { skip: missing ? `needs Java and Maven for Kafka's tools: ${missing}` : false }, async (t) => {
  const namespace = uniqueName('tools').replace(/_/g, '-')
  const transport = new KafkaTransport({ brokers: kafkaBrokers(), clientId: 'kafka-tools-test', logger: testLogger(), namespace })
  t.teardown(() => transport.close())
  await transport.ensureTopics([ScoringRequested.topic])
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
  const event = newEvent({
    source: '/sme-relief/relief',
    type: ScoringRequested.type,
    subject: '91350100MA2XXXXX1X',
    traceparent,
    data: { correlationId: '6f1c2a4e-8b0d-4c1e-9f3a-2d5b7c9e0a11', uscc: '91350100MA2XXXXX1X', asOf: '2020-06-15', requestedBy: 'relief' },
  })
  await transport.publish([toTransportMessage(ScoringRequested.topic, 'loan-key-1', event)])

  const env = { KAFKA_BOOTSTRAP: kafkaBrokers()[0]! }
  const read = await kafkaSh(['consume', `${namespace}.${ScoringRequested.topic}`, '--max-messages', '1', '--timeout-ms', '60000'], env)
  t.equal(read.code, 0, read.stderr.slice(-2_000))
  const line = read.stdout.split('\n').find((l) => l.includes(event.id))
  t.ok(line, 'the event is printed')
  const [partition, offset, headers, key, value] = line!.split('\t')
  t.match(partition, /^Partition:\d+$/)
  t.match(offset, /^Offset:0$/)
  t.match(headers, new RegExp(`ce_id:${event.id}`))
  t.match(headers, new RegExp(`ce_type:${ScoringRequested.type.replace(/\./g, '\\.')}`))
  t.match(headers, /ce_specversion:1\.0/)
  t.match(headers, new RegExp(`traceparent:${traceparent}`), 'the trace context, for tools that know nothing of CloudEvents')
  t.equal(key, 'loan-key-1')
  t.same(JSON.parse(value!), event.data, 'the value is the event data as JSON')

  const groups = await kafkaSh(['groups', '--list'], env)
  t.equal(groups.code, 0, groups.stderr.slice(-2_000))
  t.match(groups.stdout, /console-consumer-/, 'the consumer-group tool lists the console consumer\'s group')
})
