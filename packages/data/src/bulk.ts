import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import copyStreams from 'pg-copy-streams'
import type { PGlite, Transaction as PgliteTransaction } from '@electric-sql/pglite'
import { copyLine, linesOf, fieldsOfCopyLine } from './copy-text.js'
import { quoteIdentifier } from './identifiers.js'

/** A statement as Kysely compiles it (`query.compile()`), or plain SQL without parameters. */
export type Statement = { readonly sql: string; readonly parameters: readonly unknown[] } | string

/** A row of COPY: its fields as text (null is SQL NULL), in the order of the columns named. */
export type CopyRow = readonly (string | null)[]

/**
 * One transaction on one connection for bulk work, where one statement per row would cost more
 * than the work: rows go in and out with COPY (text format), and other statements run in the same
 * transaction. Everything runs in the order called; a COPY out is read to its end before the next
 * statement.
 */
export interface BulkSession {
  query<R = Record<string, unknown>>(statement: Statement): Promise<R[]>
  /** COPY `rows` into `table` (schema-qualified, quoted as needed) `columns`; answers the rows copied. */
  copyIn(table: string, columns: readonly string[], rows: AsyncIterable<CopyRow> | Iterable<CopyRow>): Promise<number>
  /** COPY the rows a SELECT answers out, as text fields, in its order. */
  copyOut(select: string): AsyncIterable<(string | null)[]>
}

export interface BulkOptions {
  /** `repeatable read` reads one snapshot throughout (a sweep judged on one state of a read model). */
  isolation?: 'read committed' | 'repeatable read'
  /** The session's statement timeout, which bulk work may need longer than a request's. Default 10 min. */
  statementTimeoutMs?: number
}

function beginOf(options: BulkOptions): string {
  return `begin isolation level ${options.isolation === 'repeatable read' ? 'repeatable read' : 'read committed'}`
}

function textOf(statement: Statement): { text: string; values: unknown[] } {
  return typeof statement === 'string' ? { text: statement, values: [] } : { text: statement.sql, values: [...statement.parameters] }
}

/** COPY rows are written in chunks of about this many characters: one write per row would cost more than the row. */
const CHUNK_CHARS = 64 * 1024

async function* chunksOf(rows: AsyncIterable<CopyRow> | Iterable<CopyRow>, counted: { rows: number }): AsyncGenerator<string> {
  let chunk = ''
  for await (const row of rows) {
    chunk += copyLine(row)
    counted.rows++
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk
      chunk = ''
    }
  }
  if (chunk.length > 0) yield chunk
}

function columnList(columns: readonly string[]): string {
  return columns.map(quoteIdentifier).join(', ')
}

/** Bulk work on a PostgreSQL pool: a client of its own, COPY through pg-copy-streams. */
export async function bulkOnPool<T>(pool: pg.Pool, work: (session: BulkSession) => Promise<T>, options: BulkOptions): Promise<T> {
  const client = await pool.connect()
  let broken: unknown
  try {
    await client.query(beginOf(options))
    await client.query(`set local statement_timeout = ${Math.max(0, Math.trunc(options.statementTimeoutMs ?? 600_000))}`)
    const session: BulkSession = {
      async query<R>(statement: Statement) {
        const { text, values } = textOf(statement)
        return (await client.query(text, values)).rows as R[]
      },
      async copyIn(table, columns, rows) {
        const counted = { rows: 0 }
        const target = client.query(copyStreams.from(`copy ${table} (${columnList(columns)}) from stdin`))
        await pipeline(Readable.from(chunksOf(rows, counted)), target as unknown as Writable)
        return counted.rows
      },
      async *copyOut(select) {
        const source = client.query(copyStreams.to(`copy (${select}) to stdout`))
        for await (const line of linesOf(source as unknown as AsyncIterable<Buffer>)) yield fieldsOfCopyLine(line)
      },
    }
    const result = await work(session)
    await client.query('commit')
    return result
  } catch (error) {
    broken = error
    await client.query('rollback').catch(() => {})
    throw error
  } finally {
    // A client that failed mid-COPY may be out of step with its server: the pool drops it.
    client.release(broken instanceof Error && !('code' in broken) ? broken : undefined)
  }
}

/**
 * Bulk work on PGlite (the embedded mode): COPY through its in-memory blob device. Rows in are
 * gathered before they are copied and rows out are read whole: an embedded database holds little.
 */
export async function bulkOnPglite<T>(pglite: PGlite, work: (session: BulkSession) => Promise<T>, options: BulkOptions): Promise<T> {
  return pglite.transaction(async (tx: PgliteTransaction) => {
    if (options.isolation === 'repeatable read') await tx.exec('set transaction isolation level repeatable read')
    const session: BulkSession = {
      async query<R>(statement: Statement) {
        const { text, values } = textOf(statement)
        return (await tx.query<R>(text, values)).rows
      },
      async copyIn(table, columns, rows) {
        const counted = { rows: 0 }
        const parts: string[] = []
        for await (const chunk of chunksOf(rows, counted)) parts.push(chunk)
        await tx.query(`copy ${table} (${columnList(columns)}) from '/dev/blob'`, [], { blob: new Blob(parts) })
        return counted.rows
      },
      async *copyOut(select) {
        const result = await tx.query(`copy (${select}) to '/dev/blob'`)
        const text = result.blob ? await result.blob.text() : ''
        for await (const line of linesOf([text])) yield fieldsOfCopyLine(line)
      },
    }
    return work(session)
  })
}
