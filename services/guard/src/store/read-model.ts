import { sql } from 'kysely'
import { parseDate, todayIn } from '@sme/domain'
import type { KeyListEntryData, LoanBookedData, LoanEventCommon, ReliefDecidedV2Data, ScoreCompleted } from '@sme/contracts'
import type { Static } from 'typebox'
import type { BorrowerRecord, KeyListOnRecord, LoanOnRecord, ReliefOnRecord, ScoreOnRecord } from '../domain/index.js'
import { reusableStatement, type ReusableStatement } from '@sme/data'
import type { GuardDb, GuardTx, KeyListsTable, LoansTable, ReliefsTable, ScoresTable, Source } from './tables.js'

/**
 * The borrower's key in every table of the read model: an enterprise by its USCC, a natural person
 * by core banking's pseudonym (relief calls them `person`, core banking's loan events `individual`).
 */
export function borrowerKeyOf(b: { kind: 'enterprise'; uscc: string } | { kind: 'person' | 'individual'; borrowerId: string }): string {
  return b.kind === 'enterprise' ? `uscc:${b.uscc}` : `person:${b.borrowerId}`
}

/** What an applied event may have changed: one borrower's protections, or one loan. */
export type Touched = { readonly borrowerKey: string } | { readonly loanId: string }

/**
 * An event the read model has applied, as it is announced on the schema's channel at commit: each
 * instance drops what it holds of the borrower or loan and learns the source's new mark.
 */
export interface ReadModelChange {
  readonly source: Source
  readonly eventAt: string
  readonly touched: Touched
}

/** The channel the read model's changes are announced on. */
export function readModelChannel(schema: string): string {
  return `${schema}_read_model`
}

/**
 * Records that the read model has applied an event of `source` (its own time), for verdicts' as-of,
 * and announces what it touched on `channel` in the same statement: the notification is sent at
 * commit, and only if the transaction commits.
 */
export async function markSource(tx: GuardTx, channel: string, source: Source, event: { readonly at: Date; readonly id: string; readonly touched: Touched }, now: Date): Promise<void> {
  const change: ReadModelChange = { source, eventAt: event.at.toISOString(), touched: event.touched }
  await tx
    .insertInto('source_marks')
    .values({ source, last_event_at: event.at, last_event_id: event.id, applied_at: now })
    .onConflict((oc) =>
      oc.column('source').doUpdateSet({
        // The latest event seen by the source's clock; when it was applied moves on with every event.
        last_event_at: sql`greatest(${sql.ref('source_marks.last_event_at')}, ${sql.ref('excluded.last_event_at')})`,
        last_event_id: sql`case when ${sql.ref('excluded.last_event_at')} >= ${sql.ref('source_marks.last_event_at')} then ${sql.ref('excluded.last_event_id')} else ${sql.ref('source_marks.last_event_id')} end`,
        applied_at: (eb) => eb.ref('excluded.applied_at'),
      }),
    )
    .returning(sql<string>`pg_notify(${channel}, ${JSON.stringify(change)})`.as('notified'))
    .execute()
}

/** The last day of a decision's granted terms: the latest deferred-to date, or the new maturity. */
function termsEndOf(d: ReliefDecidedV2Data): string | null {
  const t = d.terms
  if (t === null) return null
  if (t.kind !== 'deferral') return t.newMaturity
  const ends = [t.principal?.deferredTo, t.interest?.deferredTo].filter((x): x is string => typeof x === 'string')
  return ends.length > 0 ? ends.sort().at(-1)! : d.request.kind === 'deferral' ? d.request.deferTo : null
}

/**
 * Keeps the latest final decision of each relief application: a higher revision replaces the one
 * held; a redelivered or older revision changes nothing. Returns whether it was applied.
 */
export async function applyReliefDecision(tx: GuardTx, d: ReliefDecidedV2Data): Promise<boolean> {
  const row = await tx
    .insertInto('reliefs')
    .values({
      application_id: d.applicationId,
      revision: d.revision,
      borrower_key: borrowerKeyOf(d.borrower),
      loan_id: d.loanId,
      relief: d.relief,
      outcome: d.outcome,
      decided_on: todayIn(new Date(d.decidedAt)),
      terms_end: termsEndOf(d),
      event_at: new Date(d.decidedAt),
    })
    .onConflict((oc) =>
      oc
        .column('application_id')
        .doUpdateSet((eb) => ({
          revision: eb.ref('excluded.revision'),
          outcome: eb.ref('excluded.outcome'),
          relief: eb.ref('excluded.relief'),
          decided_on: eb.ref('excluded.decided_on'),
          terms_end: eb.ref('excluded.terms_end'),
          event_at: eb.ref('excluded.event_at'),
        }))
        .where('reliefs.revision', '<', (eb) => eb.ref('excluded.revision')),
    )
    .returning('application_id')
    .executeTakeFirst()
  return row !== undefined
}

/** Keeps the latest score of an enterprise: a later as-of day (or another score of the same day) replaces it. */
export async function applyScore(tx: GuardTx, s: Static<(typeof ScoreCompleted)['schema']>, eventAt: Date): Promise<boolean> {
  const row = await tx
    .insertInto('scores')
    .values({ borrower_key: `uscc:${s.uscc}`, score_id: s.scoreId, as_of: s.asOf, grade: s.grade, hardship: s.hardship?.classification ?? null, event_at: eventAt })
    .onConflict((oc) =>
      oc
        .column('borrower_key')
        .doUpdateSet((eb) => ({
          score_id: eb.ref('excluded.score_id'),
          as_of: eb.ref('excluded.as_of'),
          grade: eb.ref('excluded.grade'),
          hardship: eb.ref('excluded.hardship'),
          event_at: eb.ref('excluded.event_at'),
        }))
        .where((eb) => eb.or([eb('scores.as_of', '<', eb.ref('excluded.as_of')), eb.and([eb('scores.as_of', '=', eb.ref('excluded.as_of')), eb('scores.event_at', '<', eb.ref('excluded.event_at'))])])),
    )
    .returning('borrower_key')
    .executeTakeFirst()
  return row !== undefined
}

/**
 * Keeps a firm's entry on a key-enterprise list: the entry of a list and listing day recorded last
 * (by pricing's `recordedAt`) holds; an older one arriving late changes nothing.
 */
export async function applyKeyListEntry(tx: GuardTx, e: KeyListEntryData): Promise<boolean> {
  const row = await tx
    .insertInto('key_lists')
    .values({ borrower_key: `uscc:${e.uscc}`, list: e.list, listed_on: e.listedOn, delisted_on: e.delistedOn, event_at: new Date(e.recordedAt) })
    .onConflict((oc) =>
      oc
        .columns(['borrower_key', 'list', 'listed_on'])
        .doUpdateSet((eb) => ({ delisted_on: eb.ref('excluded.delisted_on'), event_at: eb.ref('excluded.event_at') }))
        .where('key_lists.event_at', '<=', (eb) => eb.ref('excluded.event_at')),
    )
    .returning('borrower_key')
    .executeTakeFirst()
  return row !== undefined
}

/**
 * Applies one event of core banking's loan stream: its position replaces the one held only when its
 * sequence is higher (a replayed journal may deliver older events after newer ones); the borrower
 * and branch come from the booking whenever it arrives, late or not.
 */
export async function applyLoanEvent(tx: GuardTx, data: LoanEventCommon, booking: LoanBookedData | null): Promise<'applied' | 'stale'> {
  const p = data.position
  const moved = await tx
    .insertInto('loans')
    .values({
      loan_id: data.loanId,
      sequence: BigInt(data.sequence),
      borrower_key: booking === null ? null : borrowerKeyOf(booking.borrower),
      branch_id: booking === null ? null : booking.branchId,
      days_past_due: p.daysPastDue,
      classification: p.classification,
      status: p.status,
      as_of: new Date(data.asOf),
    })
    .onConflict((oc) =>
      oc
        .column('loan_id')
        .doUpdateSet((eb) => ({
          sequence: eb.ref('excluded.sequence'),
          borrower_key: sql`coalesce(${sql.ref('excluded.borrower_key')}, ${sql.ref('loans.borrower_key')})`,
          branch_id: sql`coalesce(${sql.ref('excluded.branch_id')}, ${sql.ref('loans.branch_id')})`,
          days_past_due: eb.ref('excluded.days_past_due'),
          classification: eb.ref('excluded.classification'),
          status: eb.ref('excluded.status'),
          as_of: eb.ref('excluded.as_of'),
        }))
        .where('loans.sequence', '<', (eb) => eb.ref('excluded.sequence')),
    )
    .returning('loan_id')
    .executeTakeFirst()
  if (moved) return 'applied'
  if (booking !== null) {
    // An older event, but a late booking still brings who borrows and where.
    const gained = await tx
      .updateTable('loans')
      .set({ borrower_key: borrowerKeyOf(booking.borrower), branch_id: booking.branchId })
      .where('loan_id', '=', data.loanId)
      .where('borrower_key', 'is', null)
      .executeTakeFirst()
    if (gained.numUpdatedRows > 0n) return 'applied'
  }
  return 'stale'
}

/** What the read model had seen of each source: the time of its latest event, or null. */
export type AsOf = Record<Source, string | null>

/** The read model's record of a borrower and one loan, with the as-of of every source. */
export interface ReadModelView {
  readonly record: BorrowerRecord
  /** Who core banking says borrows the loan and where it is booked (null until its booking arrives). */
  readonly loanBorrowerKey: string | null
  readonly asOf: AsOf
}

/** The read model of a borrower and a loan as one statement answers it (JSON of the rows). */
export interface RawRecord {
  reliefs: ReliefsTable[] | null
  score: ScoresTable | null
  key_lists: KeyListsTable[] | null
  loan: LoansTable | null
  marks: Partial<Record<Source, string>> | null
}

/** The keys of the records a read asks for, one pair a record: `borrowerKeys[i]` with `loanIds[i]`. */
export interface RecordKeys {
  readonly borrowerKeys: readonly string[]
  readonly loanIds: readonly string[]
}

/** The read of checks, compiled once per schema (see reusableStatement): the check is core banking's hot path. */
export type ReadModelStatement = ReusableStatement<RecordKeys, RawRecord & { ord: string }>

/**
 * Everything the guard knows of borrowers and their loans, any number of them in one statement (one
 * round trip, one snapshot): for each pair of keys, the relief decisions, the score, the list entries
 * and the loan, with the sources' marks; `ord` is the pair's place (from 1) in the keys.
 */
export function readModelStatement(schema: string): ReadModelStatement {
  return reusableStatement<RecordKeys, RawRecord & { ord: string }>(schema, (db: GuardDb, v) =>
    db
      .with('k', () => sql<{ borrower_key: string; loan_id: string; ord: string }>`(select * from unnest(${v.borrowerKeys}::text[], ${v.loanIds}::text[]) with ordinality as k(borrower_key, loan_id, ord))`)
      .selectFrom('k')
      .select((eb) => [
        'k.ord',
        eb.selectFrom('reliefs as r').select(sql<ReliefsTable[]>`json_agg(r)`.as('x')).whereRef('r.borrower_key', '=', 'k.borrower_key').as('reliefs'),
        eb.selectFrom('scores as s').select(sql<ScoresTable>`row_to_json(s)`.as('x')).whereRef('s.borrower_key', '=', 'k.borrower_key').as('score'),
        eb.selectFrom('key_lists as kl').select(sql<KeyListsTable[]>`json_agg(kl)`.as('x')).whereRef('kl.borrower_key', '=', 'k.borrower_key').as('key_lists'),
        eb.selectFrom('loans as l').select(sql<LoansTable>`row_to_json(l)`.as('x')).whereRef('l.loan_id', '=', 'k.loan_id').as('loan'),
        eb.selectFrom('source_marks as m').select(sql<Record<Source, string>>`json_object_agg(m.source, m.last_event_at)`.as('x')).as('marks'),
      ]),
  )
}

/** Each source's latest event as the read model has applied it (PostgreSQL's text of timestamptz). */
export async function latestMarks(db: GuardDb | GuardTx): Promise<Partial<Record<Source, string>>> {
  const rows = await db.selectFrom('source_marks').select(['source', sql<string>`last_event_at::text`.as('at')]).execute()
  return Object.fromEntries(rows.map((r) => [r.source, r.at]))
}

/** The rows of the read model (as JSON) as the rules take them: a single check's and each line of a sweep's. */
export function recordOf(raw: RawRecord, asOf: AsOf): ReadModelView {
  const reliefs: ReliefOnRecord[] = (raw.reliefs ?? []).map((r) => ({
    applicationId: r.application_id,
    revision: r.revision,
    loanId: r.loan_id,
    relief: r.relief,
    outcome: r.outcome,
    decidedOn: parseDate(r.decided_on),
    termsEnd: r.terms_end === null ? null : parseDate(r.terms_end),
  }))
  const s = raw.score
  const score: ScoreOnRecord | null = s === null ? null : { scoreId: s.score_id, asOf: parseDate(s.as_of), grade: s.grade, hardship: s.hardship }
  const keyLists: KeyListOnRecord[] = (raw.key_lists ?? []).map((k) => ({ list: k.list, listedOn: parseDate(k.listed_on), delistedOn: k.delisted_on === null ? null : parseDate(k.delisted_on) }))
  const l = raw.loan
  const loan: LoanOnRecord | null = l === null ? null : { loanId: l.loan_id, branchId: l.branch_id, daysPastDue: l.days_past_due, classification: l.classification, status: l.status }
  return { record: { reliefs, score, keyLists, loan }, loanBorrowerKey: l?.borrower_key ?? null, asOf }
}

