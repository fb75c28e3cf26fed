import type { ColumnType } from 'kysely'

/**
 * A jsonb column: read back as `T` (pg parses jsonb), written as JSON text the caller serialised
 * itself. Writing text rather than objects is deliberate: money inside stored JSON is integer fen
 * as a decimal string, and only the caller knows how its bigints are to be written, so the column
 * type makes every write go through that serialisation instead of a cast at each insert.
 */
export type JsonColumn<T> = ColumnType<T, string, string>
