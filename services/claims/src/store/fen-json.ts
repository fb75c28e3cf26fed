/**
 * JSON for domain values holding fen (bigint): each bigint is written `{ "fen": "<digits>" }` and read
 * back as a bigint, so a claim's stored events and state keep every amount exact. No domain object
 * has a single member named `fen`, so the form cannot be mistaken.
 */
export function toFenJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? { fen: v.toString() } : v))
}

export function fromFenJson<T>(value: unknown): T {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v)
      const fen = (v as { fen?: unknown }).fen
      if (keys.length === 1 && typeof fen === 'string' && /^-?[0-9]+$/.test(fen)) return BigInt(fen)
    }
    return v
  }) as T
}
