import type { Static, TSchema } from 'typebox'
import { Compile } from 'typebox/compile'

/** `<context>.<name>.v<major>`: a breaking change is a new topic, never a new shape on an old one. */
export const TOPIC_NAME = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.v[1-9][0-9]*$/

export interface EventDefinition<S extends TSchema = TSchema> {
  /** Event type, e.g. `sme.scoring.result.v1`. */
  type: string
  topic: string
  summary: string
  /** What the message key is (documented in the AsyncAPI catalogue), e.g. "the enterprise's USCC". */
  keyDescription: string
  schema: S
  /** The partition key of an event: keeps per-enterprise or per-loan order. */
  keyOf: (data: Static<S>) => string
  /**
   * Who publishes it when that is a system outside the platform (core banking's loan stream): the
   * AsyncAPI document then shows the platform receiving the topic instead of sending it.
   */
  externalProducer?: string
}

export function defineEvent<S extends TSchema>(definition: EventDefinition<S>): EventDefinition<S> {
  if (!TOPIC_NAME.test(definition.topic)) {
    throw new Error(`topic ${definition.topic} does not follow <context>.<name>.v<major>`)
  }
  return definition
}

export function dlqTopic(topic: string): string {
  return `${topic}.dlq`
}

export class EventValidationError extends Error {
  override name = 'EventValidationError'
  constructor(
    readonly type: string,
    readonly errors: { path: string; message: string }[],
  ) {
    super(`event ${type} does not match its schema: ${errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`)
  }
}

export class UnknownEventTypeError extends Error {
  override name = 'UnknownEventTypeError'
}

/**
 * Every event type the platform knows, with its JSON Schema. Producers validate before writing to
 * the outbox (a bad event never leaves the service); consumers validate again on receipt (a bad
 * event from elsewhere goes to the DLQ instead of into the domain).
 */
export class EventCatalogue {
  readonly #byType = new Map<string, { definition: EventDefinition; check: ReturnType<typeof Compile> }>()

  constructor(definitions: readonly EventDefinition<any>[]) {
    for (const definition of definitions) {
      if (this.#byType.has(definition.type)) throw new Error(`event type ${definition.type} defined twice`)
      this.#byType.set(definition.type, { definition, check: Compile(definition.schema) })
    }
  }

  get definitions(): EventDefinition[] {
    return [...this.#byType.values()].map((e) => e.definition)
  }

  get topics(): string[] {
    return [...new Set(this.definitions.map((d) => d.topic))].sort()
  }

  has(type: string): boolean {
    return this.#byType.has(type)
  }

  get(type: string): EventDefinition {
    const entry = this.#byType.get(type)
    if (!entry) throw new UnknownEventTypeError(`unknown event type ${type}`)
    return entry.definition
  }

  /** Throws EventValidationError naming each offending field. */
  validate(type: string, data: unknown): void {
    const entry = this.#byType.get(type)
    if (!entry) throw new UnknownEventTypeError(`unknown event type ${type}`)
    if (entry.check.Check(data)) return
    const errors = [...entry.check.Errors(data)].slice(0, 10).map((e) => ({ path: e.instancePath, message: e.message }))
    throw new EventValidationError(type, errors)
  }

  merge(other: EventCatalogue): EventCatalogue {
    return new EventCatalogue([...this.definitions, ...other.definitions.filter((d) => !this.has(d.type))])
  }
}
