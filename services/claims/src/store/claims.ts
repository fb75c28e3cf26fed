import { sql, type Kysely } from 'kysely'
import { reusableStatement, type ReusableStatement } from '@sme/data'
import type { ClaimEvent, ClaimState } from '../domain/index.js'
import { fromFenJson, toFenJson } from './fen-json.js'
import type { ClaimsDb, ClaimsTables, ClaimsTx, GuaranteedLoansTable } from './tables.js'
import type { Selectable } from 'kysely'
import { OUTBOX_ROW_COLUMNS, type PreparedEvent } from '@sme/events'

export type GuaranteedLoanRow = Selectable<GuaranteedLoansTable>

export interface ClaimRecord {
  readonly claimId: string
  readonly loanId: string
  readonly agencyId: string
  readonly branchId: string
  readonly version: number
  readonly documents: readonly string[]
  readonly vintage: number
  readonly state: ClaimState
  readonly openedAt: Date
  readonly updatedAt: Date
}

type ClaimRow = Selectable<ClaimsTables['claims']>

/** A claims row as the use cases see it (fen restored in the fold). */
export function recordOf(row: ClaimRow): ClaimRecord {
  return {
    claimId: row.claim_id,
    loanId: row.loan_id,
    agencyId: row.agency_id,
    branchId: row.branch_id,
    version: row.version,
    documents: fromFenJson<string[]>(row.documents),
    vintage: row.vintage,
    state: fromFenJson<ClaimState>(row.state),
    openedAt: row.opened_at,
    updatedAt: row.updated_at,
  }
}

export async function guaranteedLoan(db: ClaimsDb | ClaimsTx, loanId: string): Promise<GuaranteedLoanRow | undefined> {
  return db.selectFrom('guaranteed_loans').selectAll().where('loan_id', '=', loanId).executeTakeFirst()
}

export async function claimOf(db: ClaimsDb | ClaimsTx, claimId: string): Promise<ClaimRecord | undefined> {
  const row = await db.selectFrom('claims').selectAll().where('claim_id', '=', claimId).executeTakeFirst()
  return row && recordOf(row)
}

const toBig = (v: unknown): bigint => (v === null || v === undefined ? 0n : BigInt(v as bigint | string))

const LOAN_COLUMNS = ['agreement_id', 'guaranteed_on', 'guaranteed_fen', 'branch_id', 'borrower', 'borrower_size', 'contract_rate_bp', 'epidemic_affected', 'outstanding_principal_fen', 'days_past_due', 'position_sequence', 'registered_by', 'updated_at'] as const
const CLAIM_COLUMNS = ['claim_id', 'loan_id', 'agency_id', 'branch_id', 'status', 'version', 'state', 'documents', 'vintage', 'compensated_fen', 'recovered_to_payers_fen', 'opened_at', 'updated_at'] as const

/**
 * The statements a command on a claim runs, built and compiled once per schema (a command runs
 * two: the locked read with the loan and the portfolio figures, and the write; building them with
 * Kysely on every request cost the filing a seventh of its CPU).
 */
export interface ClaimStatements {
  readonly lock: ReusableStatement<{ claimId: string }, Record<string, unknown>>
  readonly lockMany: ReusableStatement<{ claimIds: readonly string[] }, Record<string, unknown>>
  readonly append: { readonly notifying: ReusableStatement<AppendValues, { notified: string }>; readonly silent: ReusableStatement<AppendValues, { notified: string }> }
}

interface AppendValues {
  /** The claims' new folds: claim_id, status, version, state, documents, compensated_fen, recovered_to_payers_fen. */
  claims: string
  now: Date
  events: string
  audits: string
  outbox: string
  channel: string
}

/**
 * The effects of commands on one or more claims in one statement: each claim's new fold on its
 * row, its events appended to the history, the events others hear of in the outbox, the audit
 * entries. The rows come as JSON record sets, so one statement serves one command or a batch.
 */
function appendStatement(schema: string, notify: boolean): ReusableStatement<AppendValues, { notified: string }> {
  return reusableStatement<AppendValues, { notified: string }>(schema, (db, v) =>
    db
      // Raw SQL (an update from a record set), so the schema is named here: the builder's is not applied to it.
      .with('updated', () =>
        sql`(update ${sql.table(`${schema}.claims`)} as c set status = i.status, version = i.version, state = i.state, documents = i.documents, compensated_fen = i.compensated_fen, recovered_to_payers_fen = i.recovered_to_payers_fen, updated_at = ${v.now}
            from json_to_recordset(${v.claims}::json) as i(claim_id uuid, status text, version integer, state jsonb, documents jsonb, compensated_fen bigint, recovered_to_payers_fen bigint)
            where c.claim_id = i.claim_id returning c.claim_id)`,
      )
      .with('appended', (db) =>
        db
          .insertInto('claim_events')
          .columns(['claim_id', 'seq', 'type', 'on', 'by_kind', 'by_id', 'body', 'recorded_at'])
          .expression(() => sql`(select * from json_to_recordset(${v.events}::json) as e(claim_id uuid, seq integer, type text, "on" date, by_kind text, by_id text, body jsonb, recorded_at timestamptz))`)
          .returning('seq'),
      )
      .with('audited', (db) =>
        db
          .insertInto('audit_log')
          .columns(['at', 'actor', 'action', 'subject', 'details'])
          .expression(() => sql`(select ${v.now}::timestamptz, a.actor, a.action, a.subject, a.details from json_to_recordset(${v.audits}::json) as a(actor text, action text, subject text, details jsonb))`)
          .returning('id'),
      )
      .with('published', (db) =>
        db
          .insertInto('outbox')
          .columns([...OUTBOX_ROW_COLUMNS])
          .expression(() => sql`(select * from json_to_recordset(${v.outbox}::json) as o(event_id uuid, topic text, message_key text, event_type text, headers jsonb, payload jsonb))`)
          .returning('event_id'),
      )
      .selectFrom('updated')
      .select(notify ? sql<string>`pg_notify(${v.channel}, '')`.as('notified') : sql<string>`''`.as('notified'))
      .limit(1),
  )
}

/** A claim with its loan and its vintage's portfolio figures, locked (the claim's row). */
function lockedClaims(db: Kysely<any>) {
  return (
    db
      .selectFrom('claims as c')
      .innerJoin('guaranteed_loans as l', 'l.loan_id', 'c.loan_id')
      // The portfolio figures of the claim's agency and vintage (the loan's agreement's book).
      .leftJoin('vintage_books as vb', (j) => j.onRef('vb.agreement_id', '=', 'l.agreement_id').onRef('vb.vintage', '=', 'c.vintage'))
      .leftJoin('agency_compensation as ac', (j) => j.onRef('ac.agency_id', '=', 'c.agency_id').onRef('ac.vintage', '=', 'c.vintage'))
      .select(CLAIM_COLUMNS.filter((k) => k !== 'state' && k !== 'documents').map((k) => `c.${k} as ${k}`))
      // The fold as text: parsed once, by the fen-aware reader, not by the driver and again by it.
      .select([sql<string>`c.state::text`.as('state'), sql<string>`c.documents::text`.as('documents')])
      .select(LOAN_COLUMNS.map((k) => `l.${k} as loan_${k}`))
      .select(['vb.guaranteed_fen as book_guaranteed', 'ac.compensated_fen as book_compensated', 'ac.recovered_to_payers_fen as book_recovered'])
      .forUpdate('c')
  )
}

export function claimStatements(schema: string): ClaimStatements {
  return {
    lock: reusableStatement<{ claimId: string }, Record<string, unknown>>(schema, (db, v) => lockedClaims(db).where('c.claim_id', '=', v.claimId)),
    // In claim order, so that two batches locking some of the same claims never wait on each other in a cycle.
    lockMany: reusableStatement<{ claimIds: readonly string[] }, Record<string, unknown>>(schema, (db, v) =>
      lockedClaims(db)
        .where('c.claim_id', '=', sql<string>`any(${v.claimIds}::uuid[])`)
        .orderBy('c.claim_id'),
    ),
    append: { notifying: appendStatement(schema, true), silent: appendStatement(schema, false) },
  }
}

/** The agency's book and compensation for a vintage: the figures the portfolio cap is checked on. */
export interface VintageFigures {
  readonly guaranteed: bigint
  readonly compensated: bigint
  readonly recoveredToPayers: bigint
}

export interface LockedClaim {
  readonly claim: ClaimRecord
  readonly loan: GuaranteedLoanRow
  readonly book: VintageFigures
}

/**
 * The claim, locked for the rest of the transaction (commands on one claim run one at a time), with
 * its guaranteed loan and its vintage's portfolio figures, in one round trip. Filing does not move
 * the figures (approval and recoveries do, under their own claim's lock), so reading them unlocked
 * is what a separate read would give.
 */
export async function lockClaimWithLoan(tx: ClaimsTx, statements: ClaimStatements, claimId: string): Promise<LockedClaim | undefined> {
  const { rows } = await statements.lock.execute(tx, { claimId })
  return rows[0] === undefined ? undefined : lockedOf(rows[0])
}

/** Several claims locked as {@link lockClaimWithLoan} locks one, in one round trip, by id. */
export async function lockClaimsWithLoans(tx: ClaimsTx, statements: ClaimStatements, claimIds: readonly string[]): Promise<Map<string, LockedClaim>> {
  const { rows } = await statements.lockMany.execute(tx, { claimIds })
  return new Map(rows.map((r) => [r.claim_id as string, lockedOf(r)]))
}

function lockedOf(r: Record<string, unknown>): LockedClaim {
  const loan = Object.fromEntries([['loan_id', r.loan_id], ...LOAN_COLUMNS.map((c) => [c, r[`loan_${c}`]])]) as GuaranteedLoanRow
  const book = { guaranteed: toBig(r.book_guaranteed), compensated: toBig(r.book_compensated), recoveredToPayers: toBig(r.book_recovered) }
  return { claim: recordOf(r as unknown as ClaimRow), loan, book }
}

/** The claim on the loan that has not ended, if any. */
export async function openClaimOfLoan(db: ClaimsDb | ClaimsTx, loanId: string): Promise<ClaimRecord | undefined> {
  const row = await db.selectFrom('claims').selectAll().where('loan_id', '=', loanId).where('status', 'not in', ['closed', 'rejected']).executeTakeFirst()
  return row && recordOf(row)
}

export interface ClaimFigures {
  readonly compensated: bigint
  readonly recoveredToPayers: bigint
}

/** Stores a new claim (its first events) or a claim's new events, with its fold, in the caller's transaction. */
export async function saveClaim(
  tx: ClaimsTx,
  claim: { claimId: string; loanId: string; agencyId: string; branchId: string; vintage: number; documents: readonly string[] },
  before: { version: number } | null,
  events: readonly ClaimEvent[],
  state: ClaimState,
  figures: ClaimFigures,
  now: Date,
  figuresBefore: ClaimFigures = { compensated: 0n, recoveredToPayers: 0n },
): Promise<number> {
  const version = (before?.version ?? 0) + events.length
  const values = {
    status: state.status,
    version,
    state: toFenJson(state),
    documents: JSON.stringify(claim.documents),
    compensated_fen: figures.compensated,
    recovered_to_payers_fen: figures.recoveredToPayers,
    updated_at: now,
  }
  if (before === null) {
    await tx.insertInto('claims').values({ claim_id: claim.claimId, loan_id: claim.loanId, agency_id: claim.agencyId, branch_id: claim.branchId, vintage: claim.vintage, opened_at: now, ...values }).execute()
  } else {
    await tx.updateTable('claims').set(values).where('claim_id', '=', claim.claimId).execute()
  }
  await addToCompensation(tx, claim.agencyId, claim.vintage, figures.compensated - figuresBefore.compensated, figures.recoveredToPayers - figuresBefore.recoveredToPayers)
  if (events.length > 0) {
    const from = before?.version ?? 0
    await tx
      .insertInto('claim_events')
      .values(events.map((e, i) => ({ claim_id: claim.claimId, seq: from + i + 1, type: e.type, on: e.on, by_kind: e.by.kind, by_id: e.by.id, body: toFenJson(e), recorded_at: now })))
      .execute()
  }
  return version
}

export interface Appended {
  readonly claim: { readonly claimId: string; readonly agencyId: string; readonly vintage: number; readonly documents: readonly string[] }
  /** The claim's version before these events. */
  readonly version: number
  readonly events: readonly ClaimEvent[]
  readonly state: ClaimState
  readonly figures: ClaimFigures
  readonly figuresBefore: ClaimFigures
  /** The events others hear of (Outbox.prepare), written with the change or not at all. */
  readonly outbox: readonly PreparedEvent<unknown>[]
  readonly audit: { readonly actor: string; readonly action: string; readonly details: unknown }
}

/**
 * Commands' effects on their claims in one statement (one round trip, however many claims): the
 * new folds, the events appended to each history, the events others hear of in the outbox, the
 * audit entries. The compensation totals, where a command moved them (an approval, a recovery),
 * take one more each.
 */
export async function appendToClaims(tx: ClaimsTx, statements: ClaimStatements, appended: readonly Appended[], now: Date): Promise<void> {
  if (appended.length === 0) return
  const claims: string[] = []
  const events: string[] = []
  const audits: string[] = []
  const outbox: string[] = []
  let channel: string | undefined
  const at = JSON.stringify(now.toISOString())
  for (const a of appended) {
    const id = JSON.stringify(a.claim.claimId)
    claims.push(`{"claim_id":${id},"status":${JSON.stringify(a.state.status)},"version":${a.version + a.events.length},"state":${toFenJson(a.state)},"documents":${JSON.stringify(a.claim.documents)},"compensated_fen":${a.figures.compensated},"recovered_to_payers_fen":${a.figures.recoveredToPayers}}`)
    a.events.forEach((e, i) => events.push(`{"claim_id":${id},"seq":${a.version + i + 1},"type":${JSON.stringify(e.type)},"on":${JSON.stringify(e.on)},"by_kind":${JSON.stringify(e.by.kind)},"by_id":${JSON.stringify(e.by.id)},"body":${toFenJson(e)},"recorded_at":${at}}`))
    audits.push(`{"actor":${JSON.stringify(a.audit.actor)},"action":${JSON.stringify(a.audit.action)},"subject":${JSON.stringify(`claim:${a.claim.claimId}`)},"details":${toFenJson(a.audit.details)}}`)
    // Each prepared event's headers and payload are JSON text already: spliced in, not parsed again.
    for (const o of a.outbox) {
      outbox.push(`{"event_id":${JSON.stringify(o.row.event_id)},"topic":${JSON.stringify(o.row.topic)},"message_key":${JSON.stringify(o.row.message_key)},"event_type":${JSON.stringify(o.row.event_type)},"headers":${o.row.headers},"payload":${o.row.payload}}`)
      if (o.notify) channel ??= o.channel
    }
  }
  await (channel !== undefined ? statements.append.notifying : statements.append.silent).execute(tx, {
    claims: `[${claims.join(',')}]`,
    now,
    events: `[${events.join(',')}]`,
    audits: `[${audits.join(',')}]`,
    outbox: `[${outbox.join(',')}]`,
    channel: channel ?? '',
  })
  for (const a of appended) {
    await addToCompensation(tx, a.claim.agencyId, a.claim.vintage, a.figures.compensated - a.figuresBefore.compensated, a.figures.recoveredToPayers - a.figuresBefore.recoveredToPayers)
  }
}

/** The claim's history, oldest first. */
export async function claimHistory(db: ClaimsDb, claimId: string): Promise<{ seq: number; event: ClaimEvent; recordedAt: Date }[]> {
  const rows = await db.selectFrom('claim_events').select(['seq', 'body', 'recorded_at']).where('claim_id', '=', claimId).orderBy('seq').execute()
  return rows.map((r) => ({ seq: r.seq, event: fromFenJson<ClaimEvent>(r.body), recordedAt: r.recorded_at }))
}



/** Moves a vintage's guaranteed book by `delta` (a loan registered, or its amount or vintage changed). */
export async function addToVintageBook(tx: ClaimsTx, agreementId: string, vintage: number, delta: bigint): Promise<void> {
  if (delta === 0n) return
  await tx
    .insertInto('vintage_books')
    .values({ agreement_id: agreementId, vintage, guaranteed_fen: delta })
    .onConflict((oc) => oc.columns(['agreement_id', 'vintage']).doUpdateSet({ guaranteed_fen: sql<bigint>`vintage_books.guaranteed_fen + excluded.guaranteed_fen` }))
    .execute()
}

/** Moves an agency's compensation for a vintage by what one claim's figures changed. */
async function addToCompensation(tx: ClaimsTx, agencyId: string, vintage: number, compensated: bigint, recovered: bigint): Promise<void> {
  if (compensated === 0n && recovered === 0n) return
  await tx
    .insertInto('agency_compensation')
    .values({ agency_id: agencyId, vintage, compensated_fen: compensated, recovered_to_payers_fen: recovered })
    .onConflict((oc) =>
      oc.columns(['agency_id', 'vintage']).doUpdateSet({
        compensated_fen: sql<bigint>`agency_compensation.compensated_fen + excluded.compensated_fen`,
        recovered_to_payers_fen: sql<bigint>`agency_compensation.recovered_to_payers_fen + excluded.recovered_to_payers_fen`,
      }),
    )
    .execute()
}

export async function audit(tx: ClaimsTx, entry: { at: Date; actor: string; action: string; subject: string; details: unknown }): Promise<void> {
  await tx.insertInto('audit_log').values({ ...entry, details: toFenJson(entry.details) }).execute()
}
