// Shipped policy versions and the bank's four eyes, on the real PostgreSQL. Into an empty registry
// the shipped versions go active (nothing could be decided otherwise); a version shipped later goes
// active at the next start by default, or, with RELIEF_SHIPPED_POLICIES=draft, as a draft that
// decides nothing until an admin of the bank activates it.
import t from 'tap'
import { reliefOptionsFrom } from '../src/config.js'
import { EXTENSION_RULES_1996_V3 } from '../src/domain/index.js'
import { policyToRecord } from '../src/policy-records.js'
import { GOOD, decidedApplication, expectStatus, reliefUnderTest, uscc } from './helpers.js'

// Applications are dated 2020-06-15 (Asia/Shanghai), as the helpers' bodies expect.
const now = () => new Date('2020-06-15T02:00:00Z')

t.test('a shipped version new to the registry waits for an admin when the bank asks for drafts', async (t) => {
  const first = await reliefUnderTest(t, { now })
  const versions = async () => (await first.db.selectFrom('policy_versions').select(['record_id', 'version', 'status', 'created_by']).where('record_id', '=', 'extension-art12').orderBy('version').execute()).map((v) => `${v.version}:${v.status}:${v.created_by}`)
  t.same(await versions(), ['1:active:system', '2:active:system', '3:active:system'], 'an empty registry: every shipped version active')

  // A registry from before version 3 was shipped.
  await first.db.deleteFrom('policy_versions').where('record_id', '=', 'extension-art12').where('version', '=', 3).execute()
  const again = await reliefUnderTest(t, { now, database: first.database, schema: first.schema, service: { shippedPolicies: 'draft' } })
  t.same(await versions(), ['1:active:system', '2:active:system', '3:draft:system'], 'the new version installed as a draft')
  const seeded = await first.db.selectFrom('audit_log').select('details').where('action', '=', 'policy.seeded').orderBy('seq', 'desc').executeTakeFirstOrThrow()
  t.match(seeded.details, { id: 'extension-art12', version: 3, status: 'draft' }, 'audited as a draft')

  const before = await decidedApplication(again, 'extension', GOOD, { uscc: uscc(601) })
  const view = async (id: string) => expectStatus(t, await again.app.inject({ method: 'GET', url: `/applications/${id}`, headers: await again.auth('risk') }), 200)
  t.match((await view(before.id)).automatedDecision.policyVersions, [{ id: 'reference-data' }, { id: 'bank-parameters' }, { id: 'extension-art12', version: 2 }], 'decided under version 2 while 3 is a draft')

  expectStatus(t, await again.app.inject({ method: 'POST', url: '/policies/extension-art12/versions/3/activate', headers: await again.auth('admin', { sub: 'bank-admin' }) }), 200, 'an admin of the bank activates it')
  // Activation checks the days the registry could decide on before (from 2014, its first bank
  // parameters), not the version's first day in 1996, when nothing could be decided anyway.
  const after = await decidedApplication(again, 'extension', GOOD, { uscc: uscc(602) })
  t.match((await view(after.id)).automatedDecision.policyVersions, [{}, {}, { id: 'extension-art12', version: 3 }], 'decided under version 3 once active')
})

t.test('a second record of a single kind over the same period is refused', async (t) => {
  const s = await reliefUnderTest(t, { now })
  const other = { ...policyToRecord(EXTENSION_RULES_1996_V3), id: 'extension-other', version: 1, effectiveFrom: '2021-01-01' }
  const res = await s.app.inject({ method: 'POST', url: '/policies', headers: await s.auth('admin', { sub: 'author' }), payload: { status: 'draft', policy: other } })
  t.equal(res.statusCode, 409, res.body)
  t.match(res.json().detail, /only one extension-rules record may apply on a date/)
})

t.test('the setting from the environment', async (t) => {
  t.match(reliefOptionsFrom({}), { shippedPolicies: 'active', documentsCheckIntervalMs: 60_000 }, 'defaults')
  t.match(reliefOptionsFrom({ RELIEF_SHIPPED_POLICIES: 'draft', RELIEF_DOCUMENTS_CHECK_INTERVAL_MS: '5000' }), { shippedPolicies: 'draft', documentsCheckIntervalMs: 5_000 })
  t.throws(() => reliefOptionsFrom({ RELIEF_SHIPPED_POLICIES: 'later' }), 'an unknown value refuses to start')
})
