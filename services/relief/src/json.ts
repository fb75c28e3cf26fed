/**
 * JSON for stored values that may carry bigints (fen in applications and reference data): bigints
 * become decimal strings, the form the API and events use for money. One function, so what is stored
 * and what a replay compares are serialised identically.
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
}

/** A value as it reads back from a JSON column (bigints as strings). */
export function asStored<T>(value: T): unknown {
  return JSON.parse(toJson(value))
}
