import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Where the embedded mode keeps its data (ignored by git). */
export const EMBEDDED_DIR = process.env.EMBEDDED_DATA_DIR ?? join(process.cwd(), '.data', 'embedded')
export const EMBEDDED_ISSUER = 'sme-relief-embedded'
export const EMBEDDED_AUDIENCE = 'sme-relief'

/**
 * The embedded mode's HS256 secret: generated on first start and kept next to its data, so no
 * secret is ever committed and tokens minted by `npm run token` keep working across restarts.
 */
export function embeddedSecret(create: boolean): string | undefined {
  const file = join(EMBEDDED_DIR, 'jwt-secret')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  if (!create) return undefined
  mkdirSync(EMBEDDED_DIR, { recursive: true })
  const secret = randomBytes(48).toString('base64url')
  writeFileSync(file, `${secret}\n`, { mode: 0o600 })
  chmodSync(file, 0o600)
  return secret
}
