import { sql, type Selectable } from 'kysely'
import { parseDate, type CalendarDate, type LprEntry, type LprTable } from '@sme/domain'
import type { BridgeFund, PricingProgramme, PricingRecord, RateCard } from '../domain/index.js'
import type { QuoteStatements } from './quotes.js'
import type { PricingDb, PricingTx, RecordsTable } from './tables.js'

type Db = PricingDb | PricingTx

export async function lprTable(db: Db): Promise<LprTable> {
  const rows = await db.selectFrom('lpr_publications').select(['effective_date', 'one_year_bp', 'five_year_bp']).orderBy('effective_date').execute()
  return rows.map((r) => ({ effectiveDate: parseDate(r.effective_date), oneYearBp: r.one_year_bp, fiveYearBp: r.five_year_bp }))
}

export async function lprOn(db: Db, effectiveDate: CalendarDate): Promise<LprEntry | undefined> {
  const row = await db.selectFrom('lpr_publications').select(['effective_date', 'one_year_bp', 'five_year_bp']).where('effective_date', '=', effectiveDate).executeTakeFirst()
  return row && { effectiveDate: parseDate(row.effective_date), oneYearBp: row.one_year_bp, fiveYearBp: row.five_year_bp }
}

/** Writes a publication (new or corrected) and its trace, in the caller's transaction. */
export async function writeLpr(tx: PricingTx, entry: LprEntry, before: LprEntry | undefined, by: string, reason: string | null): Promise<void> {
  const values = { one_year_bp: entry.oneYearBp, five_year_bp: entry.fiveYearBp, recorded_by: by }
  await tx
    .insertInto('lpr_publications')
    .values({ effective_date: entry.effectiveDate, ...values })
    .onConflict((oc) => oc.column('effective_date').doUpdateSet({ ...values, recorded_at: sql`now()` }))
    .execute()
  await tx
    .insertInto('lpr_changes')
    .values({
      effective_date: entry.effectiveDate,
      action: before === undefined ? 'published' : 'corrected',
      before: before === undefined ? null : JSON.stringify(before),
      after: JSON.stringify(entry),
      reason,
      changed_by: by,
    })
    .execute()
}

export async function lprChanges(db: Db, effectiveDate: CalendarDate) {
  return db.selectFrom('lpr_changes').selectAll().where('effective_date', '=', effectiveDate).orderBy('id').execute()
}

/** The active versions of the rate cards, programmes and bridge funds: what quotes are priced with. */
export async function pricingRecords(db: Db): Promise<{ cards: RateCard[]; programmes: PricingProgramme[]; bridgeFunds: BridgeFund[] }> {
  const rows = await db.selectFrom('records').select(['kind', 'definition']).where('status', '=', 'active').orderBy('id').orderBy('version').execute()
  return byKind(rows.map((r) => r.definition as PricingRecord))
}

/** Records sorted into cards, programmes and bridge funds. */
export function byKind(records: readonly PricingRecord[]): { cards: RateCard[]; programmes: PricingProgramme[]; bridgeFunds: BridgeFund[] } {
  const cards: RateCard[] = []
  const programmes: PricingProgramme[] = []
  const bridgeFunds: BridgeFund[] = []
  for (const r of records) {
    if (r.kind === 'rate-card') cards.push(r)
    else if (r.kind === 'bridge-fund') bridgeFunds.push(r)
    else programmes.push(r)
  }
  return { cards, programmes, bridgeFunds }
}

export type RecordRow = Selectable<RecordsTable>

/** Every version of every record (or those of one status), by id and version. */
export async function recordRows(db: Db, status?: 'draft' | 'active'): Promise<RecordRow[]> {
  let q = db.selectFrom('records').selectAll().orderBy('id').orderBy('version')
  if (status !== undefined) q = q.where('status', '=', status)
  return q.execute()
}

/** The versions named, whatever their status. */
export async function recordRowsByRefs(db: Db, refs: readonly { id: string; version: number }[]): Promise<RecordRow[]> {
  if (refs.length === 0) return []
  return db
    .selectFrom('records')
    .selectAll()
    .where((eb) => eb.or(refs.map((r) => eb.and([eb('id', '=', r.id), eb('version', '=', r.version)]))))
    .execute()
}

/** Serialises changes to the records (two admins adding or activating at once). */
export async function lockRecords(tx: PricingTx): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('pricing-records'))`.execute(tx)
}

/** Inserts a record version (`active` for the bundled ones, `draft` for an admin's); false when that id and version exist already. */
export async function insertRecord(tx: PricingTx, record: PricingRecord, by: string, status: 'draft' | 'active' = 'active'): Promise<boolean> {
  const result = await tx
    .insertInto('records')
    .values({ id: record.id, version: record.version, kind: record.kind, definition: JSON.stringify(record), created_by: by, status })
    .onConflict((oc) => oc.columns(['id', 'version']).doNothing())
    .executeTakeFirst()
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n
}

/** Makes a draft version active, recording who and when. */
export async function markRecordActive(tx: PricingTx, id: string, version: number, by: string, at: Date): Promise<RecordRow> {
  return tx.updateTable('records').set({ status: 'active', activated_by: by, activated_at: at }).where('id', '=', id).where('version', '=', version).returningAll().executeTakeFirstOrThrow()
}

export async function recordKeyListEntry(tx: PricingTx, entry: { uscc: string; list: 'national' | 'local'; listedOn: CalendarDate; delistedOn: CalendarDate | null }, by: string): Promise<void> {
  await tx
    .insertInto('key_list_entries')
    .values({ uscc: entry.uscc, list: entry.list, listed_on: entry.listedOn, delisted_on: entry.delistedOn, recorded_by: by })
    .onConflict((oc) => oc.columns(['uscc', 'list', 'listed_on']).doUpdateSet({ delisted_on: entry.delistedOn, recorded_by: by }))
    .execute()
}

/** What a quote is priced from: the reference data, and the key list the firm is on that day. */
export interface PricingInputs {
  readonly sources: { lpr: LprTable; cards: RateCard[]; programmes: PricingProgramme[]; bridgeFunds: BridgeFund[] }
  readonly keyList: { list: 'national' | 'local'; listedOn: CalendarDate } | null
}

/**
 * The LPR series, cards and programmes as pricing reads them, parsed once per change: the one query
 * a quote makes before its insert asks for the firm's key list and whether anything was recorded
 * since (a count and the latest write of each table), so an admin's correction prices the next
 * quote of every instance.
 */
export class SourcesCache {
  #stamp = ''
  #sources: PricingInputs['sources'] | undefined

  constructor(private readonly statements: QuoteStatements) {}

  async get(db: Db, firm: { uscc: string; on: CalendarDate } | null = null): Promise<PricingInputs> {
    const { rows } = await this.statements.inputs.execute(db, { uscc: firm?.uscc ?? '', on: firm?.on ?? '0001-01-01' })
    const row = rows[0]!
    const stamp = `${row.lpr}|${row.records}`
    if (this.#sources === undefined || stamp !== this.#stamp) {
      const [lpr, records] = await Promise.all([lprTable(db), pricingRecords(db)])
      this.#sources = { lpr, ...records }
      this.#stamp = stamp
    }
    const [list, listedOn] = row.key_list === null ? [] : row.key_list.split('|')
    return { sources: this.#sources, keyList: list === undefined ? null : { list: list as 'national' | 'local', listedOn: parseDate(listedOn!) } }
  }
}
