import { sql, type Selectable } from 'kysely'
import { isCalendarDate, type CalendarDate, type ValidationIssue } from '@sme/domain'
import type { ClaimsDb, ClaimsTx, DatedVersionsTable } from './tables.js'

export type DatedKind = DatedVersionsTable['kind']

/**
 * Reads a record's wire dates as the domain's: the shape checked their form, this their existence
 * (2021-02-30 has the form); a day the calendar lacks is recorded as an issue naming its path.
 */
export function wireDates(issues: ValidationIssue[]): (text: string, path: string) => CalendarDate {
  return (text, path) => {
    if (!isCalendarDate(text)) issues.push({ path, message: 'is not a date of the calendar' })
    return text as CalendarDate
  }
}
export type DatedVersionRow = Selectable<DatedVersionsTable>

/** Serializes the versions of one kind an admin adds or activates (one writer at a time, by transaction). */
export async function lockDatedVersions(tx: ClaimsTx, kind: DatedKind): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`claims-dated-versions:${kind}`}))`.execute(tx)
}

export async function datedRows(db: ClaimsDb | ClaimsTx, kind: DatedKind, where: { recordId?: string; scopeId?: string; activeOnly?: boolean } = {}): Promise<DatedVersionRow[]> {
  let q = db.selectFrom('dated_versions').selectAll().where('kind', '=', kind).orderBy('record_id').orderBy('version')
  if (where.recordId !== undefined) q = q.where('record_id', '=', where.recordId)
  if (where.scopeId !== undefined) q = q.where('scope_id', '=', where.scopeId)
  if (where.activeOnly) q = q.where('status', '=', 'active')
  return q.execute()
}

/** Stores a version; false when that id and version exist already (it is never overwritten). */
export async function insertDatedVersion(
  db: ClaimsDb | ClaimsTx,
  kind: DatedKind,
  record: { readonly id: string; readonly version: number },
  scopeId: string | null,
  by: string,
  status: 'draft' | 'active',
  at: Date,
): Promise<boolean> {
  const result = await db
    .insertInto('dated_versions')
    .values({
      kind,
      record_id: record.id,
      version: record.version,
      scope_id: scopeId,
      status,
      definition: JSON.stringify(record),
      created_by: by,
      created_at: at,
      activated_by: status === 'active' ? by : null,
      activated_at: status === 'active' ? at : null,
    })
    .onConflict((oc) => oc.columns(['kind', 'record_id', 'version']).doNothing())
    .executeTakeFirst()
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n
}

export async function markDatedActive(tx: ClaimsTx, kind: DatedKind, recordId: string, version: number, by: string, at: Date): Promise<DatedVersionRow> {
  return tx
    .updateTable('dated_versions')
    .set({ status: 'active', activated_by: by, activated_at: at })
    .where('kind', '=', kind)
    .where('record_id', '=', recordId)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/**
 * The versions of one kind that claims are judged under, read from the database. An active version
 * never changes, so each is parsed once and kept; which versions are active is asked of the
 * database every time, so an activation on any instance governs the next claim everywhere.
 */
export class DatedBook<T extends { readonly id: string; readonly version: number }> {
  readonly #active = new Map<string, T>()

  constructor(
    private readonly kind: DatedKind,
    /** A stored definition in the domain's terms (it was judged whole when added). */
    private readonly parse: (definition: unknown) => T,
    /** The version governing a day among the active ones, or null. */
    private readonly governing: (versions: readonly T[], id: string, day: CalendarDate) => T | null,
  ) {}

  #keep(row: DatedVersionRow): T {
    const key = `${row.record_id}@${row.version}`
    let record = this.#active.get(key)
    if (record === undefined) {
      record = this.parse(row.definition)
      this.#active.set(key, record)
    }
    return record
  }

  /** The active version of `id` governing `day` (a guarantee day, an issue day), or null when none does. */
  async inForce(db: ClaimsDb | ClaimsTx, id: string, day: CalendarDate): Promise<T | null> {
    const rows = await datedRows(db, this.kind, { recordId: id, activeOnly: true })
    return this.governing(
      rows.map((r) => this.#keep(r)),
      id,
      day,
    )
  }

  /** Every active version, in one read (for reports that judge many records at once). */
  async active(db: ClaimsDb | ClaimsTx): Promise<T[]> {
    return (await datedRows(db, this.kind, { activeOnly: true })).map((r) => this.#keep(r))
  }

  /** The version a claim was opened under (pinned then): active, so kept after the first read. */
  async pinned(db: ClaimsDb | ClaimsTx, id: string, version: number): Promise<T> {
    const kept = this.#active.get(`${id}@${version}`)
    if (kept !== undefined) return kept
    const row = await db.selectFrom('dated_versions').selectAll().where('kind', '=', this.kind).where('record_id', '=', id).where('version', '=', version).where('status', '=', 'active').executeTakeFirst()
    if (row === undefined) throw new Error(`the ${this.kind} version a claim was opened under is not stored`)
    return this.#keep(row)
  }
}
