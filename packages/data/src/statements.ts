import { createHash } from 'node:crypto'
import { CompiledQuery, DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type Compilable, type QueryResult } from 'kysely'

/**
 * A statement on a hot path, built with Kysely once and run many times with new values.
 *
 * Building a query (a data-modifying CTE of three inserts, say), moving it into the service's schema
 * and compiling it to SQL costs the application more CPU than PostgreSQL spends running it: on the
 * relief intake route it was about a sixth of the server's time per request. Its text does not change
 * from one request to the next, only its values; so it is built once per schema, with a marker in
 * place of each value, and every run sends the same text with the values in the markers' places.
 *
 * `build` receives the values object as markers: it must place each value as a value (a parameter)
 * and never compute with it (no `JSON.stringify`, no arithmetic, no branching on it); a statement
 * whose text would depend on a value (an identifier, raw SQL, an optional clause) is not reusable
 * and is refused here rather than run wrong. A list is one value: write `= any(${v.ids})`, never
 * `in`. Values that need serializing are serialized by the caller before `execute`. Its result
 * names its columns (no `returningAll`/`selectAll` at the top level; inside a CTE they are fine).
 */
export interface ReusableStatement<P extends object, R> {
  /** The SQL text, with `$n` placeholders. */
  readonly sql: string
  /** Runs the statement on `db` (a pool or a transaction) with `values` in place of the markers. */
  execute(db: Kysely<any>, values: P): Promise<QueryResult<R>>
}

/**
 * `select *` or `returning *` in the statement's own result (not inside a CTE's parentheses). A
 * prepared statement's result columns are fixed when it is prepared: once a migration adds a column
 * (say, during a rolling deploy, with instances of the old version still running), PostgreSQL
 * refuses to run it ("cached plan must not change result type") until the connection is replaced.
 */
const ALL_COLUMNS_AT_TOP = /(?:^|\)\s)select \*|returning \*$/

/** Never a value a request can carry: NUL is refused at the edge, and PostgreSQL cannot store it. */
const MARKER = /^\u0000statement-value:(.+)\u0000$/

/** Compiles without a connection: the Postgres dialect's compiler over a driver that never connects. */
const compiler = new Kysely<any>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
})

export function reusableStatement<P extends object, R>(schema: string, build: (db: Kysely<any>, values: P) => Compilable<R>): ReusableStatement<P, R> {
  const named = new Set<string>()
  const markers = new Proxy({} as P, {
    get: (_target, name) => {
      if (typeof name !== 'string') return undefined
      named.add(name)
      return `\u0000statement-value:${name}\u0000`
    },
  })
  const compiled = build(compiler.withSchema(schema), markers).compile()
  // Each parameter is a caller's value (by name) or a constant of the statement itself.
  type Slot = { readonly kind: 'value'; readonly name: keyof P & string } | { readonly kind: 'constant'; readonly value: unknown }
  const slots = compiled.parameters.map((parameter): Slot => {
    const name = typeof parameter === 'string' ? MARKER.exec(parameter)?.[1] : undefined
    // A marker's name is a key `build` read from the values: the Proxy saw it (checked below).
    return name === undefined ? { kind: 'constant', value: parameter } : { kind: 'value', name: name as keyof P & string }
  })
  const placed = new Set<string>(slots.flatMap((slot) => (slot.kind === 'value' ? [slot.name] : [])))
  const lost = [...named].filter((name) => !placed.has(name))
  if (lost.length > 0 || compiled.sql.includes('\u0000')) {
    throw new Error(`reusableStatement: ${lost.length > 0 ? `values ${lost.join(', ')} were not placed as parameters` : 'a value was written into the SQL text'}; build the query from the values without computing with them`)
  }
  if (ALL_COLUMNS_AT_TOP.test(compiled.sql)) {
    throw new Error(
      'reusableStatement: name the columns the statement returns (no returningAll or selectAll at its top level): run as a prepared statement, it would fail once a migration adds a column to the table',
    )
  }
  preparedNames.set(compiled.sql, `sme_${createHash('sha256').update(compiled.sql).digest('base64url').slice(0, 27)}`)
  return {
    sql: compiled.sql,
    execute: (db, values) => db.executeQuery<R>(CompiledQuery.raw(compiled.sql, slots.map((slot) => (slot.kind === 'value' ? values[slot.name] : slot.value)))),
  }
}

/**
 * A reusable statement's text is also run as a named prepared statement on PostgreSQL pools (see
 * `createPostgresDatabase`): each connection parses, analyses and plans it once instead of on every
 * run. On the relief intake route, parsing and planning its three-insert statement was about a third
 * of the PostgreSQL backend's CPU per request. The name is derived from the text, so two schemas'
 * statements never share one.
 */
const preparedNames = new Map<string, string>()

/** The prepared statement name of a reusable statement's SQL text; undefined for any other text. */
export function preparedStatementName(text: string): string | undefined {
  return preparedNames.get(text)
}
