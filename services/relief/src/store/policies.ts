import type { CursorKey } from '@sme/kit'
import type { Selectable } from 'kysely'
import type { PolicyVersion, PolicyVersionRef } from '../domain/index.js'
import { policyFromRecord, policyToRecord } from '../policy-records.js'
import type { PolicyVersionsTable, ReliefDb, ReliefTx } from './tables.js'

export type PolicyRow = Selectable<PolicyVersionsTable>

/** Every stored version (drafts included), ordered by record id and version. */
export function allPolicyRows(db: ReliefDb | ReliefTx, status?: 'draft' | 'active'): Promise<PolicyRow[]> {
  let q = db.selectFrom('policy_versions').selectAll()
  if (status) q = q.where('status', '=', status)
  return q.orderBy('record_id').orderBy('version').execute()
}

/** One page of policy versions by record id and version (a total order), after `after` = [recordId, version]. */
export function policyRowsPage(db: ReliefDb, filter: { status?: 'draft' | 'active' | undefined; after?: CursorKey | undefined; limit: number }): Promise<PolicyRow[]> {
  let q = db.selectFrom('policy_versions').selectAll()
  if (filter.status) q = q.where('status', '=', filter.status)
  const after = filter.after
  if (after) q = q.where((eb) => eb(eb.refTuple('record_id', 'version'), '>', eb.tuple(String(after[0]), Number(after[1]))))
  return q.orderBy('record_id').orderBy('version').limit(filter.limit).execute()
}

/** The active versions in domain form: what live decisions choose from. */
export async function activePolicyVersions(db: ReliefDb | ReliefTx): Promise<PolicyVersion[]> {
  return (await allPolicyRows(db, 'active')).map((r) => policyFromRecord(r.definition))
}

/** Exactly these versions, whatever their status (a replay needs the ones a decision recorded). */
export async function policyVersionsByRefs(db: ReliefDb | ReliefTx, refs: readonly Pick<PolicyVersionRef, 'id' | 'version'>[]): Promise<PolicyRow[]> {
  if (refs.length === 0) return []
  return db
    .selectFrom('policy_versions')
    .selectAll()
    .where((eb) => eb.or(refs.map((r) => eb.and([eb('record_id', '=', r.id), eb('version', '=', r.version)]))))
    .orderBy('record_id')
    .orderBy('version')
    .execute()
}

export async function insertPolicyVersion(tx: ReliefTx, policy: PolicyVersion, status: 'draft' | 'active', by: string, at: Date): Promise<PolicyRow | undefined> {
  return tx
    .insertInto('policy_versions')
    .values({
      record_id: policy.id,
      version: policy.version,
      kind: policy.kind,
      status,
      effective_from: policy.effectiveFrom,
      effective_to: policy.effectiveTo,
      definition: JSON.stringify(policyToRecord(policy)),
      created_by: by,
      created_at: at,
      activated_at: status === 'active' ? at : null,
      activated_by: status === 'active' ? by : null,
    })
    .onConflict((c) => c.columns(['record_id', 'version']).doNothing())
    .returningAll()
    .executeTakeFirst()
}

export async function policyVersionForUpdate(tx: ReliefTx, id: string, version: number): Promise<PolicyRow | undefined> {
  return tx.selectFrom('policy_versions').selectAll().where('record_id', '=', id).where('version', '=', version).forUpdate().executeTakeFirst()
}

export async function markActive(tx: ReliefTx, id: string, version: number, by: string, at: Date): Promise<PolicyRow> {
  return tx
    .updateTable('policy_versions')
    .set({ status: 'active', activated_by: by, activated_at: at })
    .where('record_id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/**
 * A cheap fingerprint of the active set: it moves whenever a version is added or activated, so each
 * instance re-reads the versions only then.
 */
export async function policyStamp(db: ReliefDb | ReliefTx): Promise<string> {
  const row = await db
    .selectFrom('policy_versions')
    .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.max('activated_at').as('latest')])
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow()
  return `${row.n}|${row.latest instanceof Date ? row.latest.toISOString() : String(row.latest)}`
}
