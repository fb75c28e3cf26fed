import Type from 'typebox'
import { Batcher, type BatcherOptions, type Database } from '@sme/data'
import { createStrictAjv } from '@sme/kit'
import { recordOf, latestMarks, type AsOf, type RawRecord, type ReadModelChange, type ReadModelStatement, type ReadModelView, type Touched } from './read-model.js'
import type { GuardDb, Source } from './tables.js'

const SOURCES: readonly Source[] = ['relief', 'scoring', 'loans', 'keyLists']

/** Each source's latest event time in ms (-Infinity: none seen). */
type Marks = Record<Source, number>

const NONE: Marks = { relief: -Infinity, scoring: -Infinity, loans: -Infinity, keyLists: -Infinity }

interface Held<T> {
  readonly value: T
  /** The marks of the snapshot it was read in. */
  readonly marks: Marks
}

/**
 * How the checks' reads and writes are taken together: at most 64 in a statement, two statements at
 * once, each carrying what waited for it, so the statements and commits per check fall as the load
 * grows. Measured against one and four at once (npm run bench -- --only insert,check): two gave the
 * most checks a second and the lowest p99 on a 2-core machine.
 */
export const STATEMENT_BATCHES: BatcherOptions = { maxBatch: 64, maxInFlight: 2 }

type BorrowerPart = Pick<RawRecord, 'reliefs' | 'score' | 'key_lists'>

export interface ReadModelCacheOptions {
  /** Borrowers, and loans, held at most (each; the least recently judged go first). */
  readonly capacity: number
  /** Reads of records not held, taken together (default {@link STATEMENT_BATCHES}). */
  readonly reads?: BatcherOptions
  /** Told when the cache stops or resumes serving (the listening session lost, or back). */
  readonly onState?: (serving: boolean, why: string) => void
}

export interface ReadModelCacheStats {
  readonly hits: number
  readonly misses: number
  readonly borrowers: number
  readonly loans: number
  readonly serving: boolean
  /** Statements that read records not held, and records they read (the most in one). */
  readonly reads: { readonly batches: number; readonly items: number; readonly largest: number }
}

/**
 * The read model as this instance last read it, so that a check on a borrower it has judged before
 * needs no read: the check's one round trip is then the statement storing its verdict.
 *
 * Kept true by the changes the read model's writers announce at commit (see `markSource`): each drops
 * the borrower or loan it touched and raises its source's mark. An entry is only stored when no change
 * was heard while it was being read, so a read that raced a change is used once and not kept. While the
 * listening session is lost nothing is served from memory (every check reads, as before), and when it
 * is back the cache starts empty: changes sent in between were lost with the session.
 *
 * A verdict's as-of stays exact: an entry read in a snapshot is valid up to that snapshot's marks and,
 * untouched since, up to every change heard since; the view claims the later of the two, per source.
 *
 * Records not held are read together when checks miss together (see Batcher): one statement reads the
 * records of every check that waited for it, in one snapshot.
 */
export class ReadModelCache {
  readonly #db: GuardDb
  readonly #options: ReadModelCacheOptions
  readonly #reads: Batcher<{ readonly borrowerKey: string; readonly loanId: string }, RawRecord>
  readonly #borrowers = new Map<string, Held<BorrowerPart>>()
  readonly #loans = new Map<string, Held<RawRecord['loan']>>()
  /** The marks of every change heard since listening began (or of the snapshot read then). */
  #heard: Marks = { ...NONE }
  /** Bumped by every change and reset: a read that began under another generation is not kept. */
  #generation = 0
  #serving = false
  #connected = false
  #resuming: Promise<void> | undefined
  #unlisten: (() => Promise<void>) | undefined
  #hits = 0
  #misses = 0

  constructor(db: GuardDb, statement: ReadModelStatement, options: ReadModelCacheOptions) {
    this.#db = db
    this.#options = options
    this.#reads = new Batcher(async (keys) => {
      const { rows } = await statement.execute(db, { borrowerKeys: keys.map((k) => k.borrowerKey), loanIds: keys.map((k) => k.loanId) })
      const byPlace = new Map(rows.map((r) => [Number(r.ord), r]))
      return keys.map((_, i) => {
        const raw = byPlace.get(i + 1)
        if (raw === undefined) throw new Error(`the read model's read answered no record for key ${i + 1} of ${keys.length}`)
        return raw
      })
    }, options.reads ?? STATEMENT_BATCHES)
  }

  /** Listens on `channel` and reads the marks; until then, and if listening fails, every view is read. */
  async start(database: Database, channel: string): Promise<void> {
    this.#unlisten = await database.listen(
      channel,
      (payload) => (payload === undefined ? this.#reset('the listening session was reopened') : this.#heardChange(payload)),
      (listening) => {
        this.#connected = listening
        if (!listening) this.#reset('the listening session was lost')
      },
    )
    this.#connected = true
    await this.#resume()
  }

  async stop(): Promise<void> {
    const unlisten = this.#unlisten
    this.#unlisten = undefined
    this.#connected = false
    this.#reset('stopped')
    await unlisten?.()
  }

  /**
   * This instance is about to apply a change (its consumer, inside the transaction): drop what it
   * touches now, so that what was held before is not served after the commit. A check that reads the
   * record while the transaction is still open may keep the old one; the announcement, delivered at
   * commit, drops that too.
   */
  changing(touched: Touched): void {
    this.#generation++
    this.#drop(touched)
  }

  /** The borrower's and the loan's record, from memory when both are held, else read (and kept). */
  async view(borrowerKey: string, loanId: string): Promise<ReadModelView> {
    if (this.#serving) {
      const borrower = this.#borrowers.get(borrowerKey)
      const loan = this.#loans.get(loanId)
      if (borrower !== undefined && loan !== undefined) {
        this.#hits++
        this.#touch(this.#borrowers, borrowerKey, borrower)
        this.#touch(this.#loans, loanId, loan)
        return recordOf({ ...borrower.value, loan: loan.value, marks: null }, this.#asOf(borrower.marks, loan.marks))
      }
    } else if (this.#connected && this.#resuming === undefined) {
      void this.#resume().catch(() => {})
    }
    this.#misses++
    const generation = this.#generation
    const raw = await this.#reads.submit({ borrowerKey, loanId })
    const marks = marksOf(raw.marks)
    if (this.#serving && generation === this.#generation) {
      this.#keep(this.#borrowers, borrowerKey, { value: { reliefs: raw.reliefs, score: raw.score, key_lists: raw.key_lists }, marks })
      this.#keep(this.#loans, loanId, { value: raw.loan, marks })
    }
    return recordOf(raw, asOfOf(marks))
  }

  stats(): ReadModelCacheStats {
    return { hits: this.#hits, misses: this.#misses, borrowers: this.#borrowers.size, loans: this.#loans.size, serving: this.#serving, reads: this.#reads.stats() }
  }

  #heardChange(payload: string): void {
    const change = changeOf(payload)
    if (change === null) return this.#reset('an announcement could not be read')
    this.#generation++
    this.#drop(change.touched)
    const at = Date.parse(change.eventAt)
    if (at > this.#heard[change.source]) this.#heard[change.source] = at
  }

  #drop(touched: Touched): void {
    if ('borrowerKey' in touched) this.#borrowers.delete(touched.borrowerKey)
    else this.#loans.delete(touched.loanId)
  }

  #reset(why: string): void {
    this.#generation++
    this.#borrowers.clear()
    this.#loans.clear()
    if (this.#serving) this.#options.onState?.(false, why)
    this.#serving = false
  }

  /** Reads the marks as they stand once listening, then serves: every later change will be heard. */
  #resume(): Promise<void> {
    const resuming = (async () => {
      const generation = ++this.#generation
      const read = marksOf(await latestMarks(this.#db))
      if (generation !== this.#generation || !this.#connected) return
      for (const s of SOURCES) if (read[s] > this.#heard[s]) this.#heard[s] = read[s]
      this.#generation++
      this.#serving = true
      this.#options.onState?.(true, 'listening for the read model’s changes')
    })().finally(() => {
      this.#resuming = undefined
    })
    this.#resuming = resuming
    return resuming
  }

  #asOf(a: Marks, b: Marks): AsOf {
    const at = (s: Source) => Math.min(Math.max(a[s], this.#heard[s]), Math.max(b[s], this.#heard[s]))
    return asOfOf({ relief: at('relief'), scoring: at('scoring'), loans: at('loans'), keyLists: at('keyLists') })
  }

  #touch<T>(map: Map<string, Held<T>>, key: string, held: Held<T>): void {
    map.delete(key)
    map.set(key, held)
  }

  #keep<T>(map: Map<string, Held<T>>, key: string, held: Held<T>): void {
    this.#touch(map, key, held)
    if (map.size > this.#options.capacity) map.delete(map.keys().next().value!)
  }
}

function marksOf(raw: RawRecord['marks']): Marks {
  const marks = { ...NONE }
  for (const s of SOURCES) {
    const text = raw?.[s]
    if (text !== undefined) marks[s] = new Date(text).getTime()
  }
  return marks
}

function asOfOf(marks: Marks): AsOf {
  const iso = (ms: number) => (ms === -Infinity ? null : new Date(ms).toISOString())
  return { relief: iso(marks.relief), scoring: iso(marks.scoring), loans: iso(marks.loans), keyLists: iso(marks.keyLists) }
}

const Announcement = Type.Object({
  source: Type.Union(SOURCES.map((s) => Type.Literal(s))),
  eventAt: Type.String({ format: 'date-time' }),
  touched: Type.Union([Type.Object({ borrowerKey: Type.String() }, { additionalProperties: false }), Type.Object({ loanId: Type.String() }, { additionalProperties: false })]),
})
const isAnnouncement = createStrictAjv().compile<ReadModelChange>(Announcement)

/** An announcement as `markSource` sends it, or null when it is not one. */
function changeOf(payload: string): ReadModelChange | null {
  let parsed: unknown
  try {
    parsed = JSON.parse(payload)
  } catch {
    return null
  }
  return isAnnouncement(parsed) ? parsed : null
}
