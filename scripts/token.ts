/**
 * `npm run token -- --role officer --branch BJ001 [--branch SH002] [--agency AG01] [--sub alice] [--hours 8]`
 * Mints a development token for the embedded mode (its generated secret) or, with JWT_SECRET,
 * JWT_ISSUER and JWT_AUDIENCE set, for a distributed development deployment. Never for production:
 * deployments use the bank's identity provider (JWT_JWKS_URL).
 */
import { parseArgs } from 'node:util'
import { isRole, mintToken, ROLES, type Role } from '@sme/kit'
import { EMBEDDED_AUDIENCE, EMBEDDED_ISSUER, embeddedSecret } from './embedded-config.js'

const { values } = parseArgs({
  options: {
    role: { type: 'string', multiple: true },
    branch: { type: 'string', multiple: true },
    agency: { type: 'string' },
    sub: { type: 'string' },
    hours: { type: 'string', default: '8' },
  },
})

const roles = (values.role ?? []).filter(isRole) as Role[]
if (roles.length === 0 || roles.length !== (values.role ?? []).length) {
  console.error(`usage: npm run token -- --role <${ROLES.join('|')}> [--branch B]… [--agency A] [--sub NAME] [--hours H]`)
  process.exit(2)
}
const secret = process.env.JWT_SECRET ?? embeddedSecret(false)
if (!secret) {
  console.error('no secret: start the embedded mode once (npm start) or set JWT_SECRET')
  process.exit(2)
}
const token = await mintToken(
  secret,
  { sub: values.sub ?? `dev-${roles[0]}`, roles, branches: values.branch ?? [], ...(values.agency ? { agency: values.agency } : {}) },
  { issuer: process.env.JWT_ISSUER ?? EMBEDDED_ISSUER, audience: process.env.JWT_AUDIENCE ?? EMBEDDED_AUDIENCE, expiresInSec: Number(values.hours) * 3600 },
)
process.stdout.write(`${token}\n`)
