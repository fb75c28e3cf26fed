import type { MessagingPartStatus } from '@sme/kit'

const CONSUMERS = ['guard.relief-decisions', 'guard.scores', 'guard.key-lists', 'guard.loans'] as const

/** Whether the read model follows its sources, and since when it has not. */
export interface ReadModelHealth {
  readonly status: 'current' | 'stale'
  /** When the first consumer that is not running stopped running (its state's start); null when current. */
  readonly staleSince: string | null
  readonly consumers: Record<string, { state: MessagingPartStatus['state']; since: string; lastError?: string }>
}

/**
 * The read model is current while every one of its consumers runs; once one does not (the broker
 * down, a consumer retrying, messaging not started), verdicts are judged on what it held when that
 * consumer stopped: stale since the earliest such moment. Checks go on answering from it (it is
 * local); readiness reports it as degraded with the time, so an operator and core banking know.
 */
export function readModelHealth(parts: Record<string, MessagingPartStatus>): ReadModelHealth {
  const consumers: ReadModelHealth['consumers'] = {}
  let staleSince: string | null = null
  for (const name of CONSUMERS) {
    const part = parts[`consumer:${name}`]
    if (part === undefined) {
      consumers[name] = { state: 'stopped', since: '' }
      continue
    }
    consumers[name] = { state: part.state, since: part.since, ...(part.lastError ? { lastError: part.lastError } : {}) }
    if (part.state !== 'running' && (staleSince === null || part.since < staleSince)) staleSince = part.since
  }
  const unstarted = Object.values(consumers).some((c) => c.since === '')
  return { status: staleSince === null && !unstarted ? 'current' : 'stale', staleSince, consumers }
}
