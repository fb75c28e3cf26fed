/**
 * The sweep's floor: the same NDJSON lines copied into a table of the same kind with nothing but pg
 * and pg-copy-streams — no validation, no read model, no rules, no verdict. Imports nothing of ours,
 * so what the guard's sweep costs above it is the guard's own work.
 */
import { Readable, type Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import pg from 'pg'
import copyStreams from 'pg-copy-streams'

/** Copies `lines` (already COPY-escaped NDJSON lines, one check each) into `schema`.plain_lines in one transaction; answers ms taken. */
export async function plainCopy(url: string, schema: string, lines: () => AsyncIterable<string>): Promise<{ ms: number; rows: number }> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`create table "${schema}".plain_lines (line integer primary key, request json not null)`)
    const started = performance.now()
    let rows = 0
    await client.query('begin')
    async function* chunks(): AsyncGenerator<string> {
      let chunk = ''
      for await (const line of lines()) {
        rows++
        chunk += `${rows}\t${line.replace(/\\/g, '\\\\')}\n`
        if (chunk.length >= 65_536) {
          yield chunk
          chunk = ''
        }
      }
      if (chunk) yield chunk
    }
    await pipeline(Readable.from(chunks()), client.query(copyStreams.from(`copy "${schema}".plain_lines (line, request) from stdin`)) as unknown as Writable)
    await client.query('commit')
    return { ms: performance.now() - started, rows }
  } finally {
    await client.end()
  }
}
