import { todayIn } from '@sme/domain'
import type { Logger, Principal } from '@sme/kit'
import { sql } from 'kysely'
import type { ClaimsDb } from '../store/tables.js'
import { commandClaim, type ClaimsDeps } from './claims.js'

const TIMERS: Principal = { subject: 'claims-timers', roles: ['admin'], branches: [], agency: undefined }

/**
 * The claims whose payment deadline or recourse period has passed without its event: each gets
 * `raise-deadlines`, which raises what is due once (the decider remembers it). Safe to run from
 * several instances at once: each claim is locked while its command runs, and a deadline raised by
 * one is not raised again by the other.
 */
export async function raiseDueDeadlines(db: ClaimsDb, deps: ClaimsDeps, outboxAfterCommit: <T>(work: () => Promise<T>) => Promise<T>): Promise<number> {
  const today = todayIn(deps.now())
  const due = await db
    .selectFrom('claims')
    .select('claim_id')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', 'in', ['filed', 'acknowledged', 'approved']), eb(sql<string>`state->'filing'->>'paymentDueOn'`, '<', today), eb(sql<string>`state->'filing'->>'overdueRaised'`, '=', 'false')]),
        eb.and([eb('status', 'in', ['paid', 'in-recourse']), eb(sql<string>`state->'settlement'->>'recourseUntil'`, '<', today), eb(sql<string>`state->'settlement'->>'recourseEndRaised'`, '=', 'false')]),
      ]),
    )
    .limit(500)
    .execute()
  let raised = 0
  for (const { claim_id } of due) {
    const { events } = await outboxAfterCommit(() =>
      db.transaction().execute((tx) => commandClaim(tx, deps, { claimId: claim_id, principal: TIMERS, side: 'bank', command: (_c, _l, day) => ({ kind: 'raise-deadlines', on: day, by: { kind: 'system', id: TIMERS.subject } }) })),
    )
    raised += events.length
  }
  return raised
}

/** Runs {@link raiseDueDeadlines} every `intervalMs` until stopped; a failed round is logged and the next tries again. */
export function startDeadlineTimer(db: ClaimsDb, deps: ClaimsDeps, outboxAfterCommit: <T>(work: () => Promise<T>) => Promise<T>, intervalMs: number, logger: Logger): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve()
  const timer = setInterval(() => {
    running = raiseDueDeadlines(db, deps, outboxAfterCommit).then(
      (n) => (n > 0 ? logger.info({ raised: n }, 'claims deadlines raised') : undefined),
      (err: unknown) => logger.warn({ err }, 'raising claims deadlines failed; the next round tries again'),
    )
  }, intervalMs)
  timer.unref()
  return async () => {
    clearInterval(timer)
    await running
  }
}
