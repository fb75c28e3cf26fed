import type { Kysely, Transaction } from 'kysely'

export type { Transaction }

export type IsolationLevel = 'read committed' | 'repeatable read' | 'serializable'

/**
 * Runs `work` in one transaction: committed when it resolves, rolled back when it throws.
 * Functions that must run inside a transaction take a `Transaction<DB>` parameter, so the compiler
 * refuses a plain `Kysely<DB>` there.
 */
export function inTransaction<DB, T>(
  db: Kysely<DB>,
  work: (tx: Transaction<DB>) => Promise<T>,
  options: { isolation?: IsolationLevel } = {},
): Promise<T> {
  const builder = db.transaction()
  return (options.isolation ? builder.setIsolationLevel(options.isolation) : builder).execute(work)
}
