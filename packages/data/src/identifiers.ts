/**
 * A name as PostgreSQL reads it in SQL text written by hand (COPY, ANALYZE and the like, which
 * Kysely does not build): in double quotes, a quote inside doubled, so any schema, table or column
 * name stays one identifier whatever it holds.
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

/** `schema.table`, each part quoted. */
export function qualifiedName(schema: string, table: string): string {
  return `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`
}
