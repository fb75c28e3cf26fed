import { sql, type Kysely } from 'kysely'
import { Migrator, type Migration, type MigrationResultSet } from 'kysely/migration'

/**
 * A service's migrations: frozen objects keyed by a sortable name ("0001_create_applications").
 * They never import application code, so old migrations keep working as the code moves on.
 */
export type Migrations = Record<string, Migration>

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly results: MigrationResultSet['results'],
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.name = 'MigrationError'
  }
}

/**
 * Brings `schema` up to date: creates the schema, keeps the service's own migration table inside it
 * (so services never share migration history) and runs the pending migrations in name order, each
 * in its own transaction. Migrations receive a Kysely bound to the schema.
 */
export async function migrateSchema(db: Kysely<any>, schema: string, migrations: Migrations): Promise<string[]> {
  await sql`create schema if not exists ${sql.id(schema)}`.execute(db)
  const scoped = db.withSchema(schema)
  const migrator = new Migrator({
    db: scoped,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: schema,
    migrationTableName: 'migrations',
    migrationLockTableName: 'migrations_lock',
    // A schema's migrations come from several sources (the kit's outbox, inbox and idempotency
    // tables, then the service's own), each numbered in its own range: a new one of the kit's sorts
    // before the service's already run, and must still run.
    allowUnorderedMigrations: true,
  })
  let { error, results = [] } = await migrator.migrateToLatest()
  // Kysely checks for its migration table by reading every table of the database; a schema dropped
  // by another session meanwhile (tests drop theirs when done) fails that read, before anything ran.
  for (let attempt = 1; error && attempt < 5 && results.every((r) => r.status === 'NotExecuted') && isConcurrentDrop(error); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20 * attempt))
    ;({ error, results = [] } = await migrator.migrateToLatest())
  }
  if (error) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
    throw new MigrationError(`migration ${failed} of schema ${schema} failed`, results, { cause: error })
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

/** "schema … does not exist" or "relation … does not exist" from a catalog read racing a DROP SCHEMA. */
function isConcurrentDrop(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === '3F000' || code === '42P01'
}

/**
 * The schema a migration's Kysely is bound to (`migrateSchema` binds it with `withSchema`), for what
 * the schema builder cannot express (functions, triggers): `withSchema` does not rewrite raw SQL,
 * so such SQL names the schema itself.
 */
export function schemaOf(db: Kysely<any>): string {
  const { sql: text } = db.selectFrom('schema_probe').selectAll().compile()
  const match = /^select \* from "((?:[^"]|"")+)"\."schema_probe"$/.exec(text)
  if (!match) throw new Error('this Kysely is not bound to a schema: run the migration through migrateSchema')
  return match[1]!.replace(/""/g, '"')
}
