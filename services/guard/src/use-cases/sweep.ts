import { createHash, randomUUID } from 'node:crypto'
import type { VerdictData } from '@sme/contracts'
import { linesOf, qualifiedName, type BulkSession, type CopyRow, type Database } from '@sme/data'
import { parseDate } from '@sme/domain'
import { AppError, canAccessBranch, createStrictAjv, fieldErrors, findInputProblem, type FieldError, type Principal } from '@sme/kit'
import { checkIssues, judge, policyOn, type GuardPolicy } from '../domain/index.js'
import { CheckBody } from '../schemas.js'
import { borrowerKeyOf, recordOf, type AsOf, type RawRecord } from '../store/read-model.js'
import { finishSweep, insertSweep, sourceMarks, stagedChunk, STAGING, STAGING_COLUMNS, SWEEP_VERDICT_COLUMNS, sweepByKey, type SweepSummary } from '../store/sweeps.js'
import type { GuardDb } from '../store/tables.js'
import { protectionViews, ruleView, verdictExpiry } from './check.js'

/** A sweep holds at most this many checks: a night's book of a large bank, with room. */
export const SWEEP_MAX_LINES = 2_000_000
/** A line longer than this is refused (a check is well under 2 kB). */
export const SWEEP_MAX_LINE_CHARS = 16_384
/** Checks judged per round trip: the read model of this many comes out in one COPY, their verdicts go in in one. */
const CHUNK_LINES = 50_000
/** Refusals listed in the answer (all are stored, with their line). */
const REFUSALS_LISTED = 100

export interface SweepDeps {
  readonly db: GuardDb
  readonly database: Database<unknown>
  /** The guard's schema (quoted into the bulk statements). */
  readonly schema: string
  readonly now: () => Date
  readonly policies: readonly GuardPolicy[]
}

export interface SweepCommand {
  readonly principal: Principal
  readonly idempotencyKey: string
  /** The NDJSON body as it arrives: one check per line, as `POST /checks` takes it. */
  readonly body: AsyncIterable<Buffer | string>
}

type Outcome = VerdictData['outcome'] | 'REFUSED'

/** The validator of `POST /checks`'s body (the same strict options): it narrows a line to a CheckBody. */
const validateCheck = createStrictAjv().compile<CheckBody>(CheckBody)

/** The request's bytes as they pass, hashed: a retry of the sweep must send the same body. */
async function* hashing(body: AsyncIterable<Buffer | string>, hash: ReturnType<typeof createHash>): AsyncGenerator<Buffer | string> {
  for await (const chunk of body) {
    hash.update(chunk)
    yield chunk
  }
}

/**
 * One line of the sweep, checked as `POST /checks` checks a body (same schema, same policy issues,
 * the caller's branches), then staged: a line that fails is staged with its refusal, so that it gets
 * a verdict row of its own (REFUSED, the fields named) and the rest of the sweep goes on.
 */
function stageLine(text: string, line: number, principal: Principal, policies: readonly GuardPolicy[]): CopyRow {
  // The request is stored as JSON: a line that is not (or too long to read) as the string it was.
  const refused = (errors: FieldError[], request = text): CopyRow => [String(line), null, null, null, request, JSON.stringify(errors)]
  if (text.length > SWEEP_MAX_LINE_CHARS) return refused([{ field: '/line', message: `is longer than ${SWEEP_MAX_LINE_CHARS} characters` }], JSON.stringify(text.slice(0, 256)))
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return refused([{ field: '/line', message: 'is not a JSON document' }], JSON.stringify(text.slice(0, 256)))
  }
  // What the edge refuses in any body (NUL, lone surrogates, unsafe numbers), then the schema.
  const problem = findInputProblem(value, '/line')
  if (problem) return refused([problem])
  if (!validateCheck(value)) return refused(fieldErrors('line', validateCheck.errors ?? []))
  const body = value
  const policy = policyOn(policies, parseDate(body.actionDate))
  if (policy === null) return refused([{ field: '/line/actionDate', message: 'is before the first guard policy (2020-02-10)' }])
  const issues = checkIssues(body, policy)
  if (issues.length > 0) return refused(issues.map((i) => ({ field: `/line${i.path}`, message: i.message })))
  if (!canAccessBranch(principal, body.branchId)) return refused([{ field: '/line/branchId', message: 'is not a branch of the caller' }])
  return [String(line), borrowerKeyOf(body.borrower), body.loanId, body.branchId, text, null]
}

/**
 * Core banking's nightly sweep over its book: every line a check as `POST /checks` takes it, judged
 * by the same rules on one snapshot of the read model, every verdict stored (with the line asked)
 * in one transaction before the sweep is answered. Bulk all the way: the lines go in with one COPY,
 * the read model of each chunk of them comes out with one COPY, their verdicts go in with one COPY.
 * A retry with the same Idempotency-Key and body answers the sweep already stored.
 */
export async function runSweep(deps: SweepDeps, command: SweepCommand): Promise<{ sweep: SweepSummary; replayed: boolean }> {
  const caller = command.principal.subject
  const hash = createHash('sha256')
  const earlier = await sweepByKey(deps.db, caller, command.idempotencyKey)
  if (earlier !== undefined) {
    for await (const _ of hashing(command.body, hash));
    if (earlier.fingerprint !== hash.digest('hex')) throw new AppError('idempotency_key_reused', 'This Idempotency-Key was used for a different sweep; use a new key')
    return { sweep: earlier.summary, replayed: true }
  }

  const sweepId = randomUUID()
  const startedAt = deps.now()
  const summary = await deps.database.bulk(
    async (session) => {
      if (!(await insertSweep(session, deps.schema, { id: sweepId, caller, key: command.idempotencyKey, startedAt }))) {
        throw new AppError('conflict', 'A sweep with this Idempotency-Key is under way; ask again when it is done')
      }
      await session.query(`create temp table ${STAGING} (line integer not null, borrower_key text, loan_id text, branch_id text, body text not null, refusal text) on commit drop`)
      let lines = 0
      async function* staged(): AsyncGenerator<CopyRow> {
        for await (const text of linesOf(hashing(command.body, hash))) {
          if (text.trim().length === 0) continue
          if (++lines > SWEEP_MAX_LINES) throw new AppError('payload_too_large', `A sweep holds at most ${SWEEP_MAX_LINES} checks; split it`)
          yield stageLine(text, lines, command.principal, deps.policies)
        }
      }
      await session.copyIn(STAGING, STAGING_COLUMNS, staged())
      if (lines === 0) throw new AppError('validation_failed', 'The sweep holds no check', { extra: { errors: [{ field: '/body', message: 'has no line' }] } })
      await session.query(`create index on ${STAGING} (line)`)
      await session.query(`analyze ${STAGING}`)
      const asOf = await sourceMarks(session, deps.schema)
      const decidedAt = deps.now()
      const outcomes: Record<Outcome, number> = { ALLOW: 0, BLOCK: 0, ESCALATE: 0, REFUSED: 0 }
      const refused: { line: number; errors: FieldError[] }[] = []
      const policiesUsed = new Map<string, { id: string; version: number }>()
      for (let from = 1; from <= lines; from += CHUNK_LINES) {
        const verdicts: CopyRow[] = []
        for await (const row of session.copyOut(stagedChunk(deps.schema, from, from + CHUNK_LINES - 1))) {
          const v = sweepVerdict(row, deps.policies, asOf, decidedAt)
          outcomes[v.outcome]++
          if (v.refusal !== null && refused.length < REFUSALS_LISTED) refused.push({ line: v.line, errors: v.refusal })
          if (v.policy) policiesUsed.set(`${v.policy.id}@${v.policy.version}`, v.policy)
          verdicts.push([sweepId, String(v.line), v.loanId, v.branchId, v.outcome, v.body, v.verdict, v.refusal === null ? null : JSON.stringify(v.refusal)])
        }
        await session.copyIn(qualifiedName(deps.schema, 'sweep_verdicts'), SWEEP_VERDICT_COLUMNS, verdicts)
      }
      const expiresAt = verdictExpiryOf(decidedAt, [...policiesUsed.values()], deps.policies)
      const done: SweepSummary = {
        sweepId,
        lines,
        outcomes,
        refused,
        policies: [...policiesUsed.values()],
        readModelAsOf: asOf,
        startedAt: startedAt.toISOString(),
        decidedAt: decidedAt.toISOString(),
        expiresAt,
        verdicts: `/sweeps/${sweepId}/verdicts`,
      }
      // A night's sweep adds as many rows as the table held: without fresh statistics the planner
      // reads them back by scanning the whole table for each page instead of by the sweep's index.
      await session.query(`analyze ${qualifiedName(deps.schema, 'sweep_verdicts')}`)
      await finishSweep(session, deps.schema, sweepId, hash.digest('hex'), done)
      return done
    },
    { isolation: 'repeatable read' },
  )
  return { sweep: summary, replayed: false }
}

/** The shortest validity of the policies the sweep judged under: a sweep's verdicts expire together. */
function verdictExpiryOf(at: Date, used: readonly { id: string; version: number }[], policies: readonly GuardPolicy[]): string | null {
  const expiries = used.map((u) => policies.find((p) => p.id === u.id && p.version === u.version)).filter((p): p is GuardPolicy => p !== undefined).map((p) => verdictExpiry(at, p))
  return expiries.length === 0 ? null : expiries.sort()[0]!
}

interface SweepLineVerdict {
  readonly line: number
  readonly loanId: string | null
  readonly branchId: string | null
  readonly outcome: Outcome
  readonly body: string
  /** The judgement as stored: outcome, rules, protections, policy (JSON); null for a refused line. */
  readonly verdict: string | null
  readonly refusal: FieldError[] | null
  readonly policy: { id: string; version: number } | null
}

/**
 * Judges one staged line on the read model that came out with it (the columns of
 * {@link stagedChunk}): the same checks of the loan's booking and the same `judge` as a single check.
 */
function sweepVerdict(row: (string | null)[], policies: readonly GuardPolicy[], asOf: AsOf, decidedAt: Date): SweepLineVerdict {
  const [lineText, body, refusalText, reliefs, score, keyLists, loan] = row
  const line = Number(lineText)
  if (refusalText !== null && refusalText !== undefined) {
    return { line, loanId: null, branchId: null, outcome: 'REFUSED', body: body ?? '', verdict: null, refusal: JSON.parse(refusalText) as FieldError[], policy: null }
  }
  // Staged only once it met the check's schema in this very transaction (stageLine): read back as such.
  const check = JSON.parse(body!) as CheckBody
  const refuse = (errors: FieldError[]): SweepLineVerdict => ({ line, loanId: check.loanId, branchId: check.branchId, outcome: 'REFUSED', body: body!, verdict: null, refusal: errors, policy: null })
  const raw: RawRecord = {
    reliefs: reliefs ? JSON.parse(reliefs) : null,
    score: score ? JSON.parse(score) : null,
    key_lists: keyLists ? JSON.parse(keyLists) : null,
    loan: loan ? JSON.parse(loan) : null,
    marks: null,
  }
  const view = recordOf(raw, asOf)
  if (view.loanBorrowerKey !== null && view.loanBorrowerKey !== borrowerKeyOf(check.borrower)) return refuse([{ field: '/line/borrower', message: 'is not the borrower core banking booked the loan to' }])
  const bookedBranch = view.record.loan?.branchId ?? null
  if (bookedBranch !== null && bookedBranch !== check.branchId) return refuse([{ field: '/line/branchId', message: 'is not the branch core banking booked the loan at' }])
  const actionDate = parseDate(check.actionDate)
  const policy = policyOn(policies, actionDate)!
  const j = judge({ action: check.action, date: actionDate, reasons: check.reasons, targetClassification: check.targetClassification ?? null }, view.record, policy)
  const verdict = {
    outcome: j.outcome,
    rules: j.rules.map(ruleView),
    protections: protectionViews(j),
    policy: j.policy,
    expiresAt: verdictExpiry(decidedAt, policy),
  }
  return { line, loanId: check.loanId, branchId: check.branchId, outcome: j.outcome, body: body!, verdict: JSON.stringify(verdict), refusal: null, policy: j.policy }
}
